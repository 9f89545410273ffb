/* Database Description packets: the database exchange (RFC 2328 10.6
 * receiving, 10.8 sending), master/slave negotiation, duplicates and the
 * interface MTU check. */
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/ospf_priv.h"

/* Build and send the next DD (10.8); keep it for retransmission or for
 * answering a duplicate. */
static void dd_send(struct ospf_nbr *n, bool init, uint64_t now)
{
	struct ospf_if *ifp = n->ifp;
	struct ospf *o = ifp->o;
	size_t per = (ospf_pkt_cap(ifp) - OSPF_HDR_LEN - 8) / OSPF_LSA_HDR_LEN;
	size_t left = n->n_dbs - n->dbs_next;
	size_t k = init ? 0 : (left < per ? left : per);
	bool more = init || k < left;

	struct ospf_dbdesc d = {
		.mtu = ifp->cfg.mtu,
		.options = OSPF_OPTIONS,
		.flags = (uint8_t)((init ? OSPF_DD_I : 0) | (more ? OSPF_DD_M : 0) |
				   (n->master ? OSPF_DD_MS : 0)),
		.dd_seq = n->dd_seq,
	};
	size_t len = ospf_dbdesc_encode(o->buf, MAX_PKT, o->rid, o->area, &d,
					k ? n->dbs + n->dbs_next : NULL, k);
	if (!len)
		return;
	free(n->last_dd);
	n->last_dd = xmalloc(len);
	memcpy(n->last_dd, o->buf, len);
	n->last_dd_len = len;
	n->last_dd_more = more;
	n->dbs_sent = k;
	ospf_send(ifp, nbr_dst(n), o->buf, len, now);
}

void dd_send_last(struct ospf_nbr *n, uint64_t now)
{
	struct ospf *o = n->ifp->o;
	if (!n->last_dd)
		return;
	memcpy(o->buf, n->last_dd, n->last_dd_len);
	ospf_send(n->ifp, nbr_dst(n), o->buf, n->last_dd_len, now);
}

/* 10.3 ExStart: take the master role and send an empty DD with I, M, MS
 * set, at once and then every RxmtInterval until the neighbor answers. */
void dd_start(struct ospf_nbr *n, uint64_t now)
{
	n->dd_seq++;
	n->master = true;
	n->have_last_rx_dd = false;
	dd_send(n, true, now);
	n->dd_rxmt_deadline = now + ms_of(n->ifp->cfg.retransmit_interval);
}

/* 10.3 NegotiationDone: the Database summary list is a snapshot of the
 * database; MaxAge LSAs go to the retransmission list instead. */
static void dd_negotiation_done(struct ospf_nbr *n, uint64_t now)
{
	struct ospf *o = n->ifp->o;
	n->n_dbs = n->dbs_next = n->dbs_sent = 0;
	for (size_t i = 0; i < o->db.n; i++) {
		const struct lsdb_entry *e = o->db.e[i];
		struct lsa_hdr h;
		lsdb_cur_hdr(e, now, &h);
		if (h.age >= MAX_AGE) {
			nbr_rxmt_add(n, &h, now);
			continue;
		}
		n->dbs = xvec_grow(n->dbs, &n->cap_dbs, n->n_dbs + 1, sizeof *n->dbs);
		n->dbs[n->n_dbs++] = h;
	}
	nsm_event(n, NSM_EV_NEG_DONE, now);
}

/* 10.6: the LSA headers of an accepted DD go on the request list when
 * the neighbor's instance is newer than ours. */
static void dd_take_headers(struct ospf_nbr *n, const struct ospf_dbdesc *d, uint64_t now)
{
	struct ospf *o = n->ifp->o;
	for (size_t i = 0; i < d->n_lsa_hdrs; i++) {
		struct lsa_hdr h, cur;
		ospf_dbdesc_hdr_at(d, i, &h);
		/* Types we do not know (e.g. opaque) are not asked for. */
		if (h.type < LSA_ROUTER || h.type > LSA_EXTERNAL)
			continue;
		struct lsa_key k = lsa_key_of(&h);
		struct lsdb_entry *e = lsdb_find(&o->db, &k);
		if (e) {
			lsdb_cur_hdr(e, now, &cur);
			if (lsa_compare(&h, &cur) <= 0)
				continue;
		}
		if (!nbr_req_add(n, &h))
			return; /* past the bound: the adjacency is reset */
	}
}

/* The packet was accepted as the next in sequence (10.6, end). */
static void dd_accept(struct ospf_nbr *n, const struct ospf_dbdesc *d, uint64_t now)
{
	n->have_last_rx_dd = true;
	n->last_rx_flags = d->flags;
	n->last_rx_options = d->options;
	n->last_rx_seq = d->dd_seq;
	dd_take_headers(n, d, now);
	/* What we sent last is acknowledged by this packet. */
	n->dbs_next += n->dbs_sent;
	n->dbs_sent = 0;
	bool nbr_more = d->flags & OSPF_DD_M;
	if (n->master) {
		n->dd_seq++;
		if (!n->last_dd_more && !nbr_more) {
			nsm_event(n, NSM_EV_EXCH_DONE, now);
		} else {
			dd_send(n, false, now);
			n->dd_rxmt_deadline = now + ms_of(n->ifp->cfg.retransmit_interval);
		}
	} else {
		n->dd_seq = d->dd_seq;
		dd_send(n, false, now);
		if (!nbr_more && !n->last_dd_more)
			nsm_event(n, NSM_EV_EXCH_DONE, now);
	}
	lsr_send_if_idle(n, now);
}

/* We will be master and the neighbor, in ExStart too, sends its own
 * initial DD: it has not taken ours (10.6 makes it drop a DD in Down or
 * 2-Way; FRR is there for a moment after its Hello processing), and a
 * master that only waits for its RxmtInterval leaves the adjacency in
 * ExStart for seconds. Send ours again now: the neighbor is ready for it.
 * (As slave we take the master's initial DD in any state from Init on.)
 * One answer per packet the neighbor sends, so no storm. */
static void dd_prompt_slave(struct ospf_nbr *n, uint64_t now)
{
	dd_send_last(n, now);
	n->dd_rxmt_deadline = now + ms_of(n->ifp->cfg.retransmit_interval);
}

static void dd_rx_exstart(struct ospf_nbr *n, const struct ospf_dbdesc *d, uint64_t now)
{
	struct ospf *o = n->ifp->o;
	uint8_t f = d->flags;
	if ((f & OSPF_DD_I) && (f & OSPF_DD_M) && (f & OSPF_DD_MS) && d->n_lsa_hdrs == 0 &&
	    n->rid > o->rid) {
		n->master = false; /* the neighbor is master */
		n->dd_seq = d->dd_seq;
		n->dd_rxmt_deadline = NEVER;
	} else if (!(f & OSPF_DD_I) && !(f & OSPF_DD_MS) && d->dd_seq == n->dd_seq &&
		   n->rid < o->rid) {
		n->master = true;
	} else {
		if ((f & OSPF_DD_I) && (f & OSPF_DD_M) && (f & OSPF_DD_MS) && n->rid < o->rid)
			dd_prompt_slave(n, now);
		return;
	}
	n->dd_options = d->options;
	dd_negotiation_done(n, now);
	if (n->state != NSM_EXCHANGE)
		return;
	if (!n->master) {
		/* The master's first packet is accepted as is; our answer
		 * carries its sequence number. */
		n->dd_seq = d->dd_seq;
	}
	dd_accept(n, d, now);
}

/* SeqNumberMismatch (10.6) for a packet received in Exchange, Loading or
 * Full. When the packet is the initial DD of a neighbor that started over
 * (say it dropped the adjacency on a BFD Down) and will be master, 10.6
 * drops it and both sides wait a RxmtInterval for its retransmission; taking
 * it as that retransmission, in the ExStart the event just entered, forms
 * the adjacency again at once. */
static void dd_seq_mismatch(struct ospf_nbr *n, const struct ospf_dbdesc *d, uint64_t now)
{
	nsm_event(n, NSM_EV_SEQ_MISMATCH, now);
	if (n->state == NSM_EXSTART && (d->flags & OSPF_DD_I))
		dd_rx_exstart(n, d, now);
}

static bool dd_is_duplicate(const struct ospf_nbr *n, const struct ospf_dbdesc *d)
{
	return n->have_last_rx_dd && n->last_rx_flags == d->flags &&
	       n->last_rx_options == d->options && n->last_rx_seq == d->dd_seq;
}

static void dd_rx_exchange(struct ospf_nbr *n, const struct ospf_dbdesc *d, uint64_t now)
{
	if (dd_is_duplicate(n, d)) {
		/* The slave answers a duplicate with its last packet; the
		 * master ignores it. */
		if (!n->master)
			dd_send_last(n, now);
		return;
	}
	bool nbr_ms = d->flags & OSPF_DD_MS;
	uint32_t want = n->master ? n->dd_seq : n->dd_seq + 1;
	if (nbr_ms == n->master || (d->flags & OSPF_DD_I) || d->options != n->dd_options ||
	    d->dd_seq != want) {
		dd_seq_mismatch(n, d, now);
		return;
	}
	dd_accept(n, d, now);
}

void dd_rx(struct ospf_nbr *n, const struct ospf_packet *p, uint64_t now)
{
	const struct ospf_dbdesc *d = &p->u.dbdesc;
	struct ospf_if *ifp = n->ifp;

	/* 10.6: a neighbor whose packets we could not receive unfragmented
	 * cannot become adjacent. */
	if (ifp->cfg.mtu && d->mtu > ifp->cfg.mtu) {
		char rid[IPV4_STRLEN];
		if (!n->mtu_mismatch)
			ospf_logf(ifp->o, LOG_WARNING, "ospf: neighbor %s on %s: MTU %u > ours %u",
				  ipv4_str(n->rid, rid), ifp->cfg.name, d->mtu, ifp->cfg.mtu);
		n->mtu_mismatch = true;
		return;
	}
	n->mtu_mismatch = false;
	switch (n->state) {
	case NSM_DOWN:
	case NSM_ATTEMPT:
	case NSM_2WAY:
		return;
	case NSM_INIT:
		nsm_event(n, NSM_EV_2WAY, now);
		if (n->state != NSM_EXSTART)
			return;
		dd_rx_exstart(n, d, now);
		return;
	case NSM_EXSTART:
		dd_rx_exstart(n, d, now);
		return;
	case NSM_EXCHANGE:
		dd_rx_exchange(n, d, now);
		return;
	case NSM_LOADING:
	case NSM_FULL:
		if (dd_is_duplicate(n, d)) {
			if (!n->master)
				dd_send_last(n, now);
			return;
		}
		dd_seq_mismatch(n, d, now);
		return;
	}
}
