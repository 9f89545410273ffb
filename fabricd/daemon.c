/* Start-up, reload and shutdown of the daemon's parts. */
#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include "cli/ctl_server.h"
#include "fabricd/bfd_io.h"
#include "fabricd/control.h"
#include "fabricd/daemon.h"
#include "fabricd/events.h"
#include "fabricd/http.h"
#include "fabricd/links.h"
#include "fabricd/log.h"
#include "fabricd/notify.h"
#include "fib/fib.h"
#include "proto/lib/ipv4.h"

static void fib_result(void *ctx, uint32_t prefix, uint8_t plen, int err)
{
	if (err)
		events_fib_error(ctx, prefix, plen, err);
	char p[IPV4_PREFIX_STRLEN];
	if (err)
		log_warn("kernel refused route %s: %s", ipv4_prefix_str(prefix, plen, p),
			 strerror(err));
}

static void fib_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	struct fabricd *d = w->data;
	fib_process(d->fib);
}

/* bfd.realtime-priority: SCHED_FIFO at that priority for the BFD thread,
 * or back to the normal class with 0. On a busy host a normal thread can go
 * unscheduled for longer than a BFD detection time (measured: 100-150 ms on
 * a 2-core VM running 1,000 sessions), and its peers then declare it down;
 * a real-time thread runs as soon as its timer is due. Only the BFD thread:
 * OSPF floods and big `show` replies at real-time priority would starve
 * the host instead. The kernel's RT throttling (sched_rt_runtime_us) still
 * leaves other tasks some CPU. */
static void apply_rt_priority(struct fabricd *d, uint32_t prio)
{
	if (bfd_io_set_rt_priority(d->bfd, prio) != 0)
		log_warn("cannot set %s scheduling (priority %u) for BFD: %s",
			 prio ? "real-time" : "normal", prio, strerror(errno));
	else if (prio)
		log_info("BFD thread: real-time scheduling, SCHED_FIFO priority %u", prio);
}

static int group_id(const char *name)
{
	if (!name[0])
		return -1;
	struct group *g = getgrnam(name);
	return g ? (int)g->gr_gid : -1;
}

int daemon_start(struct fabricd *d)
{
	char err[CONF_ERRLEN];
	struct ospf_callbacks cb;

	d->start_ms = now_ms();
	ev_init(&d->ospf_timer, NULL);
	if (iface_table_apply_conf(d) < 0)
		return -1;
	ospf_io_callbacks(d, &cb);
	d->ospf = ospf_new(d->conf.router_id, d->conf.area, &cb, d->start_ms);
	if (!d->ospf)
		return -1;
	ospf_io_wall_clock(d, d->start_ms);
	d->maintenance = d->conf.max_metric;
	if (d->maintenance)
		ospf_set_max_metric(d->ospf, true, d->start_ms);
	daemon_apply_limits(d, d->start_ms);
	if (routes_init(d) < 0)
		return -1;

	d->fib = fib_new(true, fib_result, d);
	if (!d->fib) {
		log_err("cannot open the kernel routing socket");
		return -1;
	}
	reconcile_remember_earlier(d);
	ev_io_init(&d->fib_w, fib_readable, fib_fd(d->fib), EV_READ);
	d->fib_w.data = d;
	ev_io_start(d->loop, &d->fib_w);

	d->bfd = bfd_io_new(d->loop, bfd_state_change, d);
	if (!d->bfd)
		return -1;
	if (d->conf.rt_priority)
		apply_rt_priority(d, d->conf.rt_priority);
	if (links_start(d) < 0)
		return -1;
	redist_configure(d);
	if (control_start(d, group_id(d->conf.group), err, sizeof(err)) < 0) {
		log_err("control socket %s: %s", d->socket_path, err);
		return -1;
	}
	if (http_apply(d, &d->conf, err, sizeof(err)) < 0) {
		log_err("%s: %s", d->conf_path, err);
		return -1;
	}
	ospf_timer_rearm(d);
	return 0;
}

void daemon_stop(struct fabricd *d)
{
	http_shutdown();
	if (d->ctl)
		ctl_server_free(d->ctl);
	d->ctl = NULL;
	if (d->ospf) {
		/* Flush our LSAs so neighbors route around us at once (14.1). */
		ospf_shutdown(d->ospf, now_ms());
	}
	redist_stop(d);
	links_stop(d);
	if (d->bfd)
		bfd_io_free(d->bfd);
	d->bfd = NULL;
	if (d->fib) {
		fib_flush_all(d->fib);
		ev_io_stop(d->loop, &d->fib_w);
		fib_free(d->fib);
	}
	d->fib = NULL;
	iface_table_free(d);
	routes_free(d);
	if (d->ospf)
		ospf_free(d->ospf);
	d->ospf = NULL;
	conf_free(&d->conf);
	events_free();
}

/* ospf.max-lsa (RFC 1765); the per-neighbor list bound stays the engine's
 * default, or twice max-lsa when that is larger. */
void daemon_apply_limits(struct fabricd *d, uint64_t now)
{
	struct ospf_limits l = { .max_lsa = d->conf.max_lsa };
	if (d->conf.max_lsa > OSPF_NBR_LIST_MAX_DEFAULT / 2)
		l.nbr_list_max = d->conf.max_lsa * 2u;
	ospf_set_limits(d->ospf, &l, now);
}

/* Reload: the new file must be valid as a whole, or nothing changes. */
static int reload(struct fabricd *d, char *err, size_t errlen)
{
	struct conf nc;
	struct conf_diff diff;

	if (conf_load(d->conf_path, &nc, err, errlen) < 0)
		return -1;
	conf_diff(&d->conf, &nc, &diff);
	if (diff.router_id || diff.area) {
		snprintf(err, errlen, "%s: changing router-id or area needs a restart of fabricd",
			 d->conf_path);
		conf_diff_free(&diff);
		conf_free(&nc);
		return -1;
	}
	char herr[CONF_ERRLEN];
	if (diff.metrics && http_apply(d, &nc, herr, sizeof(herr)) < 0) {
		snprintf(err, errlen, "%s: %s", d->conf_path, herr);
		conf_diff_free(&diff);
		conf_free(&nc);
		return -1;
	}
	if (diff.control)
		log_warn("reload: control socket settings take effect at the next start");
	if (diff.user)
		log_warn("reload: user takes effect at the next start");
	struct conf old = d->conf;
	d->conf = nc;
	iface_table_apply_conf(d);
	for (size_t k = 0; k < d->n_ifaces; k++)
		iface_sync(d, d->ifaces[k]);
	bfd_reconfigure(d);
	if (diff.spf) {
		routes_configure(d);
		routes_schedule(d, "reload");
	}
	redist_configure(d); /* the sources, or which interfaces run OSPF */
	if (diff.rt_priority)
		apply_rt_priority(d, d->conf.rt_priority);
	if (diff.max_metric) {
		d->maintenance = d->conf.max_metric;
		ospf_set_max_metric(d->ospf, d->maintenance, now_ms());
	}
	if (diff.max_lsa)
		daemon_apply_limits(d, now_ms());
	log_notice("reloaded %s: %zu interfaces added, %zu removed, %zu changed", d->conf_path,
		   diff.n_added, diff.n_removed, diff.n_changed);
	conf_diff_free(&diff);
	conf_free(&old);
	ospf_timer_rearm(d);
	return 0;
}

int daemon_reload(struct fabricd *d, char *err, size_t errlen)
{
	notify_reloading(d, true);
	int r = reload(d, err, errlen);
	notify_reloading(d, false);
	return r;
}
