/* What a neighbor's state change sets off in the daemon (the engine's
 * nbr_change callback): a log line, the BFD session that follows the
 * neighbor (RFC 5882), and the neighbor's address as a usable next hop for
 * routes.c, which runs SPF when that set changes. The sockets (ospf_io.c)
 * only carry packets. */
#include <arpa/inet.h>
#include "fabricd/daemon.h"
#include "fabricd/events.h"
#include "fabricd/log.h"
#include "fabricd/notify.h"

void adjacency_change(void *ctx, uint32_t ifindex, uint32_t addr, uint32_t rid,
		      enum nsm_state old_state, enum nsm_state new_state)
{
	struct fabricd *d = ctx;
	struct fd_iface *i = iface_by_index(d, ifindex);
	struct in_addr a = { htonl(rid) }, b = { htonl(addr) };
	char rs[16], as[16];
	inet_ntop(AF_INET, &a, rs, sizeof(rs));
	inet_ntop(AF_INET, &b, as, sizeof(as));
	int level = (new_state == NSM_FULL || old_state == NSM_FULL) ? LOG_NOTICE : LOG_DEBUG;
	log_msg(level, "neighbor %s (%s) on %s: %s -> %s", rs, as, i ? i->name : "?",
		nsm_state_name(old_state), nsm_state_name(new_state));
	events_nbr(d, ifindex, addr, rid, old_state, new_state);
	bfd_follow_neighbor(d, ifindex, addr, old_state, new_state);
	notify_changed(d);
	/* A neighbor in 2-Way or better is a next hop SPF may use; it
	 * becoming one (or ceasing to be) matters to the routes even when no
	 * LSA changes. */
	if ((old_state >= NSM_2WAY) != (new_state >= NSM_2WAY))
		routes_nexthop(d, addr, ifindex, new_state >= NSM_2WAY);
}
