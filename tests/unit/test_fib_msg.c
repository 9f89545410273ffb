/* Unit tests of fib/route.c and fib/nhg.c message building (no socket). */
#include <arpa/inet.h>
#include <check.h>
#include "tests/unit/check_main.h"
#include <stdlib.h>

#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "fib/nhg.h"
#include "fib/route.h"

static const struct fib_nh NH[2] = { { 0x0a000101, 2, 0 }, { 0x0a000201, 3, 0 } };

static struct rtmsg *parse_route(struct nl_msg *m, struct nlattr **tb)
{
	struct nlmsghdr *h = nlmsg_hdr(m);

	ck_assert_int_eq(nlmsg_parse(h, sizeof(struct rtmsg), tb, RTA_MAX, NULL), 0);
	return nlmsg_data(h);
}

START_TEST(test_route_multipath)
{
	struct nl_msg *m = fib_route_msg_set(0x0a0a0000, 24, 20, NH, 2, 0);
	struct nlattr *tb[RTA_MAX + 1];
	struct rtmsg *rtm;
	struct rtnexthop *rtnh;
	int left, count = 0;

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(nlmsg_hdr(m)->nlmsg_type, RTM_NEWROUTE);
	ck_assert_int_eq(nlmsg_hdr(m)->nlmsg_flags & (NLM_F_CREATE | NLM_F_REPLACE),
			 NLM_F_CREATE | NLM_F_REPLACE);
	rtm = parse_route(m, tb);
	ck_assert_int_eq(rtm->rtm_protocol, 188);
	ck_assert_int_eq(rtm->rtm_table, RT_TABLE_MAIN);
	ck_assert_int_eq(rtm->rtm_dst_len, 24);
	ck_assert_int_eq(rtm->rtm_scope, RT_SCOPE_UNIVERSE);
	ck_assert_uint_eq(ntohl(nla_get_u32(tb[RTA_DST])), 0x0a0a0000);
	ck_assert_uint_eq(nla_get_u32(tb[RTA_PRIORITY]), 20);
	ck_assert_ptr_null(tb[RTA_NH_ID]);
	ck_assert_ptr_nonnull(tb[RTA_MULTIPATH]);
	rtnh = nla_data(tb[RTA_MULTIPATH]);
	left = nla_len(tb[RTA_MULTIPATH]);
	while (RTNH_OK(rtnh, left)) {
		struct nlattr *gw[RTA_MAX + 1];

		ck_assert_int_lt(count, 2);
		ck_assert_int_eq(rtnh->rtnh_ifindex, (int)NH[count].ifindex);
		ck_assert_int_eq(nla_parse(gw, RTA_MAX, (struct nlattr *)RTNH_DATA(rtnh),
					   rtnh->rtnh_len - (int)sizeof(*rtnh), NULL), 0);
		ck_assert_uint_eq(ntohl(nla_get_u32(gw[RTA_GATEWAY])), NH[count].gw);
		count++;
		left -= RTNH_ALIGN(rtnh->rtnh_len);
		rtnh = RTNH_NEXT(rtnh);
	}
	ck_assert_int_eq(count, 2);
	nlmsg_free(m);
}
END_TEST

START_TEST(test_route_single_and_nhid)
{
	struct nlattr *tb[RTA_MAX + 1];
	struct nl_msg *m = fib_route_msg_set(0x0a0b0000, 16, 5, NH, 1, 0);

	parse_route(m, tb);
	ck_assert_uint_eq(ntohl(nla_get_u32(tb[RTA_GATEWAY])), NH[0].gw);
	ck_assert_uint_eq(nla_get_u32(tb[RTA_OIF]), NH[0].ifindex);
	ck_assert_ptr_null(tb[RTA_MULTIPATH]);
	nlmsg_free(m);

	m = fib_route_msg_set(0x0a0b0000, 16, 5, NULL, 0, 0x10000007);
	parse_route(m, tb);
	ck_assert_uint_eq(nla_get_u32(tb[RTA_NH_ID]), 0x10000007);
	ck_assert_ptr_null(tb[RTA_GATEWAY]);
	ck_assert_ptr_null(tb[RTA_MULTIPATH]);
	nlmsg_free(m);

	/* On-link (no gateway): scope link. */
	struct fib_nh dev = { 0, 4, 0 };
	m = fib_route_msg_set(0x0a0c0000, 24, 5, &dev, 1, 0);
	ck_assert_int_eq(parse_route(m, tb)->rtm_scope, RT_SCOPE_LINK);
	ck_assert_ptr_null(tb[RTA_GATEWAY]);
	nlmsg_free(m);
}
END_TEST

START_TEST(test_route_del)
{
	struct nlattr *tb[RTA_MAX + 1];
	struct nl_msg *m = fib_route_msg_del(0x0a0a0000, 24, 20);
	struct rtmsg *rtm = parse_route(m, tb);

	ck_assert_int_eq(nlmsg_hdr(m)->nlmsg_type, RTM_DELROUTE);
	/* Protocol set: the kernel then only deletes a route of ours. */
	ck_assert_int_eq(rtm->rtm_protocol, 188);
	ck_assert_uint_eq(nla_get_u32(tb[RTA_PRIORITY]), 20);
	nlmsg_free(m);
}
END_TEST

START_TEST(test_nexthop_msgs)
{
	struct nlattr *tb[NHA_MAX + 1];
	uint32_t ids[2] = { 0x10000001, 0x10000002 };
	struct nl_msg *m = fib_nhg_msg_single(0x10000001, &NH[1]);
	struct nhmsg *nhm;
	const struct nexthop_grp *g;

	ck_assert_int_eq(nlmsg_parse(nlmsg_hdr(m), sizeof(*nhm), tb, NHA_MAX, NULL), 0);
	nhm = nlmsg_data(nlmsg_hdr(m));
	ck_assert_int_eq(nhm->nh_family, AF_INET);
	ck_assert_int_eq(nhm->nh_protocol, 188);
	ck_assert_uint_eq(nla_get_u32(tb[NHA_ID]), 0x10000001);
	ck_assert_uint_eq(nla_get_u32(tb[NHA_OIF]), NH[1].ifindex);
	ck_assert_uint_eq(ntohl(nla_get_u32(tb[NHA_GATEWAY])), NH[1].gw);
	nlmsg_free(m);

	m = fib_nhg_msg_group(0x10000003, ids, 2);
	ck_assert_int_eq(nlmsg_parse(nlmsg_hdr(m), sizeof(*nhm), tb, NHA_MAX, NULL), 0);
	ck_assert_int_eq(((struct nhmsg *)nlmsg_data(nlmsg_hdr(m)))->nh_family, AF_UNSPEC);
	ck_assert_int_eq(nla_len(tb[NHA_GROUP]), 2 * (int)sizeof(struct nexthop_grp));
	g = nla_data(tb[NHA_GROUP]);
	ck_assert_uint_eq(g[0].id, ids[0]);
	ck_assert_uint_eq(g[1].id, ids[1]);
	ck_assert_uint_eq(nla_get_u16(tb[NHA_GROUP_TYPE]), NEXTHOP_GRP_TYPE_MPATH);
	ck_assert(nlmsg_hdr(m)->nlmsg_flags & NLM_F_REPLACE);
	nlmsg_free(m);

	ck_assert_ptr_null(fib_nhg_msg_group(1, ids, 0));

	/* The kernel rejects a delete whose header is not zeroed. */
	m = fib_nhg_msg_del(0x10000003);
	ck_assert_int_eq(nlmsg_hdr(m)->nlmsg_type, RTM_DELNEXTHOP);
	ck_assert_int_eq(((struct nhmsg *)nlmsg_data(nlmsg_hdr(m)))->nh_protocol, 0);
	nlmsg_free(m);
}
END_TEST

/* Unnumbered ports: a gateway outside every subnet of the port goes in
 * on-link, in RTA_MULTIPATH (mixed with a numbered path), in a lone-path
 * route's header, and in a nexthop object. */
START_TEST(test_onlink)
{
	const struct fib_nh mixed[2] = { { 0x0a000101, 2, 0 }, { 0x0aff0003, 3, FIB_NH_ONLINK } };
	struct nlattr *tb[RTA_MAX + 1], *ntb[NHA_MAX + 1];
	struct nl_msg *m = fib_route_msg_set(0x0a0a0000, 24, 20, mixed, 2, 0);
	struct rtnexthop *rtnh;
	int left, count = 0;

	parse_route(m, tb);
	rtnh = nla_data(tb[RTA_MULTIPATH]);
	left = nla_len(tb[RTA_MULTIPATH]);
	while (RTNH_OK(rtnh, left)) {
		ck_assert_int_eq(rtnh->rtnh_flags & RTNH_F_ONLINK, count == 1 ? RTNH_F_ONLINK : 0);
		count++;
		left -= RTNH_ALIGN(rtnh->rtnh_len);
		rtnh = RTNH_NEXT(rtnh);
	}
	ck_assert_int_eq(count, 2);
	nlmsg_free(m);

	m = fib_route_msg_set(0x0a0a0000, 24, 20, &mixed[1], 1, 0);
	ck_assert_int_eq(parse_route(m, tb)->rtm_flags & RTNH_F_ONLINK, RTNH_F_ONLINK);
	ck_assert_uint_eq(ntohl(nla_get_u32(tb[RTA_GATEWAY])), 0x0aff0003);
	nlmsg_free(m);
	m = fib_route_msg_set(0x0a0a0000, 24, 20, &mixed[0], 1, 0);
	ck_assert_int_eq(parse_route(m, tb)->rtm_flags & RTNH_F_ONLINK, 0);
	nlmsg_free(m);

	m = fib_nhg_msg_single(0x10000001, &mixed[1]);
	ck_assert_int_eq(nlmsg_parse(nlmsg_hdr(m), sizeof(struct nhmsg), ntb, NHA_MAX, NULL), 0);
	ck_assert_int_eq(((struct nhmsg *)nlmsg_data(nlmsg_hdr(m)))->nh_flags, RTNH_F_ONLINK);
	ck_assert_uint_eq(ntohl(nla_get_u32(ntb[NHA_GATEWAY])), 0x0aff0003);
	nlmsg_free(m);
}
END_TEST

/* No fixed limit on a set: 300 next hops in one route, 300 group members. */
START_TEST(test_wide_sets)
{
	enum { N = 300 };
	struct fib_nh *nh = calloc(N, sizeof(*nh));
	uint32_t *ids = calloc(N, sizeof(*ids));
	struct nlattr *tb[RTA_MAX + 1];
	int left, count = 0;

	for (int i = 0; i < N; i++) {
		nh[i] = (struct fib_nh){ 0x0a000001 + (uint32_t)i * 2, 2, 0 };
		ids[i] = 0x10000000u + (uint32_t)i;
	}
	struct nl_msg *m = fib_route_msg_set(0x0a0a0000, 24, 20, nh, N, 0);
	ck_assert_ptr_nonnull(m);
	parse_route(m, tb);
	struct rtnexthop *rtnh = nla_data(tb[RTA_MULTIPATH]);
	left = nla_len(tb[RTA_MULTIPATH]);
	for (; RTNH_OK(rtnh, left); rtnh = RTNH_NEXT(rtnh), count++)
		left -= RTNH_ALIGN(rtnh->rtnh_len);
	ck_assert_int_eq(count, N);
	nlmsg_free(m);

	m = fib_nhg_msg_group(0x20000000, ids, N);
	ck_assert_ptr_nonnull(m);
	struct nlattr *ntb[NHA_MAX + 1];
	ck_assert_int_eq(nlmsg_parse(nlmsg_hdr(m), sizeof(struct nhmsg), ntb, NHA_MAX, NULL), 0);
	ck_assert_int_eq(nla_len(ntb[NHA_GROUP]), N * (int)sizeof(struct nexthop_grp));
	ck_assert_uint_eq(((const struct nexthop_grp *)nla_data(ntb[NHA_GROUP]))[N - 1].id,
			  ids[N - 1]);
	nlmsg_free(m);
	free(nh);
	free(ids);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fib_msg");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_route_multipath);
	tcase_add_test(tc, test_route_single_and_nhid);
	tcase_add_test(tc, test_route_del);
	tcase_add_test(tc, test_nexthop_msgs);
	tcase_add_test(tc, test_onlink);
	tcase_add_test(tc, test_wide_sets);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite());
}
