/* fib/nh.h: the next-hop value type shared by every fib/ module. */
#ifndef FIB_NH_H
#define FIB_NH_H

#include <stddef.h>
#include <stdint.h>

/* One next hop.  gw is an IPv4 address in HOST byte order (0 = directly
 * connected, no gateway); ifindex is the outgoing interface. */
struct fib_nh {
	uint32_t gw;
	uint32_t ifindex;
};

/* Largest next-hop set a route may carry (ECMP width). */
#define FIB_NH_MAX 64

/* Total order on next hops (ifindex, then gateway): sets are kept sorted so
 * that equal sets compare equal whatever order the caller gave. */
int fib_nh_cmp(const struct fib_nh *a, const struct fib_nh *b);

/* Sort nh[0..n) in place and drop duplicates; returns the new count. */
size_t fib_nh_normalize(struct fib_nh *nh, size_t n);

/* True when the two (normalized) sets are equal. */
int fib_nh_set_equal(const struct fib_nh *a, size_t na, const struct fib_nh *b, size_t nb);

#endif
