/* Kernel links and addresses (fib/link.h) -> the interface table. */
#include "fabricd/links.h"
#include "fabricd/log.h"
#include "fib/link.h"

static void link_changed(void *ctx, const struct fib_link_info *li)
{
	iface_link_event(ctx, li->ifindex, li->name, li->admin_up, li->carrier, li->loopback,
			 li->mtu);
}

static void link_deleted(void *ctx, uint32_t ifindex, const char *name)
{
	iface_link_gone(ctx, ifindex);
}

/* Secondary addresses count too (every address of a port is advertised). */
static void addr_added(void *ctx, uint32_t ifindex, uint32_t addr, uint8_t plen, bool secondary)
{
	iface_addr_event(ctx, ifindex, addr, plen, true);
}

static void addr_deleted(void *ctx, uint32_t ifindex, uint32_t addr, uint8_t plen)
{
	iface_addr_event(ctx, ifindex, addr, plen, false);
}

static void links_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	struct fabricd *d = w->data;
	fib_link_process(d->links);
}

int links_start(struct fabricd *d)
{
	static const struct fib_link_cbs cbs = { .link_changed = link_changed,
						 .link_deleted = link_deleted,
						 .addr_added = addr_added,
						 .addr_deleted = addr_deleted };
	d->links = fib_link_new(&cbs, d);
	if (!d->links) {
		log_err("cannot monitor the kernel's interfaces (netlink)");
		return -1;
	}
	ev_io_init(&d->links_w, links_readable, fib_link_fd(d->links), EV_READ);
	d->links_w.data = d;
	ev_io_start(d->loop, &d->links_w);
	fib_link_replay(d->links);
	return 0;
}

void links_stop(struct fabricd *d)
{
	if (!d->links)
		return;
	ev_io_stop(d->loop, &d->links_w);
	fib_link_free(d->links);
	d->links = NULL;
}
