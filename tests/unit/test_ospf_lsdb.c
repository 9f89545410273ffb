/* The LSDB's index and timers (proto/ospf/lsdb.c): insert, replace,
 * lookup by full key and by (type, LS ID), many LSAs, aging to MaxAge and
 * removal, refresh of our own LSAs, and that the next deadline comes from
 * what is due. Driven on the engine's internal API with virtual time. */
#include <check.h>
#include "tests/unit/check_main.h"
#include <stdlib.h>
#include "proto/ospf/ospf_priv.h"

#define ME 0x0aff0001u
#define T0 1000000u

static unsigned changes;

static void on_change(void *ctx, const char *why)
{
	(void)ctx;
	(void)why;
	changes++;
}

static struct ospf *new_ospf(void)
{
	struct ospf_callbacks cb = { .lsdb_change = on_change };
	changes = 0;
	return ospf_new(ME, 0, &cb, T0);
}

/* A Router-LSA (type 1) or, with type 5, an LSA of that type with a
 * 4-byte body; metric distinguishes bodies. */
static size_t make_lsa(uint8_t *buf, uint8_t type, uint32_t id, uint32_t adv, int32_t seq,
		       uint16_t age, uint16_t metric)
{
	struct lsa_hdr h = { .age = age, .options = 2, .type = type, .ls_id = id,
			     .adv_router = adv, .seq = seq };
	struct rtr_link l = { .link_id = id, .link_data = 0xffffffff, .type = RTR_LINK_STUB,
			      .metric = metric };
	return lsa_router_build(buf, 256, &h, 0, &l, 1);
}

static struct lsdb_entry *install(struct ospf *o, uint8_t type, uint32_t id, uint32_t adv,
				  int32_t seq, uint16_t age, uint64_t now)
{
	uint8_t buf[256];
	size_t len = make_lsa(buf, type, id, adv, seq, age, 1);
	return lsdb_install(o, buf, len, true, now);
}

static struct lsdb_entry *find(struct ospf *o, uint8_t type, uint32_t id, uint32_t adv)
{
	struct lsa_key k = { type, id, adv };
	return lsdb_find(&o->db, &k);
}

START_TEST(insert_replace_lookup)
{
	struct ospf *o = new_ospf();
	size_t len = 0;
	ck_assert_ptr_null(ospf_lsdb_lookup(o, LSA_ROUTER, 1, 1, &len));
	struct lsdb_entry *e = install(o, LSA_ROUTER, 1, 1, INITIAL_SEQ, 0, T0);
	ck_assert_ptr_eq(find(o, LSA_ROUTER, 1, 1), e);
	ck_assert_ptr_null(find(o, LSA_ROUTER, 1, 2));
	ck_assert_ptr_null(find(o, LSA_NETWORK, 1, 1));
	ck_assert_ptr_eq(ospf_lsdb_lookup(o, LSA_ROUTER, 1, 1, &len), e->lsa);
	ck_assert_uint_eq(len, e->len);
	ck_assert_uint_eq(changes, 1);

	/* A newer instance replaces the entry in place. */
	uint8_t buf[256];
	len = make_lsa(buf, LSA_ROUTER, 1, 1, INITIAL_SEQ + 1, 0, 7);
	struct lsdb_entry *e2 = lsdb_install(o, buf, len, true, T0 + 10);
	ck_assert_ptr_eq(e2, e);
	ck_assert_uint_eq(o->db.n, 1);
	ck_assert_int_eq(e->hdr.seq, INITIAL_SEQ + 1);
	ck_assert_uint_eq(changes, 2);
	/* Same body again: no SPF. */
	len = make_lsa(buf, LSA_ROUTER, 1, 1, INITIAL_SEQ + 2, 0, 7);
	lsdb_install(o, buf, len, true, T0 + 20);
	ck_assert_uint_eq(changes, 2);
	ospf_free(o);
}
END_TEST

START_TEST(lookup_any_adv_router)
{
	struct ospf *o = new_ospf();
	/* Two Network-LSAs with the same LS ID (an old DR's and a new one's). */
	install(o, LSA_NETWORK, 0x0a000001u, 9, INITIAL_SEQ, 0, T0);
	install(o, LSA_NETWORK, 0x0a000001u, 5, INITIAL_SEQ, 0, T0);
	install(o, LSA_NETWORK, 0x0a000002u, 3, INITIAL_SEQ, 0, T0);
	const uint8_t *lsa = ospf_lsdb_lookup(o, LSA_NETWORK, 0x0a000001u, 0, NULL);
	ck_assert_ptr_nonnull(lsa);
	struct lsa_hdr h;
	lsa_hdr_decode(lsa, &h);
	ck_assert_uint_eq(h.adv_router, 5);
	/* Flushed: the other one is found. */
	install(o, LSA_NETWORK, 0x0a000001u, 5, INITIAL_SEQ + 1, MAX_AGE, T0 + 1);
	lsa = ospf_lsdb_lookup(o, LSA_NETWORK, 0x0a000001u, 0, NULL);
	ck_assert_ptr_nonnull(lsa);
	lsa_hdr_decode(lsa, &h);
	ck_assert_uint_eq(h.adv_router, 9);
	ck_assert_ptr_null(ospf_lsdb_lookup(o, LSA_NETWORK, 0x0a000003u, 0, NULL));
	ospf_free(o);
}
END_TEST

struct walk {
	struct lsa_hdr prev;
	size_t n;
};

static void count_lsa(void *ctx, const struct ospf_lsa_info *x)
{
	struct walk *w = ctx;
	struct lsa_hdr *prev = &w->prev;
	/* ordered by (type, ls_id, adv_router) */
	ck_assert(prev->type < x->hdr.type ||
		  (prev->type == x->hdr.type &&
		   (prev->ls_id < x->hdr.ls_id ||
		    (prev->ls_id == x->hdr.ls_id && prev->adv_router < x->hdr.adv_router))));
	*prev = x->hdr;
	w->n++;
}

/* 100,000 LSAs (Router-LSAs and AS-externals with the same LS IDs): every one is found (by full key and by LS ID), the index
 * has grown with them, foreach is ordered, and half of them age out. */
START_TEST(many_lsas)
{
	struct ospf *o = new_ospf();
	const uint32_t n = 50000;
	for (uint32_t i = 1; i <= n; i++) {
		uint32_t id = i * 2654435761u; /* scattered keys */
		install(o, LSA_ROUTER, id, id, INITIAL_SEQ, i % 2 ? 0 : MAX_AGE - 10, T0);
		install(o, LSA_EXTERNAL, id, i % 7 + 1, INITIAL_SEQ, 0, T0);
	}
	ck_assert_uint_eq(o->db.n, 2 * n);
	ck_assert_uint_ge(o->db.n_buckets, o->db.n);
	for (uint32_t i = 1; i <= n; i++) {
		uint32_t id = i * 2654435761u;
		ck_assert_ptr_nonnull(ospf_lsdb_lookup(o, LSA_ROUTER, id, id, NULL));
		ck_assert_ptr_nonnull(ospf_lsdb_lookup(o, LSA_EXTERNAL, id, 0, NULL));
		ck_assert_ptr_null(ospf_lsdb_lookup(o, LSA_EXTERNAL, id, 99, NULL));
	}
	struct walk w = { { 0 }, 0 };
	ospf_lsdb_foreach(o, T0, count_lsa, &w);
	ck_assert_uint_eq(w.n, 2 * n);

	/* The older half reaches MaxAge 10 s later; with no neighbor to
	 * acknowledge the flush, they leave the database at that tick. */
	ck_assert_uint_eq(ospf_next_deadline(o), T0 + 10000);
	ospf_tick(o, T0 + 9999);
	ck_assert_uint_eq(o->db.n, 2 * n);
	ospf_tick(o, T0 + 10000);
	ck_assert_uint_eq(o->db.n, 2 * n - n / 2);
	for (uint32_t i = 1; i <= n; i++) {
		uint32_t id = i * 2654435761u;
		ck_assert((ospf_lsdb_lookup(o, LSA_ROUTER, id, id, NULL) != NULL) == (i % 2 == 1));
	}
	ck_assert_uint_eq(ospf_next_deadline(o), T0 + ms_of(MAX_AGE));
	ospf_free(o);
}
END_TEST

START_TEST(maxage_removal)
{
	struct ospf *o = new_ospf();
	install(o, LSA_ROUTER, 1, 1, INITIAL_SEQ, MAX_AGE - 2, T0);
	install(o, LSA_ROUTER, 2, 2, INITIAL_SEQ, MAX_AGE - 5, T0);
	install(o, LSA_ROUTER, 3, 3, INITIAL_SEQ, 0, T0);
	ck_assert_uint_eq(ospf_next_deadline(o), T0 + 2000);
	changes = 0;
	ospf_tick(o, T0 + 2000);
	ck_assert_ptr_null(find(o, LSA_ROUTER, 1, 1));
	ck_assert_ptr_nonnull(find(o, LSA_ROUTER, 2, 2));
	ck_assert_uint_eq(changes, 1); /* "lsa aged out": SPF */
	ck_assert_uint_eq(ospf_next_deadline(o), T0 + 5000);
	/* A newer instance before it ages out moves its deadline. */
	install(o, LSA_ROUTER, 2, 2, INITIAL_SEQ + 1, 0, T0 + 4000);
	ck_assert_uint_eq(ospf_next_deadline(o), T0 + ms_of(MAX_AGE));
	/* A flush (MaxAge instance) goes at the next tick. */
	install(o, LSA_ROUTER, 3, 3, INITIAL_SEQ + 1, MAX_AGE, T0 + 4500);
	ck_assert_ptr_nonnull(find(o, LSA_ROUTER, 3, 3));
	ck_assert_ptr_null(ospf_lsdb_lookup(o, LSA_ROUTER, 3, 3, NULL));
	ospf_tick(o, T0 + 4500);
	ck_assert_ptr_null(find(o, LSA_ROUTER, 3, 3));
	ck_assert_uint_eq(o->db.n, 1);
	ck_assert_uint_eq(ospf_next_deadline(o), T0 + 4000 + ms_of(MAX_AGE));
	ospf_free(o);
}
END_TEST

/* Our own LSA is refreshed at LSRefreshTime (new sequence number), then
 * due again LSRefreshTime later. */
/* The only LSA on the MaxAge list is replaced by a newer instance twice
 * (a restarted router's old LSA at MaxAge, then its new instances): it
 * leaves the list cleanly each time (this underflowed the list once). */
START_TEST(maxage_last_entry_replaced)
{
	struct ospf *o = new_ospf();
	struct lsdb_entry *e = install(o, LSA_ROUTER, 2, 2, INITIAL_SEQ, MAX_AGE, T0);
	ck_assert_uint_eq(o->db.n_maxage, 1);
	ck_assert_ptr_eq(install(o, LSA_ROUTER, 2, 2, INITIAL_SEQ + 1, 0, T0 + 10), e);
	ck_assert_uint_eq(o->db.n_maxage, 0);
	ck_assert_ptr_eq(install(o, LSA_ROUTER, 2, 2, INITIAL_SEQ + 2, 0, T0 + 20), e);
	ck_assert_uint_eq(o->db.n_maxage, 0);
	ck_assert_uint_eq(o->db.n_heap, 1);
	ospf_free(o);
}
END_TEST

START_TEST(self_refresh)
{
	struct ospf *o = new_ospf();
	install(o, LSA_ROUTER, 1, 1, INITIAL_SEQ, 0, T0);
	struct lsdb_entry *me = install(o, LSA_ROUTER, ME, ME, INITIAL_SEQ + 4, 100, T0);
	ck_assert_uint_eq(ospf_next_deadline(o), T0 + ms_of(LS_REFRESH_TIME - 100));
	ospf_tick(o, T0 + ms_of(LS_REFRESH_TIME - 100));
	ck_assert_ptr_eq(find(o, LSA_ROUTER, ME, ME), me);
	ck_assert_int_eq(me->hdr.seq, INITIAL_SEQ + 5);
	ck_assert_uint_eq(me->hdr.age, 0);
	ck_assert_uint_eq(ospf_next_deadline(o),
			  T0 + ms_of(LS_REFRESH_TIME - 100) + ms_of(LS_REFRESH_TIME));
	ospf_free(o);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ospf_lsdb");
	TCase *tc = tcase_create("lsdb");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, insert_replace_lookup);
	tcase_add_test(tc, lookup_any_adv_router);
	tcase_add_test(tc, many_lsas);
	tcase_add_test(tc, maxage_removal);
	tcase_add_test(tc, self_refresh);
	tcase_add_test(tc, maxage_last_entry_replaced);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite());
}
