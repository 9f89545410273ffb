/* Link State Request packets (RFC 2328 10.7 receiving, 10.9 sending). */
#include <stdlib.h>
#include "proto/ospf/ospf_priv.h"

/* 10.9: ask for the head of the request list, as much as fits a packet;
 * retransmitted every RxmtInterval until answered. */
void lsr_send(struct ospf_nbr *n, uint64_t now)
{
	struct ospf_if *ifp = n->ifp;
	struct ospf *o = ifp->o;
	size_t per = (ospf_pkt_cap(ifp) - OSPF_HDR_LEN) / 12;
	size_t k = n->n_req < per ? n->n_req : per;
	struct ospf_lsreq_entry *e = xcalloc(k, sizeof *e);
	for (size_t i = 0; i < k; i++) {
		e[i].type = n->req[i].hdr.type;
		e[i].ls_id = n->req[i].hdr.ls_id;
		e[i].adv_router = n->req[i].hdr.adv_router;
		n->req[i].sent = true;
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
	for (size_t i = 0; i < n->n_req; i++)
		if (n->req[i].sent)
			return; /* an answer is still due */
	if (n->n_req)
		lsr_send(n, now);
}

void lsr_progress(struct ospf_nbr *n, uint64_t now)
{
	if (n->state == NSM_LOADING && n->n_req == 0)
		nsm_event(n, NSM_EV_LOADING_DONE, now);
	else
		lsr_send_if_idle(n, now);
}

/* 10.7: answer with the requested LSAs; any we do not have is BadLSReq. */
void lsr_rx(struct ospf_nbr *n, const struct ospf_packet *p, uint64_t now)
{
	struct ospf *o = n->ifp->o;
	const struct ospf_lsreq *r = &p->u.lsreq;

	if (n->state < NSM_EXCHANGE)
		return;
	struct lsa_key *keys = xcalloc(r->n, sizeof *keys);
	for (size_t i = 0; i < r->n; i++) {
		struct ospf_lsreq_entry x;
		ospf_lsreq_at(r, i, &x);
		keys[i] = (struct lsa_key){ (uint8_t)x.type, x.ls_id, x.adv_router };
		if (x.type > 0xff || !lsdb_find(&o->db, &keys[i])) {
			free(keys);
			nsm_event(n, NSM_EV_BAD_LSREQ, now);
			return;
		}
	}
	/* Sent directly, not put on the retransmission list: the neighbor
	 * asks again if they get lost. */
	lsu_send_keys(n->ifp, nbr_dst(n), keys, r->n, now);
	free(keys);
}
