/* The control socket's commands: each `show` builds its JSON (show_*.c,
 * bfd_io.c) and, without --json, the same JSON rendered as a table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "cli/ctl_commands.h"
#include "cli/ctl_server.h"
#include "cli/ctl_table.h"
#include "fabricd/bfd_io.h"
#include "fabricd/control.h"
#include "fabricd/log.h"
#include "fabricd/show.h"

#define COLS(...) ((const struct ctl_column[]){ __VA_ARGS__ }), \
	(sizeof((const struct ctl_column[]){ __VA_ARGS__ }) / sizeof(struct ctl_column))

static void render_table(struct ctl_buf *out, json_object *top, const char *key,
			 const struct ctl_column *cols, size_t n)
{
	json_object *rows = NULL;
	json_object_object_get_ex(top, key, &rows);
	ctl_table_render(out, rows, cols, n);
}

/* An object of scalars as "key: value" lines. */
static void render_kv(struct ctl_buf *out, json_object *obj, const char *indent)
{
	json_object_object_foreach(obj, k, v) {
		if (json_object_is_type(v, json_type_object)) {
			ctl_buf_printf(out, "%s%s:\n", indent, k);
			render_kv(out, v, "  ");
			continue;
		}
		ctl_buf_printf(out, "%s%s: ", indent, k);
		ctl_table_cell(out, v);
		ctl_buf_puts(out, "\n");
	}
}

static void render_text(struct ctl_buf *out, int cmd, json_object *o)
{
	switch (cmd) {
	case CTL_CMD_SHOW_NEIGHBORS:
		render_table(out, o, "neighbors",
			     COLS({ "router_id", "Neighbor ID" }, { "priority", "Pri" },
				  { "state", "State" }, { "dead_time_ms", "Dead(ms)" },
				  { "address", "Address" }, { "interface", "Interface" },
				  { "bfd", "BFD" }, { "uptime_s", "Up(s)" }));
		break;
	case CTL_CMD_SHOW_INTERFACES:
		render_table(out, o, "interfaces",
			     COLS({ "name", "Interface" }, { "present", "Present" },
				  { "admin_up", "Admin" }, { "carrier", "Carrier" },
				  { "address", "Address" }, { "mtu", "MTU" }, { "network", "Network" },
				  { "ospf_state", "OSPF" }, { "cost", "Cost" },
				  { "hello_interval", "Hello" }, { "dead_interval", "Dead" },
				  { "dr", "DR" }, { "bdr", "BDR" }, { "neighbors", "Nbrs" },
				  { "adjacent", "Adj" }, { "bfd", "BFD" }, { "auth", "Auth" },
				  { "auth_key", "Key" }));
		break;
	case CTL_CMD_SHOW_BFD:
		render_table(out, o, "sessions",
			     COLS({ "peer", "Peer" }, { "local", "Local" }, { "interface", "Interface" },
				  { "state", "State" }, { "local_discr", "LocalDiscr" },
				  { "remote_discr", "RemoteDiscr" }, { "tx_interval_ms", "TX(ms)" },
				  { "rx_interval_ms", "RX(ms)" }, { "multiplier", "Mult" },
				  { "detect_time_ms", "Detect(ms)" }, { "uptime_s", "Up(s)" },
				  { "auth", "Auth" }));
		json_object *held = NULL;
		if (json_object_object_get_ex(o, "dampened", &held) && json_object_array_length(held)) {
			ctl_buf_puts(out, "\nHeld down by dampening:\n");
			render_table(out, o, "dampened",
				     COLS({ "interface", "Interface" }, { "failures", "Failures" },
					  { "hold_ms", "Hold(ms)" }, { "remaining_ms", "Remaining(ms)" }));
		}
		break;
	case CTL_CMD_SHOW_ROUTES:
		render_table(out, o, "routes",
			     COLS({ "prefix", "Prefix" }, { "path_type", "Type" }, { "cost", "Cost" },
				  { "nexthops", "Next hops" }, { "installed", "Installed" }));
		break;
	case CTL_CMD_SHOW_FIB:
		render_table(out, o, "fib",
			     COLS({ "prefix", "Prefix" }, { "wanted", "Wanted" },
				  { "kernel", "Kernel" }, { "match", "Match" }));
		break;
	case CTL_CMD_SHOW_DATABASE:
		render_table(out, o, "lsas",
			     COLS({ "type", "Type" }, { "ls_id", "Link ID" },
				  { "adv_router", "ADV Router" }, { "age", "Age" },
				  { "sequence", "Seq#" }, { "checksum", "CkSum" }));
		break;
	case CTL_CMD_SHOW_DATABASE_DETAIL: {
		json_object *lsas = NULL;
		json_object_object_get_ex(o, "lsas", &lsas);
		for (size_t k = 0; lsas && k < json_object_array_length(lsas); k++) {
			json_object *l = json_object_array_get_idx(lsas, k), *links = NULL;
			render_kv(out, l, "");
			if (json_object_object_get_ex(l, "links", &links))
				ctl_table_render(out, links, COLS({ "type", "  Link type" },
								  { "link_id", "Link ID" },
								  { "link_data", "Link Data" },
								  { "metric", "Metric" }));
			ctl_buf_puts(out, "\n");
		}
		break;
	}
	default:
		render_kv(out, o, "");
	}
}

/* show bfd: the sessions, and the ports held down by dampening. */
static json_object *show_bfd(struct fabricd *d)
{
	json_object *o = bfd_io_show_json(d->bfd);
	json_object_object_add(o, "dampened", dampen_json(d));
	return o;
}

static json_object *show_json(struct fabricd *d, int cmd)
{
	switch (cmd) {
	case CTL_CMD_SHOW_NEIGHBORS: return show_neighbors(d);
	case CTL_CMD_SHOW_INTERFACES: return show_interfaces(d);
	case CTL_CMD_SHOW_BFD: return show_bfd(d);
	case CTL_CMD_SHOW_ROUTES: return show_routes(d);
	case CTL_CMD_SHOW_FIB: return show_fib(d);
	case CTL_CMD_SHOW_DATABASE: return show_database(d, false);
	case CTL_CMD_SHOW_DATABASE_DETAIL: return show_database(d, true);
	case CTL_CMD_SHOW_SPF: return show_spf(d);
	case CTL_CMD_SHOW_COUNTERS: return show_counters(d);
	default: return NULL;
	}
}

static int running_config(struct fabricd *d, const struct ctl_request *req, struct ctl_buf *out)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return ctl_buf_puts(out, "out of memory\n"), -1;
	conf_write(&d->conf, f);
	fclose(f);
	if (req->json) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "file", json_object_new_string(d->conf.file));
		json_object_object_add(o, "config", json_object_new_string(text));
		ctl_json_render(out, o, true);
		json_object_put(o);
	} else {
		ctl_buf_printf(out, "# %s\n%s", d->conf.file, text);
	}
	free(text);
	return 0;
}

static int version(struct fabricd *d, const struct ctl_request *req, struct ctl_buf *out)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(o, "router_id", json_ip(d->conf.router_id));
	json_object_object_add(o, "uptime_s", json_object_new_int64((int64_t)(now_ms() - d->start_ms) / 1000));
	json_object_object_add(o, "maintenance", json_object_new_boolean(d->maintenance));
	if (req->json)
		ctl_json_render(out, o, true);
	else
		ctl_buf_printf(out, "fabricd %s, router-id %s, up %llds%s\n", PACKAGE_VERSION,
			       json_object_get_string(json_object_object_get(o, "router_id")),
			       (long long)json_object_get_int64(json_object_object_get(o, "uptime_s")),
			       d->maintenance ? ", maintenance (max-metric)" : "");
	json_object_put(o);
	return 0;
}

static int control_handler(void *ctx, int cmd, const struct ctl_request *req, struct ctl_buf *out)
{
	struct fabricd *d = ctx;
	char err[CONF_ERRLEN];

	switch (cmd) {
	case CTL_CMD_SHOW_RUNNING_CONFIG:
		return running_config(d, req, out);
	case CTL_CMD_SHOW_VERSION:
		return version(d, req, out);
	case CTL_CMD_RELOAD:
		if (daemon_reload(d, err, sizeof(err)) < 0) {
			log_err("reload failed, running configuration kept: %s", err);
			ctl_buf_printf(out, "%s\nreload failed: the running configuration is kept\n", err);
			return -1;
		}
		ctl_buf_printf(out, "reloaded %s\n", d->conf.file);
		return 0;
	case CTL_CMD_MAINTENANCE_ON:
	case CTL_CMD_MAINTENANCE_OFF:
		d->maintenance = cmd == CTL_CMD_MAINTENANCE_ON;
		ospf_set_max_metric(d->ospf, d->maintenance, now_ms());
		ospf_timer_rearm(d);
		log_notice("maintenance %s", d->maintenance ? "on: max-metric (RFC 6987)" : "off");
		ctl_buf_printf(out, "maintenance %s\n", d->maintenance ? "on" : "off");
		return 0;
	}
	json_object *o = show_json(d, cmd);
	if (!o)
		return ctl_buf_puts(out, "not available\n"), -1;
	if (req->json)
		ctl_json_render(out, o, true);
	else
		render_text(out, cmd, o);
	json_object_put(o);
	return 0;
}

int control_start(struct fabricd *d, int gid, char *err, size_t errlen)
{
	d->ctl = ctl_server_new(d->loop, d->socket_path, gid, control_handler, d, err, errlen);
	return d->ctl ? 0 : -1;
}
