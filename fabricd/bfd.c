/* BFD for OSPF (RFC 5882): every OSPF neighbor on a port with bfd = true
 * gets a single-hop session; when a session that was Up goes Down, the
 * neighbor's next hop leaves the kernel at once (local repair) and the
 * adjacency is killed, which re-originates our Router-LSA and runs SPF.
 * A Down caused by the peer's AdminDown is not a failure (5882 3.2), and
 * OSPF never waits for BFD to come up before forming an adjacency. */
#include <stdlib.h>
#include <string.h>

#include "fabricd/bfd_io.h"
#include "fabricd/daemon.h"
#include "fabricd/events.h"
#include "fabricd/log.h"
#include "fabricd/notify.h"
#include "proto/lib/ipv4.h"

/* The port's BFD keys (conf_bfd_auth_type values are RFC 5880 Auth Types). */
static size_t session_keys(const struct conf_bfd_auth *a, struct bfd_auth_key *out)
{
	size_t n = 0;
	for (; a->type != CONF_BFD_AUTH_NONE && n < a->n_keys && n < BFD_SESSION_MAX_KEYS; n++) {
		size_t len = strlen(a->keys[n].secret);
		out[n] = (struct bfd_auth_key){ .type = (uint8_t)a->type, .key_id = a->keys[n].id };
		out[n].secret_len = (uint8_t)(len < sizeof(out[n].secret) ? len : sizeof(out[n].secret));
		memcpy(out[n].secret, a->keys[n].secret, out[n].secret_len);
	}
	return n;
}

static void session_for(struct fabricd *d, struct fd_iface *i, uint32_t peer)
{
	const struct conf_bfd_timers *t = &i->cfg->bfd_timers;
	struct bfd_auth_key keys[BFD_SESSION_MAX_KEYS];
	size_t n = session_keys(&i->cfg->bfd_auth, keys);
	bfd_io_session_add(d->bfd, i->name, i->ifindex, i->addr, peer, t->tx_interval_ms,
			   t->rx_interval_ms, t->multiplier, keys, n);
}

/* A session is keyed by (port, address), and several OSPF neighbor entries
 * can share an address: one that changed its router ID (the old entry dies
 * a dead interval later), or a forged Hello from a second router ID. The
 * session follows the adjacency: it exists while any neighbor with that
 * address is at 2-Way or beyond, and is never deleted because some other
 * entry with the same address went Down. */
static void session_sync(struct fabricd *d, struct fd_iface *i, uint32_t addr)
{
	if (i->cfg->bfd && ospf_nbr_addr_at_least(d->ospf, i->ifindex, addr, NSM_2WAY))
		session_for(d, i, addr);
	else
		bfd_io_session_del(d->bfd, i->ifindex, addr);
}

void bfd_follow_neighbor(struct fabricd *d, uint32_t ifindex, uint32_t addr,
			 enum nsm_state old_state, enum nsm_state new_state)
{
	struct fd_iface *i = iface_by_index(d, ifindex);
	if (!d->bfd || !i)
		return;
	/* Up to 2-Way: make sure the session is there; Down: gone, unless
	 * another entry with this address holds it. */
	if (new_state == NSM_DOWN || (new_state >= NSM_2WAY && old_state < NSM_2WAY))
		session_sync(d, i, addr);
}

void bfd_state_change(void *ctx, uint32_t ifindex, uint32_t peer,
		      const struct bfd_state_change *ev)
{
	struct fabricd *d = ctx;
	struct fd_iface *i = iface_by_index(d, ifindex);
	char p[IPV4_STRLEN];
	events_bfd(d, ifindex, peer, ev);
	log_notice("bfd %s on %s: %s -> %s (diag %d)", ipv4_str(peer, p), i ? i->name : "?",
		   bfd_state_name(ev->old_state), bfd_state_name(ev->new_state), (int)ev->diag);
	notify_changed(d);
	if (ev->new_state == BFD_STATE_UP && i)
		dampen_up(i);
	if (!bfd_state_change_is_failure(ev))
		return;
	routes_local_repair(d, ifindex, peer);
	events_kill_reason("KillNbr (BFD down)");
	ospf_nbr_kill(d->ospf, ifindex, peer, now_ms());
	events_kill_reason(NULL);
	ospf_timer_rearm(d);
	if (i)
		dampen_failure(d, i, "BFD Down");
}

/* After a reload: sessions for neighbors on ports that now have BFD (with
 * their possibly new timers), none on ports that no longer have it. */
void bfd_reconfigure(struct fabricd *d)
{
	struct ospf_iter it;
	struct ospf_nbr_info nb;
	for (ospf_iter_init(&it, d->ospf); ospf_nbr_next(&it, &nb);) {
		struct fd_iface *i = iface_by_index(d, nb.ifindex);
		if (i)
			session_sync(d, i, nb.addr);
	}
}
