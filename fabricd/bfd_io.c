/* BFD sockets, timers and show output: RFC 5881 around proto/bfd.
 *
 * BFD runs on a thread of its own with its own libev loop, so that no OSPF
 * or control work on the daemon's loop (a flood, a big LS Request, a
 * `show database detail`) can hold a BFD timer past a detection time (issue
 * 11, measured in bench/stall.sh). One mutex guards everything here: the
 * BFD thread holds it while it runs its callbacks and releases it while it
 * waits in poll (libev's loop release hooks); the API functions, called
 * from the daemon's thread, take it, and wake the BFD loop after changing
 * its timers. State changes go the other way through a queue and an
 * ev_async on the daemon's loop, where state_cb runs, free to call back
 * into this API. The show and metrics JSON is show_bfd.c's, built from
 * bfd_io_foreach and bfd_io_get_stats. */
#include "fabricd/bfd_io.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ev.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "proto/bfd/packet.h"
#include "proto/bfd/session.h"
#include "proto/lib/vec.h"

#define BFD_TTL 255          /* RFC 5881 section 5 (GTSM) */
#define BFD_TOS 0xc0         /* Internet Control: BFD must not queue behind data */
#define SPORT_MIN 49152u     /* RFC 5881 section 4 */
#define SPORT_COUNT 16384u
#define INITIAL_BUCKETS 64u

struct bfd_io_session {
	struct bfd_session s;
	struct bfd_io *io;
	char ifname[IF_NAMESIZE];
	uint32_t ifindex;
	uint32_t local;
	uint32_t peer;
	int fd;
	uint16_t sport;
	ev_timer timer;
	uint64_t armed_for_us;    /* the deadline the timer was set for */
	int busy;                 /* inside a proto/bfd call */
	bool dead;                /* deleted while busy: free when it returns */
	uint64_t tx_errors;
	uint8_t last_tx[BFD_MAX_PACKET_LEN];
	size_t last_tx_len;
	struct bfd_io_session *next;        /* io->all */
	struct bfd_io_session *next_discr;  /* io->by_discr bucket */
	struct bfd_io_session *next_peer;   /* io->by_peer bucket */
};

struct bfd_state_event {
	uint32_t ifindex, peer;
	struct bfd_state_change ev;
};

struct bfd_io {
	struct ev_loop *loop;      /* the BFD thread's own */
	struct ev_loop *main_loop; /* the caller's: state_cb runs there */
	pthread_t thread;
	pthread_mutex_t lock;
	ev_async wake;             /* on loop: re-read timers, or stop */
	ev_async notify;           /* on main_loop: state events queued */
	bool stopping;
	struct bfd_state_event *events;
	size_t n_events, cap_events;
	int rx_fd;
	ev_io rx_watcher;
	bfd_io_state_cb state_cb;
	void *ctx;
	struct bfd_io_session *all;
	struct bfd_io_session **by_discr;
	struct bfd_io_session **by_peer;
	size_t nbuckets;          /* power of two */
	size_t count;
	uint8_t port_used[SPORT_COUNT / 8];
	uint32_t next_port;
	uint64_t packets_in;
	uint64_t drops[BFD_DROP_MAX];
	/* How late session timers ran: a process that is not scheduled for
	 * a detection time (busy host) makes false session drops; these tell. */
	uint64_t late_max_us;
	uint64_t late_over_10ms;
	/* Sessions that could not be made: no socket (file descriptors) or no
	 * free source port (RFC 5881 section 4 gives 16,384: a protocol limit). */
	uint64_t sessions_refused;
	int last_refused_errno;
};

static uint64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- lookup tables ---------------------------------------------------- */

static size_t hash_discr(const struct bfd_io *io, uint32_t discr)
{
	return (size_t)((discr * 2654435761u) >> 7) & (io->nbuckets - 1);
}

static size_t hash_peer(const struct bfd_io *io, uint32_t ifindex, uint32_t peer)
{
	uint64_t k = ((uint64_t)ifindex << 32 | peer) * 0x9e3779b97f4a7c15ull;
	return (size_t)(k >> 40) & (io->nbuckets - 1);
}

static void link_hashes(struct bfd_io *io, struct bfd_io_session *ses)
{
	size_t d = hash_discr(io, ses->s.local_discr);
	size_t p = hash_peer(io, ses->ifindex, ses->peer);
	ses->next_discr = io->by_discr[d];
	io->by_discr[d] = ses;
	ses->next_peer = io->by_peer[p];
	io->by_peer[p] = ses;
}

static void unlink_hashes(struct bfd_io *io, struct bfd_io_session *ses)
{
	struct bfd_io_session **pp = &io->by_discr[hash_discr(io, ses->s.local_discr)];
	while (*pp && *pp != ses)
		pp = &(*pp)->next_discr;
	if (*pp)
		*pp = ses->next_discr;
	pp = &io->by_peer[hash_peer(io, ses->ifindex, ses->peer)];
	while (*pp && *pp != ses)
		pp = &(*pp)->next_peer;
	if (*pp)
		*pp = ses->next_peer;
}

static int alloc_buckets(struct bfd_io *io, size_t n)
{
	struct bfd_io_session **d = calloc(n, sizeof(*d));
	struct bfd_io_session **p = calloc(n, sizeof(*p));
	if (d == NULL || p == NULL) {
		free(d);
		free(p);
		return -1;
	}
	free(io->by_discr);
	free(io->by_peer);
	io->by_discr = d;
	io->by_peer = p;
	io->nbuckets = n;
	return 0;
}

/* Keep chains short (O(1) lookup): double the tables as sessions grow. */
static void maybe_grow(struct bfd_io *io)
{
	if (io->count < io->nbuckets || alloc_buckets(io, io->nbuckets * 2) != 0)
		return;
	for (struct bfd_io_session *ses = io->all; ses; ses = ses->next)
		link_hashes(io, ses);
}

static struct bfd_io_session *find_discr(const struct bfd_io *io, uint32_t discr)
{
	struct bfd_io_session *ses = io->by_discr[hash_discr(io, discr)];
	while (ses && ses->s.local_discr != discr)
		ses = ses->next_discr;
	return ses;
}

static struct bfd_io_session *find_peer(const struct bfd_io *io, uint32_t ifindex, uint32_t peer)
{
	struct bfd_io_session *ses = io->by_peer[hash_peer(io, ifindex, peer)];
	while (ses && (ses->ifindex != ifindex || ses->peer != peer))
		ses = ses->next_peer;
	return ses;
}

/* 6.8.1: a unique, non-zero, random local discriminator. */
static uint32_t new_discr(const struct bfd_io *io)
{
	for (;;) {
		uint32_t d = 0;
		if (getrandom(&d, sizeof(d), 0) != sizeof(d))
			d = (uint32_t)mono_us() ^ (uint32_t)rand();
		if (d != 0 && find_discr(io, d) == NULL)
			return d;
	}
}

/* ---- sockets ---------------------------------------------------------- */

static bool port_taken(const struct bfd_io *io, uint32_t i)
{
	return io->port_used[i / 8] & (1u << (i % 8));
}

static void port_mark(struct bfd_io *io, uint16_t port, bool used)
{
	uint32_t i = (uint32_t)port - SPORT_MIN;
	if (used)
		io->port_used[i / 8] |= (uint8_t)(1u << (i % 8));
	else
		io->port_used[i / 8] &= (uint8_t)~(1u << (i % 8));
}

/* Bind fd to local and a free source port of 49152-65535 that no other
 * session of ours uses (RFC 5881 section 4: SHOULD be unique). */
static int bind_source_port(struct bfd_io *io, int fd, uint32_t local, uint16_t *port)
{
	for (uint32_t n = 0; n < SPORT_COUNT; n++) {
		uint32_t i = (io->next_port + n) % SPORT_COUNT;
		if (port_taken(io, i))
			continue;
		struct sockaddr_in sin = { .sin_family = AF_INET };
		sin.sin_addr.s_addr = htonl(local);
		sin.sin_port = htons((uint16_t)(SPORT_MIN + i));
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0) {
			*port = (uint16_t)(SPORT_MIN + i);
			io->next_port = i + 1;
			return 0;
		}
		if (errno != EADDRINUSE)
			return -1;
	}
	errno = EADDRINUSE;
	return -1;
}

static int open_tx_socket(struct bfd_io *io, const char *ifname, uint32_t local, uint16_t *port)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int ttl = BFD_TTL, tos = BFD_TOS;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) != 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) != 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)) != 0 ||
	    bind_source_port(io, fd, local, port) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int open_rx_socket(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int on = 1;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(BFD_UDP_PORT_CONTROL) };
	/* No SO_REUSEADDR: a second BFD daemon on this host must fail here
	 * rather than silently share (and split) the packets. */
	if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) != 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on)) != 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	/* Every session arrives on this one socket: at 1,000 sessions x 50 ms
	 * the default buffer (a few hundred packets) overflows whenever the
	 * loop is scheduled late, and lost packets become false session drops.
	 * Root may go past rmem_max; otherwise take what the sysctl allows. */
	int rcvbuf = 8 << 20;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) != 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return fd;
}

/* ---- session callbacks and timers --------------------------------------- */

static void ses_send(void *ctx, const uint8_t *buf, size_t len)
{
	struct bfd_io_session *ses = ctx;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(BFD_UDP_PORT_CONTROL) };
	to.sin_addr.s_addr = htonl(ses->peer);
	if (len <= sizeof(ses->last_tx)) {
		memcpy(ses->last_tx, buf, len);
		ses->last_tx_len = len;
	}
	if (sendto(ses->fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		ses->tx_errors++;
}

/* In the BFD thread (lock held): queue the change for the daemon's loop. */
static void ses_state(void *ctx, const struct bfd_state_change *ev)
{
	struct bfd_io_session *ses = ctx;
	struct bfd_io *io = ses->io;
	if (!io->state_cb)
		return;
	struct bfd_state_event *e = VEC_PUSH(io->events, io->n_events, io->cap_events);
	if (e == NULL)
		return;
	*e = (struct bfd_state_event){ .ifindex = ses->ifindex, .peer = ses->peer, .ev = *ev };
	ev_async_send(io->main_loop, &io->notify);
}

/* In the daemon's thread: hand the queued changes to state_cb, in order,
 * without the lock (state_cb may add or delete sessions). */
static void notify_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct bfd_io *io = w->data;
	(void)loop;
	(void)revents;
	for (;;) {
		pthread_mutex_lock(&io->lock);
		if (io->n_events == 0) {
			pthread_mutex_unlock(&io->lock);
			return;
		}
		struct bfd_state_event ev = io->events[0];
		memmove(io->events, io->events + 1, --io->n_events * sizeof(ev));
		pthread_mutex_unlock(&io->lock);
		io->state_cb(io->ctx, ev.ifindex, ev.peer, &ev.ev);
	}
}

static void ses_free(struct bfd_io_session *ses)
{
	ev_timer_stop(ses->io->loop, &ses->timer);
	if (ses->fd >= 0)
		close(ses->fd);
	port_mark(ses->io, ses->sport, false);
	free(ses);
}

static void rearm(struct bfd_io_session *ses)
{
	struct ev_loop *loop = ses->io->loop;
	ev_timer_stop(loop, &ses->timer);
	uint64_t d = bfd_session_next_deadline(&ses->s);
	if (d == NEVER)
		return;
	uint64_t now = mono_us();
	ev_now_update(loop);
	ses->armed_for_us = d;
	ev_timer_set(&ses->timer, d > now ? (double)(d - now) / 1e6 : 0.0, 0.0);
	ev_timer_start(loop, &ses->timer);
}

/* After a proto/bfd call: free a session deleted meanwhile, else re-arm. */
static void after_call(struct bfd_io_session *ses)
{
	if (--ses->busy > 0)
		return;
	if (ses->dead)
		ses_free(ses);
	else
		rearm(ses);
}

static void rx_read(struct bfd_io *io, int max);

/* Before a detection time expires, read what the kernel already holds: when
 * this process was not scheduled for a while (a busy host), the peer's
 * packets wait in the socket while our timers fall due, and running the
 * timer first would take a live session down (RFC 5880 6.8.4 counts
 * packets received, and these were). A peer that was really silent for the
 * detection time has nothing queued. */
static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct bfd_io_session *ses = w->data;
	uint64_t now = mono_us();
	if (now > ses->armed_for_us) {
		uint64_t late = now - ses->armed_for_us;
		if (late > ses->io->late_max_us)
			ses->io->late_max_us = late;
		if (late > 10000)
			ses->io->late_over_10ms++;
	}
	ses->busy++;
	if (bfd_session_detect_expired(&ses->s, now))
		rx_read(ses->io, 4096);
	if (!ses->dead)
		bfd_session_timer(&ses->s, mono_us());
	after_call(ses);
}

/* ---- receive ------------------------------------------------------------ */

struct rx_meta {
	uint32_t src;
	uint32_t ifindex;
	int ttl;
};

static void parse_cmsgs(struct msghdr *mh, struct rx_meta *m)
{
	m->ttl = -1;
	m->ifindex = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != IPPROTO_IP)
			continue;
		if (c->cmsg_type == IP_TTL && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			memcpy(&m->ttl, CMSG_DATA(c), sizeof(int));
		} else if (c->cmsg_type == IP_PKTINFO &&
			   c->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			m->ifindex = (uint32_t)pi.ipi_ifindex;
		}
	}
}

static void count_drop(struct bfd_io *io, enum bfd_drop d)
{
	if (d < BFD_DROP_MAX)
		io->drops[d]++;
}

/* 6.8.6: by Your Discriminator, else (Down/AdminDown packets) by the
 * interface and source address; a single-hop session only accepts packets
 * from its own interface and peer. */
static struct bfd_io_session *demux(struct bfd_io *io, const struct bfd_packet *p,
				    const struct rx_meta *m, enum bfd_drop *why)
{
	struct bfd_io_session *ses;
	if (p->your_discr != 0) {
		ses = find_discr(io, p->your_discr);
		if (ses && (ses->ifindex != m->ifindex || ses->peer != m->src)) {
			*why = BFD_DROP_WRONG_INTERFACE;
			return NULL;
		}
	} else {
		ses = find_peer(io, m->ifindex, m->src);
	}
	if (ses == NULL)
		*why = BFD_DROP_NO_SESSION;
	return ses;
}

static void handle_packet(struct bfd_io *io, const uint8_t *buf, size_t len,
			  const struct rx_meta *m)
{
	io->packets_in++;
	if (m->ttl != BFD_TTL) {
		count_drop(io, BFD_DROP_TTL);
		return;
	}
	struct bfd_packet p;
	enum bfd_drop why = bfd_packet_decode(buf, len, &p);
	if (why != BFD_DROP_NONE) {
		count_drop(io, why);
		return;
	}
	struct bfd_io_session *ses = demux(io, &p, m, &why);
	if (ses == NULL) {
		count_drop(io, why);
		return;
	}
	ses->busy++;
	why = bfd_session_rx(&ses->s, &p, buf, len, mono_us());
	count_drop(io, why);
	after_call(ses);
}

/* Read and handle up to max queued packets. */
static void rx_read(struct bfd_io *io, int max)
{
	for (int i = 0; i < max; i++) {
		uint8_t buf[512];
		union {
			char raw[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in_pktinfo)) + 64];
			struct cmsghdr align;
		} cbuf;
		struct sockaddr_in from;
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			.msg_iovlen = 1, .msg_control = cbuf.raw, .msg_controllen = sizeof(cbuf.raw),
		};
		ssize_t n = recvmsg(io->rx_fd, &mh, 0);
		if (n < 0)
			return;
		struct rx_meta m;
		parse_cmsgs(&mh, &m);
		m.src = ntohl(from.sin_addr.s_addr);
		handle_packet(io, buf, (size_t)n, &m);
	}
}

static void rx_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	rx_read(w->data, 64); /* bounded: let timers run too */
}

/* ---- the BFD thread ------------------------------------------------------ */

static void loop_release(struct ev_loop *loop)
{
	struct bfd_io *io = ev_userdata(loop);
	pthread_mutex_unlock(&io->lock);
}

static void loop_acquire(struct ev_loop *loop)
{
	struct bfd_io *io = ev_userdata(loop);
	pthread_mutex_lock(&io->lock);
}

static void wake_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct bfd_io *io = w->data;
	(void)revents;
	if (io->stopping)
		ev_break(loop, EVBREAK_ALL);
}

static void *bfd_thread(void *arg)
{
	struct bfd_io *io = arg;
	pthread_setname_np(pthread_self(), "fabricd-bfd");
	pthread_mutex_lock(&io->lock);
	ev_run(io->loop, 0);
	pthread_mutex_unlock(&io->lock);
	return NULL;
}

/* An API call changed timers on the BFD loop: have it look again. */
static void wake(struct bfd_io *io)
{
	ev_async_send(io->loop, &io->wake);
}

/* ---- public API --------------------------------------------------------- */

static void io_destroy(struct bfd_io *io)
{
	if (io->rx_fd >= 0)
		close(io->rx_fd);
	if (io->loop)
		ev_loop_destroy(io->loop);
	pthread_mutex_destroy(&io->lock);
	free(io->by_discr);
	free(io->by_peer);
	free(io->events);
	free(io);
}

struct bfd_io *bfd_io_new(struct ev_loop *loop, bfd_io_state_cb state_cb, void *ctx)
{
	struct bfd_io *io = calloc(1, sizeof(*io));
	if (io == NULL)
		return NULL;
	pthread_mutex_init(&io->lock, NULL);
	io->main_loop = loop;
	io->state_cb = state_cb;
	io->ctx = ctx;
	uint32_t r = 0;
	if (getrandom(&r, sizeof(r), 0) == sizeof(r))
		io->next_port = r % SPORT_COUNT;
	io->rx_fd = open_rx_socket();
	io->loop = ev_loop_new(EVFLAG_AUTO);
	if (io->rx_fd < 0 || io->loop == NULL || alloc_buckets(io, INITIAL_BUCKETS) != 0) {
		int e = errno;
		io_destroy(io);
		errno = e;
		return NULL;
	}
	ev_set_userdata(io->loop, io);
	ev_set_loop_release_cb(io->loop, loop_release, loop_acquire);
	ev_io_init(&io->rx_watcher, rx_cb, io->rx_fd, EV_READ);
	io->rx_watcher.data = io;
	ev_io_start(io->loop, &io->rx_watcher);
	ev_async_init(&io->wake, wake_cb);
	io->wake.data = io;
	ev_async_start(io->loop, &io->wake);
	ev_async_init(&io->notify, notify_cb);
	io->notify.data = io;
	ev_async_start(loop, &io->notify);
	/* Signals are the daemon's loop's business: the BFD thread starts with
	 * them all blocked (it inherits the mask it is created with), except
	 * SIGSYS: libpsx signals every thread with it to drop privileges on
	 * each (privs.c); blocked, the drop would wait for this thread forever. */
	sigset_t all, old;
	sigfillset(&all);
	sigdelset(&all, SIGSYS);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int e = pthread_create(&io->thread, NULL, bfd_thread, io);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		ev_async_stop(loop, &io->notify);
		io_destroy(io);
		errno = e;
		return NULL;
	}
	return io;
}

int bfd_io_set_rt_priority(struct bfd_io *io, uint32_t prio)
{
	struct sched_param sp = { .sched_priority = (int)prio };
	int e = pthread_setschedparam(io->thread, prio ? SCHED_FIFO : SCHED_OTHER, &sp);
	if (e != 0)
		errno = e;
	return e ? -1 : 0;
}

static struct bfd_session_config make_config(uint32_t tx_ms, uint32_t rx_ms, uint32_t mult,
					     const struct bfd_auth_key *keys, size_t n_keys)
{
	struct bfd_session_config c = {
		.desired_min_tx_us = tx_ms * 1000u,
		.required_min_rx_us = rx_ms * 1000u,
		.detect_mult = (uint8_t)(mult == 0 ? 3 : mult > 255 ? 255 : mult),
	};
	if (n_keys > 0) {
		c.auth_type = keys[0].type;
		c.n_keys = (uint8_t)n_keys;
		memcpy(c.keys, keys, n_keys * sizeof(*keys));
	}
	return c;
}

static int update_session(struct bfd_io_session *ses, const struct bfd_session_config *c)
{
	ses->busy++;
	bfd_session_set_config(&ses->s, c, mono_us());
	after_call(ses);
	return 0;
}

static int session_add(struct bfd_io *io, const char *ifname, uint32_t ifindex,
		       uint32_t local_addr, uint32_t peer_addr, uint32_t tx_ms, uint32_t rx_ms,
		       uint32_t mult, const struct bfd_auth_key *keys, size_t n_keys)
{
	if (ifname == NULL || strlen(ifname) >= IF_NAMESIZE || peer_addr == 0 || tx_ms == 0 ||
	    tx_ms > 4000000 || rx_ms > 4000000 || n_keys > BFD_SESSION_MAX_KEYS ||
	    (n_keys > 0 && keys == NULL)) {
		errno = EINVAL;
		return -1;
	}
	struct bfd_session_config c = make_config(tx_ms, rx_ms, mult, keys, n_keys);
	struct bfd_io_session *ses = find_peer(io, ifindex, peer_addr);
	if (ses)
		return update_session(ses, &c);
	ses = calloc(1, sizeof(*ses));
	if (ses == NULL)
		return -1;
	ses->io = io;
	snprintf(ses->ifname, sizeof(ses->ifname), "%s", ifname);
	ses->ifindex = ifindex;
	ses->local = local_addr;
	ses->peer = peer_addr;
	ses->fd = open_tx_socket(io, ifname, local_addr, &ses->sport);
	if (ses->fd < 0) {
		int e = errno;
		free(ses);
		io->sessions_refused++;
		io->last_refused_errno = e;
		errno = e;
		return -1;
	}
	port_mark(io, ses->sport, true);
	struct bfd_session_ops ops = { .ctx = ses, .send = ses_send, .state_change = ses_state };
	bfd_session_init(&ses->s, &c, &ops, new_discr(io), mono_us());
	ses->s.rng ^= mono_us();
	ev_timer_init(&ses->timer, timer_cb, 0.0, 0.0);
	ses->timer.data = ses;
	ses->next = io->all;
	io->all = ses;
	io->count++;
	link_hashes(io, ses);
	maybe_grow(io);
	rearm(ses);
	return 0;
}

static void remove_session(struct bfd_io *io, struct bfd_io_session *ses)
{
	unlink_hashes(io, ses);
	struct bfd_io_session **pp = &io->all;
	while (*pp && *pp != ses)
		pp = &(*pp)->next;
	if (*pp)
		*pp = ses->next;
	io->count--;
	/* 6.8.16: tell the peer it is administrative, so that it does not
	 * take this as a failure (RFC 5882 3.2). Three copies stand in for
	 * transmitting AdminDown for a detection time. */
	ses->s.ops.state_change = NULL;
	bfd_session_admin_down(&ses->s, mono_us());
	for (int i = 0; i < 2 && ses->last_tx_len > 0; i++)
		ses_send(ses, ses->last_tx, ses->last_tx_len);
	ev_timer_stop(io->loop, &ses->timer);
	if (ses->busy > 0)
		ses->dead = true;
	else
		ses_free(ses);
}

int bfd_io_session_add(struct bfd_io *io, const char *ifname, uint32_t ifindex,
		       uint32_t local_addr, uint32_t peer_addr, uint32_t tx_ms, uint32_t rx_ms,
		       uint32_t mult, const struct bfd_auth_key *keys, size_t n_keys)
{
	pthread_mutex_lock(&io->lock);
	int rc = session_add(io, ifname, ifindex, local_addr, peer_addr, tx_ms, rx_ms, mult, keys,
			     n_keys);
	int e = errno;
	wake(io);
	pthread_mutex_unlock(&io->lock);
	errno = e;
	return rc;
}

void bfd_io_session_del(struct bfd_io *io, uint32_t ifindex, uint32_t peer)
{
	pthread_mutex_lock(&io->lock);
	struct bfd_io_session *ses = find_peer(io, ifindex, peer);
	if (ses)
		remove_session(io, ses);
	wake(io);
	pthread_mutex_unlock(&io->lock);
}

bool bfd_io_session_state(const struct bfd_io *io, uint32_t ifindex, uint32_t peer,
			  enum bfd_state *st)
{
	struct bfd_io *w = (struct bfd_io *)io; /* the lock is not part of the state */
	pthread_mutex_lock(&w->lock);
	const struct bfd_io_session *ses = find_peer(io, ifindex, peer);
	if (ses)
		*st = ses->s.state;
	pthread_mutex_unlock(&w->lock);
	return ses != NULL;
}

void bfd_io_foreach(const struct bfd_io *io, bfd_io_session_fn fn, void *ctx)
{
	struct bfd_io *w = (struct bfd_io *)io;
	uint64_t now = mono_us();
	pthread_mutex_lock(&w->lock);
	for (const struct bfd_io_session *ses = io->all; ses; ses = ses->next) {
		struct bfd_io_session_info si = { .s = &ses->s, .ifname = ses->ifname,
						   .ifindex = ses->ifindex, .local = ses->local,
						   .peer = ses->peer, .tx_errors = ses->tx_errors };
		fn(ctx, &si, now);
	}
	pthread_mutex_unlock(&w->lock);
}

void bfd_io_get_stats(const struct bfd_io *io, struct bfd_io_stats *out)
{
	struct bfd_io *w = (struct bfd_io *)io;
	pthread_mutex_lock(&w->lock);
	*out = (struct bfd_io_stats){ .packets_in = io->packets_in, .sessions = io->count,
				      .late_max_us = io->late_max_us,
				      .late_over_10ms = io->late_over_10ms,
				      .sessions_refused = io->sessions_refused,
				      .last_refused_errno = io->last_refused_errno };
	memcpy(out->drops, io->drops, sizeof(out->drops));
	pthread_mutex_unlock(&w->lock);
}

void bfd_io_free(struct bfd_io *io)
{
	if (io == NULL)
		return;
	pthread_mutex_lock(&io->lock);
	while (io->all)
		remove_session(io, io->all);
	io->stopping = true;
	wake(io);
	pthread_mutex_unlock(&io->lock);
	pthread_join(io->thread, NULL);
	ev_io_stop(io->loop, &io->rx_watcher);
	ev_async_stop(io->loop, &io->wake);
	ev_async_stop(io->main_loop, &io->notify);
	io_destroy(io);
}
