/* We as AS boundary router, in virtual time: AS-external-LSAs originated
 * for the routes handed in, the Router-LSA's E bit, changes paced by
 * MinLSArrival, flush of withdrawn routes and at shutdown, refresh, the
 * Link State IDs of Appendix E, and the routes a neighbor computes. */
#include <check.h>
#include "tests/unit/check_main.h"
#include "tests/unit/ospf_net.h"
#include "proto/ospf/spf.h"

#define RID(x) (0x0aff0000u | (x))
#define P2P_A 0x0a010000u /* 10.1.0.0/31 */
#define P2P_B 0x0a010001u
#define MASK31 0xfffffffeu
#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static struct net net;
static struct node *a, *b;

static void setup(void)
{
	net_reset(&net);
	net.now = 1000;
	a = net_node(&net, RID(1));
	b = net_node(&net, RID(2));
	struct ospf_if_config c = net_default_cfg(1, OSPF_NET_P2P);
	net_attach(a, &c, 0, P2P_A, MASK31);
	net_attach(b, &c, 0, P2P_B, MASK31);
	net_run(&net, 7000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
}

static void teardown(void)
{
	net_free(&net);
}

static bool ext_of(struct node *nd, uint32_t id, uint32_t adv, struct lsa_external *x,
		   struct lsa_hdr *h)
{
	size_t len;
	const uint8_t *lsa = ospf_lsdb_lookup(nd->o, LSA_EXTERNAL, id, adv, &len);
	if (!lsa)
		return false;
	if (h)
		lsa_hdr_decode(lsa, h);
	ck_assert(lsa_checksum_ok(lsa, len));
	return lsa_external_parse(lsa, len, x);
}

static uint8_t rtr_flags(struct node *nd, uint32_t rid)
{
	size_t len;
	const uint8_t *lsa = ospf_lsdb_lookup(nd->o, LSA_ROUTER, rid, rid, &len);
	ck_assert_ptr_nonnull(lsa);
	return lsa[20];
}

static const struct ospf_ext_route two[] = {
	{ IP(192, 168, 10, 0), 24, true, 20, 0, 0 },
	{ IP(192, 168, 11, 0), 24, false, 7, 0, 99 },
};

START_TEST(originate_and_flush)
{
	ck_assert_uint_eq(rtr_flags(b, RID(1)) & RTR_FLAG_E, 0);
	ospf_set_externals(a->o, two, 2, net.now);
	net_run(&net, net.now + 2500);
	struct lsa_external x;
	ck_assert(ext_of(b, IP(192, 168, 10, 0), RID(1), &x, NULL));
	ck_assert_uint_eq(x.netmask, 0xffffff00u);
	ck_assert(x.e2);
	ck_assert_uint_eq(x.metric, 20);
	ck_assert_uint_eq(x.fwd_addr, 0);
	ck_assert(ext_of(b, IP(192, 168, 11, 0), RID(1), &x, NULL));
	ck_assert(!x.e2);
	ck_assert_uint_eq(x.metric, 7);
	ck_assert_uint_eq(x.tag, 99);
	ck_assert_uint_eq(rtr_flags(b, RID(1)) & RTR_FLAG_E, RTR_FLAG_E);

	/* b's SPF: A is an ASBR, the routes are external via A. */
	struct spf_iface ifs[] = { { 1, P2P_B, MASK31 } };
	struct spf_params p = { .root = RID(2), .ifaces = ifs, .n_ifaces = 1,
				.lookup = ospf_lsdb_lookup, .each = ospf_lsdb_each, .ctx = b->o };
	struct spf_result res;
	ck_assert_int_eq(spf_run(&p, &res), 0);
	size_t found = 0;
	for (size_t i = 0; i < res.n_routes; i++) {
		const struct spf_route *r = &res.routes[i];
		if (r->prefix == IP(192, 168, 10, 0)) {
			ck_assert_uint_eq(r->path, SPF_EXT2);
			ck_assert_uint_eq(r->type2_cost, 20);
			found++;
		} else if (r->prefix == IP(192, 168, 11, 0)) {
			ck_assert_uint_eq(r->path, SPF_EXT1);
			ck_assert_uint_eq(r->cost, 17);
			found++;
		} else {
			continue;
		}
		ck_assert_uint_eq(r->n_nh, 1);
		ck_assert_uint_eq(r->nh[0].addr, P2P_A);
	}
	ck_assert_uint_eq(found, 2);
	/* a ignores its own. */
	p.root = RID(1);
	p.ctx = a->o;
	ifs[0].addr = P2P_A;
	struct spf_result mine;
	ck_assert_int_eq(spf_run(&p, &mine), 0);
	for (size_t i = 0; i < mine.n_routes; i++)
		ck_assert_uint_eq(mine.routes[i].path, SPF_INTRA);
	spf_result_free(&mine);
	spf_result_free(&res);

	/* The same set again: nothing new. */
	struct ospf_counters c0, c1;
	ospf_counters_get(a->o, &c0);
	ospf_set_externals(a->o, two, 2, net.now);
	net_run(&net, net.now + 2500);
	ospf_counters_get(a->o, &c1);
	ck_assert_uint_eq(c1.lsa_originated, c0.lsa_originated);

	/* One withdrawn: flushed, gone from b; the other stays. */
	ospf_set_externals(a->o, two + 1, 1, net.now);
	net_run(&net, net.now + 2500);
	ck_assert(!ext_of(b, IP(192, 168, 10, 0), RID(1), &x, NULL));
	ck_assert(ext_of(b, IP(192, 168, 11, 0), RID(1), &x, NULL));
	/* None: the E bit goes too. */
	ospf_set_externals(a->o, NULL, 0, net.now);
	net_run(&net, net.now + 2500);
	ck_assert(!ext_of(b, IP(192, 168, 11, 0), RID(1), &x, NULL));
	ck_assert_uint_eq(rtr_flags(b, RID(1)) & RTR_FLAG_E, 0);
}
END_TEST

START_TEST(change_paced_by_min_ls_arrival)
{
	struct ospf_ext_route r = { IP(192, 168, 10, 0), 24, true, 20, 0, 0 };
	struct lsa_external x;
	struct lsa_hdr h1, h2;
	ospf_set_externals(a->o, &r, 1, net.now);
	net_run(&net, net.now + 50);
	ck_assert(ext_of(b, IP(192, 168, 10, 0), RID(1), &x, &h1));
	uint64_t t0 = net.now;
	r.metric = 30;
	ospf_set_externals(a->o, &r, 1, net.now);
	net_run(&net, t0 + 500);
	ck_assert(ext_of(b, IP(192, 168, 10, 0), RID(1), &x, NULL));
	ck_assert_uint_eq(x.metric, 20); /* held back: b would drop it (13 (5a)) */
	net_run(&net, t0 + 1500);
	ck_assert(ext_of(b, IP(192, 168, 10, 0), RID(1), &x, &h2));
	ck_assert_uint_eq(x.metric, 30);
	ck_assert_int_eq(h2.seq, h1.seq + 1);
}
END_TEST

/* Withdrawn and back at once: the new instance waits MinLSArrival after
 * the flush, or b would drop it and keep the flushed one. */
START_TEST(readd_after_flush_paced)
{
	struct lsa_external x;
	ospf_set_externals(a->o, two, 1, net.now);
	net_run(&net, net.now + 2000);
	ck_assert(ext_of(b, IP(192, 168, 10, 0), RID(1), &x, NULL));
	uint64_t t0 = net.now;
	ospf_set_externals(a->o, NULL, 0, net.now);
	net_run(&net, t0 + 200);
	ck_assert(!ext_of(b, IP(192, 168, 10, 0), RID(1), &x, NULL));
	ospf_set_externals(a->o, two, 1, net.now);
	net_run(&net, t0 + 700);
	ck_assert(!ext_of(b, IP(192, 168, 10, 0), RID(1), &x, NULL));
	net_run(&net, t0 + 1500);
	ck_assert(ext_of(b, IP(192, 168, 10, 0), RID(1), &x, NULL));
}
END_TEST

static void count_ext(void *ctx, const struct ospf_lsa_info *l)
{
	*(unsigned *)ctx += l->hdr.type == LSA_EXTERNAL;
}

/* Withdrawn, back and withdrawn again while the first flush is still
 * unacknowledged (the link drops everything for a while): once the link
 * works again the last flush is acknowledged and the LSA leaves a's
 * database (14). The entry moves between the LSDB's MaxAge list and its
 * aging heap each time. */
START_TEST(flush_readd_flush_unacked)
{
	ospf_set_externals(a->o, two, 1, net.now);
	net_run(&net, net.now + 2000);
	net.seg_cut[0] = true;
	ospf_set_externals(a->o, NULL, 0, net.now);
	net_run(&net, net.now + 1500);
	ospf_set_externals(a->o, two, 1, net.now);
	net_run(&net, net.now + 1500);
	ospf_set_externals(a->o, NULL, 0, net.now);
	net_run(&net, net.now + 1500);
	ospf_set_externals(a->o, two, 1, net.now);
	net_run(&net, net.now + 1500);
	ospf_set_externals(a->o, NULL, 0, net.now);
	net.seg_cut[0] = false;
	net_run(&net, net.now + 15000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
	unsigned n = 0;
	ospf_lsdb_foreach(a->o, net.now, count_ext, &n);
	ck_assert_uint_eq(n, 0);
	n = 0;
	ospf_lsdb_foreach(b->o, net.now, count_ext, &n);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(refresh_and_shutdown)
{
	struct lsa_external x;
	struct lsa_hdr h1, h2;
	ospf_set_externals(a->o, two, 1, net.now);
	net_run(&net, net.now + 100);
	ck_assert(ext_of(b, IP(192, 168, 10, 0), RID(1), &x, &h1));
	net_run(&net, net.now + LS_REFRESH_TIME * 1000ull + 2000);
	ck_assert(ext_of(b, IP(192, 168, 10, 0), RID(1), &x, &h2));
	ck_assert_int_eq(h2.seq, h1.seq + 1);
	net_run(&net, net.now + 2 * MAX_AGE * 1000ull);
	ck_assert(ext_of(b, IP(192, 168, 10, 0), RID(1), &x, NULL));
	ospf_shutdown(a->o, net.now);
	net_run(&net, net.now + 100);
	ck_assert(!ext_of(b, IP(192, 168, 10, 0), RID(1), &x, NULL));
}
END_TEST

START_TEST(appendix_e_ids)
{
	/* 10.0.0.0/8 and /16 share a network number: the /16 takes
	 * 10.0.255.255. Host bits handed in are cleared. */
	struct ospf_ext_route r[] = {
		{ IP(10, 0, 0, 0), 16, true, 20, 0, 0 },
		{ IP(10, 1, 2, 3), 8, true, 20, 0, 0 },
		{ IP(10, 0, 0, 0), 16, true, 99, 0, 0 }, /* the same prefix twice: one */
		{ IP(10, 9, 0, 0), 16, true, LS_INFINITY, 0, 0 }, /* not a metric */
	};
	ospf_set_externals(a->o, r, 4, net.now);
	net_run(&net, net.now + 100);
	struct lsa_external x;
	ck_assert(ext_of(b, IP(10, 0, 0, 0), RID(1), &x, NULL));
	ck_assert_uint_eq(x.netmask, 0xff000000u);
	ck_assert(ext_of(b, IP(10, 0, 255, 255), RID(1), &x, NULL));
	ck_assert_uint_eq(x.netmask, 0xffff0000u);
	ck_assert(!ext_of(b, IP(10, 9, 0, 0), RID(1), &x, NULL));
	unsigned n = 0;
	for (size_t i = 0; i < 256; i++)
		n += ospf_lsdb_lookup(b->o, LSA_EXTERNAL, IP(10, 0, 0, 0) | (uint32_t)i, 0, NULL) != NULL;
	ck_assert_uint_eq(n, 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ospf_external");
	TCase *tc = tcase_create("asbr");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, originate_and_flush);
	tcase_add_test(tc, change_paced_by_min_ls_arrival);
	tcase_add_test(tc, readd_after_flush_paced);
	tcase_add_test(tc, flush_readd_flush_unacked);
	tcase_add_test(tc, refresh_and_shutdown);
	tcase_add_test(tc, appendix_e_ids);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite());
}
