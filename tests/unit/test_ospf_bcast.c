/* The OSPF engine on a broadcast segment: Waiting, DR/BDR election (9.4),
 * adjacencies only with the DR/BDR, the Network-LSA (12.4.2) and transit
 * links (12.4.1.2). */
#include <check.h>
#include "tests/unit/check_main.h"
#include "tests/unit/ospf_net.h"

#define RID(x) (0x0aff0000u | (x))
#define ADDR(x) (0x0a020000u | (x)) /* 10.2.0.x/24 */
#define MASK24 0xffffff00u
#define DEAD_MS 40000

static struct net net;

static void setup(void)
{
	net_reset(&net);
}

static void teardown(void)
{
	net_free(&net);
}

static struct node *bcast_router(unsigned x, uint8_t prio, uint64_t at)
{
	struct node *nd = net_node(&net, RID(x));
	struct ospf_if_config c = net_default_cfg(2, OSPF_NET_BROADCAST);
	c.priority = prio;
	net_run(&net, at);
	net_attach(nd, &c, 0, ADDR(x), MASK24);
	return nd;
}

static void check_if(struct node *nd, enum ism_state st, uint32_t dr, uint32_t bdr)
{
	struct ospf_if_info ii;
	ck_assert(if_info_of(nd, 2, &ii));
	ck_assert_msg(ii.state == st, "r%u: state %s, want %s", nd->rid & 0xff,
		      ism_state_name(ii.state), ism_state_name(st));
	ck_assert_uint_eq(ii.dr, dr);
	ck_assert_uint_eq(ii.bdr, bdr);
	ck_assert_uint_eq(ii.dr_addr, dr ? ADDR(dr & 0xff) : 0);
	ck_assert_uint_eq(ii.bdr_addr, bdr ? ADDR(bdr & 0xff) : 0);
}

/* r3 has the highest priority: DR. Of the priority-1 routers r4 has the
 * highest router id: BDR. r1 and r2 are DROthers, 2-Way with each other. */
START_TEST(election_four_routers)
{
	struct node *r1 = bcast_router(1, 1, 0);
	struct node *r2 = bcast_router(2, 1, 0);
	struct node *r3 = bcast_router(3, 5, 0);
	struct node *r4 = bcast_router(4, 1, 0);

	net_run(&net, DEAD_MS - 100);
	check_if(r1, ISM_WAITING, 0, 0);
	net_run(&net, DEAD_MS + 1000);
	check_if(r3, ISM_DR, RID(3), RID(4));
	check_if(r4, ISM_BACKUP, RID(3), RID(4));
	check_if(r1, ISM_DROTHER, RID(3), RID(4));
	check_if(r2, ISM_DROTHER, RID(3), RID(4));
	ck_assert(net.nodes[2].ports[0].alldr);
	ck_assert(net.nodes[3].ports[0].alldr);
	ck_assert(!net.nodes[0].ports[0].alldr);

	ck_assert_int_eq(nbr_state(r1, RID(2)), NSM_2WAY);
	ck_assert_int_eq(nbr_state(r2, RID(1)), NSM_2WAY);
	ck_assert_int_eq(nbr_state(r1, RID(3)), NSM_FULL);
	ck_assert_int_eq(nbr_state(r1, RID(4)), NSM_FULL);
	ck_assert_int_eq(nbr_state(r3, RID(4)), NSM_FULL);
	ck_assert_int_eq(nbr_state(r3, RID(1)), NSM_FULL);
	ck_assert_int_eq(nbr_state(r4, RID(2)), NSM_FULL);

	net_run(&net, DEAD_MS + 7000);
	/* The DR's Network-LSA lists every router Full on the segment. */
	for (int i = 0; i < 4; i++) {
		struct node *nd = &net.nodes[i];
		size_t len;
		const uint8_t *lsa = ospf_lsdb_lookup(nd->o, LSA_NETWORK, ADDR(3), 0, &len);
		ck_assert_ptr_nonnull(lsa);
		struct lsa_network nw;
		ck_assert(lsa_network_parse(lsa, len, &nw));
		ck_assert_uint_eq(nw.netmask, MASK24);
		ck_assert_uint_eq(nw.n_routers, 4);
		ck_assert_uint_eq(get32(lsa + 8), RID(3));
		bool seen[5] = { false };
		for (size_t j = 0; j < nw.n_routers; j++) {
			uint32_t r = lsa_network_router_at(&nw, j);
			ck_assert(r >= RID(1) && r <= RID(4));
			seen[r & 0xff] = true;
		}
		ck_assert(seen[1] && seen[2] && seen[3] && seen[4]);
		/* Every Router-LSA has a transit link to the DR's address. */
		for (unsigned x = 1; x <= 4; x++) {
			ck_assert(router_lsa_has_link(nd, RID(x), RTR_LINK_TRANSIT, ADDR(3), ADDR(x), 10));
			ck_assert_uint_eq(router_lsa_n_links(nd, RID(x)), 1);
		}
	}
}
END_TEST

/* A router joining later does not preempt the DR (9.4: an existing DR
 * stays DR), and a lone router becomes DR with a stub network. */
START_TEST(no_preemption_and_lone_dr)
{
	struct node *r1 = bcast_router(1, 1, 0);
	net_run(&net, DEAD_MS + 1000);
	check_if(r1, ISM_DR, RID(1), 0);
	net_run(&net, DEAD_MS + 6000);
	ck_assert(router_lsa_has_link(r1, RID(1), RTR_LINK_STUB, ADDR(0), MASK24, 10));
	ck_assert_ptr_null(ospf_lsdb_lookup(r1->o, LSA_NETWORK, ADDR(1), 0, NULL));

	struct node *r2 = bcast_router(2, 10, DEAD_MS + 6000);
	/* r2 hears a DR and a missing BDR: BackupSeen ends its Waiting early. */
	net_run(&net, DEAD_MS + 7000);
	check_if(r2, ISM_BACKUP, RID(1), RID(2));
	check_if(r1, ISM_DR, RID(1), RID(2));
	ck_assert_int_eq(nbr_state(r1, RID(2)), NSM_FULL);
	net_run(&net, DEAD_MS + 13000);
	ck_assert_ptr_nonnull(ospf_lsdb_lookup(r2->o, LSA_NETWORK, ADDR(1), RID(1), NULL));
	ck_assert(router_lsa_has_link(r1, RID(2), RTR_LINK_TRANSIT, ADDR(1), ADDR(2), 10));
}
END_TEST

/* The DR dies: the BDR takes over, originates the Network-LSA; the old
 * DR's Network-LSA is gone after it ages out or is flushed by it. */
START_TEST(dr_failure_bdr_takes_over)
{
	struct node *r1 = bcast_router(1, 1, 0);
	struct node *r2 = bcast_router(2, 1, 0);
	struct node *r3 = bcast_router(3, 1, 0);
	net_run(&net, DEAD_MS + 7000);
	check_if(r1, ISM_DROTHER, RID(3), RID(2));
	/* r3 leaves silently. */
	r3->ports[0].seg = 7;
	net_run(&net, DEAD_MS + 7000 + DEAD_MS + 1000);
	check_if(r2, ISM_DR, RID(2), RID(1));
	check_if(r1, ISM_BACKUP, RID(2), RID(1));
	ck_assert_int_eq(nbr_state(r1, RID(2)), NSM_FULL);
	net_run(&net, net.now + 6000);
	size_t len;
	const uint8_t *lsa = ospf_lsdb_lookup(r1->o, LSA_NETWORK, ADDR(2), RID(2), &len);
	ck_assert_ptr_nonnull(lsa);
	ck_assert_uint_eq(len, 24 + 2 * 4);
	ck_assert(router_lsa_has_link(r1, RID(1), RTR_LINK_TRANSIT, ADDR(2), ADDR(1), 10));
}
END_TEST

START_TEST(priority_zero_never_dr)
{
	struct node *r1 = bcast_router(1, 0, 0);
	struct node *r2 = bcast_router(2, 1, 0);
	net_run(&net, DEAD_MS + 7000);
	check_if(r1, ISM_DROTHER, RID(2), 0);
	check_if(r2, ISM_DR, RID(2), 0);
	ck_assert_int_eq(nbr_state(r1, RID(2)), NSM_FULL);
}
END_TEST

START_TEST(netmask_mismatch_dropped)
{
	struct node *r1 = bcast_router(1, 1, 0);
	struct node *r2 = net_node(&net, RID(2));
	struct ospf_if_config c = net_default_cfg(2, OSPF_NET_BROADCAST);
	net_attach(r2, &c, 0, ADDR(2), 0xffff0000u);
	net_run(&net, 5000);
	ck_assert_int_eq(nbr_state(r1, RID(2)), NSM_DOWN);
	struct ospf_counters ctr;
	ospf_counters_get(r1->o, &ctr);
	ck_assert_uint_gt(ctr.drops[OSPF_DROP_HELLO_MISMATCH], 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ospf_bcast");
	TCase *tc = tcase_create("broadcast");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, election_four_routers);
	tcase_add_test(tc, no_preemption_and_lone_dr);
	tcase_add_test(tc, dr_failure_bdr_takes_over);
	tcase_add_test(tc, priority_zero_never_dr);
	tcase_add_test(tc, netmask_mismatch_dropped);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite());
}
