/* BFD on real sockets (RFC 5881, single-hop IPv4) around proto/bfd.
 *
 * One UDP socket on port 3784 receives for every session (IP_PKTINFO gives
 * the interface, IP_RECVTTL the TTL; packets with TTL != 255 are dropped,
 * RFC 5881 section 5). Each session transmits from its own socket bound to
 * the interface (SO_BINDTODEVICE), its local address and a source port
 * unique in 49152-65535, with TTL 255 and TOS 0xc0 (Internet Control).
 * Sessions are found by Your Discriminator (hash), or by (ifindex, peer)
 * while the peer does not know our discriminator yet. Each session has one
 * ev_timer, armed from bfd_session_next_deadline().
 *
 * All of it runs on a thread of its own, with its own loop: the loop given
 * to bfd_io_new only receives the state changes (state_cb runs there). The
 * functions below are for that loop's thread and are safe against the BFD
 * thread.
 *
 * Addresses are host byte order. Intervals in this API are milliseconds. */
#ifndef FABRICD_BFD_IO_H
#define FABRICD_BFD_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/bfd/session.h" /* struct bfd_auth_key, BFD_SESSION_MAX_KEYS */

struct ev_loop;
struct json_object;
struct bfd_io;

/* A session changed state. old_state/new_state are enum bfd_state
 * (proto/bfd/packet.h: 0 AdminDown, 1 Down, 2 Init, 3 Up), diag is the
 * session's enum bfd_diag. peer_admin_down is true when the session went
 * Down because the peer signalled AdminDown (diag 3): per RFC 5882 3.2 that
 * is NOT a path failure, the client must keep its adjacency. A failure is
 * old_state == Up && new_state == Down && !peer_admin_down.
 * The callback may call bfd_io_session_add/del, also for this session. */
typedef void (*bfd_io_state_cb)(void *ctx, uint32_t ifindex, uint32_t peer, int old_state,
				int new_state, int diag, bool peer_admin_down);

/* Opens the receive socket (UDP 3784). NULL with errno on failure. */
struct bfd_io *bfd_io_new(struct ev_loop *loop, bfd_io_state_cb state_cb, void *ctx);

/* Start a session to peer on ifname/ifindex, or, if one exists for
 * (ifindex, peer), change its timers (Poll Sequence when Up) and keys.
 * local_addr may be 0 (then the kernel picks the source). keys: n_keys
 * (0..BFD_SESSION_MAX_KEYS) keys of one type for RFC 5880 6.7
 * authentication, keys[0] signs; none means no authentication.
 * Returns 0, or -1 with errno. */
int bfd_io_session_add(struct bfd_io *io, const char *ifname, uint32_t ifindex,
		       uint32_t local_addr, uint32_t peer_addr, uint32_t tx_ms, uint32_t rx_ms,
		       uint32_t mult, const struct bfd_auth_key *keys, size_t n_keys);

/* Send AdminDown (diag 7) to the peer and remove the session. No state_cb. */
void bfd_io_session_del(struct bfd_io *io, uint32_t ifindex, uint32_t peer);

/* enum bfd_state of the session, -1 if there is none. */
int bfd_io_session_state(const struct bfd_io *io, uint32_t ifindex, uint32_t peer);

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
struct json_object *bfd_io_show_json(const struct bfd_io *io);

/* {"packets_in","sessions","drops":{"ttl":n,"bad_version":n,"no_session":n,...},
 *  "timer_late_max_ms","timers_late_over_10ms"}: every drop reason
 * (bfd_drop_name), zeros included; how late session timers have run at
 * worst, and how often by more than 10 ms (the process was not scheduled:
 * the usual cause of false session drops on a busy host). */
struct json_object *bfd_io_counters_json(const struct bfd_io *io);

/* Real-time scheduling (SCHED_FIFO at prio, 0 = normal) for the BFD
 * thread alone. 0 or -1 with errno. */
int bfd_io_set_rt_priority(struct bfd_io *io, uint32_t prio);

/* Deletes every session (each sends AdminDown) and closes the sockets. */
void bfd_io_free(struct bfd_io *io);

#endif
