/* fib/route.c: build and parse rtnetlink route messages with libnl. */
#include "fib/route.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

struct nl_msg *fib_msg_new(int type, int flags, size_t attrs)
{
	/* libnl's default is one page: a wide next-hop set needs more. */
	size_t sz = (size_t)nlmsg_total_size(64) + attrs + 256;
	struct nl_msg *m = nlmsg_alloc_size(sz < 4096 ? 4096 : sz);

	if (m && !nlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, type, 0, flags)) {
		nlmsg_free(m);
		m = NULL;
	}
	return m;
}

static struct nl_msg *route_msg(int type, int flags, uint32_t prefix, uint8_t plen,
				uint32_t metric, unsigned char scope, unsigned rtm_flags,
				size_t n_nh)
{
	struct rtmsg rtm = {
		.rtm_flags = rtm_flags,
		.rtm_family = AF_INET,
		.rtm_dst_len = plen,
		.rtm_table = RT_TABLE_MAIN,
		.rtm_protocol = FIB_RTPROT,
		.rtm_scope = scope,
		.rtm_type = RTN_UNICAST,
	};
	/* RTA_MULTIPATH: an rtnexthop and an RTA_GATEWAY per next hop */
	struct nl_msg *m = fib_msg_new(type, flags, n_nh * 16);

	if (!m)
		return NULL;
	if (nlmsg_append(m, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
	    nla_put_u32(m, RTA_DST, htonl(prefix)) < 0 ||
	    nla_put_u32(m, RTA_PRIORITY, metric) < 0) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/* RTA_MULTIPATH: a run of struct rtnexthop, each followed by its RTA_GATEWAY. */
static int put_multipath(struct nl_msg *m, const struct fib_nh *nh, size_t n)
{
	struct nlattr *mp = nla_nest_start(m, RTA_MULTIPATH);

	if (!mp)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct rtnexthop *rtnh = nlmsg_reserve(m, sizeof(*rtnh), NLMSG_ALIGNTO);

		if (!rtnh)
			return -1;
		rtnh->rtnh_flags = nh[i].flags & FIB_NH_ONLINK ? RTNH_F_ONLINK : 0;
		rtnh->rtnh_hops = 0;	/* weight 1: plain ECMP */
		rtnh->rtnh_ifindex = (int)nh[i].ifindex;
		if (nh[i].gw && nla_put_u32(m, RTA_GATEWAY, htonl(nh[i].gw)) < 0)
			return -1;
		rtnh->rtnh_len = (unsigned short)((char *)nlmsg_tail(nlmsg_hdr(m)) - (char *)rtnh);
	}
	nla_nest_end(m, mp);
	return 0;
}

struct nl_msg *fib_route_msg_set(uint32_t prefix, uint8_t plen, uint32_t metric,
				 const struct fib_nh *nh, size_t n, uint32_t nhid)
{
	/* A lone next hop without gateway is an on-link route: scope link. */
	unsigned char scope = (!nhid && n == 1 && !nh[0].gw) ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	/* A lone on-link gateway carries RTNH_F_ONLINK in the route header. */
	unsigned flags = (!nhid && n == 1 && (nh[0].flags & FIB_NH_ONLINK)) ? RTNH_F_ONLINK : 0;
	struct nl_msg *m = route_msg(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE,
				     prefix, plen, metric, scope, flags, n);
	int err;

	if (!m)
		return NULL;
	if (nhid)
		err = nla_put_u32(m, RTA_NH_ID, nhid);
	else if (n == 1)
		err = (nh[0].gw ? nla_put_u32(m, RTA_GATEWAY, htonl(nh[0].gw)) : 0) ||
		      nla_put_u32(m, RTA_OIF, nh[0].ifindex);
	else
		err = put_multipath(m, nh, n);
	if (err) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

struct nl_msg *fib_route_msg_del(uint32_t prefix, uint8_t plen, uint32_t metric)
{
	return route_msg(RTM_DELROUTE, 0, prefix, plen, metric, RT_SCOPE_NOWHERE, 0, 0);
}

/* The rtnexthop entries of RTA_MULTIPATH, in order; out NULL: count only. */
static size_t walk_multipath(struct nlattr *mp, struct fib_nh *out)
{
	int left = nla_len(mp);
	struct rtnexthop *rtnh = nla_data(mp);
	size_t n = 0;

	while (left >= (int)sizeof(*rtnh) && rtnh->rtnh_len >= sizeof(*rtnh) &&
	       rtnh->rtnh_len <= left) {
		struct nlattr *tb[RTA_MAX + 1];
		struct fib_nh *o = out ? &out[n] : NULL;

		n++;
		left -= RTNH_ALIGN(rtnh->rtnh_len);
		if (!o) {
			rtnh = RTNH_NEXT(rtnh);
			continue;
		}
		o->ifindex = (uint32_t)rtnh->rtnh_ifindex;
		o->flags = rtnh->rtnh_flags & RTNH_F_ONLINK ? FIB_NH_ONLINK : 0;
		o->gw = 0;
		if (nla_parse(tb, RTA_MAX, (struct nlattr *)RTNH_DATA(rtnh),
			      rtnh->rtnh_len - (int)sizeof(*rtnh), NULL) == 0 &&
		    tb[RTA_GATEWAY] && nla_len(tb[RTA_GATEWAY]) == 4)
			o->gw = ntohl(nla_get_u32(tb[RTA_GATEWAY]));
		rtnh = RTNH_NEXT(rtnh);
	}
	return n;
}

struct dump_ctx {
	void (*cb)(void *ctx, const struct fib_kroute *r);
	void *ctx;
};

/* Attribute lengths are checked before they are read (nla_parse with a
 * policy): a short RTA_PRIORITY must not read past its attribute. */
static struct nla_policy route_policy[RTA_MAX + 1] = {
	[RTA_TABLE] = { .type = NLA_U32 },
	[RTA_PRIORITY] = { .type = NLA_U32 },
	[RTA_NH_ID] = { .type = NLA_U32 },
	[RTA_OIF] = { .type = NLA_U32 },
	[RTA_DST] = { .type = NLA_U32 },
	[RTA_GATEWAY] = { .type = NLA_U32 },
};

bool fib_route_parse(struct nlmsghdr *h, struct fib_kroute *r)
{
	struct nlattr *tb[RTA_MAX + 1];
	struct rtmsg *rtm;
	uint32_t table;

	memset(r, 0, sizeof(*r));
	if (h->nlmsg_type != RTM_NEWROUTE ||
	    nlmsg_parse(h, sizeof(*rtm), tb, RTA_MAX, route_policy) < 0)
		return false;
	rtm = nlmsg_data(h);
	table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (rtm->rtm_family != AF_INET || rtm->rtm_protocol != FIB_RTPROT ||
	    table != RT_TABLE_MAIN || rtm->rtm_type != RTN_UNICAST || rtm->rtm_dst_len > 32)
		return false;
	r->plen = rtm->rtm_dst_len;
	if (tb[RTA_DST])
		r->prefix = ntohl(nla_get_u32(tb[RTA_DST]));
	if (tb[RTA_PRIORITY])
		r->metric = nla_get_u32(tb[RTA_PRIORITY]);
	if (tb[RTA_NH_ID]) {
		r->nhid = nla_get_u32(tb[RTA_NH_ID]);
	} else if (tb[RTA_MULTIPATH]) {
		size_t n = walk_multipath(tb[RTA_MULTIPATH], NULL);

		r->nh = calloc(n ? n : 1, sizeof(*r->nh));
		if (!r->nh)
			return false;
		r->n = walk_multipath(tb[RTA_MULTIPATH], r->nh);
	} else if (tb[RTA_OIF]) {
		r->nh = calloc(1, sizeof(*r->nh));
		if (!r->nh)
			return false;
		r->n = 1;
		r->nh[0].ifindex = nla_get_u32(tb[RTA_OIF]);
		r->nh[0].flags = rtm->rtm_flags & RTNH_F_ONLINK ? FIB_NH_ONLINK : 0;
		if (tb[RTA_GATEWAY])
			r->nh[0].gw = ntohl(nla_get_u32(tb[RTA_GATEWAY]));
	}
	return true;
}

static int on_route(struct nl_msg *msg, void *arg)
{
	struct dump_ctx *d = arg;
	struct fib_kroute r;

	if (fib_route_parse(nlmsg_hdr(msg), &r)) {
		d->cb(d->ctx, &r);
		free(r.nh);
	}
	return NL_OK;
}

int fib_route_dump(struct nl_sock *sk, void (*cb)(void *ctx, const struct fib_kroute *r), void *ctx)
{
	struct rtmsg rtm = { .rtm_family = AF_INET };
	struct dump_ctx d = { cb, ctx };
	int err;

	err = nl_send_simple(sk, RTM_GETROUTE, NLM_F_DUMP, &rtm, sizeof(rtm));
	if (err < 0)
		return -EIO;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_route, &d);
	err = nl_recvmsgs_default(sk);
	return err < 0 ? -EIO : 0;
}
