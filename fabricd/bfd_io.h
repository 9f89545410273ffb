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

#include "proto/bfd/session.h" /* the session, its state changes, keys; packet.h enums */

struct ev_loop;
struct bfd_io;

/* A session changed state: proto/bfd's own account of it (states, diag,
 * whether the peer's AdminDown caused it); bfd_state_change_is_failure(ev)
 * says whether the client must treat it as a path failure (RFC 5882 3.2).
 * The callback may call bfd_io_session_add/del, also for this session. */
typedef void (*bfd_io_state_cb)(void *ctx, uint32_t ifindex, uint32_t peer,
				const struct bfd_state_change *ev);

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

/* The session's state in *st; false if there is none. */
bool bfd_io_session_state(const struct bfd_io *io, uint32_t ifindex, uint32_t peer,
			  enum bfd_state *st);

/* What show and metrics read of one session, valid during the call only. */
struct bfd_io_session_info {
	const struct bfd_session *s; /* proto/bfd: state, timers, counters */
	const char *ifname;
	uint32_t ifindex, local, peer;
	uint64_t tx_errors;
};

/* fn for every session, under the BFD lock: fn must not call into bfd_io.
 * now_us is the sessions' clock (for uptimes). */
typedef void (*bfd_io_session_fn)(void *ctx, const struct bfd_io_session_info *si,
				  uint64_t now_us);
void bfd_io_foreach(const struct bfd_io *io, bfd_io_session_fn fn, void *ctx);

/* The receive side's counters (show counters, metrics). */
struct bfd_io_stats {
	uint64_t packets_in;
	size_t sessions;
	uint64_t drops[BFD_DROP_MAX];  /* by enum bfd_drop */
	/* How late session timers ran: a process that is not scheduled for
	 * a detection time (busy host) makes false session drops; these tell. */
	uint64_t late_max_us;
	uint64_t late_over_10ms;
	/* Sessions that could not be made (no socket, no free source port). */
	uint64_t sessions_refused;
	int last_refused_errno;
};
void bfd_io_get_stats(const struct bfd_io *io, struct bfd_io_stats *out);

/* Real-time scheduling (SCHED_FIFO at prio, 0 = normal) for the BFD
 * thread alone. 0 or -1 with errno. */
int bfd_io_set_rt_priority(struct bfd_io *io, uint32_t prio);

/* Deletes every session (each sends AdminDown) and closes the sockets. */
void bfd_io_free(struct bfd_io *io);

#endif
