/* The engine against real FRR 8.4 packets: the peer's side of the
 * captures in tests/data is replayed into an instance playing r1
 * (see tests/data/README.md), and our answers are checked. */
#include <check.h>
#include "tests/unit/check_main.h"
#include "tests/unit/ospf_net.h"

#define R1 0x0aff0001u
#define R2 0x0aff0002u

struct frame {
	uint32_t src, dst;
	uint8_t buf[1600];
	size_t len; /* OSPF packet (IP payload) */
};

static uint32_t parse_ip(const char *s)
{
	unsigned a, b, c, d;
	if (sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
		return 0;
	return a << 24 | b << 16 | c << 8 | d;
}

/* The OSPF packets sent from `from` in a capture, in order. */
static size_t load(const char *name, uint32_t from, struct frame *out, size_t cap)
{
	char path[512], line[8192];
	snprintf(path, sizeof path, "%s/%s", TESTDATA_DIR, name);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	size_t n = 0;
	while (n < cap && fgets(line, sizeof line, f)) {
		char src[32], dst[32];
		unsigned frame, proto;
		int off = 0;
		if (line[0] == '#' ||
		    sscanf(line, "%u %31s %31s %u | %n", &frame, src, dst, &proto, &off) != 4)
			continue;
		if (proto != 89 || parse_ip(src) != from)
			continue;
		uint8_t ip[1600];
		size_t len = 0;
		for (const char *p = line + off; p[0] && p[1] && len < sizeof ip; p += 2) {
			unsigned v;
			if (sscanf(p, "%2x", &v) != 1)
				break;
			ip[len++] = (uint8_t)v;
		}
		size_t ihl = (size_t)(ip[0] & 15) * 4;
		out[n].src = parse_ip(src);
		out[n].dst = parse_ip(dst);
		out[n].len = len - ihl;
		memcpy(out[n].buf, ip + ihl, len - ihl);
		n++;
	}
	fclose(f);
	return n;
}

static struct net net;
static struct frame frames[200];

START_TEST(frr_p2p_replay_reaches_full)
{
	memset(&net, 0, sizeof net);
	net.verbose = getenv("OSPF_VERBOSE") != NULL;
	struct node *me = net_node(&net, R1);
	struct ospf_if_config c = net_default_cfg(1, OSPF_NET_P2P);
	c.hello_interval = 1;
	c.dead_interval = 3;
	net_attach(me, &c, 0, 0x0a010000u, 0xfffffffeu);
	size_t n = load("frr-p2p.hex", 0x0a010001u, frames, 200);
	ck_assert_uint_gt(n, 10);
	/* The capture's r1 had its Router-LSA when the exchange began (FRR
	 * asks for it): let the start-up hold of our first Router-LSA pass
	 * (one HelloInterval without any neighbor heard). */
	net_run(&net, net.now + 1000);
	ck_assert_ptr_nonnull(ospf_lsdb_lookup(me->o, LSA_ROUTER, R1, R1, NULL));

	bool full_seen = false;
	for (size_t i = 0; i < n; i++) {
		net_run(&net, net.now + 350);
		ospf_rx(me->o, 1, frames[i].src, frames[i].dst, frames[i].buf, frames[i].len, net.now);
		if (frames[i].buf[1] == OSPF_DBDESC && i < 3) {
			/* Our answer as slave: MS clear, the master's sequence. */
			const uint8_t *dd = me->last_sent[OSPF_DBDESC];
			ck_assert_uint_eq(get16(dd + 24), 1500);
			ck_assert_uint_eq(dd[26], OSPF_OPT_E);
			ck_assert_uint_eq(dd[27] & OSPF_DD_MS, 0);
			ck_assert_uint_eq(get32(dd + 28), get32(frames[i].buf + 28));
		}
		full_seen |= nbr_state(me, R2) == NSM_FULL;
	}
	ck_assert(full_seen);
	ck_assert_int_eq(nbr_state(me, R2), NSM_FULL);
	ck_assert_int_eq(lsa_seq_of(me, LSA_ROUTER, R2, R2), (int32_t)0x80000006);
	ck_assert_ptr_nonnull(ospf_lsdb_lookup(me->o, LSA_NETWORK, 0x0a020002u, R2, NULL));
	ck_assert(router_lsa_has_link(me, R2, RTR_LINK_P2P, R1, 0x0a010001u, 10));
	struct ospf_counters ctr;
	ospf_counters_get(me->o, &ctr);
	ck_assert_uint_eq(ctr.drops[OSPF_DROP_HELLO_MISMATCH], 0);
	ck_assert_uint_eq(ctr.drops[OSPF_DROP_CHECKSUM], 0);
	ck_assert_uint_eq(ctr.drops[OSPF_DROP_LSA_CHECKSUM], 0);
	ck_assert_uint_gt(me->sent[OSPF_LSACK], 0);
	ck_assert_uint_gt(me->sent[OSPF_LSREQ], 0);
	net_free(&net);
}
END_TEST

START_TEST(frr_bcast_md5_replay)
{
	memset(&net, 0, sizeof net);
	net.verbose = getenv("OSPF_VERBOSE") != NULL;
	struct node *me = net_node(&net, R1);
	struct ospf_if_config c = net_default_cfg(2, OSPF_NET_BROADCAST);
	c.hello_interval = 1;
	c.dead_interval = 3;
	c.auth.type = OSPF_AUTH_CRYPTO;
	c.auth.n_keys = 1;
	c.auth.keys[0].id = 1;
	snprintf(c.auth.keys[0].secret, sizeof c.auth.keys[0].secret, "fabric-secret");
	net_attach(me, &c, 0, 0x0a020001u, 0xffffff00u);
	size_t n = load("frr-bcast-md5.hex", 0x0a020002u, frames, 200);
	ck_assert_uint_gt(n, 10);
	for (size_t i = 0; i < n; i++) {
		net_run(&net, net.now + 300);
		ospf_rx(me->o, 2, frames[i].src, frames[i].dst, frames[i].buf, frames[i].len, net.now);
	}
	struct ospf_counters ctr;
	ospf_counters_get(me->o, &ctr);
	for (int d = 1; d < OSPF_DROP__COUNT; d++)
		if (d != OSPF_DROP_BAD_DST)
			ck_assert_msg(ctr.drops[d] == 0, "drops[%s] = %llu", ospf_drop_name(d),
				      (unsigned long long)ctr.drops[d]);
	/* FRR's r2 declares itself DR: we are its Backup and want an adjacency. */
	struct ospf_if_info ii;
	ck_assert(if_info_of(me, 2, &ii));
	ck_assert_int_eq(ii.state, ISM_BACKUP);
	ck_assert_uint_eq(ii.dr, R2);
	ck_assert_uint_eq(ii.dr_addr, 0x0a020002u);
	ck_assert_uint_eq(ii.bdr, R1);
	ck_assert_int_ge(nbr_state(me, R2), NSM_EXSTART);
	/* Our packets carry the MD5 trailer and verify with the key. */
	const uint8_t *h = me->last_sent[OSPF_HELLO];
	size_t hl = me->last_sent_len[OSPF_HELLO];
	ck_assert_uint_eq(get16(h + 14), OSPF_AUTH_CRYPTO);
	ck_assert_uint_eq(hl, get16(h + 2) + OSPF_MD5_LEN);
	ck_assert_int_eq(ospf_auth_verify(h, hl, &c.auth, NULL), OSPF_OK);
	net_free(&net);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ospf_frr");
	TCase *tc = tcase_create("replay");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, frr_p2p_replay_reaches_full);
	tcase_add_test(tc, frr_bcast_md5_replay);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite());
}
