/* fib/nh.h: the next-hop value type shared by every fib/ module. */
#ifndef FIB_NH_H
#define FIB_NH_H

#include <stddef.h>
#include <stdint.h>

/* One next hop.  gw is an IPv4 address in HOST byte order (0 = directly
 * connected, no gateway); ifindex is the outgoing interface.  FIB_NH_ONLINK:
 * the gateway is on the link although no address of the interface covers
 * it (an unnumbered port: RTNH_F_ONLINK), so the kernel does not look for
 * a connected route to it. */
struct fib_nh {
	uint32_t gw;
	uint32_t ifindex;
	uint32_t flags;
};

#define FIB_NH_ONLINK 1u

/* A next-hop set has no fixed size limit here: the daemon's maximum-paths
 * bounds it, and the kernel takes any count that fits a netlink message. */

/* Total order on next hops (ifindex, then gateway): sets are kept sorted so
 * that equal sets compare equal whatever order the caller gave. */
int fib_nh_cmp(const struct fib_nh *a, const struct fib_nh *b);

/* Sort nh[0..n) in place and drop duplicates; returns the new count. */
size_t fib_nh_normalize(struct fib_nh *nh, size_t n);

/* True when the two (normalized) sets are equal. */
int fib_nh_set_equal(const struct fib_nh *a, size_t na, const struct fib_nh *b, size_t nb);

#endif
