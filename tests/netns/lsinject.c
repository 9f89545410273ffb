/* tests/netns/lsinject.c: a large fabric through one real adjacency.
 *
 *   lsinject inject -i IF -p PEER_RID [-5 PODS,PLANES,LEAVES,SUPERS | -3 SPINES,LEAVES]
 *                   [-H HELLO] [-D DEAD] [-P PLANE] [-w SECS]
 *   lsinject watch
 *   lsinject prefixes [-5 ... | -3 ...]
 *
 * inject: an OSPFv2 neighbor (RFC 2328) on the point-to-point link IF that
 * is router 0 (a leaf) of a synthetic Clos fabric (bench/clos.c: 5-stage
 * 32,8,304,4 by default: 10,016 routers, 98,592 prefixes) and holds every
 * Router-LSA of it. It forms the adjacency as the slave of the database
 * exchange (the peer's router id must be higher than 10.0.0.1), describes
 * the whole fabric in its Database Description packets and answers the
 * peer's Link State Requests, so the peer asks for, and paces, the transfer
 * as it would from a real neighbor. Its own Router-LSA has the link to the
 * peer. It acknowledges what the peer floods to it.
 * On SIGUSR1 (or -w SECS after the peer has everything) it withdraws spine
 * plane PLANE (default 0): the Router-LSAs of that plane's spines and
 * super-spines are flushed (MaxAge, 14.1), as if those routers had died,
 * and retransmitted until acknowledged.
 * Built on proto/ospf's codec (packet.c, lsa.c); the rest (a slave-only
 * state machine, no aging) is the least a test peer needs.
 *
 * Events go to stdout as "MONOTONIC_MS event [details]": hello, exstart,
 * exchange, full (our side: exchange done), lsr N (LSAs asked so far),
 * loaded (the peer has asked for every LSA, all sent), withdraw N,
 * withdraw-acked.
 *
 * prefixes: print the fabric's prefixes ("a.b.c.d/len", one a line), the
 * routes a router behind the injector should end up with (for the
 * `ip -batch` reference).
 *
 * watch: count the IPv4 unicast routes of the main table that are not
 * the kernel's own (connected), over rtnetlink; print "MONOTONIC_MS COUNT"
 * after each batch of changes. Run it in the namespace of the router under
 * test; the benchmark reads times off it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <search.h>
#include <stdarg.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "bench/clos.h"
#include "proto/ospf/lsa.h"
#include "proto/ospf/packet.h"

#define IPPROTO_OSPF_ 89
#define MAX_PKT 65535

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void event(const char *fmt, ...)
{
	va_list ap;
	printf("%llu ", (unsigned long long)mono_ms());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Distinct stub prefixes of the routers (all, or only those where
 * every router advertising the prefix is in `only`): the routes the peer
 * gets from them. fn, if set, is called for each. */
static size_t count_prefixes(const struct clos *f, const bool *only,
			     void (*fn)(uint32_t prefix, uint32_t mask))
{
	/* Loopbacks and leaf /24s belong to one router; a /31 to two
	 * (each end advertises it): count it at the end with the lower index. */
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (only && !only[i])
			continue;
		for (size_t k = 0; k < f->r[i].n; k++) {
			const struct rtr_link *l = &f->r[i].l[k];
			if (l->type != RTR_LINK_STUB)
				continue;
			if (l->link_data == 0xfffffffe) {
				/* the p2p link just before it says who is at the other end */
				size_t other = k ? clos_index(f, f->r[i].l[k - 1].link_id) : (size_t)-1;
				if (other == (size_t)-1)
					continue; /* the link to the peer: connected there */
				if (other < i || (only && !only[other]))
					continue;
			}
			n++;
			if (fn)
				fn(l->link_id, l->link_data);
		}
	}
	return n;
}

static void print_prefix(uint32_t prefix, uint32_t mask)
{
	printf("%u.%u.%u.%u/%d\n", prefix >> 24, (prefix >> 16) & 255, (prefix >> 8) & 255,
	       prefix & 255, __builtin_popcount(mask));
}

/* ---- inject ---- */

enum state { S_DOWN, S_INIT, S_EXSTART, S_EXCHANGE, S_FULL };

struct inj {
	struct clos f;
	uint32_t rid, peer_rid, addr;
	unsigned ifindex, mtu;
	int sock;
	uint16_t hello, dead;
	/* the LSAs, router i's at lsa + off[i] */
	uint8_t *lsa;
	size_t *off, *len;
	struct lsa_hdr *hdr;
	bool *asked;
	size_t n_asked;
	/* the adjacency */
	enum state st;
	uint32_t nbr_addr;
	uint32_t dd_seq;
	size_t dbs_next;
	uint8_t last_dd[MAX_PKT];
	size_t last_dd_len;
	uint64_t next_hello, next_dd_rxmt, last_heard;
	/* the withdrawal */
	unsigned plane;
	bool *withdrawn, *acked;
	size_t n_withdrawn, n_acked;
	uint64_t withdraw_at, next_wd_rxmt;
	uint8_t pkt[MAX_PKT];
};

static volatile sig_atomic_t want_withdraw, want_stop;

static void on_usr1(int sig)
{
	(void)sig;
	want_withdraw = 1;
}

static void on_term(int sig)
{
	(void)sig;
	want_stop = 1;
}

static void send_pkt(struct inj *s, size_t len)
{
	static const struct ospf_auth none = { .type = OSPF_AUTH_NULL };
	size_t total = ospf_finish(s->pkt, len, sizeof s->pkt, &none, 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(OSPF_ALLSPF) };
	if (!total)
		return;
	/* The peer's socket may be full while it works: try again shortly. */
	for (int tries = 0; tries < 1000; tries++) {
		if (sendto(s->sock, s->pkt, total, 0, (struct sockaddr *)&to, sizeof to) >= 0)
			return;
		if (errno != ENOBUFS && errno != EAGAIN)
			break;
		usleep(1000);
	}
	perror("sendto");
}

static void send_hello(struct inj *s)
{
	struct ospf_hello h = { .netmask = 0xfffffffe, .hello_interval = s->hello,
				.options = OSPF_OPT_E, .priority = 1, .dead_interval = s->dead };
	bool seen = s->st >= S_INIT;
	size_t len = ospf_hello_encode(s->pkt, sizeof s->pkt, s->rid, 0, &h, &s->peer_rid,
				       seen ? 1 : 0);
	send_pkt(s, len);
	s->next_hello = mono_ms() + 1000u * s->hello;
}

static size_t room(const struct inj *s)
{
	return s->mtu - 20 - OSPF_HDR_LEN;
}

static void send_dd(struct inj *s, uint8_t flags, const struct lsa_hdr *h, size_t n)
{
	struct ospf_dbdesc d = { .mtu = (uint16_t)s->mtu, .options = OSPF_OPT_E, .flags = flags,
				 .dd_seq = s->dd_seq };
	size_t len = ospf_dbdesc_encode(s->pkt, sizeof s->pkt, s->rid, 0, &d, h, n);
	memcpy(s->last_dd, s->pkt, len);
	s->last_dd_len = len;
	send_pkt(s, len);
}

static void resend_dd(struct inj *s)
{
	memcpy(s->pkt, s->last_dd, s->last_dd_len);
	send_pkt(s, s->last_dd_len);
}

/* 10.8, slave: answer the master's DD with the next headers of our summary
 * (same sequence number). True if this was our last. */
static bool send_dd_slave(struct inj *s)
{
	size_t per = (room(s) - 8) / OSPF_LSA_HDR_LEN, n = s->f.n - s->dbs_next;
	if (n > per)
		n = per;
	const struct lsa_hdr *h = s->hdr + s->dbs_next;
	s->dbs_next += n;
	bool more = s->dbs_next < s->f.n;
	send_dd(s, more ? OSPF_DD_M : 0, h, n);
	return !more;
}

static void enter_exstart(struct inj *s)
{
	s->st = S_EXSTART;
	s->dbs_next = 0;
	s->dd_seq = (uint32_t)mono_ms();
	event("exstart");
	send_dd(s, OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS, NULL, 0);
	s->next_dd_rxmt = mono_ms() + 1000;
}

static void rx_hello(struct inj *s, uint32_t src, const struct ospf_packet *p)
{
	s->last_heard = mono_ms();
	if (s->st == S_DOWN) {
		s->st = S_INIT;
		s->nbr_addr = src;
		event("hello %u.%u.%u.%u", src >> 24, (src >> 16) & 255, (src >> 8) & 255,
		      src & 255);
		send_hello(s);
	}
	bool two_way = false;
	for (size_t i = 0; i < p->u.hello.n_neighbors; i++)
		if (ospf_hello_neighbor_at(&p->u.hello, i) == s->rid)
			two_way = true;
	if (s->st == S_INIT && two_way)
		enter_exstart(s);
	else if (s->st > S_INIT && !two_way) {
		event("1-way");
		s->st = S_INIT;
	}
}

static void rx_dd(struct inj *s, const struct ospf_packet *p)
{
	const struct ospf_dbdesc *d = &p->u.dbdesc;
	if (s->st == S_EXSTART) {
		if (d->flags != (OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS) || d->n_lsa_hdrs)
			return;
		s->dd_seq = d->dd_seq;
		s->st = S_EXCHANGE;
		event("exchange");
		send_dd_slave(s);
		return;
	}
	if (s->st < S_EXCHANGE)
		return;
	if ((d->flags & OSPF_DD_I) || d->dd_seq == s->dd_seq) {
		resend_dd(s); /* the master did not hear our answer */
		return;
	}
	if (d->dd_seq != s->dd_seq + 1 || s->st == S_FULL) {
		event("dd-seq-mismatch");
		enter_exstart(s);
		return;
	}
	s->dd_seq = d->dd_seq;
	if (send_dd_slave(s) && !(d->flags & OSPF_DD_M)) {
		s->st = S_FULL;
		event("full");
	}
}

/* Send LSAs (indices) in Link State Updates of up to one MTU, with the
 * given age. */
static void send_lsas(struct inj *s, const size_t *idx, size_t n, uint16_t age)
{
	const uint8_t *v[1024];
	static uint8_t copy[MAX_PKT];
	size_t k = 0, used = 0, cap = room(s) - 4;
	for (size_t j = 0; j <= n; j++) {
		size_t len = j < n ? s->len[idx[j]] : 0;
		if (k && (j == n || used + len > cap || k == 1024)) {
			size_t plen = ospf_lsupd_encode(s->pkt, sizeof s->pkt, s->rid, 0, v, k);
			send_pkt(s, plen);
			k = used = 0;
		}
		if (j == n)
			break;
		uint8_t *c = copy + used;
		memcpy(c, s->lsa + s->off[idx[j]], len);
		c[0] = (uint8_t)(age >> 8);
		c[1] = (uint8_t)age;
		v[k++] = c;
		used += len;
	}
}

static void rx_lsr(struct inj *s, const struct ospf_packet *p)
{
	size_t *idx = calloc(p->u.lsreq.n + 1, sizeof *idx), n = 0;
	if (!idx)
		die("calloc");
	for (size_t i = 0; i < p->u.lsreq.n; i++) {
		struct ospf_lsreq_entry e;
		ospf_lsreq_at(&p->u.lsreq, i, &e);
		size_t r = clos_index(&s->f, e.adv_router);
		if (e.type != LSA_ROUTER || r == (size_t)-1 || e.ls_id != e.adv_router)
			continue;
		idx[n++] = r;
		if (!s->asked[r]) {
			s->asked[r] = true;
			s->n_asked++;
		}
	}
	send_lsas(s, idx, n, 1);
	free(idx);
	event("lsr %zu", s->n_asked);
	if (s->n_asked == s->f.n)
		event("loaded");
}

/* Acknowledge what the peer floods to us (its own LSAs), directly. */
static void rx_lsu(struct inj *s, const struct ospf_packet *p)
{
	struct lsa_hdr *h = calloc(p->u.lsupd.n_lsas + 1, sizeof *h);
	size_t off = 0, len, n = 0;
	const uint8_t *lsa;
	if (!h)
		die("calloc");
	while ((lsa = ospf_lsupd_next(&p->u.lsupd, &off, &len)))
		lsa_hdr_decode(lsa, &h[n++]);
	size_t per = (room(s)) / OSPF_LSA_HDR_LEN;
	for (size_t i = 0; i < n; i += per) {
		size_t k = n - i < per ? n - i : per;
		send_pkt(s, ospf_lsack_encode(s->pkt, sizeof s->pkt, s->rid, 0, h + i, k));
	}
	free(h);
}

static void rx_ack(struct inj *s, const struct ospf_packet *p)
{
	for (size_t i = 0; i < p->u.lsack.n_lsa_hdrs; i++) {
		struct lsa_hdr h;
		ospf_lsack_hdr_at(&p->u.lsack, i, &h);
		size_t r = clos_index(&s->f, h.adv_router);
		if (r == (size_t)-1 || !s->withdrawn[r] || s->acked[r] || h.age < MAX_AGE)
			continue;
		s->acked[r] = true;
		if (++s->n_acked == s->n_withdrawn)
			event("withdraw-acked");
	}
}

/* Flush the plane's routers (MaxAge, same sequence number: 13.1 makes it
 * the newer instance); the not yet acknowledged ones again every 5 s. */
static void withdraw(struct inj *s)
{
	size_t *idx = calloc(s->f.n, sizeof *idx), n = 0;
	if (!idx)
		die("calloc");
	bool first = !s->n_withdrawn;
	for (size_t i = 0; i < s->f.n; i++) {
		if (first && clos_in_plane(&s->f, i, s->plane)) {
			s->withdrawn[i] = true;
			s->n_withdrawn++;
		}
		if (s->withdrawn[i] && !s->acked[i])
			idx[n++] = i;
	}
	if (first)
		event("withdraw %zu routers %zu prefixes", s->n_withdrawn,
		      count_prefixes(&s->f, s->withdrawn, NULL));
	send_lsas(s, idx, n, MAX_AGE);
	free(idx);
	s->next_wd_rxmt = mono_ms() + 5000;
}

static void rx(struct inj *s)
{
	static uint8_t buf[MAX_PKT];
	for (;;) {
		ssize_t n = recv(s->sock, buf, sizeof buf, MSG_DONTWAIT);
		if (n < 0)
			return;
		if (n < 20)
			continue;
		size_t ihl = (size_t)(buf[0] & 15) * 4;
		uint32_t src = (uint32_t)buf[12] << 24 | (uint32_t)buf[13] << 16 |
			       (uint32_t)buf[14] << 8 | buf[15];
		struct ospf_packet p;
		if ((size_t)n <= ihl || ospf_decode(buf + ihl, (size_t)n - ihl, &p) != OSPF_OK)
			continue;
		if (p.hdr.router_id != s->peer_rid)
			continue;
		switch (p.hdr.type) {
		case OSPF_HELLO: rx_hello(s, src, &p); break;
		case OSPF_DBDESC: rx_dd(s, &p); break;
		case OSPF_LSREQ: rx_lsr(s, &p); break;
		case OSPF_LSUPD: rx_lsu(s, &p); break;
		case OSPF_LSACK: rx_ack(s, &p); break;
		default: break;
		}
	}
}

static void open_socket(struct inj *s, const char *ifname)
{
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	s->sock = socket(AF_INET, SOCK_RAW, IPPROTO_OSPF_);
	if (s->sock < 0)
		die("socket");
	if (ioctl(s->sock, SIOCGIFMTU, &ifr) < 0)
		die(ifname);
	s->mtu = (unsigned)ifr.ifr_mtu;
	s->ifindex = if_nametoindex(ifname);
	struct ip_mreqn mr = { .imr_multiaddr.s_addr = htonl(OSPF_ALLSPF), .imr_ifindex = (int)s->ifindex };
	int ttl = 1, tos = 0xc0, zero = 0, buf = 32 << 20;
	if (setsockopt(s->sock, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) < 0 ||
	    setsockopt(s->sock, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof mr) < 0 ||
	    setsockopt(s->sock, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr) < 0 ||
	    setsockopt(s->sock, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl) < 0 ||
	    setsockopt(s->sock, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof zero) < 0 ||
	    setsockopt(s->sock, IPPROTO_IP, IP_TOS, &tos, sizeof tos) < 0)
		die("setsockopt");
	setsockopt(s->sock, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf);
	setsockopt(s->sock, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof buf);
}

/* The fabric's Router-LSAs; router 0 (us) gets the link to the peer. */
static void build_lsas(struct inj *s)
{
	clos_add_link(&s->f.r[0], RTR_LINK_P2P, s->peer_rid, s->addr, 1);
	clos_add_link(&s->f.r[0], RTR_LINK_STUB, s->addr & 0xfffffffe, 0xfffffffe, 1);
	size_t total = 0, max = clos_lsa_max(&s->f);
	for (size_t i = 0; i < s->f.n; i++)
		total += 24 + 12 * s->f.r[i].n;
	if (max > room(s) - 4) {
		fprintf(stderr, "a Router-LSA of %zu bytes does not fit the MTU %u\n", max, s->mtu);
		exit(2);
	}
	s->lsa = malloc(total);
	s->off = calloc(s->f.n, sizeof *s->off);
	s->len = calloc(s->f.n, sizeof *s->len);
	s->hdr = calloc(s->f.n, sizeof *s->hdr);
	s->asked = calloc(s->f.n, sizeof *s->asked);
	s->withdrawn = calloc(s->f.n, sizeof *s->withdrawn);
	s->acked = calloc(s->f.n, sizeof *s->acked);
	if (!s->lsa || !s->off || !s->len || !s->hdr || !s->asked || !s->withdrawn || !s->acked)
		die("calloc");
	size_t used = 0;
	for (size_t i = 0; i < s->f.n; i++) {
		s->off[i] = used;
		s->len[i] = clos_lsa(&s->f, i, INITIAL_SEQ, 1, s->lsa + used, total - used);
		lsa_hdr_decode(s->lsa + used, &s->hdr[i]);
		used += s->len[i];
	}
	event("fabric %zu routers %zu prefixes %zu bytes", s->f.n, count_prefixes(&s->f, NULL, NULL),
	      used);
}

static int inject(int argc, char **argv)
{
	static struct inj s;
	const char *ifname = NULL;
	unsigned pods = 32, planes = 8, leaves = 304, supers = 4, spines3 = 0, leaves3 = 0;
	double wd_after = -1;
	struct in_addr a;
	s.hello = 1;
	s.dead = 10;
	int c;
	while ((c = getopt(argc, argv, "i:p:a:5:3:H:D:P:w:")) != -1) {
		switch (c) {
		case 'i': ifname = optarg; break;
		case 'p':
			if (inet_pton(AF_INET, optarg, &a) != 1)
				return 2;
			s.peer_rid = ntohl(a.s_addr);
			break;
		case 'a':
			if (inet_pton(AF_INET, optarg, &a) != 1)
				return 2;
			s.addr = ntohl(a.s_addr);
			break;
		case '5':
			if (sscanf(optarg, "%u,%u,%u,%u", &pods, &planes, &leaves, &supers) != 4)
				return 2;
			break;
		case '3':
			if (sscanf(optarg, "%u,%u", &spines3, &leaves3) != 2)
				return 2;
			break;
		case 'H': s.hello = (uint16_t)atoi(optarg); break;
		case 'D': s.dead = (uint16_t)atoi(optarg); break;
		case 'P': s.plane = (unsigned)atoi(optarg); break;
		case 'w': wd_after = atof(optarg); break;
		default: return 2;
		}
	}
	if (!ifname || !s.peer_rid || !s.addr) {
		fprintf(stderr, "usage: lsinject inject -i IF -a OUR_ADDR -p PEER_RID [-5 P,PL,L,S | "
				"-3 S,L] [-H s] [-D s] [-P plane] [-w s]\n");
		return 2;
	}
	if (spines3)
		clos_3stage(&s.f, spines3, leaves3);
	else
		clos_5stage(&s.f, pods, planes, leaves, supers);
	s.rid = s.f.r[0].id;
	if (s.peer_rid <= s.rid) {
		fprintf(stderr, "the peer's router id must be higher than ours (we are the slave)\n");
		return 2;
	}
	open_socket(&s, ifname);
	build_lsas(&s);
	signal(SIGUSR1, on_usr1);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	send_hello(&s);
	while (!want_stop) {
		uint64_t now = mono_ms();
		if (now >= s.next_hello)
			send_hello(&s);
		if (s.st == S_EXSTART && now >= s.next_dd_rxmt) {
			resend_dd(&s);
			s.next_dd_rxmt = now + 1000;
		}
		if (s.st > S_INIT && now - s.last_heard > 1000u * s.dead) {
			event("dead");
			s.st = S_DOWN;
		}
		if (s.n_asked == s.f.n && wd_after >= 0 && !s.withdraw_at)
			s.withdraw_at = now + (uint64_t)(wd_after * 1000);
		if ((want_withdraw || (s.withdraw_at && now >= s.withdraw_at)) && !s.n_withdrawn) {
			want_withdraw = 0;
			withdraw(&s);
		}
		if (s.n_withdrawn && s.n_acked < s.n_withdrawn && now >= s.next_wd_rxmt)
			withdraw(&s);
		struct pollfd pfd = { .fd = s.sock, .events = POLLIN };
		if (poll(&pfd, 1, 50) > 0)
			rx(&s);
	}
	return 0;
}

/* ---- watch ---- */

struct watch {
	void *set;      /* tsearch tree of uint64 (dst << 8 | plen) */
	size_t n;
	bool changed;
};

static int key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int on_route(struct nl_msg *msg, void *arg)
{
	struct watch *w = arg;
	struct nlmsghdr *nh = nlmsg_hdr(msg);
	if (nh->nlmsg_type != RTM_NEWROUTE && nh->nlmsg_type != RTM_DELROUTE)
		return NL_OK;
	struct rtmsg *rt = nlmsg_data(nh);
	struct nlattr *tb[RTA_MAX + 1];
	if (rt->rtm_family != AF_INET || rt->rtm_type != RTN_UNICAST ||
	    rt->rtm_protocol == RTPROT_KERNEL ||
	    nlmsg_parse(nh, sizeof *rt, tb, RTA_MAX, NULL) < 0)
		return NL_OK;
	uint32_t table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : rt->rtm_table;
	if (table != RT_TABLE_MAIN)
		return NL_OK;
	uint64_t *k = malloc(sizeof *k);
	if (!k)
		die("malloc");
	*k = (uint64_t)(tb[RTA_DST] ? ntohl(nla_get_u32(tb[RTA_DST])) : 0) << 8 | rt->rtm_dst_len;
	uint64_t **found = tfind(k, &w->set, key_cmp);
	if (nh->nlmsg_type == RTM_NEWROUTE && !found) {
		tsearch(k, &w->set, key_cmp);
		w->n++;
		w->changed = true;
		return NL_OK;
	}
	if (nh->nlmsg_type == RTM_DELROUTE && found) {
		uint64_t *old = *found;
		tdelete(k, &w->set, key_cmp);
		free(old);
		w->n--;
		w->changed = true;
	}
	free(k);
	return NL_OK;
}

static struct nl_sock *nl_open(struct watch *w)
{
	struct nl_sock *sk = nl_socket_alloc();
	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0)
		die("netlink");
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_route, w);
	return sk;
}

static void dump(struct watch *w)
{
	struct nl_sock *sk = nl_open(w);
	struct rtmsg rt = { .rtm_family = AF_INET };
	if (nl_send_simple(sk, RTM_GETROUTE, NLM_F_DUMP, &rt, sizeof rt) < 0 ||
	    nl_recvmsgs_default(sk) < 0)
		die("route dump");
	nl_socket_free(sk);
}

static void free_key(void *k)
{
	free(k);
}

static int watch(void)
{
	static struct watch w;
	struct nl_sock *ev = nl_open(&w);
	int buf = 64 << 20;
	nl_socket_disable_seq_check(ev);
	nl_socket_set_nonblocking(ev);
	if (nl_socket_add_membership(ev, RTNLGRP_IPV4_ROUTE) < 0)
		die("membership");
	setsockopt(nl_socket_get_fd(ev), SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	dump(&w);
	event("%zu", w.n);
	while (!want_stop) {
		struct pollfd pfd = { .fd = nl_socket_get_fd(ev), .events = POLLIN };
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		/* Drain what is queued, then print once. */
		w.changed = false;
		int r;
		while ((r = nl_recvmsgs_default(ev)) >= 0)
			;
		if (r != -NLE_AGAIN) {
			/* Events lost (socket overrun): count again from a dump. */
			event("# overrun, dump again");
			tdestroy(w.set, free_key);
			w.set = NULL;
			w.n = 0;
			dump(&w);
			w.changed = true;
		}
		if (w.changed)
			event("%zu", w.n);
	}
	return 0;
}

static int prefixes(int argc, char **argv)
{
	struct clos f;
	unsigned a = 32, b = 8, c = 304, d = 4;
	if (argc == 3 && !strcmp(argv[1], "-3") && sscanf(argv[2], "%u,%u", &a, &b) == 2)
		clos_3stage(&f, a, b);
	else if (argc == 1 || (argc == 3 && !strcmp(argv[1], "-5") &&
			       sscanf(argv[2], "%u,%u,%u,%u", &a, &b, &c, &d) == 4))
		clos_5stage(&f, a, b, c, d);
	else
		return 2;
	count_prefixes(&f, NULL, print_prefix);
	clos_free(&f);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "prefixes"))
		return prefixes(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "inject"))
		return inject(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "watch"))
		return watch();
	fprintf(stderr, "usage: lsinject inject ... | lsinject watch\n");
	return 2;
}
