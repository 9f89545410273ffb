/* OSPF on the wire: one raw IP socket (protocol 89) per OSPF interface,
 * bound to it, joined to AllSPFRouters (and AllDRouters when DR/BDR), TTL 1,
 * precedence internetwork control (RFC 2328 A.1, 8.1). Received packets go
 * to the engine with their arrival interface and addresses; the engine's
 * packets go out here. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "fabricd/daemon.h"
#include "fabricd/log.h"

#define IPPROTO_OSPF 89

static int mcast_membership(int s, uint32_t ifindex, uint32_t group, bool join)
{
	struct ip_mreqn mr = { .imr_multiaddr.s_addr = htonl(group), .imr_ifindex = (int)ifindex };
	return setsockopt(s, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &mr,
			  sizeof(mr));
}

static void ospf_io_read(struct ev_loop *loop, ev_io *w, int revents)
{
	struct fd_iface *i = w->data;
	struct fabricd *d = i->d;
	uint8_t buf[65536];

	for (int n = 0; n < 64; n++) { /* bounded, so one busy port cannot starve the loop */
		ssize_t len = recv(i->sock, buf, sizeof(buf), 0);
		if (len < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("%s: ospf recv: %s", i->name, strerror(errno));
			break;
		}
		if ((size_t)len < sizeof(struct iphdr))
			continue;
		/* A raw socket hands us the IP header: skip it by its IHL. */
		size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
		if (ihl < 20 || ihl > (size_t)len)
			continue;
		uint32_t src, dst;
		memcpy(&src, buf + 12, 4);
		memcpy(&dst, buf + 16, 4);
		src = ntohl(src);
		dst = ntohl(dst);
		if (src == i->addr)
			continue; /* our own packet */
		ospf_rx(d->ospf, i->ifindex, src, dst, buf + ihl, (size_t)len - ihl, now_ms());
	}
	ospf_timer_rearm(d);
}

int ospf_io_open(struct fd_iface *i)
{
	int s = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_OSPF);
	if (s < 0) {
		log_err("%s: ospf socket: %s", i->name, strerror(errno));
		return -1;
	}
	int one = 1, zero = 0, ttl = 1, tos = IPTOS_PREC_INTERNETCONTROL, rcvbuf = 1 << 20;
	struct ip_mreqn mif = { .imr_ifindex = (int)i->ifindex };
	if (setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, i->name, (socklen_t)strlen(i->name)) < 0 ||
	    setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &mif, sizeof(mif)) < 0 ||
	    setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(s, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero)) < 0 ||
	    setsockopt(s, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(s, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)) < 0 ||
	    setsockopt(s, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) < 0 ||
	    mcast_membership(s, i->ifindex, OSPF_ALLSPF, true) < 0) {
		log_err("%s: ospf socket options: %s", i->name, strerror(errno));
		close(s);
		return -1;
	}
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	i->sock = s;
	ev_io_init(&i->sock_w, ospf_io_read, s, EV_READ);
	i->sock_w.data = i;
	ev_io_start(i->d->loop, &i->sock_w);
	return 0;
}

void ospf_io_close(struct fd_iface *i)
{
	if (i->sock < 0)
		return;
	ev_io_stop(i->d->loop, &i->sock_w);
	close(i->sock);
	i->sock = -1;
}

/* ---- engine callbacks ---- */

static void cb_send(void *ctx, uint32_t ifindex, uint32_t dst, const uint8_t *buf, size_t len)
{
	struct fabricd *d = ctx;
	struct fd_iface *i = iface_by_index(d, ifindex);
	if (!i || i->sock < 0)
		return;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(dst) };
	/* From the primary address, whatever the kernel would pick among the
	 * port's addresses: neighbors name us by the Hello's source, and SPF's
	 * next hop is our link data (RFC 2328 12.4.1.1), both the primary. */
	union {
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} ctl = { 0 };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_name = &sin, .msg_namelen = sizeof(sin), .msg_iov = &iov,
			     .msg_iovlen = 1, .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
	struct in_pktinfo pi = { .ipi_ifindex = (int)ifindex };
	pi.ipi_spec_dst.s_addr = htonl(i->addr);
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	if (sendmsg(i->sock, &mh, 0) < 0 &&
	    errno != EAGAIN && errno != ENETDOWN && errno != ENETUNREACH)
		log_warn("%s: ospf send to %s: %s", i->name, inet_ntoa(sin.sin_addr), strerror(errno));
}

static void cb_alldr(void *ctx, uint32_t ifindex, bool join)
{
	struct fabricd *d = ctx;
	struct fd_iface *i = iface_by_index(d, ifindex);
	if (i && i->sock >= 0 && mcast_membership(i->sock, ifindex, OSPF_ALLDR, join) < 0 &&
	    join)
		log_warn("%s: join AllDRouters: %s", i->name, strerror(errno));
}

static void cb_log(void *ctx, int level, const char *fmt, va_list ap)
{
	log_vmsg(level, fmt, ap);
}

void ospf_io_callbacks(struct fabricd *d, struct ospf_callbacks *cb)
{
	*cb = (struct ospf_callbacks){ .ctx = d,
				       .send = cb_send,
				       .alldr = cb_alldr,
				       .nbr_change = adjacency_change,
				       .lsdb_change = routes_lsdb_change,
				       .log = cb_log };
}

/* Key lifetimes are wall-clock times: tell the engine the wall clock
 * whenever it has run, so a stepped clock is followed. */
void ospf_io_wall_clock(struct fabricd *d, uint64_t now)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ospf_set_wall_clock(d->ospf, (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, now);
}

static void ospf_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct fabricd *d = w->data;
	ospf_tick(d->ospf, now_ms());
	ospf_timer_rearm(d);
}

/* The engine keeps its own deadlines; one libev timer follows the earliest. */
void ospf_timer_rearm(struct fabricd *d)
{
	if (!d->ospf)
		return;
	uint64_t next = ospf_next_deadline(d->ospf), now = now_ms();
	ospf_io_wall_clock(d, now);
	ev_timer_stop(d->loop, &d->ospf_timer);
	if (next == NEVER)
		return;
	double delay = next > now ? (double)(next - now) / 1000.0 : 0.0;
	ev_timer_init(&d->ospf_timer, ospf_timer_cb, delay, 0.);
	d->ospf_timer.data = d;
	ev_timer_start(d->loop, &d->ospf_timer);
}
