/* show bfd and the BFD part of show counters, as JSON (DESIGN.md), from
 * bfd_io's sessions and counters. Needs only bfd_io and json-c, so that
 * tests/netns/bfdpeer prints the daemon's own show output. */
#ifndef FABRICD_SHOW_BFD_H
#define FABRICD_SHOW_BFD_H

#include <json-c/json.h>
#include "fabricd/bfd_io.h"

/* {"sessions":[{"peer","local","interface","state","local_discr","remote_discr",
 *   "tx_interval_ms","rx_interval_ms","multiplier","detect_time_ms","uptime_s",
 *   "auth" (bfd_auth_type_name: "none", "keyed-sha1", ...),
 *   "counters":{"packets_in","packets_out","state_changes","polls_started",
 *   "finals_sent","tx_errors","drops":{reason:n (non-zero only)},
 *   "last_down_diag" (name or null),"last_down_peer_admin"}}]}
 * tx_interval_ms: the negotiated interval we send at (6.8.2, 1000 until Up);
 * rx_interval_ms: the negotiated interval the peer sends at (6.8.4), our
 * configured receive interval until the peer is heard; detect_time_ms 0
 * until the peer is heard. Caller owns the result (json_object_put). */
json_object *show_bfd_sessions(const struct bfd_io *io);

/* {"packets_in","sessions","drops":{"ttl":n,"bad_version":n,"no_session":n,...},
 *  "timer_late_max_ms","timers_late_over_10ms","sessions_refused",
 *  "last_refused_error"}: every drop reason (bfd_drop_name), zeros
 * included; how late session timers have run at worst, and how often by
 * more than 10 ms (the process was not scheduled: the usual cause of false
 * session drops on a busy host). */
json_object *show_bfd_counters(const struct bfd_io *io);

#endif
