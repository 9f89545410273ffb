/* ctl_event: events as text lines (ctl_event.h). */
#include "cli/ctl_event.h"

#include <string.h>
#include <time.h>

#include "cli/ctl_table.h"

int ctl_event_line(struct ctl_buf *out, struct json_object *ev)
{
	struct json_object *ts = NULL, *type = NULL;
	json_object_object_get_ex(ev, "ts_ms", &ts);
	json_object_object_get_ex(ev, "event", &type);
	int64_t ms = json_object_get_int64(ts);
	time_t sec = (time_t)(ms / 1000);
	struct tm tm;
	char when[32] = "?";
	if (gmtime_r(&sec, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	int rc = ctl_buf_printf(out, "%s.%03dZ %s", when, (int)(ms % 1000),
				type ? json_object_get_string(type) : "?");
	json_object_object_foreach(ev, k, v) {
		if (!v || !strcmp(k, "ts_ms") || !strcmp(k, "mono_ms") ||
		    !strcmp(k, "seq") || !strcmp(k, "event"))
			continue;
		rc |= ctl_buf_printf(out, " %s=", k);
		if (json_object_is_type(v, json_type_array)) {
			/* next hops: "[10.0.13.1 swp1, 10.0.14.1 swp2]" */
			rc |= ctl_buf_puts(out, "[");
			if (json_object_array_length(v))
				rc |= ctl_table_cell(out, v);
			rc |= ctl_buf_puts(out, "]");
		} else {
			rc |= ctl_table_cell(out, v);
		}
	}
	rc |= ctl_buf_puts(out, "\n");
	return rc ? -1 : 0;
}
