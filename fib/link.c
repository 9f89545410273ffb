/* fib/link.c: link and address events through libnl's cache manager. */
#include "fib/link.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>

#include "fib/nlmon.h"

struct fib_link {
	struct nlmon nm;
	struct nl_cache *links, *addrs;
	struct fib_link_cbs cbs;
	void *ctx;
};

static void link_info(struct rtnl_link *lk, struct fib_link_info *li)
{
	unsigned int fl = rtnl_link_get_flags(lk);
	const char *name = rtnl_link_get_name(lk);

	memset(li, 0, sizeof(*li));
	li->ifindex = (uint32_t)rtnl_link_get_ifindex(lk);
	if (name)
		snprintf(li->name, sizeof(li->name), "%s", name);
	li->admin_up = fl & IFF_UP;
	li->oper_up = fl & IFF_RUNNING;
	li->carrier = fl & IFF_LOWER_UP;
	li->loopback = fl & IFF_LOOPBACK;
	li->mtu = rtnl_link_get_mtu(lk);
}

static void report_link(struct fib_link *l, struct rtnl_link *lk, int action)
{
	struct fib_link_info li;

	link_info(lk, &li);
	if (action == NL_ACT_DEL) {
		if (l->cbs.link_deleted)
			l->cbs.link_deleted(l->ctx, li.ifindex, li.name);
	} else if (l->cbs.link_changed) {
		l->cbs.link_changed(l->ctx, &li);
	}
}

/* IPv4 only: the local address (IFA_LOCAL) is the interface's address. */
static bool addr_v4(struct rtnl_addr *a, uint32_t *addr)
{
	struct nl_addr *local = rtnl_addr_get_local(a);

	if (rtnl_addr_get_family(a) != AF_INET || !local || nl_addr_get_len(local) != 4)
		return false;
	memcpy(addr, nl_addr_get_binary_addr(local), 4);
	*addr = ntohl(*addr);
	return true;
}

static void report_addr(struct fib_link *l, struct rtnl_addr *a, int action)
{
	uint32_t addr, ifindex = (uint32_t)rtnl_addr_get_ifindex(a);
	uint8_t plen = (uint8_t)rtnl_addr_get_prefixlen(a);

	if (!addr_v4(a, &addr))
		return;
	if (action == NL_ACT_DEL) {
		if (l->cbs.addr_deleted)
			l->cbs.addr_deleted(l->ctx, ifindex, addr, plen);
	} else if (l->cbs.addr_added) {
		l->cbs.addr_added(l->ctx, ifindex, addr, plen,
				  (rtnl_addr_get_flags(a) & IFA_F_SECONDARY) != 0);
	}
}

static void on_link(struct nl_cache *c, struct nl_object *o, int action, void *arg)
{
	report_link(arg, (struct rtnl_link *)o, action);
}

static void on_addr(struct nl_cache *c, struct nl_object *o, int action, void *arg)
{
	report_addr(arg, (struct rtnl_addr *)o, action);
}

struct fib_link *fib_link_new(const struct fib_link_cbs *cbs, void *ctx)
{
	struct fib_link *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	if (cbs)
		l->cbs = *cbs;
	l->ctx = ctx;
	if (nlmon_open(&l->nm) < 0 ||
	    nl_cache_mngr_add(l->nm.mngr, "route/link", on_link, l, &l->links) < 0 ||
	    nl_cache_mngr_add(l->nm.mngr, "route/addr", on_addr, l, &l->addrs) < 0)
		goto fail;
	return l;
fail:
	fib_link_free(l);
	return NULL;
}

void fib_link_free(struct fib_link *l)
{
	if (!l)
		return;
	nlmon_close(&l->nm);
	free(l);
}

int fib_link_fd(const struct fib_link *l)
{
	return nlmon_fd(&l->nm);
}

int fib_link_process(struct fib_link *l)
{
	int err = nl_cache_mngr_data_ready(l->nm.mngr);

	if (err == -NLE_NOMEM) {
		/* ENOBUFS: events were lost; re-read and report the differences. */
		nl_cache_resync(l->nm.sync_sk, l->links, on_link, l);
		nl_cache_resync(l->nm.sync_sk, l->addrs, on_addr, l);
	}
	return err;
}

static void replay_link(struct nl_object *o, void *arg)
{
	report_link(arg, (struct rtnl_link *)o, NL_ACT_NEW);
}

static void replay_addr(struct nl_object *o, void *arg)
{
	report_addr(arg, (struct rtnl_addr *)o, NL_ACT_NEW);
}

void fib_link_replay(struct fib_link *l)
{
	nl_cache_foreach(l->links, replay_link, l);
	nl_cache_foreach(l->addrs, replay_addr, l);
}

bool fib_link_get(struct fib_link *l, uint32_t ifindex, struct fib_link_info *out)
{
	struct rtnl_link *lk = rtnl_link_get(l->links, (int)ifindex);

	if (!lk)
		return false;
	link_info(lk, out);
	rtnl_link_put(lk);
	return true;
}
