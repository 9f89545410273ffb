/* Link State Request packets (RFC 2328 10.7 receiving, 10.9 sending). */
#include <stdlib.h>
#include "proto/ospf/ospf_priv.h"

/* 10.9: ask for entries of the request list, as many as fit a packet;
 * retransmitted every RxmtInterval until answered. */
void lsr_send(struct ospf_nbr *n, uint64_t now)
{
	struct ospf_if *ifp = n->ifp;
	struct ospf *o = ifp->o;
	size_t per = (ospf_pkt_cap(ifp) - OSPF_HDR_LEN) / 12;
	size_t k = n->req.n < per ? n->req.n : per;
	struct ospf_lsreq_entry *e = xcalloc(k, sizeof *e);
	for (size_t i = 0; i < k; i++) {
		struct lsa_list_entry *r = &n->req.e[i];
		e[i].type = r->hdr.type;
		e[i].ls_id = r->hdr.ls_id;
		e[i].adv_router = r->hdr.adv_router;
		lsa_list_mark_sent(&n->req, r);
	}
	size_t len = ospf_lsreq_encode(o->buf, MAX_PKT, o->rid, o->area, e, k);
	free(e);
	if (k)
		ospf_send(ifp, nbr_dst(n), o->buf, len, now);
	n->lsr_rxmt_deadline = k ? now + ms_of(ifp->cfg.retransmit_interval) : NEVER;
}

void lsr_send_if_idle(struct ospf_nbr *n, uint64_t now)
{
	if (n->state != NSM_EXCHANGE && n->state != NSM_LOADING)
		return;
	if (n->req.n && !n->req.n_sent) /* else an answer is still due */
		lsr_send(n, now);
}

void lsr_progress(struct ospf_nbr *n, uint64_t now)
{
	if (n->state == NSM_LOADING && n->req.n == 0)
		nsm_event(n, NSM_EV_LOADING_DONE, now);
	else
		lsr_send_if_idle(n, now);
}

/* 10.7: answer with the requested LSAs; any we do not have is BadLSReq.
 * An LSA named more than once is sent once: a request repeating one big
 * LSA thousands of times must not make us send it thousands of times. */
void lsr_rx(struct ospf_nbr *n, const struct ospf_packet *p, uint64_t now)
{
	struct ospf *o = n->ifp->o;
	const struct ospf_lsreq *r = &p->u.lsreq;
	struct lsa_list seen = { 0 };

	if (n->state < NSM_EXCHANGE)
		return;
	for (size_t i = 0; i < r->n; i++) {
		struct ospf_lsreq_entry x;
		ospf_lsreq_at(r, i, &x);
		struct lsa_hdr h = { .type = (uint8_t)x.type, .ls_id = x.ls_id,
				     .adv_router = x.adv_router };
		struct lsa_key k = lsa_key_of(&h);
		if (x.type > 0xff || !lsdb_find(&o->db, &k)) {
			lsa_list_free(&seen);
			nsm_event(n, NSM_EV_BAD_LSREQ, now);
			return;
		}
		if (lsa_list_find(&seen, &k))
			o->ctr.lsr_duplicates++;
		else
			lsa_list_put(&seen, &h);
	}
	struct lsa_key *keys = xcalloc(seen.n, sizeof *keys);
	for (size_t i = 0; i < seen.n; i++)
		keys[i] = lsa_key_of(&seen.e[i].hdr);
	/* Sent directly, not put on the retransmission list: the neighbor
	 * asks again if they get lost. */
	lsu_send_keys(n->ifp, nbr_dst(n), keys, seen.n, now);
	free(keys);
	lsa_list_free(&seen);
}
