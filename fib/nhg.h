/* fib/nhg.h: kernel nexthop objects and groups (RTM_NEWNEXTHOP/DELNEXTHOP,
 * Linux >= 5.3).  libnl 3.7 has no nexthop API, so the messages are built
 * here with nlmsg_alloc_simple/nlmsg_append/nla_put and sent on libnl sockets. */
#ifndef FIB_NHG_H
#define FIB_NHG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fib/nh.h"

struct nlmsghdr;

struct nl_msg;
struct nl_sock;

/* First id we allocate; ids below are left to other software. */
#define FIB_NHID_FIRST 0x10000000u
/* Id used only by the support probe (outside the allocation range). */
#define FIB_NHID_PROBE 0xfffffffeu

/* Create or replace (NLM_F_CREATE|NLM_F_REPLACE) single nexthop `id`. */
struct nl_msg *fib_nhg_msg_single(uint32_t id, const struct fib_nh *nh);
/* Create or replace multipath group `id` with members ids[0..n). */
struct nl_msg *fib_nhg_msg_group(uint32_t id, const uint32_t *ids, size_t n);
struct nl_msg *fib_nhg_msg_del(uint32_t id);

/* A nexthop object of protocol 188 read back from the kernel. */
struct fib_knh {
	uint32_t id;
	bool group;
	struct fib_nh nh;	/* single */
	size_t n;		/* group */
	uint32_t *ids;		/* group: n member ids, valid during the callback */
};

/* One RTM_NEWNEXTHOP message: true if it is one of ours (protocol 188),
 * with o filled and, for a group, o->ids allocated (free it). */
bool fib_nhg_parse(struct nlmsghdr *h, struct fib_knh *o);

/* Dump nexthop objects of protocol 188 (blocking, on sk).  Returns the
 * count (cb called for each), or a negative errno (-EOPNOTSUPP when the
 * kernel has no nexthop objects). */
int fib_nhg_dump(struct nl_sock *sk, void (*cb)(void *ctx, const struct fib_knh *o), void *ctx);

/* Does the kernel accept nexthop objects?  Creates and deletes a probe. */
bool fib_nhg_probe(struct nl_sock *sk);

/* Send msg on the blocking socket sk and wait for its ack: 0 or -errno. */
int fib_nl_talk(struct nl_sock *sk, struct nl_msg *msg);

#endif
