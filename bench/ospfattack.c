/* ospfattack: a hostile OSPFv2 neighbor for bench/stall.sh and bench/flood.sh
 * (issue 11). It speaks just enough OSPF on one point-to-point port to
 * become Full with the router under test (always as the DD slave: give it a
 * router ID below the victim's), then, on SIGUSR1, sends one load:
 *
 *   lsr N    first (1st SIGUSR1) a 60 KB Router-LSA, then (each further
 *            SIGUSR1) an LS Request naming it N times (5450 fills a 64 KB
 *            packet; sent fragmented)
 *   dd N     (at the exchange) N AS-external-LSA headers, 3270 per DD packet
 *   flush N  (N externals given at the exchange) all N flushed at MaxAge in
 *            64 KB updates
 *   lsu N    N new externals in 64 KB updates (5000 = three updates)
 *   ext N    N new externals, 40 per 1500-byte update, as fast as it goes
 *   rtr N    N Router-LSAs of N made-up routers, 40 per update
 *
 * OSPFATTACK_PPS=N paces the ext and rtr floods at N packets a second.
 * It answers LS Requests from its made-up database and acknowledges every
 * LSA it is sent. Prints "load SCENARIO N: P packets, B bytes, T ms" when
 * a load has been sent. Built from the daemon's own packet codec.
 *
 * usage: ospfattack IFNAME LOCAL_ADDR ROUTER_ID SCENARIO N */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "proto/lib/bytes.h"
#include "proto/ospf/lsa.h"
#include "proto/ospf/packet.h"

#define IPPROTO_OSPF 89
#define PKT_MAX 65535
#define BIG_ADV 0x0a636363u   /* adv router of the 60 KB Router-LSA */
#define BIG_LINKS 5000
#define EXT_BASE 0x0b000000u  /* externals: 11.0.0.0 + i * 256 */
#define RTR_BASE 0x14000000u  /* made-up routers: 20.0.0.0 + i */

static int sock;
static uint32_t my_rid, my_addr, victim_rid;
static struct ospf_hello params;
static const char *scenario;
static size_t n_load;
static volatile sig_atomic_t go;
static uint8_t out[PKT_MAX + 64];
static unsigned long long sent_pkts, sent_bytes;

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static unsigned pps; /* OSPFATTACK_PPS: pace the ext/rtr floods (0 = as fast as it goes) */

static void pace(void)
{
	static uint64_t t0;
	static unsigned long long n0;
	if (!pps)
		return;
	if (!t0) {
		t0 = mono_ms();
		n0 = sent_pkts;
	}
	uint64_t due = t0 + (sent_pkts - n0) * 1000ull / pps;
	uint64_t now = mono_ms();
	if (due > now)
		poll(NULL, 0, (int)(due - now));
}

static void send_pkt(size_t len)
{
	struct ospf_auth none = { 0 };
	size_t total = ospf_finish(out, len, sizeof out, &none, 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(OSPF_ALLSPF) };
	while (sendto(sock, out, total, 0, (struct sockaddr *)&to, sizeof to) < 0) {
		if (errno != ENOBUFS && errno != EAGAIN) {
			perror("sendto");
			return;
		}
		poll(NULL, 0, 1);
	}
	sent_pkts++;
	sent_bytes += total;
}

/* ---- the made-up database ---- */

static bool is_dd_db(void)
{
	return !strcmp(scenario, "dd") || !strcmp(scenario, "flush");
}

/* LSA number i of kind type (external or made-up router), or the big
 * Router-LSA; written into buf, returns its length. */
static size_t make_lsa(uint8_t *buf, uint8_t type, uint32_t ls_id, uint32_t adv, uint16_t age)
{
	struct lsa_hdr h = { .age = age, .options = OSPF_OPT_E, .type = type, .ls_id = ls_id,
			     .adv_router = adv, .seq = INITIAL_SEQ };
	if (type == LSA_EXTERNAL) {
		memset(buf, 0, 36);
		h.length = 36;
		lsa_hdr_encode(buf, &h);
		put32(buf + 20, 0xffffff00u);
		put32(buf + 24, 0x80000014u);
		lsa_set_checksum(buf, 36);
		return 36;
	}
	static struct rtr_link links[BIG_LINKS];
	size_t n = adv == BIG_ADV ? BIG_LINKS : 1;
	for (size_t i = 0; i < n; i++)
		links[i] = (struct rtr_link){ .link_id = 0x1e000000u + (uint32_t)i * 4,
					      .link_data = 0xfffffffcu, .type = RTR_LINK_STUB,
					      .metric = 10 };
	size_t len = lsa_router_build(buf, 24 + 12 * BIG_LINKS, &h, 0, links, n);
	put16(buf, age);
	return len;
}

static void db_hdr(size_t i, struct lsa_hdr *h)
{
	static uint8_t buf[36];
	make_lsa(buf, LSA_EXTERNAL, EXT_BASE + ((uint32_t)i << 8), my_rid, 1);
	lsa_hdr_decode(buf, h);
}

/* Updates of as many LSAs as fit `room` bytes; make(i, buf) builds LSA i. */
static void send_lsas(size_t n, size_t room, size_t (*make)(size_t i, uint8_t *buf))
{
	static uint8_t store[PKT_MAX];
	const uint8_t *lsas[PKT_MAX / 36];
	size_t used = 0, k = 0;
	for (size_t i = 0; i <= n; i++) {
		uint8_t tmp[24 + 12 * BIG_LINKS];
		size_t len = i < n ? make(i, tmp) : 0;
		if (k && (i == n || used + len > room)) {
			size_t pl = ospf_lsupd_encode(out, PKT_MAX, my_rid, 0, lsas, k);
			if (room < 1500)
				pace();
			send_pkt(pl);
			used = k = 0;
		}
		if (i == n)
			break;
		memcpy(store + used, tmp, len);
		lsas[k++] = store + used;
		used += len;
	}
}

static size_t ext_new(size_t i, uint8_t *buf)
{
	return make_lsa(buf, LSA_EXTERNAL, EXT_BASE + ((uint32_t)i << 8), my_rid, 1);
}

static size_t ext_flushed(size_t i, uint8_t *buf)
{
	return make_lsa(buf, LSA_EXTERNAL, EXT_BASE + ((uint32_t)i << 8), my_rid, MAX_AGE);
}

static size_t rtr_new(size_t i, uint8_t *buf)
{
	return make_lsa(buf, LSA_ROUTER, RTR_BASE + (uint32_t)i, RTR_BASE + (uint32_t)i, 1);
}

static size_t big_rtr(size_t i, uint8_t *buf)
{
	(void)i;
	return make_lsa(buf, LSA_ROUTER, BIG_ADV, BIG_ADV, 1);
}

/* ---- the protocol, just enough of it ---- */

static uint32_t dd_seq;
static size_t dd_next, dd_chunk;
static bool dd_more = true, in_exchange;

static void send_hello(void)
{
	struct ospf_hello h = params;
	h.dr = h.bdr = 0;
	size_t len = ospf_hello_encode(out, PKT_MAX, my_rid, 0, &h, &victim_rid, victim_rid ? 1 : 0);
	send_pkt(len);
}

static void send_dd(void)
{
	size_t total = is_dd_db() ? n_load : 0;
	/* With "flush" the exchange stays small: 1400-byte DDs. */
	size_t per = !strcmp(scenario, "dd") ? 3270 : 70;
	size_t k = total - dd_next < per ? total - dd_next : per;
	static struct lsa_hdr hdrs[3270];
	for (size_t i = 0; i < k; i++)
		db_hdr(dd_next + i, &hdrs[i]);
	dd_chunk = k;
	dd_more = dd_next + k < total;
	struct ospf_dbdesc d = { .mtu = 1500, .options = OSPF_OPT_E,
				 .flags = dd_more ? OSPF_DD_M : 0, .dd_seq = dd_seq };
	send_pkt(ospf_dbdesc_encode(out, PKT_MAX, my_rid, 0, &d, hdrs, k));
}

static void on_dd(const struct ospf_dbdesc *d)
{
	if (d->flags & OSPF_DD_I) {
		/* The master's first DD: we are the slave, sequence is its. */
		dd_seq = d->dd_seq;
		dd_next = 0;
		in_exchange = true;
		send_dd();
		return;
	}
	if (!in_exchange)
		return;
	if (d->dd_seq == dd_seq) { /* a duplicate: our last again */
		send_dd();
		return;
	}
	if (d->dd_seq != dd_seq + 1)
		return;
	dd_seq = d->dd_seq;
	dd_next += dd_chunk;
	send_dd();
	if (!(d->flags & OSPF_DD_M) && !dd_more)
		in_exchange = false;
}

static const struct ospf_lsreq *cur_req;

static size_t req_make(size_t i, uint8_t *buf)
{
	struct ospf_lsreq_entry e;
	ospf_lsreq_at(cur_req, i, &e);
	if (e.type == LSA_ROUTER)
		return make_lsa(buf, LSA_ROUTER, e.ls_id, e.adv_router, 1);
	return make_lsa(buf, LSA_EXTERNAL, e.ls_id, e.adv_router, 1);
}

static void on_lsr(const struct ospf_lsreq *r)
{
	cur_req = r;
	send_lsas(r->n, PKT_MAX - 64, req_make);
}

static void on_lsu(const struct ospf_lsupd *u)
{
	static struct lsa_hdr hdrs[PKT_MAX / 20];
	size_t off = 0, len, k = 0;
	const uint8_t *lsa;
	while ((lsa = ospf_lsupd_next(u, &off, &len)) && k < PKT_MAX / 20 - 100)
		lsa_hdr_decode(lsa, &hdrs[k++]);
	for (size_t i = 0; i < k; i += 3000) {
		size_t n = k - i < 3000 ? k - i : 3000;
		send_pkt(ospf_lsack_encode(out, PKT_MAX, my_rid, 0, hdrs + i, n));
	}
}

static void receive(void)
{
	static uint8_t buf[PKT_MAX + 64];
	ssize_t n;
	while ((n = recv(sock, buf, sizeof buf, MSG_DONTWAIT)) > 0) {
		size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
		struct ospf_packet p;
		if ((size_t)n <= ihl || get32(buf + 12) == my_addr)
			continue;
		if (ospf_decode(buf + ihl, (size_t)n - ihl, &p) != OSPF_OK)
			continue;
		switch (p.hdr.type) {
		case OSPF_HELLO:
			if (!victim_rid) {
				params = p.u.hello;
				params.n_neighbors = 0;
			}
			victim_rid = p.hdr.router_id;
			break;
		case OSPF_DBDESC: on_dd(&p.u.dbdesc); break;
		case OSPF_LSREQ: on_lsr(&p.u.lsreq); break;
		case OSPF_LSUPD: on_lsu(&p.u.lsupd); break;
		default: break;
		}
	}
}

static void load(void)
{
	uint64_t t0 = mono_ms();
	unsigned long long p0 = sent_pkts, b0 = sent_bytes;
	static unsigned loads;
	if (!strcmp(scenario, "lsr") && loads++ == 0) {
		send_lsas(1, PKT_MAX - 64, big_rtr); /* first the LSA to ask for */
	} else if (!strcmp(scenario, "lsr")) {
		static struct ospf_lsreq_entry e[5460];
		size_t n = n_load < 5460 ? n_load : 5460;
		for (size_t i = 0; i < n; i++)
			e[i] = (struct ospf_lsreq_entry){ LSA_ROUTER, BIG_ADV, BIG_ADV };
		send_pkt(ospf_lsreq_encode(out, PKT_MAX, my_rid, 0, e, n));
	} else if (!strcmp(scenario, "flush")) {
		send_lsas(n_load, PKT_MAX - 64, ext_flushed);
	} else if (!strcmp(scenario, "lsu")) {
		send_lsas(n_load, PKT_MAX - 64, ext_new);
	} else if (!strcmp(scenario, "ext")) {
		send_lsas(n_load, 1400, ext_new);
	} else if (!strcmp(scenario, "rtr")) {
		send_lsas(n_load, 1400, rtr_new);
	} else if (!strcmp(scenario, "big")) {
		send_lsas(1, PKT_MAX - 64, big_rtr);
	}
	printf("load %s %zu: %llu packets, %llu bytes, %llu ms\n", scenario, n_load,
	       sent_pkts - p0, sent_bytes - b0, (unsigned long long)(mono_ms() - t0));
	fflush(stdout);
}

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

static int open_sock(const char *ifname)
{
	int s = socket(AF_INET, SOCK_RAW, IPPROTO_OSPF);
	int zero = 0, one = 1, pmtu = IP_PMTUDISC_DONT, big = 8 << 20;
	unsigned ifindex = if_nametoindex(ifname);
	struct ip_mreqn mr = { .imr_multiaddr.s_addr = htonl(OSPF_ALLSPF),
			       .imr_ifindex = (int)ifindex };
	struct ip_mreqn mif = { .imr_ifindex = (int)ifindex };
	if (s < 0 || !ifindex ||
	    setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) < 0 ||
	    setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &mif, sizeof mif) < 0 ||
	    setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &one, sizeof one) < 0 ||
	    setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof zero) < 0 ||
	    setsockopt(s, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof pmtu) < 0 ||
	    setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr) < 0) {
		perror("ospf socket");
		exit(1);
	}
	setsockopt(s, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	return s;
}

int main(int argc, char **argv)
{
	struct in_addr a;
	if (argc != 6 || inet_pton(AF_INET, argv[2], &a) != 1) {
		fprintf(stderr, "usage: %s IFNAME LOCAL_ADDR ROUTER_ID "
				"lsr|dd|flush|lsu|ext|rtr|big N\n", argv[0]);
		return 2;
	}
	my_addr = ntohl(a.s_addr);
	if (inet_pton(AF_INET, argv[3], &a) != 1)
		return 2;
	my_rid = ntohl(a.s_addr);
	scenario = argv[4];
	n_load = strtoul(argv[5], NULL, 10);
	const char *e = getenv("OSPFATTACK_PPS");
	pps = e ? (unsigned)strtoul(e, NULL, 10) : 0;
	sock = open_sock(argv[1]);
	signal(SIGUSR1, on_usr1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	uint64_t next_hello = 0;
	for (;;) {
		struct pollfd p = { .fd = sock, .events = POLLIN };
		poll(&p, 1, 100);
		receive();
		if (victim_rid && mono_ms() >= next_hello) {
			send_hello();
			next_hello = mono_ms() + 1000u * params.hello_interval;
		}
		if (go) {
			go = 0;
			load();
		}
	}
}
