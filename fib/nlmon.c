/* fib/nlmon.c: the cache manager pair of fib/link.c and fib/rtmon.c. */
#include "fib/nlmon.h"

#include <string.h>

#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#define MON_RCVBUF (4 * 1024 * 1024)

int nlmon_open(struct nlmon *m)
{
	memset(m, 0, sizeof(*m));
	m->mon_sk = nl_socket_alloc();
	m->sync_sk = nl_socket_alloc();
	if (!m->mon_sk || !m->sync_sk || nl_connect(m->sync_sk, NETLINK_ROUTE) < 0 ||
	    nl_cache_mngr_alloc(m->mon_sk, NETLINK_ROUTE, NL_AUTO_PROVIDE, &m->mngr) < 0) {
		nlmon_close(m);
		return -1;
	}
	/* A burst of events (many interfaces flapping) must not overrun. */
	nl_socket_set_buffer_size(m->mon_sk, MON_RCVBUF, 0);
	return 0;
}

void nlmon_close(struct nlmon *m)
{
	if (m->mngr)
		nl_cache_mngr_free(m->mngr);
	if (m->mon_sk)
		nl_socket_free(m->mon_sk);
	if (m->sync_sk)
		nl_socket_free(m->sync_sk);
	memset(m, 0, sizeof(*m));
}

int nlmon_fd(const struct nlmon *m)
{
	return nl_cache_mngr_get_fd(m->mngr);
}
