/* BFD session state machine with virtual time (microseconds). */
#include <check.h>
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
		ck_assert(d == BFD_DROP_NONE ||
			  (d == BFD_DROP_ADMIN_DOWN && w->h[to]->s.state == BFD_STATE_ADMIN_DOWN));
	}
}

static void wire_run(struct wire *w, uint64_t until)
{
	uint64_t now = 0;
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
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
