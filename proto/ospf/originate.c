/* Origination of our LSAs (RFC 2328 12.4): the Router-LSA (12.4.1) and,
 * as DR, the Network-LSA (12.4.2); MinLSInterval between instances;
 * RFC 6987 max-metric. */
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/ospf_priv.h"

#define MAX_METRIC 0xffff

void originate_install(struct ospf *o, uint8_t *lsa, size_t len, uint64_t now)
{
	struct lsa_hdr h;
	lsa_hdr_decode(lsa, &h);
	struct lsa_key k = lsa_key_of(&h);
	/* The old instance no longer needs acknowledging (13 step 5c). */
	flood_remove_rxmt(o, &k);
	struct lsdb_entry *e = lsdb_install(o, lsa, len, false, now);
	o->ctr.lsa_originated++;
	flood(o, e, NULL, now);
}

/* The header of the next instance of one of our LSAs. */
struct lsa_hdr next_hdr(struct ospf *o, uint8_t type, uint32_t ls_id)
{
	struct lsa_key k = { type, ls_id, o->rid };
	struct lsdb_entry *e = lsdb_find(&o->db, &k);
	struct lsa_hdr h = {
		.age = 0,
		.options = OSPF_OPTIONS,
		.type = type,
		.ls_id = ls_id,
		.adv_router = o->rid,
		.seq = INITIAL_SEQ,
	};
	/* 12.1.6: each new instance takes the next sequence number (after
	 * MaxSequenceNumber, seq_wrap_pending() has flushed the LSA first). */
	if (e && e->hdr.seq != MAX_SEQ)
		h.seq = e->hdr.seq + 1;
	return h;
}

/* 12.1.6: an LSA whose instance has MaxSequenceNumber cannot be followed
 * by a newer one. It is flushed (MaxAge) instead, and once every neighbor
 * has acknowledged the flush and it has left the database, the LSA is
 * originated again with InitialSequenceNumber (lsdb_tick schedules that).
 * True while that is under way: do not originate now. A MaxSequenceNumber
 * instance also arrives from before a restart (13.4), or after ~68 years of
 * refreshes. */
bool seq_wrap_pending(struct ospf *o, uint8_t type, uint32_t ls_id, uint64_t now)
{
	struct lsa_key k = { type, ls_id, o->rid };
	struct lsdb_entry *e = lsdb_find(&o->db, &k);
	if (!e || e->hdr.seq != MAX_SEQ)
		return false;
	if (e->hdr.age < MAX_AGE)
		lsdb_flush_self(o, e, now);
	return true;
}

/* lsdb_tick: the flushed MaxSequenceNumber instance has left the
 * database, so the LSA starts again at InitialSequenceNumber. */
void seq_wrap_done(struct ospf *o, const struct lsa_key *k, uint64_t now)
{
	struct ospf_if *ifp;
	if (k->type == LSA_ROUTER)
		rtr_lsa_schedule(o, now);
	else if (k->type == LSA_NETWORK && (ifp = if_find_addr(o, k->ls_id)))
		net_lsa_schedule(ifp, now);
	else if (k->type == LSA_EXTERNAL)
		ext_schedule(o, now);
}

/* Same body as the instance in the database (nothing to originate)? */
bool same_as_db(struct ospf *o, const uint8_t *lsa, size_t len)
{
	struct lsa_hdr h;
	lsa_hdr_decode(lsa, &h);
	struct lsa_key k = lsa_key_of(&h);
	struct lsdb_entry *e = lsdb_find(&o->db, &k);
	return e && e->hdr.age < MAX_AGE && e->len == len && e->lsa[2] == lsa[2] &&
	       memcmp(e->lsa + OSPF_LSA_HDR_LEN, lsa + OSPF_LSA_HDR_LEN, len - OSPF_LSA_HDR_LEN) == 0;
}

/* ---- Router-LSA (12.4.1) ---- */

struct links {
	struct rtr_link *l;
	size_t n, cap;
};

static void add_link(struct links *ls, uint8_t type, uint32_t id, uint32_t data, uint16_t metric)
{
	ls->l = xvec_grow(ls->l, &ls->cap, ls->n + 1, sizeof *ls->l);
	ls->l[ls->n++] = (struct rtr_link){ .link_id = id, .link_data = data, .type = type,
					    .metric = metric };
}

static bool has_stub(const struct links *ls, uint32_t id, uint32_t mask)
{
	for (size_t i = 0; i < ls->n; i++)
		if (ls->l[i].type == RTR_LINK_STUB && ls->l[i].link_id == id &&
		    ls->l[i].link_data == mask)
			return true;
	return false;
}

static void add_stub(struct links *ls, uint32_t addr, uint32_t mask, uint16_t cost)
{
	if (addr && !has_stub(ls, addr & mask, mask))
		add_link(ls, RTR_LINK_STUB, addr & mask, mask, cost);
}

/* Every subnet of the interface (all its addresses count, not only the
 * primary), except skip_addr's (advertised as a transit network) and, with
 * skip_host, /32s (a p2p port's borrowed loopback address). */
static void add_stub_subnets(struct links *ls, const struct ospf_if *ifp, uint16_t cost,
			     uint32_t skip_addr, bool skip_host)
{
	for (size_t i = 0; i < ifp->n_addrs; i++) {
		const struct ospf_if_addr *a = &ifp->addrs[i];
		if ((skip_addr && (a->addr & ifp->mask) == (skip_addr & ifp->mask) &&
		     a->mask == ifp->mask) ||
		    (skip_host && a->mask == 0xffffffffu))
			continue;
		add_stub(ls, a->addr, a->mask, cost);
	}
}

static void add_stub_subnet(struct links *ls, const struct ospf_if *ifp, uint16_t cost)
{
	add_stub_subnets(ls, ifp, cost, 0, false);
}

/* 12.4.1.1 */
static void links_p2p(struct ospf *o, const struct ospf_if *ifp, struct links *ls)
{
	uint16_t metric = o->max_metric ? MAX_METRIC : ifp->cfg.cost;
	bool unnumbered = if_unnumbered(ifp);
	for (const struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
		if (n->state == NSM_FULL)
			add_link(ls, RTR_LINK_P2P, n->rid, unnumbered ? ifp->cfg.ifindex : ifp->addr,
				 metric);
	/* The link's subnets, whatever the neighbor's state (option 2); an
	 * unnumbered port's /32 is the loopback's, advertised there. */
	add_stub_subnets(ls, ifp, ifp->cfg.cost, 0, true);
}

/* 12.4.1.2 */
static void links_broadcast(struct ospf *o, const struct ospf_if *ifp, struct links *ls)
{
	uint16_t metric = o->max_metric ? MAX_METRIC : ifp->cfg.cost;
	bool transit = false;
	if (ifp->state == ISM_DR) {
		transit = if_n_full(ifp) > 0;
	} else if (ifp->state != ISM_WAITING) {
		struct ospf_nbr *dr = nbr_find_addr(ifp, ifp->dr_addr);
		transit = ifp->dr_addr && dr && dr->state == NSM_FULL;
	}
	if (transit)
		add_link(ls, RTR_LINK_TRANSIT, ifp->dr_addr, ifp->addr, metric);
	/* The primary subnet is the transit network (12.4.1.2); any other
	 * subnet of the port is a stub. */
	add_stub_subnets(ls, ifp, ifp->cfg.cost, transit ? ifp->addr : 0, false);
}

static void router_links(struct ospf *o, struct links *ls)
{
	for (const struct ospf_if *ifp = o->ifs; ifp; ifp = ifp->next) {
		if (ifp->state == ISM_DOWN)
			continue;
		if (ifp->state == ISM_LOOPBACK || ifp->cfg.loopback) {
			/* A loopback is a host route with cost 0 (12.4.1), one
			 * for each address (a second /32: an anycast service). */
			for (size_t i = 0; i < ifp->n_addrs; i++)
				add_stub(ls, ifp->addrs[i].addr, 0xffffffffu, 0);
		} else if (ifp->cfg.passive) {
			add_stub_subnet(ls, ifp, ifp->cfg.cost);
		} else if (ifp->cfg.network == OSPF_NET_P2P) {
			links_p2p(o, ifp, ls);
		} else {
			links_broadcast(o, ifp, ls);
		}
	}
}

void rtr_lsa_originate(struct ospf *o, uint64_t now, bool force)
{
	struct links ls = { 0 };
	o->rtr_lsa_deadline = NEVER;
	if (o->shutting_down)
		return;
	if (seq_wrap_pending(o, LSA_ROUTER, o->rid, now))
		return;
	router_links(o, &ls);
	size_t cap = OSPF_LSA_HDR_LEN + 4 + 12 * ls.n;
	uint8_t *buf = xmalloc(cap);
	struct lsa_hdr h = next_hdr(o, LSA_ROUTER, o->rid);
	/* A.4.2: the E bit says we are an AS boundary router (16.4). */
	uint8_t flags = o->n_ext ? RTR_FLAG_E : 0;
	size_t len = lsa_router_build(buf, cap, &h, flags, ls.l, ls.n);
	if (len && (force || !same_as_db(o, buf, len))) {
		originate_install(o, buf, len, now);
		o->rtr_lsa_last_ms = now;
		o->rtr_lsa_ever = true;
	}
	free(buf);
	free(ls.l);
}

void rtr_lsa_schedule(struct ospf *o, uint64_t now)
{
	if (o->shutting_down)
		return;
	/* 12.4 asks for MinLSInterval (5 s) between two originations. A fabric
	 * wants a topology change out at once, so we only keep instances
	 * MinLSArrival (1 s) apart, plus a margin for the flooding delay: the
	 * least that every receiver accepts (13, step 5a) without discarding
	 * the newer instance. */
	uint64_t t = o->rtr_lsa_ever
			     ? max_u64(now, o->rtr_lsa_last_ms + ms_of(MIN_LS_ARRIVAL) + 100)
			     : max_u64(now, adj_startup_hold(o, now));
	o->rtr_lsa_deadline = min_u64(o->rtr_lsa_deadline, t);
}

/* ---- Network-LSA (12.4.2) ---- */

static bool net_lsa_wanted(const struct ospf_if *ifp)
{
	return !ifp->o->shutting_down && ifp->state == ISM_DR && ifp->addr && if_n_full(ifp) > 0;
}

void net_lsa_originate(struct ospf_if *ifp, uint64_t now, bool force)
{
	struct ospf *o = ifp->o;
	ifp->net_lsa_deadline = NEVER;
	if (!net_lsa_wanted(ifp) || seq_wrap_pending(o, LSA_NETWORK, ifp->addr, now))
		return;
	size_t cap = 1 + if_n_full(ifp), k = 0;
	uint32_t *rtrs = xcalloc(cap, sizeof *rtrs);
	uint8_t *buf = xmalloc(OSPF_LSA_HDR_LEN + 4 + 4 * cap);
	rtrs[k++] = o->rid;
	for (const struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
		if (n->state == NSM_FULL && k < cap)
			rtrs[k++] = n->rid;
	struct lsa_hdr h = next_hdr(o, LSA_NETWORK, ifp->addr);
	size_t len = lsa_network_build(buf, OSPF_LSA_HDR_LEN + 4 + 4 * cap, &h, ifp->mask, rtrs, k);
	if (len && (force || !same_as_db(o, buf, len))) {
		originate_install(o, buf, len, now);
		ifp->net_lsa_last_ms = now;
		ifp->net_lsa_ever = true;
	}
	free(buf);
	free(rtrs);
}

void net_lsa_schedule(struct ospf_if *ifp, uint64_t now)
{
	if (ifp->o->shutting_down)
		return;
	uint64_t t = ifp->net_lsa_ever ? max_u64(now, ifp->net_lsa_last_ms + ms_of(MIN_LS_ARRIVAL) + 100)
				       : now;
	/* Flushing is never held back. */
	if (!net_lsa_wanted(ifp))
		t = now;
	ifp->net_lsa_deadline = min_u64(ifp->net_lsa_deadline, t);
}

/* 12.4.2 / 14.1: our Network-LSAs for links where we are no longer DR
 * (or that lost their last adjacency, or changed address) are flushed. */
static void flush_stale_net_lsas(struct ospf *o, uint64_t now)
{
	for (size_t i = 0; i < o->db.n; i++) {
		struct lsdb_entry *e = o->db.e[i];
		if (e->hdr.type != LSA_NETWORK || e->hdr.adv_router != o->rid ||
		    e->hdr.age >= MAX_AGE)
			continue;
		struct ospf_if *ifp = if_find_addr(o, e->hdr.ls_id);
		if (!ifp || !net_lsa_wanted(ifp))
			lsdb_flush_self(o, e, now);
	}
}

void originate_tick(struct ospf *o, uint64_t now)
{
	bool net = false;
	for (struct ospf_if *ifp = o->ifs; ifp; ifp = ifp->next) {
		if (ifp->net_lsa_deadline <= now) {
			net = true;
			net_lsa_originate(ifp, now, false);
		}
	}
	if (net)
		flush_stale_net_lsas(o, now);
	if (o->rtr_lsa_deadline <= now && !o->rtr_lsa_ever && adj_startup_hold(o, now) > now)
		o->rtr_lsa_deadline = adj_startup_hold(o, now); /* still forming */
	if (o->rtr_lsa_deadline <= now)
		rtr_lsa_originate(o, now, false);
	if (o->ext_deadline <= now)
		ext_originate(o, now);
}

uint64_t originate_deadline(const struct ospf *o)
{
	return min_u64(o->rtr_lsa_deadline, o->ext_deadline);
}
