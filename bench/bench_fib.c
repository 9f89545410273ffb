/* bench/bench_fib.c: FIB install rate and failover time (run inside a
 * namespace made by bench/fib.sh).
 *
 *   bench_fib [-m] N GW1@IF1 GW2@IF2
 *
 * Installs N two-way ECMP /32 routes (10.128.0.0 + i) in batches, waits for
 * every ack, then fails next hop GW1@IF1 (fib_repair_nexthop) and waits
 * again.  Prints "install_s=… rate=… failover_ms=… failover_msgs=… errors=…".
 * -m: RTA_MULTIPATH with per-route replace instead of nexthop groups.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fib/fib.h"

static unsigned long errors;

static void on_result(void *ctx, uint32_t prefix, uint8_t plen, int err)
{
	if (err)
		errors++;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_nh(const char *s, struct fib_nh *nh)
{
	char buf[64], *at;
	struct in_addr a;

	snprintf(buf, sizeof(buf), "%s", s);
	at = strchr(buf, '@');
	if (!at)
		return -1;
	*at = 0;
	nh->flags = 0;
	nh->ifindex = if_nametoindex(at + 1);
	if (!nh->ifindex || inet_pton(AF_INET, buf, &a) != 1)
		return -1;
	nh->gw = ntohl(a.s_addr);
	return 0;
}

int main(int argc, char **argv)
{
	bool use_nhg = true;
	struct fib_nh nh[2];
	struct fib_stats st0, st1;
	struct fib *f;
	long n;
	int a = 1, msgs;
	double t0, t1, t2;

	if (a < argc && !strcmp(argv[a], "-m")) {
		use_nhg = false;
		a++;
	}
	if (argc - a != 3 || (n = strtol(argv[a], NULL, 10)) <= 0 ||
	    parse_nh(argv[a + 1], &nh[0]) < 0 || parse_nh(argv[a + 2], &nh[1]) < 0) {
		fprintf(stderr, "usage: bench_fib [-m] N GW1@IF1 GW2@IF2\n");
		return 2;
	}
	f = fib_new(use_nhg, on_result, NULL);
	if (!f) {
		perror("fib_new");
		return 1;
	}
	t0 = now_s();
	fib_batch_begin(f);
	for (long i = 0; i < n; i++)
		if (fib_route_set(f, 0x0a800000u + (uint32_t)i, 32, 20, nh, 2) < 0) {
			fprintf(stderr, "route_set failed at %ld\n", i);
			return 1;
		}
	fib_batch_end(f);
	fib_sync(f);
	t1 = now_s();
	fib_get_stats(f, &st0);
	msgs = fib_repair_nexthop(f, nh[0].gw, nh[0].ifindex);
	fib_sync(f);
	t2 = now_s();
	fib_get_stats(f, &st1);
	printf("mode=%s routes=%ld install_s=%.3f rate=%.0f failover_ms=%.2f failover_msgs=%d errors=%lu nhg=%d\n",
	       fib_uses_nhg(f) ? "nhg" : "multipath", n, t1 - t0, (double)n / (t1 - t0),
	       (t2 - t1) * 1e3, msgs, errors, fib_uses_nhg(f));
	fib_free(f);	/* routes stay: the script checks and removes them */
	return errors ? 1 : 0;
}
