/* Shortest-path-first over one area (RFC 2328 16.1) keeping all equal-cost
 * next hops (16.1.1), then the stub / transit network routes.
 *
 * Data layout, chosen so a 10,000-router Clos fabric runs in ~10 ms:
 * - vertices live in one array, found by an open-addressing hash on
 *   (type, id); everything refers to them by index;
 * - the candidate list is a binary heap keyed by (distance, networks first);
 * - each router vertex keeps its p2p/transit links as sorted 64-bit keys so
 *   the two-way check (16.1 step 2b) is a binary search, not a scan;
 * - next-hop sets are small sorted arrays in an arena; a vertex that merely
 *   inherits its parent's set shares the parent's (final) array. */
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/spf.h"
#include "proto/ospf/spf_priv.h"
#include "proto/ospf/lsa.h"
#include "proto/lib/bytes.h"
#include "proto/lib/cmp.h"
#include "proto/lib/vec.h"

#define SPF_DEFAULT_MAX_PATHS 64
#define NONE UINT32_MAX

enum vtype { V_ROUTER = 1, V_NETWORK = 2 };
enum vstate { VS_NEW, VS_CAND, VS_DONE, VS_BAD };

struct vtx {
	uint32_t id;
	uint32_t dist;
	const uint8_t *lsa;
	uint64_t *keys;          /* router: sorted link keys (see link_key) */
	struct spf_nexthop *nh;  /* sorted by (ifindex, addr) */
	uint32_t len;
	uint32_t heap_pos;
	uint16_t n_nh, nh_cap;   /* nh_cap 0: nh is shared, not ours to change */
	uint16_t n_keys, n_stubs;
	uint8_t type, state;
	bool direct;             /* reached straight from the root (16.1.1) */
};

/* Bump allocator for link keys and next-hop sets: nothing is freed during
 * a run; the chunks are rewound at the start of the next one. */
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct rent;

struct heap_ent {
	uint64_t key; /* dist << 1 | is_router: networks win ties (16.1 step 3) */
	uint32_t v;
};

struct spf {
	const struct spf_params *p;
	unsigned max_paths;
	struct vtx *v;
	uint32_t n_v;
	size_t cap_v;
	uint32_t *hash; /* vertex index + 1, 0 = empty */
	uint32_t hash_bits;
	struct heap_ent *heap;
	uint32_t n_heap;
	size_t cap_heap;
	struct arena_chunk *arena, *cur;
	struct spf_nexthop *scratch, *scratch2; /* max_paths entries each */
	unsigned cap_scratch;
	struct rent *ents; /* second stage */
	uint64_t *keys;    /* 2 x cap_ents: keys + radix sort buffer */
	size_t cap_ents;
	void *spare; /* a recycled result block (spf_ws_recycle) */
	size_t spare_size;
	bool oom;
};

/* A workspace is an SPF state whose buffers outlive the run: reusing them
 * saves the page faults of fresh memory on every SPF. */
struct spf_ws {
	struct spf s;
};

/* ---- arena ---- */

#define ARENA_CHUNK 65536

/* Chunks are kept across runs: `cur` walks the list, and a new chunk is
 * only malloc'ed when the list is exhausted. */
static void *arena_alloc(struct spf *s, size_t sz)
{
	sz = (sz + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	struct arena_chunk *c = s->cur;
	while (c && c->cap - c->used < sz && c->next)
		c = c->next;
	if (!c || c->cap - c->used < sz) {
		size_t cap = sz > ARENA_CHUNK ? sz : ARENA_CHUNK;
		struct arena_chunk *n = malloc(sizeof(*n) + cap);
		if (!n) {
			s->oom = true;
			return NULL;
		}
		n->cap = cap;
		n->used = 0;
		n->next = NULL;
		if (c)
			c->next = n;
		else
			s->arena = n;
		c = n;
	}
	s->cur = c;
	void *r = (char *)c->data + c->used;
	c->used += sz;
	return r;
}

static void arena_reset(struct spf *s)
{
	for (struct arena_chunk *c = s->arena; c; c = c->next)
		c->used = 0;
	s->cur = s->arena;
}

static void arena_free(struct spf *s)
{
	while (s->arena) {
		struct arena_chunk *n = s->arena->next;
		free(s->arena);
		s->arena = n;
	}
	s->cur = NULL;
}

/* ---- vertex hash ---- */

static uint32_t vhash(const struct spf *s, uint8_t type, uint32_t id)
{
	uint64_t k = ((uint64_t)type << 32 | id) * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(k >> (64 - s->hash_bits));
}

static uint32_t vfind(const struct spf *s, uint8_t type, uint32_t id)
{
	uint32_t mask = (1u << s->hash_bits) - 1;
	for (uint32_t h = vhash(s, type, id);; h = (h + 1) & mask) {
		uint32_t e = s->hash[h];
		if (!e)
			return NONE;
		if (s->v[e - 1].id == id && s->v[e - 1].type == type)
			return e - 1;
	}
}

static void vhash_put(struct spf *s, uint32_t vi)
{
	uint32_t mask = (1u << s->hash_bits) - 1;
	uint32_t h = vhash(s, s->v[vi].type, s->v[vi].id);
	while (s->hash[h])
		h = (h + 1) & mask;
	s->hash[h] = vi + 1;
}

static bool vhash_grow(struct spf *s)
{
	uint32_t bits = s->hash_bits + 1;
	uint32_t *h = calloc((size_t)1 << bits, sizeof(*h));
	if (!h)
		return false;
	free(s->hash);
	s->hash = h;
	s->hash_bits = bits;
	for (uint32_t i = 0; i < s->n_v; i++)
		vhash_put(s, i);
	return true;
}

/* ---- link keys: (type, link id) -> offset of the link in the LSA body ---- */

static uint64_t link_key(uint8_t type, uint32_t id, uint32_t off)
{
	return (uint64_t)type << 48 | (uint64_t)id << 16 | off;
}

static void sift_down(uint64_t *a, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			return;
		if (c + 1 < n && a[c + 1] > a[c])
			c++;
		if (a[i] >= a[c])
			return;
		uint64_t t = a[i];
		a[i] = a[c];
		a[c] = t;
		i = c;
	}
}

/* Heapsort: O(n log n) whatever a (possibly hostile) LSA contains. LSAs
 * built in order are common, so check that first. */
static void sort_keys(uint64_t *a, size_t n)
{
	size_t i;
	for (i = 1; i < n && a[i - 1] <= a[i]; i++)
		;
	if (i >= n)
		return;
	for (i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (i = n; i-- > 1;) {
		uint64_t t = a[0];
		a[0] = a[i];
		a[i] = t;
		sift_down(a, 0, i);
	}
}

/* Index of the first key >= (type, id) in router vertex w. */
static size_t key_lower_bound(const struct vtx *w, uint8_t type, uint32_t id)
{
	uint64_t want = link_key(type, id, 0);
	size_t lo = 0, hi = w->n_keys;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (w->keys[mid] < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool key_is(uint64_t key, uint8_t type, uint32_t id)
{
	return key >> 16 == (link_key(type, id, 0) >> 16);
}

/* Offset of the first link of this type and id in router vertex w, or NONE. */
static uint32_t find_link(const struct vtx *w, uint8_t type, uint32_t id)
{
	size_t k = key_lower_bound(w, type, id);
	if (k < w->n_keys && key_is(w->keys[k], type, id))
		return (uint32_t)(w->keys[k] & 0xffff);
	return NONE;
}

static struct lsa_router vtx_router(const struct vtx *w)
{
	struct lsa_router r = {
		.flags = w->lsa[20],
		.n_links = get16(w->lsa + 22),
		.links = w->lsa + 24,
		.links_len = w->len - 24,
	};
	return r;
}

static struct rtr_link link_at(const struct vtx *w, uint32_t off)
{
	struct lsa_router r = vtx_router(w);
	struct rtr_link l = { 0 };
	size_t o = off;
	lsa_router_next_link(&r, &o, &l);
	return l;
}

/* Index the p2p and transit links of a Router-LSA (stubs are only needed
 * in the second stage, which walks the LSA itself). */
static bool index_router(struct spf *s, struct vtx *w)
{
	struct lsa_router r;
	if (!lsa_router_parse(w->lsa, w->len, &r))
		return false;
	size_t n = 0, off = 0, at;
	struct rtr_link l;
	for (unsigned i = 0; i < r.n_links && lsa_router_next_link(&r, &off, &l); i++) {
		n += l.type == RTR_LINK_P2P || l.type == RTR_LINK_TRANSIT;
		w->n_stubs += l.type == RTR_LINK_STUB;
	}
	w->keys = n ? arena_alloc(s, n * sizeof(uint64_t)) : NULL;
	if (n && !w->keys)
		return false;
	off = 0;
	w->n_keys = 0;
	for (unsigned i = 0; i < r.n_links; i++) {
		at = off;
		if (!lsa_router_next_link(&r, &off, &l))
			break;
		if (l.type == RTR_LINK_P2P || l.type == RTR_LINK_TRANSIT)
			w->keys[w->n_keys++] = link_key(l.type, l.link_id, (uint32_t)at);
	}
	sort_keys(w->keys, w->n_keys);
	return true;
}

/* The vertex for (type, id), created from the LSDB on first sight.
 * NONE if the LSA is absent (or MaxAge: the lookup skips those) or bad. */
static uint32_t vget(struct spf *s, uint8_t type, uint32_t id)
{
	uint32_t vi = vfind(s, type, id);
	if (vi != NONE)
		return s->v[vi].state == VS_BAD ? NONE : vi;
	size_t len = 0;
	const uint8_t *lsa = s->p->lookup(s->p->ctx, type == V_ROUTER ? LSA_ROUTER : LSA_NETWORK,
					  id, type == V_ROUTER ? id : 0, &len);
	if (!lsa)
		return NONE;
	if ((s->n_v + 1) * 2 > (1u << s->hash_bits) && !vhash_grow(s))
		goto oom;
	struct vtx *nv = vec_grow(s->v, &s->cap_v, s->n_v + 1, sizeof(*nv));
	if (!nv)
		goto oom;
	s->v = nv;
	vi = s->n_v++;
	struct vtx *w = &s->v[vi];
	memset(w, 0, sizeof(*w));
	w->id = id;
	w->type = type;
	w->lsa = lsa;
	w->len = len > 0xffff ? 0xffff : (uint32_t)len;
	w->heap_pos = NONE;
	vhash_put(s, vi);

	struct lsa_network net;
	bool ok = len >= OSPF_LSA_HDR_LEN && (type == V_ROUTER ? index_router(s, w)
					      : lsa_network_parse(lsa, len, &net));
	if (!ok) {
		w->state = VS_BAD; /* malformed: treated as absent */
		return NONE;
	}
	return vi;
oom:
	s->oom = true;
	return NONE;
}

/* ---- candidate heap ---- */

static void heap_set(struct spf *s, uint32_t i, struct heap_ent e)
{
	s->heap[i] = e;
	s->v[e.v].heap_pos = i;
}

static void heap_up(struct spf *s, uint32_t i)
{
	struct heap_ent e = s->heap[i];
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;
		if (s->heap[parent].key <= e.key)
			break;
		heap_set(s, i, s->heap[parent]);
		i = parent;
	}
	heap_set(s, i, e);
}

static void heap_down(struct spf *s, uint32_t i)
{
	struct heap_ent e = s->heap[i];
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= s->n_heap)
			break;
		if (c + 1 < s->n_heap && s->heap[c + 1].key < s->heap[c].key)
			c++;
		if (e.key <= s->heap[c].key)
			break;
		heap_set(s, i, s->heap[c]);
		i = c;
	}
	heap_set(s, i, e);
}

static uint64_t heap_key(const struct vtx *w)
{
	return (uint64_t)w->dist << 1 | (w->type == V_ROUTER);
}

static bool heap_push_or_update(struct spf *s, uint32_t vi)
{
	struct vtx *w = &s->v[vi];
	if (w->heap_pos != NONE) {
		s->heap[w->heap_pos].key = heap_key(w);
		heap_up(s, w->heap_pos); /* distances only decrease */
		return true;
	}
	struct heap_ent *nh = vec_grow(s->heap, &s->cap_heap, s->n_heap + 1, sizeof(*nh));
	if (!nh)
		return false;
	s->heap = nh;
	s->heap[s->n_heap] = (struct heap_ent){ heap_key(w), vi };
	heap_up(s, s->n_heap++);
	return true;
}

static uint32_t heap_pop(struct spf *s)
{
	uint32_t vi = s->heap[0].v;
	s->v[vi].heap_pos = NONE;
	if (--s->n_heap) {
		heap_set(s, 0, s->heap[s->n_heap]);
		heap_down(s, 0);
	}
	return vi;
}

/* ---- next-hop sets ---- */

static int nh_cmp(const struct spf_nexthop *a, const struct spf_nexthop *b)
{
	return cmp_uint(key2(a->ifindex, a->addr), key2(b->ifindex, b->addr));
}

/* Union of two sorted sets into out, keeping the max lowest entries so the
 * ECMP cut is the same whatever order the paths were found in. */
size_t spf_nh_merge(const struct spf_nexthop *a, size_t na, const struct spf_nexthop *b,
		       size_t nb, struct spf_nexthop *out, size_t max)
{
	size_t i = 0, j = 0, n = 0;
	while (n < max && (i < na || j < nb)) {
		int c = i == na ? 1 : j == nb ? -1 : nh_cmp(&a[i], &b[j]);
		if (c <= 0)
			out[n] = a[i++];
		else
			out[n] = b[j++];
		if (c == 0)
			j++;
		n++;
	}
	return n;
}

/* Sort a few entries in place (insertion: sets are tiny) and drop duplicates. */
static size_t nh_normalize(struct spf_nexthop *a, size_t n, size_t max)
{
	for (size_t i = 1; i < n; i++) {
		struct spf_nexthop t = a[i];
		size_t j = i;
		for (; j > 0 && nh_cmp(&a[j - 1], &t) > 0; j--)
			a[j] = a[j - 1];
		a[j] = t;
	}
	size_t m = 0;
	for (size_t i = 0; i < n && m < max; i++)
		if (!m || nh_cmp(&a[m - 1], &a[i]))
			a[m++] = a[i];
	return m;
}

static bool vtx_set_nh(struct spf *s, struct vtx *w, const struct spf_nexthop *nh, size_t n,
		       bool shared)
{
	if (shared || n == 0) {
		w->nh = (struct spf_nexthop *)nh;
		w->n_nh = (uint16_t)n;
		w->nh_cap = 0;
		return true;
	}
	if (w->nh_cap < n) {
		size_t cap = n < 4 ? 4 : n * 2;
		if (cap > s->max_paths)
			cap = s->max_paths;
		struct spf_nexthop *a = arena_alloc(s, cap * sizeof(*a));
		if (!a)
			return false;
		w->nh = a;
		w->nh_cap = (uint16_t)cap;
	}
	memmove(w->nh, nh, n * sizeof(*nh));
	w->n_nh = (uint16_t)n;
	return true;
}

/* ---- 16.1.1: next hops of W seen from V ---- */

static const struct spf_iface *iface_by_addr(const struct spf_params *p, uint32_t addr)
{
	for (size_t i = 0; addr && i < p->n_ifaces; i++)
		if (p->ifaces[i].addr == addr)
			return &p->ifaces[i];
	return NULL;
}

static const struct spf_iface *iface_by_index(const struct spf_params *p, uint32_t ifindex)
{
	for (size_t i = 0; i < p->n_ifaces; i++)
		if (p->ifaces[i].ifindex == ifindex)
			return &p->ifaces[i];
	return NULL;
}

/* Unnumbered p2p links carry the MIB-II ifIndex in link data (A.4.2); a
 * real interface address is never below 1.0.0.0. */
static bool is_ifindex(uint32_t link_data)
{
	return link_data < 0x01000000u;
}

/* Root -> router W over our p2p link l: the outgoing interface comes from
 * our link data, the address is W's end of the link, i.e. the link data of
 * W's p2p link back to us that sits on the same subnet. */
static struct spf_nexthop nh_root_p2p(struct spf *s, const struct vtx *w, const struct rtr_link *l)
{
	const struct spf_params *p = s->p;
	const struct spf_iface *ifp = iface_by_addr(p, l->link_data);
	struct spf_nexthop nh = { 0, 0 };

	if (!ifp && is_ifindex(l->link_data)) {
		ifp = iface_by_index(p, l->link_data);
		nh.ifindex = ifp ? ifp->ifindex : l->link_data;
		return nh; /* unnumbered: the interface is the next hop */
	}
	if (ifp)
		nh.ifindex = ifp->ifindex;

	/* W's back links to the root are adjacent keys. */
	uint32_t first = NONE;
	size_t k = key_lower_bound(w, RTR_LINK_P2P, p->root);
	for (; k < w->n_keys && key_is(w->keys[k], RTR_LINK_P2P, p->root); k++) {
		struct rtr_link b = link_at(w, (uint32_t)(w->keys[k] & 0xffff));
		if (is_ifindex(b.link_data))
			continue;
		if (first == NONE)
			first = b.link_data;
		if (ifp && ifp->mask && (b.link_data & ifp->mask) == (ifp->addr & ifp->mask) &&
		    b.link_data != ifp->addr) {
			nh.addr = b.link_data;
			return nh;
		}
	}
	nh.addr = first == NONE ? 0 : first;
	return nh;
}

/* Root -> transit network: just the interface (the network is connected). */
static struct spf_nexthop nh_root_transit(struct spf *s, const struct rtr_link *l)
{
	const struct spf_iface *ifp = iface_by_addr(s->p, l->link_data);
	struct spf_nexthop nh = { 0, ifp ? ifp->ifindex : 0 };
	return nh;
}

/* 16.1 step 2d: relax the edge V -> W at this cost with these next hops.
 * `shared` means nh is V's final set and may be referenced as is. */
static bool relax(struct spf *s, uint32_t vi, uint32_t wi, uint64_t cost,
		  const struct spf_nexthop *nh, size_t n, bool shared)
{
	struct vtx *w = &s->v[wi];
	bool from_root = vi == 0; /* the root is the first vertex created */

	if (cost >= UINT32_MAX || (w->state == VS_CAND && cost > w->dist))
		return true;
	if (w->state == VS_NEW || cost < w->dist) {
		w->state = VS_CAND;
		w->dist = (uint32_t)cost;
		w->direct = from_root;
		if (!vtx_set_nh(s, w, nh, n, shared))
			return false;
		return heap_push_or_update(s, wi);
	}
	/* Equal cost: another set of paths (16.1 step 2d, 16.1.1). */
	w->direct |= from_root;
	if (w->nh == nh && w->n_nh == n)
		return true;
	size_t m = spf_nh_merge(w->nh, w->n_nh, nh, n, s->scratch2, s->max_paths);
	if (m == w->n_nh && !memcmp(s->scratch2, w->nh, m * sizeof(*nh)))
		return true;
	return vtx_set_nh(s, w, s->scratch2, m, false);
}

/* Next hops toward router W reached through network V: V's entries that
 * mean "directly attached" become W's address on the network (16.1.1).
 * (An addr-0 entry inherited over an unnumbered link at exactly the same
 * cost would be rewritten too; an oddity not worth extra state.) */
static size_t nh_via_network(struct spf *s, const struct vtx *v, uint32_t w_addr)
{
	size_t n = 0;
	for (size_t i = 0; i < v->n_nh; i++) {
		s->scratch[n] = v->nh[i];
		if (v->direct && s->scratch[n].addr == 0)
			s->scratch[n].addr = w_addr;
		n++;
	}
	return nh_normalize(s->scratch, n, s->max_paths);
}

static bool network_lists(const struct vtx *net, uint32_t rid)
{
	struct lsa_network n;
	if (!lsa_network_parse(net->lsa, net->len, &n))
		return false;
	for (size_t i = 0; i < n.n_routers; i++)
		if (lsa_network_router_at(&n, i) == rid)
			return true;
	return false;
}

/* 16.1 step 2 for a router vertex V just added to the tree. */
static bool examine_router(struct spf *s, uint32_t vi)
{
	struct lsa_router r = vtx_router(&s->v[vi]);
	bool is_root = vi == 0;
	size_t off = 0;
	struct rtr_link l;

	for (unsigned i = 0; i < r.n_links && lsa_router_next_link(&r, &off, &l); i++) {
		uint32_t wi;
		struct spf_nexthop one = { 0, 0 };
		if (l.type == RTR_LINK_P2P) {
			wi = vget(s, V_ROUTER, l.link_id);
			if (wi == NONE || s->v[wi].state == VS_DONE ||
			    find_link(&s->v[wi], RTR_LINK_P2P, s->v[vi].id) == NONE)
				continue;
			if (is_root)
				one = nh_root_p2p(s, &s->v[wi], &l);
		} else if (l.type == RTR_LINK_TRANSIT) {
			wi = vget(s, V_NETWORK, l.link_id);
			if (wi == NONE || s->v[wi].state == VS_DONE ||
			    !network_lists(&s->v[wi], s->v[vi].id))
				continue;
			if (is_root)
				one = nh_root_transit(s, &l);
		} else {
			continue; /* stubs: second stage; virtual links: no backbone here */
		}
		uint64_t cost = (uint64_t)s->v[vi].dist + l.metric;
		const struct vtx *v = &s->v[vi];
		bool ok = is_root ? relax(s, vi, wi, cost, &one, 1, false)
				  : relax(s, vi, wi, cost, v->nh, v->n_nh, true);
		if (!ok)
			return false;
	}
	return !s->oom;
}

/* 16.1 step 2 for a network vertex: edges to its routers cost 0. */
static bool examine_network(struct spf *s, uint32_t vi)
{
	struct lsa_network n;
	if (!lsa_network_parse(s->v[vi].lsa, s->v[vi].len, &n))
		return true;
	for (size_t i = 0; i < n.n_routers; i++) {
		uint32_t wi = vget(s, V_ROUTER, lsa_network_router_at(&n, i));
		if (wi == NONE || s->v[wi].state == VS_DONE)
			continue;
		uint32_t off = find_link(&s->v[wi], RTR_LINK_TRANSIT, s->v[vi].id);
		if (off == NONE)
			continue;
		const struct vtx *v = &s->v[vi];
		bool ok;
		if (v->direct) {
			uint32_t addr = link_at(&s->v[wi], off).link_data;
			size_t m = nh_via_network(s, v, addr);
			ok = relax(s, vi, wi, v->dist, s->scratch, m, false);
		} else {
			ok = relax(s, vi, wi, v->dist, v->nh, v->n_nh, true);
		}
		if (!ok)
			return false;
	}
	return !s->oom;
}

/* ---- second stage: routes ---- */

/* One candidate route: a stub of a reached router or a transit network,
 * kept small (the prefix and length live in the sort key). Its next hops
 * are the vertex's, except for our own stubs (vertex 0, the root). */
struct rent {
	uint32_t vi, cost;
};

#define KEY_IDX(k) ((size_t)((k) & 0xffffff))
#define KEY_PREFIX(k) ((uint32_t)((k) >> 32))
#define KEY_PLEN(k) ((uint8_t)((k) >> 24))

int spf_mask_plen(uint32_t mask)
{
	uint32_t inv = ~mask;
	if (inv & (inv + 1))
		return -1; /* not contiguous */
	return __builtin_popcount(mask);
}

static uint64_t rent_key(uint32_t prefix, int plen, size_t idx)
{
	return (uint64_t)prefix << 32 | (uint64_t)plen << 24 | idx;
}

/* One of our own stubs: out of the interface on that subnet, if known. */
static uint32_t root_stub_ifindex(const struct spf *s, uint32_t prefix, uint8_t plen)
{
	uint32_t mask = plen ? 0xffffffffu << (32 - plen) : 0, ifindex = 0;
	for (size_t i = 0; i < s->p->n_ifaces; i++) {
		const struct spf_iface *ifp = &s->p->ifaces[i];
		if (ifp->addr && (ifp->addr & mask) == prefix) {
			ifindex = ifp->ifindex;
			if (ifp->mask == mask)
				break;
		}
	}
	return ifindex;
}

/* Entries for router vi's stubs at e[n..], keys at k[n..]; the new n. */
static size_t stub_routes(const struct spf *s, uint32_t vi, struct rent *e, uint64_t *k, size_t n)
{
	const struct vtx *v = &s->v[vi];
	struct lsa_router r = vtx_router(v);
	size_t off = 0;
	struct rtr_link l;
	if (vi != 0 && !v->n_nh)
		return n;
	for (unsigned i = 0; i < r.n_links && lsa_router_next_link(&r, &off, &l); i++) {
		int plen = spf_mask_plen(l.link_data);
		uint64_t cost = (uint64_t)v->dist + l.metric;
		if (l.type != RTR_LINK_STUB || plen < 0 || cost >= LS_INFINITY)
			continue;
		e[n] = (struct rent){ vi, (uint32_t)cost };
		k[n] = rent_key(l.link_id & l.link_data, plen, n);
		n++;
	}
	return n;
}

static size_t network_route(const struct spf *s, uint32_t vi, struct rent *e, uint64_t *k,
			    size_t n)
{
	const struct vtx *v = &s->v[vi];
	struct lsa_network net;
	if (!lsa_network_parse(v->lsa, v->len, &net) || spf_mask_plen(net.netmask) < 0 || !v->n_nh)
		return n;
	e[n] = (struct rent){ vi, v->dist };
	k[n] = rent_key(v->id & net.netmask, spf_mask_plen(net.netmask), n);
	return n + 1;
}

/* A subnet on one of our own interfaces: our stubs and the transit
 * networks we are attached to. */
static bool rent_connected(const struct spf *s, const struct rent *e)
{
	return e->vi == 0 || (s->v[e->vi].type == V_NETWORK && s->v[e->vi].direct);
}

static uint32_t rent_adv(const struct spf *s, const struct rent *e)
{
	const struct vtx *v = &s->v[e->vi];
	return v->type == V_ROUTER ? v->id : get32(v->lsa + 8);
}

static size_t rent_n_nh(const struct spf *s, const struct rent *e)
{
	return e->vi == 0 ? 1 : s->v[e->vi].n_nh;
}

static const struct spf_nexthop *rent_nh(const struct spf *s, const struct rent *e, uint64_t key,
					 struct spf_nexthop *one)
{
	if (e->vi != 0)
		return s->v[e->vi].nh;
	*one = (struct spf_nexthop){ 0, root_stub_ifindex(s, KEY_PREFIX(key), KEY_PLEN(key)) };
	return one;
}

/* LSD radix sort of the keys on (prefix, plen), 8 bits a pass, skipping
 * digits all keys share. Returns the buffer (k or tmp) holding the result. */
static uint64_t *sort_keys_radix(uint64_t *k, uint64_t *tmp, size_t n)
{
	for (int shift = 24; shift < 64; shift += 8) {
		size_t cnt[256] = { 0 };
		for (size_t i = 0; i < n; i++)
			cnt[(k[i] >> shift) & 0xff]++;
		if (!n || cnt[(k[0] >> shift) & 0xff] == n)
			continue;
		size_t sum = 0;
		for (int d = 0; d < 256; d++) {
			size_t c = cnt[d];
			cnt[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[cnt[(k[i] >> shift) & 0xff]++] = k[i];
		uint64_t *t = k;
		k = tmp;
		tmp = t;
	}
	return k;
}

/* The winners of one prefix's group k[0..n): the cheapest, and of those
 * the connected ones if any (our own subnet beats a remote path of equal
 * cost). Returns the cost; *conn says which kind won. */
static uint32_t group_best(const struct spf *s, const struct rent *ents, const uint64_t *k,
			   size_t n, bool *conn)
{
	uint32_t best = UINT32_MAX;
	*conn = false;
	for (size_t i = 0; i < n; i++) {
		const struct rent *e = &ents[KEY_IDX(k[i])];
		if (e->cost < best) {
			best = e->cost;
			*conn = false;
		}
		if (e->cost == best)
			*conn |= rent_connected(s, e);
	}
	return best;
}

static bool rent_wins(const struct spf *s, const struct rent *e, uint32_t best, bool conn)
{
	return e->cost == best && (!conn || rent_connected(s, e));
}

/* Merge one group into route rt; its next hops (equal-cost winners
 * pooled, 16.1.1) go to nh. Returns how many. */
static size_t merge_group(struct spf *s, const struct rent *ents, const uint64_t *k, size_t n,
			  struct spf_route *rt, struct spf_nexthop *nh)
{
	bool conn;
	uint32_t best = group_best(s, ents, k, n, &conn), adv = UINT32_MAX;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		const struct rent *e = &ents[KEY_IDX(k[i])];
		if (!rent_wins(s, e, best, conn))
			continue;
		uint32_t a = rent_adv(s, e);
		if (a < adv)
			adv = a;
		struct spf_nexthop one;
		const struct spf_nexthop *enh = rent_nh(s, e, k[i], &one);
		m = spf_nh_merge(s->scratch, m, enh, rent_n_nh(s, e), s->scratch2, s->max_paths);
		memcpy(s->scratch, s->scratch2, m * sizeof(*s->scratch));
	}
	memcpy(nh, s->scratch, m * sizeof(*nh));
	*rt = (struct spf_route){ .prefix = KEY_PREFIX(k[0]), .plen = KEY_PLEN(k[0]), .cost = best,
				  .adv_router = adv, .connected = conn, .n_nh = (uint16_t)m,
				  .nh = nh };
	return m;
}

static size_t group_end(const uint64_t *k, size_t i, size_t n)
{
	size_t j = i + 1;
	while (j < n && k[j] >> 24 == k[i] >> 24)
		j++;
	return j;
}

/* Merge the sorted entries into one block: the routes, then all their
 * next hops, so spf_result_free is one free(). The block is sized from
 * an upper bound first (no growing copies), then trimmed. */
static int build_result(struct spf *s, const struct rent *ents, const uint64_t *k, size_t n,
			struct spf_result *out)
{
	size_t n_routes = 0, nh_max = 0;
	for (size_t i = 0, j; i < n; i = j) {
		bool conn;
		j = group_end(k, i, n);
		uint32_t best = group_best(s, ents, k + i, j - i, &conn);
		size_t cnt = 0;
		for (size_t x = i; x < j; x++)
			if (rent_wins(s, &ents[KEY_IDX(k[x])], best, conn))
				cnt += rent_n_nh(s, &ents[KEY_IDX(k[x])]);
		nh_max += cnt < s->max_paths ? cnt : s->max_paths;
		n_routes++;
	}
	size_t rsz = n_routes * sizeof(struct spf_route);
	size_t need = rsz + nh_max * sizeof(struct spf_nexthop) + 1;
	bool recycled = s->spare && s->spare_size >= need;
	struct spf_route *blk = recycled ? s->spare : malloc(need);
	if (!blk)
		return -1;
	if (recycled)
		s->spare = NULL;
	struct spf_nexthop *nh = (struct spf_nexthop *)(blk + n_routes);
	size_t used = 0, r = 0;
	for (size_t i = 0, j; i < n; i = j) {
		j = group_end(k, i, n);
		used += merge_group(s, ents, k + i, j - i, &blk[r++], nh + used);
	}
	if (used < nh_max && !recycled) {
		struct spf_route *nb = realloc(blk, rsz + used * sizeof(*nh) + 1);
		if (nb && nb != blk) {
			nh = (struct spf_nexthop *)(nb + n_routes);
			for (size_t i = 0, o = 0; i < n_routes; o += nb[i].n_nh, i++)
				nb[i].nh = nh + o;
		}
		if (nb)
			blk = nb;
	}
	out->routes = blk;
	out->n_routes = n_routes;
	return 0;
}

/* 16.1 second stage: the stubs of every reached router and the subnets
 * of the transit networks, sorted by (prefix, plen) and merged. */
static int routes(struct spf *s, struct spf_result *out)
{
	size_t cap = 1, n = 0;
	for (uint32_t i = 0; i < s->n_v; i++)
		if (s->v[i].state == VS_DONE)
			cap += s->v[i].type == V_ROUTER ? s->v[i].n_stubs : 1;
	if (cap >= (1u << 24))
		return -1; /* the entry index must fit in the sort key */
	if (cap > s->cap_ents) {
		free(s->ents);
		free(s->keys);
		s->ents = malloc(cap * sizeof(*s->ents));
		s->keys = malloc(2 * cap * sizeof(*s->keys));
		s->cap_ents = s->ents && s->keys ? cap : 0;
		if (!s->cap_ents)
			return -1;
	}
	struct rent *e = s->ents;
	uint64_t *k = s->keys;
	for (uint32_t i = 0; i < s->n_v; i++) {
		if (s->v[i].state != VS_DONE)
			continue;
		n = s->v[i].type == V_ROUTER ? stub_routes(s, i, e, k, n)
					     : network_route(s, i, e, k, n);
	}
	return build_result(s, e, sort_keys_radix(k, k + s->cap_ents, n), n, out);
}

/* ---- driver ---- */

/* Ready s (fresh or used before) for a run with these parameters. */
static bool spf_prepare(struct spf *s, const struct spf_params *p)
{
	s->p = p;
	s->max_paths = p->max_paths ? p->max_paths : SPF_DEFAULT_MAX_PATHS;
	if (s->max_paths > UINT16_MAX)
		s->max_paths = UINT16_MAX;
	s->n_v = s->n_heap = 0;
	s->oom = false;
	arena_reset(s);
	if (!s->hash) {
		s->hash_bits = 10;
		s->hash = calloc((size_t)1 << s->hash_bits, sizeof(*s->hash));
		if (!s->hash)
			return false;
	} else {
		memset(s->hash, 0, ((size_t)1 << s->hash_bits) * sizeof(*s->hash));
	}
	if (s->cap_scratch < s->max_paths) {
		free(s->scratch);
		free(s->scratch2);
		s->scratch = malloc(s->max_paths * sizeof(*s->scratch));
		s->scratch2 = malloc(s->max_paths * sizeof(*s->scratch2));
		s->cap_scratch = s->scratch && s->scratch2 ? s->max_paths : 0;
		if (!s->cap_scratch)
			return false;
	}
	return true;
}

static void spf_fini(struct spf *s)
{
	free(s->v);
	free(s->hash);
	free(s->heap);
	free(s->scratch);
	free(s->scratch2);
	free(s->ents);
	free(s->keys);
	free(s->spare);
	arena_free(s);
	memset(s, 0, sizeof(*s));
}

/* 16.1 first stage: Dijkstra from the root. */
static bool dijkstra(struct spf *s, size_t *n_done)
{
	uint32_t root = vget(s, V_ROUTER, s->p->root);
	*n_done = 0;
	if (root == NONE)
		return !s->oom; /* no own Router-LSA yet: nothing reachable */
	s->v[root].state = VS_CAND;
	s->v[root].dist = 0;
	if (!heap_push_or_update(s, root))
		return false;
	while (s->n_heap) {
		uint32_t vi = heap_pop(s);
		s->v[vi].state = VS_DONE;
		(*n_done)++;
		bool ok = s->v[vi].type == V_ROUTER ? examine_router(s, vi) : examine_network(s, vi);
		if (!ok)
			return false;
	}
	return true;
}

/* ---- for spf_ext.c ---- */

bool spf_router_reach(const struct spf *s, uint32_t rid, struct spf_reach *out)
{
	uint32_t vi = vfind(s, V_ROUTER, rid);
	if (vi == NONE || vi == 0 || s->v[vi].state != VS_DONE || !s->v[vi].n_nh)
		return false;
	const struct vtx *v = &s->v[vi];
	*out = (struct spf_reach){ .dist = v->dist, .flags = v->lsa[20], .n_nh = v->n_nh,
				   .nh = v->nh };
	return true;
}

const struct spf_params *spf_params_of(const struct spf *s)
{
	return s->p;
}

unsigned spf_max_paths(const struct spf *s)
{
	return s->max_paths;
}

const char *spf_path_name(enum spf_path p)
{
	static const char *const names[] = { "intra-area", "inter-area", "external-1",
					     "external-2" };
	return p <= SPF_EXT2 ? names[p] : "?";
}

int spf_run_ws(const struct spf_params *p, struct spf_ws *ws, struct spf_result *out)
{
	struct spf *s = &ws->s;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (spf_prepare(s, p) && dijkstra(s, &out->n_vertices))
		rc = routes(s, out);
	if (!rc && p->each && spf_ext_routes(s, out) < 0) {
		spf_result_free(out);
		rc = -1;
	}
	if (rc)
		memset(out, 0, sizeof(*out));
	return rc;
}

int spf_run(const struct spf_params *p, struct spf_result *out)
{
	struct spf_ws ws;
	memset(&ws, 0, sizeof(ws));
	int rc = spf_run_ws(p, &ws, out);
	spf_fini(&ws.s);
	return rc;
}

struct spf_ws *spf_ws_new(void)
{
	return calloc(1, sizeof(struct spf_ws));
}

void spf_ws_recycle(struct spf_ws *ws, struct spf_result *r)
{
	if (!ws || !r || !r->routes) {
		spf_result_free(r);
		return;
	}
	/* What the block holds at least (it may have been allocated bigger). */
	size_t sz = r->n_routes * sizeof(*r->routes) + 1;
	for (size_t i = 0; i < r->n_routes; i++)
		sz += r->routes[i].n_nh * sizeof(struct spf_nexthop);
	if (sz > ws->s.spare_size || !ws->s.spare) {
		free(ws->s.spare);
		ws->s.spare = r->routes;
		ws->s.spare_size = sz;
	} else {
		free(r->routes);
	}
	memset(r, 0, sizeof(*r));
}

void spf_ws_free(struct spf_ws *ws)
{
	if (!ws)
		return;
	spf_fini(&ws->s);
	free(ws);
}

void spf_result_free(struct spf_result *r)
{
	if (!r)
		return;
	free(r->routes); /* next hops live in the same block */
	memset(r, 0, sizeof(*r));
}

/* ---- route diff ---- */

static int route_key_cmp(const struct spf_route *a, const struct spf_route *b)
{
	return cmp_uint(key2(a->prefix, a->plen), key2(b->prefix, b->plen));
}

static bool route_same(const struct spf_route *a, const struct spf_route *b)
{
	if (a->cost != b->cost || a->n_nh != b->n_nh || a->connected != b->connected ||
	    a->path != b->path || a->type2_cost != b->type2_cost)
		return false;
	for (size_t i = 0; i < a->n_nh; i++)
		if (nh_cmp(&a->nh[i], &b->nh[i]))
			return false;
	return true;
}

void spf_result_diff(const struct spf_result *old, const struct spf_result *nw, rt_diff_fn cb,
		     void *ctx)
{
	size_t no = old ? old->n_routes : 0, nn = nw ? nw->n_routes : 0, i = 0, j = 0;
	while (i < no || j < nn) {
		int c = i == no ? 1 : j == nn ? -1 : route_key_cmp(&old->routes[i], &nw->routes[j]);
		if (c < 0) {
			cb(ctx, RT_DEL, &old->routes[i++], NULL);
		} else if (c > 0) {
			cb(ctx, RT_ADD, NULL, &nw->routes[j++]);
		} else {
			if (!route_same(&old->routes[i], &nw->routes[j]))
				cb(ctx, RT_CHANGE, &old->routes[i], &nw->routes[j]);
			i++;
			j++;
		}
	}
}
