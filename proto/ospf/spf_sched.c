/* RFC 8405 SPF back-off state machine (section 5). Three timers, each a
 * deadline or NEVER; nothing here reads a clock. */
#include "proto/ospf/spf_sched.h"

void spf_sched_params_default(struct spf_sched_params *p)
{
	p->initial_delay = 50;
	p->short_delay = 200;
	p->long_delay = 5000;
	p->hold_down = 10000;
	p->time_to_learn = 500;
}

void spf_sched_init(struct spf_sched *s, const struct spf_sched_params *p)
{
	s->p = *p;
	s->state = SPF_QUIET;
	s->spf_at = s->holddown_at = s->learn_at = NEVER;
	s->last_run = 0;
	s->n_runs = s->n_events = 0;
	s->startup = false;
	s->local_until = s->local_since = 0;
	s->local_windows = 0;
}

void spf_sched_set_params(struct spf_sched *s, const struct spf_sched_params *p)
{
	s->p = *p;
}

void spf_sched_startup(struct spf_sched *s)
{
	s->startup = true;
	s->state = SPF_QUIET;
	s->holddown_at = s->learn_at = NEVER;
}

void spf_sched_startup_done(struct spf_sched *s)
{
	s->startup = false;
}

/* Fire the earlier of HOLDDOWN / LEARN if it is due; false if neither is.
 * Both can be due when the daemon was late: take them in time order. */
static bool fire_one(struct spf_sched *s, uint64_t now)
{
	bool learn = s->learn_at <= now, hold = s->holddown_at <= now;
	if (learn && (!hold || s->learn_at <= s->holddown_at)) {
		/* Transition 6: LEARN_TIMER expires in SHORT_WAIT -> LONG_WAIT. */
		s->learn_at = NEVER;
		if (s->state == SPF_SHORT_WAIT)
			s->state = SPF_LONG_WAIT;
		return true;
	}
	if (hold) {
		/* Transitions 4 and 5: the network has been stable for
		 * HOLDDOWN_INTERVAL -> QUIET (5 also stops the LEARN_TIMER). */
		s->holddown_at = NEVER;
		s->learn_at = NEVER;
		s->state = SPF_QUIET;
		return true;
	}
	return false;
}

bool spf_sched_tick(struct spf_sched *s, uint64_t now)
{
	while (fire_one(s, now))
		;
	return s->spf_at <= now;
}

static uint64_t after(uint64_t now, uint32_t ms)
{
	return now > NEVER - 1 - ms ? NEVER - 1 : now + ms;
}

uint64_t spf_sched_event(struct spf_sched *s, uint64_t now)
{
	spf_sched_tick(s, now); /* timers that expired before this event */
	s->n_events++;
	if (s->startup) {
		/* Start-up (see spf_sched.h): not an event of the back-off. */
		if (s->spf_at == NEVER) {
			s->spf_at = after(now, s->p.initial_delay);
			if (s->n_runs && s->spf_at < after(s->last_run, s->p.short_delay))
				s->spf_at = after(s->last_run, s->p.short_delay);
		}
		return s->spf_at;
	}
	switch (s->state) {
	case SPF_QUIET:
		/* Transition 1: first event after a quiet period -> SHORT_WAIT;
		 * react fast, and start learning whether this is a storm. */
		s->spf_at = after(now, s->p.initial_delay);
		s->learn_at = after(now, s->p.time_to_learn);
		s->holddown_at = after(now, s->p.hold_down);
		s->state = SPF_SHORT_WAIT;
		break;
	case SPF_SHORT_WAIT:
	case SPF_LONG_WAIT:
		/* Transitions 2 and 3: restart HOLDDOWN; an SPF already
		 * scheduled keeps its time, else schedule one. */
		s->holddown_at = after(now, s->p.hold_down);
		if (s->spf_at == NEVER)
			s->spf_at = after(now, s->state == SPF_SHORT_WAIT || now < s->local_until
						       ? s->p.short_delay
						       : s->p.long_delay);
		break;
	}
	return s->spf_at;
}

#define LOCAL_WINDOWS 2 /* per HOLDDOWN_INTERVAL: a failure and its return */

uint64_t spf_sched_local_event(struct spf_sched *s, uint64_t now)
{
	spf_sched_tick(s, now);
	if (s->local_windows == 0 || now >= after(s->local_since, s->p.hold_down)) {
		s->local_since = now;
		s->local_windows = 0;
	}
	if (!s->startup && s->state == SPF_LONG_WAIT && s->local_windows < LOCAL_WINDOWS) {
		s->local_windows++;
		s->local_until = after(now, s->p.time_to_learn);
		/* An SPF already waiting the long delay comes sooner. */
		if (s->spf_at != NEVER && s->spf_at > after(now, s->p.short_delay))
			s->spf_at = after(now, s->p.short_delay);
	}
	return spf_sched_event(s, now);
}

void spf_sched_run_done(struct spf_sched *s, uint64_t now)
{
	/* Transitions 7-9: compute SPF, stay in the current state. */
	s->spf_at = NEVER;
	s->last_run = now;
	s->n_runs++;
	spf_sched_tick(s, now);
}

uint64_t spf_sched_next_deadline(const struct spf_sched *s)
{
	uint64_t t = s->spf_at;
	if (s->holddown_at < t)
		t = s->holddown_at;
	if (s->learn_at < t)
		t = s->learn_at;
	return t;
}

const char *spf_sched_state_name(enum spf_sched_state st)
{
	switch (st) {
	case SPF_QUIET:
		return "QUIET";
	case SPF_SHORT_WAIT:
		return "SHORT_WAIT";
	case SPF_LONG_WAIT:
		return "LONG_WAIT";
	}
	return "?";
}

uint32_t spf_sched_current_delay(const struct spf_sched *s)
{
	switch (s->state) {
	case SPF_QUIET:
		return s->p.initial_delay;
	case SPF_SHORT_WAIT:
		return s->p.short_delay;
	case SPF_LONG_WAIT:
		return s->p.long_delay;
	}
	return s->p.initial_delay;
}

bool spf_sched_pending(const struct spf_sched *s)
{
	return s->spf_at != NEVER;
}
