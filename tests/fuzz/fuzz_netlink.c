/* libFuzzer harness for fib/'s netlink message parsers: route dumps
 * (fib_route_parse: RTA_MULTIPATH, nexthop ids, gateways, on-link) and
 * nexthop object dumps (fib_nhg_parse: groups, single next hops). The
 * first byte picks the parser; the rest is the message after its
 * nlmsghdr, whose length the harness sets as libnl's receive path would.
 * Messages come from the kernel, but a parser that reads past an attribute
 * on an unexpected kernel reply is still a bug. */
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fib/nhg.h"
#include "fib/route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	size_t len = NLMSG_HDRLEN + size - 1;
	struct nlmsghdr *h = calloc(1, NLMSG_ALIGN(len));
	if (!h)
		return 0;
	h->nlmsg_len = (uint32_t)len;
	memcpy((uint8_t *)h + NLMSG_HDRLEN, data + 1, size - 1);
	volatile uint32_t sink = 0;
	if (data[0] & 1) {
		struct fib_kroute r;
		h->nlmsg_type = RTM_NEWROUTE;
		if (fib_route_parse(h, &r)) {
			for (size_t i = 0; i < r.n; i++)
				sink ^= r.nh[i].gw ^ r.nh[i].ifindex ^ r.nh[i].flags;
			free(r.nh);
		}
	} else {
		struct fib_knh o;
		h->nlmsg_type = RTM_NEWNEXTHOP;
		if (fib_nhg_parse(h, &o)) {
			for (size_t i = 0; i < o.n; i++)
				sink ^= o.ids[i];
			sink ^= o.nh.gw;
			free(o.ids);
		}
	}
	(void)sink;
	free(h);
	return 0;
}
