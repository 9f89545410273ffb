/* tests/netns/fibtool.c: a small CLI driving fib/ for the namespace test.
 *
 *   fibtool [-m] run       read commands on stdin, one reply line each
 *                          ("ok ..." or "err ..."), after any data lines
 *   fibtool monitor        print link/address events (after a replay)
 *
 * Commands: set P/L METRIC GW@IF[:onlink] [GW@IF...] | del P/L | repair-if IF |
 * repair-nh GW IF | list | state P/L | reconcile | flush | stats | mode | quit
 * -m forces RTA_MULTIPATH (no nexthop groups).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fib/fib.h"
#include "fib/link.h"

static int parse_prefix(const char *s, uint32_t *prefix, uint8_t *plen)
{
	char buf[64], *slash;
	struct in_addr a;
	long l = 32;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = 0;
		l = strtol(slash + 1, NULL, 10);
	}
	if (inet_pton(AF_INET, buf, &a) != 1 || l < 0 || l > 32)
		return -1;
	*prefix = ntohl(a.s_addr);
	*plen = (uint8_t)l;
	return 0;
}

static int parse_nh(const char *s, struct fib_nh *nh)
{
	char buf[64], *at, *opt;
	struct in_addr a;

	snprintf(buf, sizeof(buf), "%s", s);
	at = strchr(buf, '@');
	if (!at)
		return -1;
	*at = 0;
	nh->flags = 0;
	opt = strchr(at + 1, ':');
	if (opt) {
		*opt++ = 0;
		if (strcmp(opt, "onlink"))
			return -1;
		nh->flags = FIB_NH_ONLINK;
	}
	nh->ifindex = if_nametoindex(at + 1);
	if (!nh->ifindex || inet_pton(AF_INET, buf, &a) != 1)
		return -1;
	nh->gw = ntohl(a.s_addr);
	return 0;
}

static const char *ip(uint32_t a, char *buf)
{
	struct in_addr in = { htonl(a) };

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

static void on_result(void *ctx, uint32_t prefix, uint8_t plen, int err)
{
	char b[INET_ADDRSTRLEN];

	if (err)
		printf("result %s/%u err %d (%s)\n", ip(prefix, b), plen, err, strerror(err));
}

static void on_kroute(void *ctx, uint32_t prefix, uint8_t plen, uint32_t metric,
		      const struct fib_nh *nh, size_t n)
{
	char b[INET_ADDRSTRLEN], ifn[IF_NAMESIZE];

	printf("route %s/%u metric %u nh", ip(prefix, b), plen, metric);
	for (size_t i = 0; i < n; i++)
		printf(" %s@%s%s", ip(nh[i].gw, b),
		       if_indextoname(nh[i].ifindex, ifn) ? ifn : "?",
		       nh[i].flags & FIB_NH_ONLINK ? ":onlink" : "");
	printf("\n");
}

#define MAXARGS 260 /* up to 256 next hops in one set command */

static int cmd(struct fib *f, char **av, int ac)
{
	uint32_t prefix, metric;
	uint8_t plen;
	struct fib_nh nh[MAXARGS];
	int err = 0, n;

	if (!strcmp(av[0], "set") && ac >= 4 && !parse_prefix(av[1], &prefix, &plen)) {
		metric = (uint32_t)strtoul(av[2], NULL, 10);
		for (n = 0; n + 3 < ac; n++)
			if (parse_nh(av[n + 3], &nh[n]) < 0)
				return printf("err bad nexthop %s\n", av[n + 3]), 0;
		err = fib_route_set(f, prefix, plen, metric, nh, (size_t)n);
		if (!err)
			err = fib_sync(f);
		if (!err)
			printf("ok installed=%d\n", fib_route_installed(f, prefix, plen, NULL));
	} else if (!strcmp(av[0], "del") && ac == 2 && !parse_prefix(av[1], &prefix, &plen)) {
		err = fib_route_del(f, prefix, plen);
		if (!err && !(err = fib_sync(f)))
			printf("ok\n");
	} else if (!strcmp(av[0], "repair-if") && ac == 2 && if_nametoindex(av[1])) {
		n = fib_repair_ifindex(f, if_nametoindex(av[1]));
		fib_sync(f);
		printf("ok msgs=%d\n", n);
	} else if (!strcmp(av[0], "repair-nh") && ac == 3 && !parse_prefix(av[1], &prefix, &plen) &&
		   if_nametoindex(av[2])) {
		n = fib_repair_nexthop(f, prefix, if_nametoindex(av[2]));
		fib_sync(f);
		printf("ok msgs=%d\n", n);
	} else if (!strcmp(av[0], "list")) {
		n = fib_kernel_routes(f, on_kroute, NULL);
		if (n < 0)
			err = n;
		else
			printf("ok %d\n", n);
	} else if (!strcmp(av[0], "state") && ac == 2 && !parse_prefix(av[1], &prefix, &plen)) {
		int e;
		bool inst = fib_route_installed(f, prefix, plen, &e);

		printf("ok installed=%d err=%d\n", inst, e);
	} else if (!strcmp(av[0], "reconcile")) {
		n = fib_reconcile(f);
		if (n < 0)
			err = n;
		else
			printf("ok removed=%d\n", n);
	} else if (!strcmp(av[0], "flush")) {
		fib_flush_all(f);
		printf("ok\n");
	} else if (!strcmp(av[0], "stats")) {
		struct fib_stats st;

		fib_get_stats(f, &st);
		printf("ok msgs=%llu errors=%llu routes=%zu nh=%zu inflight=%zu\n",
		       (unsigned long long)st.msgs_sent, (unsigned long long)st.errors,
		       st.routes, st.nh_objects, st.inflight);
	} else if (!strcmp(av[0], "mode")) {
		printf("ok nhg=%d\n", fib_uses_nhg(f));
	} else if (!strcmp(av[0], "quit")) {
		printf("ok\n");
		return 1;
	} else {
		printf("err bad command\n");
	}
	if (err)
		printf("err %d (%s)\n", -err, strerror(-err));
	return 0;
}

static int run(bool use_nhg)
{
	struct fib *f = fib_new(use_nhg, on_result, NULL);
	char line[4096];

	if (!f) {
		perror("fib_new");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		char *av[MAXARGS], *save = NULL;
		int ac = 0;

		for (char *t = strtok_r(line, " \t\r\n", &save); t && ac < MAXARGS;
		     t = strtok_r(NULL, " \t\r\n", &save))
			av[ac++] = t;
		if (ac == 0 || av[0][0] == '#')
			continue;
		if (cmd(f, av, ac))
			break;
		fflush(stdout);
	}
	fib_free(f);
	return 0;
}

/* Wall-clock ms, appended to monitor lines so a test can time delivery. */
static long long stamp(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void m_link(void *ctx, const struct fib_link_info *li)
{
	printf("link ifindex=%u name=%s admin=%d oper=%d carrier=%d mtu=%u lo=%d t=%lld\n",
	       li->ifindex, li->name, li->admin_up, li->oper_up, li->carrier, li->mtu,
	       li->loopback, stamp());
}

static void m_dellink(void *ctx, uint32_t ifindex, const char *name)
{
	printf("dellink ifindex=%u name=%s t=%lld\n", ifindex, name, stamp());
}

static void m_addadd(void *ctx, uint32_t ifindex, uint32_t addr, uint8_t plen, bool secondary)
{
	char b[INET_ADDRSTRLEN];

	printf("addr add ifindex=%u %s/%u secondary=%d t=%lld\n", ifindex, ip(addr, b), plen,
	       secondary, stamp());
}

static void m_adddel(void *ctx, uint32_t ifindex, uint32_t addr, uint8_t plen)
{
	char b[INET_ADDRSTRLEN];

	printf("addr del ifindex=%u %s/%u t=%lld\n", ifindex, ip(addr, b), plen, stamp());
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static int monitor(void)
{
	static const struct fib_link_cbs cbs = { m_link, m_dellink, m_addadd, m_adddel };
	struct fib_link *l = fib_link_new(&cbs, NULL);

	if (!l) {
		fprintf(stderr, "fib_link_new failed\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	fib_link_replay(l);
	printf("ready\n");
	while (!stop) {
		struct pollfd p = { fib_link_fd(l), POLLIN, 0 };

		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			break;
		if (p.revents & POLLIN)
			fib_link_process(l);
	}
	fib_link_free(l);
	return 0;
}

int main(int argc, char **argv)
{
	bool use_nhg = true;
	int i = 1;

	if (i < argc && !strcmp(argv[i], "-m")) {
		use_nhg = false;
		i++;
	}
	if (i < argc && !strcmp(argv[i], "run"))
		return run(use_nhg);
	if (i < argc && !strcmp(argv[i], "monitor"))
		return monitor();
	fprintf(stderr, "usage: fibtool [-m] run | fibtool monitor\n");
	return 2;
}
