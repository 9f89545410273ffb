/* fib/nhg.c: nexthop object messages (linux/nexthop.h) on libnl. */
#include "fib/nhg.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "fib/route.h"

static struct nl_msg *nh_msg(int type, int flags, unsigned char family, uint32_t id,
			     unsigned nh_flags, size_t attrs)
{
	/* The kernel wants a zeroed header (protocol 0) in a delete. */
	struct nhmsg nhm = { .nh_family = family,
			     .nh_protocol = type == RTM_DELNEXTHOP ? 0 : FIB_RTPROT,
			     .nh_flags = nh_flags };
	struct nl_msg *m = fib_msg_new(type, flags, attrs);

	if (!m)
		return NULL;
	if (nlmsg_append(m, &nhm, sizeof(nhm), NLMSG_ALIGNTO) < 0 ||
	    nla_put_u32(m, NHA_ID, id) < 0) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

struct nl_msg *fib_nhg_msg_single(uint32_t id, const struct fib_nh *nh)
{
	/* On-link (unnumbered port): the gateway needs no connected route. */
	struct nl_msg *m = nh_msg(RTM_NEWNEXTHOP, NLM_F_CREATE | NLM_F_REPLACE, AF_INET, id,
				  nh->flags & FIB_NH_ONLINK ? RTNH_F_ONLINK : 0, 0);

	if (!m)
		return NULL;
	if (nla_put_u32(m, NHA_OIF, nh->ifindex) < 0 ||
	    (nh->gw && nla_put_u32(m, NHA_GATEWAY, htonl(nh->gw)) < 0)) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

struct nl_msg *fib_nhg_msg_group(uint32_t id, const uint32_t *ids, size_t n)
{
	struct nexthop_grp *grp;
	struct nl_msg *m;

	if (n == 0 || !(grp = calloc(n, sizeof(*grp))))
		return NULL;
	m = nh_msg(RTM_NEWNEXTHOP, NLM_F_CREATE | NLM_F_REPLACE, AF_UNSPEC, id, 0,
		   n * sizeof(*grp));
	for (size_t i = 0; i < n; i++)
		grp[i].id = ids[i];	/* weight 0 means 1: equal cost */
	if (m && (nla_put(m, NHA_GROUP, (int)(n * sizeof(grp[0])), grp) < 0 ||
		  nla_put_u16(m, NHA_GROUP_TYPE, NEXTHOP_GRP_TYPE_MPATH) < 0)) {
		nlmsg_free(m);
		m = NULL;
	}
	free(grp);
	return m;
}

struct nl_msg *fib_nhg_msg_del(uint32_t id)
{
	return nh_msg(RTM_DELNEXTHOP, 0, AF_UNSPEC, id, 0, 0);
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	*(int *)arg = e->error;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	*(int *)arg = 0;
	return NL_STOP;
}

int fib_nl_talk(struct nl_sock *sk, struct nl_msg *msg)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int result = -EIO, err;

	if (!cb)
		return -ENOMEM;
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &result);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &result);
	err = nl_send_auto(sk, msg);
	if (err >= 0)
		err = nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	if (err < 0 && result == -EIO)
		return -EIO;
	return result;
}

struct dump_ctx {
	void (*cb)(void *ctx, const struct fib_knh *o);
	void *ctx;
	int count;
};

static struct nla_policy nh_policy[NHA_MAX + 1] = {
	[NHA_ID] = { .type = NLA_U32 },
	[NHA_OIF] = { .type = NLA_U32 },
	[NHA_GATEWAY] = { .type = NLA_U32 },
};

bool fib_nhg_parse(struct nlmsghdr *h, struct fib_knh *o)
{
	struct nlattr *tb[NHA_MAX + 1];
	struct nhmsg *nhm;

	memset(o, 0, sizeof(*o));
	if (h->nlmsg_type != RTM_NEWNEXTHOP || nlmsg_parse(h, sizeof(*nhm), tb, NHA_MAX, nh_policy) < 0)
		return false;
	nhm = nlmsg_data(h);
	if (nhm->nh_protocol != FIB_RTPROT || !tb[NHA_ID])
		return false;
	o->id = nla_get_u32(tb[NHA_ID]);
	if (tb[NHA_GROUP]) {
		const struct nexthop_grp *g = nla_data(tb[NHA_GROUP]);
		size_t n = (size_t)nla_len(tb[NHA_GROUP]) / sizeof(*g);

		o->group = true;
		o->ids = calloc(n ? n : 1, sizeof(*o->ids));
		if (!o->ids)
			return false;
		for (size_t i = 0; i < n; i++)
			o->ids[o->n++] = g[i].id;
	} else {
		if (nhm->nh_flags & RTNH_F_ONLINK)
			o->nh.flags = FIB_NH_ONLINK;
		if (tb[NHA_OIF])
			o->nh.ifindex = nla_get_u32(tb[NHA_OIF]);
		if (tb[NHA_GATEWAY])
			o->nh.gw = ntohl(nla_get_u32(tb[NHA_GATEWAY]));
	}
	return true;
}

static int on_nh(struct nl_msg *msg, void *arg)
{
	struct dump_ctx *d = arg;
	struct fib_knh o;

	if (!fib_nhg_parse(nlmsg_hdr(msg), &o))
		return NL_OK;
	d->count++;
	if (d->cb)
		d->cb(d->ctx, &o);
	free(o.ids);
	return NL_OK;
}

int fib_nhg_dump(struct nl_sock *sk, void (*cb)(void *ctx, const struct fib_knh *o), void *ctx)
{
	struct nhmsg nhm = { .nh_family = AF_UNSPEC };
	struct dump_ctx d = { cb, ctx, 0 };
	int err;

	if (nl_send_simple(sk, RTM_GETNEXTHOP, NLM_F_DUMP, &nhm, sizeof(nhm)) < 0)
		return -EIO;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_nh, &d);
	err = nl_recvmsgs_default(sk);
	if (err < 0)
		return err == -NLE_OPNOTSUPP ? -EOPNOTSUPP : -EIO;
	return d.count;
}

bool fib_nhg_probe(struct nl_sock *sk)
{
	struct nl_msg *m = nh_msg(RTM_NEWNEXTHOP, NLM_F_CREATE | NLM_F_REPLACE, AF_INET,
				  FIB_NHID_PROBE, 0, 0);
	int err;

	if (!m)
		return false;
	/* A blackhole needs no interface, so the probe works on any host. */
	err = nla_put_flag(m, NHA_BLACKHOLE) < 0 ? -EIO : fib_nl_talk(sk, m);
	nlmsg_free(m);
	if (err < 0)
		return false;
	m = fib_nhg_msg_del(FIB_NHID_PROBE);
	if (m) {
		(void)fib_nl_talk(sk, m);
		nlmsg_free(m);
	}
	return true;
}
