/* `show` renderers: each builds the JSON object of DESIGN.md from the state
 * it shows; the text form is a table rendered from the same JSON. */
#ifndef FABRICD_SHOW_H
#define FABRICD_SHOW_H
#include <json-c/json.h>
#include "fabricd/daemon.h"
#include "fabricd/show_bfd.h" /* show bfd: bfd_io's sessions and counters */

json_object *show_neighbors(struct fabricd *d);
json_object *show_interfaces(struct fabricd *d);
/* show database [detail [TYPE] [ID]]: type 0 = any */
struct show_db_filter {
	uint8_t type;
	bool by_id;
	uint32_t ls_id;
};
json_object *show_database(struct fabricd *d, bool detail, const struct show_db_filter *f);
/* show counters counts from the last clear counters (the metrics do not). */
json_object *show_counters(struct fabricd *d);
json_object *show_control_counters(struct fabricd *d);
void show_counters_clear(struct fabricd *d);
json_object *show_routes(struct fabricd *d);
json_object *show_fib(struct fabricd *d);
json_object *show_spf(struct fabricd *d);

json_object *json_ip(uint32_t addr);          /* "a.b.c.d" */
/* [{"via","interface"[,"onlink"]}]: a route's next hops as installed (an
 * unnumbered port's: the neighbor's address, on-link) */
json_object *json_nexthops(const struct fabricd *d, const struct spf_route *r);
json_object *json_prefix(uint32_t addr, unsigned plen); /* "a.b.c.d/n" */
#endif
