/* fib/rtmon.c: the IPv4 main routing table through libnl's cache manager. */
#include "fib/rtmon.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <linux/rtnetlink.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>

#include "fib/nlmon.h"

struct fib_rtmon {
	struct nlmon nm;
	struct nl_cache *routes;
	void (*changed)(void *ctx, const struct fib_rt_info *r, bool removed);
	void *ctx;
};

struct nh_walk {
	uint32_t ifindex;
	bool any, all_down;
};

static void nh_visit(struct rtnl_nexthop *nh, void *arg)
{
	struct nh_walk *w = arg;
	if (!w->any)
		w->ifindex = (uint32_t)rtnl_route_nh_get_ifindex(nh);
	w->any = true;
	if (!(rtnl_route_nh_get_flags(nh) & RTNH_F_LINKDOWN))
		w->all_down = false;
}

/* false for what is not an IPv4 unicast route of the main table. */
static bool route_info(struct rtnl_route *rt, struct fib_rt_info *out)
{
	struct nl_addr *dst = rtnl_route_get_dst(rt);
	uint32_t a = 0;
	if (rtnl_route_get_family(rt) != AF_INET || rtnl_route_get_table(rt) != RT_TABLE_MAIN ||
	    rtnl_route_get_type(rt) != RTN_UNICAST || !dst)
		return false;
	if (nl_addr_get_len(dst) == 4)
		memcpy(&a, nl_addr_get_binary_addr(dst), 4);
	else if (nl_addr_get_len(dst) != 0)
		return false;
	struct nh_walk w = { 0, false, true };
	rtnl_route_foreach_nexthop(rt, nh_visit, &w);
	*out = (struct fib_rt_info){ .prefix = ntohl(a), .plen = (uint8_t)nl_addr_get_prefixlen(dst),
				     .protocol = rtnl_route_get_protocol(rt),
				     .scope = rtnl_route_get_scope(rt), .ifindex = w.ifindex,
				     .linkdown = w.any && w.all_down };
	return true;
}

static void on_route(struct nl_cache *c, struct nl_object *o, int action, void *arg)
{
	struct fib_rtmon *m = arg;
	struct fib_rt_info r;
	if (m->changed && route_info((struct rtnl_route *)o, &r))
		m->changed(m->ctx, &r, action == NL_ACT_DEL);
}

struct fib_rtmon *fib_rtmon_new(void (*changed)(void *ctx, const struct fib_rt_info *r,
						bool removed),
				void *ctx)
{
	struct fib_rtmon *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->changed = changed;
	m->ctx = ctx;
	if (nlmon_open(&m->nm) < 0 ||
	    nl_cache_mngr_add(m->nm.mngr, "route/route", on_route, m, &m->routes) < 0)
		goto fail;
	return m;
fail:
	fib_rtmon_free(m);
	return NULL;
}

void fib_rtmon_free(struct fib_rtmon *m)
{
	if (!m)
		return;
	nlmon_close(&m->nm);
	free(m);
}

int fib_rtmon_fd(const struct fib_rtmon *m)
{
	return nlmon_fd(&m->nm);
}

int fib_rtmon_process(struct fib_rtmon *m)
{
	int err = nl_cache_mngr_data_ready(m->nm.mngr);
	if (err == -NLE_NOMEM) /* ENOBUFS: events lost; re-read the table */
		nl_cache_resync(m->nm.sync_sk, m->routes, on_route, m);
	return err;
}

struct walk {
	void (*fn)(void *arg, const struct fib_rt_info *r);
	void *arg;
};

static void visit(struct nl_object *o, void *arg)
{
	struct walk *w = arg;
	struct fib_rt_info r;
	if (route_info((struct rtnl_route *)o, &r))
		w->fn(w->arg, &r);
}

void fib_rtmon_foreach(struct fib_rtmon *m, void (*fn)(void *arg, const struct fib_rt_info *r),
		       void *arg)
{
	struct walk w = { fn, arg };
	nl_cache_foreach(m->routes, visit, &w);
}
