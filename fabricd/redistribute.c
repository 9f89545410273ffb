/* ospf.redistribute: the routes other sources put in the kernel's main
 * table (fib/rtmon.h) become the AS-external routes the OSPF engine
 * announces (RFC 2328 as AS boundary router). Sources, as in FRR:
 * - connected: the kernel's prefix routes of interface addresses (proto
 *   kernel, scope link), except the subnets OSPF carries already (an OSPF
 *   interface's own, passive ones included) and links that are down;
 * - static: proto static routes;
 * - kernel: routes of any other protocol (boot, dhcp, ...), never ours.
 * The default route is never announced this way. The monitor runs only
 * while the config has redistribute entries. */
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include "fabricd/daemon.h"
#include "fabricd/log.h"
#include "fib/rtmon.h"
#include "proto/lib/vec.h"

#define RTPROT_FABRICD 188 /* our own routes (fib/) */
#define REDIST_DELAY 0.1   /* s: one recomputation for a burst of changes */

struct collect {
	struct fabricd *d;
	struct ospf_ext_route *r;
	size_t n, cap;
};

static int source_of(const struct fib_rt_info *r)
{
	if (r->protocol == RTPROT_FABRICD)
		return -1;
	if (r->protocol == RTPROT_KERNEL && r->scope == RT_SCOPE_LINK)
		return CONF_REDIST_CONNECTED;
	if (r->protocol == RTPROT_STATIC)
		return CONF_REDIST_STATIC;
	return CONF_REDIST_KERNEL;
}

static const struct conf_redistribute *entry_for(const struct conf *c, int from)
{
	for (size_t k = 0; k < c->n_redist; k++)
		if ((int)c->redist[k].from == from)
			return &c->redist[k];
	return NULL;
}

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
	int from = source_of(r);
	const struct conf_redistribute *e = from < 0 ? NULL : entry_for(&c->d->conf, from);
	if (!e || r->plen == 0 || r->linkdown || !conf_redist_match(e, r->prefix, r->plen))
		return;
	if (from == CONF_REDIST_CONNECTED && ospf_subnet(c->d, r))
		return;
	struct ospf_ext_route *n = VEC_PUSH(c->r, c->n, c->cap);
	if (!n)
		return; /* out of memory: this route waits for the next pass */
	*n = (struct ospf_ext_route){ .prefix = r->prefix, .plen = r->plen,
						.e2 = e->metric_type == 2, .metric = e->metric };
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
	if (r->protocol != RTPROT_FABRICD)
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
