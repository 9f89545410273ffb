/* The area's graph from the LSDB (topology.h): show topology as JSON and
 * DOT. */
#include <stdlib.h>
#include <string.h>
#include "fabricd/show.h"
#include "fabricd/topology.h"
#include "proto/ospf/lsa.h"
#include "proto/lib/cmp.h"
#include "proto/lib/vec.h"

static void add_router(struct topo *t, const struct ospf_lsa_info *l)
{
	struct lsa_router lr;
	struct rtr_link k;
	size_t off = 0;
	if (!lsa_router_parse(l->lsa, l->len, &lr))
		return;
	struct t_link *links = calloc(lr.n_links ? lr.n_links : 1, sizeof(*links));
	struct t_router *r = links ? VEC_PUSH(t->r, t->nr, t->cap_r) : NULL;
	if (!r) {
		free(links);
		t->oom = true;
		return;
	}
	*r = (struct t_router){ .rid = l->hdr.adv_router, .l = links };
	while (r->n < lr.n_links && lsa_router_next_link(&lr, &off, &k))
		r->l[r->n++] = (struct t_link){ k.type, k.link_id, k.link_data, k.metric };
}

static void add_network(struct topo *t, const struct ospf_lsa_info *l)
{
	struct lsa_network nw;
	if (!lsa_network_parse(l->lsa, l->len, &nw))
		return;
	uint32_t *rtr = calloc(nw.n_routers ? nw.n_routers : 1, sizeof(*rtr));
	struct t_net *n = rtr ? VEC_PUSH(t->net, t->nn, t->cap_net) : NULL;
	if (!n) {
		free(rtr);
		t->oom = true;
		return;
	}
	*n = (struct t_net){ .id = l->hdr.ls_id, .mask = nw.netmask, .rtr = rtr, .n = nw.n_routers };
	for (size_t k = 0; k < nw.n_routers; k++)
		rtr[k] = lsa_network_router_at(&nw, k);
}

static void collect(void *ctx, const struct ospf_lsa_info *l)
{
	if (l->hdr.age >= MAX_AGE)
		return;
	if (l->hdr.type == LSA_ROUTER && l->hdr.ls_id == l->hdr.adv_router)
		add_router(ctx, l);
	else if (l->hdr.type == LSA_NETWORK)
		add_network(ctx, l);
}

uint32_t topo_stub_mask(const struct t_router *r, uint32_t a)
{
	for (size_t k = 0; k < r->n; k++)
		if (r->l[k].type == RTR_LINK_STUB && (a & r->l[k].data) == r->l[k].id &&
		    topo_plen(r->l[k].data) < 32)
			return r->l[k].data;
	return 0;
}

/* A host subnet: a stub shorter than /30 (/30 and /31 are point-to-point
 * links, even when the link is down and only its stub is left; /32 are
 * loopbacks) that holds none of the router's link addresses. */
static bool host_subnet(const struct t_router *r, const struct t_link *s)
{
	if (topo_plen(s->data) >= 30)
		return false;
	for (size_t k = 0; k < r->n; k++)
		if (r->l[k].type == RTR_LINK_P2P && !topo_is_ifindex(r->l[k].data) &&
		    (r->l[k].data & s->data) == s->id)
			return false;
	return true;
}

void topo_build(struct fabricd *d, struct topo *t)
{
	memset(t, 0, sizeof(*t));
	ospf_lsdb_foreach(d->ospf, now_ms(), collect, t);
	for (size_t i = 0; i < t->nr; i++)
		for (size_t k = 0; k < t->r[i].n && !t->r[i].leaf; k++)
			t->r[i].leaf = t->r[i].l[k].type == RTR_LINK_STUB &&
				       host_subnet(&t->r[i], &t->r[i].l[k]);
}

void topo_free(struct topo *t)
{
	for (size_t i = 0; i < t->nr; i++)
		free(t->r[i].l);
	for (size_t i = 0; i < t->nn; i++)
		free(t->net[i].rtr);
	free(t->r);
	free(t->net);
}

static int cmp_rid(const void *key, const void *elem)
{
	return cmp_uint(*(const uint32_t *)key, ((const struct t_router *)elem)->rid);
}

const struct t_router *topo_router(const struct topo *t, uint32_t rid)
{
	return t->nr ? bsearch(&rid, t->r, t->nr, sizeof(*t->r), cmp_rid) : NULL;
}

const struct t_net *topo_net(const struct topo *t, uint32_t id)
{
	for (size_t i = 0; i < t->nn; i++)
		if (t->net[i].id == id)
			return &t->net[i];
	return NULL;
}

static size_t links_to(const struct t_router *r, uint32_t to)
{
	size_t n = 0;
	for (size_t k = 0; r && k < r->n; k++)
		n += r->l[k].type == RTR_LINK_P2P && r->l[k].id == to;
	return n;
}

/* ---- show topology ---- */

static json_object *link_addr(uint32_t data)
{
	return topo_is_ifindex(data) ? NULL : json_ip(data);
}

static void add_edge(json_object *arr, uint32_t a, uint32_t b, const struct t_link *ab,
		     const struct t_link *ba)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "a", json_ip(a));
	json_object_object_add(o, "b", json_ip(b));
	json_object_object_add(o, "cost_ab", ab ? json_object_new_int(ab->metric) : NULL);
	json_object_object_add(o, "cost_ba", ba ? json_object_new_int(ba->metric) : NULL);
	json_object_object_add(o, "a_address", ab ? link_addr(ab->data) : NULL);
	json_object_object_add(o, "b_address", ba ? link_addr(ba->data) : NULL);
	json_object_object_add(o, "two_way", json_object_new_boolean(ab && ba));
	if (ab && topo_is_ifindex(ab->data)) /* unnumbered: the port's ifIndex (A.4.2) */
		json_object_object_add(o, "a_ifindex", json_object_new_int64(ab->data));
	if (ba && topo_is_ifindex(ba->data))
		json_object_object_add(o, "b_ifindex", json_object_new_int64(ba->data));
	json_object_array_add(arr, o);
}

/* Every point-to-point link between a and b, each direction paired with
 * the other's link on the same subnet (parallel links), else in order. */
static void pair_links(json_object *arr, const struct t_router *a, const struct t_router *b,
		       uint32_t b_rid)
{
	size_t nb = b ? b->n : 0;
	bool *used = calloc(nb ? nb : 1, sizeof(*used));
	if (!used)
		return;
	for (size_t k = 0; k < a->n; k++) {
		const struct t_link *la = &a->l[k], *match = NULL;
		if (la->type != RTR_LINK_P2P || la->id != b_rid)
			continue;
		uint32_t mask = topo_is_ifindex(la->data) ? 0 : topo_stub_mask(a, la->data);
		for (size_t m = 0; m < nb && !match; m++) {
			const struct t_link *lb = &b->l[m];
			if (!used[m] && lb->type == RTR_LINK_P2P && lb->id == a->rid && mask &&
			    (lb->data & mask) == (la->data & mask))
				match = lb, used[m] = true;
		}
		for (size_t m = 0; m < nb && !match; m++) {
			const struct t_link *lb = &b->l[m];
			if (!used[m] && lb->type == RTR_LINK_P2P && lb->id == a->rid)
				match = lb, used[m] = true;
		}
		add_edge(arr, a->rid, b_rid, la, match);
	}
	for (size_t m = 0; m < nb; m++)
		if (!used[m] && b->l[m].type == RTR_LINK_P2P && b->l[m].id == a->rid)
			add_edge(arr, a->rid, b_rid, NULL, &b->l[m]);
	free(used);
}

static json_object *links_json(const struct topo *t)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < t->nr; i++) {
		const struct t_router *a = &t->r[i];
		for (size_t k = 0; k < a->n; k++) {
			uint32_t to = a->l[k].id;
			const struct t_router *b = topo_router(t, to);
			if (a->l[k].type != RTR_LINK_P2P || to == a->rid)
				continue;
			/* Each pair once: from the lower router ID when it has a
			 * link to the other, from its first link to it. */
			if (b && b->rid < a->rid && links_to(b, a->rid))
				continue;
			bool first = true;
			for (size_t m = 0; m < k; m++)
				if (a->l[m].type == RTR_LINK_P2P && a->l[m].id == to)
					first = false;
			if (first)
				pair_links(arr, a, b, to);
		}
	}
	return arr;
}

static json_object *routers_json(const struct topo *t)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < t->nr; i++) {
		const struct t_router *r = &t->r[i];
		json_object *o = json_object_new_object(), *stubs = json_object_new_array();
		for (size_t k = 0; k < r->n; k++) {
			if (r->l[k].type != RTR_LINK_STUB)
				continue;
			json_object *s = json_object_new_object();
			json_object_object_add(s, "prefix", json_prefix(r->l[k].id, topo_plen(r->l[k].data)));
			json_object_object_add(s, "cost", json_object_new_int(r->l[k].metric));
			json_object_array_add(stubs, s);
		}
		json_object_object_add(o, "router_id", json_ip(r->rid));
		json_object_object_add(o, "leaf", json_object_new_boolean(r->leaf));
		json_object_object_add(o, "stubs", stubs);
		json_object_array_add(arr, o);
	}
	return arr;
}

static json_object *networks_json(const struct topo *t)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < t->nn; i++) {
		const struct t_net *n = &t->net[i];
		json_object *o = json_object_new_object(), *rs = json_object_new_array();
		for (size_t k = 0; k < n->n; k++) {
			const struct t_router *r = topo_router(t, n->rtr[k]);
			json_object *e = json_object_new_object();
			json_object *cost = NULL;
			for (size_t m = 0; r && m < r->n && !cost; m++)
				if (r->l[m].type == RTR_LINK_TRANSIT && r->l[m].id == n->id)
					cost = json_object_new_int(r->l[m].metric);
			json_object_object_add(e, "router_id", json_ip(n->rtr[k]));
			json_object_object_add(e, "cost", cost);
			json_object_array_add(rs, e);
		}
		json_object_object_add(o, "prefix", json_prefix(n->id & n->mask, topo_plen(n->mask)));
		json_object_object_add(o, "dr_address", json_ip(n->id));
		json_object_object_add(o, "routers", rs);
		json_object_array_add(arr, o);
	}
	return arr;
}

json_object *topology_json(struct fabricd *d)
{
	struct topo t;
	topo_build(d, &t);
	json_object *top = json_object_new_object();
	json_object_object_add(top, "router_id", json_ip(d->conf.router_id));
	json_object_object_add(top, "area", json_ip(d->conf.area));
	json_object_object_add(top, "routers", routers_json(&t));
	json_object_object_add(top, "links", links_json(&t));
	json_object_object_add(top, "networks", networks_json(&t));
	if (t.oom)
		json_object_object_add(top, "error", json_object_new_string("out of memory: incomplete"));
	topo_free(&t);
	return top;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v = NULL;
	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : NULL;
}

static json_object *jarr(json_object *o, const char *key)
{
	json_object *v = NULL;
	json_object_object_get_ex(o, key, &v);
	return json_object_is_type(v, json_type_array) ? v : NULL;
}

/* Nodes are named by router ID, so the output is also a cabling plan that
 * `fabricctl check topology` reads back. */
void topology_dot(struct ctl_buf *out, json_object *topo)
{
	json_object *rs = jarr(topo, "routers"), *ls = jarr(topo, "links"), *ns = jarr(topo, "networks");
	ctl_buf_printf(out, "graph \"area %s\" {\n", jstr(topo, "area") ? jstr(topo, "area") : "?");
	ctl_buf_puts(out, "\tnode [shape=box, style=rounded];\n");
	for (size_t k = 0; rs && k < json_object_array_length(rs); k++) {
		json_object *r = json_object_array_get_idx(rs, k), *leaf = NULL;
		json_object_object_get_ex(r, "leaf", &leaf);
		ctl_buf_printf(out, "\t\"%s\"%s;\n", jstr(r, "router_id"),
			       json_object_get_boolean(leaf) ? " [style=\"rounded,filled\", fillcolor=lightblue]" : "");
	}
	for (size_t k = 0; ls && k < json_object_array_length(ls); k++) {
		json_object *l = json_object_array_get_idx(ls, k);
		const char *ab = jstr(l, "cost_ab"), *ba = jstr(l, "cost_ba");
		bool two = ab && ba;
		char label[32];
		if (two && strcmp(ab, ba))
			snprintf(label, sizeof(label), "%s / %s", ab, ba);
		else
			snprintf(label, sizeof(label), "%s", ab ? ab : ba ? ba : "?");
		/* cost=N (the same both ways) makes the output a plan that
		 * check topology also holds the costs to */
		ctl_buf_printf(out, "\t\"%s\" -- \"%s\" [label=\"%s\"%s%s%s];\n", jstr(l, "a"),
			       jstr(l, "b"), label, two && !strcmp(ab, ba) ? ", cost=" : "",
			       two && !strcmp(ab, ba) ? ab : "", two ? "" : ", style=dashed, one_way=true");
	}
	for (size_t k = 0; ns && k < json_object_array_length(ns); k++) {
		json_object *n = json_object_array_get_idx(ns, k), *ms = jarr(n, "routers");
		ctl_buf_printf(out, "\t\"net %s\" [shape=ellipse, network=\"%s\"];\n", jstr(n, "prefix"),
			       jstr(n, "prefix"));
		for (size_t m = 0; ms && m < json_object_array_length(ms); m++) {
			json_object *e = json_object_array_get_idx(ms, m);
			ctl_buf_printf(out, "\t\"%s\" -- \"net %s\" [label=\"%s\"];\n", jstr(e, "router_id"),
				       jstr(n, "prefix"), jstr(e, "cost") ? jstr(e, "cost") : "?");
		}
	}
	ctl_buf_puts(out, "}\n");
}
