/* The OSPF engine against a hostile or broken neighbor (issue 11): the
 * indexed request/retransmission lists, LS Requests repeating an LSA,
 * LSAs of unknown type, malformed bodies or the reserved sequence number,
 * bad router IDs, the per-neighbor list bound and RFC 1765 overflow
 * (ospf.max-lsa). Each test failed before its fix. */
#include <check.h>
#include "tests/unit/check_main.h"
#include "proto/ospf/lsalist.h"
#include "proto/ospf/ospf_priv.h"
#include "tests/unit/ospf_net.h"

#define RID(x) (0x0aff0000u | (x))
#define P2P_A 0x0a010000u
#define P2P_B 0x0a010001u
#define P2P_C 0x0a010002u
#define P2P_D 0x0a010003u
#define MASK31 0xfffffffeu

static struct net net;
static struct node *a, *b, *c;

static void setup(void)
{
	net_reset(&net);
	/* a -- b -- c, point-to-point, all Full after 6 s */
	a = net_node(&net, RID(1));
	b = net_node(&net, RID(2));
	c = net_node(&net, RID(3));
	struct ospf_if_config c1 = net_default_cfg(1, OSPF_NET_P2P);
	struct ospf_if_config c2 = net_default_cfg(2, OSPF_NET_P2P);
	net_attach(a, &c1, 0, P2P_A, MASK31);
	net_attach(b, &c1, 0, P2P_B, MASK31);
	net_attach(b, &c2, 1, P2P_C, MASK31);
	net_attach(c, &c1, 1, P2P_D, MASK31);
	net_run(&net, 6000);
	ck_assert_int_eq(nbr_state(b, RID(1)), NSM_FULL);
	ck_assert_int_eq(nbr_state(b, RID(3)), NSM_FULL);
}

static void teardown(void)
{
	net_free(&net);
}

static struct ospf_counters counters(struct node *nd)
{
	struct ospf_counters x;
	ospf_counters_get(nd->o, &x);
	return x;
}

/* An LSU from a (RID 1) to b carrying n LSAs. */
static void lsu_to_b(const uint8_t *const *lsas, size_t n)
{
	static uint8_t buf[MAX_PKT + 64];
	size_t len = ospf_lsupd_encode(buf, MAX_PKT, RID(1), 0, lsas, n);
	ck_assert_uint_gt(len, 0);
	net_inject(b, 0, P2P_A, OSPF_ALLSPF, buf, len);
}

/* An AS-external-LSA for prefix id/24 from adv (A.4.5), seq given. */
static size_t external(uint8_t *x, uint32_t id, uint32_t adv, int32_t seq)
{
	memset(x, 0, 36);
	struct lsa_hdr h = { .options = OSPF_OPT_E, .type = LSA_EXTERNAL, .ls_id = id,
			     .adv_router = adv, .seq = seq, .length = 36 };
	lsa_hdr_encode(x, &h);
	put32(x + 20, id ? 0xffffff00u : 0);
	put32(x + 24, 0x80000014u); /* E bit, metric 20 */
	lsa_set_checksum(x, 36);
	return 36;
}

/* n AS-external-LSAs from a, base + i * 256 (i < n), into x; l points at them. */
static void externals(uint8_t (*x)[36], const uint8_t **l, int n, uint32_t base)
{
	for (int i = 0; i < n; i++) {
		external(x[i], base + ((uint32_t)i << 8), RID(1), INITIAL_SEQ);
		l[i] = x[i];
	}
}

static bool in_lsdb(struct node *nd, uint8_t type, uint32_t id, uint32_t adv)
{
	return ospf_lsdb_lookup(nd->o, type, id, adv, NULL) != NULL;
}

START_TEST(lsa_list_index_matches_a_plain_list)
{
	struct lsa_list l = { 0 };
	static struct lsa_key plain[2500];
	size_t n = 0;
	srand(11);
	for (int step = 0; step < 20000; step++) {
		struct lsa_hdr h = { .type = (uint8_t)(1 + rand() % 5), .ls_id = (uint32_t)(rand() % 97),
				     .adv_router = (uint32_t)(rand() % 5) };
		struct lsa_key k = lsa_key_of(&h);
		size_t at = n;
		for (size_t i = 0; i < n; i++)
			if (lsa_key_eq(&plain[i], &k))
				at = i;
		ck_assert_int_eq(lsa_list_find(&l, &k) != NULL, at < n);
		if (rand() % 3) {
			struct lsa_list_entry *e = lsa_list_put(&l, &h);
			ck_assert_ptr_nonnull(e);
			if (rand() % 4 == 0)
				lsa_list_mark_sent(&l, e);
			if (at == n)
				plain[n++] = k;
		} else {
			ck_assert_int_eq(lsa_list_remove(&l, &k), at < n);
			if (at < n)
				plain[at] = plain[--n];
		}
		ck_assert_uint_eq(l.n, n);
		size_t sent = 0;
		for (size_t i = 0; i < l.n; i++)
			sent += l.e[i].sent;
		ck_assert_uint_eq(l.n_sent, sent);
	}
	lsa_list_clear(&l);
	ck_assert_uint_eq(l.n, 0);
	lsa_list_free(&l);
}
END_TEST

/* One LS Request naming the same (big) LSA thousands of times was answered
 * with one Link State Update per entry: an amplifier. */
START_TEST(lsr_repeating_an_lsa_answered_once)
{
	size_t n = 5000;
	struct ospf_lsreq_entry *e = calloc(n, sizeof *e);
	for (size_t i = 0; i < n; i++)
		e[i] = (struct ospf_lsreq_entry){ LSA_ROUTER, RID(2), RID(2) };
	static uint8_t buf[MAX_PKT + 64];
	size_t len = ospf_lsreq_encode(buf, MAX_PKT, RID(1), 0, e, n);
	ck_assert_uint_gt(len, 0);
	unsigned upd = b->sent[OSPF_LSUPD];
	net_inject(b, 0, P2P_A, OSPF_ALLSPF, buf, len);
	ck_assert_uint_eq(b->sent[OSPF_LSUPD], upd + 1);
	ck_assert_uint_eq(counters(b).lsr_duplicates, n - 1);
	ck_assert_int_eq(nbr_state(b, RID(1)), NSM_FULL);
	free(e);
}
END_TEST

/* RFC 2328 13 step 2: an unknown LS type is discarded: not installed, not
 * flooded, not acknowledged; counted. */
START_TEST(unknown_lsa_type_discarded_and_counted)
{
	uint8_t x[36];
	external(x, 0x0b000000u, RID(1), INITIAL_SEQ);
	x[3] = 6; /* MOSPF group-membership: unknown here */
	lsa_set_checksum(x, 36);
	unsigned acks = b->sent[OSPF_LSACK], upd = b->sent[OSPF_LSUPD];
	const uint8_t *l[1] = { x };
	lsu_to_b(l, 1);
	net_run(&net, net.now + 1000);
	ck_assert_uint_eq(counters(b).lsa_unknown_type, 1);
	ck_assert_uint_eq(b->sent[OSPF_LSACK], acks);
	ck_assert_uint_eq(b->sent[OSPF_LSUPD], upd);
}
END_TEST

/* Router-LSAs whose length is not 24 + their links (20-39 bytes, odd
 * sizes, trailing bytes) were installed and flooded. */
START_TEST(malformed_router_lsa_discarded)
{
	uint8_t x[64];
	struct lsa_hdr h = { .options = OSPF_OPT_E, .type = LSA_ROUTER, .ls_id = RID(9),
			     .adv_router = RID(9), .seq = INITIAL_SEQ };
	struct rtr_link lk = { .link_id = RID(1), .link_data = 1, .type = RTR_LINK_P2P, .metric = 1 };
	size_t sizes[] = { 20, 28, 32, 40 }; /* header only; 0 links + 4/8 bytes; 1 link + 4 */
	for (size_t i = 0; i < 4; i++) {
		memset(x, 0, sizeof x);
		size_t len = lsa_router_build(x, sizeof x, &h, 0, &lk, sizes[i] >= 40 ? 1 : 0);
		ck_assert_uint_gt(len, 0);
		put16(x + 18, (uint16_t)sizes[i]);
		lsa_set_checksum(x, sizes[i]);
		const uint8_t *l[1] = { x };
		lsu_to_b(l, 1);
		ck_assert(!in_lsdb(b, LSA_ROUTER, RID(9), RID(9)));
	}
	ck_assert_uint_eq(counters(b).lsa_malformed, 4);
	/* The well formed one still goes in. */
	size_t len = lsa_router_build(x, sizeof x, &h, 0, &lk, 1);
	const uint8_t *l[1] = { x };
	ck_assert_uint_eq(len, 36);
	lsu_to_b(l, 1);
	ck_assert(in_lsdb(b, LSA_ROUTER, RID(9), RID(9)));
}
END_TEST

/* 12.1.6: the sequence number 0x80000000 is reserved. */
START_TEST(reserved_sequence_number_discarded)
{
	uint8_t x[36];
	external(x, 0x0b000000u, RID(1), (int32_t)0x80000000);
	const uint8_t *l[1] = { x };
	lsu_to_b(l, 1);
	ck_assert(!in_lsdb(b, LSA_EXTERNAL, 0x0b000000u, RID(1)));
	ck_assert_uint_eq(counters(b).lsa_bad_seq, 1);
	external(x, 0x0b000000u, RID(1), INITIAL_SEQ);
	lsu_to_b(l, 1);
	ck_assert(in_lsdb(b, LSA_EXTERNAL, 0x0b000000u, RID(1)));
}
END_TEST

/* Router IDs 0.0.0.0 and 255.255.255.255 became neighbors. */
START_TEST(bad_router_ids_not_neighbors)
{
	uint8_t buf[256];
	struct ospf_hello h = { .netmask = MASK31, .hello_interval = 10, .options = OSPF_OPT_E,
				.priority = 1, .dead_interval = 40 };
	uint32_t bad[2] = { 0, 0xffffffffu };
	for (int i = 0; i < 2; i++) {
		size_t len = ospf_hello_encode(buf, sizeof buf - 64, bad[i], 0, &h, NULL, 0);
		net_inject(b, 0, P2P_A, OSPF_ALLSPF, buf, len);
	}
	struct ospf_iter it;
	struct ospf_nbr_info info;
	size_t n = 0;
	for (ospf_iter_init(&it, b->o); ospf_nbr_next(&it, &info);)
		n++;
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(counters(b).drops[OSPF_DROP_ROUTER_ID], 2);
	ck_assert_str_eq(ospf_drop_name(OSPF_DROP_ROUTER_ID), "bad_router_id");
}
END_TEST

/* RFC 1765: past max-lsa, new non-default AS-external-LSAs are dropped
 * and not acknowledged; the default route's still goes in; OverflowState
 * is left once the count has fallen below the limit. */
START_TEST(max_lsa_overflow_and_recovery)
{
	struct ospf_limits lim = { .max_lsa = 10, .overflow_exit_s = 5 };
	ospf_set_limits(b->o, &lim, net.now);
	uint8_t x[20][36];
	const uint8_t *l[20];
	externals(x, l, 20, 0x0b000000u);
	lsu_to_b(l, 20);
	uint32_t n_ext = 0;
	ck_assert(ospf_overflow_state(b->o, &n_ext));
	ck_assert_uint_eq(n_ext, 10);
	ck_assert_uint_eq(counters(b).lsa_refused_overflow, 10);
	ck_assert(in_lsdb(b, LSA_EXTERNAL, 0x0b000000u, RID(1)));
	ck_assert(!in_lsdb(b, LSA_EXTERNAL, 0x0b000000u + (19u << 8), RID(1)));
	/* Only what was installed is acknowledged. */
	unsigned acks = b->sent[OSPF_LSACK];
	net_run(&net, net.now + 200);
	ck_assert_uint_eq(b->sent[OSPF_LSACK], acks + 1);
	ck_assert_uint_eq(get16(b->last_sent[OSPF_LSACK] + 2), 24 + 10 * 20);
	/* The default route is not counted and not refused. */
	uint8_t dflt[36];
	external(dflt, 0, RID(1), INITIAL_SEQ);
	l[0] = dflt;
	lsu_to_b(l, 1);
	ck_assert(in_lsdb(b, LSA_EXTERNAL, 0, RID(1)));
	/* Still over after the exit interval: stays in OverflowState. */
	net_run(&net, net.now + 6000);
	ck_assert(ospf_overflow_state(b->o, NULL));
	/* The flood stops: 5 flushed (MaxAge), the state is left. */
	for (int i = 0; i < 5; i++) {
		put16(x[i], MAX_AGE);
		put32(x[i] + 12, (uint32_t)INITIAL_SEQ + 1);
		lsa_set_checksum(x[i], 36);
		l[i] = x[i];
	}
	lsu_to_b(l, 5);
	net_run(&net, net.now + 6000);
	ck_assert(!ospf_overflow_state(b->o, &n_ext));
	ck_assert_uint_eq(n_ext, 5);
	l[0] = x[19];
	lsu_to_b(l, 1);
	ck_assert(in_lsdb(b, LSA_EXTERNAL, 0x0b000000u + (19u << 8), RID(1)));
}
END_TEST

/* RFC 1765 2.2-2.4: in OverflowState our own non-default externals are
 * flushed (the default route stays) and come back when the state ends. */
START_TEST(max_lsa_overflow_holds_our_externals)
{
	struct ospf_ext_route r[2] = {
		{ .prefix = 0, .plen = 0, .e2 = true, .metric = 1 },
		{ .prefix = 0xc0000200u, .plen = 24, .e2 = true, .metric = 20 },
	};
	ospf_set_externals(b->o, r, 2, net.now);
	net_run(&net, net.now + 3000);
	ck_assert(in_lsdb(c, LSA_EXTERNAL, 0xc0000200u, RID(2)));
	ck_assert(in_lsdb(c, LSA_EXTERNAL, 0, RID(2)));
	struct ospf_limits lim = { .max_lsa = 10, .overflow_exit_s = 5 };
	ospf_set_limits(b->o, &lim, net.now);
	static uint8_t x[12][36];
	const uint8_t *l[12];
	externals(x, l, 12, 0x0b000000u);
	lsu_to_b(l, 12);
	ck_assert(ospf_overflow_state(b->o, NULL));
	net_run(&net, net.now + 3000);
	ck_assert(!in_lsdb(c, LSA_EXTERNAL, 0xc0000200u, RID(2))); /* flushed */
	ck_assert(in_lsdb(c, LSA_EXTERNAL, 0, RID(2)));           /* the default stays */
	/* The flood ends (flushed): the state ends, ours come back. */
	for (int i = 0; i < 12; i++) {
		put16(x[i], MAX_AGE);
		lsa_set_checksum(x[i], 36);
	}
	lsu_to_b(l, 12);
	net_run(&net, net.now + 12000);
	ck_assert(!ospf_overflow_state(b->o, NULL));
	ck_assert(in_lsdb(c, LSA_EXTERNAL, 0xc0000200u, RID(2)));
}
END_TEST

/* A neighbor that never acknowledges cannot grow our retransmission list
 * past the bound: the adjacency is reset (counted), and forms again once
 * the neighbor behaves. */
START_TEST(retransmission_list_bounded)
{
	struct ospf_limits lim = { .nbr_list_max = 50 };
	ospf_set_limits(b->o, &lim, net.now);
	net.seg_cut[1] = true; /* c hears nothing: never acknowledges */
	static uint8_t x[60][36];
	const uint8_t *l[60];
	externals(x, l, 60, 0x0c000000u);
	lsu_to_b(l, 60);
	ck_assert_uint_eq(counters(b).nbr_list_overflows, 1);
	ck_assert_int_lt(nbr_state(b, RID(3)), NSM_FULL);
	struct ospf_nbr_info ni;
	ck_assert(nbr_info_of(b, RID(3), &ni));
	ck_assert_uint_le(ni.n_retransmit, 50);
	/* a is untouched: all 60 installed. */
	ck_assert(in_lsdb(b, LSA_EXTERNAL, 0x0c000000u + (59u << 8), RID(1)));
	ck_assert_int_eq(nbr_state(b, RID(1)), NSM_FULL);
	net.seg_cut[1] = false;
	ospf_set_limits(b->o, &(struct ospf_limits){ 0 }, net.now);
	net_run(&net, net.now + 20000);
	ck_assert_int_eq(nbr_state(b, RID(3)), NSM_FULL);
	ck_assert(in_lsdb(c, LSA_EXTERNAL, 0x0c000000u + (59u << 8), RID(1)));
}
END_TEST

/* A database description advertising more than the bound resets the
 * exchange instead of growing the request list. */
START_TEST(request_list_bounded)
{
	static uint8_t x[60][36];
	const uint8_t *l[60];
	externals(x, l, 60, 0x0d000000u);
	net.seg_cut[1] = true;
	lsu_to_b(l, 60);
	net_run(&net, net.now + 50000); /* c's adjacency at b times out */
	ck_assert_int_lt(nbr_state(c, RID(2)), NSM_EXSTART);
	struct ospf_limits lim = { .nbr_list_max = 50 };
	ospf_set_limits(c->o, &lim, net.now);
	net.seg_cut[1] = false;
	net_run(&net, net.now + 15000);
	ck_assert_uint_ge(counters(c).nbr_list_overflows, 1);
	ck_assert_int_lt(nbr_state(c, RID(2)), NSM_FULL);
	struct ospf_nbr_info ni;
	ck_assert(nbr_info_of(c, RID(2), &ni));
	ck_assert_uint_le(ni.n_request, 50);
}
END_TEST

/* 13.3: the LSAs of one update go on in one update (they fit), not one
 * update per LSA: a flood of 5,000 LSAs made 5,000 packets per neighbor. */
START_TEST(flooded_together)
{
	static uint8_t x[20][36];
	const uint8_t *l[20];
	externals(x, l, 20, 0x0e000000u);
	unsigned upd = b->sent[OSPF_LSUPD];
	lsu_to_b(l, 20);
	ck_assert_uint_eq(b->sent[OSPF_LSUPD], upd + 1); /* to c only: a sent them */
	net_run(&net, net.now + 100);
	ck_assert(in_lsdb(c, LSA_EXTERNAL, 0x0e000000u + (19u << 8), RID(1)));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ospf_hostile");
	TCase *tl = tcase_create("lists");
	tcase_add_test(tl, lsa_list_index_matches_a_plain_list);
	suite_add_tcase(s, tl);
	TCase *tc = tcase_create("hostile");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, lsr_repeating_an_lsa_answered_once);
	tcase_add_test(tc, unknown_lsa_type_discarded_and_counted);
	tcase_add_test(tc, malformed_router_lsa_discarded);
	tcase_add_test(tc, reserved_sequence_number_discarded);
	tcase_add_test(tc, bad_router_ids_not_neighbors);
	tcase_add_test(tc, max_lsa_overflow_and_recovery);
	tcase_add_test(tc, max_lsa_overflow_holds_our_externals);
	tcase_add_test(tc, retransmission_list_bounded);
	tcase_add_test(tc, request_list_bounded);
	tcase_add_test(tc, flooded_together);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite());
}
