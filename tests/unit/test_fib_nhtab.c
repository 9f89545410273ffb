/* Unit tests of fib/nhtab.c: group keying, sharing, refcounts, repair. */
#include <check.h>
#include "tests/unit/check_main.h"
#include <stdlib.h>

#include "fib/nh.h"
#include "fib/nhtab.h"

#define FIRST 0x10000000u

struct dels {
	uint32_t ids[64];
	int n;
};

static void on_del(void *ctx, const struct nhe *e)
{
	struct dels *d = ctx;

	ck_assert_int_lt(d->n, 64);
	d->ids[d->n++] = e->id;
}

static bool deleted(const struct dels *d, uint32_t id)
{
	for (int i = 0; i < d->n; i++)
		if (d->ids[i] == id)
			return true;
	return false;
}

static const struct fib_nh A = { 0x0a000101, 2, 0 }, B = { 0x0a000201, 3, 0 }, C = { 0x0a000301, 4, 0 };

START_TEST(test_normalize)
{
	struct fib_nh v[] = { B, A, B, A };

	ck_assert_uint_eq(fib_nh_normalize(v, 4), 2);
	ck_assert_int_eq(fib_nh_cmp(&v[0], &A), 0);
	ck_assert_int_eq(fib_nh_cmp(&v[1], &B), 0);
}
END_TEST

START_TEST(test_same_set_shares_group)
{
	struct dels d = { .n = 0 };
	struct nhtab *t = nhtab_new(FIRST, on_del, &d);
	struct fib_nh ab[] = { A, B }, ba[] = { B, A };
	struct nhe *g1 = nhtab_acquire(t, ab, 2);
	struct nhe *g2 = nhtab_acquire(t, ba, 2);

	ck_assert_ptr_nonnull(g1);
	ck_assert_ptr_eq(g1, g2);
	ck_assert(g1->group);
	ck_assert_uint_eq(g1->refs, 2);
	ck_assert_uint_eq(nhtab_count(t), 3);	/* group + 2 singles */
	ck_assert(g1->need_push && g1->mem[0]->need_push);
	ck_assert_uint_ge(g1->id, FIRST);
	ck_assert_uint_eq(g1->mem[0]->refs, 1);
	uint32_t gid = g1->id;
	nhtab_release(t, g1);
	ck_assert_int_eq(d.n, 0);
	nhtab_release(t, g2);
	/* Group deleted before its members. */
	ck_assert_int_eq(d.n, 3);
	ck_assert_uint_eq(d.ids[0], gid);
	ck_assert_uint_eq(nhtab_count(t), 0);
	nhtab_free(t);
}
END_TEST

START_TEST(test_singles_shared_between_groups)
{
	struct dels d = { .n = 0 };
	struct nhtab *t = nhtab_new(FIRST, on_del, &d);
	struct fib_nh ab[] = { A, B }, ac[] = { A, C };
	struct nhe *g1 = nhtab_acquire(t, ab, 2);
	struct nhe *g2 = nhtab_acquire(t, ac, 2);
	struct nhe *s = nhtab_acquire(t, &A, 1);

	ck_assert_ptr_ne(g1, g2);
	ck_assert(!s->group);
	ck_assert_ptr_eq(s, g1->mem[0]);
	ck_assert_ptr_eq(s, g2->mem[0]);
	ck_assert_uint_eq(s->refs, 3);
	ck_assert_uint_eq(nhtab_count(t), 5);
	nhtab_release(t, g1);
	ck_assert_int_eq(d.n, 2);	/* g1 and B */
	ck_assert(!deleted(&d, s->id));
	nhtab_release(t, s);
	nhtab_release(t, g2);
	ck_assert_int_eq(d.n, 5);
	nhtab_free(t);
}
END_TEST

START_TEST(test_ids_skip_reserved)
{
	struct nhtab *t = nhtab_new(FIRST, NULL, NULL);
	struct nhe *e;

	nhtab_reserve(t, FIRST);
	nhtab_reserve(t, FIRST + 1);
	e = nhtab_acquire(t, &A, 1);
	ck_assert_uint_eq(e->id, FIRST + 2);
	ck_assert_ptr_eq(nhtab_by_id(t, FIRST + 2), e);
	ck_assert_ptr_null(nhtab_by_id(t, FIRST));
	nhtab_release(t, e);
	nhtab_free(t);
}
END_TEST

START_TEST(test_bad_sizes)
{
	struct nhtab *t = nhtab_new(FIRST, NULL, NULL);

	ck_assert_ptr_null(nhtab_acquire(t, &A, 0));
	nhtab_free(t);
}
END_TEST

static void on_kill(void *ctx, const struct nhe *e)
{
	on_del(ctx, e);
}

START_TEST(test_drop_ifindex_shrinks_groups)
{
	struct dels d = { .n = 0 }, k = { .n = 0 };
	struct nhtab *t = nhtab_new(FIRST, on_del, &d);
	struct fib_nh ab[] = { A, B };
	struct nhe *g = nhtab_acquire(t, ab, 2);
	struct nhe *sa = g->mem[0];
	struct nhe *only_a = nhtab_acquire(t, &A, 1);
	uint32_t aid = sa->id;

	ck_assert_uint_eq(nhtab_drop(t, A.ifindex, true, 0, on_kill, &k), 1);
	ck_assert_int_eq(k.n, 1);
	ck_assert_uint_eq(k.ids[0], aid);
	ck_assert(!g->dead);
	ck_assert_uint_eq(g->n, 1);
	ck_assert_int_eq(fib_nh_cmp(&g->nh[0], &B), 0);
	ck_assert(only_a->dead);
	/* A new request for {B} reuses nothing dead; {A} makes a fresh object. */
	struct nhe *a2 = nhtab_acquire(t, &A, 1);
	ck_assert_ptr_ne(a2, only_a);
	ck_assert(a2->need_push);
	/* Releasing dead entries sends no delete. */
	nhtab_release(t, only_a);
	ck_assert(!deleted(&d, aid));
	nhtab_release(t, a2);
	nhtab_release(t, g);
	nhtab_free(t);
}
END_TEST

START_TEST(test_drop_gateway_only_and_empty_group)
{
	struct dels k = { .n = 0 };
	struct nhtab *t = nhtab_new(FIRST, NULL, NULL);
	struct fib_nh a_other = { 0x0a000199, A.ifindex, 0 };
	struct fib_nh set[] = { A, a_other };
	struct nhe *g = nhtab_acquire(t, set, 2);

	ck_assert_uint_eq(nhtab_drop(t, A.ifindex, false, A.gw, on_kill, &k), 1);
	ck_assert_uint_eq(g->n, 1);
	ck_assert_uint_eq(g->nh[0].gw, a_other.gw);
	ck_assert_uint_eq(nhtab_drop(t, A.ifindex, true, 0, on_kill, &k), 1);
	ck_assert(g->dead);
	ck_assert_uint_eq(nhtab_drop(t, 99, true, 0, on_kill, &k), 0);
	nhtab_release(t, g);
	ck_assert_uint_eq(nhtab_count(t), 0);
	nhtab_free(t);
}
END_TEST

START_TEST(test_many_groups_grow)
{
	struct nhtab *t = nhtab_new(FIRST, NULL, NULL);
	struct nhe *g[500];

	for (int i = 0; i < 500; i++) {
		struct fib_nh s[2] = { { (uint32_t)i + 1, 2, 0 }, { (uint32_t)i + 1, 3, 0 } };

		g[i] = nhtab_acquire(t, s, 2);
		ck_assert_ptr_nonnull(g[i]);
	}
	ck_assert_uint_eq(nhtab_count(t), 1500);
	for (int i = 0; i < 500; i++) {
		struct fib_nh s[2] = { { (uint32_t)i + 1, 3, 0 }, { (uint32_t)i + 1, 2, 0 } };
		struct nhe *e = nhtab_acquire(t, s, 2);

		ck_assert_ptr_eq(e, g[i]);
		ck_assert_ptr_eq(nhtab_by_id(t, e->id), e);
		nhtab_release(t, e);
		nhtab_release(t, g[i]);
	}
	ck_assert_uint_eq(nhtab_count(t), 0);
	nhtab_free(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fib_nhtab");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_normalize);
	tcase_add_test(tc, test_same_set_shares_group);
	tcase_add_test(tc, test_singles_shared_between_groups);
	tcase_add_test(tc, test_ids_skip_reserved);
	tcase_add_test(tc, test_bad_sizes);
	tcase_add_test(tc, test_drop_ifindex_shrinks_groups);
	tcase_add_test(tc, test_drop_gateway_only_and_empty_group);
	tcase_add_test(tc, test_many_groups_grow);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite());
}
