/* The area as a graph, from the LSDB's Router- and Network-LSAs: `show
 * topology` (routers, links and their costs, as JSON or Graphviz DOT),
 * `show paths` (SPF from every leaf's point of view: how many equal-cost
 * paths join each pair of leaves) and the SPF paths of `show route`. */
#ifndef FABRICD_TOPOLOGY_H
#define FABRICD_TOPOLOGY_H

#include <json-c/json.h>
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

#endif
