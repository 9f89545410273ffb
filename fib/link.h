/* fib/link.h: interface and IPv4 address monitor (libnl cache manager).
 *
 * Kernel RTM_NEWLINK/DELLINK/NEWADDR/DELADDR notifications arrive on one
 * netlink socket; put fib_link_fd() on the daemon's event loop and call
 * fib_link_process() when it is readable: the callbacks run from there,
 * within milliseconds of the change.  No polling, no event loop here.
 */
#ifndef FIB_LINK_H
#define FIB_LINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

struct fib_link_info {
	uint32_t ifindex;
	char name[IF_NAMESIZE];
	bool admin_up;		/* IFF_UP */
	bool oper_up;		/* IFF_RUNNING: operationally up (RFC 2863) */
	bool carrier;		/* IFF_LOWER_UP */
	bool loopback;		/* IFF_LOOPBACK */
	uint32_t mtu;
};

struct fib_link_cbs {
	/* A link appeared or one of its properties changed. */
	void (*link_changed)(void *ctx, const struct fib_link_info *li);
	void (*link_deleted)(void *ctx, uint32_t ifindex, const char *name);
	/* IPv4 address (host byte order) added, or its flags changed (e.g. a
	 * secondary promoted to primary): may repeat for a known address. */
	void (*addr_added)(void *ctx, uint32_t ifindex, uint32_t addr, uint8_t plen,
			   bool secondary);
	void (*addr_deleted)(void *ctx, uint32_t ifindex, uint32_t addr, uint8_t plen);
};

struct fib_link;

/* Subscribes and loads the current tables (no callbacks yet: see
 * fib_link_replay).  Any callback may be NULL.  NULL on failure. */
struct fib_link *fib_link_new(const struct fib_link_cbs *cbs, void *ctx);
void fib_link_free(struct fib_link *l);

int fib_link_fd(const struct fib_link *l);
/* Read pending notifications and run the callbacks.  On a receive-buffer
 * overrun the tables are re-read and differences reported.  Returns the
 * number of messages handled or a negative libnl error. */
int fib_link_process(struct fib_link *l);

/* Report everything present now: every link, then every IPv4 address. */
void fib_link_replay(struct fib_link *l);

/* Current state of one link from the cache; false if unknown. */
bool fib_link_get(struct fib_link *l, uint32_t ifindex, struct fib_link_info *out);

#endif
