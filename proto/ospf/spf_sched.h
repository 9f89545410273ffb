/* SPF back-off (RFC 8405): when to run SPF after IGP events. Pure: the
 * daemon feeds events and the current time (ms), arms one timer at
 * spf_sched_next_deadline(), and on expiry calls spf_sched_tick(); when it
 * says SPF is due, it runs SPF and calls spf_sched_run_done(). */
#ifndef PROTO_OSPF_SPF_SCHED_H
#define PROTO_OSPF_SPF_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/lib/deadline.h"

enum spf_sched_state { SPF_QUIET, SPF_SHORT_WAIT, SPF_LONG_WAIT };

/* RFC 8405 section 6 parameters, in ms. */
struct spf_sched_params {
	uint32_t initial_delay; /* INITIAL_SPF_DELAY */
	uint32_t short_delay;   /* SHORT_SPF_DELAY */
	uint32_t long_delay;    /* LONG_SPF_DELAY */
	uint32_t hold_down;     /* HOLDDOWN_INTERVAL */
	uint32_t time_to_learn; /* TIME_TO_LEARN_INTERVAL */
};

struct spf_sched {
	struct spf_sched_params p;
	enum spf_sched_state state;
	uint64_t spf_at;      /* SPF_TIMER, NEVER when not running */
	uint64_t holddown_at; /* HOLDDOWN_TIMER */
	uint64_t learn_at;    /* LEARN_TIMER */
	uint64_t last_run;    /* when SPF last ran (for show) */
	uint64_t n_runs, n_events;
	bool startup;         /* in the start-up phase (spf_sched_startup) */
	uint64_t local_until; /* end of a local event's learning window (LONG_WAIT) */
	uint64_t local_since; /* start of the HOLDDOWN that counts windows */
	unsigned local_windows; /* windows opened since local_since */
};

/* The RFC 8405 section 6 example values: 50 / 200 / 5000 / 10000 / 500 ms. */
void spf_sched_params_default(struct spf_sched_params *p);
void spf_sched_init(struct spf_sched *s, const struct spf_sched_params *p);
/* New parameters (a reload): the state and the timers stay as they are. */
void spf_sched_set_params(struct spf_sched *s, const struct spf_sched_params *p);

/* The start-up phase. RFC 8405 is about churn in a running network: a
 * router coming up sees a burst of events (adjacencies forming, every
 * LSA arriving once) that is not churn, and if the back-off learned from
 * it, the first complete SPF would wait LONG_SPF_DELAY, and so would the
 * reaction to a real failure during the next HOLDDOWN_INTERVAL. So while
 * starting up, events neither move the state nor run the LEARN and
 * HOLDDOWN timers: the state stays QUIET and SPF runs INITIAL_SPF_DELAY
 * after an event, but never sooner than SHORT_SPF_DELAY after the previous
 * run (a start-up burst costs one SPF per SHORT_SPF_DELAY at most). The
 * daemon ends the phase when its database has settled; the next event is
 * then the first of a running network (transition 1). */
void spf_sched_startup(struct spf_sched *s);
void spf_sched_startup_done(struct spf_sched *s);

/* An IGP event (an LSDB change that needs SPF) at `now`. Returns the time
 * SPF should run (the SPF_TIMER). */
uint64_t spf_sched_event(struct spf_sched *s, uint64_t now);

/* An event on one of our own ports (an adjacency of ours came up or went
 * down, carrier loss, BFD Down): a component whose events we know start
 * now. In QUIET and SHORT_WAIT it is an ordinary event. In LONG_WAIT it
 * opens a TIME_TO_LEARN_INTERVAL window in which events get SHORT_SPF_DELAY
 * (RFC 8405 section 6: the time to learn all the events of a single
 * component change), as if this component's change had come in a quiet
 * network; the state and HOLDDOWN go on as for any event, so the storm view
 * stays. At most two such windows per HOLDDOWN_INTERVAL (a port's failure
 * and its return): a port that keeps flapping falls back to LONG_SPF_DELAY
 * (and bfd.dampening holds it out). The case it is for: a failed link's
 * carrier returns a few seconds after the failure, while the back-off is
 * still in LONG_WAIT from it or from other churn. */
uint64_t spf_sched_local_event(struct spf_sched *s, uint64_t now);

/* Fire every timer due at `now` (HOLDDOWN / LEARN move the state; section
 * 5 transitions 4-6). Returns true if SPF is due (SPF_TIMER expired). */
bool spf_sched_tick(struct spf_sched *s, uint64_t now);

/* SPF has run (transitions 7-9): stops the SPF_TIMER, state unchanged. */
void spf_sched_run_done(struct spf_sched *s, uint64_t now);

/* Earliest running timer, or NEVER. */
uint64_t spf_sched_next_deadline(const struct spf_sched *s);

/* For `show spf`: "QUIET" / "SHORT_WAIT" / "LONG_WAIT", the delay the next
 * event would get in the current state, and whether SPF is pending. */
const char *spf_sched_state_name(enum spf_sched_state st);
uint32_t spf_sched_current_delay(const struct spf_sched *s);
bool spf_sched_pending(const struct spf_sched *s);

#endif
