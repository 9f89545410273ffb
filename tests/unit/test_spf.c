/* SPF (RFC 2328 16.1, 16.1.1) on hand-built area databases. */
#include <check.h>
#include "tests/unit/check_main.h"
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/spf.h"
#include "proto/ospf/lsa.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define MAXLSA 256

/* A tiny LSDB: an array searched linearly. */
struct db {
	size_t n;
	struct {
		uint8_t type;
		uint32_t id, adv;
		size_t len;
		uint8_t buf[2048];
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

static struct lsa_hdr hdr(uint8_t type, uint32_t id, uint32_t adv)
{
	struct lsa_hdr h = { .age = 1, .options = 0x02, .type = type, .ls_id = id,
			     .adv_router = adv, .seq = INITIAL_SEQ };
	return h;
}

/* Add a Router-LSA, or replace the one this router already has. */
static void db_router(struct db *db, uint32_t rid, const struct rtr_link *l, size_t n)
{
	size_t i;
	for (i = 0; i < db->n && !(db->lsa[i].type == LSA_ROUTER && db->lsa[i].id == rid); i++)
		;
	ck_assert_uint_lt(i, MAXLSA);
	struct lsa_hdr h = hdr(LSA_ROUTER, rid, rid);
	db->lsa[i].type = LSA_ROUTER;
	db->lsa[i].id = db->lsa[i].adv = rid;
	db->lsa[i].len = lsa_router_build(db->lsa[i].buf, sizeof(db->lsa[0].buf), &h, 0, l, n);
	ck_assert_uint_gt(db->lsa[i].len, 0);
	if (i == db->n)
		db->n++;
}

static void db_network(struct db *db, uint32_t dr_addr, uint32_t dr, uint32_t mask,
		       const uint32_t *rtrs, size_t n)
{
	struct lsa_hdr h = hdr(LSA_NETWORK, dr_addr, dr);
	db->lsa[db->n].type = LSA_NETWORK;
	db->lsa[db->n].id = dr_addr;
	db->lsa[db->n].adv = dr;
	db->lsa[db->n].len =
		lsa_network_build(db->lsa[db->n].buf, sizeof(db->lsa[0].buf), &h, mask, rtrs, n);
	ck_assert_uint_gt(db->lsa[db->n].len, 0);
	db->n++;
}

/* A router being built: its links. */
struct rb {
	size_t n;
	struct rtr_link l[160];
};

static void rb_add(struct rb *r, uint8_t type, uint32_t id, uint32_t data, uint16_t metric)
{
	ck_assert_uint_lt(r->n, 160);
	r->l[r->n++] = (struct rtr_link){ .link_id = id, .link_data = data, .type = type,
					  .metric = metric };
}

/* Numbered p2p link (12.4.1.1): the router link plus the subnet as a stub. */
static void rb_p2p(struct rb *r, uint32_t nbr, uint32_t my_addr, uint32_t mask, uint16_t metric)
{
	rb_add(r, RTR_LINK_P2P, nbr, my_addr, metric);
	rb_add(r, RTR_LINK_STUB, my_addr & mask, mask, metric);
}

static void rb_loopback(struct rb *r, uint32_t rid)
{
	rb_add(r, RTR_LINK_STUB, rid, 0xffffffff, 0);
}

static const struct spf_route *find_route(const struct spf_result *res, uint32_t prefix,
					  uint8_t plen)
{
	for (size_t i = 0; i < res->n_routes; i++)
		if (res->routes[i].prefix == prefix && res->routes[i].plen == plen)
			return &res->routes[i];
	return NULL;
}

static void check_sorted(const struct spf_result *res)
{
	for (size_t i = 1; i < res->n_routes; i++) {
		const struct spf_route *a = &res->routes[i - 1], *b = &res->routes[i];
		ck_assert(a->prefix < b->prefix || (a->prefix == b->prefix && a->plen < b->plen));
	}
	for (size_t i = 0; i < res->n_routes; i++)
		for (size_t j = 1; j < res->routes[i].n_nh; j++) {
			const struct spf_nexthop *x = &res->routes[i].nh[j - 1], *y = &res->routes[i].nh[j];
			ck_assert(x->ifindex < y->ifindex ||
				  (x->ifindex == y->ifindex && x->addr < y->addr));
		}
}

static void run(struct db *db, uint32_t root, const struct spf_iface *ifs, size_t nif,
		unsigned max_paths, struct spf_result *res)
{
	struct spf_params p = { .root = root, .ifaces = ifs, .n_ifaces = nif,
				.max_paths = max_paths, .lookup = db_lookup, .ctx = db };
	ck_assert_int_eq(spf_run(&p, res), 0);
	check_sorted(res);
}

/* ---- a generic leaf/spine fabric ----
 * spine s (1..S): 10.255.0.s; leaf l (1..L): 10.254.0.l, host subnet
 * 192.168.l.0/24 (metric 10). Link leaf l - spine s: 172.16.l.(2s)/31, the
 * leaf has .2s, the spine .2s+1. On leaf 1 that link is ifindex 100+s. */
#define SPINE(s) IP(10, 255, 0, (s))
#define LEAF(l) IP(10, 254, 0, (l))
#define LADDR(l, s) IP(172, 16, (l), 2 * (s))
#define SADDR(l, s) IP(172, 16, (l), 2 * (s) + 1)
#define P31 0xfffffffeu

struct fabric_opt {
	unsigned spines, leaves;
	uint16_t up_metric;   /* leaf -> spine */
	uint16_t down_metric; /* spine -> leaf */
};

static void build_fabric(struct db *db, const struct fabric_opt *o)
{
	for (unsigned s = 1; s <= o->spines; s++) {
		struct rb r = { 0 };
		rb_loopback(&r, SPINE(s));
		for (unsigned l = 1; l <= o->leaves; l++)
			rb_p2p(&r, LEAF(l), SADDR(l, s), P31, o->down_metric);
		db_router(db, SPINE(s), r.l, r.n);
	}
	for (unsigned l = 1; l <= o->leaves; l++) {
		struct rb r = { 0 };
		rb_loopback(&r, LEAF(l));
		rb_add(&r, RTR_LINK_STUB, IP(192, 168, l, 0), 0xffffff00, 10);
		for (unsigned s = 1; s <= o->spines; s++)
			rb_p2p(&r, SPINE(s), LADDR(l, s), P31, o->up_metric);
		db_router(db, LEAF(l), r.l, r.n);
	}
}

static size_t leaf1_ifaces(struct spf_iface *ifs, unsigned spines)
{
	for (unsigned s = 1; s <= spines; s++)
		ifs[s - 1] = (struct spf_iface){ .ifindex = 100 + s, .addr = LADDR(1, s), .mask = P31 };
	return spines;
}

/* Route to leaf `l` must go over every spine 1..k. */
static void check_ecmp_to_leaf(const struct spf_result *res, unsigned l, unsigned k, uint32_t cost)
{
	const struct spf_route *rt = find_route(res, LEAF(l), 32);
	ck_assert_ptr_nonnull(rt);
	ck_assert_uint_eq(rt->cost, cost);
	ck_assert(!rt->connected);
	ck_assert_uint_eq(rt->adv_router, LEAF(l));
	ck_assert_uint_eq(rt->n_nh, k);
	for (unsigned s = 1; s <= k; s++) {
		ck_assert_uint_eq(rt->nh[s - 1].ifindex, 100 + s);
		ck_assert_uint_eq(rt->nh[s - 1].addr, SADDR(1, s));
	}
}

static struct db *db_new(void)
{
	struct db *db = calloc(1, sizeof(*db));
	ck_assert_ptr_nonnull(db);
	return db;
}

START_TEST(fabric_2x2)
{
	/* leaf1 = 1.1.1.1, leaf2 = 2.2.2.2, spine3 = 3.3.3.3, spine4 = 4.4.4.4 */
	struct db *db = db_new();
	uint32_t l1 = IP(1, 1, 1, 1), l2 = IP(2, 2, 2, 2), s3 = IP(3, 3, 3, 3), s4 = IP(4, 4, 4, 4);
	struct rb r;

	r = (struct rb){ 0 };
	rb_loopback(&r, l1);
	rb_p2p(&r, s3, IP(10, 0, 13, 0), P31, 10);
	rb_p2p(&r, s4, IP(10, 0, 14, 0), P31, 10);
	db_router(db, l1, r.l, r.n);
	r = (struct rb){ 0 };
	rb_loopback(&r, l2);
	rb_add(&r, RTR_LINK_STUB, IP(192, 168, 2, 0), 0xffffff00, 10);
	rb_p2p(&r, s3, IP(10, 0, 23, 0), P31, 10);
	rb_p2p(&r, s4, IP(10, 0, 24, 0), P31, 10);
	db_router(db, l2, r.l, r.n);
	r = (struct rb){ 0 };
	rb_loopback(&r, s3);
	rb_p2p(&r, l1, IP(10, 0, 13, 1), P31, 10);
	rb_p2p(&r, l2, IP(10, 0, 23, 1), P31, 10);
	db_router(db, s3, r.l, r.n);
	r = (struct rb){ 0 };
	rb_loopback(&r, s4);
	rb_p2p(&r, l1, IP(10, 0, 14, 1), P31, 10);
	rb_p2p(&r, l2, IP(10, 0, 24, 1), P31, 10);
	db_router(db, s4, r.l, r.n);

	struct spf_iface ifs[] = {
		{ .ifindex = 1, .addr = l1, .mask = 0xffffffff },
		{ .ifindex = 7, .addr = IP(10, 0, 13, 0), .mask = P31 },
		{ .ifindex = 8, .addr = IP(10, 0, 14, 0), .mask = P31 },
	};
	struct spf_result res;
	run(db, l1, ifs, 3, 0, &res);
	ck_assert_uint_eq(res.n_vertices, 4);
	/* 4 loopbacks + 4 /31s + host subnet */
	ck_assert_uint_eq(res.n_routes, 9);

	const struct spf_route *rt = find_route(&res, l2, 32);
	ck_assert_ptr_nonnull(rt);
	ck_assert_uint_eq(rt->cost, 20);
	ck_assert_uint_eq(rt->n_nh, 2);
	ck_assert_uint_eq(rt->nh[0].ifindex, 7);
	ck_assert_uint_eq(rt->nh[0].addr, IP(10, 0, 13, 1));
	ck_assert_uint_eq(rt->nh[1].ifindex, 8);
	ck_assert_uint_eq(rt->nh[1].addr, IP(10, 0, 14, 1));

	rt = find_route(&res, IP(192, 168, 2, 0), 24);
	ck_assert_ptr_nonnull(rt);
	ck_assert_uint_eq(rt->cost, 30);
	ck_assert_uint_eq(rt->n_nh, 2);
	ck_assert_uint_eq(rt->nh[0].addr, IP(10, 0, 13, 1));
	ck_assert_uint_eq(rt->nh[1].addr, IP(10, 0, 14, 1));

	rt = find_route(&res, s3, 32);
	ck_assert_uint_eq(rt->cost, 10);
	ck_assert_uint_eq(rt->n_nh, 1);
	ck_assert_uint_eq(rt->nh[0].ifindex, 7);
	ck_assert_uint_eq(rt->nh[0].addr, IP(10, 0, 13, 1));

	/* Our own stubs: connected, out of the right interface. */
	rt = find_route(&res, IP(10, 0, 14, 0), 31);
	ck_assert(rt->connected);
	ck_assert_uint_eq(rt->cost, 10);
	ck_assert_uint_eq(rt->n_nh, 1);
	ck_assert_uint_eq(rt->nh[0].ifindex, 8);
	ck_assert_uint_eq(rt->nh[0].addr, 0);
	rt = find_route(&res, l1, 32);
	ck_assert(rt->connected);
	ck_assert_uint_eq(rt->cost, 0);
	ck_assert_uint_eq(rt->nh[0].ifindex, 1);

	/* A remote /31 is reached via the nearer end only. */
	rt = find_route(&res, IP(10, 0, 24, 0), 31);
	ck_assert(!rt->connected);
	ck_assert_uint_eq(rt->cost, 20);
	ck_assert_uint_eq(rt->n_nh, 1);
	ck_assert_uint_eq(rt->nh[0].ifindex, 8);
	spf_result_free(&res);
	ck_assert_uint_eq(res.n_routes, 0);
	free(db);
}
END_TEST

START_TEST(fabric_4x8)
{
	struct db *db = db_new();
	struct fabric_opt o = { .spines = 4, .leaves = 8, .up_metric = 1, .down_metric = 1 };
	build_fabric(db, &o);
	struct spf_iface ifs[4];
	struct spf_result res;
	run(db, LEAF(1), ifs, leaf1_ifaces(ifs, 4), 0, &res);
	ck_assert_uint_eq(res.n_vertices, 12);
	for (unsigned l = 2; l <= 8; l++) {
		check_ecmp_to_leaf(&res, l, 4, 2);
		const struct spf_route *rt = find_route(&res, IP(192, 168, l, 0), 24);
		ck_assert_uint_eq(rt->cost, 12);
		ck_assert_uint_eq(rt->n_nh, 4);
	}
	/* spine loopback: one next hop each */
	for (unsigned s = 1; s <= 4; s++) {
		const struct spf_route *rt = find_route(&res, SPINE(s), 32);
		ck_assert_uint_eq(rt->n_nh, 1);
		ck_assert_uint_eq(rt->nh[0].ifindex, 100 + s);
	}
	/* 12 loopbacks + 8 host subnets + 32 /31s */
	ck_assert_uint_eq(res.n_routes, 52);
	spf_result_free(&res);
	free(db);
}
END_TEST

/* R1 (root), R2, R3 (DR) on 10.1.0.0/24; R4 hangs off R2 over a p2p link;
 * R5 sits with R4 on a second LAN 10.2.0.0/24 (R4 is DR). */
START_TEST(broadcast_transit)
{
	struct db *db = db_new();
	uint32_t r1 = IP(1, 0, 0, 1), r2 = IP(1, 0, 0, 2), r3 = IP(1, 0, 0, 3), r4 = IP(1, 0, 0, 4),
		 r5 = IP(1, 0, 0, 5);
	uint32_t dr = IP(10, 1, 0, 3), dr2 = IP(10, 2, 0, 4), m24 = 0xffffff00;
	struct rb r;

	r = (struct rb){ 0 };
	rb_loopback(&r, r1);
	rb_add(&r, RTR_LINK_TRANSIT, dr, IP(10, 1, 0, 1), 10);
	db_router(db, r1, r.l, r.n);
	r = (struct rb){ 0 };
	rb_loopback(&r, r2);
	rb_add(&r, RTR_LINK_TRANSIT, dr, IP(10, 1, 0, 2), 10);
	rb_p2p(&r, r4, IP(10, 9, 0, 0), P31, 5);
	db_router(db, r2, r.l, r.n);
	r = (struct rb){ 0 };
	rb_loopback(&r, r3);
	rb_add(&r, RTR_LINK_TRANSIT, dr, IP(10, 1, 0, 3), 10);
	db_router(db, r3, r.l, r.n);
	r = (struct rb){ 0 };
	rb_loopback(&r, r4);
	rb_p2p(&r, r2, IP(10, 9, 0, 1), P31, 5);
	rb_add(&r, RTR_LINK_TRANSIT, dr2, IP(10, 2, 0, 4), 1);
	db_router(db, r4, r.l, r.n);
	r = (struct rb){ 0 };
	rb_loopback(&r, r5);
	rb_add(&r, RTR_LINK_TRANSIT, dr2, IP(10, 2, 0, 5), 1);
	db_router(db, r5, r.l, r.n);
	uint32_t lan1[] = { r3, r1, r2 }, lan2[] = { r4, r5 };
	db_network(db, dr, r3, m24, lan1, 3);
	db_network(db, dr2, r4, m24, lan2, 2);

	struct spf_iface ifs[] = { { .ifindex = 5, .addr = IP(10, 1, 0, 1), .mask = m24 } };
	struct spf_result res;
	run(db, r1, ifs, 1, 0, &res);
	ck_assert_uint_eq(res.n_vertices, 7);

	const struct spf_route *rt = find_route(&res, IP(10, 1, 0, 0), 24);
	ck_assert_ptr_nonnull(rt);
	ck_assert(rt->connected);
	ck_assert_uint_eq(rt->cost, 10);
	ck_assert_uint_eq(rt->adv_router, r3);
	ck_assert_uint_eq(rt->n_nh, 1);
	ck_assert_uint_eq(rt->nh[0].ifindex, 5);
	ck_assert_uint_eq(rt->nh[0].addr, 0);

	rt = find_route(&res, r2, 32);
	ck_assert_uint_eq(rt->cost, 10);
	ck_assert_uint_eq(rt->n_nh, 1);
	ck_assert_uint_eq(rt->nh[0].addr, IP(10, 1, 0, 2));
	ck_assert_uint_eq(rt->nh[0].ifindex, 5);
	rt = find_route(&res, r3, 32);
	ck_assert_uint_eq(rt->nh[0].addr, IP(10, 1, 0, 3));
	/* beyond R2: inherited next hop */
	rt = find_route(&res, r4, 32);
	ck_assert_uint_eq(rt->cost, 15);
	ck_assert_uint_eq(rt->n_nh, 1);
	ck_assert_uint_eq(rt->nh[0].addr, IP(10, 1, 0, 2));
	/* a LAN that is not ours, and a router on it: still via R2 */
	rt = find_route(&res, IP(10, 2, 0, 0), 24);
	ck_assert(!rt->connected);
	ck_assert_uint_eq(rt->cost, 16);
	ck_assert_uint_eq(rt->adv_router, r4);
	ck_assert_uint_eq(rt->nh[0].addr, IP(10, 1, 0, 2));
	rt = find_route(&res, r5, 32);
	ck_assert_uint_eq(rt->cost, 16);
	ck_assert_uint_eq(rt->nh[0].addr, IP(10, 1, 0, 2));
	spf_result_free(&res);

	/* From R2 the LAN is connected and R1 is at its address on it. */
	run(db, r2, NULL, 0, 0, &res);
	rt = find_route(&res, r1, 32);
	ck_assert_uint_eq(rt->nh[0].addr, IP(10, 1, 0, 1));
	ck_assert_uint_eq(rt->nh[0].ifindex, 0); /* no interface table given */
	spf_result_free(&res);
	free(db);
}
END_TEST

struct diffrec {
	int n[3];
	uint32_t last_prefix[3];
};

static void diff_cb(void *ctx, enum rt_change what, const struct spf_route *old,
		    const struct spf_route *nw)
{
	struct diffrec *d = ctx;
	d->n[what]++;
	d->last_prefix[what] = what == RT_DEL ? old->prefix : nw->prefix;
	ck_assert(what == RT_ADD ? !old && nw : what == RT_DEL ? old && !nw : old && nw);
}

START_TEST(cost_change)
{
	struct db *db = db_new();
	struct fabric_opt o = { .spines = 2, .leaves = 2, .up_metric = 1, .down_metric = 1 };
	build_fabric(db, &o);
	struct spf_iface ifs[2];
	size_t nif = leaf1_ifaces(ifs, 2);
	struct spf_result a, b;
	run(db, LEAF(1), ifs, nif, 0, &a);
	check_ecmp_to_leaf(&a, 2, 2, 2);

	/* spine 2 -> leaf 2 gets expensive: only spine 1 remains. */
	struct db *db2 = db_new();
	build_fabric(db2, &o);
	struct rb r = { 0 };
	rb_loopback(&r, SPINE(2));
	rb_p2p(&r, LEAF(1), SADDR(1, 2), P31, 1);
	rb_p2p(&r, LEAF(2), SADDR(2, 2), P31, 50);
	db_router(db2, SPINE(2), r.l, r.n);
	run(db2, LEAF(1), ifs, nif, 0, &b);
	check_ecmp_to_leaf(&b, 2, 1, 2);

	struct diffrec d = { 0 };
	spf_result_diff(&a, &b, diff_cb, &d);
	/* leaf2 loopback + host subnet lose a next hop; the leaf2-spine2 /31
	 * is now cheaper from leaf2's end (2 + 1) than spine2's (1 + 50). */
	ck_assert_int_eq(d.n[RT_CHANGE], 3);
	const struct spf_route *rt = find_route(&b, LADDR(2, 2), 31);
	ck_assert_uint_eq(rt->cost, 3);
	ck_assert_uint_eq(rt->adv_router, LEAF(2));
	ck_assert_uint_eq(rt->n_nh, 1);
	ck_assert_uint_eq(rt->nh[0].ifindex, 101);
	ck_assert_int_eq(d.n[RT_ADD], 0);
	ck_assert_int_eq(d.n[RT_DEL], 0);
	memset(&d, 0, sizeof(d));
	spf_result_diff(&a, &a, diff_cb, &d);
	ck_assert_int_eq(d.n[RT_CHANGE] + d.n[RT_ADD] + d.n[RT_DEL], 0);
	spf_result_free(&a);
	spf_result_free(&b);
	free(db);
	free(db2);
}
END_TEST

START_TEST(asymmetric_costs)
{
	struct db *db = db_new();
	struct fabric_opt o = { .spines = 2, .leaves = 2, .up_metric = 3, .down_metric = 100 };
	build_fabric(db, &o);
	struct spf_iface ifs[2];
	struct spf_result res;
	run(db, LEAF(1), ifs, leaf1_ifaces(ifs, 2), 0, &res);
	check_ecmp_to_leaf(&res, 2, 2, 103); /* forward: 3 up + 100 down */
	ck_assert_uint_eq(find_route(&res, SPINE(1), 32)->cost, 3);
	spf_result_free(&res);
	free(db);
}
END_TEST

START_TEST(unreachable_router)
{
	struct db *db = db_new();
	struct fabric_opt o = { .spines = 2, .leaves = 2, .up_metric = 1, .down_metric = 1 };
	build_fabric(db, &o);
	/* An island: it claims a link to leaf 1, which does not link back. */
	struct rb r = { 0 };
	rb_loopback(&r, IP(9, 9, 9, 9));
	rb_add(&r, RTR_LINK_STUB, IP(99, 0, 0, 0), 0xff000000, 1);
	rb_p2p(&r, LEAF(1), IP(10, 99, 0, 1), P31, 1);
	db_router(db, IP(9, 9, 9, 9), r.l, r.n);
	struct spf_iface ifs[2];
	struct spf_result res;
	run(db, LEAF(1), ifs, leaf1_ifaces(ifs, 2), 0, &res);
	ck_assert_uint_eq(res.n_vertices, 4);
	ck_assert_ptr_null(find_route(&res, IP(9, 9, 9, 9), 32));
	ck_assert_ptr_null(find_route(&res, IP(99, 0, 0, 0), 8));
	ck_assert_ptr_null(find_route(&res, IP(10, 99, 0, 0), 31));
	spf_result_free(&res);

	/* Rooted at a router with no Router-LSA: nothing. */
	run(db, IP(8, 8, 8, 8), NULL, 0, 0, &res);
	ck_assert_uint_eq(res.n_routes, 0);
	ck_assert_uint_eq(res.n_vertices, 0);
	spf_result_free(&res);
	free(db);
}
END_TEST

START_TEST(missing_back_link)
{
	/* Spine 2 forgot leaf 2 (its LSA only lists leaf 1): leaf 2 -> spine 2
	 * fails the two-way check, so only spine 1 carries traffic. */
	struct db *db = db_new();
	struct fabric_opt o = { .spines = 2, .leaves = 2, .up_metric = 1, .down_metric = 1 };
	build_fabric(db, &o);
	struct rb r = { 0 };
	rb_loopback(&r, SPINE(2));
	rb_p2p(&r, LEAF(1), SADDR(1, 2), P31, 1);
	db_router(db, SPINE(2), r.l, r.n);
	struct spf_iface ifs[2];
	struct spf_result res;
	run(db, LEAF(1), ifs, leaf1_ifaces(ifs, 2), 0, &res);
	check_ecmp_to_leaf(&res, 2, 1, 2);
	spf_result_free(&res);

	/* Network-LSA that does not list us: not used. */
	struct db *db2 = db_new();
	uint32_t a = IP(1, 0, 0, 1), b = IP(1, 0, 0, 2), dr = IP(10, 1, 0, 2);
	r = (struct rb){ 0 };
	rb_loopback(&r, a);
	rb_add(&r, RTR_LINK_TRANSIT, dr, IP(10, 1, 0, 1), 1);
	db_router(db2, a, r.l, r.n);
	r = (struct rb){ 0 };
	rb_loopback(&r, b);
	rb_add(&r, RTR_LINK_TRANSIT, dr, IP(10, 1, 0, 2), 1);
	db_router(db2, b, r.l, r.n);
	uint32_t only_b[] = { b };
	db_network(db2, dr, b, 0xffffff00, only_b, 1);
	run(db2, a, NULL, 0, 0, &res);
	ck_assert_uint_eq(res.n_vertices, 1);
	ck_assert_ptr_null(find_route(&res, b, 32));
	spf_result_free(&res);
	free(db2);
	free(db);
}
END_TEST

START_TEST(parallel_links)
{
	/* leaf1 - spine1: three links, metrics 1, 1, 5; leaf1 - spine2: one. */
	struct db *db = db_new();
	uint32_t l1 = LEAF(1), l2 = LEAF(2), s1 = SPINE(1), s2 = SPINE(2);
	struct rb r = { 0 };
	rb_loopback(&r, l1);
	rb_p2p(&r, s1, IP(10, 0, 1, 0), P31, 1);
	rb_p2p(&r, s1, IP(10, 0, 1, 2), P31, 1);
	rb_p2p(&r, s1, IP(10, 0, 1, 4), P31, 5);
	rb_p2p(&r, s2, IP(10, 0, 2, 0), P31, 1);
	db_router(db, l1, r.l, r.n);
	r = (struct rb){ 0 };
	rb_loopback(&r, s1);
	rb_p2p(&r, l1, IP(10, 0, 1, 5), P31, 1); /* listed out of order on purpose */
	rb_p2p(&r, l1, IP(10, 0, 1, 3), P31, 1);
	rb_p2p(&r, l1, IP(10, 0, 1, 1), P31, 1);
	rb_p2p(&r, l2, IP(10, 0, 3, 1), P31, 1);
	db_router(db, s1, r.l, r.n);
	r = (struct rb){ 0 };
	rb_loopback(&r, s2);
	rb_p2p(&r, l1, IP(10, 0, 2, 1), P31, 1);
	rb_p2p(&r, l2, IP(10, 0, 4, 1), P31, 1);
	db_router(db, s2, r.l, r.n);
	r = (struct rb){ 0 };
	rb_loopback(&r, l2);
	rb_p2p(&r, s1, IP(10, 0, 3, 0), P31, 1);
	rb_p2p(&r, s2, IP(10, 0, 4, 0), P31, 1);
	db_router(db, l2, r.l, r.n);
	struct spf_iface ifs[] = {
		{ .ifindex = 11, .addr = IP(10, 0, 1, 0), .mask = P31 },
		{ .ifindex = 12, .addr = IP(10, 0, 1, 2), .mask = P31 },
		{ .ifindex = 13, .addr = IP(10, 0, 1, 4), .mask = P31 },
		{ .ifindex = 21, .addr = IP(10, 0, 2, 0), .mask = P31 },
	};
	struct spf_result res;
	run(db, l1, ifs, 4, 0, &res);
	const struct spf_route *rt = find_route(&res, s1, 32);
	ck_assert_uint_eq(rt->cost, 1);
	ck_assert_uint_eq(rt->n_nh, 2);
	ck_assert_uint_eq(rt->nh[0].ifindex, 11);
	ck_assert_uint_eq(rt->nh[0].addr, IP(10, 0, 1, 1));
	ck_assert_uint_eq(rt->nh[1].ifindex, 12);
	ck_assert_uint_eq(rt->nh[1].addr, IP(10, 0, 1, 3));
	rt = find_route(&res, l2, 32);
	ck_assert_uint_eq(rt->cost, 2);
	ck_assert_uint_eq(rt->n_nh, 3);
	ck_assert_uint_eq(rt->nh[0].ifindex, 11);
	ck_assert_uint_eq(rt->nh[1].ifindex, 12);
	ck_assert_uint_eq(rt->nh[2].ifindex, 21);
	ck_assert_uint_eq(rt->nh[2].addr, IP(10, 0, 2, 1));
	spf_result_free(&res);
	free(db);
}
END_TEST

START_TEST(max_paths_cut)
{
	struct db *db = db_new();
	struct fabric_opt o = { .spines = 70, .leaves = 2, .up_metric = 1, .down_metric = 1 };
	build_fabric(db, &o);
	struct spf_iface ifs[70];
	size_t nif = leaf1_ifaces(ifs, 70);
	struct spf_result res;
	run(db, LEAF(1), ifs, nif, 0, &res); /* default 64 */
	check_ecmp_to_leaf(&res, 2, 64, 2);
	spf_result_free(&res);
	run(db, LEAF(1), ifs, nif, 70, &res);
	check_ecmp_to_leaf(&res, 2, 70, 2);
	spf_result_free(&res);
	run(db, LEAF(1), ifs, nif, 2, &res);
	check_ecmp_to_leaf(&res, 2, 2, 2); /* the lowest two (ifindex, addr) */
	ck_assert_uint_eq(find_route(&res, IP(192, 168, 2, 0), 24)->n_nh, 2);
	spf_result_free(&res);
	free(db);
}
END_TEST

START_TEST(unnumbered)
{
	/* leaf1 ifindex 7 <-> spine1 ifindex 9, unnumbered (link data = ifindex) */
	struct db *db = db_new();
	uint32_t l1 = LEAF(1), l2 = LEAF(2), s1 = SPINE(1);
	struct rb r = { 0 };
	rb_loopback(&r, l1);
	rb_add(&r, RTR_LINK_P2P, s1, 7, 10);
	db_router(db, l1, r.l, r.n);
	r = (struct rb){ 0 };
	rb_loopback(&r, s1);
	rb_add(&r, RTR_LINK_P2P, l1, 9, 10);
	rb_add(&r, RTR_LINK_P2P, l2, 4, 10);
	db_router(db, s1, r.l, r.n);
	r = (struct rb){ 0 };
	rb_loopback(&r, l2);
	rb_add(&r, RTR_LINK_P2P, s1, 3, 10);
	db_router(db, l2, r.l, r.n);
	struct spf_iface ifs[] = { { .ifindex = 7, .addr = 0, .mask = 0 } };
	struct spf_result res;
	run(db, l1, ifs, 1, 0, &res);
	ck_assert_uint_eq(res.n_vertices, 3);
	ck_assert_uint_eq(res.n_routes, 3);
	const struct spf_route *rt = find_route(&res, l2, 32);
	ck_assert_uint_eq(rt->cost, 20);
	ck_assert_uint_eq(rt->n_nh, 1);
	ck_assert_uint_eq(rt->nh[0].ifindex, 7);
	ck_assert_uint_eq(rt->nh[0].addr, 0);
	spf_result_free(&res);
	/* without an interface table the link data is taken as the ifindex */
	run(db, l1, NULL, 0, 0, &res);
	rt = find_route(&res, s1, 32);
	ck_assert_uint_eq(rt->nh[0].ifindex, 7);
	spf_result_free(&res);
	free(db);
}
END_TEST

START_TEST(max_metric_and_malformed)
{
	/* RFC 6987: a spine at max-metric (0xffff) is only a last resort. */
	struct db *db = db_new();
	struct fabric_opt o = { .spines = 2, .leaves = 2, .up_metric = 1, .down_metric = 1 };
	build_fabric(db, &o);
	struct rb r = { 0 };
	rb_loopback(&r, SPINE(2));
	rb_p2p(&r, LEAF(1), SADDR(1, 2), P31, 0xffff);
	rb_p2p(&r, LEAF(2), SADDR(2, 2), P31, 0xffff);
	db_router(db, SPINE(2), r.l, r.n);
	struct spf_iface ifs[2];
	size_t nif = leaf1_ifaces(ifs, 2);
	struct spf_result res;
	run(db, LEAF(1), ifs, nif, 0, &res);
	check_ecmp_to_leaf(&res, 2, 1, 2);
	ck_assert_uint_eq(find_route(&res, SPINE(2), 32)->cost, 1); /* still reachable */
	spf_result_free(&res);

	/* Spine 1 truncated mid-link: treated as absent; then spine 2 (max
	 * metric) is the only way, and it is used. */
	db->lsa[0].len -= 5; /* spine 1 is the first LSA */
	run(db, LEAF(1), ifs, nif, 0, &res);
	ck_assert_ptr_null(find_route(&res, SPINE(1), 32));
	const struct spf_route *rt = find_route(&res, LEAF(2), 32);
	ck_assert_ptr_nonnull(rt);
	ck_assert_uint_eq(rt->cost, 1 + 0xffff); /* leaf1 -> spine2 is 1 */
	ck_assert_uint_eq(rt->nh[0].ifindex, 102);
	spf_result_free(&res);
	free(db);
}
END_TEST

static bool same_result(const struct spf_result *a, const struct spf_result *b)
{
	if (a->n_routes != b->n_routes || a->n_vertices != b->n_vertices)
		return false;
	for (size_t i = 0; i < a->n_routes; i++) {
		const struct spf_route *x = &a->routes[i], *y = &b->routes[i];
		if (x->prefix != y->prefix || x->plen != y->plen || x->cost != y->cost ||
		    x->adv_router != y->adv_router || x->connected != y->connected ||
		    x->n_nh != y->n_nh)
			return false;
		for (size_t j = 0; j < x->n_nh; j++)
			if (x->nh[j].addr != y->nh[j].addr || x->nh[j].ifindex != y->nh[j].ifindex)
				return false;
	}
	return true;
}

/* A workspace reused across runs of different sizes and max-paths gives
 * the same results as fresh runs. */
START_TEST(workspace_reuse)
{
	struct spf_ws *ws = spf_ws_new();
	ck_assert_ptr_nonnull(ws);
	struct fabric_opt opts[] = {
		{ .spines = 4, .leaves = 8, .up_metric = 1, .down_metric = 1 },
		{ .spines = 70, .leaves = 2, .up_metric = 1, .down_metric = 1 },
		{ .spines = 2, .leaves = 3, .up_metric = 2, .down_metric = 7 },
		{ .spines = 8, .leaves = 20, .up_metric = 1, .down_metric = 1 },
	};
	unsigned paths[] = { 0, 3, 1, 64 };
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < 4; i++) {
			struct db *db = db_new();
			build_fabric(db, &opts[i]);
			struct spf_iface ifs[70];
			size_t nif = leaf1_ifaces(ifs, opts[i].spines);
			struct spf_params p = { .root = LEAF(1), .ifaces = ifs, .n_ifaces = nif,
						.max_paths = paths[i], .lookup = db_lookup, .ctx = db };
			struct spf_result a, b;
			ck_assert_int_eq(spf_run(&p, &a), 0);
			ck_assert_int_eq(spf_run_ws(&p, ws, &b), 0);
			ck_assert(same_result(&a, &b));
			ck_assert_uint_gt(b.n_routes, 0);
			spf_result_free(&a);
			if (round)
				spf_ws_recycle(ws, &b); /* next run may reuse the block */
			else
				spf_result_free(&b);
			ck_assert_ptr_null(b.routes);
			free(db);
		}
	/* the same big result twice in a row, through a recycled block */
	struct db *db = db_new();
	build_fabric(db, &opts[3]);
	struct spf_iface ifs[8];
	struct spf_params p = { .root = LEAF(1), .ifaces = ifs, .n_ifaces = leaf1_ifaces(ifs, 8),
				.lookup = db_lookup, .ctx = db };
	struct spf_result a, b;
	ck_assert_int_eq(spf_run_ws(&p, ws, &a), 0);
	void *blk = a.routes;
	spf_ws_recycle(ws, &a);
	ck_assert_int_eq(spf_run_ws(&p, ws, &b), 0);
	ck_assert_ptr_eq(b.routes, blk);
	ck_assert_int_eq(spf_run(&p, &a), 0);
	ck_assert(same_result(&a, &b));
	spf_result_free(&a);
	spf_result_free(&b);
	spf_ws_recycle(NULL, &b);
	free(db);
	spf_ws_free(ws);
	spf_ws_free(NULL);
}
END_TEST

/* The same prefix from several routers: equal costs pool next hops. */
START_TEST(anycast_merge)
{
	struct db *db = db_new();
	struct fabric_opt o = { .spines = 2, .leaves = 2, .up_metric = 1, .down_metric = 1 };
	build_fabric(db, &o);
	uint32_t any = IP(192, 0, 2, 0), m24 = 0xffffff00;
	for (unsigned sp = 1; sp <= 2; sp++) {
		struct rb r = { 0 };
		rb_loopback(&r, SPINE(sp));
		rb_add(&r, RTR_LINK_STUB, any, m24, 1);
		for (unsigned l = 1; l <= 2; l++)
			rb_p2p(&r, LEAF(l), SADDR(l, sp), P31, 1);
		db_router(db, SPINE(sp), r.l, r.n);
	}
	struct spf_iface ifs[2];
	size_t nif = leaf1_ifaces(ifs, 2);
	struct spf_result res;
	run(db, LEAF(1), ifs, nif, 0, &res);
	const struct spf_route *rt = find_route(&res, any, 24);
	ck_assert_ptr_nonnull(rt);
	ck_assert_uint_eq(rt->cost, 2);
	ck_assert_uint_eq(rt->adv_router, SPINE(1));
	ck_assert_uint_eq(rt->n_nh, 2);
	ck_assert_uint_eq(rt->nh[0].addr, SADDR(1, 1));
	ck_assert_uint_eq(rt->nh[1].addr, SADDR(1, 2));
	spf_result_free(&res);

	/* spine 1's copy gets dearer: spine 2 alone */
	struct rb r = { 0 };
	rb_loopback(&r, SPINE(1));
	rb_add(&r, RTR_LINK_STUB, any, m24, 3);
	for (unsigned l = 1; l <= 2; l++)
		rb_p2p(&r, LEAF(l), SADDR(l, 1), P31, 1);
	db_router(db, SPINE(1), r.l, r.n);
	run(db, LEAF(1), ifs, nif, 0, &res);
	rt = find_route(&res, any, 24);
	ck_assert_uint_eq(rt->cost, 2);
	ck_assert_uint_eq(rt->adv_router, SPINE(2));
	ck_assert_uint_eq(rt->n_nh, 1);
	ck_assert_uint_eq(rt->nh[0].ifindex, 102);
	spf_result_free(&res);
	free(db);
}
END_TEST

static struct spf_nexthop nh_a[] = { { IP(10, 0, 0, 1), 1 } }, nh_b[] = { { IP(10, 0, 0, 3), 2 } },
			  nh_ab[] = { { IP(10, 0, 0, 1), 1 }, { IP(10, 0, 0, 3), 2 } };

START_TEST(result_diff)
{
	struct spf_route o[] = {
		{ .prefix = IP(10, 1, 0, 0), .plen = 16, .cost = 5, .n_nh = 1, .nh = nh_a },
		{ .prefix = IP(10, 2, 0, 0), .plen = 16, .cost = 5, .n_nh = 1, .nh = nh_a },
		{ .prefix = IP(10, 2, 0, 0), .plen = 24, .cost = 5, .n_nh = 1, .nh = nh_a },
		{ .prefix = IP(10, 3, 0, 0), .plen = 16, .cost = 5, .n_nh = 1, .nh = nh_a },
		{ .prefix = IP(10, 4, 0, 0), .plen = 16, .cost = 5, .n_nh = 1, .nh = nh_a },
	};
	struct spf_route n[] = {
		{ .prefix = IP(10, 0, 0, 0), .plen = 16, .cost = 5, .n_nh = 1, .nh = nh_a }, /* add */
		{ .prefix = IP(10, 1, 0, 0), .plen = 16, .cost = 5, .n_nh = 1, .nh = nh_a }, /* same */
		{ .prefix = IP(10, 2, 0, 0), .plen = 16, .cost = 6, .n_nh = 1, .nh = nh_a }, /* cost */
		/* 10.2/24 gone */
		{ .prefix = IP(10, 3, 0, 0), .plen = 16, .cost = 5, .n_nh = 2, .nh = nh_ab }, /* nh */
		{ .prefix = IP(10, 4, 0, 0), .plen = 16, .cost = 5, .n_nh = 1, .nh = nh_b }, /* nh */
		{ .prefix = IP(10, 5, 0, 0), .plen = 16, .cost = 5, .n_nh = 1, .nh = nh_a }, /* add */
	};
	struct spf_result ro = { .n_routes = 5, .routes = o }, rn = { .n_routes = 6, .routes = n };
	struct diffrec d = { 0 };
	spf_result_diff(&ro, &rn, diff_cb, &d);
	ck_assert_int_eq(d.n[RT_ADD], 2);
	ck_assert_int_eq(d.n[RT_CHANGE], 3);
	ck_assert_int_eq(d.n[RT_DEL], 1);
	ck_assert_uint_eq(d.last_prefix[RT_DEL], IP(10, 2, 0, 0));
	ck_assert_uint_eq(d.last_prefix[RT_ADD], IP(10, 5, 0, 0));

	struct spf_result empty = { 0 };
	memset(&d, 0, sizeof(d));
	spf_result_diff(&empty, &rn, diff_cb, &d);
	ck_assert_int_eq(d.n[RT_ADD], 6);
	memset(&d, 0, sizeof(d));
	spf_result_diff(&ro, &empty, diff_cb, &d);
	ck_assert_int_eq(d.n[RT_DEL], 5);
	memset(&d, 0, sizeof(d));
	spf_result_diff(NULL, NULL, diff_cb, &d);
	ck_assert_int_eq(d.n[RT_ADD] + d.n[RT_DEL] + d.n[RT_CHANGE], 0);
}
END_TEST

static Suite *spf_suite(void)
{
	Suite *s = suite_create("spf");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, fabric_2x2);
	tcase_add_test(tc, fabric_4x8);
	tcase_add_test(tc, broadcast_transit);
	tcase_add_test(tc, cost_change);
	tcase_add_test(tc, asymmetric_costs);
	tcase_add_test(tc, unreachable_router);
	tcase_add_test(tc, missing_back_link);
	tcase_add_test(tc, parallel_links);
	tcase_add_test(tc, max_paths_cut);
	tcase_add_test(tc, unnumbered);
	tcase_add_test(tc, max_metric_and_malformed);
	tcase_add_test(tc, result_diff);
	tcase_add_test(tc, workspace_reuse);
	tcase_add_test(tc, anycast_merge);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(spf_suite());
}
