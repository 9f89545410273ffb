/* fib/rtmon.h: monitor of the kernel's IPv4 main routing table (libnl
 * cache manager), for routes that other sources put there: the kernel's
 * own prefix routes of interface addresses, static routes, routes of other
 * protocols. Like link.h: put fib_rtmon_fd() on the event loop and call
 * fib_rtmon_process() when it is readable. Knows nothing of OSPF.
 */
#ifndef FIB_RTMON_H
#define FIB_RTMON_H

#include <stdbool.h>
#include <stdint.h>

/* One unicast IPv4 route of the main table. */
struct fib_rt_info {
	uint32_t prefix;   /* host order */
	uint8_t plen;
	uint8_t protocol;  /* RTPROT_* (2 kernel, 3 boot, 4 static, 188 ospf, ...) */
	uint8_t scope;     /* RT_SCOPE_* (253 link: an interface's own subnet) */
	uint32_t ifindex;  /* of the first next hop */
	bool linkdown;     /* every next hop's link is down (RTNH_F_LINKDOWN) */
};

struct fib_rtmon;

/* Subscribes and loads the current table; `changed` runs from
 * fib_rtmon_process() for every route added, changed or removed (with
 * removed = true). NULL on failure. */
struct fib_rtmon *fib_rtmon_new(void (*changed)(void *ctx, const struct fib_rt_info *r,
						bool removed),
				void *ctx);
void fib_rtmon_free(struct fib_rtmon *m);
int fib_rtmon_fd(const struct fib_rtmon *m);
/* Read pending notifications (after an overrun the table is re-read). */
int fib_rtmon_process(struct fib_rtmon *m);
/* Every unicast IPv4 route of the main table as the cache has it now. */
void fib_rtmon_foreach(struct fib_rtmon *m, void (*fn)(void *arg, const struct fib_rt_info *r),
		       void *arg);

#endif
