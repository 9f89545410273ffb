/* BFD session state machine with virtual time (microseconds). */
#include <check.h>
#include "tests/unit/check_main.h"
#include <stdlib.h>
#include <string.h>

#include "proto/bfd/session.h"

#define MS 1000u
#define SEC 1000000u
#define MAXPKT 20000

struct harness {
	struct bfd_session s;
	uint64_t now;
	struct bfd_packet sent[MAXPKT];
	uint64_t sent_at[MAXPKT];
	int nsent;
	struct bfd_state_change ev[64];
	int nev;
	struct harness *peer; /* back-to-back wiring */
};

static void h_send(void *ctx, const uint8_t *buf, size_t len)
{
	struct harness *h = ctx;
	ck_assert_int_lt(h->nsent, MAXPKT);
	ck_assert_int_eq(bfd_packet_decode(buf, len, &h->sent[h->nsent]), BFD_DROP_NONE);
	h->sent_at[h->nsent] = h->now;
	h->nsent++;
}

static void h_state(void *ctx, const struct bfd_state_change *ev)
{
	struct harness *h = ctx;
	ck_assert_int_lt(h->nev, 64);
	h->ev[h->nev++] = *ev;
}

static const struct bfd_session_config cfg100 = {
	.desired_min_tx_us = 100 * MS, .required_min_rx_us = 100 * MS, .detect_mult = 3,
};

static struct harness *h_new(const struct bfd_session_config *cfg, uint32_t discr)
{
	struct harness *h = calloc(1, sizeof(*h));
	ck_assert_ptr_nonnull(h);
	struct bfd_session_ops ops = { .ctx = h, .send = h_send, .state_change = h_state };
	bfd_session_init(&h->s, cfg, &ops, discr, 0);
	return h;
}

static struct bfd_packet *last_sent(struct harness *h)
{
	ck_assert_int_gt(h->nsent, 0);
	return &h->sent[h->nsent - 1];
}

/* A packet from the remote (discriminator 0x2222). */
static struct bfd_packet remote_pkt(const struct harness *h, enum bfd_state st, uint8_t flags)
{
	struct bfd_packet p;
	memset(&p, 0, sizeof(p));
	p.version = 1;
	p.state = (uint8_t)st;
	p.flags = flags;
	p.detect_mult = 3;
	p.my_discr = 0x2222;
	p.your_discr = st == BFD_STATE_DOWN || st == BFD_STATE_ADMIN_DOWN ? 0 : h->s.local_discr;
	p.desired_min_tx_us = st == BFD_STATE_UP ? 100 * MS : SEC;
	p.required_min_rx_us = 100 * MS;
	p.length = 24;
	return p;
}

static enum bfd_drop h_rx(struct harness *h, struct bfd_packet p)
{
	return bfd_session_rx(&h->s, &p, NULL, 0, h->now);
}

static void h_run_until(struct harness *h, uint64_t t)
{
	for (;;) {
		uint64_t d = bfd_session_next_deadline(&h->s);
		if (d > t)
			break;
		h->now = d;
		bfd_session_timer(&h->s, d);
	}
	h->now = t;
}

/* Bring the session Up: Down -> Init -> Up, then answer its Poll. */
static struct harness *h_up(void)
{
	struct harness *h = h_new(&cfg100, 0x1111);
	h->now = 10 * MS;
	h_rx(h, remote_pkt(h, BFD_STATE_DOWN, 0));
	ck_assert_int_eq(h->s.state, BFD_STATE_INIT);
	h->now = 20 * MS;
	h_rx(h, remote_pkt(h, BFD_STATE_UP, 0));
	ck_assert_int_eq(h->s.state, BFD_STATE_UP);
	return h;
}

START_TEST(down_to_init_to_up)
{
	struct harness *h = h_new(&cfg100, 0x1111);
	ck_assert_int_eq(h->s.state, BFD_STATE_DOWN);
	ck_assert_uint_eq(bfd_session_next_deadline(&h->s), 0);
	bfd_session_timer(&h->s, 0);
	ck_assert_int_eq(h->nsent, 1);
	ck_assert_uint_eq(last_sent(h)->state, BFD_STATE_DOWN);
	ck_assert_uint_eq(last_sent(h)->your_discr, 0);
	ck_assert_uint_eq(last_sent(h)->my_discr, 0x1111);
	h->now = 5 * MS;
	ck_assert_int_eq(h_rx(h, remote_pkt(h, BFD_STATE_DOWN, 0)), BFD_DROP_NONE);
	ck_assert_int_eq(h->s.state, BFD_STATE_INIT);
	ck_assert_int_eq(h->nev, 1);
	ck_assert_int_eq(h->ev[0].old_state, BFD_STATE_DOWN);
	ck_assert_int_eq(h->ev[0].new_state, BFD_STATE_INIT);
	/* told at once, now with the remote's discriminator */
	ck_assert_int_eq(h->nsent, 2);
	ck_assert_uint_eq(last_sent(h)->state, BFD_STATE_INIT);
	ck_assert_uint_eq(last_sent(h)->your_discr, 0x2222);
	h->now = 6 * MS;
	h_rx(h, remote_pkt(h, BFD_STATE_UP, 0));
	ck_assert_int_eq(h->s.state, BFD_STATE_UP);
	ck_assert_int_eq(h->nev, 2);
	ck_assert_int_eq(h->ev[1].old_state, BFD_STATE_INIT);
	ck_assert_int_eq(h->ev[1].new_state, BFD_STATE_UP);
	ck_assert_uint_eq(h->s.counters.state_changes, 2);
	free(h);
}
END_TEST

START_TEST(down_to_up_on_init)
{
	struct harness *h = h_new(&cfg100, 0x1111);
	h->now = 5 * MS;
	h_rx(h, remote_pkt(h, BFD_STATE_INIT, 0));
	ck_assert_int_eq(h->s.state, BFD_STATE_UP);
	ck_assert_int_eq(h->nev, 1);
	ck_assert_int_eq(h->ev[0].old_state, BFD_STATE_DOWN);
	/* Down + remote Up: stays Down (6.2) */
	struct harness *g = h_new(&cfg100, 0x1111);
	h_rx(g, remote_pkt(g, BFD_STATE_UP, 0));
	ck_assert_int_eq(g->s.state, BFD_STATE_DOWN);
	free(h);
	free(g);
}
END_TEST

START_TEST(init_stays_on_down)
{
	struct harness *h = h_new(&cfg100, 0x1111);
	h_rx(h, remote_pkt(h, BFD_STATE_DOWN, 0));
	h_rx(h, remote_pkt(h, BFD_STATE_DOWN, 0));
	ck_assert_int_eq(h->s.state, BFD_STATE_INIT);
	h_rx(h, remote_pkt(h, BFD_STATE_INIT, 0));
	ck_assert_int_eq(h->s.state, BFD_STATE_UP);
	free(h);
}
END_TEST

START_TEST(detection_exact)
{
	struct harness *h = h_up();
	/* remote tx 100 ms, our rx 100 ms, mult 3: 300 ms after the last packet */
	ck_assert_uint_eq(bfd_session_detect_time_us(&h->s), 300 * MS);
	uint64_t last = h->now;
	h_run_until(h, last + 300 * MS - 1);
	ck_assert_int_eq(h->s.state, BFD_STATE_UP);
	ck_assert_uint_eq(bfd_session_next_deadline(&h->s) <= last + 300 * MS, 1);
	/* what the daemon asks before it runs the timer (it reads the socket first) */
	ck_assert(!bfd_session_detect_expired(&h->s, last + 300 * MS - 1));
	ck_assert(bfd_session_detect_expired(&h->s, last + 300 * MS));
	h_run_until(h, last + 300 * MS);
	ck_assert_int_eq(h->s.state, BFD_STATE_DOWN);
	struct bfd_state_change *ev = &h->ev[h->nev - 1];
	ck_assert_int_eq(ev->old_state, BFD_STATE_UP);
	ck_assert_int_eq(ev->diag, BFD_DIAG_CTRL_EXPIRED);
	ck_assert(bfd_state_change_is_failure(ev));
	ck_assert_uint_eq(h->s.remote_discr, 0);
	ck_assert_uint_eq(last_sent(h)->state, BFD_STATE_DOWN);
	ck_assert_uint_eq(last_sent(h)->diag, BFD_DIAG_CTRL_EXPIRED);
	ck_assert_uint_eq(last_sent(h)->desired_min_tx_us, SEC); /* slow again */
	ck_assert_uint_eq(h->s.counters.last_down_diag, BFD_DIAG_CTRL_EXPIRED);
	free(h);
}
END_TEST

START_TEST(detection_restarts_on_rx)
{
	struct harness *h = h_up();
	for (int i = 0; i < 20; i++) {
		h_run_until(h, h->now + 250 * MS);
		h_rx(h, remote_pkt(h, BFD_STATE_UP, 0));
	}
	ck_assert_int_eq(h->s.state, BFD_STATE_UP);
	ck_assert_uint_eq(h->nev, 2);
	free(h);
}
END_TEST

START_TEST(init_to_down_on_detection)
{
	struct harness *h = h_new(&cfg100, 0x1111);
	h_rx(h, remote_pkt(h, BFD_STATE_DOWN, 0));
	ck_assert_int_eq(h->s.state, BFD_STATE_INIT);
	/* the remote sends every 1 s while not Up: 3 s */
	h_run_until(h, 3 * SEC - 1);
	ck_assert_int_eq(h->s.state, BFD_STATE_INIT);
	h_run_until(h, 3 * SEC);
	ck_assert_int_eq(h->s.state, BFD_STATE_DOWN);
	ck_assert_int_eq(h->s.local_diag, BFD_DIAG_CTRL_EXPIRED);
	free(h);
}
END_TEST

START_TEST(up_to_down_on_remote_down)
{
	struct harness *h = h_up();
	h->now += 50 * MS;
	h_rx(h, remote_pkt(h, BFD_STATE_DOWN, 0));
	ck_assert_int_eq(h->s.state, BFD_STATE_DOWN);
	struct bfd_state_change *ev = &h->ev[h->nev - 1];
	ck_assert_int_eq(ev->diag, BFD_DIAG_NEIGHBOR_DOWN);
	ck_assert(!ev->peer_admin_down);
	ck_assert(bfd_state_change_is_failure(ev));
	/* and the next Down from the remote restarts the handshake */
	h_rx(h, remote_pkt(h, BFD_STATE_DOWN, 0));
	ck_assert_int_eq(h->s.state, BFD_STATE_INIT);
	free(h);
}
END_TEST

START_TEST(remote_admin_down_not_failure)
{
	struct harness *h = h_up();
	h->now += 50 * MS;
	h_rx(h, remote_pkt(h, BFD_STATE_ADMIN_DOWN, 0));
	ck_assert_int_eq(h->s.state, BFD_STATE_DOWN);
	struct bfd_state_change *ev = &h->ev[h->nev - 1];
	ck_assert_int_eq(ev->old_state, BFD_STATE_UP);
	ck_assert_int_eq(ev->diag, BFD_DIAG_NEIGHBOR_DOWN);
	ck_assert(ev->peer_admin_down);
	ck_assert(!bfd_state_change_is_failure(ev));
	ck_assert(h->s.counters.last_down_peer_admin);
	/* more AdminDown packets: we stay Down, not Init */
	h_rx(h, remote_pkt(h, BFD_STATE_ADMIN_DOWN, 0));
	ck_assert_int_eq(h->s.state, BFD_STATE_DOWN);
	/* Init -> Down on AdminDown too */
	struct harness *g = h_new(&cfg100, 0x1111);
	h_rx(g, remote_pkt(g, BFD_STATE_DOWN, 0));
	h_rx(g, remote_pkt(g, BFD_STATE_ADMIN_DOWN, 0));
	ck_assert_int_eq(g->s.state, BFD_STATE_DOWN);
	free(h);
	free(g);
}
END_TEST

START_TEST(local_admin_down)
{
	struct harness *h = h_up();
	bfd_session_admin_down(&h->s, h->now);
	ck_assert_int_eq(h->s.state, BFD_STATE_ADMIN_DOWN);
	ck_assert_uint_eq(last_sent(h)->state, BFD_STATE_ADMIN_DOWN);
	ck_assert_uint_eq(last_sent(h)->diag, BFD_DIAG_ADMIN_DOWN);
	ck_assert_int_eq(h_rx(h, remote_pkt(h, BFD_STATE_UP, 0)), BFD_DROP_ADMIN_DOWN);
	ck_assert_int_eq(h->s.state, BFD_STATE_ADMIN_DOWN);
	/* no detection in AdminDown */
	h_run_until(h, h->now + 10 * SEC);
	ck_assert_int_eq(h->s.state, BFD_STATE_ADMIN_DOWN);
	bfd_session_admin_up(&h->s, h->now);
	ck_assert_int_eq(h->s.state, BFD_STATE_DOWN);
	h_rx(h, remote_pkt(h, BFD_STATE_DOWN, 0));
	ck_assert_int_eq(h->s.state, BFD_STATE_INIT);
	free(h);
}
END_TEST

START_TEST(slow_tx_before_up)
{
	struct harness *h = h_new(&cfg100, 0x1111);
	h_run_until(h, 20 * SEC);
	ck_assert_int_ge(h->nsent, 20);
	ck_assert_int_le(h->nsent, 28);
	for (int i = 0; i < h->nsent; i++) {
		ck_assert_uint_eq(h->sent[i].desired_min_tx_us, SEC);
		ck_assert_uint_eq(h->sent[i].required_min_rx_us, 100 * MS);
		if (i > 0) {
			uint64_t gap = h->sent_at[i] - h->sent_at[i - 1];
			ck_assert_uint_ge(gap, 750 * MS);
			ck_assert_uint_le(gap, SEC);
		}
	}
	free(h);
}
END_TEST

START_TEST(poll_final_on_up)
{
	struct harness *h = h_up();
	/* Up: the faster tx is advertised with P until F comes back */
	struct bfd_packet *p = last_sent(h);
	ck_assert_uint_eq(p->state, BFD_STATE_UP);
	ck_assert_uint_eq(p->desired_min_tx_us, 100 * MS);
	ck_assert(p->flags & BFD_FLAG_POLL);
	ck_assert(h->s.poll_active);
	int before = h->nsent;
	h_run_until(h, h->now + 250 * MS);
	ck_assert_int_ge(h->nsent - before, 2);
	for (int i = before; i < h->nsent; i++)
		ck_assert(h->sent[i].flags & BFD_FLAG_POLL);
	h_rx(h, remote_pkt(h, BFD_STATE_UP, BFD_FLAG_FINAL));
	ck_assert(!h->s.poll_active);
	before = h->nsent;
	h_run_until(h, h->now + 250 * MS);
	for (int i = before; i < h->nsent; i++)
		ck_assert(!(h->sent[i].flags & BFD_FLAG_POLL));
	/* a Poll from the remote is answered at once with F, never P|F */
	before = h->nsent;
	h_rx(h, remote_pkt(h, BFD_STATE_UP, BFD_FLAG_POLL));
	ck_assert_int_eq(h->nsent, before + 1);
	ck_assert_uint_eq(last_sent(h)->flags & (BFD_FLAG_POLL | BFD_FLAG_FINAL), BFD_FLAG_FINAL);
	ck_assert_uint_eq(h->s.counters.finals_sent, 1);
	free(h);
}
END_TEST

START_TEST(poll_on_timer_change)
{
	struct harness *h = h_up();
	h_rx(h, remote_pkt(h, BFD_STATE_UP, BFD_FLAG_FINAL));
	ck_assert(!h->s.poll_active);
	/* raise tx to 500 ms and lower rx to 50 ms */
	struct bfd_session_config c = cfg100;
	c.desired_min_tx_us = 500 * MS;
	c.required_min_rx_us = 50 * MS;
	int before = h->nsent;
	bfd_session_set_config(&h->s, &c, h->now);
	ck_assert_int_eq(h->nsent, before + 1); /* the Poll goes out at once */
	ck_assert(last_sent(h)->flags & BFD_FLAG_POLL);
	ck_assert_uint_eq(last_sent(h)->desired_min_tx_us, 500 * MS);
	ck_assert_uint_eq(last_sent(h)->required_min_rx_us, 50 * MS);
	/* until the Final: old tx interval and old detection time (6.8.3) */
	ck_assert_uint_eq(bfd_session_tx_interval_us(&h->s), 100 * MS);
	ck_assert_uint_eq(bfd_session_detect_time_us(&h->s), 300 * MS);
	before = h->nsent;
	h_run_until(h, h->now + 200 * MS);
	ck_assert_int_ge(h->nsent - before, 2);
	h_rx(h, remote_pkt(h, BFD_STATE_UP, BFD_FLAG_FINAL));
	ck_assert_uint_eq(bfd_session_tx_interval_us(&h->s), 500 * MS);
	/* remote tx 100 ms now dominates our 50 ms rx */
	ck_assert_uint_eq(bfd_session_detect_time_us(&h->s), 300 * MS);
	/* lowering tx applies at once, still with a Poll */
	c.desired_min_tx_us = 20 * MS;
	bfd_session_set_config(&h->s, &c, h->now);
	ck_assert(h->s.poll_active);
	ck_assert_uint_eq(bfd_session_tx_interval_us(&h->s), 100 * MS); /* remote rx 100 */
	ck_assert_uint_eq(h->s.counters.polls_started, 3);
	free(h);
}
END_TEST

/* Gaps between periodic packets of an Up session with steady timers. */
static void jitter_stats(uint8_t mult, double *min, double *max, double *mean)
{
	struct bfd_session_config c = cfg100;
	c.detect_mult = mult;
	struct harness *h = h_new(&c, 0x1111);
	h_rx(h, remote_pkt(h, BFD_STATE_INIT, 0));
	h_rx(h, remote_pkt(h, BFD_STATE_UP, BFD_FLAG_FINAL));
	h->s.rng = 12345;
	int first = h->nsent;
	uint64_t t = h->now;
	*min = 2;
	*max = 0;
	double sum = 0;
	int n = 0;
	while (h->nsent < MAXPKT - 10) {
		t += 200 * MS;
		h_run_until(h, t);
		h_rx(h, remote_pkt(h, BFD_STATE_UP, 0)); /* keep it Up */
	}
	for (int i = first + 1; i < h->nsent; i++) {
		double g = (double)(h->sent_at[i] - h->sent_at[i - 1]) / (100.0 * MS);
		/* the gap after a rx-triggered reschedule is not a draw */
		if (h->sent_at[i - 1] == h->sent_at[i])
			continue;
		*min = g < *min ? g : *min;
		*max = g > *max ? g : *max;
		sum += g;
		n++;
	}
	*mean = sum / n;
	free(h);
}

START_TEST(jitter_bounds)
{
	double min, max, mean;
	jitter_stats(3, &min, &max, &mean);
	ck_assert(min >= 0.75 && min < 0.76);
	ck_assert(max <= 1.0 && max > 0.99);
	ck_assert(mean > 0.86 && mean < 0.89);
	jitter_stats(1, &min, &max, &mean);
	ck_assert(min >= 0.75 && min < 0.76);
	ck_assert(max <= 0.90 && max > 0.89);
	ck_assert(mean > 0.81 && mean < 0.84);
}
END_TEST

START_TEST(drops)
{
	struct harness *h = h_up();
	struct bfd_packet p = remote_pkt(h, BFD_STATE_UP, 0);
	p.your_discr = 0x9999;
	ck_assert_int_eq(h_rx(h, p), BFD_DROP_NO_SESSION);
	p = remote_pkt(h, BFD_STATE_UP, BFD_FLAG_AUTH);
	p.has_auth = true;
	ck_assert_int_eq(h_rx(h, p), BFD_DROP_AUTH_MISMATCH);
	ck_assert_uint_eq(h->s.counters.drops[BFD_DROP_AUTH_MISMATCH], 1);
	ck_assert_uint_eq(h->s.counters.drops[BFD_DROP_NO_SESSION], 1);
	free(h);
}
END_TEST

START_TEST(remote_asks_silence)
{
	struct harness *h = h_up();
	struct bfd_packet p = remote_pkt(h, BFD_STATE_UP, BFD_FLAG_FINAL);
	p.required_min_rx_us = 0;
	h_rx(h, p);
	int before = h->nsent;
	h_run_until(h, h->now + 250 * MS); /* less than detection */
	ck_assert_int_eq(h->nsent, before);
	h_rx(h, remote_pkt(h, BFD_STATE_UP, 0));
	h_run_until(h, h->now + 1);
	ck_assert_int_gt(h->nsent, before);
	free(h);
}
END_TEST

/* Two sessions wired back to back, zero latency. */
struct wire {
	struct harness *h[2];
	struct { int to; uint8_t buf[BFD_MAX_PACKET_LEN]; size_t len; } q[64];
	int nq;
	uint64_t now;  /* where wire_run() resumes */
	bool lossy;    /* sessions may drop packets (auth tests) */
};
static struct wire *the_wire;

static void wire_send(void *ctx, const uint8_t *buf, size_t len)
{
	struct harness *h = ctx;
	h_send(ctx, buf, len);
	struct wire *w = the_wire;
	ck_assert_int_lt(w->nq, 64);
	w->q[w->nq].to = h == w->h[0] ? 1 : 0;
	memcpy(w->q[w->nq].buf, buf, len);
	w->q[w->nq].len = len;
	w->nq++;
}

static void wire_deliver(struct wire *w, uint64_t now)
{
	while (w->nq > 0) {
		int to = w->q[0].to;
		struct bfd_packet p;
		uint8_t bytes[BFD_MAX_PACKET_LEN];
		size_t len = w->q[0].len;
		ck_assert_uint_le(len, sizeof(bytes));
		memcpy(bytes, w->q[0].buf, len);
		ck_assert_int_eq(bfd_packet_decode(bytes, len, &p), BFD_DROP_NONE);
		memmove(&w->q[0], &w->q[1], sizeof(w->q[0]) * (size_t)(w->nq - 1));
		w->nq--;
		w->h[to]->now = now;
		enum bfd_drop d = bfd_session_rx(&w->h[to]->s, &p, bytes, len, now);
		if (w->lossy)
			continue; /* the session counts its own drops */
		ck_assert(d == BFD_DROP_NONE ||
			  (d == BFD_DROP_ADMIN_DOWN && w->h[to]->s.state == BFD_STATE_ADMIN_DOWN));
	}
}

/* Run both sessions from w->now (0 at first) up to until. */
static void wire_run(struct wire *w, uint64_t until)
{
	uint64_t now = w->now;
	for (;;) {
		wire_deliver(w, now);
		uint64_t d0 = bfd_session_next_deadline(&w->h[0]->s);
		uint64_t d1 = bfd_session_next_deadline(&w->h[1]->s);
		now = d0 < d1 ? d0 : d1;
		if (now > until)
			break;
		for (int i = 0; i < 2; i++) {
			w->h[i]->now = now;
			bfd_session_timer(&w->h[i]->s, now);
		}
	}
	w->now = until;
	w->h[0]->now = w->h[1]->now = until;
}

START_TEST(back_to_back)
{
	struct wire *w = calloc(1, sizeof(*w));
	the_wire = w;
	struct bfd_session_ops ops = { .send = wire_send, .state_change = h_state };
	for (int i = 0; i < 2; i++) {
		w->h[i] = calloc(1, sizeof(struct harness));
		ops.ctx = w->h[i];
		bfd_session_init(&w->h[i]->s, &cfg100, &ops, 0x100u + (uint32_t)i, 0);
	}
	wire_run(w, 5 * SEC);
	for (int i = 0; i < 2; i++) {
		struct harness *h = w->h[i];
		ck_assert_int_eq(h->s.state, BFD_STATE_UP);
		ck_assert_uint_eq(h->s.remote_discr, 0x100u + (uint32_t)(1 - i));
		ck_assert(!h->s.poll_active);
		ck_assert_uint_eq(bfd_session_tx_interval_us(&h->s), 100 * MS);
		ck_assert_uint_eq(bfd_session_detect_time_us(&h->s), 300 * MS);
		ck_assert_int_eq(h->ev[h->nev - 1].new_state, BFD_STATE_UP);
		/* steady state: about 10-13 packets per second */
		ck_assert_int_gt(h->nsent, 40);
		ck_assert_uint_gt(bfd_session_uptime_us(&h->s, 5 * SEC), 4 * SEC);
	}
	/* one side goes AdminDown: the other goes Down, not as a failure */
	bfd_session_admin_down(&w->h[0]->s, 5 * SEC);
	wire_deliver(w, 5 * SEC);
	struct harness *b = w->h[1];
	ck_assert_int_eq(b->s.state, BFD_STATE_DOWN);
	ck_assert(!bfd_state_change_is_failure(&b->ev[b->nev - 1]));
	free(w->h[0]);
	free(w->h[1]);
	free(w);
}
END_TEST

/* ---- Authentication (RFC 5880 6.7) ------------------------------------ */

static struct bfd_auth_key mkkey(uint8_t type, uint8_t key_id, const char *secret)
{
	struct bfd_auth_key k;
	memset(&k, 0, sizeof(k));
	size_t n = strlen(secret);
	ck_assert_uint_le(n, sizeof(k.secret));
	k.type = type;
	k.key_id = key_id;
	k.secret_len = (uint8_t)n;
	memcpy(k.secret, secret, n);
	return k;
}

/* cfg100 with one key. */
static struct bfd_session_config cfg_auth(uint8_t type, uint8_t key_id, const char *secret)
{
	struct bfd_session_config c = cfg100;
	c.auth_type = type;
	c.n_keys = 1;
	c.keys[0] = mkkey(type, key_id, secret);
	return c;
}

static void wire_init_side(struct wire *w, int i, const struct bfd_session_config *c,
			   uint64_t now)
{
	struct bfd_session_ops ops = { .ctx = w->h[i], .send = wire_send, .state_change = h_state };
	w->h[i]->now = now;
	bfd_session_init(&w->h[i]->s, c, &ops, 0x100u + (uint32_t)i, now);
}

static struct wire *wire_new(const struct bfd_session_config *c0,
			     const struct bfd_session_config *c1, bool lossy)
{
	struct wire *w = calloc(1, sizeof(*w));
	ck_assert_ptr_nonnull(w);
	the_wire = w;
	w->lossy = lossy;
	const struct bfd_session_config *c[2] = { c0, c1 };
	for (int i = 0; i < 2; i++) {
		w->h[i] = calloc(1, sizeof(struct harness));
		ck_assert_ptr_nonnull(w->h[i]);
		wire_init_side(w, i, c[i], 0);
	}
	return w;
}

static void wire_free(struct wire *w)
{
	free(w->h[0]);
	free(w->h[1]);
	free(w);
	the_wire = NULL;
}

/* Run the wire until side `from` transmits, and take its packet off the
 * wire undelivered; w->now is then the time it was sent. */
static size_t wire_capture(struct wire *w, int from, uint8_t *buf)
{
	uint64_t now = w->now;
	for (;;) {
		for (int i = 0; i < w->nq; i++) {
			if (w->q[i].to != 1 - from)
				continue;
			size_t len = w->q[i].len;
			memcpy(buf, w->q[i].buf, len);
			memmove(&w->q[i], &w->q[i + 1], sizeof(w->q[0]) * (size_t)(w->nq - i - 1));
			w->nq--;
			w->now = now;
			return len;
		}
		wire_deliver(w, now);
		uint64_t d0 = bfd_session_next_deadline(&w->h[0]->s);
		uint64_t d1 = bfd_session_next_deadline(&w->h[1]->s);
		now = d0 < d1 ? d0 : d1;
		ck_assert_uint_ne(now, NEVER);
		for (int i = 0; i < 2; i++) {
			w->h[i]->now = now;
			bfd_session_timer(&w->h[i]->s, now);
		}
	}
}

/* Hand bytes to side `to` as if they came off the wire at w->now; a
 * decoding failure is returned as the drop reason. */
static enum bfd_drop wire_inject(struct wire *w, int to, const uint8_t *buf, size_t len)
{
	uint8_t bytes[BFD_MAX_PACKET_LEN];
	ck_assert_uint_le(len, sizeof(bytes));
	memcpy(bytes, buf, len);
	struct bfd_packet p;
	enum bfd_drop d = bfd_packet_decode(bytes, len, &p);
	if (d != BFD_DROP_NONE)
		return d;
	w->h[to]->now = w->now;
	return bfd_session_rx(&w->h[to]->s, &p, bytes, len, w->now);
}

/* A remote packet (remote_pkt) signed with key and Sequence Number seq. */
static enum bfd_drop h_rx_signed(struct harness *h, struct bfd_packet p,
				 const struct bfd_auth_key *key, uint32_t seq)
{
	struct bfd_auth_seq st = { .xmit_seq = seq - 1 }; /* encode increments first */
	uint8_t buf[BFD_MAX_PACKET_LEN];
	size_t n = bfd_auth_encode_signed(key, &st, &p, buf, sizeof(buf));
	ck_assert_uint_gt(n, 0);
	struct bfd_packet d;
	ck_assert_int_eq(bfd_packet_decode(buf, n, &d), BFD_DROP_NONE);
	if (key->type != BFD_AUTH_SIMPLE)
		ck_assert_uint_eq(d.auth.seq, seq);
	return bfd_session_rx(&h->s, &d, buf, n, h->now);
}

static bool is_meticulous_type(uint8_t type)
{
	return type == BFD_AUTH_METICULOUS_MD5 || type == BFD_AUTH_METICULOUS_SHA1;
}

static const struct auth_case {
	uint8_t type;
	const char *secret;
	const char *other_secret; /* same length, one byte differs */
	uint8_t auth_len;         /* Auth Len on the wire */
} auth_cases[] = {
	{ BFD_AUTH_SIMPLE, "fabric-pw", "fabric-pX", 3 + 9 },
	{ BFD_AUTH_KEYED_MD5, "0123456789abcdef", "0123456789abcdeF", BFD_AUTH_MD5_LEN },
	{ BFD_AUTH_METICULOUS_MD5, "md5", "md6", BFD_AUTH_MD5_LEN },
	{ BFD_AUTH_KEYED_SHA1, "0123456789abcdefghij", "0123456789abcdefghiJ", BFD_AUTH_SHA1_LEN },
	{ BFD_AUTH_METICULOUS_SHA1, "sha1-key", "sha1-kez", BFD_AUTH_SHA1_LEN },
};
#define N_AUTH_CASES (sizeof(auth_cases) / sizeof(auth_cases[0]))

/* Both sessions with the same key come Up, every packet authenticated. */
static void check_auth_up(const struct auth_case *ac)
{
	struct bfd_session_config c = cfg_auth(ac->type, 7, ac->secret);
	struct wire *w = wire_new(&c, &c, false);
	wire_run(w, 5 * SEC);
	for (int i = 0; i < 2; i++) {
		struct harness *h = w->h[i];
		ck_assert_msg(h->s.state == BFD_STATE_UP, "auth type %u: side %d is %s", ac->type,
			      i, bfd_state_name(h->s.state));
		ck_assert(!h->s.poll_active);
		ck_assert_uint_eq(bfd_session_detect_time_us(&h->s), 300 * MS);
		ck_assert_int_gt(h->nsent, 40);
		ck_assert_uint_eq(h->s.counters.packets_in, w->h[1 - i]->s.counters.packets_out);
		for (int d = 0; d < BFD_DROP_MAX; d++)
			ck_assert_uint_eq(h->s.counters.drops[d], 0);
		for (int k = 0; k < h->nsent; k++) {
			const struct bfd_packet *p = &h->sent[k];
			ck_assert(p->flags & BFD_FLAG_AUTH);
			ck_assert(p->has_auth);
			ck_assert_uint_eq(p->auth.type, ac->type);
			ck_assert_uint_eq(p->auth.len, ac->auth_len);
			ck_assert_uint_eq(p->auth.key_id, 7);
			ck_assert_uint_eq(p->length, BFD_HDR_LEN + ac->auth_len);
			if (ac->type == BFD_AUTH_SIMPLE || k == 0)
				continue;
			/* 6.7.3/6.7.4: meticulous increases on every packet;
			 * keyed never goes back */
			uint32_t step = p->auth.seq - h->sent[k - 1].auth.seq;
			if (is_meticulous_type(ac->type))
				ck_assert_uint_ge(step, 1);
			ck_assert_uint_le(step, 3 * 3);
		}
	}
	wire_free(w);
}

START_TEST(auth_keyed_sha1_up)
{
	check_auth_up(&auth_cases[3]);
	ck_assert_uint_eq(auth_cases[3].type, BFD_AUTH_KEYED_SHA1);
	ck_assert_uint_eq(auth_cases[3].auth_len, 28);
}
END_TEST

START_TEST(auth_all_types_up)
{
	for (size_t i = 0; i < N_AUTH_CASES; i++)
		check_auth_up(&auth_cases[i]);
}
END_TEST

/* No session accepts a packet: nobody leaves Down. */
static void check_never_up(struct wire *w)
{
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(w->h[i]->s.state, BFD_STATE_DOWN);
		ck_assert_int_eq(w->h[i]->nev, 0);
		ck_assert_uint_eq(w->h[i]->s.counters.packets_in, 0);
		ck_assert_int_gt(w->h[i]->nsent, 3);
	}
}

START_TEST(auth_wrong_secret)
{
	for (size_t i = 0; i < N_AUTH_CASES; i++) {
		const struct auth_case *ac = &auth_cases[i];
		struct bfd_session_config c0 = cfg_auth(ac->type, 1, ac->secret);
		struct bfd_session_config c1 = cfg_auth(ac->type, 1, ac->other_secret);
		struct wire *w = wire_new(&c0, &c1, true);
		wire_run(w, 5 * SEC);
		check_never_up(w);
		for (int k = 0; k < 2; k++) {
			const struct bfd_session_counters *cn = &w->h[k]->s.counters;
			/* every packet of the other side, and only as auth_failed */
			ck_assert_uint_eq(cn->drops[BFD_DROP_AUTH_FAILED],
					  w->h[1 - k]->s.counters.packets_out);
			ck_assert_uint_eq(cn->drops[BFD_DROP_AUTH_MISMATCH], 0);
		}
		wire_free(w);
	}
}
END_TEST

START_TEST(auth_one_sided)
{
	struct bfd_session_config with = cfg_auth(BFD_AUTH_KEYED_SHA1, 1, "secret");
	struct wire *w = wire_new(&with, &cfg100, true);
	wire_run(w, 5 * SEC);
	check_never_up(w);
	for (int k = 0; k < 2; k++) {
		const struct bfd_session_counters *cn = &w->h[k]->s.counters;
		ck_assert_uint_eq(cn->drops[BFD_DROP_AUTH_MISMATCH],
				  w->h[1 - k]->s.counters.packets_out);
		ck_assert_uint_eq(cn->drops[BFD_DROP_AUTH_FAILED], 0);
	}
	/* the side without auth sees the A bit, the side with auth its absence */
	ck_assert(w->h[0]->sent[0].flags & BFD_FLAG_AUTH);
	ck_assert(!(w->h[1]->sent[0].flags & BFD_FLAG_AUTH));
	wire_free(w);
	/* both with auth, but of different types (6.8.6: Auth Type must match) */
	struct bfd_session_config md5 = cfg_auth(BFD_AUTH_KEYED_MD5, 1, "secret");
	struct bfd_session_config met = cfg_auth(BFD_AUTH_METICULOUS_SHA1, 1, "secret");
	w = wire_new(&md5, &met, true);
	wire_run(w, 5 * SEC);
	check_never_up(w);
	for (int k = 0; k < 2; k++)
		ck_assert_uint_eq(w->h[k]->s.counters.drops[BFD_DROP_AUTH_MISMATCH],
				  w->h[1 - k]->s.counters.packets_out);
	wire_free(w);
}
END_TEST

static void assert_all_key_id(const struct harness *h, int from, uint8_t key_id)
{
	ck_assert_int_lt(from, h->nsent);
	for (int k = from; k < h->nsent; k++)
		ck_assert_uint_eq(h->sent[k].auth.key_id, key_id);
}

START_TEST(auth_key_rollover)
{
	const uint8_t t = BFD_AUTH_METICULOUS_SHA1;
	struct bfd_auth_key k1 = mkkey(t, 1, "old-key");
	struct bfd_auth_key k2 = mkkey(t, 2, "new-key");
	/* A signs with 1 and knows 2; B signs with 2 and knows 1 */
	struct bfd_session_config a = cfg100, b = cfg100;
	a.auth_type = b.auth_type = t;
	a.n_keys = b.n_keys = 2;
	a.keys[0] = k1;
	a.keys[1] = k2;
	b.keys[0] = k2;
	b.keys[1] = k1;
	struct wire *w = wire_new(&a, &b, false);
	wire_run(w, 5 * SEC);
	struct harness *ha = w->h[0], *hb = w->h[1];
	ck_assert_int_eq(ha->s.state, BFD_STATE_UP);
	ck_assert_int_eq(hb->s.state, BFD_STATE_UP);
	assert_all_key_id(ha, 0, 1);
	assert_all_key_id(hb, 0, 2);
	/* finish the rollover: A drops key 1 and signs with 2, then B drops 1 */
	int nev_a = ha->nev, nev_b = hb->nev, sent_a = ha->nsent, sent_b = hb->nsent;
	a.n_keys = 1;
	a.keys[0] = k2;
	bfd_session_set_config(&ha->s, &a, w->now);
	wire_run(w, 7 * SEC);
	assert_all_key_id(ha, sent_a, 2);
	b.n_keys = 1;
	bfd_session_set_config(&hb->s, &b, w->now);
	wire_run(w, 9 * SEC);
	assert_all_key_id(hb, sent_b, 2);
	ck_assert_int_eq(ha->s.state, BFD_STATE_UP);
	ck_assert_int_eq(hb->s.state, BFD_STATE_UP);
	ck_assert_int_eq(ha->nev, nev_a); /* never flapped (wire is not lossy) */
	ck_assert_int_eq(hb->nev, nev_b);
	wire_free(w);

	/* a receiver without the sender's Key ID: C only knows key 2 */
	struct bfd_session_config c = cfg100;
	c.auth_type = t;
	c.n_keys = 1;
	c.keys[0] = k2;
	a.n_keys = 2;
	a.keys[0] = k1;
	a.keys[1] = k2;
	w = wire_new(&a, &c, true);
	wire_run(w, 5 * SEC);
	struct harness *hc = w->h[1];
	ck_assert_uint_gt(hc->s.counters.drops[BFD_DROP_AUTH_FAILED], 0);
	ck_assert_uint_eq(hc->s.counters.drops[BFD_DROP_AUTH_FAILED],
			  w->h[0]->s.counters.packets_out);
	ck_assert_uint_eq(hc->s.counters.packets_in, 0);
	/* A does accept C's key 2, but C never answers: no Up */
	ck_assert_uint_gt(w->h[0]->s.counters.packets_in, 0);
	ck_assert_int_ne(w->h[0]->s.state, BFD_STATE_UP);
	ck_assert_int_eq(hc->s.state, BFD_STATE_DOWN);
	for (int i = 0; i < w->h[0]->nev; i++)
		ck_assert_int_ne(w->h[0]->ev[i].new_state, BFD_STATE_UP);
	wire_free(w);
}
END_TEST

START_TEST(auth_meticulous_replay)
{
	for (size_t i = 0; i < N_AUTH_CASES; i++) {
		const struct auth_case *ac = &auth_cases[i];
		if (ac->type == BFD_AUTH_SIMPLE)
			continue;
		struct bfd_session_config c = cfg_auth(ac->type, 1, ac->secret);
		struct wire *w = wire_new(&c, &c, true);
		wire_run(w, 5 * SEC);
		ck_assert_int_eq(w->h[1]->s.state, BFD_STATE_UP);
		uint8_t buf[BFD_MAX_PACKET_LEN];
		size_t n = wire_capture(w, 0, buf);
		uint64_t in = w->h[1]->s.counters.packets_in;
		ck_assert_int_eq(wire_inject(w, 1, buf, n), BFD_DROP_NONE);
		enum bfd_drop again = wire_inject(w, 1, buf, n);
		if (is_meticulous_type(ac->type)) {
			/* 6.7.3/6.7.4: strictly after bfd.RcvAuthSeq */
			ck_assert_int_eq(again, BFD_DROP_AUTH_FAILED);
			ck_assert_uint_eq(w->h[1]->s.counters.packets_in, in + 1);
			ck_assert_uint_eq(w->h[1]->s.counters.drops[BFD_DROP_AUTH_FAILED], 1);
		} else {
			/* keyed: bfd.RcvAuthSeq itself is in the window */
			ck_assert_int_eq(again, BFD_DROP_NONE);
			ck_assert_uint_eq(w->h[1]->s.counters.packets_in, in + 2);
		}
		wire_run(w, w->now + 2 * SEC);
		ck_assert_int_eq(w->h[0]->s.state, BFD_STATE_UP);
		ck_assert_int_eq(w->h[1]->s.state, BFD_STATE_UP);
		wire_free(w);
	}
}
END_TEST

/* The sequence number window of 6.7.3 / 6.7.4 with crafted numbers
 * (Detect Mult 3: up to 9 ahead). */
START_TEST(auth_seq_window)
{
	for (size_t i = 0; i < N_AUTH_CASES; i++) {
		const struct auth_case *ac = &auth_cases[i];
		if (ac->type == BFD_AUTH_SIMPLE)
			continue;
		bool met = is_meticulous_type(ac->type);
		struct bfd_session_config c = cfg_auth(ac->type, 1, ac->secret);
		struct bfd_auth_key key = c.keys[0];
		struct harness *h = h_new(&c, 0x1111);
		struct bfd_packet down = remote_pkt(h, BFD_STATE_DOWN, 0);
		/* the first one is accepted whatever its number (AuthSeqKnown 0) */
		ck_assert_int_eq(h_rx_signed(h, down, &key, 500), BFD_DROP_NONE);
		ck_assert(h->s.auth_seq.rcv_known);
		ck_assert_uint_eq(h->s.auth_seq.rcv_seq, 500);
		/* the same number again: keyed yes, meticulous no */
		ck_assert_int_eq(h_rx_signed(h, down, &key, 500),
				 (met ? BFD_DROP_AUTH_FAILED : BFD_DROP_NONE));
		/* behind */
		ck_assert_int_eq(h_rx_signed(h, down, &key, 499), BFD_DROP_AUTH_FAILED);
		ck_assert_int_eq(h_rx_signed(h, down, &key, 500 - 0x1000), BFD_DROP_AUTH_FAILED);
		/* more than 3 x Detect Mult ahead */
		ck_assert_int_eq(h_rx_signed(h, down, &key, 500 + 10), BFD_DROP_AUTH_FAILED);
		ck_assert_int_eq(h_rx_signed(h, down, &key, 500 + 0x80000000u), BFD_DROP_AUTH_FAILED);
		ck_assert_uint_eq(h->s.auth_seq.rcv_seq, 500); /* drops change nothing */
		/* the edge of the window */
		ck_assert_int_eq(h_rx_signed(h, down, &key, 500 + 9), BFD_DROP_NONE);
		ck_assert_uint_eq(h->s.auth_seq.rcv_seq, 509);
		ck_assert_int_eq(h_rx_signed(h, down, &key, 508), BFD_DROP_AUTH_FAILED);
		/* circular number space */
		h->s.auth_seq.rcv_seq = 0xfffffffcu;
		ck_assert_int_eq(h_rx_signed(h, down, &key, 0xfffffffcu + 9), BFD_DROP_NONE);
		ck_assert_uint_eq(h->s.auth_seq.rcv_seq, 5);
		ck_assert_int_eq(h_rx_signed(h, down, &key, 0xfffffffeu), BFD_DROP_AUTH_FAILED);
		/* the window follows the packet's Detect Mult */
		struct bfd_packet m1 = down;
		m1.detect_mult = 1;
		ck_assert_int_eq(h_rx_signed(h, m1, &key, 5 + 4), BFD_DROP_AUTH_FAILED);
		ck_assert_int_eq(h_rx_signed(h, m1, &key, 5 + 3), BFD_DROP_NONE);
		ck_assert_uint_eq(h->s.counters.drops[BFD_DROP_AUTH_FAILED], met ? 8 : 7);
		free(h);
	}
}
END_TEST

/* 6.8.1: bfd.AuthSeqKnown is reset after 2 x Detection Time without an
 * authenticated packet, to the microsecond. */
START_TEST(auth_seq_forgotten)
{
	struct bfd_session_config c = cfg_auth(BFD_AUTH_METICULOUS_SHA1, 1, "key");
	struct bfd_auth_key key = c.keys[0];
	struct harness *h = h_new(&c, 0x1111);
	h->now = 10 * MS;
	ck_assert_int_eq(h_rx_signed(h, remote_pkt(h, BFD_STATE_DOWN, 0), &key, 1000),
			 BFD_DROP_NONE);
	h->now = 20 * MS;
	ck_assert_int_eq(h_rx_signed(h, remote_pkt(h, BFD_STATE_UP, 0), &key, 1001),
			 BFD_DROP_NONE);
	ck_assert_int_eq(h->s.state, BFD_STATE_UP);
	uint64_t detect = bfd_session_detect_time_us(&h->s);
	ck_assert_uint_eq(detect, 300 * MS);
	uint64_t t0 = h->now;
	uint32_t restarted = 1001 + 0x80000000u;
	/* rejected packets do not restart the clock */
	h->now = t0 + detect;
	ck_assert_int_eq(h_rx_signed(h, remote_pkt(h, BFD_STATE_DOWN, 0), &key, restarted),
			 BFD_DROP_AUTH_FAILED);
	h->now = t0 + 2 * detect - 1;
	ck_assert_int_eq(h_rx_signed(h, remote_pkt(h, BFD_STATE_DOWN, 0), &key, restarted),
			 BFD_DROP_AUTH_FAILED);
	h->now = t0 + 2 * detect;
	ck_assert_int_eq(h_rx_signed(h, remote_pkt(h, BFD_STATE_DOWN, 0), &key, restarted),
			 BFD_DROP_NONE);
	ck_assert(h->s.auth_seq.rcv_known);
	ck_assert_uint_eq(h->s.auth_seq.rcv_seq, restarted);
	/* and the old numbers are now out of the window */
	ck_assert_int_eq(h_rx_signed(h, remote_pkt(h, BFD_STATE_DOWN, 0), &key, 1002),
			 BFD_DROP_AUTH_FAILED);
	free(h);
}
END_TEST

/* A peer restarts with a new random bfd.XmitAuthSeq: the other side drops
 * its packets until 2 x Detection Time after the last authenticated one,
 * then accepts them and the session comes back Up. */
START_TEST(auth_peer_restart)
{
	for (int met = 0; met < 2; met++) {
		uint8_t t = met ? BFD_AUTH_METICULOUS_SHA1 : BFD_AUTH_KEYED_MD5;
		struct bfd_session_config c = cfg_auth(t, 3, "restart");
		struct wire *w = wire_new(&c, &c, true);
		struct harness *a = w->h[0], *b = w->h[1];
		wire_run(w, 5 * SEC);
		ck_assert_int_eq(a->s.state, BFD_STATE_UP);
		ck_assert_int_eq(b->s.state, BFD_STATE_UP);
		uint64_t last = a->s.auth_rx_us;
		uint64_t detect = bfd_session_detect_time_us(&a->s);
		ck_assert_uint_eq(detect, 300 * MS);
		uint32_t old_seq = a->s.auth_seq.rcv_seq;
		uint64_t in = a->s.counters.packets_in;
		int nev = a->nev;

		/* B restarts: Down, its sequence number far from the old one */
		wire_init_side(w, 1, &c, w->now);
		b->s.auth_seq.xmit_seq = old_seq + 0x80000000u;
		ck_assert_int_eq(b->s.state, BFD_STATE_DOWN);

		/* until 2 x Detection Time: every packet of B is dropped, and A
		 * times out */
		wire_run(w, last + 2 * detect - 1);
		ck_assert_uint_eq(a->s.counters.packets_in, in);
		ck_assert_uint_ge(a->s.counters.drops[BFD_DROP_AUTH_FAILED], 1);
		ck_assert_uint_eq(a->s.auth_seq.rcv_seq, old_seq);
		ck_assert_int_eq(a->s.state, BFD_STATE_DOWN);
		ck_assert_int_eq(a->nev, nev + 1);
		ck_assert_int_eq(a->ev[nev].diag, BFD_DIAG_CTRL_EXPIRED);
		ck_assert_int_eq(b->s.state, BFD_STATE_INIT); /* B hears A fine */

		/* then B is accepted again and both come Up */
		wire_run(w, 10 * SEC);
		ck_assert_int_eq(a->s.state, BFD_STATE_UP);
		ck_assert_int_eq(b->s.state, BFD_STATE_UP);
		ck_assert_uint_gt(a->s.counters.packets_in, in);
		ck_assert_uint_ge(a->s.auth_rx_us, last + 2 * detect);
		uint32_t ahead = a->s.auth_seq.rcv_seq - (old_seq + 0x80000000u);
		ck_assert_uint_lt(ahead, 1000);
		ck_assert_int_eq(a->ev[a->nev - 1].new_state, BFD_STATE_UP);
		/* no drops once back Up */
		uint64_t failed = a->s.counters.drops[BFD_DROP_AUTH_FAILED];
		wire_run(w, 12 * SEC);
		ck_assert_uint_eq(a->s.counters.drops[BFD_DROP_AUTH_FAILED], failed);
		ck_assert_uint_eq(b->s.counters.drops[BFD_DROP_AUTH_FAILED], 0);
		wire_free(w);
	}
}
END_TEST

/* One byte changed after signing: the digest (or password) no longer matches. */
START_TEST(auth_tampered)
{
	for (size_t i = 0; i < N_AUTH_CASES; i++) {
		const struct auth_case *ac = &auth_cases[i];
		struct bfd_session_config c = cfg_auth(ac->type, 1, ac->secret);
		struct wire *w = wire_new(&c, &c, true);
		wire_run(w, 5 * SEC);
		ck_assert_int_eq(w->h[1]->s.state, BFD_STATE_UP);
		uint8_t buf[BFD_MAX_PACKET_LEN], bad[BFD_MAX_PACKET_LEN];
		size_t n = wire_capture(w, 0, buf);
		ck_assert_uint_eq(n, BFD_HDR_LEN + ac->auth_len);
		const struct bfd_session_counters *cn = &w->h[1]->s.counters;
		uint64_t in = cn->packets_in;
		if (ac->type == BFD_AUTH_SIMPLE) {
			/* a password protects nothing but itself */
			memcpy(bad, buf, n);
			bad[BFD_HDR_LEN + 3] ^= 0x20;
			ck_assert_int_eq(wire_inject(w, 1, bad, n), BFD_DROP_AUTH_FAILED);
		} else {
			/* Desired Min TX, Reserved, Sequence Number, digest */
			const size_t at[] = { 12, BFD_HDR_LEN + 3, BFD_HDR_LEN + 7, n - 1 };
			for (size_t k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
				memcpy(bad, buf, n);
				bad[at[k]] ^= 0x01;
				ck_assert_msg(wire_inject(w, 1, bad, n) == BFD_DROP_AUTH_FAILED,
					      "type %u byte %zu", ac->type, at[k]);
			}
			/* any byte, any bit: never accepted */
			for (size_t k = 0; k < n; k++)
				for (int bit = 0; bit < 8; bit++) {
					memcpy(bad, buf, n);
					bad[k] ^= (uint8_t)(1u << bit);
					ck_assert_msg(wire_inject(w, 1, bad, n) != BFD_DROP_NONE,
						      "type %u byte %zu bit %d", ac->type, k, bit);
				}
		}
		ck_assert_uint_eq(cn->packets_in, in);
		ck_assert_uint_gt(cn->drops[BFD_DROP_AUTH_FAILED], 0);
		/* the genuine packet still passes: drops did not move the window */
		ck_assert_int_eq(wire_inject(w, 1, buf, n), BFD_DROP_NONE);
		ck_assert_int_eq(w->h[1]->s.state, BFD_STATE_UP);
		wire_free(w);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bfd_session");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, down_to_init_to_up);
	tcase_add_test(tc, down_to_up_on_init);
	tcase_add_test(tc, init_stays_on_down);
	tcase_add_test(tc, detection_exact);
	tcase_add_test(tc, detection_restarts_on_rx);
	tcase_add_test(tc, init_to_down_on_detection);
	tcase_add_test(tc, up_to_down_on_remote_down);
	tcase_add_test(tc, remote_admin_down_not_failure);
	tcase_add_test(tc, local_admin_down);
	tcase_add_test(tc, slow_tx_before_up);
	tcase_add_test(tc, poll_final_on_up);
	tcase_add_test(tc, poll_on_timer_change);
	tcase_add_test(tc, jitter_bounds);
	tcase_add_test(tc, drops);
	tcase_add_test(tc, remote_asks_silence);
	tcase_add_test(tc, back_to_back);
	tcase_add_test(tc, auth_keyed_sha1_up);
	tcase_add_test(tc, auth_all_types_up);
	tcase_add_test(tc, auth_wrong_secret);
	tcase_add_test(tc, auth_one_sided);
	tcase_add_test(tc, auth_key_rollover);
	tcase_add_test(tc, auth_meticulous_replay);
	tcase_add_test(tc, auth_seq_window);
	tcase_add_test(tc, auth_seq_forgotten);
	tcase_add_test(tc, auth_peer_restart);
	tcase_add_test(tc, auth_tampered);
	suite_add_tcase(s, tc);
	return check_run(s);
}
