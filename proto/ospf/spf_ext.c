/* Inter-area routes (RFC 2328 16.2), the routes to AS boundary routers
 * (intra-area: Router-LSA E bit; inter-area: type-4 Summary-LSAs) and the
 * AS-external routes (16.4), computed on the shortest-path tree of 16.1.
 *
 * We sit in one area, so we are never an area border router: every
 * Summary-LSA of the area is examined (16.2), and no transit areas (16.3)
 * exist. Each kind of LSA becomes a list of candidates, one per (prefix,
 * originator); sorted by prefix and preference, the best of each prefix
 * wins and equal ones pool their next hops (ECMP through several ABRs or
 * ASBRs). A prefix with a route of a better path type is left alone
 * (intra > inter > E1 > E2). */
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/spf_priv.h"
#include "proto/ospf/lsa.h"
#include "proto/lib/vec.h"
#include "proto/lib/cmp.h"

struct cand {
	uint64_t key; /* prefix << 8 | plen */
	uint8_t path;
	bool use_one; /* next hop `one` rather than nh[] */
	uint16_t n_nh;
	uint32_t cost, type2, adv;
	const struct spf_nexthop *nh;
	struct spf_nexthop one;
};

/* Routes sorted by (prefix, plen), each with its own next-hop array. */
struct rtab {
	struct spf_route *r;
	size_t n, cap;
};

struct ext {
	struct spf *s;
	const struct spf_params *p;
	const struct spf_result *intra;
	struct rtab inter, asbr, external;
	struct cand *c;
	size_t n_c, cap_c;
	uint8_t type; /* of the LSAs being collected */
	struct spf_nexthop *tmp, *tmp2;
	bool oom;
};

static uint64_t key_of(uint32_t prefix, uint8_t plen)
{
	return (uint64_t)prefix << 8 | plen;
}

static uint32_t plen_mask(uint8_t plen)
{
	return plen ? 0xffffffffu << (32 - plen) : 0;
}

static void cand_add(struct ext *x, const struct cand *c)
{
	struct cand *n = VEC_PUSH(x->c, x->n_c, x->cap_c);
	if (n)
		*n = *c;
	else
		x->oom = true;
}

/* Exact (prefix, plen) in a sorted route array, or NULL. */
static const struct spf_route *route_find(const struct spf_route *r, size_t n, uint32_t prefix,
					  uint8_t plen)
{
	uint64_t want = key_of(prefix, plen);
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		uint64_t k = key_of(r[mid].prefix, r[mid].plen);
		if (k == want)
			return &r[mid];
		if (k < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct spf_route *intra_find(const struct ext *x, uint32_t prefix, uint8_t plen)
{
	return route_find(x->intra->routes, x->intra->n_routes, prefix, plen);
}

static const struct spf_route *inter_find(const struct ext *x, uint32_t prefix, uint8_t plen)
{
	return route_find(x->inter.r, x->inter.n, prefix, plen);
}

/* ---- resolving candidates into routes ---- */

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = cmp_uint(x->key, y->key);
	if (!c) /* E2: the external metric (type2) before the cost (16.4 (6)) */
		c = cmp_uint(key2(x->path, x->type2), key2(y->path, y->type2));
	return c ? c : cmp_uint(x->cost, y->cost);
}

static bool same_pref(const struct cand *a, const struct cand *b)
{
	return a->path == b->path && a->type2 == b->type2 && a->cost == b->cost;
}

static bool rtab_push(struct ext *x, struct rtab *t, const struct spf_route *r)
{
	struct spf_route *n = vec_grow(t->r, &t->cap, t->n + 1, sizeof(*n));
	if (!n)
		return false;
	t->r = n;
	struct spf_nexthop *nh = malloc(r->n_nh * sizeof(*nh));
	if (!nh)
		return false;
	memcpy(nh, r->nh, r->n_nh * sizeof(*nh));
	t->r[t->n] = *r;
	t->r[t->n++].nh = nh;
	return true;
}

static void rtab_free(struct rtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->r[i].nh);
	free(t->r);
	memset(t, 0, sizeof(*t));
}

/* The route of one prefix from its sorted candidates c[0..n): the first
 * is the best; every candidate as good pools its next hops. */
static bool resolve_group(struct ext *x, const struct cand *c, size_t n, struct rtab *out)
{
	unsigned max = spf_max_paths(x->s);
	size_t m = 0;
	uint32_t adv = UINT32_MAX;
	for (size_t i = 0; i < n && same_pref(&c[0], &c[i]); i++) {
		const struct spf_nexthop *nh = c[i].use_one ? &c[i].one : c[i].nh;
		m = spf_nh_merge(x->tmp, m, nh, c[i].use_one ? 1 : c[i].n_nh, x->tmp2, max);
		memcpy(x->tmp, x->tmp2, m * sizeof(*x->tmp));
		if (c[i].adv < adv)
			adv = c[i].adv;
	}
	if (!m)
		return true;
	struct spf_route r = { .prefix = (uint32_t)(c[0].key >> 8), .plen = (uint8_t)c[0].key,
			       .cost = c[0].cost, .adv_router = adv, .path = c[0].path,
			       .type2_cost = c[0].type2, .n_nh = (uint16_t)m, .nh = x->tmp };
	return rtab_push(x, out, &r);
}

/* Turn the collected candidates into routes in out (sorted), leaving out
 * the prefixes `better` says already have a route of a preferred type. */
static void resolve(struct ext *x, struct rtab *out,
		    bool (*better)(const struct ext *x, uint32_t prefix, uint8_t plen))
{
	if (x->oom || !x->n_c)
		return;
	qsort(x->c, x->n_c, sizeof(*x->c), cand_cmp);
	for (size_t i = 0, j; i < x->n_c; i = j) {
		for (j = i + 1; j < x->n_c && x->c[j].key == x->c[i].key; j++)
			;
		uint32_t prefix = (uint32_t)(x->c[i].key >> 8);
		uint8_t plen = (uint8_t)x->c[i].key;
		if (better && better(x, prefix, plen))
			continue;
		if (!resolve_group(x, &x->c[i], j - i, out)) {
			x->oom = true;
			return;
		}
	}
	x->n_c = 0;
}

static bool has_intra(const struct ext *x, uint32_t prefix, uint8_t plen)
{
	return intra_find(x, prefix, plen) != NULL;
}

static bool has_intra_or_inter(const struct ext *x, uint32_t prefix, uint8_t plen)
{
	return intra_find(x, prefix, plen) || inter_find(x, prefix, plen);
}

/* ---- 16.2: Summary-LSAs ---- */

static void summary_cb(void *arg, const uint8_t *lsa, size_t len)
{
	struct ext *x = arg;
	struct lsa_hdr h;
	struct lsa_summary sum;
	struct spf_reach br;
	lsa_hdr_decode(lsa, &h);
	/* (1) LSInfinity, (2) our own, (3) the border router must be a
	 * reachable ABR of the area. */
	if (!lsa_summary_parse(lsa, len, &sum) || sum.metric >= LS_INFINITY ||
	    h.adv_router == x->p->root || !spf_router_reach(x->s, h.adv_router, &br) ||
	    !(br.flags & RTR_FLAG_B))
		return;
	struct cand c = { .path = SPF_INTER, .cost = br.dist + sum.metric, .adv = h.adv_router,
			  .nh = br.nh, .n_nh = br.n_nh };
	if (x->type == LSA_SUMMARY) {
		int plen = spf_mask_plen(sum.netmask);
		if (plen < 0)
			return;
		c.key = key_of(h.ls_id & sum.netmask, (uint8_t)plen);
	} else {
		if (h.ls_id == x->p->root)
			return;
		c.key = key_of(h.ls_id, 32);
	}
	cand_add(x, &c);
}

/* An AS boundary router: intra-area (its Router-LSA has the E bit), else
 * through the best type-4 Summary-LSAs. */
static bool asbr_reach(const struct ext *x, uint32_t rid, uint32_t *cost,
		       const struct spf_nexthop **nh, uint16_t *n_nh)
{
	struct spf_reach r;
	if (spf_router_reach(x->s, rid, &r) && (r.flags & RTR_FLAG_E)) {
		*cost = r.dist;
		*nh = r.nh;
		*n_nh = r.n_nh;
		return true;
	}
	const struct spf_route *a = route_find(x->asbr.r, x->asbr.n, rid, 32);
	if (!a)
		return false;
	*cost = a->cost;
	*nh = a->nh;
	*n_nh = a->n_nh;
	return true;
}

/* ---- 16.4: AS-external-LSAs ---- */

static bool own_address(const struct ext *x, uint32_t addr)
{
	for (size_t i = 0; i < x->p->n_ifaces; i++)
		if (x->p->ifaces[i].addr == addr)
			return true;
	return false;
}

/* 16.4 (3): the intra- or inter-area route that best matches a forwarding
 * address (longest prefix), or NULL. */
static const struct spf_route *fwd_route(const struct ext *x, uint32_t addr)
{
	for (int plen = 32; plen >= 0; plen--) {
		uint32_t prefix = addr & plen_mask((uint8_t)plen);
		const struct spf_route *r = intra_find(x, prefix, (uint8_t)plen);
		if (!r)
			r = inter_find(x, prefix, (uint8_t)plen);
		if (r)
			return r;
	}
	return NULL;
}

/* Next hops and distance X towards a forwarding address: through the route
 * to it; on one of our own subnets the address itself is the next hop. */
static bool via_fwd_addr(const struct ext *x, uint32_t fa, struct cand *c)
{
	const struct spf_route *r = fwd_route(x, fa);
	if (!r || !r->n_nh || own_address(x, fa))
		return false;
	c->cost = r->cost;
	if (r->connected) {
		c->use_one = true;
		c->one = (struct spf_nexthop){ fa, r->nh[0].ifindex };
	} else {
		c->nh = r->nh;
		c->n_nh = r->n_nh;
	}
	return true;
}

static void external_cb(void *arg, const uint8_t *lsa, size_t len)
{
	struct ext *x = arg;
	struct lsa_hdr h;
	struct lsa_external e;
	lsa_hdr_decode(lsa, &h);
	if (!lsa_external_parse(lsa, len, &e) || e.metric >= LS_INFINITY ||
	    h.adv_router == x->p->root)
		return;
	int plen = spf_mask_plen(e.netmask);
	struct cand c = { .adv = h.adv_router };
	uint32_t asbr_cost;
	if (plen < 0 || !asbr_reach(x, h.adv_router, &asbr_cost, &c.nh, &c.n_nh))
		return;
	c.cost = asbr_cost;
	if (e.fwd_addr && !via_fwd_addr(x, e.fwd_addr, &c))
		return;
	c.key = key_of(h.ls_id & e.netmask, (uint8_t)plen);
	if (e.e2) {
		c.path = SPF_EXT2;
		c.type2 = e.metric;
	} else {
		c.path = SPF_EXT1;
		c.cost += e.metric;
	}
	cand_add(x, &c);
}

/* ---- the merged result ---- */

static size_t nh_total(const struct spf_route *r, size_t n)
{
	size_t t = 0;
	for (size_t i = 0; i < n; i++)
		t += r[i].n_nh;
	return t;
}

/* The smallest next route of the three sorted (disjoint) lists. */
static const struct spf_route *next_of(const struct spf_route *const src[3], const size_t n[3],
				       size_t at[3])
{
	int best = -1;
	for (int k = 0; k < 3; k++) {
		if (at[k] == n[k])
			continue;
		const struct spf_route *r = &src[k][at[k]];
		if (best < 0 || key_of(r->prefix, r->plen) <
					key_of(src[best][at[best]].prefix, src[best][at[best]].plen))
			best = k;
	}
	return best < 0 ? NULL : &src[best][at[best]++];
}

/* One block, routes then next hops, as spf_result_free() expects. */
static int merge_result(struct ext *x, struct spf_result *res)
{
	const struct spf_route *src[3] = { res->routes, x->inter.r, x->external.r };
	size_t n[3] = { res->n_routes, x->inter.n, x->external.n }, at[3] = { 0, 0, 0 };
	size_t nr = n[0] + n[1] + n[2];
	size_t nnh = nh_total(src[0], n[0]) + nh_total(src[1], n[1]) + nh_total(src[2], n[2]);
	struct spf_route *blk = malloc(nr * sizeof(*blk) + nnh * sizeof(struct spf_nexthop) + 1);
	if (!blk)
		return -1;
	struct spf_nexthop *nh = (struct spf_nexthop *)(blk + nr);
	const struct spf_route *r;
	for (size_t i = 0; (r = next_of(src, n, at)); i++) {
		blk[i] = *r;
		blk[i].nh = nh;
		memcpy(nh, r->nh, r->n_nh * sizeof(*nh));
		nh += r->n_nh;
	}
	free(res->routes);
	res->routes = blk;
	res->n_routes = nr;
	return 0;
}

static void ext_free(struct ext *x)
{
	rtab_free(&x->inter);
	rtab_free(&x->asbr);
	rtab_free(&x->external);
	free(x->c);
	free(x->tmp);
	free(x->tmp2);
}

static void collect(struct ext *x, uint8_t type, spf_lsa_fn fn)
{
	x->type = type;
	x->p->each(x->p->ctx, type, fn, x);
}

int spf_ext_routes(struct spf *s, struct spf_result *res)
{
	struct ext x = { .s = s, .p = spf_params_of(s), .intra = res };
	unsigned max = spf_max_paths(s);
	x.tmp = malloc(max * sizeof(*x.tmp));
	x.tmp2 = malloc(max * sizeof(*x.tmp2));
	int rc = -1;
	if (!x.tmp || !x.tmp2)
		goto out;
	collect(&x, LSA_SUMMARY, summary_cb); /* 16.2 */
	resolve(&x, &x.inter, has_intra);
	collect(&x, LSA_ASBR_SUMMARY, summary_cb);
	resolve(&x, &x.asbr, NULL);
	collect(&x, LSA_EXTERNAL, external_cb); /* 16.4 */
	resolve(&x, &x.external, has_intra_or_inter);
	if (x.oom)
		goto out;
	rc = x.inter.n + x.external.n ? merge_result(&x, res) : 0;
out:
	ext_free(&x);
	return rc;
}
