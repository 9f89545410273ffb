/* Exponential hold-down of a failing adjacency (see dampen.h). */
#include "proto/bfd/dampen.h"

void bfd_dampen_up(struct bfd_dampen *d)
{
	d->up = true;
}

bool bfd_dampen_failure(struct bfd_dampen *d, const struct bfd_dampen_cfg *c, uint64_t now)
{
	if (c->threshold == 0 || !d->up)
		return false;
	d->up = false;
	/* A stable period as long as the longest hold-down, counted from the
	 * end of the last hold-down, forgets the history. */
	uint64_t quiet_from = d->hold_until_ms > d->last_failure_ms ? d->hold_until_ms : d->last_failure_ms;
	if (d->failures && now >= quiet_from + c->max_hold_ms)
		d->failures = 0;
	d->failures++;
	d->last_failure_ms = now;
	if (d->failures < c->threshold)
		return false;
	uint64_t hold = c->initial_hold_ms;
	for (uint32_t k = c->threshold; k < d->failures && hold < c->max_hold_ms; k++)
		hold *= 2;
	if (hold > c->max_hold_ms)
		hold = c->max_hold_ms;
	d->hold_ms = (uint32_t)hold;
	d->hold_until_ms = now + hold;
	return true;
}

bool bfd_dampen_held(const struct bfd_dampen *d, uint64_t now)
{
	return d->hold_until_ms > now;
}

uint64_t bfd_dampen_remaining(const struct bfd_dampen *d, uint64_t now)
{
	return d->hold_until_ms > now ? d->hold_until_ms - now : 0;
}
