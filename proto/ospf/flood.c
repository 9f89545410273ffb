/* The flooding procedure (RFC 2328 13.3) and the handling of received
 * self-originated LSAs (13.4). */
#include <stdlib.h>
#include "proto/ospf/ospf_priv.h"

static uint32_t flood_dst(const struct ospf_if *ifp)
{
	/* 13.3 step 5: on broadcast links only the DR and BDR send to
	 * AllSPFRouters; the others reach them at AllDRouters. */
	if (ifp->cfg.network == OSPF_NET_P2P || if_is_dr_or_bdr(ifp))
		return OSPF_ALLSPF;
	return OSPF_ALLDR;
}

/* Step 1 for one neighbor; true if the LSA was put on its rxmt list. */
static bool flood_to_nbr(struct ospf_nbr *n, const struct lsa_hdr *cur, struct ospf_nbr *from,
			 uint64_t now)
{
	struct lsa_key k = lsa_key_of(cur);
	if (n->state < NSM_EXCHANGE)
		return false;
	if (n->state != NSM_FULL) {
		struct lsa_list_entry *r = nbr_req_find(n, &k);
		if (r) {
			int c = lsa_compare(cur, &r->hdr);
			if (c < 0)
				return false;
			nbr_req_remove(n, &k);
			lsr_progress(n, now);
			if (c == 0 || n->state < NSM_EXCHANGE)
				return false;
		}
	}
	if (n == from)
		return false;
	nbr_rxmt_add(n, cur, now);
	return true;
}

bool flood(struct ospf *o, struct lsdb_entry *e, struct ospf_nbr *from, uint64_t now)
{
	struct lsa_hdr cur;
	bool back_out = false;

	lsdb_cur_hdr(e, now, &cur);
	for (struct ospf_if *ifp = o->ifs; ifp; ifp = ifp->next) {
		if (!if_active(ifp) || ifp->state == ISM_DOWN)
			continue;
		bool added = false;
		for (struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
			added |= flood_to_nbr(n, &cur, from, now);
		if (!added)
			continue;
		if (from && from->ifp == ifp) {
			/* Steps 3-4: the DR floods what came from the DR/BDR,
			 * and the BDR leaves the flooding to the DR. */
			if (ifp->cfg.network == OSPF_NET_BROADCAST &&
			    (from->addr == ifp->dr_addr || from->addr == ifp->bdr_addr))
				continue;
			if (ifp->state == ISM_BACKUP)
				continue;
			back_out = true;
		}
		lsa_list_put(&ifp->flood_q, &cur);
	}
	return back_out;
}

void flood_send_queued(struct ospf *o, uint64_t now)
{
	for (struct ospf_if *ifp = o->ifs; ifp; ifp = ifp->next) {
		size_t n = ifp->flood_q.n;
		if (!n)
			continue;
		struct lsa_key *keys = xcalloc(n, sizeof *keys);
		for (size_t i = 0; i < n; i++)
			keys[i] = lsa_key_of(&ifp->flood_q.e[i].hdr);
		lsa_list_clear(&ifp->flood_q);
		if (if_active(ifp) && ifp->state != ISM_DOWN)
			lsu_send_keys(ifp, flood_dst(ifp), keys, n, now);
		free(keys);
	}
}

void flood_remove_rxmt(struct ospf *o, const struct lsa_key *k)
{
	for (struct ospf_if *ifp = o->ifs; ifp; ifp = ifp->next)
		for (struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
			nbr_rxmt_remove(n, k);
}

bool lsa_on_any_rxmt(const struct ospf *o, const struct lsa_key *k)
{
	for (const struct ospf_if *ifp = o->ifs; ifp; ifp = ifp->next)
		for (const struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
			if (nbr_rxmt_has(n, k))
				return true;
	return false;
}

bool any_nbr_exchanging(const struct ospf *o)
{
	for (const struct ospf_if *ifp = o->ifs; ifp; ifp = ifp->next)
		for (const struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
			if (n->state == NSM_EXCHANGE || n->state == NSM_LOADING)
				return true;
	return false;
}

/* 13.4: someone flooded an instance of "our" LSA newer than the one we
 * have (e.g. from before a restart). Either take over its sequence number
 * with a fresh instance, or flush it if we no longer originate it. */
void self_lsa_received(struct ospf *o, struct lsdb_entry *e, uint64_t now)
{
	if (o->shutting_down) {
		if (e->hdr.age < MAX_AGE)
			lsdb_flush_self(o, e, now);
		return;
	}
	if (e->hdr.type == LSA_ROUTER && e->hdr.ls_id == o->rid) {
		rtr_lsa_originate(o, now, true);
		return;
	}
	if (e->hdr.type == LSA_EXTERNAL && ext_self_received(o, e, now))
		return;
	if (e->hdr.type == LSA_NETWORK) {
		struct ospf_if *ifp = if_find_addr(o, e->hdr.ls_id);
		if (ifp && ifp->state == ISM_DR && if_n_full(ifp) > 0) {
			net_lsa_originate(ifp, now, true);
			return;
		}
	}
	if (e->hdr.age < MAX_AGE)
		lsdb_flush_self(o, e, now);
}
