/* Start-up reconciliation: a named state machine between a restart and a
 * running network.
 *
 *   STARTING --(database settled, checked at each SPF and every second)--> SETTLED
 *   SETTLED  --(the SPF that saw it settle has set every route and removed
 *               what is left of the earlier run)--------------------------> DONE
 *
 * While STARTING, the routes an earlier run left in the kernel stay as they
 * are: an SPF over a database that is still incomplete (a neighbor's
 * Router-LSA that does not list us back yet) would narrow a 2-way ECMP route
 * to one path. Routes the kernel does not have are installed at once. The
 * SPF back-off is in its start-up phase until DONE (spf_sched.h): the
 * burst of a router coming up is not churn.
 *
 * Settled: a dead interval has passed since start (every neighbor has been
 * heard), no adjacency is still exchanging databases, and every Full
 * adjacency is in the LSDB both ways, in our Router-LSA and in the
 * neighbor's; else SPF would leave out the paths through it (RFC 2328 16.1
 * (2b)). After 60 s it is taken as settled whatever the adjacencies say. */
#include <stdlib.h>
#include "fabricd/daemon.h"
#include "fabricd/log.h"
#include "fib/fib.h"
#include "proto/lib/cmp.h"
#include "proto/lib/vec.h"

#define SETTLE_LOOK_S 1.0      /* how often to look while STARTING */
#define SETTLE_GIVE_UP_MS 60000

const char *reconcile_state_name(enum reconcile_state st)
{
	switch (st) {
	case RECONCILE_STARTING:
		return "starting";
	case RECONCILE_SETTLED:
		return "settled";
	case RECONCILE_DONE:
		return "done";
	}
	return "?";
}

static void set_state(struct fabricd *d, enum reconcile_state st)
{
	log_debug("start-up reconciliation: %s -> %s", reconcile_state_name(d->rc.state),
		  reconcile_state_name(st));
	d->rc.state = st;
}

static uint64_t earlier_key(uint32_t prefix, uint8_t plen)
{
	return (uint64_t)prefix << 8 | plen;
}

static int cmp_u64(const void *a, const void *b)
{
	return cmp_uint(*(const uint64_t *)a, *(const uint64_t *)b);
}

static void remember_cb(void *ctx, uint32_t prefix, uint8_t plen, uint32_t metric,
			const struct fib_nh *nh, size_t n)
{
	struct reconcile *rc = ctx;
	uint64_t *v = VEC_PUSH(rc->earlier, rc->n_earlier, rc->cap_earlier);
	if (v)
		*v = earlier_key(prefix, plen);
}

void reconcile_remember_earlier(struct fabricd *d)
{
	int n = fib_kernel_routes(d->fib, remember_cb, &d->rc);
	if (n > 0)
		log_info("%d routes of an earlier run kept until the database has settled", n);
	if (d->rc.n_earlier > 1)
		qsort(d->rc.earlier, d->rc.n_earlier, sizeof(*d->rc.earlier), cmp_u64);
}

bool reconcile_keeps(const struct fabricd *d, uint32_t prefix, uint8_t plen)
{
	uint64_t k = earlier_key(prefix, plen);
	return d->rc.state == RECONCILE_STARTING && d->rc.n_earlier > 0 &&
	       bsearch(&k, d->rc.earlier, d->rc.n_earlier, sizeof(k), cmp_u64) != NULL;
}

static void forget_earlier(struct reconcile *rc)
{
	free(rc->earlier);
	rc->earlier = NULL;
	rc->n_earlier = 0;
}

static bool adjacency_in_lsdb(struct fabricd *d, uint32_t nbr)
{
	return ospf_lsdb_has_link(d->ospf, d->conf.router_id, nbr) &&
	       ospf_lsdb_has_link(d->ospf, nbr, d->conf.router_id);
}

static uint64_t longest_dead_interval_ms(const struct fabricd *d)
{
	uint64_t dead = 0;
	for (size_t k = 0; k < d->n_ifaces; k++)
		if (!d->ifaces[k]->cfg->passive && d->ifaces[k]->cfg->dead_interval * 1000ull > dead)
			dead = d->ifaces[k]->cfg->dead_interval * 1000ull;
	return dead;
}

static bool lsdb_settled(struct fabricd *d)
{
	uint64_t waited = now_ms() - d->start_ms;
	if (waited > SETTLE_GIVE_UP_MS)
		return true;
	if (waited < longest_dead_interval_ms(d))
		return false;
	struct ospf_iter it;
	struct ospf_nbr_info nb;
	for (ospf_iter_init(&it, d->ospf); ospf_nbr_next(&it, &nb);)
		if ((nb.state >= NSM_EXSTART && nb.state < NSM_FULL) ||
		    (nb.state == NSM_FULL && !adjacency_in_lsdb(d, nb.router_id)))
			return false;
	return true;
}

bool reconcile_spf_begin(struct fabricd *d)
{
	if (d->rc.state != RECONCILE_STARTING || !lsdb_settled(d))
		return false;
	/* From now on every route is ours to set: offer them all. */
	forget_earlier(&d->rc);
	set_state(d, RECONCILE_SETTLED);
	return true;
}

void reconcile_spf_end(struct fabricd *d)
{
	if (d->rc.state == RECONCILE_SETTLED) {
		int n = fib_reconcile(d->fib);
		if (n > 0)
			log_info("removed %d stale kernel routes/nexthops of an earlier run", n);
		spf_sched_startup_done(&d->sched);
		set_state(d, RECONCILE_DONE);
	} else if (d->rc.state == RECONCILE_STARTING && !ev_is_active(&d->rc.timer)) {
		ev_timer_set(&d->rc.timer, SETTLE_LOOK_S, 0.);
		ev_timer_start(d->loop, &d->rc.timer);
	}
}

/* While STARTING, look again every second. Not through the SPF scheduler:
 * these looks are not network events. */
static void look_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct fabricd *d = w->data;
	if (d->rc.state != RECONCILE_STARTING)
		return;
	if (!lsdb_settled(d)) {
		ev_timer_set(&d->rc.timer, SETTLE_LOOK_S, 0.);
		ev_timer_start(d->loop, &d->rc.timer);
		return;
	}
	routes_run_now(d, "start-up reconciliation");
}

void reconcile_init(struct fabricd *d)
{
	d->rc.state = RECONCILE_STARTING;
	d->rc.earlier = NULL;
	d->rc.n_earlier = 0;
	ev_timer_init(&d->rc.timer, look_cb, SETTLE_LOOK_S, 0.);
	d->rc.timer.data = d;
	ev_timer_start(d->loop, &d->rc.timer);
	spf_sched_startup(&d->sched);
}

void reconcile_free(struct fabricd *d)
{
	ev_timer_stop(d->loop, &d->rc.timer);
	forget_earlier(&d->rc);
}
