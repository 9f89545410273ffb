/* BFD session state machine: RFC 5880 sections 6.2, 6.5, 6.8. */
#include "proto/bfd/session.h"

#include <string.h>

bool bfd_state_change_is_failure(const struct bfd_state_change *ev)
{
	return ev->old_state == BFD_STATE_UP && ev->new_state == BFD_STATE_DOWN &&
	       !ev->peer_admin_down;
}

static uint32_t max32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

static uint32_t next_random(struct bfd_session *s)
{
	if (s->ops.random != NULL)
		return s->ops.random(s->ops.ctx);
	/* xorshift64: good enough for jitter, deterministic for tests */
	uint64_t x = s->rng ? s->rng : 0x9e3779b97f4a7c15ull;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	s->rng = x;
	return (uint32_t)(x >> 32);
}

uint32_t bfd_session_tx_interval_us(const struct bfd_session *s)
{
	/* 6.8.2: the larger of our DesiredMinTx and the remote's RequiredMinRx */
	return max32(s->tx_in_effect_us, s->remote_min_rx_us);
}

uint32_t bfd_session_rx_interval_us(const struct bfd_session *s)
{
	if (s->remote_detect_mult == 0)
		return 0;
	return max32(s->rx_in_effect_us, s->remote_desired_min_tx_us);
}

uint64_t bfd_session_detect_time_us(const struct bfd_session *s)
{
	/* 6.8.4 (asynchronous mode): the remote's Detect Mult times the agreed
	 * interval at which the remote transmits. */
	return (uint64_t)s->remote_detect_mult * bfd_session_rx_interval_us(s);
}

uint64_t bfd_session_uptime_us(const struct bfd_session *s, uint64_t now_us)
{
	if (s->state != BFD_STATE_UP || now_us < s->up_since_us)
		return 0;
	return now_us - s->up_since_us;
}

/* 6.8.7: reduce the interval by a random 0-25 %, or 10-25 % when
 * bfd.DetectMult is 1, so that sessions do not self-synchronize and a
 * single-packet detection never sees a late packet. */
static uint64_t jittered(struct bfd_session *s, uint32_t interval_us)
{
	uint32_t r = next_random(s);
	uint64_t per10k = s->detect_mult == 1 ? 1000u + r % 1501u : r % 2501u;
	return (uint64_t)interval_us - (uint64_t)interval_us * per10k / 10000u;
}

static void schedule_tx(struct bfd_session *s, uint64_t now_us)
{
	s->next_tx_us = now_us + jittered(s, bfd_session_tx_interval_us(s));
}

static void transmit(struct bfd_session *s, uint8_t flags)
{
	struct bfd_packet p;
	memset(&p, 0, sizeof(p));
	p.diag = (uint8_t)s->local_diag;
	p.state = (uint8_t)s->state;
	p.flags = flags;
	p.detect_mult = s->detect_mult;
	p.my_discr = s->local_discr;
	p.your_discr = s->remote_discr;
	p.desired_min_tx_us = s->desired_min_tx_us;
	p.required_min_rx_us = s->required_min_rx_us;
	p.required_min_echo_rx_us = 0; /* we do not support the Echo function */
	uint8_t buf[BFD_MAX_PACKET_LEN];
	size_t n = s->cfg.auth_type != BFD_AUTH_NONE && s->cfg.n_keys > 0
			   ? bfd_auth_encode_signed(&s->cfg.keys[0], &s->auth_seq, &p, buf,
						    sizeof(buf))
			   : bfd_packet_encode(&p, buf, sizeof(buf));
	if (n == 0 || s->ops.send == NULL)
		return;
	s->counters.packets_out++;
	s->ops.send(s->ops.ctx, buf, n);
}

/* A periodic packet (or one sent early because something changed): it
 * carries P while a Poll Sequence is in progress (6.5). */
static void transmit_periodic(struct bfd_session *s, uint64_t now_us)
{
	transmit(s, s->poll_active ? BFD_FLAG_POLL : 0);
	schedule_tx(s, now_us);
}

/* A shorter interval takes effect now, not after the old, longer one. */
static void reschedule_if_sooner(struct bfd_session *s, uint64_t now_us)
{
	uint64_t interval = bfd_session_tx_interval_us(s);
	if (s->next_tx_us > now_us + interval)
		schedule_tx(s, now_us);
}

static void start_poll(struct bfd_session *s)
{
	if (!s->poll_active)
		s->counters.polls_started++;
	s->poll_active = true;
}

/* 6.5: the Final ends the Poll Sequence; the deferred values apply now. */
static void finish_poll(struct bfd_session *s)
{
	s->poll_active = false;
	s->tx_in_effect_us = s->desired_min_tx_us;
	s->rx_in_effect_us = s->required_min_rx_us;
}

/* Set the advertised intervals (6.8.3). When Up, a change needs a Poll
 * Sequence, and until it ends the remote may still use the old values: a
 * longer tx interval or a shorter rx interval must wait for the Final. */
static bool set_timers(struct bfd_session *s, uint32_t tx_us, uint32_t rx_us, uint8_t mult)
{
	bool changed = tx_us != s->desired_min_tx_us || rx_us != s->required_min_rx_us ||
		       mult != s->detect_mult;
	s->desired_min_tx_us = tx_us;
	s->required_min_rx_us = rx_us;
	s->detect_mult = mult;
	if (s->state != BFD_STATE_UP) {
		s->poll_active = false;
		s->tx_in_effect_us = tx_us;
		s->rx_in_effect_us = rx_us;
		return false;
	}
	if (!changed)
		return false;
	if (tx_us < s->tx_in_effect_us)
		s->tx_in_effect_us = tx_us;
	if (rx_us > s->rx_in_effect_us)
		s->rx_in_effect_us = rx_us;
	start_poll(s);
	return true;
}

/* The advertised Desired Min TX for the current state (6.8.3). */
static void apply_config(struct bfd_session *s)
{
	uint32_t tx = s->cfg.desired_min_tx_us;
	if (s->state != BFD_STATE_UP)
		tx = max32(tx, BFD_SLOW_TX_US);
	set_timers(s, tx, s->cfg.required_min_rx_us, s->cfg.detect_mult);
}

static void set_state(struct bfd_session *s, enum bfd_state new_state, enum bfd_diag diag,
		      bool peer_admin_down, uint64_t now_us)
{
	struct bfd_state_change ev = {
		.old_state = s->state, .new_state = new_state, .diag = diag,
		.peer_admin_down = peer_admin_down,
	};
	if (s->state == new_state)
		return;
	s->state = new_state;
	s->local_diag = diag;
	s->counters.state_changes++;
	if (new_state == BFD_STATE_UP)
		s->up_since_us = now_us;
	if (ev.old_state == BFD_STATE_UP || ev.old_state == BFD_STATE_INIT) {
		s->counters.last_down_us = now_us;
		s->counters.last_down_diag = diag;
		s->counters.last_down_peer_admin = peer_admin_down;
	}
	/* Entering Up lowers the tx interval from 1 s with a Poll (6.8.3);
	 * leaving it goes back to 1 s. */
	apply_config(s);
	/* Tell the peer at once rather than a (slow) interval later. */
	transmit_periodic(s, now_us);
	if (s->ops.state_change != NULL)
		s->ops.state_change(s->ops.ctx, &ev);
}

void bfd_session_init(struct bfd_session *s, const struct bfd_session_config *cfg,
		      const struct bfd_session_ops *ops, uint32_t local_discr, uint64_t now_us)
{
	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	if (s->cfg.detect_mult == 0)
		s->cfg.detect_mult = 1;
	if (ops != NULL)
		s->ops = *ops;
	s->state = BFD_STATE_DOWN;
	s->remote_state = BFD_STATE_DOWN;
	s->local_discr = local_discr;
	s->local_diag = BFD_DIAG_NONE;
	s->remote_min_rx_us = 1; /* 6.8.1: initialized to 1 */
	s->rng = 0x9e3779b97f4a7c15ull ^ ((uint64_t)local_discr << 16);
	/* 6.8.1: bfd.XmitAuthSeq starts at a random value */
	s->auth_seq.xmit_seq = next_random(s);
	apply_config(s);
	s->next_tx_us = now_us;
}

void bfd_session_set_config(struct bfd_session *s, const struct bfd_session_config *cfg,
			    uint64_t now_us)
{
	s->cfg = *cfg;
	if (s->cfg.detect_mult == 0)
		s->cfg.detect_mult = 1;
	uint32_t tx = s->cfg.desired_min_tx_us;
	if (s->state != BFD_STATE_UP)
		tx = max32(tx, BFD_SLOW_TX_US);
	if (set_timers(s, tx, s->cfg.required_min_rx_us, s->cfg.detect_mult))
		transmit_periodic(s, now_us); /* start the Poll now */
	else
		reschedule_if_sooner(s, now_us);
}

static void count_drop(struct bfd_session *s, enum bfd_drop d)
{
	if (d < BFD_DROP_MAX)
		s->counters.drops[d]++;
}

/* The state table of 6.2 / 6.8.6 for a packet from the remote. */
static void run_fsm(struct bfd_session *s, enum bfd_state remote, uint64_t now_us)
{
	if (remote == BFD_STATE_ADMIN_DOWN) {
		if (s->state != BFD_STATE_DOWN)
			set_state(s, BFD_STATE_DOWN, BFD_DIAG_NEIGHBOR_DOWN, true, now_us);
		return;
	}
	switch (s->state) {
	case BFD_STATE_DOWN:
		if (remote == BFD_STATE_DOWN)
			set_state(s, BFD_STATE_INIT, s->local_diag, false, now_us);
		else if (remote == BFD_STATE_INIT)
			set_state(s, BFD_STATE_UP, BFD_DIAG_NONE, false, now_us);
		break;
	case BFD_STATE_INIT:
		if (remote == BFD_STATE_INIT || remote == BFD_STATE_UP)
			set_state(s, BFD_STATE_UP, BFD_DIAG_NONE, false, now_us);
		break;
	case BFD_STATE_UP:
		if (remote == BFD_STATE_DOWN)
			set_state(s, BFD_STATE_DOWN, BFD_DIAG_NEIGHBOR_DOWN, false, now_us);
		break;
	case BFD_STATE_ADMIN_DOWN:
		break;
	}
}

static const struct bfd_auth_key *find_key(const struct bfd_session *s, uint8_t key_id)
{
	for (size_t i = 0; i < s->cfg.n_keys && i < BFD_SESSION_MAX_KEYS; i++)
		if (s->cfg.keys[i].key_id == key_id)
			return &s->cfg.keys[i];
	return NULL;
}

/* 6.8.1: after twice the detection time without a packet, forget the
 * peer's sequence number, so that a peer that restarted (and picked a new
 * random one) is accepted again. */
static void forget_stale_seq(struct bfd_session *s, uint64_t now_us)
{
	uint64_t detect = bfd_session_detect_time_us(s);
	if (s->auth_seq.rcv_known && detect > 0 && now_us - s->auth_rx_us >= 2 * detect)
		s->auth_seq.rcv_known = false;
}

static enum bfd_drop check_auth(struct bfd_session *s, const struct bfd_packet *p,
				const uint8_t *buf, size_t len, uint64_t now_us)
{
	/* 6.8.6: the A bit must match whether we use authentication */
	if (p->has_auth != (s->cfg.auth_type != BFD_AUTH_NONE))
		return BFD_DROP_AUTH_MISMATCH;
	if (p->has_auth && p->auth.type != s->cfg.auth_type)
		return BFD_DROP_AUTH_MISMATCH;
	if (!p->has_auth || s->cfg.n_keys == 0)
		return BFD_DROP_NONE;
	const struct bfd_auth_key *key = find_key(s, p->auth.key_id);
	if (key == NULL || buf == NULL)
		return BFD_DROP_AUTH_FAILED;
	forget_stale_seq(s, now_us);
	enum bfd_drop d = bfd_auth_verify(key, &s->auth_seq, p, buf, len);
	if (d == BFD_DROP_NONE)
		s->auth_rx_us = now_us;
	return d;
}

static enum bfd_drop check_packet(struct bfd_session *s, const struct bfd_packet *p,
				  const uint8_t *buf, size_t len, uint64_t now_us)
{
	if (p->your_discr != 0 && p->your_discr != s->local_discr)
		return BFD_DROP_NO_SESSION;
	return check_auth(s, p, buf, len, now_us);
}

enum bfd_drop bfd_session_rx(struct bfd_session *s, const struct bfd_packet *p,
			     const uint8_t *buf, size_t len, uint64_t now_us)
{
	enum bfd_drop d = check_packet(s, p, buf, len, now_us);
	if (d != BFD_DROP_NONE) {
		count_drop(s, d);
		return d;
	}
	bool was_silent = s->remote_min_rx_us == 0;
	s->remote_discr = p->my_discr;
	s->remote_state = (enum bfd_state)p->state;
	s->remote_min_rx_us = p->required_min_rx_us;
	s->remote_desired_min_tx_us = p->desired_min_tx_us;
	s->remote_detect_mult = p->detect_mult;
	if ((p->flags & BFD_FLAG_FINAL) && s->poll_active)
		finish_poll(s);
	if (s->state == BFD_STATE_ADMIN_DOWN) {
		count_drop(s, BFD_DROP_ADMIN_DOWN);
		return BFD_DROP_ADMIN_DOWN;
	}
	s->counters.packets_in++;
	/* 6.8.4: a valid packet restarts the detection time */
	s->detect_armed = true;
	s->last_rx_us = now_us;
	run_fsm(s, s->remote_state, now_us);
	if (p->flags & BFD_FLAG_POLL) {
		/* 6.5 / 6.8.7: answer a Poll at once, F set and P clear */
		s->counters.finals_sent++;
		transmit(s, BFD_FLAG_FINAL);
	}
	if (was_silent && s->remote_min_rx_us != 0)
		s->next_tx_us = now_us;
	else
		reschedule_if_sooner(s, now_us);
	return BFD_DROP_NONE;
}

static uint64_t detect_deadline(const struct bfd_session *s)
{
	if (!s->detect_armed)
		return NEVER;
	return s->last_rx_us + bfd_session_detect_time_us(s);
}

bool bfd_session_detect_expired(const struct bfd_session *s, uint64_t now_us)
{
	return detect_deadline(s) <= now_us;
}

/* 6.8.4: nothing heard for the detection time. */
static void detect_expired(struct bfd_session *s, uint64_t now_us)
{
	s->detect_armed = false;
	s->remote_discr = 0;            /* 6.8.1 */
	s->remote_state = BFD_STATE_DOWN;
	s->remote_min_rx_us = 1;        /* back to our own pace */
	if (s->state == BFD_STATE_INIT || s->state == BFD_STATE_UP)
		set_state(s, BFD_STATE_DOWN, BFD_DIAG_CTRL_EXPIRED, false, now_us);
}

void bfd_session_timer(struct bfd_session *s, uint64_t now_us)
{
	if (bfd_session_detect_expired(s, now_us))
		detect_expired(s, now_us);
	/* 6.8.7: no periodic packets while the remote asks for none */
	if (s->remote_min_rx_us != 0 && now_us >= s->next_tx_us)
		transmit_periodic(s, now_us);
}

uint64_t bfd_session_next_deadline(const struct bfd_session *s)
{
	uint64_t d = detect_deadline(s);
	if (s->remote_min_rx_us != 0 && s->next_tx_us < d)
		d = s->next_tx_us;
	return d;
}

void bfd_session_admin_down(struct bfd_session *s, uint64_t now_us)
{
	s->detect_armed = false;
	set_state(s, BFD_STATE_ADMIN_DOWN, BFD_DIAG_ADMIN_DOWN, false, now_us);
}

void bfd_session_admin_up(struct bfd_session *s, uint64_t now_us)
{
	if (s->state == BFD_STATE_ADMIN_DOWN)
		set_state(s, BFD_STATE_DOWN, BFD_DIAG_NONE, false, now_us);
}
