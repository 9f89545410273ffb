/* Dampening of an adjacency that keeps failing: an exponential hold-down,
 * in the manner of the BFD dampening of routers' operating systems (an
 * initial wait that doubles with every further failure, up to a maximum,
 * forgotten after a stable period). A failing optic or a link that flaps
 * five times a second then stays out of the fabric for a while instead of
 * making every router re-run SPF with each flap. Pure: time is given in
 * milliseconds by the caller. */
#ifndef PROTO_BFD_DAMPEN_H
#define PROTO_BFD_DAMPEN_H

#include <stdbool.h>
#include <stdint.h>

struct bfd_dampen_cfg {
	uint32_t threshold;       /* failures counted before a hold-down; 0 = dampening off */
	uint32_t initial_hold_ms; /* hold-down at the threshold-th failure */
	uint32_t max_hold_ms;     /* doubling stops here; also the stable time that forgets */
};

struct bfd_dampen {
	uint32_t failures;        /* counted since the last stable period */
	uint64_t last_failure_ms;
	uint64_t hold_until_ms;   /* 0: not held */
	uint32_t hold_ms;         /* length of the current (or last) hold-down */
	bool up;                  /* the adjacency came up since the last failure */
};

/* The adjacency is up (BFD Up, carrier back). Only an adjacency that was up
 * can fail: one outage seen twice (the peer's BFD goes quiet, then the
 * carrier drops) counts once. */
void bfd_dampen_up(struct bfd_dampen *d);

/* A failure (BFD Up -> Down, carrier loss) at now. Returns true when it
 * starts a hold-down (until d->hold_until_ms); a failure of an adjacency that
 * was not up since the last one is not counted. */
bool bfd_dampen_failure(struct bfd_dampen *d, const struct bfd_dampen_cfg *c, uint64_t now);

/* Whether the adjacency may not come back yet. */
bool bfd_dampen_held(const struct bfd_dampen *d, uint64_t now);

/* Milliseconds of hold-down left (0 if not held). */
uint64_t bfd_dampen_remaining(const struct bfd_dampen *d, uint64_t now);

#endif
