/* We as AS boundary router (RFC 2328 12.4.4, A.4.5): the routes the daemon
 * hands us from outside OSPF become AS-external-LSAs; a route that goes is
 * flushed (14.1); refresh at LSRefreshTime is the LSDB's (lsdb_tick). New
 * instances keep MinLSArrival apart, as the Router-LSA's do. */
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/ospf_priv.h"
#include "proto/lib/cmp.h"

/* The Link State ID of each wanted route, and which route it stands for. */
struct ext_id {
	uint32_t id;
	size_t idx;
};

static uint32_t mask_of(uint8_t plen)
{
	return plen ? 0xffffffffu << (32 - plen) : 0;
}

static int route_cmp(const void *a, const void *b)
{
	const struct ospf_ext_route *x = a, *y = b;
	return cmp_uint(key2(x->prefix, x->plen), key2(y->prefix, y->plen));
}

static int id_cmp(const void *a, const void *b)
{
	const struct ext_id *x = a, *y = b;
	int c = cmp_uint(x->id, y->id);
	return c ? c : cmp_uint(x->idx, y->idx);
}

/* Appendix E: a route's Link State ID is its network number; a second
 * route with the same network number and a longer mask takes the
 * network's host-bits-set address instead. Two routes that still collide:
 * the first keeps the ID, the other is not announced (n_out says how many
 * remain). Sorted by ID for lookups. */
static struct ext_id *ext_ids(const struct ospf *o, size_t *n_out)
{
	struct ext_id *ids = xcalloc(o->n_ext + 1, sizeof(*ids));
	for (size_t i = 0; i < o->n_ext; i++) {
		const struct ospf_ext_route *r = &o->ext[i];
		bool second = i > 0 && o->ext[i - 1].prefix == r->prefix;
		ids[i] = (struct ext_id){ second ? r->prefix | ~mask_of(r->plen) : r->prefix, i };
	}
	qsort(ids, o->n_ext, sizeof(*ids), id_cmp);
	size_t m = 0;
	for (size_t i = 0; i < o->n_ext; i++)
		if (!m || ids[m - 1].id != ids[i].id)
			ids[m++] = ids[i];
	*n_out = m;
	return ids;
}

static const struct ext_id *ext_id_find(const struct ext_id *ids, size_t n, uint32_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ids[mid].id == id)
			return &ids[mid];
		if (ids[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Originate route r under Link State ID id (force: even if the database
 * holds the same body, 13.4). */
static void ext_originate_one(struct ospf *o, const struct ospf_ext_route *r, uint32_t id,
			      uint64_t now, bool force)
{
	uint8_t buf[OSPF_LSA_HDR_LEN + 16];
	if (seq_wrap_pending(o, LSA_EXTERNAL, id, now))
		return;
	struct lsa_hdr h = next_hdr(o, LSA_EXTERNAL, id);
	struct lsa_external x = { .netmask = mask_of(r->plen), .e2 = r->e2, .metric = r->metric,
				  .fwd_addr = r->fwd_addr, .tag = r->tag };
	size_t len = lsa_external_build(buf, sizeof(buf), &h, &x);
	if (len && (force || !same_as_db(o, buf, len))) {
		originate_install(o, buf, len, now);
		o->ext_last_ms = now;
	}
}

void ext_originate(struct ospf *o, uint64_t now)
{
	size_t n;
	o->ext_deadline = NEVER;
	if (o->shutting_down)
		return;
	struct ext_id *ids = ext_ids(o, &n);
	/* RFC 1765 2.2, 2.3.2: in OverflowState only the default route is
	 * announced; the others are flushed and wait for the state to end. */
	for (size_t i = 0; i < n; i++)
		if (!o->overflow || !ids[i].id)
			ext_originate_one(o, &o->ext[ids[i].idx], ids[i].id, now, false);
	/* 14.1: ours that are no longer wanted leave the routing domain. */
	for (size_t i = 0; i < o->db.n; i++) {
		struct lsdb_entry *e = o->db.e[i];
		if (e->hdr.type == LSA_EXTERNAL && lsdb_is_self(o, &e->hdr) &&
		    e->hdr.age < MAX_AGE &&
		    (!ext_id_find(ids, n, e->hdr.ls_id) || lsa_is_nondefault_ext_held(o, &e->hdr))) {
			lsdb_flush_self(o, e, now);
			/* A flush is an instance too: one that follows it sooner
			 * than MinLSArrival would be dropped (13 (5a)). */
			o->ext_last_ms = now;
		}
	}
	free(ids);
}

bool ext_self_received(struct ospf *o, const struct lsdb_entry *e, uint64_t now)
{
	size_t n;
	struct ext_id *ids = ext_ids(o, &n);
	const struct ext_id *w = ext_id_find(ids, n, e->hdr.ls_id);
	if (w && lsa_is_nondefault_ext_held(o, &e->hdr))
		w = NULL; /* RFC 1765 2.3.3: flushed in OverflowState */
	if (w)
		ext_originate_one(o, &o->ext[w->idx], w->id, now, true);
	free(ids);
	return w != NULL;
}

void ext_schedule(struct ospf *o, uint64_t now)
{
	if (o->shutting_down)
		return;
	/* MinLSArrival plus a margin, as for the Router-LSA (originate.c). */
	uint64_t t = o->ext_last_ms ? max_u64(now, o->ext_last_ms + ms_of(MIN_LS_ARRIVAL) + 100)
				    : now;
	o->ext_deadline = min_u64(o->ext_deadline, t);
}

void ospf_set_externals(struct ospf *o, const struct ospf_ext_route *r, size_t n, uint64_t now)
{
	struct ospf_ext_route *v = xcalloc(n + 1, sizeof(*v));
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (r[i].plen > 32 || r[i].metric >= LS_INFINITY)
			continue;
		v[m++] = (struct ospf_ext_route){ r[i].prefix & mask_of(r[i].plen), r[i].plen, r[i].e2,
						  r[i].metric, r[i].fwd_addr, r[i].tag };
	}
	qsort(v, m, sizeof(*v), route_cmp);
	size_t k = 0; /* one route per prefix */
	for (size_t i = 0; i < m; i++)
		if (!k || route_cmp(&v[k - 1], &v[i]))
			v[k++] = v[i];
	bool same = k == o->n_ext;
	for (size_t i = 0; same && i < k; i++)
		same = !route_cmp(&v[i], &o->ext[i]) && v[i].e2 == o->ext[i].e2 &&
		       v[i].metric == o->ext[i].metric && v[i].fwd_addr == o->ext[i].fwd_addr &&
		       v[i].tag == o->ext[i].tag;
	bool was_asbr = o->n_ext > 0;
	free(o->ext);
	o->ext = v;
	o->n_ext = k;
	if (same)
		return;
	ext_schedule(o, now);
	if (was_asbr != (k > 0))
		rtr_lsa_schedule(o, now); /* the E bit */
}
