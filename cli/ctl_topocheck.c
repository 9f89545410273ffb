/* ctl_topocheck: cabling plan vs LSDB (ctl_topocheck.h). */
#include "cli/ctl_topocheck.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct link {
	uint32_t a, b;		/* a <= b */
	const struct dot_edge *edge;	/* plan edge, NULL for the fabric */
	bool used;
};

static bool ipv4(struct json_object *o, const char *key, uint32_t *out)
{
	struct json_object *v = NULL;
	struct in_addr a;
	if (!json_object_object_get_ex(o, key, &v) || !v ||
	    inet_pton(AF_INET, json_object_get_string(v), &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

static int cmp_link(const void *x, const void *y)
{
	const struct link *p = x, *q = y;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : p->b > q->b;
}

static struct link mk(uint32_t a, uint32_t b, const struct dot_edge *e)
{
	return (struct link){ a < b ? a : b, a < b ? b : a, e, false };
}

/* A router by its plan name when it has one. */
static const char *name_of(const struct dot_graph *plan, uint32_t rid, char *buf)
{
	for (size_t k = 0; k < plan->n_nodes; k++)
		if (!plan->nodes[k].network && plan->nodes[k].rid == rid)
			return plan->nodes[k].name;
	snprintf(buf, 16, "%u.%u.%u.%u", rid >> 24, (rid >> 16) & 255, (rid >> 8) & 255, rid & 255);
	return buf;
}

static void describe(struct ctl_buf *out, const struct dot_graph *plan, uint32_t first,
		     uint32_t second, const struct dot_edge *e)
{
	char b1[16], b2[16];
	const struct dot_node *na = e ? &plan->nodes[e->a] : NULL;
	const char *pa = NULL, *pb = NULL;
	if (e) { /* ports, on the right ends */
		pa = na->rid == first ? e->port_a : e->port_b;
		pb = na->rid == first ? e->port_b : e->port_a;
	}
	ctl_buf_printf(out, "%s%s%s -- %s%s%s", name_of(plan, first, b1), pa ? ":" : "", pa ? pa : "",
		       name_of(plan, second, b2), pb ? ":" : "", pb ? pb : "");
}

static bool router_known(struct json_object *routers, uint32_t rid)
{
	for (size_t k = 0; routers && k < json_object_array_length(routers); k++) {
		uint32_t r;
		if (ipv4(json_object_array_get_idx(routers, k), "router_id", &r) && r == rid)
			return true;
	}
	return false;
}

/* Links only in `have`, as in a sorted multiset difference: marks the
 * entries of `have` that `other` matches as used. */
static void match_sorted(struct link *have, size_t nh, struct link *other, size_t no)
{
	size_t i = 0, j = 0;
	while (i < nh && j < no) {
		int c = cmp_link(&have[i], &other[j]);
		if (c == 0) {
			have[i++].used = true;
			other[j++].used = true;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
}

static uint32_t shared_end(const struct link *m, const struct link *x, uint32_t *m_other,
			   uint32_t *x_other)
{
	uint32_t ends[2] = { m->a, m->b };
	for (int k = 0; k < 2; k++)
		if (ends[k] == x->a || ends[k] == x->b) {
			*m_other = ends[k] == m->a ? m->b : m->a;
			*x_other = ends[k] == x->a ? x->b : x->a;
			return ends[k];
		}
	return 0;
}

int ctl_topo_check(const char *file, const struct dot_graph *plan,
		   struct json_object *topo, struct ctl_buf *out)
{
	struct json_object *links = NULL, *routers = NULL;
	json_object_object_get_ex(topo, "links", &links);
	json_object_object_get_ex(topo, "routers", &routers);
	size_t nl = links ? json_object_array_length(links) : 0, np = 0, nf = 0;
	struct link *p = calloc(plan->n_edges + 1, sizeof(*p)), *f = calloc(nl + 1, sizeof(*f));
	int diffs = 0;
	if (!p || !f) {
		free(p);
		free(f);
		ctl_buf_puts(out, "out of memory\n");
		return 1;
	}
	for (size_t k = 0; k < plan->n_edges; k++) {
		const struct dot_edge *e = &plan->edges[k];
		const struct dot_node *a = &plan->nodes[e->a], *b = &plan->nodes[e->b];
		if (!a->network && !b->network && a->rid != b->rid)
			p[np++] = mk(a->rid, b->rid, e);
	}
	for (size_t k = 0; k < nl; k++) {
		struct json_object *l = json_object_array_get_idx(links, k), *two = NULL;
		uint32_t a, b;
		json_object_object_get_ex(l, "two_way", &two);
		if (json_object_get_boolean(two) && ipv4(l, "a", &a) && ipv4(l, "b", &b))
			f[nf++] = mk(a, b, NULL);
	}
	qsort(p, np, sizeof(*p), cmp_link);
	qsort(f, nf, sizeof(*f), cmp_link);
	match_sorted(p, np, f, nf);

	for (size_t k = 0; k < plan->n_nodes; k++) {
		const struct dot_node *n = &plan->nodes[k];
		if (!n->network && !router_known(routers, n->rid)) {
			char b[16];
			snprintf(b, sizeof(b), "%u.%u.%u.%u", n->rid >> 24, (n->rid >> 16) & 255,
				 (n->rid >> 8) & 255, n->rid & 255);
			ctl_buf_printf(out, "missing router: %s (%s) is not in the LSDB\n", n->name, b);
			diffs++;
		}
	}
	/* A missing and an extra link at the same router: one cable in the
	 * wrong place. */
	for (size_t i = 0; i < np; i++) {
		for (size_t j = 0; !p[i].used && j < nf; j++) {
			uint32_t mo, xo, s;
			if (f[j].used || !(s = shared_end(&p[i], &f[j], &mo, &xo)))
				continue;
			p[i].used = f[j].used = true;
			ctl_buf_puts(out, "miswired: ");
			describe(out, plan, s, mo, p[i].edge);
			ctl_buf_puts(out, " planned, ");
			describe(out, plan, s, xo, NULL);
			ctl_buf_printf(out, " found (%s:%d)\n", file, p[i].edge->line);
			diffs++;
		}
	}
	for (size_t i = 0; i < np; i++)
		if (!p[i].used) {
			ctl_buf_puts(out, "missing: ");
			describe(out, plan, p[i].a, p[i].b, p[i].edge);
			ctl_buf_printf(out, " (%s:%d)\n", file, p[i].edge->line);
			diffs++;
		}
	for (size_t j = 0; j < nf; j++)
		if (!f[j].used) {
			ctl_buf_puts(out, "extra: ");
			describe(out, plan, f[j].a, f[j].b, NULL);
			ctl_buf_puts(out, "\n");
			diffs++;
		}
	free(p);
	free(f);
	return diffs;
}
