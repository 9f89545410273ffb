/* fib/fib.h: the daemon's view of the kernel FIB (IPv4, main table).
 *
 * The fib keeps the desired table itself (hash by prefix/plen) and pushes
 * changes to the kernel over rtnetlink as protocol 188 ("proto ospf") routes
 * with a metric.  Next hops go either into kernel nexthop objects/groups
 * (one group per distinct next-hop set, shared and reference counted, ids
 * from 0x10000000 up, protocol 188) that routes reference with RTA_NH_ID, or
 * inline as RTA_MULTIPATH.  Changes are NLM_F_REPLACE, never delete-then-add.
 *
 * Requests are pipelined on one non-blocking socket; the kernel's acks are
 * matched back to the route by sequence number.  No event loop here: put
 * fib_fd() on the daemon's loop and call fib_process() when it is readable.
 *
 * Addresses are IPv4 in HOST byte order.  Not thread safe.
 */
#ifndef FIB_FIB_H
#define FIB_FIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fib/nh.h"

struct fib;

/* Completion of a route install: err is 0 or a positive errno from the
 * kernel (then the route is marked not installed).  Called for every
 * fib_route_set acknowledged, and for every failed fib_route_del (ESRCH is
 * not a failure).  Never call the fib from inside this callback. */
typedef void fib_result_cb(void *ctx, uint32_t prefix, uint8_t plen, int err);

/* use_nhg: use kernel nexthop groups when the kernel has them (probed);
 * false forces RTA_MULTIPATH.  Also notes nexthop ids of protocol 188 left
 * by an earlier run so they are never reused (fib_reconcile removes them).
 * NULL on failure (errno set). */
struct fib *fib_new(bool use_nhg, fib_result_cb *result_cb, void *ctx);
/* Frees memory only: the kernel keeps our routes (a restarted daemon finds
 * them with fib_kernel_routes).  Use fib_flush_all first to remove them. */
void fib_free(struct fib *f);

bool fib_uses_nhg(const struct fib *f);	/* groups in use (after probe) */

int fib_fd(const struct fib *f);	/* readable -> fib_process() */
void fib_process(struct fib *f);	/* read acks, report results */

/* Add or replace prefix/plen (host bits are masked off) with metric and
 * next hops nh[0..n) (n >= 1, any order, duplicates
 * ignored).  A no-op when nothing changed and the last install did not
 * fail.  A new metric installs the new route, then removes the old one.
 * 0 or a negative errno (bad arguments, no memory, send failure). */
int fib_route_set(struct fib *f, uint32_t prefix, uint8_t plen, uint32_t metric,
		  const struct fib_nh *nh, size_t n);
/* Remove prefix/plen (no-op when unknown). 0 or a negative errno. */
int fib_route_del(struct fib *f, uint32_t prefix, uint8_t plen);

/* Batching: between begin and end (nestable) requests are packed and sent
 * in large chunks; end sends the rest.  Outside a batch every request is
 * sent at once.  Acks still arrive later through fib_process/fib_sync. */
void fib_batch_begin(struct fib *f);
int fib_batch_end(struct fib *f);

/* Send everything queued and wait (up to 5 s) for every outstanding ack.
 * 0, or -ETIMEDOUT (the rest are reported with ETIMEDOUT). */
int fib_sync(struct fib *f);

/* Local repair, before SPF: take every next hop via ifindex (or just gw via
 * ifindex) out of the kernel at once.  With groups: one RTM_DELNEXTHOP per
 * nexthop object on that interface; the kernel drops it from every group
 * (all routes using a group follow in the same step) and removes routes
 * left without next hop.  Without groups: one replace (or delete) per
 * affected route.  The desired table follows: affected routes lose those
 * next hops; routes left with none are kept as not installed (err
 * ENETDOWN) until fib_route_set/fib_route_del.  Messages are sent at once
 * (acks read later).  Returns the number of netlink messages sent.
 * Call fib_repair_ifindex whenever an interface loses carrier or goes
 * down: the kernel itself flushes nexthop objects on it, and the fib must
 * know. */
int fib_repair_ifindex(struct fib *f, uint32_t ifindex);
int fib_repair_nexthop(struct fib *f, uint32_t gw, uint32_t ifindex);

/* Start-up reconciliation. fib_kernel_routes lists the protocol 188 routes
 * of the main table now in the kernel (typically left by an earlier run),
 * next hops resolved also for routes that use nexthop objects.  Returns
 * the count or a negative errno. */
typedef void fib_kroute_cb(void *ctx, uint32_t prefix, uint8_t plen, uint32_t metric,
			   const struct fib_nh *nh, size_t n);
int fib_kernel_routes(struct fib *f, fib_kroute_cb *cb, void *ctx);
/* Once the daemon has set every route it wants: delete protocol 188 routes
 * the desired table does not have (or has with another metric), then
 * protocol 188 nexthop objects that are not ours.  Waits for the acks.
 * Returns the number of kernel objects removed, or a negative errno. */
int fib_reconcile(struct fib *f);

/* Clean shutdown: remove all our routes and nexthop objects; waits. */
void fib_flush_all(struct fib *f);

/* State of one route: false when unknown, pending, failed or withdrawn by
 * repair; *err (if not NULL) gets the last error (0 when installed or
 * pending, ENETDOWN when withdrawn by repair). */
bool fib_route_installed(const struct fib *f, uint32_t prefix, uint8_t plen, int *err);

struct fib_stats {
	uint64_t msgs_sent;	/* netlink requests sent */
	uint64_t errors;	/* requests the kernel refused */
	size_t routes;		/* routes in the desired table */
	size_t nh_objects;	/* nexthop objects + groups we own */
	size_t inflight;	/* requests not yet acknowledged */
};
void fib_get_stats(const struct fib *f, struct fib_stats *st);

#endif
