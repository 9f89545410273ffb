/* OSPFv2 packet codec and authentication against real FRR 8.4 captures
 * (tests/data/frr-p2p.hex: no auth; frr-bcast-md5.hex: MD5 key 1). */
#include <check.h>
#include "tests/unit/check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/packet.h"
#include "proto/ospf/lsa.h"
#include "proto/lib/bytes.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define MAX_PKTS 256
#define MAX_LEN 1600

struct cap_pkt {
	int frame;
	uint32_t src, dst;
	size_t len;          /* OSPF packet (IP payload) length */
	uint8_t data[MAX_LEN];
};

struct capture {
	size_t n;
	struct cap_pkt pkts[MAX_PKTS];
};

static struct capture p2p, bcast;

static const struct ospf_auth md5_auth = {
	.type = OSPF_AUTH_CRYPTO, .n_keys = 1, .keys = { { 1, "fabric-secret" } },
};
static const struct ospf_auth null_auth = { .type = OSPF_AUTH_NULL };

static uint32_t parse_ip(const char *s)
{
	unsigned a, b, c, d;
	ck_assert_int_eq(sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d), 4);
	return IP(a, b, c, d);
}

/* Format: "frame src dst proto | hex of the IPv4 packet"; keep proto 89 and
 * strip the IPv4 header using its IHL. */
static void load(const char *name, struct capture *cap)
{
	char path[512], line[8192];
	snprintf(path, sizeof(path), "%s/%s", TESTDATA_DIR, name);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	cap->n = 0;
	while (fgets(line, sizeof(line), f)) {
		int frame, proto;
		char src[32], dst[32];
		static char hx[2 * MAX_LEN + 64];
		if (line[0] == '#' ||
		    sscanf(line, "%d %31s %31s %d | %3263s", &frame, src, dst, &proto, hx) != 5 ||
		    proto != 89)
			continue;
		ck_assert_uint_lt(cap->n, MAX_PKTS);
		uint8_t ip[MAX_LEN + 64];
		size_t iplen = strlen(hx) / 2;
		ck_assert_uint_le(iplen, sizeof(ip));
		for (size_t i = 0; i < iplen; i++) {
			unsigned v;
			ck_assert_int_eq(sscanf(hx + 2 * i, "%2x", &v), 1);
			ip[i] = (uint8_t)v;
		}
		size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
		ck_assert_uint_eq(ip[9], 89);
		ck_assert_uint_eq(get16(ip + 2), iplen);
		struct cap_pkt *p = &cap->pkts[cap->n++];
		p->frame = frame;
		p->src = parse_ip(src);
		p->dst = parse_ip(dst);
		p->len = iplen - ihl;
		memcpy(p->data, ip + ihl, p->len);
	}
	fclose(f);
	ck_assert_uint_gt(cap->n, 0);
}

static void setup(void)
{
	load("frr-p2p.hex", &p2p);
	load("frr-bcast-md5.hex", &bcast);
}

static const struct cap_pkt *frame(const struct capture *cap, int fr)
{
	for (size_t i = 0; i < cap->n; i++)
		if (cap->pkts[i].frame == fr)
			return &cap->pkts[i];
	ck_abort_msg("frame %d not in capture", fr);
	return NULL;
}

static void decode_ok(const struct cap_pkt *p, struct ospf_packet *out)
{
	enum ospf_drop r = ospf_decode(p->data, p->len, out);
	ck_assert_msg(r == OSPF_OK, "frame %d: %s", p->frame, ospf_drop_name(r));
}

/* ---- every packet decodes ---- */

static void check_all_decode(const struct capture *cap, uint16_t autype, size_t trailer,
			     bool has_lsreq)
{
	size_t per_type[6] = { 0 };
	for (size_t i = 0; i < cap->n; i++) {
		const struct cap_pkt *p = &cap->pkts[i];
		struct ospf_packet pk;
		decode_ok(p, &pk);
		ck_assert_uint_eq(pk.hdr.version, 2);
		ck_assert_uint_eq(pk.hdr.autype, autype);
		ck_assert_uint_eq(pk.hdr.length + trailer, p->len);
		ck_assert_uint_eq(pk.hdr.area_id, 0);
		ck_assert(pk.hdr.router_id == IP(10, 255, 0, 1) || pk.hdr.router_id == IP(10, 255, 0, 2));
		per_type[pk.hdr.type]++;
	}
	/* Each capture covers adjacency bring-up (on the broadcast link r2
	 * already had everything after the DD exchange: no LS Request). */
	for (int t = OSPF_HELLO; t <= OSPF_LSACK; t++)
		ck_assert_msg(per_type[t] > 0 || (t == OSPF_LSREQ && !has_lsreq),
			      "no packet of type %d", t);
}

START_TEST(decode_all_p2p) { check_all_decode(&p2p, OSPF_AUTH_NULL, 0, true); }
END_TEST

START_TEST(decode_all_bcast_md5) { check_all_decode(&bcast, OSPF_AUTH_CRYPTO, OSPF_MD5_LEN, false); }
END_TEST

/* ---- known packets ---- */

START_TEST(hello_p2p_fields)
{
	struct ospf_packet pk;
	decode_ok(frame(&p2p, 1), &pk);
	ck_assert_uint_eq(pk.hdr.type, OSPF_HELLO);
	ck_assert_uint_eq(pk.hdr.router_id, IP(10, 255, 0, 1));
	ck_assert_uint_eq(pk.hdr.checksum, 0xf0ce);
	ck_assert_uint_eq(pk.u.hello.netmask, IP(255, 255, 255, 254));
	ck_assert_uint_eq(pk.u.hello.hello_interval, 1);
	ck_assert_uint_eq(pk.u.hello.dead_interval, 3);
	ck_assert_uint_eq(pk.u.hello.options, OSPF_OPT_E);
	ck_assert_uint_eq(pk.u.hello.priority, 1);
	ck_assert_uint_eq(pk.u.hello.dr, 0);
	ck_assert_uint_eq(pk.u.hello.bdr, 0);
	ck_assert_uint_eq(pk.u.hello.n_neighbors, 0);

	decode_ok(frame(&p2p, 11), &pk);
	ck_assert_uint_eq(pk.u.hello.n_neighbors, 1);
	ck_assert_uint_eq(ospf_hello_neighbor_at(&pk.u.hello, 0), IP(10, 255, 0, 2));
	ck_assert_uint_eq(ospf_hello_neighbor_at(&pk.u.hello, 1), 0); /* out of range */
}
END_TEST

START_TEST(hello_bcast_dr_bdr)
{
	struct ospf_packet pk;
	decode_ok(frame(&bcast, 1), &pk);
	ck_assert_uint_eq(pk.hdr.router_id, IP(10, 255, 0, 1));
	ck_assert_uint_eq(pk.hdr.checksum, 0);
	ck_assert_uint_eq(pk.hdr.key_id, 1);
	ck_assert_uint_eq(pk.hdr.auth_len, 16);
	ck_assert_uint_eq(pk.hdr.crypto_seq, 0x6b04c7cd);
	ck_assert_uint_eq(pk.u.hello.netmask, IP(255, 255, 255, 0));
	ck_assert_uint_eq(pk.u.hello.dr, 0);
	ck_assert_uint_eq(pk.u.hello.n_neighbors, 0);

	/* Steady state: r2 (10.2.0.2) is DR, r1 (10.2.0.1) BDR. */
	decode_ok(frame(&bcast, 44), &pk);
	ck_assert_uint_eq(pk.hdr.router_id, IP(10, 255, 0, 1));
	ck_assert_uint_eq(pk.u.hello.hello_interval, 1);
	ck_assert_uint_eq(pk.u.hello.dead_interval, 3);
	ck_assert_uint_eq(pk.u.hello.options, OSPF_OPT_E);
	ck_assert_uint_eq(pk.u.hello.priority, 1);
	ck_assert_uint_eq(pk.u.hello.dr, IP(10, 2, 0, 2));
	ck_assert_uint_eq(pk.u.hello.bdr, IP(10, 2, 0, 1));
	ck_assert_uint_eq(pk.u.hello.n_neighbors, 1);
	ck_assert_uint_eq(ospf_hello_neighbor_at(&pk.u.hello, 0), IP(10, 255, 0, 2));
}
END_TEST

START_TEST(dbdesc_fields)
{
	struct ospf_packet pk;
	struct lsa_hdr h;

	decode_ok(frame(&p2p, 12), &pk); /* ExStart from r2 */
	ck_assert_uint_eq(pk.hdr.type, OSPF_DBDESC);
	ck_assert_uint_eq(pk.hdr.router_id, IP(10, 255, 0, 2));
	ck_assert_uint_eq(pk.u.dbdesc.mtu, 1500);
	ck_assert_uint_eq(pk.u.dbdesc.options, OSPF_OPT_E);
	ck_assert_uint_eq(pk.u.dbdesc.flags, OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS);
	ck_assert_uint_eq(pk.u.dbdesc.dd_seq, 0x34acd646);
	ck_assert_uint_eq(pk.u.dbdesc.n_lsa_hdrs, 0);

	decode_ok(frame(&p2p, 14), &pk); /* r1 as slave, with its Router-LSA */
	ck_assert_uint_eq(pk.u.dbdesc.flags, 0);
	ck_assert_uint_eq(pk.u.dbdesc.dd_seq, 0x34acd646);
	ck_assert_uint_eq(pk.u.dbdesc.n_lsa_hdrs, 1);
	ospf_dbdesc_hdr_at(&pk.u.dbdesc, 0, &h);
	ck_assert_uint_eq(h.age, 1);
	ck_assert_uint_eq(h.options, OSPF_OPT_E);
	ck_assert_uint_eq(h.type, LSA_ROUTER);
	ck_assert_uint_eq(h.ls_id, IP(10, 255, 0, 1));
	ck_assert_uint_eq(h.adv_router, IP(10, 255, 0, 1));
	ck_assert_int_eq(h.seq, (int32_t)0x80000003);
	ck_assert_uint_eq(h.checksum, 0x30b5);
	ck_assert_uint_eq(h.length, 60);

	decode_ok(frame(&p2p, 15), &pk); /* r2 as master, last one: MS only */
	ck_assert_uint_eq(pk.u.dbdesc.flags, OSPF_DD_MS);
	ck_assert_uint_eq(pk.u.dbdesc.dd_seq, 0x34acd647);
}
END_TEST

START_TEST(lsreq_fields)
{
	struct ospf_packet pk;
	struct ospf_lsreq_entry e;
	decode_ok(frame(&p2p, 17), &pk);
	ck_assert_uint_eq(pk.hdr.type, OSPF_LSREQ);
	ck_assert_uint_eq(pk.u.lsreq.n, 1);
	ospf_lsreq_at(&pk.u.lsreq, 0, &e);
	ck_assert_uint_eq(e.type, LSA_ROUTER);
	ck_assert_uint_eq(e.ls_id, IP(10, 255, 0, 2));
	ck_assert_uint_eq(e.adv_router, IP(10, 255, 0, 2));
}
END_TEST

static void expect_link(const struct lsa_router *r, size_t *off, uint32_t id, uint32_t data,
			uint8_t type, uint16_t metric)
{
	struct rtr_link l;
	ck_assert(lsa_router_next_link(r, off, &l));
	ck_assert_uint_eq(l.link_id, id);
	ck_assert_uint_eq(l.link_data, data);
	ck_assert_uint_eq(l.type, type);
	ck_assert_uint_eq(l.metric, metric);
}

START_TEST(lsupd_router_lsa)
{
	struct ospf_packet pk;
	struct lsa_hdr h;
	struct lsa_router r;
	size_t off = 0, len, loff = 0;

	/* Frame 21: r1's Router-LSA once the p2p adjacency is up. */
	decode_ok(frame(&p2p, 21), &pk);
	ck_assert_uint_eq(pk.hdr.type, OSPF_LSUPD);
	ck_assert_uint_eq(pk.u.lsupd.n_lsas, 1);
	const uint8_t *lsa = ospf_lsupd_next(&pk.u.lsupd, &off, &len);
	ck_assert_ptr_nonnull(lsa);
	ck_assert_uint_eq(len, 72);
	lsa_hdr_decode(lsa, &h);
	ck_assert_uint_eq(h.type, LSA_ROUTER);
	ck_assert_uint_eq(h.adv_router, IP(10, 255, 0, 1));
	ck_assert_int_eq(h.seq, (int32_t)0x80000004);
	ck_assert_uint_eq(h.checksum, 0xc0f4);
	ck_assert(lsa_router_parse(lsa, len, &r));
	ck_assert_uint_eq(r.n_links, 4);
	expect_link(&r, &loff, IP(10, 255, 0, 1), 0xffffffff, RTR_LINK_STUB, 0);
	expect_link(&r, &loff, IP(10, 255, 0, 2), IP(10, 1, 0, 0), RTR_LINK_P2P, 10);
	expect_link(&r, &loff, IP(10, 1, 0, 0), IP(255, 255, 255, 254), RTR_LINK_STUB, 10);
	expect_link(&r, &loff, IP(10, 2, 0, 0), IP(255, 255, 255, 0), RTR_LINK_STUB, 10);
	ck_assert_ptr_null(ospf_lsupd_next(&pk.u.lsupd, &off, &len));

	/* Broadcast frame 35: r1 with a transit link to the DR 10.2.0.2. */
	decode_ok(frame(&bcast, 35), &pk);
	off = loff = 0;
	lsa = ospf_lsupd_next(&pk.u.lsupd, &off, &len);
	ck_assert_ptr_nonnull(lsa);
	ck_assert(lsa_router_parse(lsa, len, &r));
	ck_assert_uint_eq(r.n_links, 4);
	expect_link(&r, &loff, IP(10, 255, 0, 1), 0xffffffff, RTR_LINK_STUB, 0);
	expect_link(&r, &loff, IP(10, 255, 0, 2), IP(10, 1, 0, 0), RTR_LINK_P2P, 10);
	expect_link(&r, &loff, IP(10, 1, 0, 0), IP(255, 255, 255, 254), RTR_LINK_STUB, 10);
	expect_link(&r, &loff, IP(10, 2, 0, 2), IP(10, 2, 0, 1), RTR_LINK_TRANSIT, 10);
}
END_TEST

START_TEST(lsack_fields)
{
	struct ospf_packet pk;
	struct lsa_hdr h;
	decode_ok(frame(&p2p, 25), &pk);
	ck_assert_uint_eq(pk.hdr.type, OSPF_LSACK);
	ck_assert_uint_eq(pk.hdr.router_id, IP(10, 255, 0, 2));
	ck_assert_uint_eq(pk.u.lsack.n_lsa_hdrs, 1);
	ospf_lsack_hdr_at(&pk.u.lsack, 0, &h);
	ck_assert_uint_eq(h.age, 2);
	ck_assert_uint_eq(h.type, LSA_ROUTER);
	ck_assert_uint_eq(h.ls_id, IP(10, 255, 0, 1));
	ck_assert_int_eq(h.seq, (int32_t)0x80000003);
	ck_assert_uint_eq(h.checksum, 0x30b5);
	ck_assert_uint_eq(h.length, 60);

	/* Broadcast frame 37: r1 acks r2's Network-LSA (r2 is DR). */
	decode_ok(frame(&bcast, 37), &pk);
	ospf_lsack_hdr_at(&pk.u.lsack, 0, &h);
	ck_assert_uint_eq(h.type, LSA_NETWORK);
	ck_assert_uint_eq(h.ls_id, IP(10, 2, 0, 2));
	ck_assert_uint_eq(h.adv_router, IP(10, 255, 0, 2));
	ck_assert_uint_eq(h.length, 32);
}
END_TEST

/* ---- LSAs inside LSUs ---- */

static void check_lsas(const struct capture *cap, size_t *n_router, size_t *n_network)
{
	for (size_t i = 0; i < cap->n; i++) {
		struct ospf_packet pk;
		decode_ok(&cap->pkts[i], &pk);
		if (pk.hdr.type != OSPF_LSUPD)
			continue;
		size_t off = 0, len, count = 0;
		const uint8_t *lsa;
		while ((lsa = ospf_lsupd_next(&pk.u.lsupd, &off, &len))) {
			count++;
			ck_assert_msg(lsa_checksum_ok(lsa, len), "frame %d", cap->pkts[i].frame);
			ck_assert_uint_eq(lsa_checksum(lsa, len), get16(lsa + 16));
			if (lsa[3] == LSA_ROUTER) {
				struct lsa_router r;
				struct rtr_link l;
				size_t loff = 0, links = 0;
				ck_assert(lsa_router_parse(lsa, len, &r));
				while (lsa_router_next_link(&r, &loff, &l))
					links++;
				ck_assert_uint_eq(links, r.n_links);
				ck_assert_uint_ge(links, 3);
				(*n_router)++;
			} else if (lsa[3] == LSA_NETWORK) {
				struct lsa_network nw;
				ck_assert(lsa_network_parse(lsa, len, &nw));
				ck_assert_uint_eq(nw.netmask, IP(255, 255, 255, 0));
				ck_assert_uint_eq(nw.n_routers, 2);
				(*n_network)++;
			}
		}
		ck_assert_uint_eq(count, pk.u.lsupd.n_lsas);
		ck_assert_uint_eq(off, pk.u.lsupd.lsas_len);
	}
}

START_TEST(lsas_checksums_and_bodies)
{
	size_t nr = 0, nn = 0;
	check_lsas(&p2p, &nr, &nn);
	ck_assert_uint_gt(nr, 0); /* (the swp2 Network-LSA is flooded here too) */
	nr = nn = 0;
	check_lsas(&bcast, &nr, &nn);
	ck_assert_uint_gt(nr, 0);
	ck_assert_uint_gt(nn, 0);
}
END_TEST

/* ---- re-encoding gives the same bytes ---- */

static size_t reencode(const struct ospf_packet *pk, uint8_t *buf, size_t cap)
{
	uint32_t rid = pk->hdr.router_id, area = pk->hdr.area_id;
	switch (pk->hdr.type) {
	case OSPF_HELLO: {
		uint32_t nb[64];
		ck_assert_uint_le(pk->u.hello.n_neighbors, 64);
		for (size_t i = 0; i < pk->u.hello.n_neighbors; i++)
			nb[i] = ospf_hello_neighbor_at(&pk->u.hello, i);
		return ospf_hello_encode(buf, cap, rid, area, &pk->u.hello, nb,
					 pk->u.hello.n_neighbors);
	}
	case OSPF_DBDESC: {
		struct lsa_hdr h[64];
		ck_assert_uint_le(pk->u.dbdesc.n_lsa_hdrs, 64);
		for (size_t i = 0; i < pk->u.dbdesc.n_lsa_hdrs; i++)
			ospf_dbdesc_hdr_at(&pk->u.dbdesc, i, &h[i]);
		return ospf_dbdesc_encode(buf, cap, rid, area, &pk->u.dbdesc, h,
					  pk->u.dbdesc.n_lsa_hdrs);
	}
	case OSPF_LSREQ: {
		struct ospf_lsreq_entry e[64];
		ck_assert_uint_le(pk->u.lsreq.n, 64);
		for (size_t i = 0; i < pk->u.lsreq.n; i++)
			ospf_lsreq_at(&pk->u.lsreq, i, &e[i]);
		return ospf_lsreq_encode(buf, cap, rid, area, e, pk->u.lsreq.n);
	}
	case OSPF_LSUPD: {
		const uint8_t *l[64];
		size_t off = 0, len, n = 0;
		while (n < 64 && (l[n] = ospf_lsupd_next(&pk->u.lsupd, &off, &len)))
			n++;
		return ospf_lsupd_encode(buf, cap, rid, area, l, n);
	}
	default: {
		struct lsa_hdr h[64];
		ck_assert_uint_le(pk->u.lsack.n_lsa_hdrs, 64);
		for (size_t i = 0; i < pk->u.lsack.n_lsa_hdrs; i++)
			ospf_lsack_hdr_at(&pk->u.lsack, i, &h[i]);
		return ospf_lsack_encode(buf, cap, rid, area, h, pk->u.lsack.n_lsa_hdrs);
	}
	}
}

static void check_roundtrip(const struct capture *cap, const struct ospf_auth *auth)
{
	for (size_t i = 0; i < cap->n; i++) {
		const struct cap_pkt *p = &cap->pkts[i];
		struct ospf_packet pk;
		uint8_t buf[MAX_LEN];
		decode_ok(p, &pk);
		memset(buf, 0xaa, sizeof(buf));
		size_t len = reencode(&pk, buf, sizeof(buf));
		ck_assert_uint_eq(len, pk.hdr.length);
		size_t total = ospf_finish(buf, len, sizeof(buf), auth, pk.hdr.crypto_seq);
		ck_assert_uint_eq(total, p->len);
		ck_assert_msg(memcmp(buf, p->data, p->len) == 0, "frame %d differs", p->frame);
		/* Too little room for the body or the trailer: 0, not an overflow. */
		ck_assert_uint_eq(reencode(&pk, buf, len - 1), 0);
		if (auth->type == OSPF_AUTH_CRYPTO)
			ck_assert_uint_eq(ospf_finish(buf, len, len + 15, auth, 1), 0);
	}
}

START_TEST(roundtrip_p2p) { check_roundtrip(&p2p, &null_auth); }
END_TEST

START_TEST(roundtrip_bcast_md5) { check_roundtrip(&bcast, &md5_auth); }
END_TEST

/* ---- MD5 authentication (D.4.3 / D.5.3) ---- */

START_TEST(md5_verify_all)
{
	struct ospf_auth wrong = md5_auth;
	struct ospf_auth other_id = md5_auth;
	struct ospf_auth two_keys = { .type = OSPF_AUTH_CRYPTO, .n_keys = 2,
				      .keys = { { 7, "new-secret" }, { 1, "fabric-secret" } } };
	strcpy(wrong.keys[0].secret, "fabric-secreT");
	other_id.keys[0].id = 2;

	for (size_t i = 0; i < bcast.n; i++) {
		const struct cap_pkt *p = &bcast.pkts[i];
		uint32_t seq = get32(p->data + 20), last;
		ck_assert_int_eq(ospf_auth_verify(p->data, p->len, &md5_auth, NULL), OSPF_OK);
		ck_assert_int_eq(ospf_auth_verify(p->data, p->len, &two_keys, NULL), OSPF_OK);
		ck_assert_int_eq(ospf_auth_verify(p->data, p->len, &wrong, NULL), OSPF_DROP_AUTH_FAIL);
		ck_assert_int_eq(ospf_auth_verify(p->data, p->len, &other_id, NULL), OSPF_DROP_AUTH_KEY_ID);
		ck_assert_int_eq(ospf_auth_verify(p->data, p->len, &null_auth, NULL), OSPF_DROP_AUTH_TYPE);
		/* Sequence: equal is fine (non-decreasing), lower is rejected
		 * and leaves the recorded value alone. */
		last = seq;
		ck_assert_int_eq(ospf_auth_verify(p->data, p->len, &md5_auth, &last), OSPF_OK);
		ck_assert_uint_eq(last, seq);
		last = seq - 1;
		ck_assert_int_eq(ospf_auth_verify(p->data, p->len, &md5_auth, &last), OSPF_OK);
		ck_assert_uint_eq(last, seq);
		last = seq + 1;
		ck_assert_int_eq(ospf_auth_verify(p->data, p->len, &md5_auth, &last), OSPF_DROP_AUTH_SEQ);
		ck_assert_uint_eq(last, seq + 1);
		/* A failed digest must not move the sequence either. */
		last = 0;
		ck_assert_int_eq(ospf_auth_verify(p->data, p->len, &wrong, &last), OSPF_DROP_AUTH_FAIL);
		ck_assert_uint_eq(last, 0);
		/* No room for the trailer. */
		ck_assert_int_eq(ospf_auth_verify(p->data, p->len - 1, &md5_auth, NULL),
				 OSPF_DROP_AUTH_LEN);
	}
}
END_TEST

START_TEST(md5_tampering_detected)
{
	const struct cap_pkt *p = frame(&bcast, 44);
	uint8_t buf[MAX_LEN];
	for (size_t i = 0; i < p->len; i++) {
		memcpy(buf, p->data, p->len);
		buf[i] ^= 0x01;
		enum ospf_drop r = ospf_auth_verify(buf, p->len, &md5_auth, NULL);
		ck_assert_msg(r != OSPF_OK, "flip at byte %zu accepted", i);
	}
	/* Wrong auth data length. */
	memcpy(buf, p->data, p->len);
	buf[19] = 20;
	ck_assert_int_eq(ospf_auth_verify(buf, p->len, &md5_auth, NULL), OSPF_DROP_AUTH_LEN);
	/* D.4.3: nothing may follow the digest (the IP length is the packet
	 * length plus the 16-byte trailer): FRR's packet with 100 more bytes. */
	memcpy(buf, p->data, p->len);
	memset(buf + p->len, 0, 100);
	ck_assert_int_eq(ospf_auth_verify(buf, p->len, &md5_auth, NULL), OSPF_OK);
	ck_assert_int_eq(ospf_auth_verify(buf, p->len + 100, &md5_auth, NULL), OSPF_DROP_AUTH_LEN);
}
END_TEST

/* Sequence numbers per sender go up across the capture; tracking them with
 * last_seq accepts every packet in order. */
START_TEST(md5_sequence_tracking)
{
	uint32_t last[2] = { 0, 0 };
	for (size_t i = 0; i < bcast.n; i++) {
		const struct cap_pkt *p = &bcast.pkts[i];
		int who = get32(p->data + 4) == IP(10, 255, 0, 2);
		ck_assert_int_eq(ospf_auth_verify(p->data, p->len, &md5_auth, &last[who]), OSPF_OK);
		ck_assert_uint_eq(last[who], get32(p->data + 20));
	}
	ck_assert_uint_ne(last[0], 0);
	ck_assert_uint_ne(last[1], 0);
	/* Replaying the first packet of r1 now fails. */
	ck_assert_int_eq(ospf_auth_verify(bcast.pkts[0].data, bcast.pkts[0].len, &md5_auth, &last[0]),
			 OSPF_DROP_AUTH_SEQ);
}
END_TEST

/* ---- null and simple authentication ---- */

START_TEST(null_auth_checksum)
{
	for (size_t i = 0; i < p2p.n; i++) {
		const struct cap_pkt *p = &p2p.pkts[i];
		ck_assert_int_eq(ospf_auth_verify(p->data, p->len, &null_auth, NULL), OSPF_OK);
		ck_assert_int_eq(ospf_auth_verify(p->data, p->len, &md5_auth, NULL), OSPF_DROP_AUTH_TYPE);
		ck_assert_uint_eq(ospf_packet_cksum(p->data, p->len), 0);
	}
	/* The checksum skips the auth field: garbage there does not matter. */
	uint8_t buf[MAX_LEN];
	const struct cap_pkt *p = frame(&p2p, 19);
	memcpy(buf, p->data, p->len);
	memset(buf + 16, 0x5a, 8);
	ck_assert_int_eq(ospf_auth_verify(buf, p->len, &null_auth, NULL), OSPF_OK);
	buf[30] ^= 0x80;
	ck_assert_int_eq(ospf_auth_verify(buf, p->len, &null_auth, NULL), OSPF_DROP_CHECKSUM);
}
END_TEST

START_TEST(simple_auth_roundtrip)
{
	struct ospf_auth simple = { .type = OSPF_AUTH_SIMPLE, .n_keys = 1, .keys = { { 0, "pass" } } };
	struct ospf_auth wrong = { .type = OSPF_AUTH_SIMPLE, .n_keys = 1, .keys = { { 0, "pas" } } };
	struct ospf_hello h = { .netmask = IP(255, 255, 255, 0), .hello_interval = 10,
				.options = OSPF_OPT_E, .priority = 1, .dead_interval = 40,
				.dr = IP(10, 2, 0, 2), .bdr = IP(10, 2, 0, 1) };
	uint32_t nb[2] = { IP(10, 255, 0, 2), IP(10, 255, 0, 3) };
	uint8_t buf[128];
	struct ospf_packet pk;

	size_t len = ospf_hello_encode(buf, sizeof(buf), IP(1, 1, 1, 1), IP(0, 0, 0, 1), &h, nb, 2);
	ck_assert_uint_eq(len, 24 + 20 + 8);
	ck_assert_uint_eq(ospf_finish(buf, len, sizeof(buf), &simple, 0), len);
	ck_assert_mem_eq(buf + 16, "pass\0\0\0\0", 8);
	ck_assert_int_eq(ospf_decode(buf, len, &pk), OSPF_OK);
	ck_assert_uint_eq(pk.hdr.autype, OSPF_AUTH_SIMPLE);
	ck_assert_mem_eq(pk.hdr.auth_simple, "pass\0\0\0\0", 8);
	ck_assert_uint_eq(pk.hdr.area_id, IP(0, 0, 0, 1));
	ck_assert_uint_eq(pk.u.hello.n_neighbors, 2);
	ck_assert_uint_eq(ospf_hello_neighbor_at(&pk.u.hello, 1), IP(10, 255, 0, 3));
	ck_assert_uint_eq(pk.u.hello.bdr, IP(10, 2, 0, 1));
	ck_assert_int_eq(ospf_auth_verify(buf, len, &simple, NULL), OSPF_OK);
	ck_assert_int_eq(ospf_auth_verify(buf, len, &wrong, NULL), OSPF_DROP_AUTH_FAIL);
	ck_assert_int_eq(ospf_auth_verify(buf, len, &null_auth, NULL), OSPF_DROP_AUTH_TYPE);
	buf[40] ^= 1;
	ck_assert_int_eq(ospf_auth_verify(buf, len, &simple, NULL), OSPF_DROP_CHECKSUM);
}
END_TEST

/* Our own MD5 packets verify, and the seq/key id land where D.3 puts them. */
START_TEST(md5_finish_fields)
{
	struct ospf_lsreq_entry e = { LSA_NETWORK, IP(10, 2, 0, 2), IP(10, 255, 0, 2) };
	struct ospf_auth a = { .type = OSPF_AUTH_CRYPTO, .n_keys = 2,
			       .keys = { { 9, "0123456789abcdef" }, { 1, "x" } } };
	uint8_t buf[128];
	struct ospf_packet pk;
	size_t len = ospf_lsreq_encode(buf, sizeof(buf), 5, 0, &e, 1);
	ck_assert_uint_eq(len, 36);
	ck_assert_uint_eq(ospf_finish(buf, len, sizeof(buf), &a, 0xdeadbeef), len + 16);
	ck_assert_int_eq(ospf_decode(buf, len + 16, &pk), OSPF_OK);
	ck_assert_uint_eq(pk.hdr.checksum, 0);
	ck_assert_uint_eq(pk.hdr.key_id, 9);
	ck_assert_uint_eq(pk.hdr.auth_len, 16);
	ck_assert_uint_eq(pk.hdr.crypto_seq, 0xdeadbeef);
	ck_assert_int_eq(ospf_auth_verify(buf, len + 16, &a, NULL), OSPF_OK);
	struct ospf_auth no_keys = { .type = OSPF_AUTH_CRYPTO };
	ck_assert_uint_eq(ospf_finish(buf, len, sizeof(buf), &no_keys, 1), 0);
}
END_TEST

/* ---- malformed input ---- */

static void fix_cksum(uint8_t *buf)
{
	put16(buf + 12, 0);
	put16(buf + 12, ospf_packet_cksum(buf, get16(buf + 2)));
}

static void check_truncations(const struct capture *cap)
{
	for (size_t i = 0; i < cap->n; i++) {
		const struct cap_pkt *p = &cap->pkts[i];
		size_t end = p->len;
		if (get16(p->data + 14) == OSPF_AUTH_CRYPTO)
			end = get16(p->data + 2); /* below that the packet itself is cut */
		for (size_t cut = 0; cut < end; cut++) {
			/* Copy into an exact-size heap block so ASan sees overreads. */
			uint8_t *buf = malloc(cut ? cut : 1);
			struct ospf_packet pk;
			ck_assert_ptr_nonnull(buf);
			memcpy(buf, p->data, cut);
			enum ospf_drop r = ospf_decode(buf, cut, &pk);
			ck_assert_int_eq(r, cut < OSPF_HDR_LEN ? OSPF_DROP_SHORT : OSPF_DROP_LENGTH);
			r = ospf_auth_verify(buf, cut, &md5_auth, NULL);
			ck_assert_int_ne(r, OSPF_OK);
			/* Also with the length field saying so: the body check
			 * must catch what no longer parses. */
			if (cut >= OSPF_HDR_LEN) {
				put16(buf + 2, (uint16_t)cut);
				if (get16(buf + 14) != OSPF_AUTH_CRYPTO)
					fix_cksum(buf);
				r = ospf_decode(buf, cut, &pk);
				ck_assert_int_lt(r, OSPF_DROP__COUNT);
				if (r == OSPF_OK && pk.hdr.type == OSPF_LSUPD) {
					size_t off = 0, len, n = 0;
					while (ospf_lsupd_next(&pk.u.lsupd, &off, &len))
						n++;
					ck_assert_uint_eq(n, pk.u.lsupd.n_lsas);
				}
			}
			free(buf);
		}
	}
}

START_TEST(truncations_p2p) { check_truncations(&p2p); }
END_TEST

START_TEST(truncations_bcast) { check_truncations(&bcast); }
END_TEST

START_TEST(bad_header_fields)
{
	const struct cap_pkt *p = frame(&p2p, 11);
	uint8_t buf[MAX_LEN];
	struct ospf_packet pk;

	memcpy(buf, p->data, p->len);
	buf[0] = 3;
	fix_cksum(buf);
	ck_assert_int_eq(ospf_decode(buf, p->len, &pk), OSPF_DROP_VERSION);

	memcpy(buf, p->data, p->len);
	put16(buf + 2, 23);
	ck_assert_int_eq(ospf_decode(buf, p->len, &pk), OSPF_DROP_LENGTH);
	put16(buf + 2, (uint16_t)(p->len + 1));
	ck_assert_int_eq(ospf_decode(buf, p->len, &pk), OSPF_DROP_LENGTH);
	put16(buf + 2, 0);
	ck_assert_int_eq(ospf_decode(buf, p->len, &pk), OSPF_DROP_LENGTH);

	for (int t = 0; t < 256; t += (t == 0 ? 6 : 1)) {
		memcpy(buf, p->data, p->len);
		buf[1] = (uint8_t)t;
		fix_cksum(buf);
		ck_assert_int_eq(ospf_decode(buf, p->len, &pk), OSPF_DROP_TYPE);
	}

	memcpy(buf, p->data, p->len);
	buf[p->len - 1] ^= 0x10;
	ck_assert_int_eq(ospf_decode(buf, p->len, &pk), OSPF_DROP_CHECKSUM);
	ck_assert_int_eq(ospf_auth_verify(buf, p->len, &null_auth, NULL), OSPF_DROP_CHECKSUM);
	memcpy(buf, p->data, p->len);
	put16(buf + 12, (uint16_t)(get16(buf + 12) + 1));
	ck_assert_int_eq(ospf_decode(buf, p->len, &pk), OSPF_DROP_CHECKSUM);

	ck_assert_int_eq(ospf_decode(buf, 10, &pk), OSPF_DROP_SHORT);
	ck_assert_int_eq(ospf_decode(NULL, 0, &pk), OSPF_DROP_SHORT);
	ck_assert_int_eq(ospf_auth_verify(buf, 23, &null_auth, NULL), OSPF_DROP_SHORT);
}
END_TEST

static void set_len_and_cksum(uint8_t *buf, size_t len)
{
	put16(buf + 2, (uint16_t)len);
	fix_cksum(buf);
}

START_TEST(bad_bodies)
{
	uint8_t buf[MAX_LEN];
	struct ospf_packet pk;
	const struct cap_pkt *lsu = frame(&p2p, 19); /* 1 LSA of 60 bytes */

	/* LSA running past the packet. */
	memcpy(buf, lsu->data, lsu->len);
	set_len_and_cksum(buf, lsu->len - 4);
	ck_assert_int_eq(ospf_decode(buf, lsu->len - 4, &pk), OSPF_DROP_LSA_TRUNC);
	/* An LSA length below the 20-byte header. */
	memcpy(buf, lsu->data, lsu->len);
	put16(buf + 28 + 18, 19);
	fix_cksum(buf);
	ck_assert_int_eq(ospf_decode(buf, lsu->len, &pk), OSPF_DROP_LSA_TRUNC);
	put16(buf + 28 + 18, 0);
	fix_cksum(buf);
	ck_assert_int_eq(ospf_decode(buf, lsu->len, &pk), OSPF_DROP_LSA_TRUNC);
	/* More LSAs announced than present, including a huge count. */
	memcpy(buf, lsu->data, lsu->len);
	put32(buf + 24, 2);
	fix_cksum(buf);
	ck_assert_int_eq(ospf_decode(buf, lsu->len, &pk), OSPF_DROP_LSA_TRUNC);
	put32(buf + 24, 0xffffffff);
	fix_cksum(buf);
	ck_assert_int_eq(ospf_decode(buf, lsu->len, &pk), OSPF_DROP_LSA_TRUNC);
	/* Fewer announced than present: trailing bytes. */
	put32(buf + 24, 0);
	fix_cksum(buf);
	ck_assert_int_eq(ospf_decode(buf, lsu->len, &pk), OSPF_DROP_MALFORMED);
	/* LSU without even the count. */
	memcpy(buf, lsu->data, lsu->len);
	set_len_and_cksum(buf, 26);
	ck_assert_int_eq(ospf_decode(buf, 26, &pk), OSPF_DROP_MALFORMED);

	/* Hello with a partial neighbor, or shorter than its fixed part. */
	const struct cap_pkt *hello = frame(&p2p, 11);
	memcpy(buf, hello->data, hello->len);
	set_len_and_cksum(buf, hello->len - 2);
	ck_assert_int_eq(ospf_decode(buf, hello->len - 2, &pk), OSPF_DROP_MALFORMED);
	set_len_and_cksum(buf, 24 + 16);
	ck_assert_int_eq(ospf_decode(buf, 24 + 16, &pk), OSPF_DROP_MALFORMED);

	/* DD with a partial LSA header. */
	const struct cap_pkt *dd = frame(&p2p, 14);
	memcpy(buf, dd->data, dd->len);
	set_len_and_cksum(buf, dd->len - 1);
	ck_assert_int_eq(ospf_decode(buf, dd->len - 1, &pk), OSPF_DROP_MALFORMED);
	set_len_and_cksum(buf, 24 + 4);
	ck_assert_int_eq(ospf_decode(buf, 24 + 4, &pk), OSPF_DROP_MALFORMED);

	/* LSR with a partial entry; LSAck with a partial header. */
	const struct cap_pkt *lsr = frame(&p2p, 17);
	memcpy(buf, lsr->data, lsr->len);
	set_len_and_cksum(buf, lsr->len - 4);
	ck_assert_int_eq(ospf_decode(buf, lsr->len - 4, &pk), OSPF_DROP_MALFORMED);
	const struct cap_pkt *ack = frame(&p2p, 25);
	memcpy(buf, ack->data, ack->len);
	set_len_and_cksum(buf, ack->len - 8);
	ck_assert_int_eq(ospf_decode(buf, ack->len - 8, &pk), OSPF_DROP_MALFORMED);
	/* Empty LSR / LSAck bodies are valid. */
	set_len_and_cksum(buf, 24);
	ck_assert_int_eq(ospf_decode(buf, 24, &pk), OSPF_OK);
	ck_assert_uint_eq(pk.u.lsack.n_lsa_hdrs, 0);
}
END_TEST

START_TEST(lsupd_encode_multi)
{
	uint8_t l1[24] = { 0 }, l2[20] = { 0 }, buf[128];
	const uint8_t *lsas[2] = { l1, l2 };
	struct ospf_packet pk;
	size_t off = 0, len;
	put16(l1, 7);
	l1[3] = LSA_SUMMARY;
	put16(l1 + 18, sizeof(l1));
	l2[3] = LSA_EXTERNAL;
	put16(l2 + 18, sizeof(l2));
	size_t n = ospf_lsupd_encode(buf, sizeof(buf), 1, 0, lsas, 2);
	ck_assert_uint_eq(n, 24 + 4 + 24 + 20);
	ck_assert_uint_eq(ospf_finish(buf, n, sizeof(buf), &null_auth, 0), n);
	ck_assert_int_eq(ospf_decode(buf, n, &pk), OSPF_OK);
	ck_assert_uint_eq(pk.u.lsupd.n_lsas, 2);
	const uint8_t *a = ospf_lsupd_next(&pk.u.lsupd, &off, &len);
	ck_assert_uint_eq(len, 24);
	ck_assert_uint_eq(get16(a), 7); /* age written as given */
	ck_assert_ptr_nonnull(ospf_lsupd_next(&pk.u.lsupd, &off, &len));
	ck_assert_uint_eq(len, 20);
	ck_assert_uint_eq(buf[24 + 4 + 24 + 3], LSA_EXTERNAL);
	ck_assert_ptr_null(ospf_lsupd_next(&pk.u.lsupd, &off, &len));
	ck_assert_uint_eq(ospf_lsupd_encode(buf, n - 1, 1, 0, lsas, 2), 0);
	put16(l2 + 18, 10); /* an LSA shorter than its header cannot be sent */
	ck_assert_uint_eq(ospf_lsupd_encode(buf, sizeof(buf), 1, 0, lsas, 2), 0);
}
END_TEST

START_TEST(drop_names)
{
	ck_assert_str_eq(ospf_drop_name(OSPF_DROP_SHORT), "short");
	ck_assert_str_eq(ospf_drop_name(OSPF_DROP_CHECKSUM), "checksum");
	ck_assert_str_eq(ospf_drop_name(OSPF_DROP_AUTH_FAIL), "auth_fail");
	ck_assert_str_eq(ospf_drop_name(OSPF_DROP_AUTH_SEQ), "auth_seq");
	ck_assert_str_eq(ospf_drop_name(OSPF_DROP_LSA_TRUNC), "lsa_truncated");
	ck_assert_str_eq(ospf_drop_name(OSPF_DROP_IFACE), "interface");
	ck_assert_str_eq(ospf_drop_name(OSPF_DROP__COUNT), "unknown");
	for (int i = 1; i < OSPF_DROP__COUNT; i++) {
		const char *a = ospf_drop_name((enum ospf_drop)i);
		ck_assert_str_ne(a, "unknown");
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(a, ospf_drop_name((enum ospf_drop)j));
	}
}
END_TEST

START_TEST(inet_cksum_rfc1071)
{
	/* RFC 1071 section 3 example: sum of 0001 f203 f4f5 f6f7 = ddf2. */
	static const uint8_t d[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	ck_assert_uint_eq(inet_cksum(d, sizeof(d)), (uint16_t)~0xddf2);
	static const uint8_t odd[] = { 0x12, 0x34, 0x56 }; /* 0x1234 + 0x5600 */
	ck_assert_uint_eq(inet_cksum(odd, sizeof(odd)), (uint16_t)~0x6834);
	ck_assert_uint_eq(inet_cksum(d, 0), 0xffff);
}
END_TEST

static Suite *codec_suite(void)
{
	Suite *s = suite_create("ospf_codec");
	TCase *tc = tcase_create("capture");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, decode_all_p2p);
	tcase_add_test(tc, decode_all_bcast_md5);
	tcase_add_test(tc, hello_p2p_fields);
	tcase_add_test(tc, hello_bcast_dr_bdr);
	tcase_add_test(tc, dbdesc_fields);
	tcase_add_test(tc, lsreq_fields);
	tcase_add_test(tc, lsupd_router_lsa);
	tcase_add_test(tc, lsack_fields);
	tcase_add_test(tc, lsas_checksums_and_bodies);
	tcase_add_test(tc, roundtrip_p2p);
	tcase_add_test(tc, roundtrip_bcast_md5);
	tcase_add_test(tc, md5_verify_all);
	tcase_add_test(tc, md5_tampering_detected);
	tcase_add_test(tc, md5_sequence_tracking);
	tcase_add_test(tc, null_auth_checksum);
	tcase_add_test(tc, truncations_p2p);
	tcase_add_test(tc, truncations_bcast);
	tcase_add_test(tc, bad_header_fields);
	tcase_add_test(tc, bad_bodies);
	suite_add_tcase(s, tc);

	TCase *tb = tcase_create("build");
	tcase_add_test(tb, simple_auth_roundtrip);
	tcase_add_test(tb, md5_finish_fields);
	tcase_add_test(tb, lsupd_encode_multi);
	tcase_add_test(tb, drop_names);
	tcase_add_test(tb, inet_cksum_rfc1071);
	suite_add_tcase(s, tb);
	return s;
}

int main(void)
{
	return check_run(codec_suite());
}
