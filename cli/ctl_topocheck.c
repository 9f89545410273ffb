/* ctl_topocheck: cabling plan vs LSDB (ctl_topocheck.h). */
#include "cli/ctl_topocheck.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/lib/ipv4.h"
#include "proto/lib/cmp.h"

struct link {
	uint32_t a, b;		/* a <= b */
	const struct dot_edge *edge;	/* plan edge, NULL for the fabric */
	bool used;
	uint16_t cost_ab, cost_ba;	/* fabric: a -> b, b -> a */
	const struct link *mate;	/* plan: the fabric link it matched */
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
	return cmp_uint(key2(p->a, p->b), key2(q->a, q->b));
}

static struct link mk(uint32_t a, uint32_t b, const struct dot_edge *e)
{
	return (struct link){ .a = a < b ? a : b, .b = a < b ? b : a, .edge = e };
}

/* One end of a link: {"name","router_id"[,"port"]}, named as in the plan
 * when the plan has the router. */
static struct json_object *end_json(const struct dot_graph *plan, uint32_t rid,
				    const char *port)
{
	char b[IPV4_STRLEN];
	const char *name = NULL;
	ipv4_str(rid, b);
	for (size_t k = 0; k < plan->n_nodes && !name; k++)
		if (!plan->nodes[k].network && plan->nodes[k].rid == rid)
			name = plan->nodes[k].name;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(name ? name : b));
	json_object_object_add(o, "router_id", json_object_new_string(b));
	if (port)
		json_object_object_add(o, "port", json_object_new_string(port));
	return o;
}

/* The plan edge's port at router rid's end (NULL when none or no edge). */
static const char *port_at(const struct dot_graph *plan, const struct dot_edge *e, uint32_t rid)
{
	if (!e)
		return NULL;
	return plan->nodes[e->a].rid == rid ? e->port_a : e->port_b;
}

static struct json_object *diff_new(struct json_object *arr, const char *kind, int line)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "kind", json_object_new_string(kind));
	if (line)
		json_object_object_add(o, "line", json_object_new_int(line));
	json_object_array_add(arr, o);
	return o;
}

static void link_ends(struct json_object *o, const struct dot_graph *plan, const char *ka,
		      uint32_t a, const char *kb, uint32_t b, const struct dot_edge *e)
{
	json_object_object_add(o, ka, end_json(plan, a, port_at(plan, e, a)));
	json_object_object_add(o, kb, end_json(plan, b, port_at(plan, e, b)));
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
			have[i].mate = &other[j];
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

struct json_object *ctl_topo_diffs(const struct dot_graph *plan,
				   struct json_object *topo)
{
	struct json_object *links = NULL, *routers = NULL;
	json_object_object_get_ex(topo, "links", &links);
	json_object_object_get_ex(topo, "routers", &routers);
	size_t nl = links ? json_object_array_length(links) : 0, np = 0, nf = 0;
	struct link *p = calloc(plan->n_edges + 1, sizeof(*p)), *f = calloc(nl + 1, sizeof(*f));
	if (!p || !f) {
		free(p);
		free(f);
		return NULL;
	}
	for (size_t k = 0; k < plan->n_edges; k++) {
		const struct dot_edge *e = &plan->edges[k];
		const struct dot_node *a = &plan->nodes[e->a], *b = &plan->nodes[e->b];
		if (!a->network && !b->network && a->rid != b->rid)
			p[np++] = mk(a->rid, b->rid, e);
	}
	for (size_t k = 0; k < nl; k++) {
		struct json_object *l = json_object_array_get_idx(links, k), *two = NULL;
		struct json_object *cab = NULL, *cba = NULL;
		uint32_t a, b;
		json_object_object_get_ex(l, "two_way", &two);
		json_object_object_get_ex(l, "cost_ab", &cab);
		json_object_object_get_ex(l, "cost_ba", &cba);
		if (!json_object_get_boolean(two) || !ipv4(l, "a", &a) || !ipv4(l, "b", &b))
			continue;
		f[nf] = mk(a, b, NULL);
		uint16_t x = (uint16_t)json_object_get_int(cab), y = (uint16_t)json_object_get_int(cba);
		f[nf].cost_ab = a < b ? x : y;
		f[nf++].cost_ba = a < b ? y : x;
	}
	qsort(p, np, sizeof(*p), cmp_link);
	qsort(f, nf, sizeof(*f), cmp_link);
	match_sorted(p, np, f, nf);

	struct json_object *arr = json_object_new_array();
	for (size_t k = 0; k < plan->n_nodes; k++) {
		const struct dot_node *n = &plan->nodes[k];
		if (!n->network && !router_known(routers, n->rid))
			json_object_object_add(diff_new(arr, "missing_router", n->line), "router",
					       end_json(plan, n->rid, NULL));
	}
	/* A missing and an extra link at the same router: one cable in the
	 * wrong place. */
	for (size_t i = 0; i < np; i++) {
		for (size_t j = 0; !p[i].used && j < nf; j++) {
			uint32_t mo, xo, s;
			if (f[j].used || !(s = shared_end(&p[i], &f[j], &mo, &xo)))
				continue;
			p[i].used = f[j].used = true;
			struct json_object *o = diff_new(arr, "miswired", p[i].edge->line);
			link_ends(o, plan, "at", s, "planned", mo, p[i].edge);
			json_object_object_add(o, "found", end_json(plan, xo, NULL));
		}
	}
	for (size_t i = 0; i < np; i++)
		if (!p[i].used)
			link_ends(diff_new(arr, "missing", p[i].edge->line), plan, "a", p[i].a, "b",
				  p[i].b, p[i].edge);
	for (size_t j = 0; j < nf; j++)
		if (!f[j].used)
			link_ends(diff_new(arr, "extra", 0), plan, "a", f[j].a, "b", f[j].b, NULL);
	/* [cost=N] in the plan: the link's OSPF cost both ways */
	for (size_t i = 0; i < np; i++) {
		const struct link *m = p[i].mate;
		const struct dot_edge *e = p[i].edge;
		if (!m || !e->cost || (m->cost_ab == e->cost && m->cost_ba == e->cost))
			continue;
		uint32_t a = plan->nodes[e->a].rid, b = plan->nodes[e->b].rid;
		struct json_object *o = diff_new(arr, "cost", e->line);
		link_ends(o, plan, "a", a, "b", b, e);
		json_object_object_add(o, "planned", json_object_new_int(e->cost));
		json_object_object_add(o, "cost_ab", json_object_new_int(a == m->a ? m->cost_ab : m->cost_ba));
		json_object_object_add(o, "cost_ba", json_object_new_int(a == m->a ? m->cost_ba : m->cost_ab));
	}
	free(p);
	free(f);
	return arr;
}

static void end_text(struct ctl_buf *out, struct json_object *o, const char *key, bool ports)
{
	struct json_object *e = NULL, *name = NULL, *port = NULL;
	json_object_object_get_ex(o, key, &e);
	json_object_object_get_ex(e, "name", &name);
	if (ports)
		json_object_object_get_ex(e, "port", &port);
	ctl_buf_printf(out, "%s%s%s", json_object_get_string(name), port ? ":" : "",
		       port ? json_object_get_string(port) : "");
}

void ctl_topo_diff_text(struct ctl_buf *out, const char *file, struct json_object *d)
{
	struct json_object *kind = NULL, *line = NULL, *r = NULL, *rid = NULL;
	json_object_object_get_ex(d, "kind", &kind);
	json_object_object_get_ex(d, "line", &line);
	const char *k = json_object_get_string(kind);
	if (!strcmp(k, "missing_router")) {
		json_object_object_get_ex(d, "router", &r);
		json_object_object_get_ex(r, "router_id", &rid);
		ctl_buf_puts(out, "missing router: ");
		end_text(out, d, "router", true);
		ctl_buf_printf(out, " (%s) is not in the LSDB\n", json_object_get_string(rid));
		return;
	}
	ctl_buf_printf(out, "%s: ", k);
	if (!strcmp(k, "miswired")) {
		end_text(out, d, "at", true);
		ctl_buf_puts(out, " -- ");
		end_text(out, d, "planned", true);
		ctl_buf_puts(out, " planned, ");
		end_text(out, d, "at", false); /* which port: not in the LSDB */
		ctl_buf_puts(out, " -- ");
		end_text(out, d, "found", true);
		ctl_buf_puts(out, " found");
	} else {
		end_text(out, d, "a", true);
		ctl_buf_puts(out, " -- ");
		end_text(out, d, "b", true);
	}
	if (!strcmp(k, "cost")) {
		struct json_object *pl = NULL, *ab = NULL, *ba = NULL;
		json_object_object_get_ex(d, "planned", &pl);
		json_object_object_get_ex(d, "cost_ab", &ab);
		json_object_object_get_ex(d, "cost_ba", &ba);
		ctl_buf_printf(out, " planned %d, found %d / %d", json_object_get_int(pl),
			       json_object_get_int(ab), json_object_get_int(ba));
	}
	if (line)
		ctl_buf_printf(out, " (%s:%d)", file, json_object_get_int(line));
	ctl_buf_puts(out, "\n");
}

int ctl_topo_check(const char *file, const struct dot_graph *plan,
		   struct json_object *topo, struct ctl_buf *out)
{
	struct json_object *diffs = ctl_topo_diffs(plan, topo);
	if (!diffs) {
		ctl_buf_puts(out, "out of memory\n");
		return 1;
	}
	int n = (int)json_object_array_length(diffs);
	for (int k = 0; k < n; k++)
		ctl_topo_diff_text(out, file, json_object_array_get_idx(diffs, (size_t)k));
	json_object_put(diffs);
	return n;
}
