/* `show` renderers: each builds the JSON object of DESIGN.md from the state
 * it shows; the text form is a table rendered from the same JSON. */
#ifndef FABRICD_SHOW_H
#define FABRICD_SHOW_H
#include <json-c/json.h>
#include "fabricd/daemon.h"

json_object *show_neighbors(struct fabricd *d);
json_object *show_interfaces(struct fabricd *d);
json_object *show_database(struct fabricd *d, bool detail);
json_object *show_counters(struct fabricd *d);
json_object *show_control_counters(struct fabricd *d);
json_object *show_routes(struct fabricd *d);
json_object *show_fib(struct fabricd *d);
json_object *show_spf(struct fabricd *d);

json_object *json_ip(uint32_t addr);          /* "a.b.c.d" */
json_object *json_prefix(uint32_t addr, unsigned plen); /* "a.b.c.d/n" */
#endif
