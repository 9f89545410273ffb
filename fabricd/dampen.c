/* bfd.dampening: a port whose adjacency keeps failing (BFD Up -> Down, or
 * carrier loss) is held out of OSPF for an exponentially growing time
 * (proto/bfd/dampen.h), so that a flapping optic leaves the fabric instead
 * of making every router churn with each flap. While held, the port is Down
 * to OSPF: no Hellos, so the neighbor drops the adjacency too (its BFD
 * session times out), and traffic stays on the other paths. `show bfd` and
 * `show interfaces` say which ports are held and for how long. */
#include <json-c/json.h>

#include "fabricd/daemon.h"
#include "fabricd/events.h"
#include "fabricd/log.h"

static void hold_end(struct ev_loop *loop, ev_timer *w, int revents);

static void arm(struct ev_loop *loop, struct fd_iface *i, uint64_t ms)
{
	ev_timer_stop(loop, &i->damp_timer);
	ev_timer_init(&i->damp_timer, hold_end, (double)ms / 1000.0 + 0.001, 0.0);
	i->damp_timer.data = i;
	ev_timer_start(loop, &i->damp_timer);
}

static void hold_end(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)revents;
	struct fd_iface *i = w->data;
	/* libev counts from its cached loop time, which may be a little
	 * behind the clock the hold-down was set with. */
	uint64_t left = bfd_dampen_remaining(&i->damp, now_ms());
	if (left) {
		arm(loop, i, left);
		return;
	}
	log_notice("%s: dampening hold-down over, the adjacency may come back", i->name);
	events_dampening(i->d, i->name, false, i->damp.failures, 0, NULL);
	iface_sync(i->d, i);
}

void dampen_failure(struct fabricd *d, struct fd_iface *i, const char *why)
{
	const struct conf_dampening *c = &d->conf.dampening;
	const struct bfd_dampen_cfg cfg = { c->threshold, c->initial_hold_ms, c->max_hold_ms };
	uint64_t now = now_ms();
	if (!bfd_dampen_failure(&i->damp, &cfg, now))
		return;
	log_warn("%s: adjacency failed %u times (%s): held down for %u ms", i->name,
		 i->damp.failures, why, i->damp.hold_ms);
	events_dampening(d, i->name, true, i->damp.failures, i->damp.hold_ms, why);
	arm(d->loop, i, i->damp.hold_ms);
	iface_sync(d, i);
}

void dampen_up(struct fd_iface *i)
{
	bfd_dampen_up(&i->damp);
}

bool dampen_held(const struct fd_iface *i)
{
	return bfd_dampen_held(&i->damp, now_ms());
}

void dampen_stop(struct fabricd *d, struct fd_iface *i)
{
	ev_timer_stop(d->loop, &i->damp_timer);
}

/* [{"interface","failures","hold_ms","remaining_ms"}] for the held ports. */
json_object *dampen_json(struct fabricd *d)
{
	uint64_t now = now_ms();
	json_object *arr = json_object_new_array();
	for (size_t k = 0; k < d->n_ifaces; k++) {
		const struct fd_iface *i = d->ifaces[k];
		if (!bfd_dampen_held(&i->damp, now))
			continue;
		json_object *o = json_object_new_object();
		json_object_object_add(o, "interface", json_object_new_string(i->name));
		json_object_object_add(o, "failures", json_object_new_int64(i->damp.failures));
		json_object_object_add(o, "hold_ms", json_object_new_int64(i->damp.hold_ms));
		json_object_object_add(o, "remaining_ms",
				       json_object_new_int64((int64_t)bfd_dampen_remaining(&i->damp, now)));
		json_object_array_add(arr, o);
	}
	return arr;
}
