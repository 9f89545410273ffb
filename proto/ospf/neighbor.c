/* Neighbors and the Neighbor state machine (RFC 2328 10.1-10.4), with the
 * neighbor's lists: Database summary, Link state request and Link state
 * retransmission (10). */
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/ospf_priv.h"

static const char *const ev_names[] = {
	"HelloReceived", "2-WayReceived", "NegotiationDone", "ExchangeDone", "BadLSReq",
	"LoadingDone", "AdjOK?", "SeqNumberMismatch", "1-WayReceived", "KillNbr",
	"InactivityTimer", "LLDown",
};

const char *nsm_event_name(enum nsm_event ev)
{
	return (unsigned)ev < sizeof ev_names / sizeof *ev_names ? ev_names[ev] : "?";
}

struct ospf_nbr *nbr_new(struct ospf_if *ifp, uint32_t rid, uint32_t addr, uint64_t now)
{
	struct ospf_nbr *n = xcalloc(1, sizeof *n);
	n->ifp = ifp;
	n->rid = rid;
	n->addr = addr;
	n->state = NSM_DOWN;
	n->inactivity_deadline = n->dd_rxmt_deadline = NEVER;
	n->lsr_rxmt_deadline = n->lsu_rxmt_deadline = NEVER;
	n->state_since_ms = now;
	/* 10.8: a DD sequence number not used before; any unique value. */
	n->dd_seq = (uint32_t)(now / 1000) ^ (rid << 8);
	n->next = ifp->nbrs;
	ifp->nbrs = n;
	return n;
}

void nbr_free(struct ospf_nbr *n)
{
	free(n->last_dd);
	free(n->dbs);
	lsa_list_free(&n->req);
	lsa_list_free(&n->rxmt);
	free(n);
}

struct ospf_nbr *nbr_find_addr(const struct ospf_if *ifp, uint32_t addr)
{
	for (struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
		if (n->addr == addr)
			return n;
	return NULL;
}

struct ospf_nbr *nbr_find_rid(const struct ospf_if *ifp, uint32_t rid)
{
	for (struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
		if (n->rid == rid)
			return n;
	return NULL;
}

uint32_t nbr_dst(const struct ospf_nbr *n)
{
	/* On point-to-point links everything goes to AllSPFRouters (8.1),
	 * which also works when the link is unnumbered. */
	return n->ifp->cfg.network == OSPF_NET_P2P ? OSPF_ALLSPF : n->addr;
}

/* 10.4: should an adjacency be formed with this neighbor? */
bool nbr_adj_ok(const struct ospf_nbr *n)
{
	const struct ospf_if *ifp = n->ifp;
	if (ifp->cfg.network == OSPF_NET_P2P)
		return true;
	if (if_is_dr_or_bdr(ifp))
		return true;
	return n->addr == ifp->dr_addr || n->addr == ifp->bdr_addr;
}

/* ---- lists ---- */

static void nbr_clear_lists(struct ospf_nbr *n)
{
	n->n_dbs = n->dbs_next = n->dbs_sent = 0;
	lsa_list_clear(&n->req);
	lsa_list_clear(&n->rxmt);
	n->dd_rxmt_deadline = n->lsr_rxmt_deadline = n->lsu_rxmt_deadline = NEVER;
	n->have_last_rx_dd = false;
}

struct lsa_list_entry *nbr_req_find(struct ospf_nbr *n, const struct lsa_key *k)
{
	return lsa_list_find(&n->req, k);
}

/* A list may hold at most nbr_list_max entries: a neighbor describing or
 * flooding more than that cannot make us grow without bound. The entry is
 * not added and the adjacency is reset once the packet is handled. */
static bool nbr_list_room(struct ospf_nbr *n, const struct lsa_list *l, const struct lsa_key *k)
{
	if (l->n < n->ifp->o->lim.nbr_list_max || lsa_list_find(l, k))
		return true;
	n->list_overflow = true;
	return false;
}

/* Add h to one of the neighbor's lists, within the bound. */
static bool list_add(struct ospf_nbr *n, struct lsa_list *l, const struct lsa_hdr *h)
{
	struct lsa_key k = lsa_key_of(h);
	if (!nbr_list_room(n, l, &k))
		return false;
	lsa_list_put(l, h);
	return true;
}

/* Remove k from a list; the list's retransmission timer stops with its
 * last entry. */
static bool list_remove(struct lsa_list *l, const struct lsa_key *k, uint64_t *rxmt_deadline)
{
	if (!lsa_list_remove(l, k))
		return false;
	if (!l->n)
		*rxmt_deadline = NEVER;
	return true;
}

bool nbr_req_add(struct ospf_nbr *n, const struct lsa_hdr *h)
{
	return list_add(n, &n->req, h);
}

bool nbr_req_remove(struct ospf_nbr *n, const struct lsa_key *k)
{
	return list_remove(&n->req, k, &n->lsr_rxmt_deadline);
}

bool nbr_rxmt_has(const struct ospf_nbr *n, const struct lsa_key *k)
{
	return lsa_list_find(&n->rxmt, k) != NULL;
}

void nbr_rxmt_add(struct ospf_nbr *n, const struct lsa_hdr *h, uint64_t now)
{
	if (!list_add(n, &n->rxmt, h))
		return;
	if (n->lsu_rxmt_deadline == NEVER)
		n->lsu_rxmt_deadline = now + ms_of(n->ifp->cfg.retransmit_interval);
}

bool nbr_rxmt_remove(struct ospf_nbr *n, const struct lsa_key *k)
{
	return list_remove(&n->rxmt, k, &n->lsu_rxmt_deadline);
}

void nbr_check_lists(struct ospf_nbr *n, uint64_t now)
{
	if (!n->list_overflow)
		return;
	n->list_overflow = false;
	struct ospf *o = n->ifp->o;
	o->ctr.nbr_list_overflows++;
	char rid[IPV4_STRLEN];
	ospf_logf(o, LOG_WARNING, "ospf: neighbor %s on %s: request/retransmission list past %u "
		  "entries, resetting the adjacency", ipv4_str(n->rid, rid), n->ifp->cfg.name,
		  o->lim.nbr_list_max);
	nsm_event(n, NSM_EV_SEQ_MISMATCH, now);
}

/* ---- state changes ---- */

static void nbr_set_state(struct ospf_nbr *n, enum nsm_state s, uint64_t now)
{
	struct ospf_if *ifp = n->ifp;
	struct ospf *o = ifp->o;
	enum nsm_state old = n->state;
	if (old == s)
		return;
	n->state = s;
	n->state_since_ms = now;
	n->state_changes++;
	n->full_since_ms = s == NSM_FULL ? now : 0;
	char rid[IPV4_STRLEN];
	ospf_logf(o, LOG_INFO, "ospf: neighbor %s on %s %s -> %s", ipv4_str(n->rid, rid), ifp->cfg.name,
		  nsm_state_name(old), nsm_state_name(s));
	if (o->cb.nbr_change)
		o->cb.nbr_change(o->cb.ctx, ifp->cfg.ifindex, n->addr, n->rid, old, s);
	if (s < NSM_EXSTART)
		nbr_clear_lists(n);
	/* 12.4: adjacencies going Full or leaving Full change our Router-LSA
	 * and, when DR, the Network-LSA. */
	if (old == NSM_FULL || s == NSM_FULL) {
		rtr_lsa_schedule(o, now);
		if (ifp->state == ISM_DR)
			net_lsa_schedule(ifp, now);
	}
	/* 9.2: bidirectional communication appearing or going is a
	 * NeighborChange for the DR election. */
	if (ifp->cfg.network == OSPF_NET_BROADCAST && (old >= NSM_2WAY) != (s >= NSM_2WAY))
		ism_neighbor_change(ifp, now);
}

static void nbr_to_exstart(struct ospf_nbr *n, uint64_t now)
{
	nbr_clear_lists(n);
	nbr_set_state(n, NSM_EXSTART, now);
	if (n->state == NSM_EXSTART)
		dd_start(n, now);
}

static void nbr_down(struct ospf_nbr *n, uint64_t now)
{
	n->inactivity_deadline = NEVER;
	nbr_clear_lists(n);
	nbr_set_state(n, NSM_DOWN, now);
}

/* The table of 10.3: the new state for each event. */
void nsm_event(struct ospf_nbr *n, enum nsm_event ev, uint64_t now)
{
	struct ospf_if *ifp = n->ifp;
	switch (ev) {
	case NSM_EV_HELLO:
		n->inactivity_deadline = now + ms_of(ifp->cfg.dead_interval);
		if (n->state <= NSM_ATTEMPT)
			nbr_set_state(n, NSM_INIT, now);
		break;
	case NSM_EV_2WAY:
		if (n->state != NSM_INIT)
			break;
		if (nbr_adj_ok(n))
			nbr_to_exstart(n, now);
		else
			nbr_set_state(n, NSM_2WAY, now);
		break;
	case NSM_EV_NEG_DONE:
		if (n->state == NSM_EXSTART)
			nbr_set_state(n, NSM_EXCHANGE, now);
		break;
	case NSM_EV_EXCH_DONE:
		if (n->state != NSM_EXCHANGE)
			break;
		n->dd_rxmt_deadline = NEVER;
		nbr_set_state(n, n->req.n ? NSM_LOADING : NSM_FULL, now);
		break;
	case NSM_EV_LOADING_DONE:
		if (n->state == NSM_LOADING)
			nbr_set_state(n, NSM_FULL, now);
		break;
	case NSM_EV_ADJ_OK:
		if (n->state == NSM_2WAY && nbr_adj_ok(n))
			nbr_to_exstart(n, now);
		else if (n->state >= NSM_EXSTART && !nbr_adj_ok(n))
			nbr_set_state(n, NSM_2WAY, now);
		break;
	case NSM_EV_SEQ_MISMATCH:
	case NSM_EV_BAD_LSREQ:
		if (n->state >= NSM_EXCHANGE) {
			char rid[IPV4_STRLEN];
			ospf_logf(ifp->o, LOG_NOTICE, "ospf: neighbor %s: %s, restarting exchange",
				  ipv4_str(n->rid, rid), nsm_event_name(ev));
			nbr_to_exstart(n, now);
		}
		break;
	case NSM_EV_1WAY:
		if (n->state >= NSM_2WAY)
			nbr_set_state(n, NSM_INIT, now);
		break;
	case NSM_EV_KILL:
	case NSM_EV_INACTIVITY:
	case NSM_EV_LL_DOWN:
		nbr_down(n, now);
		break;
	}
}

/* ---- timers ---- */

void nbr_tick(struct ospf_nbr *n, uint64_t now)
{
	nbr_check_lists(n, now);
	if (n->state == NSM_DOWN)
		return;
	if (n->inactivity_deadline <= now) {
		nsm_event(n, NSM_EV_INACTIVITY, now);
		return;
	}
	if (n->dd_rxmt_deadline <= now) {
		/* 10.8: the master (and both sides in ExStart) retransmits. */
		if ((n->state == NSM_EXSTART || (n->state == NSM_EXCHANGE && n->master))) {
			dd_send_last(n, now);
			n->dd_rxmt_deadline = now + ms_of(n->ifp->cfg.retransmit_interval);
		} else {
			n->dd_rxmt_deadline = NEVER;
		}
	}
	if (n->lsr_rxmt_deadline <= now) {
		if (n->req.n && (n->state == NSM_EXCHANGE || n->state == NSM_LOADING))
			lsr_send(n, now);
		else
			n->lsr_rxmt_deadline = NEVER;
	}
	if (n->lsu_rxmt_deadline <= now) {
		if (n->rxmt.n && n->state >= NSM_EXCHANGE)
			lsu_rxmt(n, now);
		else
			n->lsu_rxmt_deadline = NEVER;
	}
}

uint64_t nbr_deadline(const struct ospf_nbr *n)
{
	if (n->state == NSM_DOWN)
		return NEVER;
	return min_u64(min_u64(n->inactivity_deadline, n->dd_rxmt_deadline),
		       min_u64(n->lsr_rxmt_deadline, n->lsu_rxmt_deadline));
}

/* ---- ports and routers coming up ---- */

/* An interface that runs the protocol (and so may have neighbors). */
static bool if_has_peers(const struct ospf_if *ifp)
{
	return ifp->state != ISM_DOWN && ifp->state != ISM_LOOPBACK && !ifp->cfg.passive &&
	       !ifp->cfg.loopback;
}

/* A port that comes up changes our Router-LSA (its stub link), and so does
 * its adjacency reaching Full moments later; an instance for the first
 * would hold the second back by MinLSArrival. So the port's coming up asks
 * for an instance only after one HelloInterval (every live neighbor has
 * said Hello by then, and Full asks at once); any other change still asks
 * at once and takes the port's state along. */
uint64_t if_up_origination(const struct ospf_if *ifp, uint64_t now)
{
	return if_has_peers(ifp) ? now + ms_of(ifp->cfg.hello_interval) : now;
}

/* The first Router-LSA after start: every instance after it must wait
 * MinLSArrival (receivers drop a newer instance that comes sooner, 13 step
 * 5a; FRR does), so if it goes out before the adjacencies that are forming
 * are Full, the routes through them wait a second for the next one. It is
 * held, at the most:
 *  - until one HelloInterval after start while an interface has not yet
 *    heard any neighbor or is still in Waiting: within a HelloInterval every
 *    live neighbor has said Hello;
 *  - until two HelloIntervals after start while an adjacency is forming
 *    (a neighbor in Init to Loading): it gets that moment to finish (a peer
 *    without triggered Hellos lists us in its next one; the exchange itself
 *    takes milliseconds). Not the RouterDeadInterval: with the default
 *    40 s, a port stuck in ExStart (MTU) would keep the router unannounced.
 * Reaching Full reschedules the origination, so it goes out as soon as the
 * last forming adjacency is Full. */
uint64_t adj_startup_hold(const struct ospf *o, uint64_t now)
{
	uint64_t hello = 0;
	bool silent = false, forming = false;
	for (const struct ospf_if *ifp = o->ifs; ifp; ifp = ifp->next) {
		if (!if_has_peers(ifp))
			continue;
		hello = max_u64(hello, ms_of(ifp->cfg.hello_interval));
		bool heard = false;
		for (const struct ospf_nbr *n = ifp->nbrs; n; n = n->next) {
			heard |= n->state >= NSM_INIT;
			forming |= n->state == NSM_INIT ||
				   (n->state >= NSM_EXSTART && n->state < NSM_FULL);
		}
		silent |= !heard || ifp->state == ISM_WAITING;
	}
	if (forming && now < o->started_ms + 2 * hello)
		return o->started_ms + 2 * hello;
	if (silent && now < o->started_ms + hello)
		return o->started_ms + hello;
	return 0;
}
