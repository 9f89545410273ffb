/* The area's graph from the LSDB (topology.h). */
#include <stdlib.h>
#include <string.h>
#include "fabricd/show.h"
#include "fabricd/topology.h"
#include "fib/fib.h"
#include "proto/ospf/lsa.h"

/* Interface numbers given to a remote router's links when SPF runs from
 * its point of view: high enough never to be a real (unnumbered) ifindex. */
#define SYNTH_IFINDEX 0x40000000u
#define MAX_HOPS 32
#define MAX_ROUTE_PATHS 16

struct t_link {
	uint8_t type;
	uint32_t id, data;
	uint16_t metric;
};

struct t_router {
	uint32_t rid;
	struct t_link *l;
	size_t n;
	bool leaf;
};

struct t_net {
	uint32_t id, mask;
	uint32_t *rtr;
	size_t n;
};

struct topo {
	struct t_router *r;  /* sorted by router ID (the LSDB's order) */
	size_t nr;
	struct t_net *net;
	size_t nn;
	bool oom;
};

static unsigned plen_of(uint32_t mask)
{
	return (unsigned)__builtin_popcount(mask);
}

static bool is_ifindex(uint32_t link_data)
{
	return link_data < 0x01000000u; /* unnumbered: MIB-II ifIndex (A.4.2) */
}

static void add_router(struct topo *t, const struct ospf_lsa_info *l)
{
	struct lsa_router lr;
	struct rtr_link k;
	size_t off = 0;
	if (!lsa_router_parse(l->lsa, l->len, &lr))
		return;
	struct t_router *v = realloc(t->r, (t->nr + 1) * sizeof(*v));
	struct t_link *links = calloc(lr.n_links ? lr.n_links : 1, sizeof(*links));
	if (!v || !links) {
		if (v)
			t->r = v;
		free(links);
		t->oom = true;
		return;
	}
	t->r = v;
	struct t_router *r = &t->r[t->nr++];
	*r = (struct t_router){ .rid = l->hdr.adv_router, .l = links };
	while (r->n < lr.n_links && lsa_router_next_link(&lr, &off, &k))
		r->l[r->n++] = (struct t_link){ k.type, k.link_id, k.link_data, k.metric };
}

static void add_network(struct topo *t, const struct ospf_lsa_info *l)
{
	struct lsa_network nw;
	if (!lsa_network_parse(l->lsa, l->len, &nw))
		return;
	struct t_net *v = realloc(t->net, (t->nn + 1) * sizeof(*v));
	uint32_t *rtr = calloc(nw.n_routers ? nw.n_routers : 1, sizeof(*rtr));
	if (!v || !rtr) {
		if (v)
			t->net = v;
		free(rtr);
		t->oom = true;
		return;
	}
	t->net = v;
	struct t_net *n = &t->net[t->nn++];
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

/* The stub network of r that holds address a (its mask), or 0. */
static uint32_t stub_mask(const struct t_router *r, uint32_t a)
{
	for (size_t k = 0; k < r->n; k++)
		if (r->l[k].type == RTR_LINK_STUB && (a & r->l[k].data) == r->l[k].id &&
		    plen_of(r->l[k].data) < 32)
			return r->l[k].data;
	return 0;
}

/* A host subnet: a stub shorter than /30 (/30 and /31 are point-to-point
 * links, even when the link is down and only its stub is left; /32 are
 * loopbacks) that holds none of the router's link addresses. */
static bool host_subnet(const struct t_router *r, const struct t_link *s)
{
	if (plen_of(s->data) >= 30)
		return false;
	for (size_t k = 0; k < r->n; k++)
		if (r->l[k].type == RTR_LINK_P2P && !is_ifindex(r->l[k].data) &&
		    (r->l[k].data & s->data) == s->id)
			return false;
	return true;
}

static void topo_build(struct fabricd *d, struct topo *t)
{
	memset(t, 0, sizeof(*t));
	ospf_lsdb_foreach(d->ospf, now_ms(), collect, t);
	for (size_t i = 0; i < t->nr; i++)
		for (size_t k = 0; k < t->r[i].n && !t->r[i].leaf; k++)
			t->r[i].leaf = t->r[i].l[k].type == RTR_LINK_STUB &&
				       host_subnet(&t->r[i], &t->r[i].l[k]);
}

static void topo_free(struct topo *t)
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
	uint32_t a = *(const uint32_t *)key, b = ((const struct t_router *)elem)->rid;
	return a < b ? -1 : a > b;
}

static const struct t_router *find_router(const struct topo *t, uint32_t rid)
{
	return t->nr ? bsearch(&rid, t->r, t->nr, sizeof(*t->r), cmp_rid) : NULL;
}

static const struct t_net *find_net(const struct topo *t, uint32_t id)
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
	return is_ifindex(data) ? NULL : json_ip(data);
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
	if (ab && is_ifindex(ab->data)) /* unnumbered: the port's ifIndex (A.4.2) */
		json_object_object_add(o, "a_ifindex", json_object_new_int64(ab->data));
	if (ba && is_ifindex(ba->data))
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
		uint32_t mask = is_ifindex(la->data) ? 0 : stub_mask(a, la->data);
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
			const struct t_router *b = find_router(t, to);
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
			json_object_object_add(s, "prefix", json_prefix(r->l[k].id, plen_of(r->l[k].data)));
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
			const struct t_router *r = find_router(t, n->rtr[k]);
			json_object *e = json_object_new_object();
			json_object *cost = NULL;
			for (size_t m = 0; r && m < r->n && !cost; m++)
				if (r->l[m].type == RTR_LINK_TRANSIT && r->l[m].id == n->id)
					cost = json_object_new_int(r->l[m].metric);
			json_object_object_add(e, "router_id", json_ip(n->rtr[k]));
			json_object_object_add(e, "cost", cost);
			json_object_array_add(rs, e);
		}
		json_object_object_add(o, "prefix", json_prefix(n->id & n->mask, plen_of(n->mask)));
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
		ctl_buf_printf(out, "\t\"%s\" -- \"%s\" [label=\"%s\"%s];\n", jstr(l, "a"), jstr(l, "b"),
			       label, two ? "" : ", style=dashed, one_way=true");
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

/* ---- SPF from any router's point of view ---- */

/* SPF rooted at r: its links become interfaces numbered SYNTH_IFINDEX + k,
 * so each parallel link is a next hop of its own. */
static int spf_from(struct fabricd *d, const struct topo *t, const struct t_router *r,
		    struct spf_ws *ws, struct spf_result *res)
{
	struct spf_iface *ifs = calloc(r->n ? r->n : 1, sizeof(*ifs));
	size_t n = 0;
	if (!ifs)
		return -1;
	for (size_t k = 0; k < r->n; k++) {
		const struct t_link *l = &r->l[k];
		uint32_t mask = 0;
		if (l->type == RTR_LINK_P2P && !is_ifindex(l->data))
			mask = stub_mask(r, l->data);
		else if (l->type == RTR_LINK_TRANSIT && find_net(t, l->id))
			mask = find_net(t, l->id)->mask;
		else
			continue;
		ifs[n++] = (struct spf_iface){ SYNTH_IFINDEX + (uint32_t)k, l->data, mask };
	}
	struct spf_params p = { .root = r->rid, .ifaces = ifs, .n_ifaces = n,
				.max_paths = d->conf.maximum_paths ? d->conf.maximum_paths : 64,
				.lookup = ospf_lsdb_lookup, .ctx = d->ospf };
	memset(res, 0, sizeof(*res));
	int rc = ws ? spf_run_ws(&p, ws, res) : spf_run(&p, res);
	free(ifs);
	return rc;
}

/* These SPF runs happen inside one control request, on the daemon's loop:
 * past TOPOLOGY_BUDGET_MS no further one starts (the reply says what is
 * left out), so that BFD and OSPF timers are not held up on a large fabric
 * (an SPF of 544 routers takes about 2 ms, of 10,000 about 10 ms:
 * BENCHMARKS.md). */
static bool over_budget(uint64_t start)
{
	return now_ms() - start >= TOPOLOGY_BUDGET_MS;
}

/* The router a next hop of root's leads to. */
static uint32_t nh_router(struct fabricd *d, const struct topo *t, const struct t_router *root,
			  const struct spf_nexthop *h)
{
	if (h->ifindex >= SYNTH_IFINDEX && h->ifindex - SYNTH_IFINDEX < root->n &&
	    root->l[h->ifindex - SYNTH_IFINDEX].type == RTR_LINK_P2P)
		return root->l[h->ifindex - SYNTH_IFINDEX].id;
	for (size_t i = 0; h->addr && i < t->nr; i++)
		for (size_t k = 0; t->r[i].rid != root->rid && k < t->r[i].n; k++)
			if (t->r[i].l[k].type != RTR_LINK_STUB && t->r[i].l[k].data == h->addr)
				return t->r[i].rid;
	for (size_t k = 0; !h->addr && k < root->n; k++)
		if (root->l[k].type == RTR_LINK_P2P && root->l[k].data == h->ifindex)
			return root->l[k].id;
	if (root->rid == d->conf.router_id) { /* our own next hop: ask the neighbors */
		struct ospf_iter it;
		struct ospf_nbr_info nb;
		for (ospf_iter_init(&it, d->ospf); ospf_nbr_next(&it, &nb);)
			if (nb.ifindex == h->ifindex && (!h->addr || nb.addr == h->addr))
				return nb.router_id;
	}
	return 0;
}

static const struct spf_route *route_of(const struct spf_result *res, uint32_t prefix, uint8_t plen)
{
	for (size_t k = 0; k < res->n_routes; k++)
		if (res->routes[k].prefix == prefix && res->routes[k].plen == plen)
			return &res->routes[k];
	return NULL;
}

/* The route a router uses to reach another: its loopback (router ID /32)
 * if advertised, else the cheapest of its stubs. */
static const struct spf_route *route_to_router(const struct spf_result *res, uint32_t rid)
{
	const struct spf_route *best = route_of(res, rid, 32);
	if (best && !best->connected)
		return best;
	best = NULL;
	for (size_t k = 0; k < res->n_routes; k++) {
		const struct spf_route *r = &res->routes[k];
		if (r->adv_router == rid && !r->connected && (!best || r->cost < best->cost))
			best = r;
	}
	return best;
}

static json_object *via_json(struct fabricd *d, const struct topo *t, const struct t_router *root,
			     const struct spf_route *r)
{
	json_object *arr = json_object_new_array();
	for (size_t k = 0; r && k < r->n_nh; k++) {
		uint32_t rid = nh_router(d, t, root, &r->nh[k]);
		json_object_array_add(arr, rid ? json_ip(rid) : NULL);
	}
	return arr;
}

/* One row of show paths: from a to b by a's SPF result. */
static void pair_row(struct fabricd *d, const struct topo *t, const struct t_router *a,
		     const struct t_router *b, const struct spf_result *res, json_object *paths)
{
	const struct spf_route *r = route_to_router(res, b->rid);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "from", json_ip(a->rid));
	json_object_object_add(o, "to", json_ip(b->rid));
	json_object_object_add(o, "paths", json_object_new_int(r ? r->n_nh : 0));
	json_object_object_add(o, "cost", r ? json_object_new_int64(r->cost) : NULL);
	json_object_object_add(o, "prefix", r ? json_prefix(r->prefix, r->plen) : NULL);
	json_object_object_add(o, "via", via_json(d, t, a, r));
	json_object_array_add(paths, o);
}

json_object *topology_paths(struct fabricd *d, const uint32_t *from)
{
	struct topo t;
	uint64_t start = now_ms();
	topo_build(d, &t);
	if (from && !find_router(&t, *from)) {
		topo_free(&t);
		return NULL;
	}
	size_t n_leaves = 0, roots = 0, done = 0;
	for (size_t i = 0; i < t.nr; i++)
		n_leaves += t.r[i].leaf;
	bool all = n_leaves < 2; /* no host subnets anywhere: every router */
	struct spf_ws *ws = spf_ws_new();
	json_object *leaves = json_object_new_array(), *paths = json_object_new_array();
	for (size_t i = 0; i < t.nr; i++) {
		const struct t_router *a = &t.r[i];
		struct spf_result res;
		if (!all && !a->leaf)
			continue;
		json_object_array_add(leaves, json_ip(a->rid));
		if (from && a->rid != *from)
			continue;
		roots++;
		if ((done && over_budget(start)) || spf_from(d, &t, a, ws, &res) < 0)
			continue;
		done++;
		for (size_t j = 0; j < t.nr; j++)
			if (&t.r[j] != a && (all || t.r[j].leaf))
				pair_row(d, &t, a, &t.r[j], &res, paths);
		if (ws)
			spf_ws_recycle(ws, &res);
		else
			spf_result_free(&res);
	}
	if (from && !roots) { /* not a leaf: paths from it to every leaf */
		struct spf_result res;
		const struct t_router *a = find_router(&t, *from);
		roots = 1;
		if (spf_from(d, &t, a, ws, &res) == 0) {
			done = 1;
			for (size_t j = 0; j < t.nr; j++)
				if (&t.r[j] != a && (all || t.r[j].leaf))
					pair_row(d, &t, a, &t.r[j], &res, paths);
			spf_result_free(&res);
		}
	}
	if (ws)
		spf_ws_free(ws);
	topo_free(&t);
	json_object *top = json_object_new_object();
	json_object_object_add(top, "leaves", leaves);
	json_object_object_add(top, "paths", paths);
	json_object_object_add(top, "complete", json_object_new_boolean(done == roots));
	json_object_object_add(top, "sources", json_object_new_int64((int64_t)roots));
	json_object_object_add(top, "sources_done", json_object_new_int64((int64_t)done));
	return top;
}

/* ---- show route: the SPF paths hop by hop ---- */

struct spf_cache {
	uint32_t rid;
	struct spf_result res;
	bool ok;
};

struct walk {
	struct fabricd *d;
	struct topo *t;
	uint64_t start;
	uint32_t prefix;
	uint8_t plen;
	struct spf_cache *cache;
	size_t n_cache;
	uint32_t hops[MAX_HOPS];
	size_t depth;
	json_object *paths;
	bool truncated;
};

static const struct spf_result *spf_cached(struct walk *w, const struct t_router *r)
{
	for (size_t k = 0; k < w->n_cache; k++)
		if (w->cache[k].rid == r->rid)
			return w->cache[k].ok ? &w->cache[k].res : NULL;
	if (over_budget(w->start)) {
		w->truncated = true;
		return NULL;
	}
	struct spf_cache *c = realloc(w->cache, (w->n_cache + 1) * sizeof(*c));
	if (!c)
		return NULL;
	w->cache = c;
	c = &w->cache[w->n_cache++];
	c->rid = r->rid;
	c->ok = spf_from(w->d, w->t, r, NULL, &c->res) == 0;
	return c->ok ? &c->res : NULL;
}

static void emit_path(struct walk *w)
{
	if (json_object_array_length(w->paths) >= MAX_ROUTE_PATHS) {
		w->truncated = true;
		return;
	}
	json_object *p = json_object_new_array();
	for (size_t k = 0; k < w->depth; k++)
		json_object_array_add(p, json_ip(w->hops[k]));
	json_object_array_add(w->paths, p);
}

static bool on_path(const struct walk *w, uint32_t rid)
{
	for (size_t k = 0; k < w->depth; k++)
		if (w->hops[k] == rid)
			return true;
	return false;
}

/* Router `at` (already on the path) forwards by route r. */
static void walk_from(struct walk *w, const struct t_router *at, const struct spf_route *r)
{
	if (!r || r->connected || r->n_nh == 0 || at->rid == r->adv_router || w->depth >= MAX_HOPS) {
		emit_path(w);
		return;
	}
	for (size_t k = 0; k < r->n_nh && !w->truncated; k++) {
		uint32_t next = nh_router(w->d, w->t, at, &r->nh[k]);
		const struct t_router *nr = next ? find_router(w->t, next) : NULL;
		if (!nr || on_path(w, next))
			continue; /* unknown router or a loop: not a path */
		w->hops[w->depth++] = next;
		if (next == r->adv_router) {
			emit_path(w);
		} else {
			const struct spf_result *res = spf_cached(w, nr);
			if (!w->truncated) /* out of time: no half paths */
				walk_from(w, nr, res ? route_of(res, w->prefix, w->plen) : NULL);
		}
		w->depth--;
	}
}

static const struct spf_route *longest_match(const struct spf_result *res, uint32_t addr,
					     uint8_t plen)
{
	const struct spf_route *best = NULL;
	for (size_t k = 0; k < res->n_routes; k++) {
		const struct spf_route *r = &res->routes[k];
		uint32_t mask = r->plen ? 0xffffffffu << (32 - r->plen) : 0;
		if (r->plen <= plen && (addr & mask) == r->prefix && (!best || r->plen > best->plen))
			best = r;
	}
	return best;
}

json_object *topology_route(struct fabricd *d, uint32_t addr, uint8_t plen)
{
	const struct spf_route *r = longest_match(&d->routes, addr, plen);
	if (!r)
		return NULL;
	json_object *o = json_object_new_object();
	struct topo t;
	topo_build(d, &t);
	json_object_object_add(o, "query", json_prefix(addr, plen));
	json_object_object_add(o, "prefix", json_prefix(r->prefix, r->plen));
	json_object_object_add(o, "cost", json_object_new_int64(r->cost));
	json_object_object_add(o, "adv_router", json_ip(r->adv_router));
	json_object_object_add(o, "connected", json_object_new_boolean(r->connected));
	int err = 0;
	json_object_object_add(o, "installed", json_object_new_boolean(
		!r->connected && d->fib && fib_route_installed(d->fib, r->prefix, r->plen, &err)));
	json_object *nhs = json_nexthops(d, r);
	const struct t_router *self = find_router(&t, d->conf.router_id);
	for (size_t k = 0; k < r->n_nh; k++) {
		uint32_t rid = self ? nh_router(d, &t, self, &r->nh[k]) : 0;
		json_object_object_add(json_object_array_get_idx(nhs, k), "router_id",
				       rid ? json_ip(rid) : NULL);
	}
	json_object_object_add(o, "nexthops", nhs);
	struct walk w = { .d = d, .t = &t, .start = now_ms(), .prefix = r->prefix, .plen = r->plen,
			  .paths = json_object_new_array() };
	if (self) {
		w.hops[w.depth++] = self->rid;
		walk_from(&w, self, r);
	}
	json_object_object_add(o, "paths", w.paths);
	json_object_object_add(o, "paths_truncated", json_object_new_boolean(w.truncated));
	for (size_t k = 0; k < w.n_cache; k++)
		if (w.cache[k].ok)
			spf_result_free(&w.cache[k].res);
	free(w.cache);
	topo_free(&t);
	return o;
}
