/* From the LSDB to the kernel, one way: the engine says the LSDB changed
 * (routes_lsdb_change) -> SPF, paced by the RFC 8405 back-off -> the
 * result is diffed against the previous one -> only the changes go to fib/.
 * The one documented shortcut is local repair (carrier loss, BFD Down):
 * next hops leave the kernel at once, before SPF. Next hops are used only
 * through neighbors in 2-Way or better (adjacency.c tells us, routes_nexthop);
 * routes an earlier run left are the start-up reconciliation's
 * (reconcile.c). */
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include "fabricd/daemon.h"
#include "fabricd/events.h"
#include "fabricd/log.h"
#include "fib/fib.h"
#include "proto/lib/ipv4.h"
#include "proto/lib/vec.h"

/* Linux treats the metric as part of a route's key: keep it constant so a
 * cost change is a replace, not a second route. 20 is what FRR's zebra uses
 * for OSPF, so a mixed fabric's tables look alike. */
#define ROUTE_METRIC 20

/* Next hops without an address (through an unnumbered port) are resolved
 * at install time (routes_resolve_nh): one that cannot be leaves only itself
 * out, never the route's other paths. */
static bool installable(const struct spf_route *r)
{
	return !r->connected && r->n_nh > 0;
}

static void schedule(struct fabricd *d, const char *why, bool local);

/* The next hops SPF may use right now: neighbors in 2-Way or better (on
 * interfaces that are up: going down kills them). SPF reads our own
 * Router-LSA, whose re-origination after a failure can be held back
 * (MinLSArrival); until then its links still name a dead port or neighbor,
 * and a route through it must not come back into the kernel after local
 * repair took it out. */
void routes_nexthop(struct fabricd *d, uint32_t gw, uint32_t ifindex, bool usable)
{
	size_t k = 0;
	while (k < d->n_usable && (d->usable[k].gw != gw || d->usable[k].ifindex != ifindex))
		k++;
	if (usable && k == d->n_usable) {
		struct fib_nh *v = VEC_PUSH(d->usable, d->n_usable, d->cap_usable);
		if (!v) {
			log_err("routes: out of memory for next hops");
			return;
		}
		*v = (struct fib_nh){ .gw = gw, .ifindex = ifindex };
	} else if (!usable && k < d->n_usable) {
		d->usable[k] = d->usable[--d->n_usable];
	} else {
		return;
	}
	/* A next hop that came back (or left) changes routes the SPF diff
	 * does not see as changed: offer them all again. */
	d->fib_resync = true;
	schedule(d, usable ? "neighbor up" : "neighbor down", true);
}

/* SPF's next hop as the kernel gets it, if usable. Over an unnumbered
 * point-to-point link SPF has no address (the link data is an ifindex,
 * RFC 2328 12.4.1.1): it is the neighbor's source address from its Hellos,
 * on-link on that port (no subnet of ours holds it). */
bool routes_resolve_nh(const struct fabricd *d, const struct spf_nexthop *h, struct fib_nh *out)
{
	const struct fd_iface *i = iface_by_index((struct fabricd *)d, h->ifindex);
	for (size_t k = 0; i && k < d->n_usable; k++) {
		const struct fib_nh *u = &d->usable[k];
		if (u->ifindex != h->ifindex)
			continue;
		bool onlink = iface_gw_onlink(i, u->gw);
		if (h->addr ? u->gw == h->addr : onlink) {
			*out = (struct fib_nh){ .gw = u->gw, .ifindex = u->ifindex,
						.flags = onlink ? FIB_NH_ONLINK : 0 };
			return true;
		}
	}
	return false;
}

static void route_install(struct fabricd *d, const struct spf_route *r)
{
	if (reconcile_keeps(d, r->prefix, r->plen))
		return;
	struct fib_nh *nh = vec_grow(d->nh_buf, &d->cap_nh_buf, r->n_nh, sizeof(*nh));
	if (!nh) {
		log_err("routes: out of memory for %u next hops", r->n_nh);
		return;
	}
	d->nh_buf = nh;
	size_t n = 0;
	for (unsigned k = 0; k < r->n_nh; k++)
		if (routes_resolve_nh(d, &r->nh[k], &d->nh_buf[n]))
			n++;
	if (n)
		fib_route_set(d->fib, r->prefix, r->plen, ROUTE_METRIC, d->nh_buf, n);
	else
		fib_route_del(d->fib, r->prefix, r->plen);
}

static void apply_change(void *ctx, enum rt_change what, const struct spf_route *old,
			 const struct spf_route *nw)
{
	struct fabricd *d = ctx;
	events_route(d, what, old, nw);
	bool want = nw && what != RT_DEL && installable(nw);
	bool had = old && installable(old);
	if (want)
		route_install(d, nw);
	else if (had && !reconcile_keeps(d, old->prefix, old->plen))
		/* An earlier run's route stays while the database is not
		 * settled, also when an SPF over the incomplete database
		 * loses it for a moment (reconcile.c removes it if stale). */
		fib_route_del(d->fib, old->prefix, old->plen);
}

/* Our interfaces with an address, for SPF; -1 when out of memory. */
static ssize_t spf_ifaces(struct fabricd *d)
{
	struct spf_iface *v = vec_grow(d->if_buf, &d->cap_if_buf, d->n_ifaces, sizeof(*v));
	if (!v)
		return -1;
	d->if_buf = v;
	size_t n = 0;
	for (size_t k = 0; k < d->n_ifaces; k++) {
		struct fd_iface *i = d->ifaces[k];
		if (!i->ifindex || !i->addr)
			continue;
		d->if_buf[n++] = (struct spf_iface){ .ifindex = i->ifindex,
					      .addr = i->addr,
					      .mask = i->plen ? 0xffffffffu << (32 - i->plen) : 0 };
	}
	return n;
}

static void spf_once(struct fabricd *d)
{
	ssize_t n_ifs = spf_ifaces(d);
	if (n_ifs < 0) {
		log_err("SPF: out of memory");
		return;
	}
	struct spf_params p = { .root = d->conf.router_id,
				.ifaces = d->if_buf,
				.n_ifaces = (size_t)n_ifs,
				.max_paths = d->conf.maximum_paths,
				.lookup = ospf_lsdb_lookup,
				.each = ospf_lsdb_each,
				.ctx = d->ospf };
	struct spf_result res = { 0 };
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if (reconcile_spf_begin(d))
		d->fib_resync = true;
	if (spf_run_ws(&p, d->spf_ws, &res) < 0) {
		log_err("SPF: out of memory");
		return;
	}
	fib_batch_begin(d->fib);
	spf_result_diff(&d->routes, &res, apply_change, d);
	if (d->fib_resync) {
		/* A local repair changed the kernel behind the diff's back: offer
		 * every route again (fib/ skips those it already has). */
		for (size_t k = 0; k < res.n_routes; k++)
			if (installable(&res.routes[k]))
				route_install(d, &res.routes[k]);
		d->fib_resync = false;
	}
	fib_batch_end(d->fib);
	/* The workspace keeps the old result's memory for the next run. */
	spf_ws_recycle(d->spf_ws, &d->routes);
	d->routes = res;
	reconcile_spf_end(d);
	clock_gettime(CLOCK_MONOTONIC, &b);
	d->spf.runs++;
	d->spf.last_run_ms = now_ms();
	d->spf.last_duration_us = (uint64_t)((b.tv_sec - a.tv_sec) * 1000000 +
					     (b.tv_nsec - a.tv_nsec) / 1000);
	d->spf.last_routes = res.n_routes;
	events_spf(d, d->spf.last_trigger, d->spf.last_duration_us, res.n_routes);
	log_debug("SPF #%llu (%s): %zu routes, %zu vertices, %llu us",
		  (unsigned long long)d->spf.runs, d->spf.last_trigger, res.n_routes, res.n_vertices,
		  (unsigned long long)d->spf.last_duration_us);
}

static void spf_timer_rearm(struct fabricd *d);

/* local: an event on one of our own ports (spf_sched_local_event). */
static void schedule(struct fabricd *d, const char *why, bool local)
{
	snprintf(d->spf.last_trigger, sizeof(d->spf.last_trigger), "%s", why ? why : "?");
	if (local)
		spf_sched_local_event(&d->sched, now_ms());
	else
		spf_sched_event(&d->sched, now_ms());
	spf_timer_rearm(d);
}

void routes_run_now(struct fabricd *d, const char *why)
{
	snprintf(d->spf.last_trigger, sizeof(d->spf.last_trigger), "%s", why);
	spf_once(d);
}

static void spf_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct fabricd *d = w->data;
	if (spf_sched_tick(&d->sched, now_ms())) {
		spf_once(d);
		spf_sched_run_done(&d->sched, now_ms());
	}
	spf_timer_rearm(d);
}

static void spf_timer_rearm(struct fabricd *d)
{
	uint64_t next = spf_sched_next_deadline(&d->sched), now = now_ms();
	ev_timer_stop(d->loop, &d->spf_timer);
	if (next == NEVER)
		return;
	ev_timer_set(&d->spf_timer, next > now ? (double)(next - now) / 1000.0 : 0.0, 0.);
	ev_timer_start(d->loop, &d->spf_timer);
}

/* Local repair (carrier loss, BFD down): next hops leave the kernel at once,
 * before SPF; the SPF that follows offers every route again. */
void routes_local_repair(struct fabricd *d, uint32_t ifindex, uint32_t gw)
{
	int msgs = gw ? fib_repair_nexthop(d->fib, gw, ifindex) : fib_repair_ifindex(d->fib, ifindex);
	char a[IPV4_STRLEN];
	log_info("local repair: next hops via %s%s on ifindex %u removed (%d messages)",
		 gw ? "" : "any ", ipv4_str(gw, a), ifindex, msgs);
	events_repair(d, ifindex, gw, msgs);
	d->fib_resync = true;
	schedule(d, "local repair", true);
}

void routes_lsdb_change(void *ctx, const char *why)
{
	routes_schedule(ctx, why);
}

void routes_schedule(struct fabricd *d, const char *why)
{
	schedule(d, why, false);
}

static struct spf_sched_params sched_params(const struct fabricd *d)
{
	const struct conf_spf *c = &d->conf.spf;
	return (struct spf_sched_params){ .initial_delay = c->initial_delay_ms,
					  .short_delay = c->short_delay_ms,
					  .long_delay = c->long_delay_ms,
					  .hold_down = c->hold_down_ms,
					  .time_to_learn = c->time_to_learn_ms };
}

void routes_configure(struct fabricd *d)
{
	struct spf_sched_params p = sched_params(d);
	spf_sched_set_params(&d->sched, &p);
}

int routes_init(struct fabricd *d)
{
	struct spf_sched_params p = sched_params(d);
	spf_sched_init(&d->sched, &p);
	ev_init(&d->spf_timer, spf_timer_cb);
	d->spf_timer.data = d;
	reconcile_init(d);
	d->spf_ws = spf_ws_new();
	return d->spf_ws ? 0 : -1;
}

void routes_free(struct fabricd *d)
{
	ev_timer_stop(d->loop, &d->spf_timer);
	reconcile_free(d);
	spf_result_free(&d->routes);
	free(d->usable);
	free(d->nh_buf);
	free(d->if_buf);
	d->usable = d->nh_buf = NULL;
	d->if_buf = NULL;
	d->n_usable = d->cap_usable = d->cap_nh_buf = d->cap_if_buf = 0;
	if (d->spf_ws)
		spf_ws_free(d->spf_ws);
	d->spf_ws = NULL;
}
