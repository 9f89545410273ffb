/* The interface table: each configured interface joined with what the
 * kernel reports about it (fib/ link monitor), and handed to the OSPF engine
 * as it appears, comes up, goes down or disappears. Carrier loss also takes
 * the interface's next hops out of the kernel at once (local repair), before
 * OSPF or SPF have done anything. */
#include <stdlib.h>
#include <string.h>
#include "fabricd/daemon.h"
#include "fabricd/events.h"
#include "fabricd/log.h"
#include "proto/lib/ipv4.h"
#include "proto/lib/vec.h"

struct fd_iface *iface_by_index(struct fabricd *d, uint32_t ifindex)
{
	for (size_t n = 0; n < d->n_ifaces; n++)
		if (d->ifaces[n] && d->ifaces[n]->ifindex == ifindex && ifindex)
			return d->ifaces[n];
	return NULL;
}

struct fd_iface *iface_by_name(struct fabricd *d, const char *name)
{
	for (size_t n = 0; n < d->n_ifaces; n++)
		if (d->ifaces[n] && !strcmp(d->ifaces[n]->name, name))
			return d->ifaces[n];
	return NULL;
}

static uint32_t plen_mask(uint8_t plen)
{
	return plen ? 0xffffffffu << (32 - plen) : 0;
}

_Static_assert(CONF_AUTH_HMAC_SHA1 - CONF_AUTH_MD5 == OSPF_ALG_HMAC_SHA1 &&
		       CONF_AUTH_HMAC_SHA512 - CONF_AUTH_MD5 == OSPF_ALG_HMAC_SHA512 &&
		       CONF_SECRET_MAX == OSPF_SECRET_MAX,
	       "conf_auth's crypto algorithms and secrets match proto/ospf's");

/* The interface's OSPF authentication (conf_auth values past md5 are the
 * HMAC-SHA algorithms of RFC 5709, in ospf_crypto_alg's order). */
static void ospf_auth_from_conf(const struct conf_iface *c, struct ospf_auth *a)
{
	memset(a, 0, sizeof *a);
	a->type = c->auth >= CONF_AUTH_MD5      ? OSPF_AUTH_CRYPTO
		  : c->auth == CONF_AUTH_SIMPLE ? OSPF_AUTH_SIMPLE
						: OSPF_AUTH_NULL;
	a->alg = c->auth >= CONF_AUTH_MD5 ? (enum ospf_crypto_alg)(c->auth - CONF_AUTH_MD5)
					  : OSPF_ALG_MD5;
	a->n_keys = c->n_keys < OSPF_MAX_KEYS ? c->n_keys : OSPF_MAX_KEYS;
	for (size_t k = 0; k < a->n_keys; k++) {
		const struct conf_key *ck = &c->keys[k];
		struct ospf_key *ok = &a->keys[k];
		ok->id = ck->id;
		memcpy(ok->secret, ck->secret, sizeof(ok->secret));
		ok->send_from = ck->send_from;
		ok->send_until = ck->send_until;
		ok->accept_from = ck->accept_from;
		ok->accept_until = ck->accept_until;
	}
}

static void iface_ospf_config(const struct fd_iface *i, struct ospf_if_config *oc)
{
	const struct conf_iface *c = i->cfg;
	memset(oc, 0, sizeof(*oc));
	snprintf(oc->name, sizeof(oc->name), "%s", i->name);
	oc->ifindex = i->ifindex;
	oc->network = c->network == CONF_NET_BROADCAST ? OSPF_NET_BROADCAST : OSPF_NET_P2P;
	oc->loopback = i->loopback;
	oc->passive = c->passive || i->loopback;
	oc->cost = (uint16_t)c->cost;
	oc->hello_interval = (uint16_t)c->hello_interval;
	oc->dead_interval = c->dead_interval;
	oc->retransmit_interval = (uint16_t)c->retransmit_interval;
	oc->transmit_delay = (uint16_t)c->transmit_delay;
	oc->priority = (uint8_t)c->priority;
	oc->mtu = (uint16_t)(i->mtu > 65535 ? 65535 : i->mtu);
	ospf_auth_from_conf(c, &oc->auth);
}

static bool iface_wants_up(const struct fd_iface *i)
{
	return i->ifindex && i->admin_up && (i->carrier || i->loopback) && i->addr && !dampen_held(i);
}

/* Bring the engine's view of one interface in line with the kernel's. */
void iface_sync(struct fabricd *d, struct fd_iface *i)
{
	uint64_t now = now_ms();
	struct ospf_if_config oc;

	if (!i->ifindex)
		return; /* not in the kernel (yet): iface_link_gone() took it out of OSPF */
	iface_ospf_config(i, &oc);
	if (!i->in_ospf) {
		if (ospf_if_add(d->ospf, &oc, now) < 0) {
			log_err("%s: cannot add to OSPF", i->name);
			return;
		}
		i->in_ospf = true;
		if (!oc.passive)
			ospf_io_open(i);
	} else {
		ospf_if_update(d->ospf, &oc, now);
		if (oc.passive)
			ospf_io_close(i);
		else if (i->sock < 0)
			ospf_io_open(i);
	}
	ospf_if_set_addrs(d->ospf, i->ifindex, i->addrs, i->n_addrs, now);
	bool up = iface_wants_up(i);
	if (up != i->up_in_ospf) {
		log_notice("%s: %s", i->name, up ? "up" : "down");
		events_interface(d, i, up);
		events_kill_reason(up ? NULL : "InterfaceDown");
		ospf_if_updown(d->ospf, i->ifindex, up, now);
		events_kill_reason(NULL);
		i->up_in_ospf = up;
	}
	ospf_timer_rearm(d);
}

void iface_link_event(struct fabricd *d, uint32_t ifindex, const char *name, bool admin_up,
		      bool carrier, bool loopback, uint32_t mtu)
{
	struct fd_iface *i = iface_by_name(d, name);
	struct fd_iface *old = iface_by_index(d, ifindex);
	if (old && old != i) /* renamed away from a configured name */
		iface_link_gone(d, ifindex);
	if (!i)
		return;
	bool had_carrier = i->ifindex == ifindex && i->carrier && i->admin_up;
	if (i->ifindex != ifindex && i->ifindex) /* deleted and made again */
		iface_link_gone(d, i->ifindex);
	i->ifindex = ifindex;
	i->admin_up = admin_up;
	i->carrier = carrier;
	i->loopback = loopback;
	i->mtu = mtu;
	/* Local repair: the kernel drops a dead port's routes itself only when
	 * the link goes admin down; on carrier loss we take them out now. */
	if (had_carrier && !(carrier && admin_up) && d->fib)
		routes_local_repair(d, ifindex, 0);
	if (had_carrier && admin_up && !carrier)
		dampen_failure(d, i, "carrier loss");
	else if (!had_carrier && carrier && admin_up)
		dampen_up(i);
	iface_sync(d, i);
}

void iface_link_gone(struct fabricd *d, uint32_t ifindex)
{
	struct fd_iface *i = iface_by_index(d, ifindex);
	if (!i)
		return;
	log_notice("%s: removed from the system", i->name);
	uint64_t now = now_ms();
	if (i->in_ospf) {
		ospf_io_close(i);
		ospf_if_remove(d->ospf, ifindex, now);
	}
	i->in_ospf = i->up_in_ospf = false;
	i->ifindex = 0;
	i->n_addrs = 0;
	i->addr = 0;
	i->plen = 0;
	ospf_timer_rearm(d);
}

static uint8_t mask_plen(uint32_t mask)
{
	return (uint8_t)__builtin_popcount(mask);
}

static void primary_refresh(struct fd_iface *i)
{
	size_t p = ospf_addr_primary(i->addrs, i->n_addrs);
	i->addr = p < i->n_addrs ? i->addrs[p].addr : 0;
	i->plen = p < i->n_addrs ? mask_plen(i->addrs[p].mask) : 0;
}

static size_t addr_find(const struct fd_iface *i, uint32_t addr, uint32_t mask)
{
	size_t k = 0;
	while (k < i->n_addrs && (i->addrs[k].addr != addr || i->addrs[k].mask != mask))
		k++;
	return k;
}

/* Every IPv4 address of the interface counts (the engine advertises each
 * subnet, and the interface runs while any address remains). */
void iface_addr_event(struct fabricd *d, uint32_t ifindex, uint32_t addr, uint8_t plen, bool add)
{
	struct fd_iface *i = iface_by_index(d, ifindex);
	if (!i)
		return;
	if ((addr >> 24) == 127)
		return; /* lo's 127.0.0.1 is not the router's loopback */
	uint32_t mask = plen_mask(plen);
	size_t k = addr_find(i, addr, mask);
	if (add == (k < i->n_addrs))
		return; /* already known / not known */
	if (add) {
		struct ospf_if_addr *v = VEC_PUSH(i->addrs, i->n_addrs, i->cap_addrs);
		char a[IPV4_STRLEN];
		if (!v) {
			log_err("%s: out of memory for address %s", i->name, ipv4_str(addr, a));
			return;
		}
		*v = (struct ospf_if_addr){ addr, mask };
	} else {
		memmove(&i->addrs[k], &i->addrs[k + 1], (i->n_addrs - k - 1) * sizeof(*i->addrs));
		i->n_addrs--;
	}
	primary_refresh(i);
	iface_sync(d, i);
}

bool iface_gw_onlink(const struct fd_iface *i, uint32_t gw)
{
	for (size_t k = 0; k < i->n_addrs; k++)
		if (i->addrs[k].mask != 0xffffffffu &&
		    (gw & i->addrs[k].mask) == (i->addrs[k].addr & i->addrs[k].mask))
			return false;
	return i->n_addrs > 0;
}

static struct fd_iface *iface_new(struct fabricd *d, const struct conf_iface *c)
{
	struct fd_iface *i = calloc(1, sizeof(*i));
	if (!i)
		return NULL;
	snprintf(i->name, sizeof(i->name), "%s", c->name);
	i->cfg = c;
	i->sock = -1;
	i->d = d;
	return i;
}

/* Match the table to d->conf: keep known interfaces (re-pointing their
 * config), add new ones, drop removed ones. Kernel state is filled in by
 * the link monitor's replay. */
int iface_table_apply_conf(struct fabricd *d)
{
	struct fd_iface **nt = calloc(d->conf.n_ifaces ? d->conf.n_ifaces : 1, sizeof(*nt));
	if (!nt)
		return -1;
	for (size_t n = 0; n < d->conf.n_ifaces; n++) {
		const struct conf_iface *c = &d->conf.ifaces[n];
		struct fd_iface *i = iface_by_name(d, c->name);
		if (i) {
			i->cfg = c;
			for (size_t k = 0; k < d->n_ifaces; k++)
				if (d->ifaces[k] == i)
					d->ifaces[k] = NULL;
		} else if (!(i = iface_new(d, c))) {
			free(nt);
			return -1;
		}
		nt[n] = i;
	}
	for (size_t k = 0; k < d->n_ifaces; k++) {
		struct fd_iface *i = d->ifaces[k];
		if (!i)
			continue;
		if (i->in_ospf) {
			ospf_io_close(i);
			ospf_if_remove(d->ospf, i->ifindex, now_ms());
		}
		dampen_stop(d, i);
		free(i->addrs);
		free(i);
	}
	free(d->ifaces);
	d->ifaces = nt;
	d->n_ifaces = d->conf.n_ifaces;
	return 0;
}

void iface_table_free(struct fabricd *d)
{
	for (size_t k = 0; k < d->n_ifaces; k++) {
		ospf_io_close(d->ifaces[k]);
		dampen_stop(d, d->ifaces[k]);
		free(d->ifaces[k]->addrs);
		free(d->ifaces[k]);
	}
	free(d->ifaces);
	d->ifaces = NULL;
	d->n_ifaces = 0;
}
