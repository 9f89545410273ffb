/* From the LSDB to the kernel: SPF runs when the engine says the LSDB
 * changed, paced by the RFC 8405 back-off; its result is diffed against the
 * previous one and only the changes go to fib/. */
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include "fabricd/daemon.h"
#include "fabricd/log.h"
#include "fib/fib.h"

/* Linux treats the metric as part of a route's key: keep it constant so a
 * cost change is a replace, not a second route. 20 is what FRR's zebra uses
 * for OSPF, so a mixed fabric's tables look alike. */
#define ROUTE_METRIC 20

static bool installable(const struct spf_route *r)
{
	if (r->connected || r->n_nh == 0)
		return false;
	for (unsigned k = 0; k < r->n_nh; k++)
		if (!r->nh[k].addr)
			return false;
	return true;
}

/* Room for `need` elements of `size` in *buf (capacity *cap), doubling;
 * false when out of memory (the buffer is left as it was). */
static bool reserve(void **buf, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 8;
	while (n < need)
		n *= 2;
	void *p = realloc(*buf, n * size);
	if (!p)
		return false;
	*buf = p;
	*cap = n;
	return true;
}

/* The next hops SPF may use right now: neighbors in 2-Way or better on
 * interfaces that are up. SPF reads our own Router-LSA, whose re-origination
 * after a failure can be held back (MinLSArrival); until then its links still
 * name a dead port or neighbor, and a route through it must not come back
 * into the kernel after local repair took it out. */
static void usable_refresh(struct fabricd *d)
{
	struct ospf_iter it;
	struct ospf_nbr_info nb;
	size_t m = 0;
	bool changed = false;
	for (ospf_iter_init(&it, d->ospf); ospf_nbr_next(&it, &nb);) {
		struct fd_iface *i = iface_by_index(d, nb.ifindex);
		if (nb.state < NSM_2WAY || !i || !i->up_in_ospf)
			continue;
		struct fib_nh h = { .gw = nb.addr, .ifindex = nb.ifindex };
		if (!reserve((void **)&d->usable, &d->cap_usable, m + 1, sizeof(h))) {
			log_err("routes: out of memory for next hops: %zu kept", m);
			changed = true;
			break;
		}
		changed |= m >= d->n_usable || d->usable[m].gw != h.gw ||
			   d->usable[m].ifindex != h.ifindex;
		d->usable[m++] = h;
	}
	/* A next hop that came back (or left) changes routes the SPF diff
	 * does not see as changed: offer them all again. */
	if (changed || m != d->n_usable)
		d->fib_resync = true;
	d->n_usable = m;
}

static bool nexthop_usable(const struct fabricd *d, const struct spf_nexthop *h)
{
	for (size_t k = 0; k < d->n_usable; k++)
		if (d->usable[k].gw == h->addr && d->usable[k].ifindex == h->ifindex)
			return true;
	return false;
}

static uint64_t earlier_key(uint32_t prefix, uint8_t plen)
{
	return (uint64_t)prefix << 8 | plen;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void remember_cb(void *ctx, uint32_t prefix, uint8_t plen, uint32_t metric,
			const struct fib_nh *nh, size_t n)
{
	struct fabricd *d = ctx;
	uint64_t *v = realloc(d->earlier, (d->n_earlier + 1) * sizeof(*v));
	if (!v)
		return;
	d->earlier = v;
	v[d->n_earlier++] = earlier_key(prefix, plen);
}

/* A restart must not narrow the forwarding of an earlier run while our
 * database is still incomplete: an SPF over a neighbor's Router-LSA that
 * does not list us back yet (its re-origination may be held back for a
 * second) would turn a 2-way ECMP route into a single path. So the routes
 * of an earlier run are left as they are until the database has settled;
 * routes the kernel does not have are installed at once. */
void routes_remember_earlier(struct fabricd *d)
{
	int n = fib_kernel_routes(d->fib, remember_cb, d);
	if (n > 0)
		log_info("%d routes of an earlier run kept until the database has settled", n);
	if (d->n_earlier > 1)
		qsort(d->earlier, d->n_earlier, sizeof(*d->earlier), cmp_u64);
}

static bool from_earlier_run(const struct fabricd *d, const struct spf_route *r)
{
	uint64_t k = earlier_key(r->prefix, r->plen);
	return d->n_earlier > 0 &&
	       bsearch(&k, d->earlier, d->n_earlier, sizeof(k), cmp_u64) != NULL;
}

static void route_install(struct fabricd *d, const struct spf_route *r)
{
	if (from_earlier_run(d, r))
		return;
	if (!reserve((void **)&d->nh_buf, &d->cap_nh_buf, r->n_nh, sizeof(*d->nh_buf))) {
		log_err("routes: out of memory for %u next hops", r->n_nh);
		return;
	}
	size_t n = 0;
	for (unsigned k = 0; k < r->n_nh; k++)
		if (nexthop_usable(d, &r->nh[k]))
			d->nh_buf[n++] = (struct fib_nh){ .gw = r->nh[k].addr, .ifindex = r->nh[k].ifindex };
	if (n)
		fib_route_set(d->fib, r->prefix, r->plen, ROUTE_METRIC, d->nh_buf, n);
	else
		fib_route_del(d->fib, r->prefix, r->plen);
}

static void apply_change(void *ctx, enum rt_change what, const struct spf_route *old,
			 const struct spf_route *nw)
{
	struct fabricd *d = ctx;
	bool want = nw && what != RT_DEL && installable(nw);
	bool had = old && installable(old);
	if (want)
		route_install(d, nw);
	else if (had)
		fib_route_del(d->fib, old->prefix, old->plen);
}

/* Our interfaces with an address, for SPF; -1 when out of memory. */
static ssize_t spf_ifaces(struct fabricd *d)
{
	if (!reserve((void **)&d->if_buf, &d->cap_if_buf, d->n_ifaces, sizeof(*d->if_buf)))
		return -1;
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

/* Routes of an earlier run stay in the kernel until our first SPF over a
 * synchronized database has replaced them; whatever is left of them then is
 * removed. Synchronized: a dead interval has passed since start (every
 * neighbor has been heard), no adjacency is still exchanging databases, and
 * every Full adjacency is in the LSDB both ways, in our Router-LSA (whose
 * re-origination may be held back by MinLSInterval) and in the neighbor's;
 * else SPF would leave out the paths through it (RFC 2328 16.1 (2b)). */
static bool adjacency_in_lsdb(struct fabricd *d, uint32_t nbr)
{
	return ospf_lsdb_has_link(d->ospf, d->conf.router_id, nbr) &&
	       ospf_lsdb_has_link(d->ospf, nbr, d->conf.router_id);
}

static bool lsdb_settled(struct fabricd *d)
{
	uint64_t waited = now_ms() - d->start_ms, dead = 0;
	for (size_t k = 0; k < d->n_ifaces; k++)
		if (!d->ifaces[k]->cfg->passive && d->ifaces[k]->cfg->dead_interval * 1000ull > dead)
			dead = d->ifaces[k]->cfg->dead_interval * 1000ull;
	if (waited > 60000)
		return true;
	if (waited < dead)
		return false;
	struct ospf_iter it;
	struct ospf_nbr_info nb;
	for (ospf_iter_init(&it, d->ospf); ospf_nbr_next(&it, &nb);)
		if ((nb.state >= NSM_EXSTART && nb.state < NSM_FULL) ||
		    (nb.state == NSM_FULL && !adjacency_in_lsdb(d, nb.router_id)))
			return false;
	return true;
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
				.ctx = d->ospf };
	struct spf_result res = { 0 };
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	usable_refresh(d);
	bool settling = !d->first_spf_done && lsdb_settled(d);
	if (settling) {
		/* From now on every route is ours to set: offer them all. */
		free(d->earlier);
		d->earlier = NULL;
		d->n_earlier = 0;
		d->fib_resync = true;
	}
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
	if (settling) {
		int n = fib_reconcile(d->fib);
		if (n > 0)
			log_info("removed %d stale kernel routes/nexthops of an earlier run", n);
		d->first_spf_done = true;
	} else if (!d->first_spf_done && !ev_is_active(&d->reconcile_timer)) {
		ev_timer_set(&d->reconcile_timer, 1.0, 0.);
		ev_timer_start(d->loop, &d->reconcile_timer);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	d->spf.runs++;
	d->spf.last_run_ms = now_ms();
	d->spf.last_duration_us = (uint64_t)((b.tv_sec - a.tv_sec) * 1000000 +
					     (b.tv_nsec - a.tv_nsec) / 1000);
	d->spf.last_routes = res.n_routes;
	log_debug("SPF #%llu (%s): %zu routes, %zu vertices, %llu us",
		  (unsigned long long)d->spf.runs, d->spf.last_trigger, res.n_routes, res.n_vertices,
		  (unsigned long long)d->spf.last_duration_us);
}

static void spf_timer_rearm(struct fabricd *d);

/* Until the first SPF over a settled database, look again every second.
 * Not through the SPF scheduler: these looks are not network events and
 * must not push the RFC 8405 back-off into its long wait. */
static void reconcile_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct fabricd *d = w->data;
	if (d->first_spf_done)
		return;
	if (!lsdb_settled(d)) {
		ev_timer_set(&d->reconcile_timer, 1.0, 0.);
		ev_timer_start(d->loop, &d->reconcile_timer);
		return;
	}
	snprintf(d->spf.last_trigger, sizeof(d->spf.last_trigger), "start-up reconciliation");
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
	if (next == SPF_SCHED_NEVER)
		return;
	ev_timer_set(&d->spf_timer, next > now ? (double)(next - now) / 1000.0 : 0.0, 0.);
	ev_timer_start(d->loop, &d->spf_timer);
}

/* Local repair (carrier loss, BFD down): next hops leave the kernel at once,
 * before SPF; the SPF that follows offers every route again. */
void routes_local_repair(struct fabricd *d, uint32_t ifindex, uint32_t gw)
{
	int msgs = gw ? fib_repair_nexthop(d->fib, gw, ifindex) : fib_repair_ifindex(d->fib, ifindex);
	log_info("local repair: next hops via %s%u.%u.%u.%u on ifindex %u removed (%d messages)",
		 gw ? "" : "any ", gw >> 24, (gw >> 16) & 255, (gw >> 8) & 255, gw & 255, ifindex, msgs);
	d->fib_resync = true;
	routes_schedule(d, "local repair");
}

void routes_schedule(struct fabricd *d, const char *why)
{
	snprintf(d->spf.last_trigger, sizeof(d->spf.last_trigger), "%s", why ? why : "?");
	spf_sched_event(&d->sched, now_ms());
	spf_timer_rearm(d);
}

void routes_configure(struct fabricd *d)
{
	const struct conf_spf *c = &d->conf.spf;
	struct spf_sched_params p = { .initial_delay = c->initial_delay_ms,
				      .short_delay = c->short_delay_ms,
				      .long_delay = c->long_delay_ms,
				      .hold_down = c->hold_down_ms,
				      .time_to_learn = c->time_to_learn_ms };
	spf_sched_init(&d->sched, &p);
}

int routes_init(struct fabricd *d)
{
	routes_configure(d);
	ev_init(&d->spf_timer, spf_timer_cb);
	d->spf_timer.data = d;
	ev_init(&d->reconcile_timer, reconcile_cb);
	d->reconcile_timer.data = d;
	d->spf_ws = spf_ws_new();
	return d->spf_ws ? 0 : -1;
}

void routes_free(struct fabricd *d)
{
	ev_timer_stop(d->loop, &d->spf_timer);
	ev_timer_stop(d->loop, &d->reconcile_timer);
	spf_result_free(&d->routes);
	free(d->earlier);
	d->earlier = NULL;
	d->n_earlier = 0;
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
