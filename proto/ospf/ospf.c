/* The OSPF instance: creation, packet reception and dispatch (RFC 2328 8.2),
 * timers, counters and the introspection used by `show`. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/ospf_priv.h"
#include "proto/ospf/spf.h"

static const char *const ism_names[] = { "Down", "Loopback", "Waiting", "Point-To-Point",
					 "DROther", "Backup", "DR" };
static const char *const nsm_names[] = { "Down", "Attempt", "Init", "2-Way", "ExStart",
					 "Exchange", "Loading", "Full" };

const char *ism_state_name(enum ism_state s)
{
	return (unsigned)s < sizeof ism_names / sizeof *ism_names ? ism_names[s] : "?";
}

const char *nsm_state_name(enum nsm_state s)
{
	return (unsigned)s < sizeof nsm_names / sizeof *nsm_names ? nsm_names[s] : "?";
}

void ospf_logf(struct ospf *o, int level, const char *fmt, ...)
{
	if (!o->cb.log)
		return;
	va_list ap;
	va_start(ap, fmt);
	o->cb.log(o->cb.ctx, level, fmt, ap);
	va_end(ap);
}

struct ospf *ospf_new(uint32_t router_id, uint32_t area_id, const struct ospf_callbacks *cb,
		      uint64_t now_ms)
{
	struct ospf *o = calloc(1, sizeof *o);
	if (!o)
		return NULL;
	o->rid = router_id;
	o->area = area_id;
	if (cb)
		o->cb = *cb;
	o->rtr_lsa_deadline = NEVER;
	o->ext_deadline = NEVER;
	o->started_ms = now_ms;
	o->overflow_exit_deadline = NEVER;
	o->lim.nbr_list_max = OSPF_NBR_LIST_MAX_DEFAULT;
	o->lim.overflow_exit_s = OSPF_OVERFLOW_EXIT_DEFAULT_S;
	/* The crypto sequence number must never go backwards, also across a
	 * restart of the daemon: seconds of the monotonic clock do that. */
	o->crypto_seq_base = (uint32_t)(now_ms / 1000);
	return o;
}

void ospf_free(struct ospf *o)
{
	if (!o)
		return;
	while (o->ifs) {
		struct ospf_if *ifp = o->ifs;
		o->ifs = ifp->next;
		if_free(ifp);
	}
	lsdb_free(&o->db);
	free(o->ext);
	free(o);
}

void ospf_set_wall_clock(struct ospf *o, int64_t wall_ms, uint64_t now)
{
	o->wall_offset_ms = wall_ms - (int64_t)now;
}

/* Wall-clock seconds at monotonic `now`, for the keys' lifetimes (D.3). */
int64_t ospf_wall_s(const struct ospf *o, uint64_t now)
{
	int64_t ms = (int64_t)now + o->wall_offset_ms;
	return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

uint32_t ospf_router_id(const struct ospf *o)
{
	return o->rid;
}

/* Largest OSPF packet (without auth trailer) we may send on ifp. */
size_t ospf_pkt_cap(const struct ospf_if *ifp)
{
	size_t mtu = ifp->cfg.mtu ? ifp->cfg.mtu : 1500;
	if (mtu < 576)
		mtu = 576;
	size_t cap = mtu - IP_HDR_LEN -
		     (ifp->cfg.auth.type == OSPF_AUTH_CRYPTO ? ospf_crypto_len(ifp->cfg.auth.alg) : 0);
	return cap > MAX_PKT ? MAX_PKT : cap;
}

/* D.3 / RFC 5709 3.2: when the last key has expired it stays in use, and
 * the operator is told (once, until a valid key is back). */
static void note_send_key(struct ospf_if *ifp, int64_t wall)
{
	const struct ospf_key *k = ospf_auth_send_key(&ifp->cfg.auth, wall);
	bool expired = ifp->cfg.auth.type != OSPF_AUTH_NULL && k && k->send_until &&
		       k->send_until <= wall;
	if (expired && !ifp->send_key_expired)
		ospf_logf(ifp->o, LOG_WARNING, "ospf: %s: every key's send lifetime has expired; "
			  "still signing with key %u", ifp->cfg.name, k->id);
	ifp->send_key_expired = expired;
	ifp->send_key_id = ifp->cfg.auth.type != OSPF_AUTH_NULL && k ? k->id : 0;
}

/* Apply authentication (D.4) and hand the packet to the daemon. */
void ospf_send(struct ospf_if *ifp, uint32_t dst, uint8_t *buf, size_t len, uint64_t now)
{
	struct ospf *o = ifp->o;
	if (!len)
		return;
	uint32_t seq = (uint32_t)(now / 1000);
	if (seq < ifp->crypto_seq)
		seq = ifp->crypto_seq;
	ifp->crypto_seq = seq;
	note_send_key(ifp, ospf_wall_s(o, now));
	size_t total = ospf_finish_at(buf, len, len + AUTH_TRAILER_MAX, &ifp->cfg.auth, seq,
				      ospf_wall_s(o, now));
	if (!total) {
		o->ctr.tx_auth_fail++;
		return;
	}
	uint8_t type = buf[1];
	if (type >= 1 && type <= 5)
		ifp->tx[type]++;
	o->ctr.tx_packets++;
	if (o->cb.send)
		o->cb.send(o->cb.ctx, ifp->cfg.ifindex, dst, buf, total);
}

static void drop(struct ospf *o, enum ospf_drop why, uint32_t src)
{
	o->ctr.drops[why]++;
	char a[IPV4_STRLEN];
	ospf_logf(o, LOG_DEBUG, "ospf: drop packet from %s: %s", ipv4_str(src, a), ospf_drop_name(why));
}

/* 8.2: which neighbor sent a non-Hello packet. */
static struct ospf_nbr *rx_nbr(struct ospf_if *ifp, uint32_t src, uint32_t rid)
{
	if (ifp->cfg.network == OSPF_NET_P2P)
		return nbr_find_rid(ifp, rid);
	return nbr_find_addr(ifp, src);
}

void ospf_rx(struct ospf *o, uint32_t ifindex, uint32_t src, uint32_t dst, const uint8_t *buf,
	     size_t len, uint64_t now)
{
	struct ospf_packet p;
	struct ospf_if *ifp = if_find(o, ifindex);

	o->ctr.rx_packets++;
	if (!ifp || !if_active(ifp) || ifp->state == ISM_DOWN || ifp->state == ISM_LOOPBACK) {
		drop(o, OSPF_DROP_IFACE, src);
		return;
	}
	enum ospf_drop r = ospf_decode(buf, len, &p);
	if (r != OSPF_OK) {
		drop(o, r, src);
		return;
	}
	if (p.hdr.area_id != o->area) {
		drop(o, OSPF_DROP_AREA, src);
		return;
	}
	if (p.hdr.router_id == o->rid) {
		drop(o, OSPF_DROP_SELF, src);
		return;
	}
	/* A router ID is a unique address of the router (1.2, C.1): neither
	 * 0.0.0.0 (no address) nor the broadcast address can name one, and
	 * such a neighbor could never be told apart in an SPF. */
	if (p.hdr.router_id == 0 || p.hdr.router_id == 0xffffffffu) {
		drop(o, OSPF_DROP_ROUTER_ID, src);
		return;
	}
	/* 8.1: AllDRouters is only for the DR and the BDR. */
	if (dst == OSPF_ALLDR && !if_is_dr_or_bdr(ifp)) {
		drop(o, OSPF_DROP_BAD_DST, src);
		return;
	}
	struct ospf_nbr *n = rx_nbr(ifp, src, p.hdr.router_id);
	r = ospf_auth_verify_at(buf, len, &ifp->cfg.auth, n ? &n->crypto_seq : NULL,
				ospf_wall_s(o, now));
	if (r != OSPF_OK) {
		drop(o, r, src);
		return;
	}
	ifp->rx[p.hdr.type]++;
	if (p.hdr.type == OSPF_HELLO) {
		hello_rx(ifp, src, &p, buf, len, now);
	} else if (!n || n->state < NSM_INIT) {
		drop(o, OSPF_DROP_NO_NEIGHBOR, src);
	} else {
		switch (p.hdr.type) {
		case OSPF_DBDESC: dd_rx(n, &p, now); break;
		case OSPF_LSREQ: lsr_rx(n, &p, now); break;
		case OSPF_LSUPD: lsu_rx(n, &p, now); break;
		case OSPF_LSACK: ack_rx(n, &p, now); break;
		default: break;
		}
	}
	ospf_tick(o, now);
}

void ospf_nbr_kill(struct ospf *o, uint32_t ifindex, uint32_t nbr_addr, uint64_t now)
{
	struct ospf_if *ifp = if_find(o, ifindex);
	if (!ifp)
		return;
	struct ospf_nbr *n = nbr_find_addr(ifp, nbr_addr);
	if (n)
		nsm_event(n, NSM_EV_KILL, now);
	ospf_tick(o, now);
}

void ospf_set_max_metric(struct ospf *o, bool on, uint64_t now)
{
	if (o->max_metric == on)
		return;
	o->max_metric = on;
	rtr_lsa_schedule(o, now);
}

/* Neighbors that went Down are forgotten (their Hellos recreate them). */
static void sweep_down_nbrs(struct ospf_if *ifp)
{
	struct ospf_nbr **pp = &ifp->nbrs;
	while (*pp) {
		struct ospf_nbr *n = *pp;
		if (n->state == NSM_DOWN) {
			*pp = n->next;
			nbr_free(n);
		} else {
			pp = &n->next;
		}
	}
}

void ospf_tick(struct ospf *o, uint64_t now)
{
	for (struct ospf_if *ifp = o->ifs; ifp; ifp = ifp->next) {
		if_tick(ifp, now);
		for (struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
			nbr_tick(n, now);
		sweep_down_nbrs(ifp);
	}
	originate_tick(o, now);
	lsdb_tick(o, now);
	overflow_tick(o, now);
	flood_send_queued(o, now);
}

uint64_t ospf_next_deadline(const struct ospf *o)
{
	uint64_t t = min_u64(originate_deadline(o), lsdb_deadline(o));
	t = min_u64(t, overflow_deadline(o));
	for (const struct ospf_if *ifp = o->ifs; ifp; ifp = ifp->next) {
		t = min_u64(t, if_deadline(ifp));
		for (const struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
			t = min_u64(t, nbr_deadline(n));
	}
	return t;
}

void ospf_shutdown(struct ospf *o, uint64_t now)
{
	/* 14.1: flush every LSA we originated, then stop. */
	o->shutting_down = true;
	for (size_t i = 0; i < o->db.n; i++) {
		struct lsdb_entry *e = o->db.e[i];
		if (e->hdr.adv_router == o->rid && lsdb_age(e, now) < MAX_AGE)
			lsdb_flush_self(o, e, now);
	}
	o->rtr_lsa_deadline = NEVER;
	o->ext_deadline = NEVER;
	flood_send_queued(o, now);
	for (struct ospf_if *ifp = o->ifs; ifp; ifp = ifp->next) {
		ifp->net_lsa_deadline = NEVER;
		ack_flush(ifp, now);
	}
}

const uint8_t *ospf_lsdb_lookup(void *ctx, uint8_t type, uint32_t ls_id, uint32_t adv_router,
				size_t *len)
{
	struct ospf *o = ctx;
	const struct lsdb_entry *e = lsdb_find_live(&o->db, type, ls_id, adv_router);
	if (!e)
		return NULL;
	if (len)
		*len = e->len;
	return e->lsa;
}

void ospf_lsdb_each(void *ctx, uint8_t type, spf_lsa_fn fn, void *arg)
{
	struct ospf *o = ctx;
	for (size_t i = 0; i < o->db.n; i++) {
		const struct lsdb_entry *e = o->db.e[i];
		if (e->hdr.type == type && e->hdr.age < MAX_AGE && !e->maxage_flooded)
			fn(arg, e->lsa, e->len);
	}
}

/* A Network-LSA for the segment whose DR has interface address dr_addr
 * lists router rid. */
static bool network_lists(struct ospf *o, uint32_t dr_addr, uint32_t rid)
{
	size_t len = 0;
	const uint8_t *lsa = ospf_lsdb_lookup(o, LSA_NETWORK, dr_addr, 0, &len);
	struct lsa_network net;
	if (!lsa || !lsa_network_parse(lsa, len, &net))
		return false;
	for (size_t i = 0; i < net.n_routers; i++)
		if (lsa_network_router_at(&net, i) == rid)
			return true;
	return false;
}

bool ospf_lsdb_has_link(struct ospf *o, uint32_t from, uint32_t to)
{
	size_t len = 0, off = 0;
	const uint8_t *lsa = ospf_lsdb_lookup(o, LSA_ROUTER, from, from, &len);
	struct lsa_router r;
	struct rtr_link l;
	if (!lsa || !lsa_router_parse(lsa, len, &r))
		return false;
	while (lsa_router_next_link(&r, &off, &l)) {
		if (l.type == RTR_LINK_P2P && l.link_id == to)
			return true;
		if (l.type == RTR_LINK_TRANSIT && network_lists(o, l.link_id, to))
			return true;
	}
	return false;
}

/* ---- introspection ---- */

static void nbr_info(const struct ospf_if *ifp, const struct ospf_nbr *n, struct ospf_nbr_info *x)
{
	memset(x, 0, sizeof *x);
	x->router_id = n->rid;
	x->addr = n->addr;
	x->ifindex = ifp->cfg.ifindex;
	memcpy(x->ifname, ifp->cfg.name, sizeof x->ifname);
	x->state = n->state;
	x->priority = n->priority;
	x->dr = n->dr;
	x->bdr = n->bdr;
	x->dead_deadline_ms = n->inactivity_deadline;
	x->state_since_ms = n->state_since_ms;
	x->full_since_ms = n->full_since_ms;
	x->mtu_mismatch = n->mtu_mismatch;
	x->n_retransmit = (uint32_t)n->rxmt.n;
	x->n_request = (uint32_t)n->req.n;
	x->n_dbsummary = (uint32_t)(n->n_dbs - n->dbs_next);
	x->state_changes = n->state_changes;
}

void ospf_iter_init(struct ospf_iter *it, const struct ospf *o)
{
	it->ifp = o->ifs;
	it->nbr = NULL;
	it->started = false;
}

bool ospf_nbr_next(struct ospf_iter *it, struct ospf_nbr_info *out)
{
	if (!it->started) {
		it->started = true;
		it->nbr = it->ifp ? it->ifp->nbrs : NULL;
	}
	while (it->ifp && !it->nbr) {
		it->ifp = it->ifp->next;
		it->nbr = it->ifp ? it->ifp->nbrs : NULL;
	}
	if (!it->nbr)
		return false;
	nbr_info(it->ifp, it->nbr, out);
	it->nbr = it->nbr->next;
	return true;
}

bool ospf_nbr_addr_at_least(const struct ospf *o, uint32_t ifindex, uint32_t addr,
			    enum nsm_state min_state)
{
	const struct ospf_if *ifp = if_find(o, ifindex);
	for (const struct ospf_nbr *n = ifp ? ifp->nbrs : NULL; n; n = n->next)
		if (n->addr == addr && n->state >= min_state)
			return true;
	return false;
}

static void if_info(const struct ospf_if *ifp, struct ospf_if_info *x)
{
	memset(x, 0, sizeof *x);
	memcpy(x->name, ifp->cfg.name, sizeof x->name);
	x->ifindex = ifp->cfg.ifindex;
	x->state = ifp->state;
	x->network = ifp->cfg.network;
	x->passive = ifp->cfg.passive;
	x->addr = ifp->addr;
	x->mask = ifp->mask;
	x->cost = ifp->cfg.cost;
	x->hello_interval = ifp->cfg.hello_interval;
	x->dead_interval = ifp->cfg.dead_interval;
	x->priority = ifp->cfg.priority;
	x->dr = ifp->dr_id;
	x->bdr = ifp->bdr_id;
	x->dr_addr = ifp->dr_addr;
	x->bdr_addr = ifp->bdr_addr;
	for (const struct ospf_nbr *n = ifp->nbrs; n; n = n->next) {
		x->n_neighbors++;
		if (n->state == NSM_FULL)
			x->n_adjacent++;
	}
	x->auth = ifp->cfg.auth.type;
	x->send_key_id = ifp->send_key_id;
	memcpy(x->tx, ifp->tx, sizeof x->tx);
	memcpy(x->rx, ifp->rx, sizeof x->rx);
}

bool ospf_if_next(struct ospf_iter *it, struct ospf_if_info *out)
{
	if (!it->ifp)
		return false;
	if_info(it->ifp, out);
	it->ifp = it->ifp->next;
	return true;
}

void ospf_lsdb_foreach(const struct ospf *o, uint64_t now,
		       void (*fn)(void *ctx, const struct ospf_lsa_info *), void *ctx)
{
	struct lsdb_entry **v = lsdb_sorted(&o->db);
	for (size_t i = 0; i < o->db.n; i++) {
		const struct lsdb_entry *e = v[i];
		struct ospf_lsa_info info;
		lsdb_cur_hdr(e, now, &info.hdr);
		info.lsa = e->lsa;
		info.len = e->len;
		info.self = e->hdr.adv_router == o->rid;
		fn(ctx, &info);
	}
	free(v);
}

void ospf_counters_get(const struct ospf *o, struct ospf_counters *out)
{
	*out = o->ctr;
}
