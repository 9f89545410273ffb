/* The OSPF engine end to end on a virtual network: adjacencies on
 * point-to-point links, flooding, aging and refresh, shutdown. */
#include <check.h>
#include "tests/unit/check_main.h"
#include "tests/unit/ospf_net.h"

#define RID(x) (0x0aff0000u | (x))
#define P2P_A 0x0a010000u /* 10.1.0.0/31 */
#define P2P_B 0x0a010001u
#define MASK31 0xfffffffeu

static struct net net;

static void setup(void)
{
	net_reset(&net);
}

static void teardown(void)
{
	net_free(&net);
}

/* r1 -- r2 on segment 0, 10.1.0.0/31 */
static void p2p_pair(struct node **a, struct node **b, const struct ospf_if_config *ca,
		     const struct ospf_if_config *cb)
{
	*a = net_node(&net, RID(1));
	*b = net_node(&net, RID(2));
	struct ospf_if_config da = net_default_cfg(1, OSPF_NET_P2P);
	struct ospf_if_config db = net_default_cfg(1, OSPF_NET_P2P);
	net_attach(*a, ca ? ca : &da, 0, P2P_A, MASK31);
	net_attach(*b, cb ? cb : &db, 0, P2P_B, MASK31);
}

START_TEST(p2p_full_fast)
{
	struct node *a, *b;
	p2p_pair(&a, &b, NULL, NULL);
	net_run(&net, 300);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
	ck_assert_int_eq(nbr_state(b, RID(1)), NSM_FULL);
	ck_assert_uint_gt(a->nbr_changes, 0);

	struct ospf_if_info ii;
	ck_assert(if_info_of(a, 1, &ii));
	ck_assert_int_eq(ii.state, ISM_P2P);
	ck_assert_uint_eq(ii.n_adjacent, 1);

	/* The Router-LSAs with the p2p link follow within MinLSInterval. */
	net_run(&net, 6000);
	for (int i = 0; i < 2; i++) {
		struct node *nd = i ? b : a;
		ck_assert(router_lsa_has_link(nd, RID(1), RTR_LINK_P2P, RID(2), P2P_A, 10));
		ck_assert(router_lsa_has_link(nd, RID(1), RTR_LINK_STUB, P2P_A, MASK31, 10));
		ck_assert(router_lsa_has_link(nd, RID(2), RTR_LINK_P2P, RID(1), P2P_B, 10));
		ck_assert(router_lsa_has_link(nd, RID(2), RTR_LINK_STUB, P2P_A, MASK31, 10));
		ck_assert_uint_eq(router_lsa_n_links(nd, RID(1)), 2);
		ck_assert_uint_gt(nd->lsdb_changes, 0);
	}
	/* Nothing left to retransmit. */
	struct ospf_nbr_info ni;
	ck_assert(nbr_info_of(a, RID(2), &ni));
	ck_assert_uint_eq(ni.n_retransmit, 0);
	ck_assert_uint_eq(ni.n_request, 0);
	ck_assert_uint_gt(ni.full_since_ms, 0);
}
END_TEST

START_TEST(p2p_unnumbered_and_loopback)
{
	struct node *a = net_node(&net, RID(1));
	struct node *b = net_node(&net, RID(2));
	struct ospf_if_config lo = net_default_cfg(9, OSPF_NET_P2P);
	lo.loopback = true;
	lo.passive = true;
	net_attach(a, &lo, 7, RID(1), 0xffffffffu);
	struct ospf_if_config ca = net_default_cfg(3, OSPF_NET_P2P);
	struct ospf_if_config cb = net_default_cfg(4, OSPF_NET_P2P);
	/* Unnumbered: the port borrows the loopback address as a /32. */
	net_attach(a, &ca, 0, RID(1), 0xffffffffu);
	net_attach(b, &cb, 0, RID(2), 0xffffffffu);
	net_run(&net, 6000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
	ck_assert(router_lsa_has_link(b, RID(1), RTR_LINK_P2P, RID(2), 3, 10));
	ck_assert(router_lsa_has_link(b, RID(1), RTR_LINK_STUB, RID(1), 0xffffffffu, 0));
	ck_assert(router_lsa_has_link(a, RID(2), RTR_LINK_P2P, RID(1), 4, 10));
	ck_assert_uint_eq(router_lsa_n_links(b, RID(1)), 2);
}
END_TEST

/* Every address counts: each /32 on the loopback (an anycast service
 * address besides the router id), each subnet of a passive host port and a
 * p2p port's second subnet are stubs in our Router-LSA; removing one of
 * several addresses takes only its stub away and keeps the adjacency. */
START_TEST(every_address_counts)
{
	struct node *a, *b;
	p2p_pair(&a, &b, NULL, NULL);
	struct ospf_if_config lo = net_default_cfg(9, OSPF_NET_P2P);
	lo.loopback = lo.passive = true;
	ospf_if_add(a->o, &lo, net.now);
	const struct ospf_if_addr lo2[] = { { RID(1), 0xffffffffu }, { 0x0ac80001u, 0xffffffffu } };
	ospf_if_set_addrs(a->o, 9, lo2, 2, net.now);
	ospf_if_updown(a->o, 9, true, net.now);
	struct ospf_if_config host = net_default_cfg(3, OSPF_NET_BROADCAST);
	host.passive = true;
	ospf_if_add(a->o, &host, net.now);
	const struct ospf_if_addr h2[] = { { 0x0a010101u, 0xffffff00u }, { 0x0a010201u, 0xffffff00u } };
	ospf_if_set_addrs(a->o, 3, h2, 2, net.now);
	ospf_if_updown(a->o, 3, true, net.now);
	const struct ospf_if_addr p2[] = { { P2P_A, MASK31 }, { 0x0a090901u, 0xffffff00u } };
	ospf_if_set_addrs(a->o, 1, p2, 2, net.now);
	net_run(&net, 6000);
	ck_assert_int_eq(nbr_state(b, RID(1)), NSM_FULL);
	ck_assert(router_lsa_has_link(b, RID(1), RTR_LINK_STUB, RID(1), 0xffffffffu, 0));
	ck_assert(router_lsa_has_link(b, RID(1), RTR_LINK_STUB, 0x0ac80001u, 0xffffffffu, 0));
	ck_assert(router_lsa_has_link(b, RID(1), RTR_LINK_STUB, 0x0a010100u, 0xffffff00u, 10));
	ck_assert(router_lsa_has_link(b, RID(1), RTR_LINK_STUB, 0x0a010200u, 0xffffff00u, 10));
	ck_assert(router_lsa_has_link(b, RID(1), RTR_LINK_STUB, P2P_A, MASK31, 10));
	ck_assert(router_lsa_has_link(b, RID(1), RTR_LINK_STUB, 0x0a090900u, 0xffffff00u, 10));
	ck_assert(router_lsa_has_link(b, RID(1), RTR_LINK_P2P, RID(2), P2P_A, 10));
	ck_assert_uint_eq(router_lsa_n_links(b, RID(1)), 7);

	/* Take one address of each away: the rest stays, the adjacency too. */
	unsigned changes = b->nbr_changes;
	ospf_if_set_addrs(a->o, 9, lo2, 1, net.now);
	ospf_if_set_addrs(a->o, 3, &h2[1], 1, net.now);
	ospf_if_set_addrs(a->o, 1, p2, 1, net.now);
	net_run(&net, 12000);
	ck_assert_int_eq(nbr_state(b, RID(1)), NSM_FULL);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
	ck_assert_uint_eq(b->nbr_changes, changes);
	ck_assert(router_lsa_has_link(b, RID(1), RTR_LINK_STUB, RID(1), 0xffffffffu, 0));
	ck_assert(!router_lsa_has_link(b, RID(1), RTR_LINK_STUB, 0x0ac80001u, 0xffffffffu, 0));
	ck_assert(!router_lsa_has_link(b, RID(1), RTR_LINK_STUB, 0x0a010100u, 0xffffff00u, 10));
	ck_assert(router_lsa_has_link(b, RID(1), RTR_LINK_STUB, 0x0a010200u, 0xffffff00u, 10));
	ck_assert(!router_lsa_has_link(b, RID(1), RTR_LINK_STUB, 0x0a090900u, 0xffffff00u, 10));
	ck_assert_uint_eq(router_lsa_n_links(b, RID(1)), 4);
}
END_TEST

/* The primary address: the first that is not a /32, else the first; a p2p
 * port with only /32s is unnumbered (link data = ifindex, no stub). */
START_TEST(primary_address_rule)
{
	const struct ospf_if_addr v[] = { { RID(1), 0xffffffffu }, { 0x0a000001u, 0xffffff00u },
					  { 0x0a000101u, 0xffffff00u } };
	ck_assert_uint_eq(ospf_addr_primary(v, 3), 1);
	ck_assert_uint_eq(ospf_addr_primary(v, 1), 0);
	ck_assert_uint_eq(ospf_addr_primary(&v[2], 1), 0);
	ck_assert_uint_eq(ospf_addr_primary(v, 0), 0);

	struct node *a = net_node(&net, RID(1));
	struct node *b = net_node(&net, RID(2));
	struct ospf_if_config ca = net_default_cfg(3, OSPF_NET_P2P);
	struct ospf_if_config cb = net_default_cfg(4, OSPF_NET_P2P);
	net_attach(a, &ca, 0, RID(1), 0xffffffffu);
	net_attach(b, &cb, 0, RID(2), 0xffffffffu);
	/* Two /32s (loopback and anycast) on the port: still unnumbered. */
	const struct ospf_if_addr two[] = { { RID(1), 0xffffffffu }, { 0x0ac80001u, 0xffffffffu } };
	ospf_if_set_addrs(a->o, 3, two, 2, net.now);
	net_run(&net, 6000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
	ck_assert(router_lsa_has_link(b, RID(1), RTR_LINK_P2P, RID(2), 3, 10));
	ck_assert_uint_eq(router_lsa_n_links(b, RID(1)), 1);
}
END_TEST

/* 400 routers on one broadcast segment: no fixed limit drops any of them.
 * Every one is a neighbor and a DR candidate (the winner, priority 2, is
 * the first heard, i.e. the last in the list); our Hello lists as many as
 * fit the MTU (a protocol limit: one packet) and counts the rest. */
static void hello_from_many(struct node *a, int n, uint32_t me)
{
	for (int i = 1; i <= n; i++) {
		uint8_t buf[512];
		struct ospf_hello h = { .netmask = 0xffff0000u, .hello_interval = 10,
					.options = OSPF_OPT_E, .priority = i == 1 ? 2 : 1,
					.dead_interval = 40 };
		size_t len = ospf_hello_encode(buf, sizeof buf - 64, RID(1000 + i), 0, &h, &me, 1);
		net_inject(a, 0, 0x0a050000u + 1 + (uint32_t)i, OSPF_ALLSPF, buf, len);
	}
}

START_TEST(many_neighbors_on_a_segment)
{
	enum { N = 400 };
	struct node *a = net_node(&net, RID(1));
	struct ospf_if_config c = net_default_cfg(1, OSPF_NET_BROADCAST);
	net_attach(a, &c, 0, 0x0a050001u, 0xffff0000u);
	hello_from_many(a, N, RID(1));
	net_run(&net, 30000);
	hello_from_many(a, N, RID(1));
	net_run(&net, 41000); /* past the Wait timer: the election has run */
	struct ospf_if_info ii;
	ck_assert(if_info_of(a, 1, &ii));
	ck_assert_uint_eq(ii.n_neighbors, N);
	ck_assert_uint_eq(ii.dr, RID(1001));

	struct ospf_packet p;
	ck_assert_int_eq(ospf_decode(a->last_sent[OSPF_HELLO], a->last_sent_len[OSPF_HELLO], &p),
			 OSPF_OK);
	size_t fit = (1500 - 20 - OSPF_HDR_LEN - OSPF_HELLO_FIXED_LEN) / 4;
	ck_assert_uint_eq(p.u.hello.n_neighbors, fit);
	struct ospf_counters ctr;
	ospf_counters_get(a->o, &ctr);
	ck_assert_uint_ge(ctr.hello_nbrs_omitted, N - fit);
}
END_TEST

START_TEST(dead_interval_expiry)
{
	struct node *a, *b;
	p2p_pair(&a, &b, NULL, NULL);
	net_run(&net, 6000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
	unsigned changes = a->lsdb_changes;
	net.seg_cut[0] = true; /* silent failure */
	net_run(&net, 6000 + 41000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_DOWN);
	ck_assert_int_eq(a->last_new_state, NSM_DOWN);
	net_run(&net, 6000 + 47000);
	ck_assert(!router_lsa_has_link(a, RID(1), RTR_LINK_P2P, RID(2), P2P_A, 10));
	ck_assert(router_lsa_has_link(a, RID(1), RTR_LINK_STUB, P2P_A, MASK31, 10));
	ck_assert_uint_gt(a->lsdb_changes, changes);
}
END_TEST

/* The master (higher Router ID) drops the adjacency on its own (a BFD Down
 * seen only on its side) while the link works: its initial DD reaches the
 * slave in Full, and the adjacency forms again at once, not a
 * RxmtInterval (5 s) later when the master would retransmit. */
START_TEST(master_restart_reforms_at_once)
{
	struct node *a, *b;
	p2p_pair(&a, &b, NULL, NULL);
	net_run(&net, 10000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
	ospf_nbr_kill(b->o, 1, P2P_A, net.now);
	ck_assert_int_eq(nbr_state(b, RID(1)), NSM_DOWN);
	net_run(&net, 10000 + 1500);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
	ck_assert_int_eq(nbr_state(b, RID(1)), NSM_FULL);
}
END_TEST

/* We are master-to-be (higher router id) and the slave dropped our
 * initial DD: its own initial DD (I, M, MS) tells us it is in ExStart now,
 * and ours goes again at once instead of after RxmtInterval; the slave's
 * answer then starts the exchange. */
START_TEST(master_resends_initial_dd_to_slave)
{
	struct node *m = net_node(&net, RID(2));
	struct ospf_if_config c = net_default_cfg(1, OSPF_NET_P2P);
	net_attach(m, &c, 0, P2P_B, MASK31);
	net.seg_cut[0] = true; /* what m sends is lost */
	uint8_t buf[256];
	uint32_t me = RID(2);
	struct ospf_hello h = { .netmask = MASK31, .hello_interval = 10, .options = OSPF_OPT_E,
				.priority = 1, .dead_interval = 40 };
	size_t len = ospf_hello_encode(buf, sizeof buf - 64, RID(1), 0, &h, &me, 1);
	net_inject(m, 0, P2P_A, OSPF_ALLSPF, buf, len);
	ck_assert_int_eq(nbr_state(m, RID(1)), NSM_EXSTART);
	unsigned dd_sent = m->sent[OSPF_DBDESC];
	ck_assert_uint_ge(dd_sent, 1);
	uint32_t m_seq = get32(m->last_sent[OSPF_DBDESC] + 28);
	/* the slave's initial DD, 100 ms later */
	net_run(&net, net.now + 100);
	struct ospf_dbdesc d = { .mtu = 1500, .options = OSPF_OPT_E,
				 .flags = OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS, .dd_seq = 777 };
	len = ospf_dbdesc_encode(buf, sizeof buf - 64, RID(1), 0, &d, NULL, 0);
	net_inject(m, 0, P2P_A, OSPF_ALLSPF, buf, len);
	ck_assert_uint_eq(m->sent[OSPF_DBDESC], dd_sent + 1);
	const uint8_t *again = m->last_sent[OSPF_DBDESC];
	ck_assert_uint_eq(again[27] & (OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS),
			  OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS);
	ck_assert_uint_eq(get32(again + 28), m_seq);
	/* the slave answers it: negotiation done, m is master */
	struct ospf_dbdesc ans = { .mtu = 1500, .options = OSPF_OPT_E, .flags = OSPF_DD_M,
				   .dd_seq = m_seq };
	len = ospf_dbdesc_encode(buf, sizeof buf - 64, RID(1), 0, &ans, NULL, 0);
	net_inject(m, 0, P2P_A, OSPF_ALLSPF, buf, len);
	ck_assert_int_ge(nbr_state(m, RID(1)), NSM_EXCHANGE);
}
END_TEST

START_TEST(kill_nbr_is_immediate)
{
	struct node *a, *b;
	p2p_pair(&a, &b, NULL, NULL);
	net_run(&net, 10000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
	unsigned changes = a->lsdb_changes;
	net.seg_cut[0] = true;
	ospf_nbr_kill(a->o, 1, P2P_B, net.now);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_DOWN);
	ck_assert_int_eq(a->last_new_state, NSM_DOWN);
	/* Last origination was > MinLSInterval ago: re-originated at once. */
	ck_assert(!router_lsa_has_link(a, RID(1), RTR_LINK_P2P, RID(2), P2P_A, 10));
	ck_assert_uint_gt(a->lsdb_changes, changes);
}
END_TEST

START_TEST(mtu_mismatch_stays_exstart)
{
	struct node *a, *b;
	struct ospf_if_config ca = net_default_cfg(1, OSPF_NET_P2P);
	struct ospf_if_config cb = net_default_cfg(1, OSPF_NET_P2P);
	cb.mtu = 9000;
	p2p_pair(&a, &b, &ca, &cb);
	net_run(&net, 20000);
	struct ospf_nbr_info ni;
	ck_assert(nbr_info_of(a, RID(2), &ni));
	ck_assert_int_eq(ni.state, NSM_EXSTART);
	ck_assert(ni.mtu_mismatch);
	ck_assert_int_ne(nbr_state(b, RID(1)), NSM_FULL);
}
END_TEST

static void set_md5(struct ospf_if_config *c, const char *secret)
{
	c->auth.type = OSPF_AUTH_CRYPTO;
	c->auth.n_keys = 1;
	c->auth.keys[0].id = 1;
	snprintf(c->auth.keys[0].secret, sizeof c->auth.keys[0].secret, "%s", secret);
}

START_TEST(md5_match_full)
{
	struct node *a, *b;
	struct ospf_if_config ca = net_default_cfg(1, OSPF_NET_P2P);
	struct ospf_if_config cb = net_default_cfg(1, OSPF_NET_P2P);
	set_md5(&ca, "fabric-secret");
	set_md5(&cb, "fabric-secret");
	p2p_pair(&a, &b, &ca, &cb);
	net_run(&net, 6000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
	ck_assert_int_eq(nbr_state(b, RID(1)), NSM_FULL);
	struct ospf_counters c;
	ospf_counters_get(a->o, &c);
	ck_assert_uint_eq(c.drops[OSPF_DROP_AUTH_FAIL], 0);
	ck_assert_uint_eq(c.drops[OSPF_DROP_AUTH_SEQ], 0);
}
END_TEST

START_TEST(md5_mismatch_no_adjacency)
{
	struct node *a, *b;
	struct ospf_if_config ca = net_default_cfg(1, OSPF_NET_P2P);
	struct ospf_if_config cb = net_default_cfg(1, OSPF_NET_P2P);
	set_md5(&ca, "fabric-secret");
	set_md5(&cb, "other-secret");
	p2p_pair(&a, &b, &ca, &cb);
	net_run(&net, 30000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_DOWN);
	struct ospf_counters c;
	ospf_counters_get(a->o, &c);
	ck_assert_uint_gt(c.drops[OSPF_DROP_AUTH_FAIL], 0);
}
END_TEST

START_TEST(hello_interval_mismatch)
{
	struct node *a, *b;
	struct ospf_if_config ca = net_default_cfg(1, OSPF_NET_P2P);
	struct ospf_if_config cb = net_default_cfg(1, OSPF_NET_P2P);
	cb.hello_interval = 5;
	p2p_pair(&a, &b, &ca, &cb);
	net_run(&net, 30000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_DOWN);
	ck_assert_int_eq(nbr_state(b, RID(1)), NSM_DOWN);
	struct ospf_counters c;
	ospf_counters_get(a->o, &c);
	ck_assert_uint_gt(c.drops[OSPF_DROP_HELLO_MISMATCH], 0);
}
END_TEST

/* r1 -- r2 -- r3: r1-r2 on segment 0 (10.1.0.0/31), r2-r3 on segment 1 (10.1.0.2/31) */
static void line3(struct node **a, struct node **b, struct node **c)
{
	*a = net_node(&net, RID(1));
	*b = net_node(&net, RID(2));
	*c = net_node(&net, RID(3));
	struct ospf_if_config c1 = net_default_cfg(1, OSPF_NET_P2P);
	struct ospf_if_config c2 = net_default_cfg(2, OSPF_NET_P2P);
	struct ospf_if_config stub = net_default_cfg(5, OSPF_NET_BROADCAST);
	stub.passive = true;
	net_attach(*a, &c1, 0, P2P_A, MASK31);
	net_attach(*a, &stub, 5, 0x0a0a0001u, 0xffffff00u);
	net_attach(*b, &c1, 0, P2P_B, MASK31);
	net_attach(*b, &c2, 1, 0x0a010002u, MASK31);
	net_attach(*c, &c1, 1, 0x0a010003u, MASK31);
	net_run(&net, 6000);
}

START_TEST(flood_new_instance_through_line)
{
	struct node *a, *b, *c;
	line3(&a, &b, &c);
	ck_assert_int_eq(nbr_state(b, RID(1)), NSM_FULL);
	ck_assert_int_eq(nbr_state(b, RID(3)), NSM_FULL);
	for (int i = 0; i < 3; i++) {
		struct node *nd = &net.nodes[i];
		ck_assert(router_lsa_has_link(nd, RID(1), RTR_LINK_STUB, 0x0a0a0000u, 0xffffff00u, 10));
		ck_assert(router_lsa_has_link(nd, RID(3), RTR_LINK_P2P, RID(2), 0x0a010003u, 10));
	}
	int32_t seq = lsa_seq_of(c, LSA_ROUTER, RID(1), RID(1));
	/* r1 changes the cost of its stub: a new instance reaches r3 via r2. */
	struct ospf_if_config stub = net_default_cfg(5, OSPF_NET_BROADCAST);
	stub.passive = true;
	stub.cost = 77;
	ospf_if_update(a->o, &stub, net.now);
	net_run(&net, net.now + 5200);
	ck_assert(router_lsa_has_link(c, RID(1), RTR_LINK_STUB, 0x0a0a0000u, 0xffffff00u, 77));
	ck_assert_int_eq(lsa_seq_of(c, LSA_ROUTER, RID(1), RID(1)), seq + 1);
	/* Acknowledged everywhere: nothing left on retransmission lists. */
	net_run(&net, net.now + 1000);
	struct ospf_nbr_info ni;
	ck_assert(nbr_info_of(b, RID(3), &ni));
	ck_assert_uint_eq(ni.n_retransmit, 0);
	ck_assert(nbr_info_of(a, RID(2), &ni));
	ck_assert_uint_eq(ni.n_retransmit, 0);
}
END_TEST

/* Hand-made LSU from r1 (on b's port 0) carrying one LSA. */
static void inject_lsu(struct node *to, uint32_t from_rid, uint32_t src, const uint8_t *lsa)
{
	uint8_t buf[2048];
	const uint8_t *lsas[1] = { lsa };
	size_t len = ospf_lsupd_encode(buf, sizeof buf - 64, from_rid, 0, lsas, 1);
	ck_assert_uint_gt(len, 0);
	net_inject(to, 0, src, OSPF_ALLSPF, buf, len);
}

static size_t copy_lsa(struct node *nd, uint8_t type, uint32_t id, uint32_t adv, uint8_t *out)
{
	size_t len = 0;
	const uint8_t *lsa = ospf_lsdb_lookup(nd->o, type, id, adv, &len);
	ck_assert_ptr_nonnull(lsa);
	memcpy(out, lsa, len);
	return len;
}

START_TEST(flood_older_same_and_maxage)
{
	struct node *a, *b, *c;
	line3(&a, &b, &c);
	uint8_t lsa[512];
	size_t len = copy_lsa(b, LSA_ROUTER, RID(1), RID(1), lsa);
	int32_t seq = (int32_t)get32(lsa + 12);

	/* The same instance again: a direct acknowledgment. */
	unsigned acks = b->sent[OSPF_LSACK];
	inject_lsu(b, RID(1), P2P_A, lsa);
	ck_assert_uint_eq(b->sent[OSPF_LSACK], acks + 1);
	ck_assert_int_eq((int32_t)get32(b->last_sent[OSPF_LSACK] + 24 + 12), seq);

	/* An older instance: answered with our newer copy. The first instance
	 * has InitialSequenceNumber, and the one below is reserved (12.1.6,
	 * discarded): r1 originates a second instance first. */
	ospf_set_max_metric(a->o, true, net.now);
	net_run(&net, net.now + 6000);
	len = copy_lsa(b, LSA_ROUTER, RID(1), RID(1), lsa);
	seq = (int32_t)get32(lsa + 12);
	ck_assert_int_gt(seq, INITIAL_SEQ);
	unsigned upd = b->sent[OSPF_LSUPD];
	put32(lsa + 12, (uint32_t)(seq - 1));
	lsa_set_checksum(lsa, len);
	inject_lsu(b, RID(1), P2P_A, lsa);
	ck_assert_uint_eq(b->sent[OSPF_LSUPD], upd + 1);
	const uint8_t *sent = b->last_sent[OSPF_LSUPD];
	ck_assert_uint_eq(get32(sent + 24), 1);                      /* one LSA */
	ck_assert_uint_eq(get32(sent + 28 + 8), RID(1));             /* adv router */
	ck_assert_int_eq((int32_t)get32(sent + 28 + 12), seq);       /* our newer instance */

	/* A foreign LSA appears, then is flushed: gone everywhere after acks. */
	uint8_t x[128];
	struct lsa_hdr h = { .options = OSPF_OPT_E, .type = LSA_ROUTER, .ls_id = RID(9),
			     .adv_router = RID(9), .seq = INITIAL_SEQ };
	struct rtr_link l = { .link_id = RID(1), .link_data = 0x0a090001u, .type = RTR_LINK_P2P,
			      .metric = 1 };
	size_t xl = lsa_router_build(x, sizeof x, &h, 0, &l, 1);
	inject_lsu(b, RID(1), P2P_A, x);
	net_run(&net, net.now + 500);
	ck_assert_ptr_nonnull(ospf_lsdb_lookup(c->o, LSA_ROUTER, RID(9), RID(9), NULL));
	/* Not sent back to where it came from (13.3 step 1c). */
	ck_assert_ptr_null(ospf_lsdb_lookup(a->o, LSA_ROUTER, RID(9), RID(9), NULL));
	net_run(&net, net.now + 2000); /* beyond MinLSArrival */
	put16(x, MAX_AGE);
	unsigned changes = c->lsdb_changes;
	inject_lsu(b, RID(1), P2P_A, x);
	ck_assert_ptr_null(ospf_lsdb_lookup(b->o, LSA_ROUTER, RID(9), RID(9), NULL));
	net_run(&net, net.now + 500);
	ck_assert_ptr_null(ospf_lsdb_lookup(c->o, LSA_ROUTER, RID(9), RID(9), NULL));
	ck_assert_uint_gt(c->lsdb_changes, changes);
	ck_assert_uint_gt(xl, 0);
	struct ospf_nbr_info ni;
	ck_assert(nbr_info_of(b, RID(3), &ni));
	ck_assert_uint_eq(ni.n_retransmit, 0);
}
END_TEST

static void count_lsas(void *ctx, const struct ospf_lsa_info *info)
{
	(*(unsigned *)ctx)++;
	(void)info;
}

static unsigned lsdb_size(struct node *nd)
{
	unsigned n = 0;
	ospf_lsdb_foreach(nd->o, net.now, count_lsas, &n);
	return n;
}

START_TEST(maxage_removed_from_db)
{
	struct node *a, *b, *c;
	line3(&a, &b, &c);
	ck_assert_uint_eq(lsdb_size(b), 3);
	uint8_t x[128];
	struct lsa_hdr h = { .options = OSPF_OPT_E, .type = LSA_ROUTER, .ls_id = RID(9),
			     .adv_router = RID(9), .seq = INITIAL_SEQ };
	struct rtr_link l = { .link_id = RID(1), .link_data = 0x0a090001u, .type = RTR_LINK_P2P,
			      .metric = 1 };
	lsa_router_build(x, sizeof x, &h, 0, &l, 1);
	inject_lsu(b, RID(1), P2P_A, x);
	net_run(&net, net.now + 2000);
	ck_assert_uint_eq(lsdb_size(c), 4);
	put16(x, MAX_AGE);
	inject_lsu(b, RID(1), P2P_A, x);
	net_run(&net, net.now + 1000);
	ck_assert_uint_eq(lsdb_size(b), 3);
	ck_assert_uint_eq(lsdb_size(c), 3);
}
END_TEST

/* r1 -- r2 Full, and a copy of r2's Router-LSA from r1's database, which
 * r1 can flood back to r2 as an instance "from before r2's restart". */
static size_t pair_and_r2_lsa(struct node **a, struct node **b, uint8_t *lsa)
{
	p2p_pair(a, b, NULL, NULL);
	net_run(&net, 6000);
	return copy_lsa(*b, LSA_ROUTER, RID(2), RID(2), lsa);
}

START_TEST(self_originated_newer_reoriginated)
{
	struct node *a, *b;
	uint8_t lsa[512];
	size_t len = pair_and_r2_lsa(&a, &b, lsa);
	int32_t seq = (int32_t)get32(lsa + 12);
	/* r1 floods an instance of r2's LSA from "before r2's restart". */
	put32(lsa + 12, (uint32_t)(seq + 10));
	put16(lsa + 22, 0); /* no links */
	len = 24;
	put16(lsa + 18, (uint16_t)len);
	lsa_set_checksum(lsa, len);
	inject_lsu(b, RID(1), P2P_A, lsa);
	ck_assert_int_eq(lsa_seq_of(b, LSA_ROUTER, RID(2), RID(2)), seq + 11);
	ck_assert(router_lsa_has_link(b, RID(2), RTR_LINK_P2P, RID(1), P2P_B, 10));
	/* r1 gets the new instance (after MinLSArrival, by retransmission). */
	net_run(&net, net.now + 6000);
	ck_assert_int_eq(lsa_seq_of(a, LSA_ROUTER, RID(2), RID(2)), seq + 11);
	ck_assert(router_lsa_has_link(a, RID(2), RTR_LINK_P2P, RID(1), P2P_B, 10));
}
END_TEST

/* 12.1.6: an instance of our LSA with MaxSequenceNumber (here flooded
 * back from before a restart) is flushed, and once gone everywhere our
 * LSA starts again at InitialSequenceNumber. */
START_TEST(self_originated_max_seq_wraps)
{
	struct node *a, *b;
	uint8_t lsa[512];
	size_t len = pair_and_r2_lsa(&a, &b, lsa);
	put32(lsa + 12, (uint32_t)MAX_SEQ);
	lsa_set_checksum(lsa, len);
	inject_lsu(b, RID(1), P2P_A, lsa);
	/* Not followed by MaxSequenceNumber + 1 (that would be older): flushed,
	 * so no live instance for a moment (lookups skip MaxAge LSAs). */
	ck_assert_int_eq(lsa_seq_of(b, LSA_ROUTER, RID(2), RID(2)), 0);
	net_run(&net, net.now + 8000);
	ck_assert_int_eq(lsa_seq_of(b, LSA_ROUTER, RID(2), RID(2)), INITIAL_SEQ);
	ck_assert_int_eq(lsa_seq_of(a, LSA_ROUTER, RID(2), RID(2)), INITIAL_SEQ);
	ck_assert(router_lsa_has_link(a, RID(2), RTR_LINK_P2P, RID(1), P2P_B, 10));
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
}
END_TEST

static void max_age_of(void *ctx, const struct ospf_lsa_info *info)
{
	uint16_t *m = ctx;
	if (info->hdr.age > *m)
		*m = info->hdr.age;
}

START_TEST(refresh_at_ls_refresh_time)
{
	struct node *a, *b;
	p2p_pair(&a, &b, NULL, NULL);
	net_run(&net, 6000);
	int32_t s1 = lsa_seq_of(b, LSA_ROUTER, RID(1), RID(1));
	int32_t s2 = lsa_seq_of(a, LSA_ROUTER, RID(2), RID(2));
	net_run(&net, 6000 + 1800 * 1000 + 2000);
	ck_assert_int_eq(lsa_seq_of(b, LSA_ROUTER, RID(1), RID(1)), s1 + 1);
	ck_assert_int_eq(lsa_seq_of(a, LSA_ROUTER, RID(2), RID(2)), s2 + 1);
	/* Hours later nothing has aged out. */
	net_run(&net, 4 * 3600 * 1000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
	ck_assert_uint_eq(lsdb_size(a), 2);
	uint16_t m = 0;
	ospf_lsdb_foreach(a->o, net.now, max_age_of, &m);
	ck_assert_uint_lt(m, LS_REFRESH_TIME + 10);
}
END_TEST

START_TEST(shutdown_flushes)
{
	struct node *a, *b;
	p2p_pair(&a, &b, NULL, NULL);
	net_run(&net, 6000);
	ck_assert_ptr_nonnull(ospf_lsdb_lookup(b->o, LSA_ROUTER, RID(1), RID(1), NULL));
	unsigned changes = b->lsdb_changes;
	ospf_shutdown(a->o, net.now);
	net_run(&net, net.now + 100);
	ck_assert_ptr_null(ospf_lsdb_lookup(b->o, LSA_ROUTER, RID(1), RID(1), NULL));
	ck_assert_uint_gt(b->lsdb_changes, changes);
	struct ospf_counters c;
	ospf_counters_get(a->o, &c);
	ck_assert_uint_ge(c.lsa_flushed, 1);
}
END_TEST

START_TEST(max_metric)
{
	struct node *a, *b;
	p2p_pair(&a, &b, NULL, NULL);
	net_run(&net, 6000);
	ospf_set_max_metric(a->o, true, net.now);
	net_run(&net, net.now + 5100);
	ck_assert(router_lsa_has_link(b, RID(1), RTR_LINK_P2P, RID(2), P2P_A, 0xffff));
	ck_assert(router_lsa_has_link(b, RID(1), RTR_LINK_STUB, P2P_A, MASK31, 10));
}
END_TEST

START_TEST(drops_counted)
{
	struct node *a, *b;
	p2p_pair(&a, &b, NULL, NULL);
	net_run(&net, 1000);
	uint8_t junk[10] = { 2, 1 };
	ospf_rx(a->o, 1, P2P_B, OSPF_ALLSPF, junk, sizeof junk, net.now);
	ospf_rx(a->o, 77, P2P_B, OSPF_ALLSPF, junk, sizeof junk, net.now);
	/* Our own hello looped back. */
	uint8_t buf[256];
	struct ospf_hello h = { .netmask = MASK31, .hello_interval = 10, .options = OSPF_OPT_E,
				.priority = 1, .dead_interval = 40 };
	size_t len = ospf_hello_encode(buf, sizeof buf - 64, RID(1), 0, &h, NULL, 0);
	net_inject(a, 0, P2P_A, OSPF_ALLSPF, buf, len);
	len = ospf_hello_encode(buf, sizeof buf - 64, RID(2), 1, &h, NULL, 0);
	net_inject(a, 0, P2P_B, OSPF_ALLSPF, buf, len);
	struct ospf_counters c;
	ospf_counters_get(a->o, &c);
	ck_assert_uint_eq(c.drops[OSPF_DROP_SHORT], 1);
	ck_assert_uint_eq(c.drops[OSPF_DROP_IFACE], 1);
	ck_assert_uint_eq(c.drops[OSPF_DROP_SELF], 1);
	ck_assert_uint_eq(c.drops[OSPF_DROP_AREA], 1);
}
END_TEST

/* Leaf-spine, 2 x 2, every router started at t = 0 (hello 1 s, dead 3 s):
 * the first Router-LSA waits for the adjacencies that are forming, so each
 * router originates exactly one instance in the first 10 s, and that one
 * already lists both of its adjacencies (no second instance MinLSArrival
 * later). */
START_TEST(startup_one_router_lsa_each)
{
	struct node *nd[4];
	for (int i = 0; i < 4; i++)
		nd[i] = net_node(&net, RID(i + 1)); /* leaves 1, 2; spines 3, 4 */
	for (int l = 0; l < 2; l++)
		for (int s = 0; s < 2; s++) {
			int seg = l * 2 + s;
			uint32_t net_addr = 0x0a000000u | (uint32_t)(l + 1) << 12 | (uint32_t)(s + 3) << 8;
			struct ospf_if_config cl = net_default_cfg((uint32_t)s + 1, OSPF_NET_P2P);
			struct ospf_if_config cs = net_default_cfg((uint32_t)l + 1, OSPF_NET_P2P);
			cl.hello_interval = cs.hello_interval = 1;
			cl.dead_interval = cs.dead_interval = 3;
			net_attach(nd[l], &cl, seg, net_addr, MASK31);
			net_attach(nd[2 + s], &cs, seg, net_addr | 1, MASK31);
		}
	/* Nothing is originated before the first adjacency is Full. */
	net_run(&net, 2);
	for (int i = 0; i < 4; i++) {
		struct ospf_counters c;
		ospf_counters_get(nd[i]->o, &c);
		ck_assert_uint_eq(c.lsa_originated, 0);
	}
	net_run(&net, 10000);
	for (int i = 0; i < 4; i++) {
		struct ospf_counters c;
		ospf_counters_get(nd[i]->o, &c);
		ck_assert_uint_eq(c.lsa_originated, 1);
		for (int j = 0; j < 4; j++) {
			ck_assert_int_eq(lsa_seq_of(nd[i], LSA_ROUTER, RID(j + 1), RID(j + 1)),
					 (int32_t)0x80000001);
			/* two p2p links and two stubs */
			ck_assert_uint_eq(router_lsa_n_links(nd[i], RID(j + 1)), 4);
		}
	}
}
END_TEST

/* A router with no neighbor at all originates once one HelloInterval has
 * passed since start (nobody answered); one whose neighbor is stuck in
 * ExStart (MTU mismatch) once two HelloIntervals have. */
START_TEST(startup_hold_is_bounded)
{
	struct node *a = net_node(&net, RID(1));
	struct ospf_if_config c = net_default_cfg(1, OSPF_NET_P2P);
	net_attach(a, &c, 0, P2P_A, MASK31);
	net_run(&net, 9999);
	ck_assert_ptr_null(ospf_lsdb_lookup(a->o, LSA_ROUTER, RID(1), RID(1), NULL));
	net_run(&net, 10001);
	ck_assert_int_eq(lsa_seq_of(a, LSA_ROUTER, RID(1), RID(1)), (int32_t)0x80000001);
}
END_TEST

START_TEST(startup_hold_bounded_by_two_hellos)
{
	struct node *a, *b;
	struct ospf_if_config ca = net_default_cfg(1, OSPF_NET_P2P);
	struct ospf_if_config cb = net_default_cfg(1, OSPF_NET_P2P);
	cb.mtu = 9000; /* a refuses b's DDs: stuck in ExStart */
	p2p_pair(&a, &b, &ca, &cb);
	net_run(&net, 19000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_EXSTART);
	ck_assert_ptr_null(ospf_lsdb_lookup(a->o, LSA_ROUTER, RID(1), RID(1), NULL));
	net_run(&net, 20001);
	ck_assert_ptr_nonnull(ospf_lsdb_lookup(a->o, LSA_ROUTER, RID(1), RID(1), NULL));
}
END_TEST

/* A link's carrier returns some seconds after a failure: the port coming up
 * and its adjacency reaching Full take one new Router-LSA instance per
 * router, not two (the second would wait MinLSArrival). */
START_TEST(port_up_one_router_lsa)
{
	struct node *a, *b;
	struct ospf_if_config c = net_default_cfg(1, OSPF_NET_P2P);
	c.hello_interval = 1;
	c.dead_interval = 3;
	p2p_pair(&a, &b, &c, &c);
	net_run(&net, 10000);
	ospf_if_updown(a->o, 1, false, net.now);
	ospf_if_updown(b->o, 1, false, net.now);
	net_run(&net, 13000);
	int32_t sa = lsa_seq_of(a, LSA_ROUTER, RID(1), RID(1));
	int32_t sb = lsa_seq_of(b, LSA_ROUTER, RID(2), RID(2));
	ck_assert(!router_lsa_has_link(a, RID(1), RTR_LINK_P2P, RID(2), P2P_A, 10));
	/* as fabricd's iface_sync does on the link event: update, then up */
	ospf_if_update(a->o, &c, net.now);
	ospf_if_update(b->o, &c, net.now);
	ospf_if_updown(a->o, 1, true, net.now);
	ospf_if_updown(b->o, 1, true, net.now);
	net_run(&net, 20000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
	ck_assert_int_eq(lsa_seq_of(a, LSA_ROUTER, RID(1), RID(1)), sa + 1);
	ck_assert_int_eq(lsa_seq_of(b, LSA_ROUTER, RID(2), RID(2)), sb + 1);
	ck_assert(router_lsa_has_link(b, RID(1), RTR_LINK_P2P, RID(2), P2P_A, 10));
	ck_assert(router_lsa_has_link(a, RID(2), RTR_LINK_P2P, RID(1), P2P_B, 10));
}
END_TEST

/* A fresh engine has an empty database: walking it is fine (UBSan). */
START_TEST(empty_lsdb_walk)
{
	struct node *a = net_node(&net, RID(1));
	ck_assert_uint_eq(lsdb_size(a), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ospf_engine");
	TCase *tc = tcase_create("p2p");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, p2p_full_fast);
	tcase_add_test(tc, p2p_unnumbered_and_loopback);
	tcase_add_test(tc, every_address_counts);
	tcase_add_test(tc, primary_address_rule);
	tcase_add_test(tc, many_neighbors_on_a_segment);
	tcase_add_test(tc, empty_lsdb_walk);
	tcase_add_test(tc, dead_interval_expiry);
	tcase_add_test(tc, kill_nbr_is_immediate);
	tcase_add_test(tc, mtu_mismatch_stays_exstart);
	tcase_add_test(tc, master_restart_reforms_at_once);
	tcase_add_test(tc, master_resends_initial_dd_to_slave);
	tcase_add_test(tc, md5_match_full);
	tcase_add_test(tc, md5_mismatch_no_adjacency);
	tcase_add_test(tc, hello_interval_mismatch);
	tcase_add_test(tc, max_metric);
	tcase_add_test(tc, drops_counted);
	tcase_add_test(tc, startup_one_router_lsa_each);
	tcase_add_test(tc, startup_hold_is_bounded);
	tcase_add_test(tc, startup_hold_bounded_by_two_hellos);
	tcase_add_test(tc, port_up_one_router_lsa);
	suite_add_tcase(s, tc);

	TCase *tf = tcase_create("flooding");
	tcase_add_checked_fixture(tf, setup, teardown);
	tcase_set_timeout(tf, 60);
	tcase_add_test(tf, flood_new_instance_through_line);
	tcase_add_test(tf, flood_older_same_and_maxage);
	tcase_add_test(tf, maxage_removed_from_db);
	tcase_add_test(tf, self_originated_newer_reoriginated);
	tcase_add_test(tf, self_originated_max_seq_wraps);
	tcase_add_test(tf, refresh_at_ls_refresh_time);
	tcase_add_test(tf, shutdown_flushes);
	suite_add_tcase(s, tf);
	return s;
}

int main(void)
{
	return check_run(suite());
}
