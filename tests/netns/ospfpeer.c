/* tests/netns/ospfpeer.c: many OSPF routers in one process, for scale tests.
 *
 *   ospfpeer IFPREFIX COUNT RIDBASE [HELLO DEAD]
 *
 * Router k (0 <= k < COUNT) is a proto/ospf engine of its own with router id
 * RIDBASE + k, a loopback host route at that address, and one point-to-point
 * port: the kernel interface IFPREFIX<k> (which must exist, up, with its
 * IPv4 address). Each port has its own raw socket, so every router forms a
 * real adjacency with whatever sits at the other end of its veth (fabricd,
 * FRR). The engine is the daemon's own code: only the sockets are here.
 *
 * Every second a status line goes to stdout:
 *   status full=F/COUNT lsdb_min=M lsdb_max=X
 * (routers with a Full neighbor; the fewest and most Router-LSAs any router
 * holds). SIGTERM/SIGINT: flush (ospf_shutdown) and exit.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "proto/ospf/lsa.h"
#include "proto/ospf/ospf.h"

#define LO_IFINDEX 1 /* the engine-local index of each router's loopback */
#define IPPROTO_OSPF 89

struct router {
	struct ospf *o;
	uint32_t ifindex, addr;
	int fd;
	bool full;
	uint64_t deadline; /* ospf_next_deadline, kept: asking costs a walk of the LSDB */
};

static volatile sig_atomic_t stop;

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void cb_send(void *ctx, uint32_t ifindex, uint32_t dst, const uint8_t *buf, size_t len)
{
	struct router *r = ctx;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(dst) };
	(void)ifindex;
	/* (while stopping, the namespace's links may already be going) */
	if (sendto(r->fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0 && errno != EAGAIN &&
	    !stop)
		fprintf(stderr, "ospfpeer: send on %u to %08x (%zu bytes): %s\n", r->ifindex, dst, len,
			strerror(errno));
}

static void cb_nbr(void *ctx, uint32_t ifindex, uint32_t addr, uint32_t rid,
		   enum nsm_state old_state, enum nsm_state new_state)
{
	struct router *r = ctx;
	(void)ifindex, (void)addr, (void)rid, (void)old_state;
	r->full = new_state == NSM_FULL;
}

static int open_port(const char *name, uint32_t ifindex)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_OSPF);
	int ttl = 1, zero = 0;
	struct ip_mreqn mr = { .imr_multiaddr.s_addr = htonl(OSPF_ALLSPF),
			       .imr_ifindex = (int)ifindex };
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, (socklen_t)strlen(name)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		fprintf(stderr, "ospfpeer: %s: socket: %s\n", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* The port's IPv4 address, from the kernel (the script set it). */
static uint32_t port_addr(int fd, const char *name)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_addr.sa_family = AF_INET;
	if (ioctl(fd, SIOCGIFADDR, &ifr) < 0)
		return 0;
	return ntohl(((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr.s_addr);
}

static void port_read(struct router *r)
{
	uint8_t buf[65536];
	for (;;) {
		ssize_t n = recv(r->fd, buf, sizeof(buf), 0);
		if (n < 20)
			return;
		size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
		uint32_t src, dst;
		memcpy(&src, buf + 12, 4);
		memcpy(&dst, buf + 16, 4);
		if (ihl < 20 || ihl > (size_t)n || ntohl(src) == r->addr)
			continue;
		ospf_rx(r->o, r->ifindex, ntohl(src), ntohl(dst), buf + ihl, (size_t)n - ihl, mono_ms());
	}
}

static int router_init(struct router *r, const char *prefix, unsigned k, uint32_t rid,
		       uint16_t hello, uint32_t dead)
{
	struct ospf_callbacks cb = { .ctx = r, .send = cb_send, .nbr_change = cb_nbr };
	char name[IF_NAMESIZE];
	uint64_t now = mono_ms();

	snprintf(name, sizeof(name), "%s%u", prefix, k);
	r->ifindex = if_nametoindex(name);
	if (!r->ifindex || (r->fd = open_port(name, r->ifindex)) < 0)
		return -1;
	r->addr = port_addr(r->fd, name);
	if (!r->addr) {
		fprintf(stderr, "ospfpeer: %s has no IPv4 address\n", name);
		return -1;
	}
	r->o = ospf_new(rid, 0, &cb, now);
	/* The loopback: a host route at the router id (12.4.1). */
	struct ospf_if_config lo = { .name = "lo", .ifindex = LO_IFINDEX, .loopback = true,
				     .passive = true, .hello_interval = hello,
				     .dead_interval = dead };
	ospf_if_add(r->o, &lo, now);
	ospf_if_set_addr(r->o, LO_IFINDEX, rid, 0xffffffffu, now);
	ospf_if_updown(r->o, LO_IFINDEX, true, now);
	struct ospf_if_config port = { .ifindex = r->ifindex, .network = OSPF_NET_P2P, .cost = 10,
				       .hello_interval = hello, .dead_interval = dead,
				       .retransmit_interval = 5, .transmit_delay = 1,
				       .priority = 1, .mtu = 1500 };
	snprintf(port.name, sizeof(port.name), "%s", name);
	ospf_if_add(r->o, &port, now);
	ospf_if_set_addr(r->o, r->ifindex, r->addr, 0xfffffffeu, now);
	ospf_if_updown(r->o, r->ifindex, true, now);
	return 0;
}

static void count_router_lsa(void *ctx, const struct ospf_lsa_info *l)
{
	*(size_t *)ctx += l->hdr.type == LSA_ROUTER;
}

static void status(const struct router *rs, size_t n)
{
	size_t full = 0, lo = (size_t)-1, hi = 0;
	for (size_t k = 0; k < n; k++) {
		size_t c = 0;
		full += rs[k].full;
		ospf_lsdb_foreach(rs[k].o, mono_ms(), count_router_lsa, &c);
		lo = c < lo ? c : lo;
		hi = c > hi ? c : hi;
	}
	printf("status full=%zu/%zu lsdb_min=%zu lsdb_max=%zu\n", full, n, n ? lo : 0, hi);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc != 4 && argc != 6) {
		fprintf(stderr, "usage: ospfpeer IFPREFIX COUNT RIDBASE [HELLO DEAD]\n");
		return 2;
	}
	size_t n = strtoul(argv[2], NULL, 10);
	struct in_addr base;
	if (!n || inet_pton(AF_INET, argv[3], &base) != 1)
		return 2;
	uint16_t hello = argc == 6 ? (uint16_t)atoi(argv[4]) : 10;
	uint32_t dead = argc == 6 ? (uint32_t)atoi(argv[5]) : 40;
	struct router *rs = calloc(n, sizeof(*rs));
	struct pollfd *pf = calloc(n, sizeof(*pf));
	if (!rs || !pf)
		return 1;
	for (size_t k = 0; k < n; k++) {
		if (router_init(&rs[k], argv[1], (unsigned)k, ntohl(base.s_addr) + (uint32_t)k, hello,
				dead) < 0)
			return 1;
		pf[k] = (struct pollfd){ .fd = rs[k].fd, .events = POLLIN };
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	uint64_t next_status = mono_ms();
	for (size_t k = 0; k < n; k++)
		rs[k].deadline = ospf_next_deadline(rs[k].o);
	while (!stop) {
		uint64_t now = mono_ms(), next = next_status;
		for (size_t k = 0; k < n; k++) {
			if (rs[k].deadline <= now) {
				ospf_tick(rs[k].o, now);
				rs[k].deadline = ospf_next_deadline(rs[k].o);
			}
			next = rs[k].deadline < next ? rs[k].deadline : next;
		}
		if (now >= next_status) {
			status(rs, n);
			next_status = now + 1000;
			/* Ports gone (the test's namespace deleted): nothing left to do. */
			char name[IF_NAMESIZE];
			snprintf(name, sizeof(name), "%s0", argv[1]);
			if (if_nametoindex(name) != rs[0].ifindex)
				break;
		}
		int wait = next > now ? (int)(next - now) : 0;
		if (poll(pf, n, wait) > 0)
			for (size_t k = 0; k < n; k++)
				if (pf[k].revents & POLLIN) {
					port_read(&rs[k]);
					rs[k].deadline = ospf_next_deadline(rs[k].o);
				}
	}
	for (size_t k = 0; k < n; k++) {
		ospf_shutdown(rs[k].o, mono_ms());
		ospf_free(rs[k].o);
		close(rs[k].fd);
	}
	free(rs);
	free(pf);
	return 0;
}
