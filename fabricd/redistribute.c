/* ospf.redistribute: the routes other sources put in the kernel's main
 * table (fib/rtmon.h) become the AS-external routes the OSPF engine
 * announces (RFC 2328 as AS boundary router). Which ones is the policy of
 * redist_select.c; here: the monitor (running only while the config has
 * redistribute entries), the subnets OSPF carries already, and handing the
 * set to the engine. */
#include <stdlib.h>
#include "fabricd/daemon.h"
#include "fabricd/log.h"
#include "fabricd/redist.h"
#include "proto/lib/vec.h"

#define REDIST_DELAY 0.1 /* s: one recomputation for a burst of changes */

struct collect {
	struct fabricd *d;
	struct ospf_ext_route *r;
	size_t n, cap;
};

/* The subnet of an interface OSPF runs on: intra-area already. */
static bool ospf_subnet(const struct fabricd *d, const struct fib_rt_info *r)
{
	for (size_t k = 0; k < d->n_ifaces; k++) {
		const struct fd_iface *i = d->ifaces[k];
		uint32_t mask = i->plen ? 0xffffffffu << (32 - i->plen) : 0;
		if (i->in_ospf && i->addr && i->plen == r->plen && (i->addr & mask) == r->prefix)
			return true;
	}
	return false;
}

static void collect_one(void *arg, const struct fib_rt_info *r)
{
	struct collect *c = arg;
	struct ospf_ext_route x;
	if (!redist_select(&c->d->conf, r, &x) ||
	    (redist_source(r) == CONF_REDIST_CONNECTED && ospf_subnet(c->d, r)))
		return;
	struct ospf_ext_route *n = VEC_PUSH(c->r, c->n, c->cap);
	if (!n)
		return; /* out of memory: this route waits for the next pass */
	*n = x;
}

static void recompute(struct fabricd *d)
{
	struct collect c = { .d = d };
	if (d->rtmon)
		fib_rtmon_foreach(d->rtmon, collect_one, &c);
	if (c.n != d->n_redist)
		log_info("redistribute: %zu routes announced as AS-external", c.n);
	d->n_redist = c.n;
	ospf_set_externals(d->ospf, c.r, c.n, now_ms());
	free(c.r);
	ospf_timer_rearm(d);
}

static void redist_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	recompute(w->data);
}

void redist_schedule(struct fabricd *d)
{
	if (!ev_is_active(&d->redist_timer)) {
		ev_timer_set(&d->redist_timer, REDIST_DELAY, 0.);
		ev_timer_start(d->loop, &d->redist_timer);
	}
}

static void route_changed(void *ctx, const struct fib_rt_info *r, bool removed)
{
	if (r->protocol != REDIST_RTPROT_OURS)
		redist_schedule(ctx);
}

static void rtmon_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	struct fabricd *d = w->data;
	fib_rtmon_process(d->rtmon);
}

static void rtmon_stop(struct fabricd *d)
{
	if (!d->rtmon)
		return;
	ev_io_stop(d->loop, &d->rtmon_w);
	fib_rtmon_free(d->rtmon);
	d->rtmon = NULL;
}

void redist_configure(struct fabricd *d)
{
	if (!ev_is_active(&d->redist_timer) && !d->redist_timer.data) {
		ev_init(&d->redist_timer, redist_timer_cb);
		d->redist_timer.data = d;
	}
	if (d->conf.n_redist && !d->rtmon) {
		d->rtmon = fib_rtmon_new(route_changed, d);
		if (!d->rtmon) {
			log_err("redistribute: cannot monitor the kernel's routing table (netlink)");
		} else {
			ev_io_init(&d->rtmon_w, rtmon_readable, fib_rtmon_fd(d->rtmon), EV_READ);
			d->rtmon_w.data = d;
			ev_io_start(d->loop, &d->rtmon_w);
		}
	} else if (!d->conf.n_redist) {
		rtmon_stop(d);
	}
	redist_schedule(d);
}

void redist_stop(struct fabricd *d)
{
	if (d->redist_timer.data)
		ev_timer_stop(d->loop, &d->redist_timer);
	rtmon_stop(d);
}
