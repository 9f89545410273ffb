/* Dampening of a failing adjacency (proto/bfd/dampen.c) in virtual time. */
#include <check.h>
#include "tests/unit/check_main.h"
#include <stdlib.h>
#include "proto/bfd/dampen.h"

/* The adjacency comes up, then fails at `at`. */
static bool fail_at(struct bfd_dampen *d, const struct bfd_dampen_cfg *c, uint64_t at)
{
	bfd_dampen_up(d);
	return bfd_dampen_failure(d, c, at);
}

static const struct bfd_dampen_cfg cfg = { .threshold = 3, .initial_hold_ms = 1000,
					   .max_hold_ms = 8000 };

START_TEST(off_never_holds)
{
	struct bfd_dampen d = { 0 };
	const struct bfd_dampen_cfg off = { 0 };
	for (uint64_t t = 0; t < 100; t++)
		ck_assert(!fail_at(&d, &off, t * 10));
	ck_assert(!bfd_dampen_held(&d, 1000));
}
END_TEST

START_TEST(holds_from_the_threshold_and_doubles)
{
	struct bfd_dampen d = { 0 };
	uint64_t t = 10000;
	ck_assert(!fail_at(&d, &cfg, t));        /* 1st: no hold */
	ck_assert(!fail_at(&d, &cfg, t += 200)); /* 2nd: no hold */
	ck_assert(fail_at(&d, &cfg, t += 200));  /* 3rd: 1 s */
	ck_assert_uint_eq(bfd_dampen_remaining(&d, t), 1000);
	ck_assert(bfd_dampen_held(&d, t + 999));
	ck_assert(!bfd_dampen_held(&d, t + 1000));
	t += 1100;
	ck_assert(fail_at(&d, &cfg, t)); /* 4th: 2 s */
	ck_assert_uint_eq(d.hold_ms, 2000);
	t += 2100;
	ck_assert(fail_at(&d, &cfg, t)); /* 5th: 4 s */
	ck_assert_uint_eq(d.hold_ms, 4000);
	for (int k = 0; k < 10; k++) /* then capped at the maximum */
		ck_assert(fail_at(&d, &cfg, t += 100));
	ck_assert_uint_eq(d.hold_ms, 8000);
	ck_assert_uint_eq(bfd_dampen_remaining(&d, t), 8000);
}
END_TEST

START_TEST(stable_period_forgets)
{
	struct bfd_dampen d = { 0 };
	uint64_t t = 0;
	fail_at(&d, &cfg, t);
	fail_at(&d, &cfg, t += 10);
	ck_assert(fail_at(&d, &cfg, t += 10)); /* held until t + 1000 */
	/* stable for the maximum hold after the hold-down ended: history gone */
	t += 1000 + 8000;
	ck_assert(!fail_at(&d, &cfg, t));
	ck_assert_uint_eq(d.failures, 1);
	/* but a failure just before that still counts */
	struct bfd_dampen e = { 0 };
	uint64_t u = 0;
	fail_at(&e, &cfg, u);
	fail_at(&e, &cfg, u += 10);
	ck_assert(fail_at(&e, &cfg, u += 10));
	ck_assert(fail_at(&e, &cfg, u + 1000 + 7999));
	ck_assert_uint_eq(e.hold_ms, 2000);
}
END_TEST

START_TEST(one_outage_counts_once)
{
	struct bfd_dampen d = { 0 };
	const struct bfd_dampen_cfg two = { 2, 1000, 8000 };
	ck_assert(!bfd_dampen_failure(&d, &two, 5)); /* never up: nothing to fail */
	ck_assert_uint_eq(d.failures, 0);
	bfd_dampen_up(&d);
	ck_assert(!bfd_dampen_failure(&d, &two, 10)); /* BFD Down */
	ck_assert(!bfd_dampen_failure(&d, &two, 190)); /* then the carrier: same outage */
	ck_assert_uint_eq(d.failures, 1);
	bfd_dampen_up(&d);
	ck_assert(bfd_dampen_failure(&d, &two, 500)); /* a second outage */
	ck_assert_uint_eq(d.failures, 2);
}
END_TEST

START_TEST(threshold_one_holds_at_once)
{
	struct bfd_dampen d = { 0 };
	const struct bfd_dampen_cfg one = { 1, 500, 500 };
	ck_assert(fail_at(&d, &one, 42));
	ck_assert_uint_eq(bfd_dampen_remaining(&d, 42), 500);
	ck_assert(fail_at(&d, &one, 100));
	ck_assert_uint_eq(d.hold_ms, 500);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bfd_dampen");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, off_never_holds);
	tcase_add_test(tc, holds_from_the_threshold_and_doubles);
	tcase_add_test(tc, stable_period_forgets);
	tcase_add_test(tc, one_outage_counts_once);
	tcase_add_test(tc, threshold_one_holds_at_once);
	suite_add_tcase(s, tc);
	return check_run(s);
}
