/* Prometheus text rendering of the daemon's state and counters (metrics.h). */
#include <string.h>
#include "cli/ctl_server.h"
#include "config.h"
#include "fabricd/bfd_io.h"
#include "fabricd/events.h"
#include "fabricd/metrics.h"
#include "fabricd/show.h"
#include "fib/fib.h"
#include "proto/ospf/lsa.h"
#include "proto/lib/ipv4.h"

static void family(struct ctl_buf *out, const char *name, const char *type, const char *help)
{
	ctl_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value, escaped as the text format wants (\\, \", \n). */
static void label_value(struct ctl_buf *out, const char *s)
{
	ctl_buf_puts(out, "\"");
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			ctl_buf_printf(out, "\\%c", *s);
		else if (*s == '\n')
			ctl_buf_puts(out, "\\n");
		else
			ctl_buf_append(out, s, 1);
	}
	ctl_buf_puts(out, "\"");
}

static void sample(struct ctl_buf *out, const char *name, const char *lname, const char *lval,
		   double v)
{
	ctl_buf_puts(out, name);
	if (lname) {
		ctl_buf_printf(out, "{%s=", lname);
		label_value(out, lval);
		ctl_buf_puts(out, "}");
	}
	ctl_buf_printf(out, " %.10g\n", v);
}

static void one(struct ctl_buf *out, const char *name, const char *type, const char *help,
		double v)
{
	family(out, name, type, help);
	sample(out, name, NULL, NULL, v);
}

static void neighbors(struct fabricd *d, struct ctl_buf *out)
{
	struct ospf_iter it;
	struct ospf_nbr_info nb;
	unsigned by_state[NSM_FULL + 1] = { 0 };
	for (ospf_iter_init(&it, d->ospf); ospf_nbr_next(&it, &nb);)
		if (nb.state <= NSM_FULL)
			by_state[nb.state]++;
	family(out, "fabricd_ospf_neighbors", "gauge", "OSPF neighbors by state (RFC 2328 10.1).");
	for (int s = NSM_DOWN; s <= NSM_FULL; s++)
		sample(out, "fabricd_ospf_neighbors", "state", nsm_state_name(s), by_state[s]);
	one(out, "fabricd_ospf_adjacency_flaps_total", "counter",
	    "Adjacencies that left Full.", (double)events_stats()->adjacency_flaps);
}

static void count_state(void *ctx, const struct bfd_io_session_info *si, uint64_t now)
{
	unsigned *by_state = ctx;
	if (si->s->state <= BFD_STATE_UP)
		by_state[si->s->state]++;
}

static void bfd(struct fabricd *d, struct ctl_buf *out)
{
	unsigned by_state[BFD_STATE_UP + 1] = { 0 };
	if (d->bfd)
		bfd_io_foreach(d->bfd, count_state, by_state);
	family(out, "fabricd_bfd_sessions", "gauge", "BFD sessions by state (RFC 5880 4.1).");
	for (int m = BFD_STATE_ADMIN_DOWN; m <= BFD_STATE_UP; m++)
		sample(out, "fabricd_bfd_sessions", "state", bfd_state_name((enum bfd_state)m),
		       by_state[m]);
	one(out, "fabricd_bfd_session_down_total", "counter", "BFD sessions that left Up.",
	    (double)events_stats()->bfd_down);
	size_t held = 0;
	for (size_t k = 0; k < d->n_ifaces; k++)
		held += dampen_held(d->ifaces[k]);
	one(out, "fabricd_interfaces_dampened", "gauge",
	    "Ports held out of OSPF by bfd.dampening now.", (double)held);
	one(out, "fabricd_dampening_holds_total", "counter",
	    "Times a port was held down by bfd.dampening.", (double)events_stats()->dampened);

	struct bfd_io_stats st = { 0 };
	family(out, "fabricd_bfd_packets_dropped_total", "counter", "BFD packets dropped, by reason.");
	if (d->bfd) {
		bfd_io_get_stats(d->bfd, &st);
		for (int r = 1; r < BFD_DROP_MAX; r++)
			sample(out, "fabricd_bfd_packets_dropped_total", "reason",
			       bfd_drop_name((enum bfd_drop)r), (double)st.drops[r]);
	}
	one(out, "fabricd_bfd_timer_late_max_seconds", "gauge",
	    "Largest lateness of a BFD timer since the start.",
	    (double)(st.late_max_us / 1000) / 1000.0);
	one(out, "fabricd_bfd_timers_late_total", "counter",
	    "BFD timers that ran more than 10 ms late.", (double)st.late_over_10ms);
}

static void count_lsa(void *ctx, const struct ospf_lsa_info *l)
{
	unsigned *by_type = ctx;
	if (l->hdr.type >= 1 && l->hdr.type <= 5)
		by_type[l->hdr.type]++;
	else
		by_type[0]++;
}

static void lsdb(struct fabricd *d, struct ctl_buf *out)
{
	static const char *const names[] = { "other", "router", "network", "summary", "asbr-summary",
					     "external" };
	unsigned by_type[6] = { 0 };
	struct ospf_counters c;
	ospf_lsdb_foreach(d->ospf, now_ms(), count_lsa, by_type);
	family(out, "fabricd_ospf_lsas", "gauge", "LSAs in the database, by type.");
	for (int t = 1; t <= 6; t++)
		sample(out, "fabricd_ospf_lsas", "type", names[t % 6], by_type[t % 6]);
	ospf_counters_get(d->ospf, &c);
	one(out, "fabricd_ospf_packets_received_total", "counter", "OSPF packets received.",
	    (double)c.rx_packets);
	one(out, "fabricd_ospf_packets_sent_total", "counter", "OSPF packets sent.", (double)c.tx_packets);
	one(out, "fabricd_ospf_lsas_originated_total", "counter", "LSAs originated.",
	    (double)c.lsa_originated);
	one(out, "fabricd_ospf_retransmissions_total", "counter", "LSA retransmissions.",
	    (double)c.retransmissions);
	family(out, "fabricd_ospf_packets_dropped_total", "counter", "OSPF packets dropped, by reason.");
	for (int k = 1; k < OSPF_DROP__COUNT; k++)
		sample(out, "fabricd_ospf_packets_dropped_total", "reason",
		       ospf_drop_name((enum ospf_drop)k), (double)c.drops[k]);
}

/* OSPF packets per interface, type and direction (the ISM's counters). */
static void interfaces(struct fabricd *d, struct ctl_buf *out)
{
	static const char *const types[] = { NULL, "hello", "dbdesc", "lsreq", "lsupdate", "lsack" };
	struct ospf_iter it;
	struct ospf_if_info oi;
	family(out, "fabricd_ospf_interface_packets_total", "counter",
	       "OSPF packets by interface, packet type and direction.");
	for (ospf_iter_init(&it, d->ospf); ospf_if_next(&it, &oi);)
		for (int t = 1; t <= 5; t++)
			for (int dir = 0; dir < 2; dir++) {
				ctl_buf_puts(out, "fabricd_ospf_interface_packets_total{interface=");
				label_value(out, oi.name);
				ctl_buf_printf(out, ",type=\"%s\",direction=\"%s\"} %llu\n", types[t],
					       dir ? "tx" : "rx",
					       (unsigned long long)(dir ? oi.tx[t] : oi.rx[t]));
			}
}

static void spf(struct fabricd *d, struct ctl_buf *out)
{
	const struct events_stats *st = events_stats();
	uint64_t cum = 0;
	one(out, "fabricd_spf_runs_total", "counter", "SPF runs.", (double)st->spf_runs);
	family(out, "fabricd_spf_duration_seconds", "histogram", "Duration of SPF runs (with the FIB diff).");
	for (int b = 0; b < EVENTS_SPF_BUCKETS; b++) {
		char le[32];
		cum += st->spf_bucket[b];
		snprintf(le, sizeof(le), "%g", (double)events_spf_bucket_us[b] / 1e6);
		sample(out, "fabricd_spf_duration_seconds_bucket", "le", le, (double)cum);
	}
	cum += st->spf_bucket[EVENTS_SPF_BUCKETS];
	sample(out, "fabricd_spf_duration_seconds_bucket", "le", "+Inf", (double)cum);
	sample(out, "fabricd_spf_duration_seconds_sum", NULL, NULL, (double)st->spf_sum_us / 1e6);
	sample(out, "fabricd_spf_duration_seconds_count", NULL, NULL, (double)cum);
}

static void routes(struct fabricd *d, struct ctl_buf *out)
{
	const struct events_stats *st = events_stats();
	size_t installed = 0;
	for (size_t k = 0; k < d->routes.n_routes; k++) {
		const struct spf_route *r = &d->routes.routes[k];
		int err = 0;
		installed += !r->connected && d->fib && fib_route_installed(d->fib, r->prefix, r->plen, &err);
	}
	one(out, "fabricd_routes", "gauge", "Routes computed by the last SPF run.",
	    (double)d->routes.n_routes);
	one(out, "fabricd_fib_routes", "gauge", "Routes installed in the kernel.", (double)installed);
	one(out, "fabricd_fib_install_errors_total", "counter", "Route changes the kernel refused.",
	    (double)st->fib_errors);
	one(out, "fabricd_route_changes_total", "counter", "Routes added, changed or removed by SPF.",
	    (double)st->route_changes);
	one(out, "fabricd_local_repairs_total", "counter",
	    "Next hops taken out of the kernel before SPF (carrier loss, BFD down).",
	    (double)st->local_repairs);
}

static void daemon_info(struct fabricd *d, struct ctl_buf *out)
{
	const struct events_stats *st = events_stats();
	char rid[IPV4_STRLEN];
	ipv4_str(d->conf.router_id, rid);
	family(out, "fabricd_info", "gauge", "Version and router ID of this fabricd.");
	ctl_buf_printf(out, "fabricd_info{version=\"%s\",router_id=\"%s\"} 1\n", PACKAGE_VERSION, rid);
	one(out, "fabricd_uptime_seconds", "gauge", "Seconds since fabricd started.",
	    (double)(now_ms() - d->start_ms) / 1000.0);
	one(out, "fabricd_maintenance", "gauge", "1 while in maintenance (max-metric).", d->maintenance);
	family(out, "fabricd_reloads_total", "counter", "Configuration reloads, by result.");
	sample(out, "fabricd_reloads_total", "result", "ok", (double)(st->reloads - st->reload_failures));
	sample(out, "fabricd_reloads_total", "result", "failed", (double)st->reload_failures);
	one(out, "fabricd_events_total", "counter", "Events published (show events, monitor).",
	    (double)st->published);
	one(out, "fabricd_monitor_clients", "gauge", "Control-socket clients running monitor.",
	    d->ctl ? (double)ctl_server_subscribers(d->ctl) : 0);
	one(out, "fabricd_monitor_events_dropped_total", "counter",
	    "Events not delivered to monitor clients that did not keep up.",
	    d->ctl ? (double)ctl_server_dropped(d->ctl) : 0);
}

int metrics_render(struct fabricd *d, struct ctl_buf *out)
{
	daemon_info(d, out);
	neighbors(d, out);
	bfd(d, out);
	lsdb(d, out);
	interfaces(d, out);
	spf(d, out);
	routes(d, out);
	return 0;
}
