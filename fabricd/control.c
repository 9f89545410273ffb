/* The control socket's commands: each `show` builds its JSON (show_*.c,
 * show_bfd.c) and, without --json, the same JSON rendered as a table. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "cli/ctl_commands.h"
#include "cli/ctl_event.h"
#include "cli/ctl_server.h"
#include "cli/ctl_table.h"
#include "fabricd/bfd_io.h"
#include "fabricd/control.h"
#include "fabricd/events.h"
#include "fabricd/log.h"
#include "fabricd/metrics.h"
#include "fabricd/show.h"
#include "fabricd/topology.h"
#include "proto/lib/vec.h"

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
		if (json_object_is_type(v, json_type_array) && json_object_array_length(v) &&
		    json_object_is_type(json_object_array_get_idx(v, 0), json_type_object))
			continue; /* rows: the caller renders them as a table */
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

static const char *get_str(json_object *o, const char *key)
{
	json_object *v = NULL;
	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : "-";
}

/* show route: like vtysh's "Routing entry for ..." */
static void render_route(struct ctl_buf *out, json_object *o)
{
	json_object *nhs = NULL, *paths = NULL, *v = NULL;
	ctl_buf_printf(out, "Routing entry for %s (longest match for %s)\n", get_str(o, "prefix"),
		       get_str(o, "query"));
	ctl_buf_printf(out, "  cost %s, advertised by %s%s%s\n", get_str(o, "cost"),
		       get_str(o, "adv_router"),
		       json_object_object_get_ex(o, "connected", &v) && json_object_get_boolean(v)
			       ? ", directly connected" : "",
		       json_object_object_get_ex(o, "installed", &v) && json_object_get_boolean(v)
			       ? ", installed" : "");
	json_object_object_get_ex(o, "nexthops", &nhs);
	for (size_t k = 0; nhs && k < json_object_array_length(nhs); k++) {
		json_object *h = json_object_array_get_idx(nhs, k);
		ctl_buf_printf(out, "  via %s on %s, router %s\n", get_str(h, "via"),
			       get_str(h, "interface"), get_str(h, "router_id"));
	}
	json_object_object_get_ex(o, "paths", &paths);
	for (size_t k = 0; paths && k < json_object_array_length(paths); k++) {
		json_object *p = json_object_array_get_idx(paths, k);
		ctl_buf_puts(out, "  path");
		for (size_t m = 0; m < json_object_array_length(p); m++)
			ctl_buf_printf(out, "%s%s", m ? " -> " : " ",
				       json_object_get_string(json_object_array_get_idx(p, m)));
		ctl_buf_puts(out, "\n");
	}
	if (json_object_object_get_ex(o, "paths_truncated", &v) && json_object_get_boolean(v))
		ctl_buf_puts(out, "  (more paths not shown)\n");
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
	case CTL_CMD_SHOW_EVENTS: {
		json_object *evs = NULL;
		json_object_object_get_ex(o, "events", &evs);
		for (size_t k = 0; evs && k < json_object_array_length(evs); k++)
			ctl_event_line(out, json_object_array_get_idx(evs, k));
		break;
	}
	case CTL_CMD_SHOW_PATHS: {
		json_object *v = NULL;
		render_table(out, o, "paths",
			     COLS({ "from", "From" }, { "to", "To" }, { "paths", "Paths" },
				  { "cost", "Cost" }, { "via", "Via" }));
		if (json_object_object_get_ex(o, "complete", &v) && !json_object_get_boolean(v))
			ctl_buf_printf(out, "(partial: SPF from %s of %s sources within %d ms; "
				       "show paths ROUTER-ID for one)\n", get_str(o, "sources_done"),
				       get_str(o, "sources"), TOPOLOGY_BUDGET_MS);
		break;
	}
	case CTL_CMD_SHOW_TOPOLOGY:
		render_table(out, o, "routers",
			     COLS({ "router_id", "Router" }, { "leaf", "Leaf" }, { "stubs", "Stub networks" }));
		ctl_buf_puts(out, "\n");
		render_table(out, o, "links",
			     COLS({ "a", "Router A" }, { "b", "Router B" }, { "cost_ab", "Cost A->B" },
				  { "cost_ba", "Cost B->A" }, { "a_address", "A address" },
				  { "b_address", "B address" }, { "two_way", "Two-way" }));
		json_object *nets = NULL;
		if (json_object_object_get_ex(o, "networks", &nets) && json_object_array_length(nets)) {
			ctl_buf_puts(out, "\n");
			render_table(out, o, "networks",
				     COLS({ "prefix", "Network" }, { "dr_address", "DR" },
					  { "routers", "Routers (cost)" }));
		}
		break;
	case CTL_CMD_SHOW_ROUTE:
		render_route(out, o);
		break;
	default:
		render_kv(out, o, "");
	}
}

/* show database detail [TYPE] [ID] */
static json_object *database_detail(struct fabricd *d, int argc, char (*w)[CTL_MAX_WORD])
{
	static const char *const types[] = { "router", "network", "summary", "asbr-summary",
					     "external" };
	struct show_db_filter f = { 0 };
	for (int k = 3; k < argc; k++) {
		struct in_addr a;
		for (int t = 0; t < 5; t++)
			if (!strcmp(w[k], types[t]))
				f.type = (uint8_t)(t + 1);
		if (inet_pton(AF_INET, w[k], &a) == 1) {
			f.ls_id = ntohl(a.s_addr);
			f.by_id = true;
		}
	}
	return show_database(d, true, &f);
}

/* show route A.B.C.D[/M] */
static json_object *route(struct fabricd *d, const char *arg, char *err, size_t errlen)
{
	char buf[CTL_MAX_WORD];
	struct in_addr a;
	unsigned plen = 32;
	snprintf(buf, sizeof(buf), "%s", arg);
	char *slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		plen = (unsigned)atoi(slash + 1);
	}
	if (inet_pton(AF_INET, buf, &a) != 1 || plen > 32) {
		snprintf(err, errlen, "invalid address '%s'", arg);
		return NULL;
	}
	uint32_t addr = ntohl(a.s_addr) & (plen ? 0xffffffffu << (32 - plen) : 0);
	json_object *o = topology_route(d, addr, (uint8_t)plen);
	if (!o) {
		snprintf(err, errlen, "no route to %s", arg);
		return NULL;
	}
	return o;
}

/* show bfd: the sessions, and the ports held down by dampening. */
static json_object *show_bfd(struct fabricd *d)
{
	json_object *o = show_bfd_sessions(d->bfd);
	json_object_object_add(o, "dampened", dampen_json(d));
	return o;
}

/* show paths [A.B.C.D] */
static json_object *paths(struct fabricd *d, int argc, char (*w)[CTL_MAX_WORD], char *err,
			  size_t errlen)
{
	struct in_addr a;
	uint32_t from = 0;
	if (argc > 2 && inet_pton(AF_INET, w[2], &a) == 1)
		from = ntohl(a.s_addr);
	json_object *o = topology_paths(d, argc > 2 ? &from : NULL);
	if (!o)
		snprintf(err, errlen, "router %s is not in the LSDB", w[2]);
	return o;
}

static json_object *show_json(struct fabricd *d, int cmd, int argc, char (*w)[CTL_MAX_WORD],
			      char *err, size_t errlen)
{
	switch (cmd) {
	case CTL_CMD_SHOW_NEIGHBORS: return show_neighbors(d);
	case CTL_CMD_SHOW_INTERFACES: return show_interfaces(d);
	case CTL_CMD_SHOW_BFD: return show_bfd(d);
	case CTL_CMD_SHOW_ROUTES: return show_routes(d);
	case CTL_CMD_SHOW_FIB: return show_fib(d);
	case CTL_CMD_SHOW_DATABASE: return show_database(d, false, NULL);
	case CTL_CMD_SHOW_DATABASE_DETAIL: return database_detail(d, argc, w);
	case CTL_CMD_SHOW_SPF: return show_spf(d);
	case CTL_CMD_SHOW_COUNTERS: return show_counters(d);
	case CTL_CMD_SHOW_EVENTS: return events_show(argc > 2 ? (size_t)atol(w[2]) : 0);
	case CTL_CMD_SHOW_TOPOLOGY: return topology_json(d);
	case CTL_CMD_SHOW_PATHS: return paths(d, argc, w, err, errlen);
	case CTL_CMD_SHOW_ROUTE: return route(d, w[2], err, errlen);
	default:
		snprintf(err, errlen, "not available");
		return NULL;
	}
}

/* clear neighbor [ID]: KillNbr (RFC 2328 10.3); the adjacency forms again
 * from the next Hello. */
static int clear_neighbor(struct fabricd *d, bool json, int argc, char (*w)[CTL_MAX_WORD],
			  struct ctl_buf *out)
{
	struct ospf_iter it;
	struct ospf_nbr_info nb;
	struct in_addr a = { 0 };
	bool one = argc > 2 && inet_pton(AF_INET, w[2], &a) == 1;
	size_t n = 0, cap = 0, cleared = 0;
	struct ospf_nbr_info *kill = NULL;
	/* Who first, then KillNbr: killing changes the list being walked. */
	for (ospf_iter_init(&it, d->ospf); ospf_nbr_next(&it, &nb);) {
		if (one && nb.router_id != ntohl(a.s_addr))
			continue;
		struct ospf_nbr_info *v = VEC_PUSH(kill, n, cap);
		if (!v)
			break;
		*v = nb;
	}
	json_object *arr = json_object_new_array();
	events_kill_reason("KillNbr (clear neighbor)");
	for (; cleared < n; cleared++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "router_id", json_ip(kill[cleared].router_id));
		json_object_object_add(o, "address", json_ip(kill[cleared].addr));
		json_object_object_add(o, "interface", json_object_new_string(kill[cleared].ifname));
		json_object_array_add(arr, o);
		ospf_nbr_kill(d->ospf, kill[cleared].ifindex, kill[cleared].addr, now_ms());
	}
	events_kill_reason(NULL);
	free(kill);
	ospf_timer_rearm(d);
	if (one && !cleared) {
		json_object_put(arr);
		return ctl_buf_printf(out, "no neighbor with router ID %s\n", w[2]), -1;
	}
	log_notice("clear neighbor %s: %zu adjacencies reset", one ? w[2] : "(all)", cleared);
	json_object *top = json_object_new_object();
	json_object_object_add(top, "cleared", arr);
	if (json)
		ctl_json_render(out, top, true);
	else
		ctl_buf_printf(out, "%zu neighbor%s cleared\n", cleared, cleared == 1 ? "" : "s");
	json_object_put(top);
	return 0;
}

/* clear counters: {"cleared":"counters"} */
static int clear_counters(struct fabricd *d, bool json, struct ctl_buf *out)
{
	show_counters_clear(d);
	if (!json)
		return ctl_buf_puts(out, "counters cleared\n");
	json_object *o = json_object_new_object();
	json_object_object_add(o, "cleared", json_object_new_string("counters"));
	ctl_json_render(out, o, true);
	json_object_put(o);
	return 0;
}

int control_reload(struct fabricd *d, char *err, size_t errlen)
{
	int rc = daemon_reload(d, err, errlen);
	if (rc < 0)
		log_err("reload failed, running configuration kept: %s", err);
	events_reload(d, rc == 0, err);
	return rc;
}

/* Secrets only to root, and only when asked for: anyone in control.group
 * may read the configuration, not the keys that sign the protocols. */
static int running_config(struct fabricd *d, const struct ctl_request *req, bool secrets,
			  struct ctl_buf *out)
{
	char *text = NULL;
	size_t len = 0;
	if (secrets && req->peer_uid != 0)
		return ctl_buf_puts(out, "show running-config secrets: only root may see "
				    "secrets\n"), -1;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return ctl_buf_puts(out, "out of memory\n"), -1;
	conf_write_opts(&d->conf, f, secrets);
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
	char w[CTL_MAX_ARGS][CTL_MAX_WORD];
	int argc = ctl_cmd_canonical(ctl_commands_root(false), req->argc,
				     (const char (*)[CTL_MAX_WORD])req->argv, w, err, sizeof(err));
	if (argc < 0)
		return ctl_buf_printf(out, "%s\n", err), -1;

	switch (cmd) {
	case CTL_CMD_SHOW_RUNNING_CONFIG:
	case CTL_CMD_SHOW_RUNNING_CONFIG_SECRETS:
		return running_config(d, req, cmd == CTL_CMD_SHOW_RUNNING_CONFIG_SECRETS, out);
	case CTL_CMD_SHOW_VERSION:
		return version(d, req, out);
	case CTL_CMD_SHOW_METRICS:
		return metrics_render(d, out);
	case CTL_CMD_MONITOR:
		return CTL_HANDLER_SUBSCRIBE;
	case CTL_CMD_CLEAR_COUNTERS:
		return clear_counters(d, req->json, out) < 0 ? -1 : 0;
	case CTL_CMD_CLEAR_NEIGHBOR:
		return clear_neighbor(d, req->json, argc, w, out);
	case CTL_CMD_RELOAD:
		if (control_reload(d, err, sizeof(err)) < 0) {
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
		events_maintenance(d, d->maintenance);
		ctl_buf_printf(out, "maintenance %s\n", d->maintenance ? "on" : "off");
		return 0;
	}
	json_object *o = show_json(d, cmd, argc, w, err, sizeof(err));
	if (!o)
		return ctl_buf_printf(out, "%s\n", err), -1;
	if (req->json)
		ctl_json_render(out, o, true);
	else if (cmd == CTL_CMD_SHOW_TOPOLOGY && argc > 2 && !strcmp(w[2], "--dot"))
		topology_dot(out, o);
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
