/* SPF from any router's point of view over our LSDB (topology.h): show
 * paths between leaves, and the SPF paths of show route hop by hop. */
#include <stdlib.h>
#include <string.h>
#include "fabricd/show.h"
#include "fabricd/topology.h"
#include "fib/fib.h"
#include "proto/ospf/lsa.h"
#include "proto/lib/vec.h"

/* Interface numbers given to a remote router's links when SPF runs from
 * its point of view: high enough never to be a real (unnumbered) ifindex. */
#define SYNTH_IFINDEX 0x40000000u
#define MAX_HOPS 32
#define MAX_ROUTE_PATHS 16

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
		if (l->type == RTR_LINK_P2P && !topo_is_ifindex(l->data))
			mask = topo_stub_mask(r, l->data);
		else if (l->type == RTR_LINK_TRANSIT && topo_net(t, l->id))
			mask = topo_net(t, l->id)->mask;
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
	if (from && !topo_router(&t, *from)) {
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
		const struct t_router *a = topo_router(&t, *from);
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
	size_t n_cache, cap_cache;
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
	struct spf_cache *c = VEC_PUSH(w->cache, w->n_cache, w->cap_cache);
	if (!c)
		return NULL;
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
		const struct t_router *nr = next ? topo_router(w->t, next) : NULL;
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
	const struct t_router *self = topo_router(&t, d->conf.router_id);
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
