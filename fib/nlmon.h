/* fib/nlmon.h: a libnl cache manager on rtnetlink, with a second socket to
 * re-read a cache after the monitor overran (ENOBUFS): what fib_link and
 * fib_rtmon each watch the kernel through. */
#ifndef FIB_NLMON_H
#define FIB_NLMON_H

struct nl_cache_mngr;
struct nl_sock;

struct nlmon {
	struct nl_cache_mngr *mngr;
	struct nl_sock *mon_sk;  /* owned by us, used by the manager */
	struct nl_sock *sync_sk; /* resync after an overrun */
};

/* Both sockets and the manager, the monitor's receive buffer large enough
 * for a burst of events. 0, or -1 with whatever was made freed. */
int nlmon_open(struct nlmon *m);
void nlmon_close(struct nlmon *m);
int nlmon_fd(const struct nlmon *m);

#endif
