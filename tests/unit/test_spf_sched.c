/* RFC 8405 SPF back-off, driven with virtual time. */
#include <check.h>
#include "tests/unit/check_main.h"
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/spf_sched.h"

/* Distinct values so each timer is recognisable. */
static const struct spf_sched_params P = {
	.initial_delay = 50, .short_delay = 200, .long_delay = 5000,
	.hold_down = 10000, .time_to_learn = 500,
};

START_TEST(defaults)
{
	struct spf_sched_params p;
	struct spf_sched s;
	spf_sched_params_default(&p);
	ck_assert_uint_eq(p.initial_delay, 50);
	ck_assert_uint_eq(p.short_delay, 200);
	ck_assert_uint_eq(p.long_delay, 5000);
	ck_assert_uint_eq(p.hold_down, 10000);
	ck_assert_uint_eq(p.time_to_learn, 500);
	spf_sched_init(&s, &p);
	ck_assert_int_eq(s.state, SPF_QUIET);
	ck_assert_str_eq(spf_sched_state_name(s.state), "QUIET");
	ck_assert_str_eq(spf_sched_state_name(SPF_SHORT_WAIT), "SHORT_WAIT");
	ck_assert_str_eq(spf_sched_state_name(SPF_LONG_WAIT), "LONG_WAIT");
	ck_assert_uint_eq(spf_sched_next_deadline(&s), NEVER);
	ck_assert(!spf_sched_tick(&s, 123456));
	ck_assert(!spf_sched_pending(&s));
}
END_TEST

/* Transition 1, then 8 (SPF in SHORT_WAIT), then 5 (holddown -> QUIET). */
START_TEST(single_event)
{
	struct spf_sched s;
	spf_sched_init(&s, &P);
	ck_assert_uint_eq(spf_sched_current_delay(&s), 50);
	ck_assert_uint_eq(spf_sched_event(&s, 1000), 1050);
	ck_assert_int_eq(s.state, SPF_SHORT_WAIT);
	ck_assert(spf_sched_pending(&s));
	ck_assert_uint_eq(spf_sched_next_deadline(&s), 1050);
	ck_assert(!spf_sched_tick(&s, 1049));
	ck_assert(spf_sched_tick(&s, 1050));
	spf_sched_run_done(&s, 1050);
	ck_assert(!spf_sched_pending(&s));
	ck_assert_uint_eq(s.n_runs, 1);
	ck_assert_uint_eq(s.last_run, 1050);
	ck_assert_int_eq(s.state, SPF_SHORT_WAIT);
	/* LEARN (1500) fires first: SHORT_WAIT -> LONG_WAIT (transition 6) */
	ck_assert_uint_eq(spf_sched_next_deadline(&s), 1500);
	ck_assert(!spf_sched_tick(&s, 1500));
	ck_assert_int_eq(s.state, SPF_LONG_WAIT);
	ck_assert_uint_eq(spf_sched_current_delay(&s), 5000);
	/* HOLDDOWN (11000): LONG_WAIT -> QUIET (transition 4) */
	ck_assert_uint_eq(spf_sched_next_deadline(&s), 11000);
	ck_assert(!spf_sched_tick(&s, 10999));
	ck_assert_int_eq(s.state, SPF_LONG_WAIT);
	spf_sched_tick(&s, 11000);
	ck_assert_int_eq(s.state, SPF_QUIET);
	ck_assert_uint_eq(spf_sched_next_deadline(&s), NEVER);
}
END_TEST

/* A short burst: second event in SHORT_WAIT uses SHORT_SPF_DELAY
 * (transition 2) and restarts HOLDDOWN; a pending SPF is not delayed. */
START_TEST(short_wait_events)
{
	struct spf_sched s;
	spf_sched_init(&s, &P);
	spf_sched_event(&s, 0);
	/* while SPF pending at 50, another event keeps the SPF time */
	ck_assert_uint_eq(spf_sched_event(&s, 10), 50);
	ck_assert_uint_eq(s.holddown_at, 10010);
	ck_assert(spf_sched_tick(&s, 50));
	spf_sched_run_done(&s, 50);
	/* after the run, an event in SHORT_WAIT waits SHORT_SPF_DELAY */
	ck_assert_uint_eq(spf_sched_current_delay(&s), 200);
	ck_assert_uint_eq(spf_sched_event(&s, 100), 300);
	ck_assert_int_eq(s.state, SPF_SHORT_WAIT);
	ck_assert_uint_eq(s.holddown_at, 10100);
	ck_assert_uint_eq(spf_sched_next_deadline(&s), 300);
	ck_assert(spf_sched_tick(&s, 300));
	spf_sched_run_done(&s, 300);
	ck_assert_uint_eq(s.n_runs, 2);
	ck_assert_uint_eq(s.n_events, 3);
}
END_TEST

/* A storm: once TIME_TO_LEARN is over, events wait LONG_SPF_DELAY
 * (transition 3); HOLDDOWN keeps being pushed back while events arrive. */
START_TEST(storm_long_wait)
{
	struct spf_sched s;
	spf_sched_init(&s, &P);
	uint64_t t = 0, runs = 0;
	spf_sched_event(&s, 0);
	for (t = 1; t <= 30000; t++) {
		if (t % 100 == 0)
			spf_sched_event(&s, t); /* an event every 100 ms for 30 s */
		if (spf_sched_tick(&s, t)) {
			spf_sched_run_done(&s, t);
			runs++;
		}
	}
	ck_assert_int_eq(s.state, SPF_LONG_WAIT);
	/* runs: 50, 300 (short), then long waits: 5600?, ... about every 5 s */
	ck_assert_uint_ge(runs, 7);
	ck_assert_uint_le(runs, 9);
	/* the storm stops: HOLDDOWN after the last event brings QUIET back */
	spf_sched_event(&s, 30001); /* a pending SPF exists already or is made */
	uint64_t spf_at = s.spf_at;
	ck_assert_uint_le(spf_at, 30001 + 5000);
	ck_assert_uint_eq(s.holddown_at, 40001);
	for (; t <= 40001; t++)
		if (spf_sched_tick(&s, t))
			spf_sched_run_done(&s, t);
	ck_assert_int_eq(s.state, SPF_QUIET);
	ck_assert(!spf_sched_pending(&s));
	/* next event is fast again */
	ck_assert_uint_eq(spf_sched_event(&s, 50000), 50050);
	ck_assert_int_eq(s.state, SPF_SHORT_WAIT);
}
END_TEST

/* Transition 5: HOLDDOWN expiring in SHORT_WAIT (hold-down shorter than
 * time-to-learn) returns to QUIET and stops the LEARN timer. */
START_TEST(holddown_in_short_wait)
{
	struct spf_sched_params p = P;
	p.hold_down = 300;
	p.time_to_learn = 1000;
	struct spf_sched s;
	spf_sched_init(&s, &p);
	spf_sched_event(&s, 0);
	ck_assert(spf_sched_tick(&s, 50));
	spf_sched_run_done(&s, 50);
	ck_assert_uint_eq(spf_sched_next_deadline(&s), 300);
	spf_sched_tick(&s, 300);
	ck_assert_int_eq(s.state, SPF_QUIET);
	ck_assert_uint_eq(s.learn_at, NEVER);
	ck_assert_uint_eq(spf_sched_next_deadline(&s), NEVER);
}
END_TEST

/* A late caller: both LEARN and HOLDDOWN expired before this event; they
 * are applied in time order (learn -> LONG, holddown -> QUIET), so the new
 * event is handled from QUIET with the initial delay. */
START_TEST(late_timers)
{
	struct spf_sched s;
	spf_sched_init(&s, &P);
	spf_sched_event(&s, 0);
	spf_sched_run_done(&s, 50);
	ck_assert_uint_eq(spf_sched_event(&s, 20000), 20050);
	ck_assert_int_eq(s.state, SPF_SHORT_WAIT);
	ck_assert_uint_eq(s.learn_at, 20500);
	ck_assert_uint_eq(s.holddown_at, 30000);
}
END_TEST

/* Transition 7: the SPF timer can still fire in QUIET if HOLDDOWN is
 * shorter than the SPF delay; SPF runs and the state stays QUIET. */
START_TEST(spf_in_quiet)
{
	struct spf_sched_params p = P;
	p.initial_delay = 500;
	p.hold_down = 100;
	struct spf_sched s;
	spf_sched_init(&s, &p);
	spf_sched_event(&s, 0);
	ck_assert(!spf_sched_tick(&s, 100));
	ck_assert_int_eq(s.state, SPF_QUIET);
	ck_assert(spf_sched_pending(&s));
	ck_assert_uint_eq(spf_sched_next_deadline(&s), 500);
	ck_assert(spf_sched_tick(&s, 500));
	spf_sched_run_done(&s, 500);
	ck_assert_int_eq(s.state, SPF_QUIET);
	ck_assert(!spf_sched_pending(&s));
}
END_TEST

START_TEST(no_overflow)
{
	struct spf_sched s;
	spf_sched_init(&s, &P);
	ck_assert_uint_lt(spf_sched_event(&s, UINT64_MAX - 10), NEVER);
}
END_TEST

/* Start-up: a burst of events runs SPF at INITIAL_SPF_DELAY, then at most
 * every SHORT_SPF_DELAY, and leaves the back-off QUIET with no timers;
 * after the phase, the first event is transition 1. */
START_TEST(startup_phase)
{
	struct spf_sched s;
	spf_sched_init(&s, &P);
	spf_sched_startup(&s);
	ck_assert_uint_eq(spf_sched_event(&s, 1000), 1050);
	ck_assert_int_eq(s.state, SPF_QUIET);
	ck_assert_uint_eq(spf_sched_next_deadline(&s), 1050);
	/* more events while SPF is pending keep its time */
	ck_assert_uint_eq(spf_sched_event(&s, 1010), 1050);
	ck_assert(spf_sched_tick(&s, 1050));
	spf_sched_run_done(&s, 1050);
	/* an event right after the run: not before last run + SHORT (200) */
	ck_assert_uint_eq(spf_sched_event(&s, 1060), 1250);
	ck_assert(spf_sched_tick(&s, 1250));
	spf_sched_run_done(&s, 1250);
	/* 100 more events over 3 s: the state never leaves QUIET */
	for (uint64_t t = 1300; t < 4300; t += 30) {
		spf_sched_event(&s, t);
		if (spf_sched_tick(&s, t))
			spf_sched_run_done(&s, t);
		ck_assert_int_eq(s.state, SPF_QUIET);
		ck_assert_uint_eq(spf_sched_current_delay(&s), 50);
	}
	/* a late event long after the last run: INITIAL delay only */
	if (spf_sched_tick(&s, 8000))
		spf_sched_run_done(&s, 8000);
	ck_assert_uint_eq(spf_sched_event(&s, 9000), 9050);
	spf_sched_tick(&s, 9050);
	spf_sched_run_done(&s, 9050);
	ck_assert_uint_eq(spf_sched_next_deadline(&s), NEVER);
	/* the database settled: a failure now is transition 1 */
	spf_sched_startup_done(&s);
	ck_assert_uint_eq(spf_sched_event(&s, 10000), 10050);
	ck_assert_int_eq(s.state, SPF_SHORT_WAIT);
	ck_assert_uint_eq(s.learn_at, 10500);
	ck_assert_uint_eq(s.holddown_at, 20000);
}
END_TEST

/* A local event in LONG_WAIT (a failed port's carrier back 2 s after the
 * failure): SHORT delay for the events of the next TIME_TO_LEARN, then
 * LONG again; two windows per HOLDDOWN, the third local event gets none. */
START_TEST(local_event_window)
{
	struct spf_sched s;
	spf_sched_init(&s, &P);
	spf_sched_local_event(&s, 1000); /* the failure: transition 1 */
	ck_assert_int_eq(s.state, SPF_SHORT_WAIT);
	ck_assert(spf_sched_tick(&s, 1050));
	spf_sched_run_done(&s, 1050);
	spf_sched_tick(&s, 1500);
	ck_assert_int_eq(s.state, SPF_LONG_WAIT);
	/* a remote event in LONG_WAIT: LONG delay */
	ck_assert_uint_eq(spf_sched_event(&s, 2000), 7000);
	/* the carrier returns: the pending SPF comes at SHORT */
	ck_assert_uint_eq(spf_sched_local_event(&s, 3000), 3200);
	ck_assert_int_eq(s.state, SPF_LONG_WAIT);
	ck_assert_uint_eq(spf_sched_event(&s, 3100), 3200);
	ck_assert(spf_sched_tick(&s, 3200));
	spf_sched_run_done(&s, 3200);
	/* the neighbor's LSA, within the window: SHORT */
	ck_assert_uint_eq(spf_sched_event(&s, 3300), 3500);
	spf_sched_tick(&s, 3500);
	spf_sched_run_done(&s, 3500);
	/* after the window: LONG */
	ck_assert_uint_eq(spf_sched_event(&s, 3600), 8600);
	spf_sched_tick(&s, 8600);
	spf_sched_run_done(&s, 8600);
	/* the port fails again: a second window */
	ck_assert_uint_eq(spf_sched_local_event(&s, 9000), 9200);
	spf_sched_tick(&s, 9200);
	spf_sched_run_done(&s, 9200);
	/* and again, within HOLDDOWN of the first window: none */
	ck_assert_uint_eq(spf_sched_local_event(&s, 9800), 14800);
	ck_assert_int_eq(s.state, SPF_LONG_WAIT);
	spf_sched_tick(&s, 14800);
	spf_sched_run_done(&s, 14800);
	/* HOLDDOWN after the first window, windows are counted anew */
	ck_assert_uint_eq(spf_sched_local_event(&s, 14900), 15100);
}
END_TEST

/* A reload's new parameters leave the state and the timers alone. */
START_TEST(set_params_keeps_state)
{
	struct spf_sched s;
	spf_sched_init(&s, &P);
	spf_sched_event(&s, 1000);
	spf_sched_tick(&s, 1500);
	ck_assert_int_eq(s.state, SPF_LONG_WAIT);
	struct spf_sched_params q = P;
	q.long_delay = 700;
	spf_sched_set_params(&s, &q);
	ck_assert_int_eq(s.state, SPF_LONG_WAIT);
	ck_assert_uint_eq(spf_sched_current_delay(&s), 700);
	ck_assert_uint_eq(s.holddown_at, 11000);
}
END_TEST

static Suite *sched_suite(void)
{
	Suite *s = suite_create("spf_sched");
	TCase *tc = tcase_create("rfc8405");
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, single_event);
	tcase_add_test(tc, short_wait_events);
	tcase_add_test(tc, storm_long_wait);
	tcase_add_test(tc, holddown_in_short_wait);
	tcase_add_test(tc, late_timers);
	tcase_add_test(tc, spf_in_quiet);
	tcase_add_test(tc, no_overflow);
	tcase_add_test(tc, startup_phase);
	tcase_add_test(tc, set_params_keeps_state);
	tcase_add_test(tc, local_event_window);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(sched_suite());
}
