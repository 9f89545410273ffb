/* Events: ring, subscribers and the counters behind the metrics (events.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/ctl_server.h"
#include "fabricd/events.h"
#include "fabricd/show.h"
#include "proto/bfd/session.h"

const uint64_t events_spf_bucket_us[EVENTS_SPF_BUCKETS] = {
	100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000,
};

static struct {
	char *ring[EVENTS_RING];       /* serialized events, oldest at head */
	size_t head, count;
	uint64_t overwritten;          /* pushed out of the ring by newer ones */
	const char *kill_reason;
	struct events_stats st;
} E;

static uint64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static json_object *event_new(const char *type)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "ts_ms", json_object_new_int64((int64_t)wall_ms()));
	json_object_object_add(o, "mono_ms", json_object_new_int64((int64_t)now_ms()));
	json_object_object_add(o, "seq", json_object_new_int64((int64_t)E.st.published + 1));
	json_object_object_add(o, "event", json_object_new_string(type));
	return o;
}

/* Ring (the oldest falls out, counted) and subscribers; takes o. */
static void publish(struct fabricd *d, json_object *o)
{
	size_t len;
	const char *s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &len);
	char *line = malloc(len + 2);
	E.st.published++;
	if (line) {
		memcpy(line, s, len);
		line[len] = '\n';
		line[len + 1] = '\0';
		if (d->ctl)
			ctl_server_publish(d->ctl, line, len + 1);
		size_t slot = (E.head + E.count) % EVENTS_RING;
		if (E.count == EVENTS_RING) {
			free(E.ring[E.head]);
			E.head = (E.head + 1) % EVENTS_RING;
			E.overwritten++;
		} else {
			E.count++;
		}
		E.ring[slot] = line;
	} else {
		E.overwritten++; /* out of memory: lost, but counted */
	}
	json_object_put(o);
}

static json_object *ifname_json(struct fabricd *d, uint32_t ifindex)
{
	struct fd_iface *i = iface_by_index(d, ifindex);
	return i ? json_object_new_string(i->name) : NULL;
}

/* The RFC 2328 (10.2) neighbor event behind a transition. */
static const char *nsm_reason(int old_state, int new_state)
{
	switch (new_state) {
	case NSM_DOWN: return "InactivityTimer";
	case NSM_INIT: return old_state >= NSM_2WAY ? "1-WayReceived" : "HelloReceived";
	case NSM_2WAY: return old_state == NSM_INIT ? "2-WayReceived" : "AdjOK?";
	case NSM_EXSTART:
		return old_state == NSM_INIT ? "2-WayReceived"
		       : old_state == NSM_2WAY ? "AdjOK?" : "SeqNumberMismatch or BadLSReq";
	case NSM_EXCHANGE: return "NegotiationDone";
	case NSM_LOADING: return "ExchangeDone";
	case NSM_FULL: return old_state == NSM_LOADING ? "LoadingDone" : "ExchangeDone";
	default: return "?";
	}
}

void events_kill_reason(const char *why)
{
	E.kill_reason = why;
}

void events_nbr(struct fabricd *d, uint32_t ifindex, uint32_t addr, uint32_t rid, int old_state,
		int new_state)
{
	const char *reason = nsm_reason(old_state, new_state);
	if (new_state == NSM_DOWN && E.kill_reason)
		reason = E.kill_reason;
	if (old_state == NSM_FULL)
		E.st.adjacency_flaps++;
	json_object *o = event_new("neighbor");
	json_object_object_add(o, "router_id", json_ip(rid));
	json_object_object_add(o, "address", json_ip(addr));
	json_object_object_add(o, "interface", ifname_json(d, ifindex));
	json_object_object_add(o, "old_state", json_object_new_string(nsm_state_name(old_state)));
	json_object_object_add(o, "new_state", json_object_new_string(nsm_state_name(new_state)));
	json_object_object_add(o, "reason", json_object_new_string(reason));
	publish(d, o);
}

void events_bfd(struct fabricd *d, uint32_t ifindex, uint32_t peer,
		const struct bfd_state_change *ev)
{
	if (ev->old_state == BFD_STATE_UP)
		E.st.bfd_down++;
	json_object *o = event_new("bfd");
	json_object_object_add(o, "peer", json_ip(peer));
	json_object_object_add(o, "interface", ifname_json(d, ifindex));
	json_object_object_add(o, "old_state", json_object_new_string(bfd_state_name(ev->old_state)));
	json_object_object_add(o, "new_state", json_object_new_string(bfd_state_name(ev->new_state)));
	json_object_object_add(o, "diag", json_object_new_string(bfd_diag_name(ev->diag)));
	json_object_object_add(o, "reason", json_object_new_string(
		ev->peer_admin_down ? "peer_admin_down" : bfd_diag_name(ev->diag)));
	publish(d, o);
}

static uint64_t route_changes_this_run;

void events_spf(struct fabricd *d, const char *trigger, uint64_t duration_us, size_t routes)
{
	size_t b = 0;
	while (b < EVENTS_SPF_BUCKETS && duration_us > events_spf_bucket_us[b])
		b++;
	E.st.spf_bucket[b]++;
	E.st.spf_sum_us += duration_us;
	E.st.spf_runs++;
	json_object *o = event_new("spf");
	json_object_object_add(o, "trigger", json_object_new_string(trigger));
	json_object_object_add(o, "duration_us", json_object_new_int64((int64_t)duration_us));
	json_object_object_add(o, "routes", json_object_new_int64((int64_t)routes));
	json_object_object_add(o, "changes", json_object_new_int64((int64_t)route_changes_this_run));
	json_object_object_add(o, "changes_not_shown", json_object_new_int64(
		route_changes_this_run > EVENTS_ROUTES_PER_SPF
			? (int64_t)(route_changes_this_run - EVENTS_ROUTES_PER_SPF) : 0));
	route_changes_this_run = 0;
	publish(d, o);
}

void events_route(struct fabricd *d, int what, const struct spf_route *old,
		  const struct spf_route *nw)
{
	static const char *const names[] = { [RT_ADD] = "add", [RT_CHANGE] = "change",
					     [RT_DEL] = "delete" };
	const struct spf_route *r = nw ? nw : old;
	if (!r)
		return;
	E.st.route_changes++;
	if (++route_changes_this_run > EVENTS_ROUTES_PER_SPF)
		return; /* counted in the SPF event's changes_not_shown */
	json_object *o = event_new("route");
	json_object_object_add(o, "change", json_object_new_string(
		what >= RT_ADD && what <= RT_DEL ? names[what] : "?"));
	json_object_object_add(o, "prefix", json_prefix(r->prefix, r->plen));
	json_object_object_add(o, "old_cost", old ? json_object_new_int64(old->cost) : NULL);
	json_object_object_add(o, "new_cost",
			       nw && what != RT_DEL ? json_object_new_int64(nw->cost) : NULL);
	json_object_object_add(o, "old_nexthops", old ? json_nexthops(d, old) : NULL);
	json_object_object_add(o, "new_nexthops",
			       nw && what != RT_DEL ? json_nexthops(d, nw) : NULL);
	publish(d, o);
}

void events_repair(struct fabricd *d, uint32_t ifindex, uint32_t gw, int msgs)
{
	E.st.local_repairs++;
	json_object *o = event_new("local_repair");
	json_object_object_add(o, "interface", ifname_json(d, ifindex));
	json_object_object_add(o, "via", gw ? json_ip(gw) : NULL);
	json_object_object_add(o, "messages", json_object_new_int(msgs));
	publish(d, o);
}

void events_reload(struct fabricd *d, bool ok, const char *err)
{
	E.st.reloads++;
	if (!ok)
		E.st.reload_failures++;
	json_object *o = event_new("reload");
	json_object_object_add(o, "file", json_object_new_string(d->conf_path));
	json_object_object_add(o, "ok", json_object_new_boolean(ok));
	json_object_object_add(o, "error", ok ? NULL : json_object_new_string(err));
	publish(d, o);
}

void events_fib_error(struct fabricd *d, uint32_t prefix, uint8_t plen, int err)
{
	E.st.fib_errors++;
	json_object *o = event_new("fib_error");
	json_object_object_add(o, "prefix", json_prefix(prefix, plen));
	json_object_object_add(o, "error", json_object_new_string(strerror(err)));
	publish(d, o);
}

void events_dampening(struct fabricd *d, const char *ifname, bool held, unsigned failures,
		      unsigned hold_ms, const char *why)
{
	if (held)
		E.st.dampened++;
	json_object *o = event_new("dampening");
	json_object_object_add(o, "interface", json_object_new_string(ifname));
	json_object_object_add(o, "held", json_object_new_boolean(held));
	json_object_object_add(o, "failures", json_object_new_int64(failures));
	json_object_object_add(o, "hold_ms", held ? json_object_new_int64(hold_ms) : NULL);
	json_object_object_add(o, "reason", why ? json_object_new_string(why) : NULL);
	publish(d, o);
}

void events_interface(struct fabricd *d, const struct fd_iface *i, bool up)
{
	const char *why = NULL;
	if (!up)
		why = !i->admin_up ? "admin down" : !(i->carrier || i->loopback) ? "no carrier"
		      : !i->addr ? "no IPv4 address" : dampen_held(i) ? "dampened" : "?";
	json_object *o = event_new("interface");
	json_object_object_add(o, "interface", json_object_new_string(i->name));
	json_object_object_add(o, "up", json_object_new_boolean(up));
	json_object_object_add(o, "reason", why ? json_object_new_string(why) : NULL);
	publish(d, o);
}

void events_maintenance(struct fabricd *d, bool on)
{
	json_object *o = event_new("maintenance");
	json_object_object_add(o, "on", json_object_new_boolean(on));
	publish(d, o);
}

const struct events_stats *events_stats(void)
{
	return &E.st;
}

json_object *events_show(size_t last)
{
	json_object *arr = json_object_new_array();
	size_t from = last && last < E.count ? E.count - last : 0;
	for (size_t k = from; k < E.count; k++) {
		json_object *ev = json_tokener_parse(E.ring[(E.head + k) % EVENTS_RING]);
		if (ev)
			json_object_array_add(arr, ev);
	}
	json_object *top = json_object_new_object();
	json_object_object_add(top, "events", arr);
	json_object_object_add(top, "capacity", json_object_new_int(EVENTS_RING));
	json_object_object_add(top, "published", json_object_new_int64((int64_t)E.st.published));
	json_object_object_add(top, "overwritten", json_object_new_int64((int64_t)E.overwritten));
	return top;
}

void events_free(void)
{
	for (size_t k = 0; k < E.count; k++)
		free(E.ring[(E.head + k) % EVENTS_RING]);
	memset(&E, 0, sizeof(E));
	route_changes_this_run = 0;
}
