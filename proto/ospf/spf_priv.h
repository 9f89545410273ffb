/* What spf.c lends spf_ext.c (16.2-16.4 run on the tree 16.1 built).
 * Not part of the public API (see spf.h). */
#ifndef PROTO_OSPF_SPF_PRIV_H
#define PROTO_OSPF_SPF_PRIV_H

#include "proto/ospf/spf.h"

struct spf;

/* A router of the area as the shortest-path tree reached it. */
struct spf_reach {
	uint32_t dist;
	uint8_t flags; /* Router-LSA flags: RTR_FLAG_B, RTR_FLAG_E */
	uint16_t n_nh;
	const struct spf_nexthop *nh;
};
/* false if rid is the root or was not reached (or has no next hop). */
bool spf_router_reach(const struct spf *s, uint32_t rid, struct spf_reach *out);
const struct spf_params *spf_params_of(const struct spf *s);
unsigned spf_max_paths(const struct spf *s);

/* Union of two next-hop sets sorted by (ifindex, addr), at most max kept. */
size_t spf_nh_merge(const struct spf_nexthop *a, size_t na, const struct spf_nexthop *b,
		    size_t nb, struct spf_nexthop *out, size_t max);

/* Prefix length of a contiguous mask, or -1. */
int spf_mask_plen(uint32_t mask);

/* spf_ext.c: add the inter-area and AS-external routes to res (which holds
 * the intra-area ones). 0, or -1 on allocation failure. */
int spf_ext_routes(struct spf *s, struct spf_result *res);

#endif
