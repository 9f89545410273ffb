/* Shortest-path-first (RFC 2328 16.1) with all equal-cost next hops
 * (16.1.1), over one area's LSDB. Pure: the LSDB is read through a lookup
 * callback, so the same code runs on the daemon's LSDB, in unit tests on
 * hand-built databases and in bench/ on synthetic Clos fabrics. */
#ifndef PROTO_OSPF_SPF_H
#define PROTO_OSPF_SPF_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Return the LSA (wire form, header first) of this type / LS id / advertising
 * router, or NULL. For LSA_NETWORK the SPF only knows the LS id (the DR's
 * interface address), and passes adv_router = 0 meaning "any". Skip MaxAge LSAs. */
typedef const uint8_t *(*spf_lookup_fn)(void *ctx, uint8_t type, uint32_t ls_id,
					uint32_t adv_router, size_t *len);

/* Call fn for every LSA of this type (3, 4 or 5) that is not MaxAge. */
typedef void (*spf_lsa_fn)(void *arg, const uint8_t *lsa, size_t len);
typedef void (*spf_each_fn)(void *ctx, uint8_t type, spf_lsa_fn fn, void *arg);

/* One of our own interfaces, to turn the root's links into outgoing
 * interfaces (16.1.1). addr 0 for unnumbered (then link_data is the ifindex). */
struct spf_iface {
	uint32_t ifindex;
	uint32_t addr;
	uint32_t mask;
};

struct spf_params {
	uint32_t root;          /* our router id */
	const struct spf_iface *ifaces;
	size_t n_ifaces;
	unsigned max_paths;     /* ECMP cut (default 64) */
	spf_lookup_fn lookup;
	void *ctx;
	/* Optional: with it, the Summary-LSAs and AS-external-LSAs become
	 * inter-area and external routes (16.2-16.4, spf_ext.c). */
	spf_each_fn each;
};

struct spf_nexthop {
	uint32_t addr;    /* 0 = directly connected */
	uint32_t ifindex;
};

/* Path types, in order of preference (16.4 (6), 11: intra > inter > E1 > E2). */
enum spf_path { SPF_INTRA = 0, SPF_INTER = 1, SPF_EXT1 = 2, SPF_EXT2 = 3 };
const char *spf_path_name(enum spf_path p); /* "intra-area", ..., "external-2" */

struct spf_route {
	uint32_t prefix;  /* network, host order, masked */
	uint8_t plen;
	uint32_t cost;
	uint32_t adv_router; /* the router the route is learned from (for show) */
	bool connected;      /* a stub / transit network on one of our own interfaces */
	uint8_t path;        /* enum spf_path */
	uint32_t type2_cost; /* SPF_EXT2: the external metric; cost is then the
				cost to the ASBR / forwarding address */
	uint16_t n_nh;
	struct spf_nexthop *nh; /* n_nh entries, sorted by (ifindex, addr) */
};

/* The result: routes sorted by (prefix, plen), unique. */
struct spf_result {
	size_t n_routes;
	struct spf_route *routes;
	size_t n_vertices;   /* routers + networks reached */
};

/* Run SPF. Returns 0 on success, -1 on allocation failure. */
int spf_run(const struct spf_params *p, struct spf_result *out);
void spf_result_free(struct spf_result *r);

/* The same with a workspace kept between runs (one per area): its buffers
 * (vertices, heap, hash, next-hop arena, route staging) are reused, which
 * saves a large SPF most of its page faults. spf_run() uses a temporary
 * one. A workspace holds no pointers into the LSDB or result between runs.
 * The result of either is one allocation (routes, then their next hops):
 * free it only with spf_result_free(). */
struct spf_ws;
struct spf_ws *spf_ws_new(void);
void spf_ws_free(struct spf_ws *ws);
int spf_run_ws(const struct spf_params *p, struct spf_ws *ws, struct spf_result *out);
/* Instead of spf_result_free(): hand a result no longer needed (e.g. the
 * old table after spf_result_diff) back to the workspace, whose next run
 * may store its result in that memory. */
void spf_ws_recycle(struct spf_ws *ws, struct spf_result *r);

/* Route-table diff: call `cb` once per prefix that is new, changed (cost or
 * next hops) or gone. old or new may be empty. */
enum rt_change { RT_ADD, RT_CHANGE, RT_DEL };
typedef void (*rt_diff_fn)(void *ctx, enum rt_change what, const struct spf_route *old,
			   const struct spf_route *nw);
void spf_result_diff(const struct spf_result *old, const struct spf_result *nw, rt_diff_fn cb,
		     void *ctx);

#endif
