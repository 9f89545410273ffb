/* ctl_topocheck: `fabricctl check topology FILE.dot`, the fabric as the
 * LSDB shows it (`show topology` JSON) against a cabling plan (ctl_dot.h),
 * in the spirit of Cumulus's prescriptive topology manager.
 *
 * Links are compared as pairs of routers (parallel links count): a planned
 * link that is not up both ways in the LSDB is missing, a two-way link the
 * plan does not have is extra, and a missing and an extra link that share
 * a router are one miswired cable. A planned [cost=N] is compared with the
 * link's cost in both directions.  Ports in the plan are shown in the
 * messages; the LSDB does not name remote ports, so they are not compared.
 * Edges to transit-network nodes are not checked. */
#ifndef FABRICD_CLI_CTL_TOPOCHECK_H
#define FABRICD_CLI_CTL_TOPOCHECK_H

#include <json-c/json.h>

#include "cli/ctl_buf.h"
#include "cli/ctl_dot.h"

/* Append one line per difference ("missing: leaf1 -- spine3 (plan.dot:4)",
 * "extra: leaf1 -- 10.255.0.9", "miswired: leaf1 -- spine3 planned, leaf1
 * -- spine4 found (plan.dot:4)", "missing router: leaf9 (10.255.0.9)") and
 * return how many there are. */
int ctl_topo_check(const char *file, const struct dot_graph *plan,
		   struct json_object *topo, struct ctl_buf *out);

/* The differences as JSON (what --json prints), one object each:
 * {"kind":"missing"|"extra","a","b"[,"line"]},
 * {"kind":"miswired","at","planned","found","line"},
 * {"kind":"missing_router","router","line"},
 * {"kind":"cost","a","b","planned","cost_ab","cost_ba","line"} (a planned
 * [cost=N] the link does not have both ways); ends are {"name","router_id"
 * [,"port"]}, lines are the plan's.  NULL when out of memory. */
struct json_object *ctl_topo_diffs(const struct dot_graph *plan,
				   struct json_object *topo);
/* One difference as its text line. */
void ctl_topo_diff_text(struct ctl_buf *out, const char *file,
			struct json_object *diff);

#endif
