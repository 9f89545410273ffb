/* Inter-area, ASBR and AS-external routes (RFC 2328 16.2, 16.4) on
 * hand-built area databases, and the Summary / AS-external LSA bodies
 * (A.4.4, A.4.5). */
#include <check.h>
#include "tests/unit/check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/spf.h"
#include "proto/ospf/lsa.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define MAXLSA 64

struct db {
	size_t n;
	struct {
		uint8_t type;
		uint32_t id, adv;
		size_t len;
		uint8_t buf[512];
	} lsa[MAXLSA];
};

static const uint8_t *db_lookup(void *ctx, uint8_t type, uint32_t id, uint32_t adv, size_t *len)
{
	struct db *db = ctx;
	for (size_t i = 0; i < db->n; i++)
		if (db->lsa[i].type == type && db->lsa[i].id == id && (!adv || db->lsa[i].adv == adv)) {
			*len = db->lsa[i].len;
			return db->lsa[i].buf;
		}
	return NULL;
}

static void db_each(void *ctx, uint8_t type, spf_lsa_fn fn, void *arg)
{
	struct db *db = ctx;
	for (size_t i = 0; i < db->n; i++)
		if (db->lsa[i].type == type)
			fn(arg, db->lsa[i].buf, db->lsa[i].len);
}

/* The slot for (type, id, adv): the existing one or a new one. */
static size_t db_slot(struct db *db, uint8_t type, uint32_t id, uint32_t adv)
{
	size_t i;
	for (i = 0; i < db->n; i++)
		if (db->lsa[i].type == type && db->lsa[i].id == id && db->lsa[i].adv == adv)
			return i;
	ck_assert_uint_lt(db->n, MAXLSA);
	db->lsa[i].type = type;
	db->lsa[i].id = id;
	db->lsa[i].adv = adv;
	db->n++;
	return i;
}

static struct lsa_hdr hdr(uint8_t type, uint32_t id, uint32_t adv)
{
	struct lsa_hdr h = { .age = 1, .options = 0x02, .type = type, .ls_id = id,
			     .adv_router = adv, .seq = INITIAL_SEQ };
	return h;
}

static void db_router(struct db *db, uint32_t rid, uint8_t flags, const struct rtr_link *l,
		      size_t n)
{
	size_t i = db_slot(db, LSA_ROUTER, rid, rid);
	struct lsa_hdr h = hdr(LSA_ROUTER, rid, rid);
	db->lsa[i].len = lsa_router_build(db->lsa[i].buf, sizeof(db->lsa[0].buf), &h, flags, l, n);
	ck_assert_uint_gt(db->lsa[i].len, 0);
}

static void db_summary(struct db *db, uint8_t type, uint32_t id, uint32_t adv, uint32_t mask,
		       uint32_t metric)
{
	size_t i = db_slot(db, type, id, adv);
	struct lsa_hdr h = hdr(type, id, adv);
	struct lsa_summary s = { mask, metric };
	db->lsa[i].len = lsa_summary_build(db->lsa[i].buf, sizeof(db->lsa[0].buf), &h, &s);
	ck_assert_uint_gt(db->lsa[i].len, 0);
}

static void db_external(struct db *db, uint32_t id, uint32_t adv, uint32_t mask, bool e2,
			uint32_t metric, uint32_t fa)
{
	size_t i = db_slot(db, LSA_EXTERNAL, id, adv);
	struct lsa_hdr h = hdr(LSA_EXTERNAL, id, adv);
	struct lsa_external x = { .netmask = mask, .e2 = e2, .metric = metric, .fwd_addr = fa };
	db->lsa[i].len = lsa_external_build(db->lsa[i].buf, sizeof(db->lsa[0].buf), &h, &x);
	ck_assert_uint_gt(db->lsa[i].len, 0);
}

/* Root R (1.1.1.1) has p2p links to A (2.2.2.2, ifindex 10, 10.0.1.0/31)
 * and B (3.3.3.3, ifindex 11, 10.0.2.0/31); R is .0, A/B are .1. */
#define R IP(1, 1, 1, 1)
#define A IP(2, 2, 2, 2)
#define B IP(3, 3, 3, 3)
#define C IP(4, 4, 4, 4)
#define P31 0xfffffffeu
#define P24 0xffffff00u
#define P16 0xffff0000u
#define HOST 0xffffffffu

static const struct spf_iface ifs[] = { { 10, IP(10, 0, 1, 0), P31 }, { 11, IP(10, 0, 2, 0), P31 } };

static void topo(struct db *db, uint8_t fa, uint8_t fb, uint16_t ma, uint16_t mb)
{
	struct rtr_link r[] = {
		{ A, IP(10, 0, 1, 0), RTR_LINK_P2P, ma }, { IP(10, 0, 1, 0), P31, RTR_LINK_STUB, ma },
		{ B, IP(10, 0, 2, 0), RTR_LINK_P2P, mb }, { IP(10, 0, 2, 0), P31, RTR_LINK_STUB, mb },
		{ R, HOST, RTR_LINK_STUB, 0 },
	};
	struct rtr_link a[] = { { R, IP(10, 0, 1, 1), RTR_LINK_P2P, 10 },
				{ IP(10, 0, 1, 0), P31, RTR_LINK_STUB, 10 },
				{ A, HOST, RTR_LINK_STUB, 0 } };
	struct rtr_link b[] = { { R, IP(10, 0, 2, 1), RTR_LINK_P2P, 10 },
				{ IP(10, 0, 2, 0), P31, RTR_LINK_STUB, 10 },
				{ B, HOST, RTR_LINK_STUB, 0 } };
	db_router(db, R, 0, r, 5);
	db_router(db, A, fa, a, 3);
	db_router(db, B, fb, b, 3);
}

static const struct spf_route *find_route(const struct spf_result *res, uint32_t prefix,
					  uint8_t plen)
{
	for (size_t i = 0; i < res->n_routes; i++)
		if (res->routes[i].prefix == prefix && res->routes[i].plen == plen)
			return &res->routes[i];
	return NULL;
}

static void run(struct db *db, struct spf_result *res)
{
	struct spf_params p = { .root = R, .ifaces = ifs, .n_ifaces = 2, .lookup = db_lookup,
				.each = db_each, .ctx = db };
	ck_assert_int_eq(spf_run(&p, res), 0);
	for (size_t i = 1; i < res->n_routes; i++) {
		const struct spf_route *x = &res->routes[i - 1], *y = &res->routes[i];
		ck_assert(x->prefix < y->prefix || (x->prefix == y->prefix && x->plen < y->plen));
	}
}

/* The route's next hops are exactly these neighbors (by ifindex 10 = A,
 * 11 = B). */
static void assert_via(const struct spf_route *r, bool via_a, bool via_b)
{
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->n_nh, (unsigned)via_a + via_b);
	size_t k = 0;
	if (via_a) {
		ck_assert_uint_eq(r->nh[k].ifindex, 10);
		ck_assert_uint_eq(r->nh[k++].addr, IP(10, 0, 1, 1));
	}
	if (via_b) {
		ck_assert_uint_eq(r->nh[k].ifindex, 11);
		ck_assert_uint_eq(r->nh[k].addr, IP(10, 0, 2, 1));
	}
}

/* ---- codecs ---- */

/* ---- real LSAs: FRR 8.4 as area border router (tests/data/frr-abr-area1.hex) ---- */

static uint32_t parse_ip(const char *s)
{
	unsigned a, b, c, d;
	if (sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
		return 0;
	return a << 24 | b << 16 | c << 8 | d;
}

/* Put one received LSA in the database, unless an instance as new is there. */
static void db_put(struct db *db, const uint8_t *lsa, size_t len)
{
	struct lsa_hdr h, old;
	lsa_hdr_decode(lsa, &h);
	ck_assert(lsa_checksum_ok(lsa, len));
	ck_assert_uint_le(len, sizeof(db->lsa[0].buf));
	size_t n = db->n, i = db_slot(db, h.type, h.ls_id, h.adv_router);
	if (i < n) {
		lsa_hdr_decode(db->lsa[i].buf, &old);
		if (lsa_compare(&h, &old) <= 0)
			return;
	}
	memcpy(db->lsa[i].buf, lsa, len);
	db->lsa[i].len = len;
}

/* Every LSA of every LS Update in the capture, newest instances kept. */
static void db_from_capture(struct db *db, const char *name)
{
	char path[512], line[8192];
	snprintf(path, sizeof path, "%s/%s", TESTDATA_DIR, name);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof line, f)) {
		char src[32], dst[32];
		unsigned frame, proto, v;
		int off = 0;
		uint8_t ip[2048];
		size_t len = 0;
		if (line[0] == '#' ||
		    sscanf(line, "%u %31s %31s %u | %n", &frame, src, dst, &proto, &off) != 4 ||
		    proto != 89 || !parse_ip(src))
			continue;
		for (const char *p = line + off; p[0] && p[1] && len < sizeof ip; p += 2) {
			if (sscanf(p, "%2x", &v) != 1)
				break;
			ip[len++] = (uint8_t)v;
		}
		const uint8_t *o = ip + (ip[0] & 15) * 4;
		if (o[1] != 4) /* LS Update */
			continue;
		size_t at = 28, n = (size_t)o[24] << 24 | o[25] << 16 | o[26] << 8 | o[27];
		for (size_t k = 0; k < n; k++) {
			size_t l = (size_t)o[at + 18] << 8 | o[at + 19];
			db_put(db, o + at, l);
			at += l;
		}
	}
	fclose(f);
}

START_TEST(frr_abr_capture)
{
	struct db db = { 0 };
	struct spf_result res;
	db_from_capture(&db, "frr-abr-area1.hex");
	/* The bodies as FRR sent them. */
	size_t len;
	const uint8_t *l = db_lookup(&db, LSA_EXTERNAL, IP(172, 31, 0, 0), IP(10, 255, 0, 100), &len);
	struct lsa_external x;
	ck_assert_ptr_nonnull(l);
	ck_assert(lsa_external_parse(l, len, &x));
	ck_assert_uint_eq(x.netmask, P24);
	ck_assert(x.e2);
	ck_assert_uint_eq(x.metric, 20);
	ck_assert_uint_eq(x.fwd_addr, 0);
	struct lsa_summary sum;
	l = db_lookup(&db, LSA_ASBR_SUMMARY, IP(10, 255, 0, 100), IP(10, 255, 0, 50), &len);
	ck_assert_ptr_nonnull(l);
	ck_assert(lsa_summary_parse(l, len, &sum));
	ck_assert_uint_eq(sum.netmask, 0);
	ck_assert_uint_eq(sum.metric, 10);
	l = db_lookup(&db, LSA_SUMMARY, IP(172, 30, 0, 0), IP(10, 255, 0, 50), &len);
	ck_assert_ptr_nonnull(l);
	ck_assert(lsa_summary_parse(l, len, &sum));
	ck_assert_uint_eq(sum.netmask, P24);
	ck_assert_uint_eq(sum.metric, 20);
	/* And the routes r1 computes from them. */
	static const struct spf_iface r1_if[] = { { 2, IP(10, 9, 1, 0), P31 } };
	struct spf_params p = { .root = IP(10, 255, 1, 1), .ifaces = r1_if, .n_ifaces = 1,
				.lookup = db_lookup, .each = db_each, .ctx = &db };
	ck_assert_int_eq(spf_run(&p, &res), 0);
	const struct spf_route *r = find_route(&res, IP(172, 30, 0, 0), 24);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->path, SPF_INTER);
	ck_assert_uint_eq(r->cost, 30);
	ck_assert_uint_eq(r->n_nh, 1);
	ck_assert_uint_eq(r->nh[0].addr, IP(10, 9, 1, 1));
	ck_assert_uint_eq(r->nh[0].ifindex, 2);
	r = find_route(&res, IP(10, 255, 0, 100), 32);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->path, SPF_INTER);
	r = find_route(&res, IP(172, 31, 0, 0), 24);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->path, SPF_EXT2);
	ck_assert_uint_eq(r->type2_cost, 20);
	ck_assert_uint_eq(r->cost, 20); /* to the ASBR: 10 to the ABR + 10 */
	ck_assert_uint_eq(r->adv_router, IP(10, 255, 0, 100));
	ck_assert_uint_eq(r->nh[0].addr, IP(10, 9, 1, 1));
	spf_result_free(&res);
}
END_TEST

/* The type-5 LSA FRR 8.4 sent for `redistribute connected` of
 * 172.31.0.0/24 (tests/data/frr-abr-area1.hex): E2, metric 20, no
 * forwarding address, tag 0. */
static const uint8_t frr_type5[] = {
	0x00, 0x02, 0x02, 0x05, 0xac, 0x1f, 0x00, 0x00, 0x0a, 0xff, 0x00, 0x64,
	0x80, 0x00, 0x00, 0x01, 0xbc, 0xc7, 0x00, 0x24, 0xff, 0xff, 0xff, 0x00,
	0x80, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

START_TEST(external_codec)
{
	uint8_t buf[64];
	memcpy(buf, frr_type5, sizeof(frr_type5));
	ck_assert(lsa_checksum_ok(buf, sizeof(frr_type5)));
	struct lsa_external x;
	ck_assert(lsa_external_parse(buf, sizeof(frr_type5), &x));
	ck_assert_uint_eq(x.netmask, P24);
	ck_assert(x.e2);
	ck_assert_uint_eq(x.metric, 20);
	ck_assert_uint_eq(x.fwd_addr, 0);
	ck_assert_uint_eq(x.tag, 0);
	/* Built from the same fields: the same bytes. */
	struct lsa_hdr h;
	lsa_hdr_decode(buf, &h);
	uint8_t out[64];
	ck_assert_uint_eq(lsa_external_build(out, sizeof(out), &h, &x), sizeof(frr_type5));
	ck_assert_mem_eq(out + 2, buf + 2, sizeof(frr_type5) - 2);
	/* Truncated, stray TOS bits, wrong type: refused. */
	ck_assert(!lsa_external_parse(buf, sizeof(frr_type5) - 1, &x));
	buf[24] |= 0x01;
	ck_assert(!lsa_external_parse(buf, sizeof(frr_type5), &x));
	buf[24] &= 0x7e;
	ck_assert(lsa_external_parse(buf, sizeof(frr_type5), &x));
	ck_assert(!x.e2);
	buf[3] = LSA_SUMMARY;
	ck_assert(!lsa_external_parse(buf, sizeof(frr_type5), &x));
	ck_assert_uint_eq(lsa_external_build(out, 35, &h, &x), 0);
}
END_TEST

START_TEST(summary_codec)
{
	uint8_t buf[64];
	struct lsa_hdr h = hdr(LSA_SUMMARY, IP(172, 20, 0, 0), A);
	struct lsa_summary s = { P16, 0x123456 }, t;
	size_t len = lsa_summary_build(buf, sizeof(buf), &h, &s);
	ck_assert_uint_eq(len, 28);
	ck_assert(lsa_checksum_ok(buf, len));
	ck_assert_uint_eq(buf[24], 0);
	ck_assert(lsa_summary_parse(buf, len, &t));
	ck_assert_uint_eq(t.netmask, P16);
	ck_assert_uint_eq(t.metric, 0x123456);
	buf[3] = LSA_ASBR_SUMMARY;
	ck_assert(lsa_summary_parse(buf, len, &t));
	ck_assert(!lsa_summary_parse(buf, len - 1, &t));
	buf[3] = LSA_EXTERNAL;
	ck_assert(!lsa_summary_parse(buf, len, &t));
}
END_TEST

/* ---- 16.2 ---- */

START_TEST(inter_area_ecmp)
{
	struct db db = { 0 };
	struct spf_result res;
	topo(&db, RTR_FLAG_B, RTR_FLAG_B, 10, 10);
	db_summary(&db, LSA_SUMMARY, IP(172, 20, 0, 0), A, P16, 5);
	db_summary(&db, LSA_SUMMARY, IP(172, 20, 0, 0), B, P16, 5);
	run(&db, &res);
	const struct spf_route *r = find_route(&res, IP(172, 20, 0, 0), 16);
	assert_via(r, true, true);
	ck_assert_uint_eq(r->cost, 15);
	ck_assert_uint_eq(r->path, SPF_INTER);
	ck_assert_str_eq(spf_path_name(r->path), "inter-area");
	ck_assert_uint_eq(find_route(&res, A, 32)->path, SPF_INTRA);
	spf_result_free(&res);

	/* The cheaper ABR alone. */
	db_summary(&db, LSA_SUMMARY, IP(172, 20, 0, 0), B, P16, 7);
	run(&db, &res);
	assert_via(find_route(&res, IP(172, 20, 0, 0), 16), true, false);
	spf_result_free(&res);

	/* A router without the B bit is no area border router: ignored. */
	topo(&db, 0, RTR_FLAG_B, 10, 10);
	run(&db, &res);
	r = find_route(&res, IP(172, 20, 0, 0), 16);
	assert_via(r, false, true);
	ck_assert_uint_eq(r->cost, 17);
	spf_result_free(&res);

	/* LSInfinity: no route. */
	db_summary(&db, LSA_SUMMARY, IP(172, 20, 0, 0), B, P16, LS_INFINITY);
	run(&db, &res);
	ck_assert_ptr_null(find_route(&res, IP(172, 20, 0, 0), 16));
	spf_result_free(&res);
}
END_TEST

START_TEST(intra_beats_inter)
{
	struct db db = { 0 };
	struct spf_result res;
	topo(&db, RTR_FLAG_B, RTR_FLAG_B, 10, 10);
	/* B's loopback: intra-area at 10, a summary of it at 1 loses. */
	db_summary(&db, LSA_SUMMARY, B, A, HOST, 1);
	/* Our own summary (were we an ABR) is not a path. */
	db_summary(&db, LSA_SUMMARY, IP(172, 21, 0, 0), R, P16, 1);
	/* An ABR the tree does not reach. */
	db_summary(&db, LSA_SUMMARY, IP(172, 22, 0, 0), C, P16, 1);
	run(&db, &res);
	const struct spf_route *r = find_route(&res, B, 32);
	assert_via(r, false, true);
	ck_assert_uint_eq(r->path, SPF_INTRA);
	ck_assert_uint_eq(r->cost, 10);
	ck_assert_ptr_null(find_route(&res, IP(172, 21, 0, 0), 16));
	ck_assert_ptr_null(find_route(&res, IP(172, 22, 0, 0), 16));
	spf_result_free(&res);
}
END_TEST

/* ---- 16.4 ---- */

START_TEST(external_e2_ecmp_and_tiebreak)
{
	struct db db = { 0 };
	struct spf_result res;
	topo(&db, RTR_FLAG_E, RTR_FLAG_E, 10, 10);
	db_external(&db, IP(192, 168, 50, 0), A, P24, true, 20, 0);
	db_external(&db, IP(192, 168, 50, 0), B, P24, true, 20, 0);
	run(&db, &res);
	const struct spf_route *r = find_route(&res, IP(192, 168, 50, 0), 24);
	assert_via(r, true, true);
	ck_assert_uint_eq(r->path, SPF_EXT2);
	ck_assert_uint_eq(r->type2_cost, 20);
	ck_assert_uint_eq(r->cost, 10);
	spf_result_free(&res);

	/* Equal E2 metric: the nearer ASBR wins (16.4 (6)). */
	topo(&db, RTR_FLAG_E, RTR_FLAG_E, 10, 30);
	run(&db, &res);
	assert_via(find_route(&res, IP(192, 168, 50, 0), 24), true, false);
	spf_result_free(&res);

	/* A lower E2 metric beats a shorter path to the ASBR. */
	db_external(&db, IP(192, 168, 50, 0), B, P24, true, 19, 0);
	run(&db, &res);
	r = find_route(&res, IP(192, 168, 50, 0), 24);
	assert_via(r, false, true);
	ck_assert_uint_eq(r->cost, 30);
	spf_result_free(&res);

	/* Any E1 path beats any E2 path. */
	db_external(&db, IP(192, 168, 50, 0), A, P24, false, 1000, 0);
	run(&db, &res);
	r = find_route(&res, IP(192, 168, 50, 0), 24);
	assert_via(r, true, false);
	ck_assert_uint_eq(r->path, SPF_EXT1);
	ck_assert_uint_eq(r->cost, 1010);
	ck_assert_str_eq(spf_path_name(r->path), "external-1");
	spf_result_free(&res);
}
END_TEST

START_TEST(external_e1_ecmp_and_cut)
{
	struct db db = { 0 };
	struct spf_result res;
	topo(&db, RTR_FLAG_E, RTR_FLAG_E, 10, 20);
	/* E1: 10 + 15 via A equals 20 + 5 via B: both paths. */
	db_external(&db, IP(192, 168, 90, 0), A, P24, false, 15, 0);
	db_external(&db, IP(192, 168, 90, 0), B, P24, false, 5, 0);
	run(&db, &res);
	const struct spf_route *r = find_route(&res, IP(192, 168, 90, 0), 24);
	assert_via(r, true, true);
	ck_assert_uint_eq(r->cost, 25);
	ck_assert_uint_eq(r->adv_router, A); /* the lower of the two */
	spf_result_free(&res);
	/* maximum-paths 1: the same single path whatever the order. */
	struct spf_params p = { .root = R, .ifaces = ifs, .n_ifaces = 2, .max_paths = 1,
				.lookup = db_lookup, .each = db_each, .ctx = &db };
	ck_assert_int_eq(spf_run(&p, &res), 0);
	assert_via(find_route(&res, IP(192, 168, 90, 0), 24), true, false);
	spf_result_free(&res);
}
END_TEST

START_TEST(bad_masks_and_default)
{
	struct db db = { 0 };
	struct spf_result res;
	topo(&db, RTR_FLAG_B | RTR_FLAG_E, 0, 10, 10);
	/* Non-contiguous masks: not a prefix, ignored. */
	db_summary(&db, LSA_SUMMARY, IP(172, 23, 0, 0), A, 0xff00ff00u, 1);
	db_external(&db, IP(192, 168, 91, 0), A, 0xffff00ffu, true, 1, 0);
	/* A default route from the ABR (type 3, 0.0.0.0/0). */
	db_summary(&db, LSA_SUMMARY, 0, A, 0, 1);
	/* Host bits in the Link State ID (Appendix E) are masked off. */
	db_external(&db, IP(192, 168, 92, 255), A, P24, true, 1, 0);
	run(&db, &res);
	ck_assert_uint_eq(res.routes[0].prefix, 0);
	ck_assert_uint_eq(res.routes[0].plen, 0);
	ck_assert_uint_eq(res.routes[0].path, SPF_INTER);
	ck_assert_uint_eq(res.routes[0].cost, 11);
	for (size_t i = 0; i < res.n_routes; i++)
		ck_assert(res.routes[i].prefix != IP(172, 23, 0, 0) &&
			  res.routes[i].prefix != IP(192, 168, 91, 0));
	ck_assert_ptr_nonnull(find_route(&res, IP(192, 168, 92, 0), 24));
	spf_result_free(&res);
}
END_TEST

START_TEST(external_ignored)
{
	struct db db = { 0 };
	struct spf_result res;
	/* B lacks the E bit: not an ASBR. */
	topo(&db, RTR_FLAG_E, 0, 10, 10);
	db_external(&db, IP(192, 168, 60, 0), B, P24, true, 20, 0);
	db_external(&db, IP(192, 168, 61, 0), A, P24, true, LS_INFINITY, 0);
	db_external(&db, IP(192, 168, 62, 0), R, P24, true, 20, 0);
	db_external(&db, IP(192, 168, 63, 0), C, P24, true, 20, 0);
	/* A forwarding address nothing routes to. */
	db_external(&db, IP(192, 168, 64, 0), A, P24, true, 20, IP(203, 0, 113, 1));
	/* An intra-area prefix stays intra-area. */
	db_external(&db, B, A, HOST, false, 1, 0);
	run(&db, &res);
	for (uint32_t n = 60; n <= 64; n++)
		ck_assert_ptr_null(find_route(&res, IP(192, 168, n, 0), 24));
	ck_assert_uint_eq(find_route(&res, B, 32)->path, SPF_INTRA);
	spf_result_free(&res);
}
END_TEST

START_TEST(forwarding_address)
{
	struct db db = { 0 };
	struct spf_result res;
	topo(&db, RTR_FLAG_E, 0, 10, 10);
	/* A names B's loopback: the route follows the path to B, cost to it. */
	db_external(&db, IP(192, 168, 70, 0), A, P24, false, 5, B);
	/* A names B's end of our link to B: B is the next hop, on ifindex 11. */
	db_external(&db, IP(192, 168, 71, 0), A, P24, true, 5, IP(10, 0, 2, 1));
	/* Our own address: not a way out. */
	db_external(&db, IP(192, 168, 72, 0), A, P24, true, 5, IP(10, 0, 2, 0));
	run(&db, &res);
	const struct spf_route *r = find_route(&res, IP(192, 168, 70, 0), 24);
	assert_via(r, false, true);
	ck_assert_uint_eq(r->cost, 15);
	r = find_route(&res, IP(192, 168, 71, 0), 24);
	assert_via(r, false, true);
	ck_assert_uint_eq(r->cost, 10);
	ck_assert_ptr_null(find_route(&res, IP(192, 168, 72, 0), 24));
	spf_result_free(&res);
}
END_TEST

START_TEST(asbr_inter_area)
{
	struct db db = { 0 };
	struct spf_result res;
	/* C is an ASBR in another area; A and B announce it with type-4 LSAs. */
	topo(&db, RTR_FLAG_B, RTR_FLAG_B, 10, 10);
	db_summary(&db, LSA_ASBR_SUMMARY, C, A, 0, 5);
	db_summary(&db, LSA_ASBR_SUMMARY, C, B, 0, 5);
	db_external(&db, IP(192, 168, 80, 0), C, P24, false, 100, 0);
	db_external(&db, IP(192, 168, 81, 0), C, P24, true, 100, 0);
	/* The same prefix inter-area: that wins over the external. */
	db_external(&db, IP(172, 20, 0, 0), C, P16, false, 1, 0);
	db_summary(&db, LSA_SUMMARY, IP(172, 20, 0, 0), A, P16, 50);
	run(&db, &res);
	const struct spf_route *r = find_route(&res, IP(192, 168, 80, 0), 24);
	assert_via(r, true, true);
	ck_assert_uint_eq(r->cost, 115);
	ck_assert_uint_eq(r->adv_router, C);
	r = find_route(&res, IP(192, 168, 81, 0), 24);
	assert_via(r, true, true);
	ck_assert_uint_eq(r->cost, 15);
	ck_assert_uint_eq(r->type2_cost, 100);
	r = find_route(&res, IP(172, 20, 0, 0), 16);
	assert_via(r, true, false);
	ck_assert_uint_eq(r->path, SPF_INTER);
	ck_assert_uint_eq(r->cost, 60);
	spf_result_free(&res);

	/* No type-4 any more: C is unreachable, its externals go. */
	db.lsa[db_slot(&db, LSA_ASBR_SUMMARY, C, A)].type = 0;
	db.lsa[db_slot(&db, LSA_ASBR_SUMMARY, C, B)].type = 0;
	run(&db, &res);
	ck_assert_ptr_null(find_route(&res, IP(192, 168, 80, 0), 24));
	spf_result_free(&res);
}
END_TEST

static void diff_cb(void *ctx, enum rt_change what, const struct spf_route *o,
		    const struct spf_route *n)
{
	ck_assert_int_eq(what, RT_CHANGE);
	(*(int *)ctx)++;
}

START_TEST(diff_sees_path_change)
{
	struct spf_nexthop nh = { IP(10, 0, 1, 1), 10 };
	struct spf_route a = { .prefix = IP(192, 168, 1, 0), .plen = 24, .cost = 10,
			       .path = SPF_EXT2, .type2_cost = 20, .n_nh = 1, .nh = &nh };
	struct spf_route b = a;
	b.type2_cost = 30;
	struct spf_result ra = { 1, &a, 0 }, rb = { 1, &b, 0 };
	int changes = 0;
	spf_result_diff(&ra, &rb, diff_cb, &changes);
	ck_assert_int_eq(changes, 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("spf_ext");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, frr_abr_capture);
	tcase_add_test(tc, external_codec);
	tcase_add_test(tc, summary_codec);
	tcase_add_test(tc, inter_area_ecmp);
	tcase_add_test(tc, intra_beats_inter);
	tcase_add_test(tc, external_e2_ecmp_and_tiebreak);
	tcase_add_test(tc, external_e1_ecmp_and_cut);
	tcase_add_test(tc, bad_masks_and_default);
	tcase_add_test(tc, external_ignored);
	tcase_add_test(tc, forwarding_address);
	tcase_add_test(tc, asbr_inter_area);
	tcase_add_test(tc, diff_sees_path_change);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite());
}
