/* Table-driven tests of the Neighbor state machine (RFC 2328 10.3) and
 * the Interface state machine (9.3), driven directly on the engine's
 * internal structures. */
#include <check.h>
#include "tests/unit/check_main.h"
#include "proto/ospf/ospf_priv.h"
#include "tests/unit/ospf_net.h"

#define ME 0x0aff0001u
#define NBR 0x0aff0002u
#define NBR_ADDR 0x0a000002u

struct nsm_case {
	enum ospf_network net;
	bool nbr_is_dr;  /* broadcast: the neighbor declares itself DR */
	enum nsm_state from;
	enum nsm_event ev;
	enum nsm_state to;
};

static const struct nsm_case nsm_cases[] = {
	{ OSPF_NET_P2P, false, NSM_DOWN, NSM_EV_HELLO, NSM_INIT },
	{ OSPF_NET_P2P, false, NSM_INIT, NSM_EV_HELLO, NSM_INIT },
	{ OSPF_NET_P2P, false, NSM_FULL, NSM_EV_HELLO, NSM_FULL },
	{ OSPF_NET_P2P, false, NSM_INIT, NSM_EV_2WAY, NSM_EXSTART },
	{ OSPF_NET_P2P, false, NSM_INIT, NSM_EV_1WAY, NSM_INIT },
	{ OSPF_NET_P2P, false, NSM_EXSTART, NSM_EV_2WAY, NSM_EXSTART },
	{ OSPF_NET_P2P, false, NSM_EXSTART, NSM_EV_NEG_DONE, NSM_EXCHANGE },
	{ OSPF_NET_P2P, false, NSM_INIT, NSM_EV_NEG_DONE, NSM_INIT },
	{ OSPF_NET_P2P, false, NSM_EXCHANGE, NSM_EV_EXCH_DONE, NSM_FULL },
	{ OSPF_NET_P2P, false, NSM_LOADING, NSM_EV_LOADING_DONE, NSM_FULL },
	{ OSPF_NET_P2P, false, NSM_EXCHANGE, NSM_EV_SEQ_MISMATCH, NSM_EXSTART },
	{ OSPF_NET_P2P, false, NSM_FULL, NSM_EV_SEQ_MISMATCH, NSM_EXSTART },
	{ OSPF_NET_P2P, false, NSM_EXSTART, NSM_EV_SEQ_MISMATCH, NSM_EXSTART },
	{ OSPF_NET_P2P, false, NSM_LOADING, NSM_EV_BAD_LSREQ, NSM_EXSTART },
	{ OSPF_NET_P2P, false, NSM_FULL, NSM_EV_1WAY, NSM_INIT },
	{ OSPF_NET_P2P, false, NSM_EXCHANGE, NSM_EV_1WAY, NSM_INIT },
	{ OSPF_NET_P2P, false, NSM_FULL, NSM_EV_KILL, NSM_DOWN },
	{ OSPF_NET_P2P, false, NSM_EXSTART, NSM_EV_INACTIVITY, NSM_DOWN },
	{ OSPF_NET_P2P, false, NSM_LOADING, NSM_EV_LL_DOWN, NSM_DOWN },
	{ OSPF_NET_P2P, false, NSM_INIT, NSM_EV_KILL, NSM_DOWN },
	/* The rest of RFC 2328 10.3's table, row by row. */
	/* Init or greater + HelloReceived: no state change */
	{ OSPF_NET_P2P, false, NSM_EXSTART, NSM_EV_HELLO, NSM_EXSTART },
	{ OSPF_NET_P2P, false, NSM_EXCHANGE, NSM_EV_HELLO, NSM_EXCHANGE },
	{ OSPF_NET_P2P, false, NSM_LOADING, NSM_EV_HELLO, NSM_LOADING },
	{ OSPF_NET_BROADCAST, false, NSM_2WAY, NSM_EV_HELLO, NSM_2WAY },
	/* 2-Way or greater + 2-WayReceived: no state change */
	{ OSPF_NET_P2P, false, NSM_EXCHANGE, NSM_EV_2WAY, NSM_EXCHANGE },
	{ OSPF_NET_P2P, false, NSM_FULL, NSM_EV_2WAY, NSM_FULL },
	{ OSPF_NET_BROADCAST, false, NSM_2WAY, NSM_EV_2WAY, NSM_2WAY },
	/* 2-Way + AdjOK?: ExStart once an adjacency should form */
	{ OSPF_NET_BROADCAST, true, NSM_2WAY, NSM_EV_ADJ_OK, NSM_EXSTART },
	/* ExStart or greater + AdjOK?: kept with the DR, back to 2-Way otherwise */
	{ OSPF_NET_BROADCAST, false, NSM_EXCHANGE, NSM_EV_ADJ_OK, NSM_2WAY },
	{ OSPF_NET_BROADCAST, false, NSM_LOADING, NSM_EV_ADJ_OK, NSM_2WAY },
	{ OSPF_NET_BROADCAST, true, NSM_EXCHANGE, NSM_EV_ADJ_OK, NSM_EXCHANGE },
	/* Exchange or greater + SeqNumberMismatch / BadLSReq: ExStart */
	{ OSPF_NET_P2P, false, NSM_LOADING, NSM_EV_SEQ_MISMATCH, NSM_EXSTART },
	{ OSPF_NET_P2P, false, NSM_EXCHANGE, NSM_EV_BAD_LSREQ, NSM_EXSTART },
	{ OSPF_NET_P2P, false, NSM_FULL, NSM_EV_BAD_LSREQ, NSM_EXSTART },
	/* Any state + KillNbr / LLDown / InactivityTimer: Down */
	{ OSPF_NET_P2P, false, NSM_EXSTART, NSM_EV_KILL, NSM_DOWN },
	{ OSPF_NET_P2P, false, NSM_EXCHANGE, NSM_EV_KILL, NSM_DOWN },
	{ OSPF_NET_P2P, false, NSM_LOADING, NSM_EV_KILL, NSM_DOWN },
	{ OSPF_NET_BROADCAST, false, NSM_2WAY, NSM_EV_KILL, NSM_DOWN },
	{ OSPF_NET_P2P, false, NSM_INIT, NSM_EV_LL_DOWN, NSM_DOWN },
	{ OSPF_NET_P2P, false, NSM_FULL, NSM_EV_LL_DOWN, NSM_DOWN },
	{ OSPF_NET_P2P, false, NSM_INIT, NSM_EV_INACTIVITY, NSM_DOWN },
	{ OSPF_NET_P2P, false, NSM_FULL, NSM_EV_INACTIVITY, NSM_DOWN },
	{ OSPF_NET_BROADCAST, false, NSM_2WAY, NSM_EV_INACTIVITY, NSM_DOWN },
	/* 2-Way or greater + 1-WayReceived: Init */
	{ OSPF_NET_P2P, false, NSM_EXSTART, NSM_EV_1WAY, NSM_INIT },
	{ OSPF_NET_P2P, false, NSM_LOADING, NSM_EV_1WAY, NSM_INIT },
	/* Broadcast, we are DROther with priority 0: adjacent only with the DR. */
	{ OSPF_NET_BROADCAST, false, NSM_INIT, NSM_EV_2WAY, NSM_2WAY },
	{ OSPF_NET_BROADCAST, true, NSM_INIT, NSM_EV_2WAY, NSM_EXSTART },
	{ OSPF_NET_BROADCAST, false, NSM_2WAY, NSM_EV_ADJ_OK, NSM_2WAY },
	{ OSPF_NET_BROADCAST, false, NSM_FULL, NSM_EV_ADJ_OK, NSM_2WAY },
	{ OSPF_NET_BROADCAST, true, NSM_FULL, NSM_EV_ADJ_OK, NSM_FULL },
	{ OSPF_NET_BROADCAST, false, NSM_2WAY, NSM_EV_1WAY, NSM_INIT },
};

static unsigned sent;

static void count_send(void *ctx, uint32_t ifindex, uint32_t dst, const uint8_t *buf, size_t len)
{
	sent++;
}

START_TEST(nsm_table)
{
	const struct nsm_case *tc = &nsm_cases[_i];
	struct ospf_callbacks cb = { .send = count_send };
	struct ospf *o = ospf_new(ME, 0, &cb, 1000);
	struct ospf_if_config c = net_default_cfg(1, tc->net);
	c.priority = 0;
	ospf_if_add(o, &c, 1000);
	ospf_if_set_addr(o, 1, 0x0a000001u, 0xffffff00u, 1000);
	ospf_if_updown(o, 1, true, 1000);
	struct ospf_if *ifp = if_find(o, 1);
	ck_assert_ptr_nonnull(ifp);
	ck_assert_int_eq(ifp->state, tc->net == OSPF_NET_P2P ? ISM_P2P : ISM_DROTHER);

	struct ospf_nbr *n = nbr_new(ifp, NBR, NBR_ADDR, 1000);
	n->state = tc->from;
	n->priority = tc->nbr_is_dr ? 1 : 0; /* an eligible neighbor would be elected */
	if (tc->nbr_is_dr) {
		n->dr = NBR_ADDR;
		ifp->dr_addr = NBR_ADDR;
		ifp->dr_id = NBR;
	}
	sent = 0;
	nsm_event(n, tc->ev, 2000);
	ck_assert_msg(n->state == tc->to, "case %d: %s + %s -> %s, want %s", _i,
		      nsm_state_name(tc->from), nsm_event_name(tc->ev), nsm_state_name(n->state),
		      nsm_state_name(tc->to));
	/* Entering ExStart sends the first DD at once (fast adjacency). */
	if (tc->to == NSM_EXSTART && tc->from != NSM_EXSTART)
		ck_assert_uint_ge(sent, 1);
	if (tc->to == NSM_DOWN)
		ck_assert_uint_eq(n->rxmt.n + n->req.n + n->n_dbs, 0);
	ospf_free(o);
}
END_TEST

struct ism_case {
	enum ospf_network net;
	uint8_t prio;
	bool loopback, passive;
	enum ism_state up_state;
};

static const struct ism_case ism_cases[] = {
	{ OSPF_NET_P2P, 1, false, false, ISM_P2P },
	{ OSPF_NET_BROADCAST, 1, false, false, ISM_WAITING },
	{ OSPF_NET_BROADCAST, 0, false, false, ISM_DROTHER },
	{ OSPF_NET_P2P, 1, true, true, ISM_LOOPBACK },
	{ OSPF_NET_P2P, 1, false, true, ISM_P2P },
};

static unsigned hellos;
static void count_hello(void *ctx, uint32_t ifindex, uint32_t dst, const uint8_t *buf, size_t len)
{
	if (buf[1] == OSPF_HELLO)
		hellos++;
}

/* The one interface of o. */
static bool if_state(struct ospf *o, struct ospf_if_info *ii)
{
	struct ospf_iter it;
	ospf_iter_init(&it, o);
	return ospf_if_next(&it, ii) && !ospf_if_next(&it, &(struct ospf_if_info){ 0 });
}

START_TEST(ism_table)
{
	const struct ism_case *tc = &ism_cases[_i];
	struct ospf_callbacks cb = { .send = count_hello };
	struct ospf *o = ospf_new(ME, 0, &cb, 1000);
	struct ospf_if_config c = net_default_cfg(1, tc->net);
	c.priority = tc->prio;
	c.loopback = tc->loopback;
	c.passive = tc->passive;
	ospf_if_add(o, &c, 1000);
	struct ospf_if_info ii;
	ck_assert(if_state(o, &ii));
	ck_assert_int_eq(ii.state, ISM_DOWN);
	hellos = 0;
	/* No address yet: stays Down (broadcast) until one is set. */
	ospf_if_set_addr(o, 1, 0x0a000001u, 0xffffff00u, 1000);
	ospf_if_updown(o, 1, true, 1000);
	if_state(o, &ii);
	ck_assert_int_eq(ii.state, tc->up_state);
	/* InterfaceUp says Hello at once, except where no protocol runs. */
	ck_assert_uint_eq(hellos, tc->passive ? 0 : 1);
	if (tc->up_state == ISM_WAITING) {
		ospf_tick(o, 1000 + 40000);
		if_state(o, &ii);
		ck_assert_int_eq(ii.state, ISM_DR); /* WaitTimer, alone */
		ck_assert_uint_eq(ii.dr, ME);
	}
	ospf_if_updown(o, 1, false, 50000);
	if_state(o, &ii);
	ck_assert_int_eq(ii.state, ISM_DOWN);
	ospf_free(o);
}
END_TEST

/* The walks have no cap: 300 interfaces, and 300 neighbors on one
 * broadcast segment, are all reported, each once. */
START_TEST(iterators_uncapped)
{
	enum { N = 300 };
	struct ospf_callbacks cb = { .send = count_hello };
	struct ospf *o = ospf_new(ME, 0, &cb, 1000);
	for (uint32_t k = 1; k <= N; k++) {
		struct ospf_if_config c = net_default_cfg(k, OSPF_NET_BROADCAST);
		ospf_if_add(o, &c, 1000);
	}
	ospf_if_set_addr(o, 1, 0x0a000001u, 0xffff0000u, 1000);
	ospf_if_updown(o, 1, true, 1000);
	struct ospf_hello h = { .netmask = 0xffff0000u, .hello_interval = 10, .options = OSPF_OPT_E,
				.priority = 1, .dead_interval = 40 };
	struct ospf_auth none = { 0 };
	for (uint32_t k = 0; k < N; k++) {
		uint8_t buf[256];
		size_t len = ospf_hello_encode(buf, sizeof buf - 64, 0x01000000u + k, 0, &h, NULL, 0);
		len = ospf_finish(buf, len, sizeof buf, &none, 0);
		ospf_rx(o, 1, 0x0a000100u + k, OSPF_ALLSPF, buf, len, 1000);
	}
	struct ospf_iter it;
	struct ospf_if_info ii;
	uint32_t n_if = 0;
	for (ospf_iter_init(&it, o); ospf_if_next(&it, &ii);)
		ck_assert_uint_eq(ii.ifindex, ++n_if);
	ck_assert_uint_eq(n_if, N);
	struct ospf_nbr_info nb;
	bool seen[N] = { false };
	uint32_t n_nb = 0;
	for (ospf_iter_init(&it, o); ospf_nbr_next(&it, &nb); n_nb++) {
		uint32_t k = nb.router_id - 0x01000000u;
		ck_assert_uint_lt(k, N);
		ck_assert(!seen[k]);
		seen[k] = true;
		ck_assert_int_eq(nb.state, NSM_INIT);
		ck_assert_uint_eq(nb.ifindex, 1);
	}
	ck_assert_uint_eq(n_nb, N);
	ospf_free(o);
}
END_TEST

START_TEST(state_names)
{
	ck_assert_str_eq(nsm_state_name(NSM_2WAY), "2-Way");
	ck_assert_str_eq(nsm_state_name(NSM_FULL), "Full");
	ck_assert_str_eq(ism_state_name(ISM_P2P), "Point-To-Point");
	ck_assert_str_eq(ism_state_name(ISM_DROTHER), "DROther");
	ck_assert_str_eq(nsm_state_name((enum nsm_state)99), "?");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ospf_fsm");
	TCase *tc = tcase_create("fsm");
	tcase_add_loop_test(tc, nsm_table, 0, (int)(sizeof nsm_cases / sizeof *nsm_cases));
	tcase_add_loop_test(tc, ism_table, 0, (int)(sizeof ism_cases / sizeof *ism_cases));
	tcase_add_test(tc, state_names);
	tcase_add_test(tc, iterators_uncapped);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite());
}
