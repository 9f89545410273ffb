/* The Hello protocol (RFC 2328 9.5 sending, 10.5 receiving). */
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/ospf_priv.h"

void hello_send(struct ospf_if *ifp, uint64_t now)
{
	struct ospf *o = ifp->o;
	size_t k = 0, all = 0;

	ifp->hello_deadline = now + ms_of(ifp->cfg.hello_interval ? ifp->cfg.hello_interval : 10);
	if (!if_active(ifp) || ifp->state == ISM_DOWN)
		return;
	ifp->last_hello_ms = now;
	/* 9.5: every neighbor heard from recently, i.e. in state Init or
	 * above. A Hello is one packet (no fragmentation, A.1): on a broadcast
	 * link with more such neighbors than fit the MTU (about 360 at 1500
	 * bytes) the rest are left out, and counted. */
	size_t fit = (ospf_pkt_cap(ifp) - OSPF_HDR_LEN - OSPF_HELLO_FIXED_LEN) / 4;
	for (struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
		all += n->state >= NSM_INIT;
	uint32_t *nbrs = xcalloc(all, sizeof(*nbrs));
	for (struct ospf_nbr *n = ifp->nbrs; n && k < fit; n = n->next)
		if (n->state >= NSM_INIT)
			nbrs[k++] = n->rid;
	o->ctr.hello_nbrs_omitted += all - k;
	struct ospf_hello h = {
		/* Unnumbered p2p links send a zero mask (A.3.2). */
		.netmask = if_unnumbered(ifp) ? 0 : ifp->mask,
		.hello_interval = ifp->cfg.hello_interval,
		.options = OSPF_OPTIONS,
		.priority = ifp->cfg.priority,
		.dead_interval = ifp->cfg.dead_interval,
		.dr = ifp->cfg.network == OSPF_NET_BROADCAST ? ifp->dr_addr : 0,
		.bdr = ifp->cfg.network == OSPF_NET_BROADCAST ? ifp->bdr_addr : 0,
	};
	size_t len = ospf_hello_encode(o->buf, ospf_pkt_cap(ifp), o->rid, o->area, &h, nbrs, k);
	free(nbrs);
	ospf_send(ifp, OSPF_ALLSPF, o->buf, len, now);
}

/* An extra Hello now (or within the rate limit) so that a new neighbor
 * learns about us without waiting a HelloInterval. */
void hello_trigger(struct ospf_if *ifp, uint64_t now)
{
	uint64_t earliest = now;
	if (ifp->last_hello_ms != NEVER)
		earliest = ifp->last_hello_ms + TRIGGERED_HELLO_GAP_MS;
	if (earliest <= now)
		hello_send(ifp, now);
	else
		ifp->hello_deadline = min_u64(ifp->hello_deadline, earliest);
}

/* 10.5: the parameters that must agree on a link. */
static bool hello_params_ok(const struct ospf_if *ifp, const struct ospf_hello *h)
{
	if (ifp->cfg.network == OSPF_NET_BROADCAST && h->netmask != ifp->mask)
		return false;
	if (h->hello_interval != ifp->cfg.hello_interval ||
	    h->dead_interval != ifp->cfg.dead_interval)
		return false;
	return (h->options & OSPF_OPT_E) == (OSPF_OPTIONS & OSPF_OPT_E);
}

static bool hello_lists_us(const struct ospf_hello *h, uint32_t rid)
{
	for (size_t i = 0; i < h->n_neighbors; i++)
		if (ospf_hello_neighbor_at(h, i) == rid)
			return true;
	return false;
}

/* The broadcast-only part of 10.5: priority and DR/BDR declarations. */
static void hello_rx_bcast(struct ospf_if *ifp, struct ospf_nbr *n, uint8_t old_prio,
			   uint32_t old_dr, uint32_t old_bdr, bool new_nbr, uint64_t now)
{
	bool declares_dr = n->dr == n->addr, declares_bdr = n->bdr == n->addr;
	bool was_dr = old_dr == n->addr, was_bdr = old_bdr == n->addr;

	if (ifp->state == ISM_WAITING &&
	    ((declares_dr && n->bdr == 0) || declares_bdr)) {
		ism_backup_seen(ifp, now);
		return;
	}
	if (n->state < NSM_2WAY)
		return;
	if ((!new_nbr && old_prio != n->priority) || declares_dr != was_dr ||
	    declares_bdr != was_bdr)
		ism_neighbor_change(ifp, now);
}

void hello_rx(struct ospf_if *ifp, uint32_t src, const struct ospf_packet *p,
	      const uint8_t *buf, size_t len, uint64_t now)
{
	struct ospf *o = ifp->o;
	const struct ospf_hello *h = &p->u.hello;
	uint32_t rid = p->hdr.router_id;

	if (!hello_params_ok(ifp, h)) {
		o->ctr.drops[OSPF_DROP_HELLO_MISMATCH]++;
		char r[IPV4_STRLEN];
		ospf_logf(o, LOG_NOTICE, "ospf: hello from %s on %s: parameter mismatch", ipv4_str(rid, r),
			  ifp->cfg.name);
		return;
	}
	/* 10.5: neighbors are identified by source address on broadcast
	 * links, by router id on point-to-point links. */
	bool p2p = ifp->cfg.network == OSPF_NET_P2P;
	struct ospf_nbr *n = p2p ? nbr_find_rid(ifp, rid) : nbr_find_addr(ifp, src);
	bool new_nbr = !n;
	if (!n) {
		n = nbr_new(ifp, rid, src, now);
		/* Seed the crypto sequence from this (verified) packet. */
		if (ifp->cfg.auth.type == OSPF_AUTH_CRYPTO)
			n->crypto_seq = p->hdr.crypto_seq;
	}
	n->rid = rid;
	n->addr = src;
	uint8_t old_prio = n->priority;
	uint32_t old_dr = n->dr, old_bdr = n->bdr;
	n->priority = h->priority;
	n->options = h->options;
	n->dr = h->dr;
	n->bdr = h->bdr;

	bool was_down = n->state == NSM_DOWN;
	nsm_event(n, NSM_EV_HELLO, now);
	bool two_way = hello_lists_us(h, o->rid);
	if (two_way) {
		nsm_event(n, NSM_EV_2WAY, now);
	} else {
		nsm_event(n, NSM_EV_1WAY, now);
	}
	/* Fast adjacency: answer a new neighbor, or one that does not list
	 * us yet, with a Hello of our own right away. */
	if (new_nbr || was_down || !two_way)
		hello_trigger(ifp, now);
	/* 10.5: a Hello that does not list us ends here (1-WayReceived). */
	if (!p2p && two_way)
		hello_rx_bcast(ifp, n, old_prio, old_dr, old_bdr, new_nbr, now);
	(void)buf;
	(void)len;
}
