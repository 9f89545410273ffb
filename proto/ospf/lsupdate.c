/* Link State Update packets: receiving (RFC 2328 13), sending and
 * retransmitting (13.3, 13.6). */
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/ospf_priv.h"

/* Send the LSAs named by keys (those still in the database) to dst,
 * as many per packet as the interface MTU allows. */
void lsu_send_keys(struct ospf_if *ifp, uint32_t dst, const struct lsa_key *keys, size_t n,
		   uint64_t now)
{
	struct ospf *o = ifp->o;
	size_t cap = ospf_pkt_cap(ifp), room = cap - OSPF_HDR_LEN - 4;
	uint8_t *scratch = xmalloc(MAX_PKT);
	const uint8_t **lsas = xcalloc(n, sizeof *lsas);
	size_t used = 0, k = 0;
	for (size_t i = 0; i <= n; i++) {
		const struct lsdb_entry *e = i < n ? lsdb_find(&o->db, &keys[i]) : NULL;
		if (i < n && !e)
			continue;
		/* Flush the batch at the end or when the next LSA does not fit. */
		if (k && (i == n || used + e->len > room)) {
			size_t len = ospf_lsupd_encode(o->buf, MAX_PKT, o->rid, o->area, lsas, k);
			ospf_send(ifp, dst, o->buf, len, now);
			used = k = 0;
		}
		if (i == n)
			break;
		if (e->len > MAX_PKT - OSPF_HDR_LEN - 4)
			continue;
		/* 13.3: the age goes out incremented by InfTransDelay. */
		lsdb_copy_aged(e, now, ifp->cfg.transmit_delay, scratch + used);
		lsas[k++] = scratch + used;
		used += e->len;
	}
	free(lsas);
	free(scratch);
}

void lsu_rxmt(struct ospf_nbr *n, uint64_t now)
{
	struct ospf *o = n->ifp->o;
	struct lsa_key *keys = xcalloc(n->rxmt.n, sizeof *keys);
	for (size_t i = 0; i < n->rxmt.n; i++)
		keys[i] = lsa_key_of(&n->rxmt.e[i].hdr);
	o->ctr.retransmissions++;
	lsu_send_keys(n->ifp, nbr_dst(n), keys, n->rxmt.n, now);
	free(keys);
	n->lsu_rxmt_deadline = now + ms_of(n->ifp->cfg.retransmit_interval);
}

/* 13 step 5: a newer instance than ours (or a new LSA). */
static void lsu_rx_newer(struct ospf_nbr *n, const uint8_t *lsa, size_t len,
			 const struct lsa_hdr *h, uint64_t now)
{
	struct ospf_if *ifp = n->ifp;
	struct ospf *o = ifp->o;
	struct lsa_key k = lsa_key_of(h);

	/* (c) The old instance is no longer to be retransmitted; (d) install;
	 * (b) flood. (c) first since the lists hold keys, not instances. */
	flood_remove_rxmt(o, &k);
	/* An instance we requested in a database exchange was not flooded to
	 * us: the next flooded instance must not be held to MinLSArrival
	 * against it. */
	bool requested = nbr_req_find(n, &k) != NULL;
	struct lsdb_entry *e = lsdb_install(o, lsa, len, !requested, now);
	bool back_out = flood(o, e, n, now);
	/* (e) 13.5, table 19. */
	if (!back_out && (ifp->state != ISM_BACKUP || n->addr == ifp->dr_addr))
		ack_delayed(ifp, h, now);
	/* (f) 13.4 */
	if (lsdb_is_self(o, h))
		self_lsa_received(o, e, now);
}

/* One LSA of an update; false when the rest of the packet must be dropped. */
static bool lsu_rx_one(struct ospf_nbr *n, const uint8_t *lsa, size_t len, uint64_t now)
{
	struct ospf_if *ifp = n->ifp;
	struct ospf *o = ifp->o;
	struct lsa_hdr h;

	if (len < OSPF_LSA_HDR_LEN)
		return false;
	lsa_hdr_decode(lsa, &h);
	if (h.length != len || !lsa_checksum_ok(lsa, len)) { /* (1) */
		o->ctr.drops[OSPF_DROP_LSA_CHECKSUM]++;
		return true;
	}
	/* (2) An unknown LS type is discarded: not installed, not flooded and
	 * not acknowledged (the RFC says "discard", and an acknowledgment
	 * would tell the sender we hold it). Counted. */
	if (h.type < LSA_ROUTER || h.type > LSA_EXTERNAL) {
		o->ctr.lsa_unknown_type++;
		return true;
	}
	/* A body that does not parse for its type (A.4) would be flooded on
	 * to every neighbor and trip each one's SPF: discarded, counted. */
	if (!lsa_body_ok(lsa, len)) {
		o->ctr.lsa_malformed++;
		return true;
	}
	/* 12.1.6: 0x80000000 is reserved and unused. */
	if (h.seq == (int32_t)0x80000000) {
		o->ctr.lsa_bad_seq++;
		return true;
	}
	if (h.age > MAX_AGE)
		h.age = MAX_AGE;
	o->ctr.lsa_received++;
	struct lsa_key k = lsa_key_of(&h);
	struct lsdb_entry *e = lsdb_find(&o->db, &k);
	/* RFC 1765 2.1: past ospf.max-lsa a new non-default AS-external-LSA
	 * is dropped and not acknowledged. One we asked for leaves the request
	 * list, so that Loading can end. */
	if (!e && h.age < MAX_AGE && !overflow_admit(o, &h, now)) {
		nbr_req_remove(n, &k); /* lsu_rx ends with lsr_progress */
		return true;
	}
	/* (4) A flush of something we never had: just acknowledge. */
	if (h.age >= MAX_AGE && !e && !any_nbr_exchanging(o)) {
		ack_direct(n, &h, now);
		return true;
	}
	struct lsa_hdr cur;
	if (e)
		lsdb_cur_hdr(e, now, &cur);
	int c = e ? lsa_compare(&h, &cur) : 1;
	if (c > 0) {
		/* (5a) MinLSArrival: ignore instances arriving too fast. An
		 * instance we asked this neighbor for is an answer, not a flood
		 * storm: dropping it would stall Loading for a whole
		 * retransmit interval. */
		if (e && e->from_flood && now - e->installed_ms < ms_of(MIN_LS_ARRIVAL) &&
		    !nbr_req_find(n, &k))
			return true;
		lsu_rx_newer(n, lsa, len, &h, now);
		return true;
	}
	/* (6) We asked for a newer instance than this: the exchange is broken. */
	if (nbr_req_find(n, &k)) {
		nsm_event(n, NSM_EV_BAD_LSREQ, now);
		return false;
	}
	if (c == 0) {
		/* (7) The same instance: an implied acknowledgment, or a duplicate. */
		if (nbr_rxmt_remove(n, &k)) {
			if (ifp->state == ISM_BACKUP && n->addr == ifp->dr_addr)
				ack_delayed(ifp, &h, now);
		} else {
			ack_direct(n, &h, now);
		}
		return true;
	}
	/* (8) Ours is newer: send it back, unless just done. */
	if (cur.age >= MAX_AGE && cur.seq == MAX_SEQ)
		return true;
	if (e->last_sent_ms && now - e->last_sent_ms < ms_of(MIN_LS_ARRIVAL))
		return true;
	e->last_sent_ms = now ? now : 1;
	lsu_send_keys(ifp, nbr_dst(n), &k, 1, now);
	return true;
}

void lsu_rx(struct ospf_nbr *n, const struct ospf_packet *p, uint64_t now)
{
	size_t off = 0, len;
	const uint8_t *lsa;

	if (n->state < NSM_EXCHANGE)
		return;
	while ((lsa = ospf_lsupd_next(&p->u.lsupd, &off, &len)))
		if (!lsu_rx_one(n, lsa, len, now))
			return;
	lsr_progress(n, now);
}
