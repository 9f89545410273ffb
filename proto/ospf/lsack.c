/* Link State Acknowledgment packets (RFC 2328 13.5 sending, 13.7
 * receiving). */
#include <stdlib.h>
#include "proto/ospf/ospf_priv.h"

static uint32_t ack_dst(const struct ospf_if *ifp)
{
	/* 13.5: delayed acks go to AllSPFRouters from the DR/BDR and on
	 * point-to-point links, to AllDRouters otherwise. */
	if (ifp->cfg.network == OSPF_NET_P2P || if_is_dr_or_bdr(ifp))
		return OSPF_ALLSPF;
	return OSPF_ALLDR;
}

static void ack_send(struct ospf_if *ifp, uint32_t dst, const struct lsa_hdr *h, size_t n,
		     uint64_t now)
{
	struct ospf *o = ifp->o;
	size_t per = (ospf_pkt_cap(ifp) - OSPF_HDR_LEN) / OSPF_LSA_HDR_LEN;
	for (size_t i = 0; i < n; i += per) {
		size_t k = n - i < per ? n - i : per;
		size_t len = ospf_lsack_encode(o->buf, MAX_PKT, o->rid, o->area, h + i, k);
		ospf_send(ifp, dst, o->buf, len, now);
	}
}

void ack_delayed(struct ospf_if *ifp, const struct lsa_hdr *h, uint64_t now)
{
	ifp->acks = xvec_grow(ifp->acks, &ifp->cap_acks, ifp->n_acks + 1, sizeof *ifp->acks);
	ifp->acks[ifp->n_acks++] = *h;
	if (ifp->ack_deadline == NEVER)
		ifp->ack_deadline = now + DELAYED_ACK_MS;
}

void ack_flush(struct ospf_if *ifp, uint64_t now)
{
	ifp->ack_deadline = NEVER;
	if (ifp->n_acks && if_active(ifp) && ifp->state != ISM_DOWN)
		ack_send(ifp, ack_dst(ifp), ifp->acks, ifp->n_acks, now);
	ifp->n_acks = 0;
}

void ack_direct(struct ospf_nbr *n, const struct lsa_hdr *h, uint64_t now)
{
	ack_send(n->ifp, nbr_dst(n), h, 1, now);
}

/* 13.7: an acknowledgment takes the LSA off the retransmission list if it
 * names the instance we sent. */
void ack_rx(struct ospf_nbr *n, const struct ospf_packet *p, uint64_t now)
{
	struct ospf *o = n->ifp->o;
	if (n->state < NSM_EXCHANGE)
		return;
	for (size_t i = 0; i < p->u.lsack.n_lsa_hdrs; i++) {
		struct lsa_hdr h, cur;
		ospf_lsack_hdr_at(&p->u.lsack, i, &h);
		struct lsa_key k = lsa_key_of(&h);
		if (!nbr_rxmt_has(n, &k))
			continue;
		struct lsdb_entry *e = lsdb_find(&o->db, &k);
		if (!e) {
			nbr_rxmt_remove(n, &k);
			continue;
		}
		lsdb_cur_hdr(e, now, &cur);
		char rid[IPV4_STRLEN], id[IPV4_STRLEN], adv[IPV4_STRLEN];
		if (lsa_compare(&h, &cur) == 0)
			nbr_rxmt_remove(n, &k);
		else
			ospf_logf(o, LOG_DEBUG, "ospf: questionable ack from %s for LSA %u/%s/%s",
				  ipv4_str(n->rid, rid), h.type, ipv4_str(h.ls_id, id),
				  ipv4_str(h.adv_router, adv));
	}
}
