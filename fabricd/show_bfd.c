/* show bfd: the JSON of bfd_io's sessions and counters (show_bfd.h). */
#include "fabricd/show_bfd.h"

#include <string.h>

#include "proto/lib/ipv4.h"

static json_object *addr_json(uint32_t a)
{
	char buf[IPV4_STRLEN];
	return json_object_new_string(ipv4_str(a, buf));
}

static json_object *session_counters_json(const struct bfd_io_session_info *si)
{
	const struct bfd_session_counters *c = &si->s->counters;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "packets_in", json_object_new_int64((int64_t)c->packets_in));
	json_object_object_add(o, "packets_out", json_object_new_int64((int64_t)c->packets_out));
	json_object_object_add(o, "state_changes", json_object_new_int64((int64_t)c->state_changes));
	json_object_object_add(o, "polls_started", json_object_new_int64((int64_t)c->polls_started));
	json_object_object_add(o, "finals_sent", json_object_new_int64((int64_t)c->finals_sent));
	json_object_object_add(o, "tx_errors", json_object_new_int64((int64_t)si->tx_errors));
	json_object *drops = json_object_new_object();
	for (int d = 1; d < BFD_DROP_MAX; d++)
		if (c->drops[d])
			json_object_object_add(drops, bfd_drop_name((enum bfd_drop)d),
					       json_object_new_int64((int64_t)c->drops[d]));
	json_object_object_add(o, "drops", drops);
	json_object_object_add(o, "last_down_diag", c->last_down_us == 0 ? NULL :
			       json_object_new_string(bfd_diag_name(c->last_down_diag)));
	json_object_object_add(o, "last_down_peer_admin",
			       json_object_new_boolean(c->last_down_peer_admin));
	return o;
}

static void session_json(void *ctx, const struct bfd_io_session_info *si, uint64_t now)
{
	const struct bfd_session *s = si->s;
	uint32_t rx_us = bfd_session_rx_interval_us(s);
	if (rx_us == 0)
		rx_us = s->required_min_rx_us;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "peer", addr_json(si->peer));
	json_object_object_add(o, "local", addr_json(si->local));
	json_object_object_add(o, "interface", json_object_new_string(si->ifname));
	json_object_object_add(o, "state", json_object_new_string(bfd_state_name(s->state)));
	json_object_object_add(o, "local_discr", json_object_new_int64(s->local_discr));
	json_object_object_add(o, "remote_discr", json_object_new_int64(s->remote_discr));
	json_object_object_add(o, "tx_interval_ms",
			       json_object_new_int64(bfd_session_tx_interval_us(s) / 1000));
	json_object_object_add(o, "rx_interval_ms", json_object_new_int64(rx_us / 1000));
	json_object_object_add(o, "multiplier", json_object_new_int(s->detect_mult));
	json_object_object_add(o, "detect_time_ms",
			       json_object_new_int64((int64_t)(bfd_session_detect_time_us(s) / 1000)));
	json_object_object_add(o, "uptime_s",
			       json_object_new_int64((int64_t)(bfd_session_uptime_us(s, now) / 1000000)));
	json_object_object_add(o, "auth", json_object_new_string(bfd_auth_type_name(s->cfg.auth_type)));
	json_object_object_add(o, "counters", session_counters_json(si));
	json_object_array_add(ctx, o);
}

json_object *show_bfd_sessions(const struct bfd_io *io)
{
	json_object *arr = json_object_new_array();
	bfd_io_foreach(io, session_json, arr);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "sessions", arr);
	return o;
}

json_object *show_bfd_counters(const struct bfd_io *io)
{
	struct bfd_io_stats st;
	bfd_io_get_stats(io, &st);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "packets_in", json_object_new_int64((int64_t)st.packets_in));
	json_object_object_add(o, "sessions", json_object_new_int64((int64_t)st.sessions));
	json_object *drops = json_object_new_object();
	for (int d = 1; d < BFD_DROP_MAX; d++)
		json_object_object_add(drops, bfd_drop_name((enum bfd_drop)d),
				       json_object_new_int64((int64_t)st.drops[d]));
	json_object_object_add(o, "drops", drops);
	json_object_object_add(o, "timer_late_max_ms",
			       json_object_new_double((double)(st.late_max_us / 100) / 10.0));
	json_object_object_add(o, "timers_late_over_10ms",
			       json_object_new_int64((int64_t)st.late_over_10ms));
	json_object_object_add(o, "sessions_refused",
			       json_object_new_int64((int64_t)st.sessions_refused));
	json_object_object_add(o, "last_refused_error",
			       st.sessions_refused ? json_object_new_string(strerror(st.last_refused_errno))
						   : NULL);
	return o;
}
