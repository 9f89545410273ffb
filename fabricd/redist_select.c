/* ospf.redistribute's policy (pure, unit-tested): which AS-external route,
 * if any, a route of the kernel's main table becomes. Sources, as in FRR:
 * - connected: the kernel's prefix routes of interface addresses (proto
 *   kernel, scope link) on links that are up;
 * - static: proto static routes;
 * - kernel: routes of any other protocol (boot, dhcp, ...), never ours.
 * The default route is never announced this way (FRR needs
 * default-information originate for it). */
#include <linux/rtnetlink.h>
#include "fabricd/redist.h"

int redist_source(const struct fib_rt_info *r)
{
	if (r->protocol == REDIST_RTPROT_OURS)
		return -1;
	if (r->protocol == RTPROT_KERNEL && r->scope == RT_SCOPE_LINK)
		return CONF_REDIST_CONNECTED;
	if (r->protocol == RTPROT_STATIC)
		return CONF_REDIST_STATIC;
	return CONF_REDIST_KERNEL;
}

bool redist_select(const struct conf *c, const struct fib_rt_info *r, struct ospf_ext_route *out)
{
	int from = redist_source(r);
	const struct conf_redistribute *e = NULL;
	for (size_t k = 0; from >= 0 && k < c->n_redist; k++)
		if ((int)c->redist[k].from == from)
			e = &c->redist[k];
	if (!e || r->plen == 0 || r->plen > 32 || r->linkdown ||
	    !conf_redist_match(e, r->prefix, r->plen))
		return false;
	*out = (struct ospf_ext_route){ .prefix = r->prefix, .plen = r->plen,
					.e2 = e->metric_type == 2, .metric = e->metric };
	return true;
}
