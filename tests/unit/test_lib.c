/* proto/lib's small pieces: the growable array, the allocation helpers, the
 * IPv4 formatter, NEVER and the three-way comparison. */
#include <check.h>
#include "tests/unit/check_main.h"
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include "proto/lib/alloc.h"
#include "proto/lib/cmp.h"
#include "proto/lib/deadline.h"
#include "proto/lib/ipv4.h"
#include "proto/lib/vec.h"

START_TEST(vec_grows_and_keeps_contents)
{
	uint32_t *v = NULL;
	size_t n = 0, cap = 0;
	for (uint32_t k = 0; k < 1000; k++) {
		uint32_t *g = vec_grow(v, &cap, n + 1, sizeof(*g));
		ck_assert_ptr_nonnull(g);
		ck_assert_uint_ge(cap, n + 1);
		v = g;
		v[n++] = k * 7;
	}
	for (uint32_t k = 0; k < 1000; k++)
		ck_assert_uint_eq(v[k], k * 7);
	/* Doubling: capacity is a power of two times the minimum, under 2n. */
	ck_assert_uint_lt(cap, 2 * n);
	free(v);
}
END_TEST

START_TEST(vec_room_already_there_is_the_same_array)
{
	size_t cap = 0;
	char *v = vec_grow(NULL, &cap, 3, 1);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(cap, VEC_MIN_CAP);
	size_t before = cap;
	ck_assert_ptr_eq(vec_grow(v, &cap, cap, 1), v);
	ck_assert_uint_eq(cap, before);
	/* A jump past double the capacity lands on a capacity that holds it. */
	v = vec_grow(v, &cap, 1000, 1);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_ge(cap, 1000);
	free(v);
}
END_TEST

START_TEST(vec_overflow_leaves_the_array)
{
	size_t cap = 0;
	uint64_t *v = vec_grow(NULL, &cap, 4, sizeof(*v));
	ck_assert_ptr_nonnull(v);
	v[3] = 42;
	size_t before = cap;
	ck_assert_ptr_null(vec_grow(v, &cap, SIZE_MAX / 4, sizeof(*v)));
	ck_assert_ptr_null(vec_grow(v, &cap, SIZE_MAX, 1));
	ck_assert_uint_eq(cap, before);
	ck_assert_uint_eq(v[3], 42); /* still ours, unchanged */
	free(v);
}
END_TEST

START_TEST(vec_push_appends)
{
	struct pair {
		uint32_t a;
		uint16_t b;
	} *v = NULL;
	size_t n = 0, cap = 0;
	for (uint32_t k = 0; k < 100; k++) {
		struct pair *p = VEC_PUSH(v, n, cap);
		ck_assert_ptr_nonnull(p);
		ck_assert_ptr_eq(p, &v[k]); /* the new last element, v updated */
		ck_assert_uint_eq(n, k + 1);
		*p = (struct pair){ k, (uint16_t)(k ^ 0x55) };
	}
	ck_assert_uint_ge(cap, n);
	for (uint32_t k = 0; k < 100; k++)
		ck_assert(v[k].a == k && v[k].b == (uint16_t)(k ^ 0x55));
	free(v);
}
END_TEST

START_TEST(xvec_grow_never_null)
{
	size_t cap = 0;
	int *v = xvec_grow(NULL, &cap, 0, sizeof(*v));
	ck_assert_ptr_nonnull(v);
	free(v);
	void *p = xmalloc(0), *q = xcalloc(0, 8);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(q);
	p = xrealloc(p, 100);
	ck_assert_ptr_nonnull(p);
	free(p);
	free(q);
}
END_TEST

START_TEST(xmalloc_aborts_when_out_of_memory)
{
	(void)alloc_or_abort(NULL); /* what xmalloc & co. do with a failed allocation */
}
END_TEST

START_TEST(ipv4_dotted)
{
	char b[IPV4_STRLEN], p[IPV4_PREFIX_STRLEN];
	ck_assert_str_eq(ipv4_str(0, b), "0.0.0.0");
	ck_assert_str_eq(ipv4_str(0x0a000001u, b), "10.0.0.1");
	ck_assert_str_eq(ipv4_str(0xffffffffu, b), "255.255.255.255");
	ck_assert_uint_eq(strlen(b) + 1, IPV4_STRLEN);
	ck_assert_str_eq(ipv4_str(0xc0a80102u, b), "192.168.1.2");
	ck_assert_str_eq(ipv4_prefix_str(0xac100000u, 12, p), "172.16.0.0/12");
	ck_assert_str_eq(ipv4_prefix_str(0xffffffffu, 32, p), "255.255.255.255/32");
	ck_assert_uint_eq(strlen(p) + 1, IPV4_PREFIX_STRLEN);
	ck_assert_str_eq(ipv4_prefix_str(0, 0, p), "0.0.0.0/0");
}
END_TEST

START_TEST(never_is_later_than_any_time)
{
	ck_assert(NEVER == UINT64_MAX);
	uint64_t soonest = NEVER;
	uint64_t t[] = { NEVER, 5000, NEVER, 12 };
	for (size_t k = 0; k < 4; k++)
		if (t[k] < soonest)
			soonest = t[k];
	ck_assert_uint_eq(soonest, 12);
}
END_TEST

START_TEST(cmp_orders_unsigned_and_pairs)
{
	ck_assert_int_eq(cmp_uint(1, 2), -1);
	ck_assert_int_eq(cmp_uint(2, 1), 1);
	ck_assert_int_eq(cmp_uint(7, 7), 0);
	ck_assert_int_eq(cmp_uint(0, UINT64_MAX), -1); /* no overflow as a - b would */
	ck_assert_int_eq(cmp_uint(UINT32_MAX, 0), 1);
	/* The first field decides; the second only on a tie. */
	ck_assert_int_eq(cmp_uint(key2(1, 0xffffffffu), key2(2, 0)), -1);
	ck_assert_int_eq(cmp_uint(key2(2, 1), key2(2, 3)), -1);
	ck_assert_int_eq(cmp_uint(key2(0xffffffffu, 0), key2(0, 0xffffffffu)), 1);
	ck_assert_int_eq(cmp_uint(key2(5, 5), key2(5, 5)), 0);
}
END_TEST

static Suite *lib_suite(void)
{
	Suite *s = suite_create("lib");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, vec_grows_and_keeps_contents);
	tcase_add_test(tc, vec_room_already_there_is_the_same_array);
	tcase_add_test(tc, vec_overflow_leaves_the_array);
	tcase_add_test(tc, vec_push_appends);
	tcase_add_test(tc, xvec_grow_never_null);
	tcase_add_test_raise_signal(tc, xmalloc_aborts_when_out_of_memory, SIGABRT);
	tcase_add_test(tc, ipv4_dotted);
	tcase_add_test(tc, never_is_later_than_any_time);
	tcase_add_test(tc, cmp_orders_unsigned_and_pairs);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(lib_suite());
}
