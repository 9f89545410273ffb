/* ctl_event: one event object (fabricd/events.h) as one line of text, for
 * `show events` (in the daemon) and `fabricctl monitor` (in the client):
 * "2026-11-30T16:40:01.123Z neighbor router_id=10.255.0.3 ... reason=..." */
#ifndef FABRICD_CLI_CTL_EVENT_H
#define FABRICD_CLI_CTL_EVENT_H

#include <json-c/json.h>

#include "cli/ctl_buf.h"

int ctl_event_line(struct ctl_buf *out, struct json_object *ev);

#endif
