/* Synthetic Clos fabrics (see clos.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench/clos.h"

static void *xalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	if (!p) {
		perror("calloc");
		exit(1);
	}
	return p;
}

void clos_add_link(struct clos_rtr *r, uint8_t type, uint32_t id, uint32_t data, uint16_t metric)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->l = realloc(r->l, r->cap * sizeof(*r->l));
		if (!r->l) {
			perror("realloc");
			exit(1);
		}
	}
	r->l[r->n++] = (struct rtr_link){ .link_id = id, .link_data = data, .type = type,
					  .metric = metric };
}

static void connect(struct clos *f, size_t a, size_t b)
{
	uint32_t sub = CLOS_LINK_BASE + 2 * f->next_link++;
	clos_add_link(&f->r[a], RTR_LINK_P2P, f->r[b].id, sub, 1);
	clos_add_link(&f->r[a], RTR_LINK_STUB, sub, 0xfffffffe, 1);
	clos_add_link(&f->r[b], RTR_LINK_P2P, f->r[a].id, sub + 1, 1);
	clos_add_link(&f->r[b], RTR_LINK_STUB, sub, 0xfffffffe, 1);
}

static void clos_init(struct clos *f, size_t n, size_t n_leaves, size_t n_spines)
{
	memset(f, 0, sizeof(*f));
	f->n = n;
	f->n_leaves = n_leaves;
	f->n_spines = n_spines;
	f->r = xalloc(n * sizeof(*f->r));
	for (size_t i = 0; i < n; i++) {
		f->r[i].id = CLOS_RID_BASE + 1 + (uint32_t)i;
		clos_add_link(&f->r[i], RTR_LINK_STUB, f->r[i].id, 0xffffffff, 0);
		if (i < n_leaves)
			clos_add_link(&f->r[i], RTR_LINK_STUB, CLOS_HOST_BASE + ((uint32_t)i << 8),
				      0xffffff00, 10);
	}
}

void clos_3stage(struct clos *f, unsigned spines, unsigned leaves)
{
	clos_init(f, (size_t)spines + leaves, leaves, spines);
	for (unsigned l = 0; l < leaves; l++)
		for (unsigned s = 0; s < spines; s++)
			connect(f, l, leaves + s);
}

void clos_5stage(struct clos *f, unsigned pods, unsigned planes, unsigned leaves,
		 unsigned supers)
{
	size_t nl = (size_t)pods * leaves, ns = (size_t)pods * planes;
	clos_init(f, nl + ns + (size_t)planes * supers, nl, ns);
	f->pods = pods;
	f->planes = planes;
	f->supers = supers;
	for (unsigned p = 0; p < pods; p++)
		for (unsigned l = 0; l < leaves; l++)
			for (unsigned s = 0; s < planes; s++)
				connect(f, (size_t)p * leaves + l, nl + (size_t)p * planes + s);
	for (unsigned p = 0; p < pods; p++)
		for (unsigned s = 0; s < planes; s++)
			for (unsigned k = 0; k < supers; k++)
				connect(f, nl + (size_t)p * planes + s, nl + ns + (size_t)s * supers + k);
}

size_t clos_index(const struct clos *f, uint32_t id)
{
	uint32_t i = id - CLOS_RID_BASE - 1;
	return id > CLOS_RID_BASE && i < f->n ? i : (size_t)-1;
}

int clos_in_plane(const struct clos *f, size_t i, unsigned plane)
{
	if (!f->planes || i < f->n_leaves)
		return 0;
	if (i < f->n_leaves + f->n_spines)
		return (i - f->n_leaves) % f->planes == plane;
	return (i - f->n_leaves - f->n_spines) / f->supers == plane;
}

size_t clos_lsa_max(const struct clos *f)
{
	size_t m = 0;
	for (size_t i = 0; i < f->n; i++)
		if (f->r[i].n > m)
			m = f->r[i].n;
	return 24 + 12 * m;
}

size_t clos_lsa(const struct clos *f, size_t i, int32_t seq, uint16_t age, uint8_t *buf,
		size_t cap)
{
	struct lsa_hdr h = { .age = age, .options = OSPF_OPT_E, .type = LSA_ROUTER,
			     .ls_id = f->r[i].id, .adv_router = f->r[i].id, .seq = seq };
	return lsa_router_build(buf, cap, &h, f->r[i].flags, f->r[i].l, f->r[i].n);
}

void clos_free(struct clos *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->r[i].l);
	free(f->r);
	memset(f, 0, sizeof(*f));
}
