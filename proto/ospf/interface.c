/* Interfaces and the Interface state machine (RFC 2328 9.1-9.4), including
 * the election of the Designated Router and its Backup. */
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/ospf_priv.h"

struct ospf_if *if_find(const struct ospf *o, uint32_t ifindex)
{
	for (struct ospf_if *ifp = o->ifs; ifp; ifp = ifp->next)
		if (ifp->cfg.ifindex == ifindex)
			return ifp;
	return NULL;
}

struct ospf_if *if_find_addr(const struct ospf *o, uint32_t addr)
{
	for (struct ospf_if *ifp = o->ifs; ifp; ifp = ifp->next)
		if (addr && ifp->addr == addr)
			return ifp;
	return NULL;
}

bool if_is_dr_or_bdr(const struct ospf_if *ifp)
{
	return ifp->state == ISM_DR || ifp->state == ISM_BACKUP;
}

/* A /32 (or no address) on a point-to-point link: the Cumulus-style
 * unnumbered fabric port borrowing the loopback address. */
bool if_unnumbered(const struct ospf_if *ifp)
{
	return ifp->cfg.network == OSPF_NET_P2P && (ifp->addr == 0 || ifp->mask == 0xffffffffu);
}

bool if_active(const struct ospf_if *ifp)
{
	return !ifp->cfg.passive && !ifp->cfg.loopback;
}

size_t if_n_full(const struct ospf_if *ifp)
{
	size_t k = 0;
	for (const struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
		k += n->state == NSM_FULL;
	return k;
}

static void if_set_state(struct ospf_if *ifp, enum ism_state s, uint64_t now)
{
	struct ospf *o = ifp->o;
	if (ifp->state == s)
		return;
	ospf_logf(o, LOG_INFO, "ospf: interface %s %s -> %s", ifp->cfg.name, ism_state_name(ifp->state),
		  ism_state_name(s));
	enum ism_state old = ifp->state;
	ifp->state = s;
	/* 8.1: DR and BDR listen on AllDRouters; only for real multicast links. */
	bool want = if_active(ifp) && (s == ISM_DR || s == ISM_BACKUP);
	if (want != ifp->alldr_joined) {
		ifp->alldr_joined = want;
		if (o->cb.alldr)
			o->cb.alldr(o->cb.ctx, ifp->cfg.ifindex, want);
	}
	/* 12.4: interface state changes change the Router-LSA; becoming or
	 * ceasing to be DR changes the Network-LSA (12.4.2). */
	rtr_lsa_schedule(o, old == ISM_DOWN ? if_up_origination(ifp, now) : now);
	if (old == ISM_DR || s == ISM_DR)
		net_lsa_schedule(ifp, now);
}

/* ---- DR election (9.4) ---- */

struct candidate {
	uint32_t rid, addr, dr, bdr;
	uint8_t prio;
};

static bool better(const struct candidate *a, const struct candidate *b)
{
	if (a->prio != b->prio)
		return a->prio > b->prio;
	return a->rid > b->rid;
}

/* Every eligible router on the link: us and each neighbor in 2-Way or
 * better with a priority (9.4 step 1). c has room for 1 + the neighbors. */
static size_t candidates(struct ospf_if *ifp, struct candidate *c)
{
	size_t k = 0;
	if (ifp->cfg.priority > 0)
		c[k++] = (struct candidate){ ifp->o->rid, ifp->addr, ifp->dr_addr, ifp->bdr_addr,
					     ifp->cfg.priority };
	for (struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
		if (n->state >= NSM_2WAY && n->priority > 0)
			c[k++] = (struct candidate){ n->rid, n->addr, n->dr, n->bdr, n->priority };
	return k;
}

/* Steps 2 and 3 over the candidates; results as indices (-1 none). */
static void elect(const struct candidate *c, size_t k, int *dr, int *bdr)
{
	*dr = *bdr = -1;
	/* BDR: among those not declaring themselves DR, the ones declaring
	 * themselves BDR first; then the highest priority and router id. */
	for (int pass = 0; pass < 2 && *bdr < 0; pass++) {
		for (size_t i = 0; i < k; i++) {
			if (c[i].dr == c[i].addr)
				continue;
			if (pass == 0 && c[i].bdr != c[i].addr)
				continue;
			if (*bdr < 0 || better(&c[i], &c[*bdr]))
				*bdr = (int)i;
		}
	}
	/* DR: among those declaring themselves DR; none: the new BDR. */
	for (size_t i = 0; i < k; i++)
		if (c[i].dr == c[i].addr && (*dr < 0 || better(&c[i], &c[*dr])))
			*dr = (int)i;
	if (*dr < 0)
		*dr = *bdr;
}

static void dr_election(struct ospf_if *ifp, uint64_t now)
{
	size_t room = 1;
	for (struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
		room++;
	struct candidate *c = xcalloc(room, sizeof(*c));
	uint32_t me = ifp->addr;
	bool was_dr = ifp->dr_addr == me, was_bdr = ifp->bdr_addr == me;
	int dr, bdr;

	size_t k = candidates(ifp, c);
	elect(c, k, &dr, &bdr);
	uint32_t ndr = dr >= 0 ? c[dr].addr : 0, nbdr = bdr >= 0 ? c[bdr].addr : 0;
	/* Step 4: when we become or stop being DR / BDR, run it once more with
	 * our own declaration updated. */
	if ((ndr == me) != was_dr || (nbdr == me) != was_bdr) {
		ifp->dr_addr = ndr;
		ifp->bdr_addr = nbdr;
		k = candidates(ifp, c);
		elect(c, k, &dr, &bdr);
		ndr = dr >= 0 ? c[dr].addr : 0;
		nbdr = bdr >= 0 ? c[bdr].addr : 0;
	}
	bool changed = ndr != ifp->dr_addr || nbdr != ifp->bdr_addr;
	ifp->dr_addr = ndr;
	ifp->bdr_addr = nbdr;
	ifp->dr_id = dr >= 0 ? c[dr].rid : 0;
	ifp->bdr_id = bdr >= 0 ? c[bdr].rid : 0;
	free(c);
	/* Step 5: our new state. */
	if (ndr == me)
		if_set_state(ifp, ISM_DR, now);
	else if (nbdr == me)
		if_set_state(ifp, ISM_BACKUP, now);
	else
		if_set_state(ifp, ISM_DROTHER, now);
	/* Step 6 (and 9.4 end): a changed DR/BDR may create or break adjacencies. */
	for (struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
		if (n->state >= NSM_2WAY)
			nsm_event(n, NSM_EV_ADJ_OK, now);
	if (changed || was_dr != (ndr == me)) {
		rtr_lsa_schedule(ifp->o, now);
		net_lsa_schedule(ifp, now);
	}
	/* Tell the others at once, so that they converge on the same view. */
	if (changed)
		hello_trigger(ifp, now);
}

/* ---- ISM events (9.3) ---- */

static void ism_if_up(struct ospf_if *ifp, uint64_t now)
{
	if (ifp->state != ISM_DOWN)
		return;
	ifp->dr_addr = ifp->bdr_addr = ifp->dr_id = ifp->bdr_id = 0;
	if (ifp->cfg.loopback) {
		if_set_state(ifp, ISM_LOOPBACK, now);
		return;
	}
	if (ifp->cfg.passive) {
		/* No protocol runs here: advertised as a stub network only. */
		if_set_state(ifp, ifp->cfg.network == OSPF_NET_P2P ? ISM_P2P : ISM_DROTHER, now);
		return;
	}
	if (ifp->cfg.network == OSPF_NET_P2P) {
		if_set_state(ifp, ISM_P2P, now);
	} else if (ifp->cfg.priority == 0) {
		if_set_state(ifp, ISM_DROTHER, now);
	} else {
		if_set_state(ifp, ISM_WAITING, now);
		ifp->wait_deadline = now + ms_of(ifp->cfg.dead_interval);
	}
	/* Fast adjacency: say hello at once instead of after HelloInterval. */
	ifp->hello_deadline = now;
	hello_trigger(ifp, now);
}

static void ism_if_down(struct ospf_if *ifp, uint64_t now)
{
	for (struct ospf_nbr *n = ifp->nbrs; n; n = n->next)
		nsm_event(n, NSM_EV_KILL, now);
	ifp->hello_deadline = ifp->wait_deadline = ifp->ack_deadline = NEVER;
	ifp->n_acks = 0;
	ifp->dr_addr = ifp->bdr_addr = ifp->dr_id = ifp->bdr_id = 0;
	if_set_state(ifp, ISM_DOWN, now);
}

void ism_backup_seen(struct ospf_if *ifp, uint64_t now)
{
	if (ifp->state != ISM_WAITING)
		return;
	ifp->wait_deadline = NEVER;
	dr_election(ifp, now);
}

void ism_neighbor_change(struct ospf_if *ifp, uint64_t now)
{
	if (ifp->state == ISM_DR || ifp->state == ISM_BACKUP || ifp->state == ISM_DROTHER)
		dr_election(ifp, now);
}

/* The link can run OSPF: carrier and (unless unnumbered) an address. */
static bool if_can_be_up(const struct ospf_if *ifp)
{
	return ifp->link_up && (ifp->addr || ifp->cfg.network == OSPF_NET_P2P);
}

static void if_reevaluate(struct ospf_if *ifp, uint64_t now)
{
	bool up = if_can_be_up(ifp);
	if (up && ifp->state == ISM_DOWN)
		ism_if_up(ifp, now);
	else if (!up && ifp->state != ISM_DOWN)
		ism_if_down(ifp, now);
}

void if_tick(struct ospf_if *ifp, uint64_t now)
{
	if (ifp->wait_deadline <= now) {
		ifp->wait_deadline = NEVER;
		if (ifp->state == ISM_WAITING)
			dr_election(ifp, now); /* WaitTimer */
	}
	if (ifp->hello_deadline <= now)
		hello_send(ifp, now);
	if (ifp->ack_deadline <= now)
		ack_flush(ifp, now);
}

uint64_t if_deadline(const struct ospf_if *ifp)
{
	return min_u64(min_u64(ifp->hello_deadline, ifp->wait_deadline),
		       min_u64(ifp->ack_deadline, ifp->net_lsa_deadline));
}

/* ---- public API ---- */

int ospf_if_add(struct ospf *o, const struct ospf_if_config *cfg, uint64_t now)
{
	if (if_find(o, cfg->ifindex))
		return -1;
	struct ospf_if *ifp = calloc(1, sizeof *ifp);
	if (!ifp)
		return -1;
	ifp->o = o;
	ifp->cfg = *cfg;
	ifp->cfg.name[sizeof ifp->cfg.name - 1] = 0;
	ifp->state = ISM_DOWN;
	ifp->hello_deadline = ifp->wait_deadline = ifp->ack_deadline = NEVER;
	ifp->net_lsa_deadline = NEVER;
	ifp->last_hello_ms = NEVER; /* no Hello sent yet */
	ifp->crypto_seq = o->crypto_seq_base;
	/* Append: keeps `show interfaces` in configuration order. */
	struct ospf_if **pp = &o->ifs;
	while (*pp)
		pp = &(*pp)->next;
	*pp = ifp;
	rtr_lsa_schedule(o, now);
	return 0;
}

int ospf_if_update(struct ospf *o, const struct ospf_if_config *cfg, uint64_t now)
{
	struct ospf_if *ifp = if_find(o, cfg->ifindex);
	if (!ifp)
		return -1;
	struct ospf_if_config old = ifp->cfg;
	ifp->cfg = *cfg;
	ifp->cfg.name[sizeof ifp->cfg.name - 1] = 0;
	/* Changes of the kind of link, of the timers that neighbors check
	 * (10.5) or of the priority restart the interface; cost and auth
	 * only change what we advertise / how we sign. */
	bool restart = old.network != cfg->network || old.passive != cfg->passive ||
		       old.loopback != cfg->loopback || old.hello_interval != cfg->hello_interval ||
		       old.dead_interval != cfg->dead_interval || old.priority != cfg->priority;
	if (restart && ifp->state != ISM_DOWN) {
		ism_if_down(ifp, now);
		if_reevaluate(ifp, now);
	}
	/* Only what the Router-LSA says (the daemon calls this on every
	 * link event: an instance asked for here would go out with a port
	 * that is just coming up, before its adjacency; see
	 * if_up_origination). */
	if (restart || old.cost != cfg->cost || old.ifindex != cfg->ifindex)
		rtr_lsa_schedule(o, now);
	return 0;
}

void ospf_if_remove(struct ospf *o, uint32_t ifindex, uint64_t now)
{
	struct ospf_if **pp = &o->ifs;
	while (*pp && (*pp)->cfg.ifindex != ifindex)
		pp = &(*pp)->next;
	struct ospf_if *ifp = *pp;
	if (!ifp)
		return;
	ism_if_down(ifp, now);
	/* A Network-LSA of ours for this link is flushed (14.1). */
	for (size_t i = 0; i < o->db.n; i++) {
		struct lsdb_entry *e = o->db.e[i];
		if (e->hdr.type == LSA_NETWORK && e->hdr.adv_router == o->rid &&
		    ifp->addr && e->hdr.ls_id == ifp->addr && e->hdr.age < MAX_AGE)
			lsdb_flush_self(o, e, now);
	}
	*pp = ifp->next;
	if_free(ifp);
	rtr_lsa_schedule(o, now);
}

void if_free(struct ospf_if *ifp)
{
	while (ifp->nbrs) {
		struct ospf_nbr *n = ifp->nbrs;
		ifp->nbrs = n->next;
		nbr_free(n);
	}
	free(ifp->acks);
	lsa_list_free(&ifp->flood_q);
	free(ifp->addrs);
	free(ifp);
}

size_t ospf_addr_primary(const struct ospf_if_addr *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].addr && a[i].mask != 0xffffffffu)
			return i;
	for (size_t i = 0; i < n; i++)
		if (a[i].addr)
			return i;
	return n;
}

static bool addrs_equal(const struct ospf_if *ifp, const struct ospf_if_addr *a, size_t n)
{
	return ifp->n_addrs == n && (n == 0 || !memcmp(ifp->addrs, a, n * sizeof(*a)));
}

void ospf_if_set_addrs(struct ospf *o, uint32_t ifindex, const struct ospf_if_addr *a, size_t n,
		       uint64_t now)
{
	struct ospf_if *ifp = if_find(o, ifindex);
	if (!ifp)
		return;
	size_t p = ospf_addr_primary(a, n);
	uint32_t addr = p < n ? a[p].addr : 0, mask = p < n ? a[p].mask : 0;
	if (!addrs_equal(ifp, a, n)) {
		struct ospf_if_addr *copy = n ? xcalloc(n, sizeof(*copy)) : NULL;
		if (n)
			memcpy(copy, a, n * sizeof(*a));
		free(ifp->addrs);
		ifp->addrs = copy;
		ifp->n_addrs = n;
		/* Stubs of the other addresses come and go with our Router-LSA. */
		rtr_lsa_schedule(o, now);
	}
	if (ifp->addr == addr && ifp->mask == mask)
		return;
	/* A new primary address is a new identity on the link: restart the
	 * interface. */
	if (ifp->state != ISM_DOWN)
		ism_if_down(ifp, now);
	ifp->addr = addr;
	ifp->mask = mask;
	if_reevaluate(ifp, now);
	rtr_lsa_schedule(o, now);
}

void ospf_if_set_addr(struct ospf *o, uint32_t ifindex, uint32_t addr, uint32_t mask, uint64_t now)
{
	struct ospf_if_addr a = { addr, mask };
	ospf_if_set_addrs(o, ifindex, &a, addr ? 1 : 0, now);
}

void ospf_if_updown(struct ospf *o, uint32_t ifindex, bool up, uint64_t now)
{
	struct ospf_if *ifp = if_find(o, ifindex);
	if (!ifp)
		return;
	ifp->link_up = up;
	if_reevaluate(ifp, now);
}
