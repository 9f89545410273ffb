/* fib/route.h: rtnetlink route messages (IPv4, main table, protocol 188). */
#ifndef FIB_ROUTE_H
#define FIB_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fib/nh.h"

struct nlmsghdr;

#define FIB_RTPROT 188	/* RTPROT_OSPF, shown as "proto ospf" by iproute2 */

struct nl_msg;
struct nl_sock;

/* A netlink message of type/flags with room for attrs bytes of attributes
 * (no fixed page-size limit). */
struct nl_msg *fib_msg_new(int type, int flags, size_t attrs);

/* RTM_NEWROUTE with NLM_F_CREATE|NLM_F_REPLACE: an existing route with the
 * same prefix/plen/metric is changed in place (never delete-then-add).
 * nhid != 0: point the route at that nexthop object (RTA_NH_ID), nh unused;
 * else one next hop as RTA_GATEWAY/RTA_OIF, several as RTA_MULTIPATH. */
struct nl_msg *fib_route_msg_set(uint32_t prefix, uint8_t plen, uint32_t metric,
				 const struct fib_nh *nh, size_t n, uint32_t nhid);
/* RTM_DELROUTE of our route (protocol 188) prefix/plen with that metric. */
struct nl_msg *fib_route_msg_del(uint32_t prefix, uint8_t plen, uint32_t metric);

/* A route as read back from the kernel. nhid != 0 when it used RTA_NH_ID
 * (then nh is empty: resolve it with the nexthop dump). nh[0..n) is valid
 * during the callback only. */
struct fib_kroute {
	uint32_t prefix, metric, nhid;
	uint8_t plen;
	size_t n;
	struct fib_nh *nh;
};

/* One RTM_NEWROUTE message: true if it is one of ours (IPv4 unicast,
 * protocol 188, main table), with r filled and r->nh allocated (free it);
 * false for anything else or anything malformed. */
bool fib_route_parse(struct nlmsghdr *h, struct fib_kroute *r);

/* Dump the IPv4 main table on sk (blocking) and call cb for each route of
 * protocol 188.  0 or a negative errno. */
int fib_route_dump(struct nl_sock *sk, void (*cb)(void *ctx, const struct fib_kroute *r), void *ctx);

#endif
