/* The area as a graph, from the LSDB's Router- and Network-LSAs: `show
 * topology` (routers, links and their costs, as JSON or Graphviz DOT;
 * topology.c), `show paths` (SPF from every leaf's point of view: how many
 * equal-cost paths join each pair of leaves) and the SPF paths of `show
 * route` (paths.c). */
#ifndef FABRICD_TOPOLOGY_H
#define FABRICD_TOPOLOGY_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include "cli/ctl_buf.h"
#include "fabricd/daemon.h"

/* {"area","routers":[{"router_id","leaf","stubs":[{"prefix","cost"}]}],
 *  "links":[{"a","b","cost_ab","cost_ba","a_address","b_address","two_way"}],
 *  "networks":[{"prefix","dr_address","routers":[{"router_id","cost"}]}]}
 * A leaf is a router that advertises a host subnet: a stub network shorter
 * than /30 that is not the subnet of one of its point-to-point links. When
 * fewer than two routers qualify, show paths takes every router. */
json_object *topology_json(struct fabricd *d);

/* The same as an undirected Graphviz graph (nodes named by router ID). */
void topology_dot(struct ctl_buf *out, json_object *topo);

/* Time one request may spend in SPF runs (see topology.c). */
#define TOPOLOGY_BUDGET_MS 50

/* {"leaves":[...],"paths":[{"from","to","paths","cost","prefix","via":[router ids]}],
 *  "complete","sources","sources_done"}: SPF from every leaf (or only from
 * router *from, which need not be a leaf; NULL when it is not in the LSDB)
 * to every other leaf. Sources past the time budget are left out and
 * counted (complete false). */
json_object *topology_paths(struct fabricd *d, const uint32_t *from);

/* show route: the route of d->routes that longest-matches addr/plen, with
 * its next hops' routers and the SPF paths to its advertising router (at
 * most 16, within the time budget: "paths_truncated" says when some are
 * left out); NULL when there is none. */
json_object *topology_route(struct fabricd *d, uint32_t addr, uint8_t plen);

/* ---- the graph behind them (topology.c), shared with paths.c ---- */

struct t_link {               /* one link of a Router-LSA (A.4.2) */
	uint8_t type;
	uint32_t id, data;
	uint16_t metric;
};

struct t_router {
	uint32_t rid;
	struct t_link *l;
	size_t n;
	bool leaf;
};

struct t_net {                /* a Network-LSA: the DR's address, mask, routers */
	uint32_t id, mask;
	uint32_t *rtr;
	size_t n;
};

struct topo {
	struct t_router *r;  /* sorted by router ID (the LSDB's order) */
	size_t nr, cap_r;
	struct t_net *net;
	size_t nn, cap_net;
	bool oom;
};

void topo_build(struct fabricd *d, struct topo *t);
void topo_free(struct topo *t);
const struct t_router *topo_router(const struct topo *t, uint32_t rid);
const struct t_net *topo_net(const struct topo *t, uint32_t id);
/* The mask of r's stub network that holds address a, or 0. */
uint32_t topo_stub_mask(const struct t_router *r, uint32_t a);

static inline unsigned topo_plen(uint32_t mask)
{
	return (unsigned)__builtin_popcount(mask);
}

/* Unnumbered links carry the MIB-II ifIndex as link data (A.4.2); a real
 * interface address is never below 1.0.0.0. */
static inline bool topo_is_ifindex(uint32_t link_data)
{
	return link_data < 0x01000000u;
}

#endif
