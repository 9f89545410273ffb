/* One BFD session (RFC 5880, asynchronous mode, single hop), free of I/O.
 *
 * Time is MICROSECONDS (uint64_t now_us, any monotonic origin) inside BFD,
 * unlike the millisecond clock of the rest of proto/: intervals go down to
 * 10 ms and are jittered by a few percent (6.8.7), which milliseconds would
 * round away. The interval fields of the packet are microseconds too.
 *
 * The daemon decodes a packet (packet.h), finds the session (by Your
 * Discriminator, or by interface and peer when it is zero) and calls
 * bfd_session_rx(); it calls bfd_session_timer() when
 * bfd_session_next_deadline() is reached. The session answers through
 * struct bfd_session_ops: bytes to send (UDP payload) and state changes. */
#ifndef PROTO_BFD_SESSION_H
#define PROTO_BFD_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto/bfd/auth.h"
#include "proto/bfd/packet.h"

/* 6.8.3: while the session is not Up, bfd.DesiredMinTxInterval >= 1 s. */
#define BFD_SLOW_TX_US 1000000u
#include "proto/lib/deadline.h"
#define BFD_SESSION_MAX_KEYS 4

struct bfd_session_config {
	uint32_t desired_min_tx_us;  /* bfd.DesiredMinTxInterval once Up */
	uint32_t required_min_rx_us; /* bfd.RequiredMinRxInterval */
	uint8_t detect_mult;         /* bfd.DetectMult, >= 1 */
	/* bfd.AuthType (enum bfd_auth_type). With n_keys == 0 the session
	 * only enforces the A bit (6.8.6). With keys (all of auth_type), it
	 * signs what it sends with keys[0] and verifies what it receives with
	 * the key of the packet's Key ID, so that a key can be rolled over by
	 * adding the new one on both ends before removing the old (6.7). */
	uint8_t auth_type;
	uint8_t n_keys;
	struct bfd_auth_key keys[BFD_SESSION_MAX_KEYS];
};

struct bfd_state_change {
	enum bfd_state old_state;
	enum bfd_state new_state;
	enum bfd_diag diag;     /* bfd.LocalDiag after the change */
	/* The session went Down because the peer signalled AdminDown (diag 3):
	 * RFC 5882 3.2 says this MUST NOT be taken as a forwarding failure. */
	bool peer_admin_down;
};

/* True when a client (OSPF) must treat the change as a path failure
 * (RFC 5882 3.2): Up -> Down for any reason but the peer's AdminDown. */
bool bfd_state_change_is_failure(const struct bfd_state_change *ev);

struct bfd_session_ops {
	void *ctx;
	/* Transmit one BFD Control packet (UDP payload). */
	void (*send)(void *ctx, const uint8_t *buf, size_t len);
	/* The session changed state. May be NULL. */
	void (*state_change)(void *ctx, const struct bfd_state_change *ev);
	/* Uniformly distributed 32-bit random numbers for the jitter of 6.8.7.
	 * NULL: a xorshift generator seeded from bfd_session.rng (set it after
	 * bfd_session_init for deterministic tests; init seeds it from the
	 * discriminator). */
	uint32_t (*random)(void *ctx);
};

struct bfd_session_counters {
	uint64_t packets_in;        /* accepted by the session */
	uint64_t packets_out;
	uint64_t drops[BFD_DROP_MAX]; /* drops decided by the session */
	uint64_t state_changes;
	uint64_t polls_started;
	uint64_t finals_sent;
	uint64_t last_down_us;      /* when it last left Init/Up, 0 if never */
	enum bfd_diag last_down_diag;
	bool last_down_peer_admin;
};

struct bfd_session {
	/* State variables of RFC 5880 6.8.1 */
	enum bfd_state state;              /* bfd.SessionState */
	enum bfd_state remote_state;       /* bfd.RemoteSessionState */
	uint32_t local_discr;              /* bfd.LocalDiscr */
	uint32_t remote_discr;             /* bfd.RemoteDiscr */
	enum bfd_diag local_diag;          /* bfd.LocalDiag */
	uint32_t desired_min_tx_us;        /* bfd.DesiredMinTxInterval (advertised) */
	uint32_t required_min_rx_us;       /* bfd.RequiredMinRxInterval (advertised) */
	uint32_t remote_min_rx_us;         /* bfd.RemoteMinRxInterval */
	uint32_t remote_desired_min_tx_us; /* last Desired Min TX Interval received */
	uint8_t detect_mult;               /* bfd.DetectMult */
	uint8_t remote_detect_mult;        /* last Detect Mult received */
	/* Values in effect while a Poll Sequence is pending (6.8.3): a raised
	 * tx interval and a lowered rx interval only apply after the Final. */
	uint32_t tx_in_effect_us;
	uint32_t rx_in_effect_us;
	bool poll_active;                  /* sending P until F comes back (6.5) */

	struct bfd_session_config cfg;
	struct bfd_session_ops ops;
	uint64_t next_tx_us;               /* next periodic transmission */
	bool detect_armed;                 /* a packet was received since the last expiry */
	uint64_t last_rx_us;
	uint64_t up_since_us;
	uint64_t rng;                      /* xorshift state when ops.random is NULL */
	struct bfd_auth_seq auth_seq;      /* bfd.RcvAuthSeq, XmitAuthSeq, AuthSeqKnown */
	uint64_t auth_rx_us;               /* last packet that passed authentication */
	struct bfd_session_counters counters;
};

/* Start a session in state Down; the first packet goes out at the first
 * bfd_session_timer() call (next deadline == now_us). */
void bfd_session_init(struct bfd_session *s, const struct bfd_session_config *cfg,
		      const struct bfd_session_ops *ops, uint32_t local_discr, uint64_t now_us);

/* Change the timers / multiplier; when Up this starts a Poll Sequence (6.8.3). */
void bfd_session_set_config(struct bfd_session *s, const struct bfd_session_config *cfg,
			    uint64_t now_us);

/* A decoded packet (bfd_packet_decode() returned BFD_DROP_NONE) for this
 * session, and the bytes it was decoded from (buf may be NULL when the
 * session has no keys: digests are computed over the bytes). Returns
 * BFD_DROP_NONE or why the session discarded it. */
enum bfd_drop bfd_session_rx(struct bfd_session *s, const struct bfd_packet *p,
			     const uint8_t *buf, size_t len, uint64_t now_us);

/* Run the expired timers (detection, periodic transmission). */
void bfd_session_timer(struct bfd_session *s, uint64_t now_us);

/* The detection time (6.8.4) has passed without a packet: the next
 * bfd_session_timer() call takes the session Down. */
bool bfd_session_detect_expired(const struct bfd_session *s, uint64_t now_us);

/* When bfd_session_timer() must next run; NEVER if none. */
uint64_t bfd_session_next_deadline(const struct bfd_session *s);

/* Local administrative control (6.8.16): AdminDown (diag 7) sends at once. */
void bfd_session_admin_down(struct bfd_session *s, uint64_t now_us);
void bfd_session_admin_up(struct bfd_session *s, uint64_t now_us);

/* Negotiated values (0 if unknown): our transmit interval (6.8.2, before
 * jitter), the remote's (6.8.4's max(our rx, remote tx)), detection time. */
uint32_t bfd_session_tx_interval_us(const struct bfd_session *s);
uint32_t bfd_session_rx_interval_us(const struct bfd_session *s);
uint64_t bfd_session_detect_time_us(const struct bfd_session *s);
uint64_t bfd_session_uptime_us(const struct bfd_session *s, uint64_t now_us);

#endif
