/* fib/nhtab.c: reference-counted table of nexthop objects and groups.
 * Pure bookkeeping; fib/fib.c turns its decisions into netlink messages. */
#include "fib/nhtab.h"

#include <stdlib.h>
#include <string.h>

#include "proto/lib/cmp.h"
#include "proto/lib/vec.h"

#define ID_LAST 0xfffffff0u

struct nhtab {
	uint32_t first_id, next_id;
	struct nhe **kb, **ib;	/* buckets by key (set) and by id */
	size_t nbuckets, count;
	uint32_t *reserved;
	size_t nreserved, reserved_cap;
	bool reserved_sorted;
	void (*del_cb)(void *ctx, const struct nhe *e);
	void *ctx;
};

static uint32_t mix(uint32_t h, uint32_t v)
{
	h ^= v;
	h *= 0x01000193u;	/* FNV-1a prime */
	return h ^ (h >> 15);
}

static uint32_t set_hash(bool group, const struct fib_nh *nh, size_t n)
{
	uint32_t h = group ? 0x9e3779b9u : 0x811c9dc5u;

	for (size_t i = 0; i < n; i++)
		h = mix(mix(mix(h, nh[i].gw), nh[i].ifindex), nh[i].flags);
	return h;
}

static size_t id_slot(const struct nhtab *t, uint32_t id)
{
	return mix(0x811c9dc5u, id) & (t->nbuckets - 1);
}

static void key_link(struct nhtab *t, struct nhe *e)
{
	size_t b;

	e->khash = set_hash(e->group, e->nh, e->n);
	b = e->khash & (t->nbuckets - 1);
	e->knext = t->kb[b];
	t->kb[b] = e;
	e->keyed = true;
}

static void key_unlink(struct nhtab *t, struct nhe *e)
{
	struct nhe **pp;

	if (!e->keyed)
		return;
	for (pp = &t->kb[e->khash & (t->nbuckets - 1)]; *pp; pp = &(*pp)->knext)
		if (*pp == e) {
			*pp = e->knext;
			break;
		}
	e->keyed = false;
}

static void id_link(struct nhtab *t, struct nhe *e)
{
	size_t b = id_slot(t, e->id);

	e->inext = t->ib[b];
	t->ib[b] = e;
}

static void id_unlink(struct nhtab *t, struct nhe *e)
{
	for (struct nhe **pp = &t->ib[id_slot(t, e->id)]; *pp; pp = &(*pp)->inext)
		if (*pp == e) {
			*pp = e->inext;
			return;
		}
}

/* Double the bucket arrays once the load factor exceeds 1. */
static int grow(struct nhtab *t)
{
	size_t old = t->nbuckets;
	struct nhe **okb = t->kb, **oib = t->ib;

	t->kb = calloc(old * 2, sizeof(*t->kb));
	t->ib = calloc(old * 2, sizeof(*t->ib));
	if (!t->kb || !t->ib) {
		free(t->kb);
		free(t->ib);
		t->kb = okb;
		t->ib = oib;
		return -1;
	}
	t->nbuckets = old * 2;
	for (size_t i = 0; i < old; i++) {
		for (struct nhe *e = oib[i], *nx; e; e = nx) {
			nx = e->inext;
			id_link(t, e);
			if (e->keyed) {
				size_t b = e->khash & (t->nbuckets - 1);
				e->knext = t->kb[b];
				t->kb[b] = e;
			}
		}
	}
	free(okb);
	free(oib);
	return 0;
}

struct nhtab *nhtab_new(uint32_t first_id,
			void (*del_cb)(void *ctx, const struct nhe *e), void *ctx)
{
	struct nhtab *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->nbuckets = 64;
	t->kb = calloc(t->nbuckets, sizeof(*t->kb));
	t->ib = calloc(t->nbuckets, sizeof(*t->ib));
	if (!t->kb || !t->ib) {
		nhtab_free(t);
		return NULL;
	}
	t->first_id = t->next_id = first_id ? first_id : 1;
	t->del_cb = del_cb;
	t->ctx = ctx;
	return t;
}

static void entry_free(struct nhe *e)
{
	free(e->nh);
	free(e->mem);
	free(e);
}

void nhtab_free(struct nhtab *t)
{
	if (!t)
		return;
	if (t->ib)
		for (size_t i = 0; i < t->nbuckets; i++)
			for (struct nhe *e = t->ib[i], *nx; e; e = nx) {
				nx = e->inext;
				entry_free(e);
			}
	free(t->kb);
	free(t->ib);
	free(t->reserved);
	free(t);
}

int nhtab_reserve(struct nhtab *t, uint32_t id)
{
	uint32_t *r = VEC_PUSH(t->reserved, t->nreserved, t->reserved_cap);

	if (!r)
		return -1;
	*r = id;
	t->reserved_sorted = false;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	return cmp_uint(*(const uint32_t *)a, *(const uint32_t *)b);
}

static bool is_reserved(struct nhtab *t, uint32_t id)
{
	if (!t->nreserved)
		return false;
	if (!t->reserved_sorted) {
		qsort(t->reserved, t->nreserved, sizeof(uint32_t), cmp_u32);
		t->reserved_sorted = true;
	}
	return bsearch(&id, t->reserved, t->nreserved, sizeof(uint32_t), cmp_u32) != NULL;
}

struct nhe *nhtab_by_id(const struct nhtab *t, uint32_t id)
{
	for (struct nhe *e = t->ib[id_slot(t, id)]; e; e = e->inext)
		if (e->id == id)
			return e;
	return NULL;
}

/* Next free id in [first_id, ID_LAST], wrapping; skips ids in use or reserved. */
static uint32_t alloc_id(struct nhtab *t)
{
	for (;;) {
		uint32_t id = t->next_id;

		t->next_id = id >= ID_LAST ? t->first_id : id + 1;
		if (!nhtab_by_id(t, id) && !is_reserved(t, id))
			return id;
	}
}

static struct nhe *find_key(const struct nhtab *t, bool group, const struct fib_nh *nh, size_t n)
{
	uint32_t h = set_hash(group, nh, n);

	for (struct nhe *e = t->kb[h & (t->nbuckets - 1)]; e; e = e->knext)
		if (e->khash == h && e->group == group && fib_nh_set_equal(e->nh, e->n, nh, n))
			return e;
	return NULL;
}

static struct nhe *entry_new(struct nhtab *t, bool group, const struct fib_nh *nh, size_t n)
{
	struct nhe *e;

	if (t->count >= t->nbuckets && grow(t) < 0)
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->nh = malloc(n * sizeof(*nh));
	if (!e->nh || (group && !(e->mem = calloc(n, sizeof(*e->mem))))) {
		entry_free(e);
		return NULL;
	}
	memcpy(e->nh, nh, n * sizeof(*nh));
	e->n = n;
	e->group = group;
	e->need_push = true;
	e->id = alloc_id(t);
	id_link(t, e);
	key_link(t, e);
	t->count++;
	return e;
}

static struct nhe *acquire_single(struct nhtab *t, const struct fib_nh *nh)
{
	struct nhe *e = find_key(t, false, nh, 1);

	if (!e)
		e = entry_new(t, false, nh, 1);
	if (e)
		e->refs++;
	return e;
}

static struct nhe *acquire_group(struct nhtab *t, const struct fib_nh *set, size_t n)
{
	struct nhe *g = find_key(t, true, set, n);

	if (g) {
		g->refs++;
		return g;
	}
	g = entry_new(t, true, set, n);
	if (!g)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		g->mem[i] = acquire_single(t, &set[i]);
		if (!g->mem[i]) {
			g->refs = 1;
			nhtab_release(t, g);
			return NULL;
		}
	}
	g->refs = 1;
	return g;
}

struct nhe *nhtab_acquire(struct nhtab *t, const struct fib_nh *in, size_t n)
{
	struct fib_nh *set;
	struct nhe *g;

	if (n == 0 || !(set = malloc(n * sizeof(*set))))
		return NULL;
	memcpy(set, in, n * sizeof(*in));
	n = fib_nh_normalize(set, n);
	if (n == 1)
		g = acquire_single(t, &set[0]);
	else
		g = acquire_group(t, set, n);
	free(set);
	return g;
}

void nhtab_release(struct nhtab *t, struct nhe *e)
{
	if (!e || --e->refs > 0)
		return;
	/* Delete the group before its members: deleting a member first would
	 * make the kernel rewrite (or, if last, remove) a group still in use. */
	if (!e->dead && t->del_cb)
		t->del_cb(t->ctx, e);
	key_unlink(t, e);
	id_unlink(t, e);
	t->count--;
	if (e->group)
		for (size_t i = 0; i < e->n; i++)
			nhtab_release(t, e->mem[i]);
	entry_free(e);
}

static bool matches(const struct nhe *s, uint32_t ifindex, bool any_gw, uint32_t gw)
{
	return !s->group && !s->dead && s->nh[0].ifindex == ifindex && (any_gw || s->nh[0].gw == gw);
}

/* Take dead members out of group g, as Linux does when a member nexthop is
 * deleted; removing the last member removes the group (and its routes). */
static void group_prune(struct nhtab *t, struct nhe *g)
{
	size_t out = 0;
	size_t n = g->n;

	for (size_t i = 0; i < n; i++) {
		if (g->mem[i]->dead) {
			nhtab_release(t, g->mem[i]);
			continue;
		}
		g->mem[out] = g->mem[i];
		g->nh[out] = g->nh[i];
		out++;
	}
	if (out == n)
		return;
	key_unlink(t, g);
	g->n = out;
	if (out == 0)
		g->dead = true;
	else
		key_link(t, g);
}

size_t nhtab_drop(struct nhtab *t, uint32_t ifindex, bool any_gw, uint32_t gw,
		  void (*kill_cb)(void *ctx, const struct nhe *e), void *ctx)
{
	size_t killed = 0;
	struct nhe **groups = NULL;
	size_t ngroups = 0;

	for (size_t i = 0; i < t->nbuckets; i++)
		for (struct nhe *e = t->ib[i]; e; e = e->inext)
			if (matches(e, ifindex, any_gw, gw)) {
				if (kill_cb)
					kill_cb(ctx, e);
				e->dead = true;
				key_unlink(t, e);
				killed++;
			}
	if (!killed)
		return 0;
	/* Collect groups first: pruning may free members and edit chains. */
	groups = malloc(t->count * sizeof(*groups));
	if (!groups)
		return killed;
	for (size_t i = 0; i < t->nbuckets; i++)
		for (struct nhe *e = t->ib[i]; e; e = e->inext)
			if (e->group && !e->dead)
				groups[ngroups++] = e;
	for (size_t i = 0; i < ngroups; i++)
		group_prune(t, groups[i]);
	free(groups);
	return killed;
}

void nhtab_foreach(const struct nhtab *t, void (*cb)(void *ctx, struct nhe *e), void *ctx)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < t->nbuckets; i++)
			for (struct nhe *e = t->ib[i], *nx; e; e = nx) {
				nx = e->inext;
				if (e->group == (pass == 0))
					cb(ctx, e);
			}
}

size_t nhtab_count(const struct nhtab *t)
{
	return t->count;
}
