/* Events: what happened, as it happens (neighbor and BFD state changes,
 * SPF runs, route changes, local repairs, reloads, kernel refusals).
 * Each is one JSON object with a wall-clock millisecond timestamp
 * ("ts_ms"), the daemon's monotonic clock ("mono_ms", for intervals) and a
 * sequence number ("seq"); it goes to a ring of the last
 * EVENTS_RING ones (`show events`) and to every `monitor` subscriber of
 * the control socket. The hooks are single calls at the places where the
 * things happen; they also keep the counters that `show metrics` exports. */
#ifndef FABRICD_EVENTS_H
#define FABRICD_EVENTS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include "fabricd/daemon.h"

#define EVENTS_RING 1000
/* Route events of one SPF run beyond this many are only counted (the SPF
 * event's "changes_not_shown"): the first SPF of a large fabric changes
 * every route, and an event each would cost more than the SPF. */
#define EVENTS_ROUTES_PER_SPF 256

/* SPF duration histogram: upper bounds in microseconds (Prometheus "le"). */
#define EVENTS_SPF_BUCKETS 14
extern const uint64_t events_spf_bucket_us[EVENTS_SPF_BUCKETS];

struct events_stats {
	uint64_t published;            /* events since the start */
	uint64_t adjacency_flaps;      /* neighbors leaving Full */
	uint64_t bfd_down;             /* BFD sessions leaving Up */
	uint64_t spf_runs;
	uint64_t spf_bucket[EVENTS_SPF_BUCKETS + 1]; /* per bucket, last = +Inf */
	uint64_t spf_sum_us;
	uint64_t route_changes;
	uint64_t local_repairs;
	uint64_t reloads, reload_failures;
	uint64_t fib_errors;           /* routes the kernel refused */
	uint64_t dampened;             /* ports held down by bfd.dampening */
};

void events_free(void);
const struct events_stats *events_stats(void);

void events_nbr(struct fabricd *d, uint32_t ifindex, uint32_t addr, uint32_t rid, int old_state,
		int new_state);
/* Why neighbors going Down from now on do (KillNbr by BFD, clear neighbor,
 * interface down), until called with NULL; otherwise the RFC 2328 event is
 * inferred from the states. */
void events_kill_reason(const char *why);
void events_bfd(struct fabricd *d, uint32_t ifindex, uint32_t peer,
		const struct bfd_state_change *ev);
void events_spf(struct fabricd *d, const char *trigger, uint64_t duration_us, size_t routes);
void events_route(struct fabricd *d, int what, const struct spf_route *old,
		  const struct spf_route *nw);
void events_repair(struct fabricd *d, uint32_t ifindex, uint32_t gw, int msgs);
void events_reload(struct fabricd *d, bool ok, const char *err);
void events_fib_error(struct fabricd *d, uint32_t prefix, uint8_t plen, int err);
/* An interface going up or down for OSPF (with why it is down). */
void events_interface(struct fabricd *d, const struct fd_iface *i, bool up);
/* maintenance on|off (RFC 6987 max-metric) */
void events_maintenance(struct fabricd *d, bool on);
/* bfd.dampening: a port held down after `failures` failures (why), or
 * released (held false). */
void events_dampening(struct fabricd *d, const char *ifname, bool held, unsigned failures,
		      unsigned hold_ms, const char *why);

/* {"events":[...the last `last` (0: all), oldest first...],"capacity",
 *  "published","overwritten"} */
json_object *events_show(size_t last);

#endif
