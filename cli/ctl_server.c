/* ctl_server: libev control-socket server (see ctl_server.h). */
#include "cli/ctl_server.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/ctl_commands.h"
#include "cli/ctl_listen.h"

struct ctl_client {
	struct ctl_server *srv;
	struct ctl_client *prev, *next;
	struct ctl_client *rnext;	/* in the server's ready queue */
	bool queued;
	int fd;
	long uid;		/* SO_PEERCRED, -1 if unknown */
	ev_io rio, wio;
	ev_timer timer;
	ev_tstamp since;	/* waiting for a request since (eviction order) */
	ev_tstamp progress;	/* last write progress of the reply */
	char in[CTL_REQ_MAX];
	size_t in_len;
	struct ctl_buf out;	/* header + body of the reply being written */
	size_t out_off;
	bool eof;		/* client closed its sending side */
	bool closing;		/* close once out is written */
	bool subscribed;	/* receives ctl_server_publish() messages */
	unsigned long long dropped;	/* messages not queued, not yet told */
};

/* The last big reply, for clients asking the same within
 * CTL_SERVER_CACHE_S: 64 clients asking `show database detail` at once
 * cost one rendering, not 64. Keyed by the request as typed and the uid. */
struct reply_cache {
	int cmd;		/* 0: empty */
	struct ctl_request req;
	long uid;
	bool ok;
	struct ctl_buf body;
	ev_tstamp at;
};

struct ctl_server {
	struct ev_loop *loop;
	int fd;
	ino_t ino;
	char *path;
	ev_io accept_io;
	ev_timer accept_retry;
	ctl_handler_fn handler;
	void *ctx;
	double timeout;
	double req_timeout;
	struct ctl_client *clients;
	size_t nclients;
	/* Clients with a complete request, served one per loop pass (check
	 * watcher; the idle watcher keeps the loop from blocking meanwhile). */
	struct ctl_client *ready_head, *ready_tail;
	ev_check serve_check;
	ev_idle serve_idle;
	size_t out_bytes;	/* reply bytes not yet written, all clients */
	struct reply_cache cache;
	struct ctl_server_stats st;
	size_t nsubscribers;
	unsigned long long dropped;
};

static void ready_unlink(struct ctl_client *c)
{
	struct ctl_server *srv = c->srv;
	if (!c->queued)
		return;
	struct ctl_client **pp = &srv->ready_head, *prev = NULL;
	while (*pp != c) {
		prev = *pp;
		pp = &(*pp)->rnext;
	}
	*pp = c->rnext;
	if (srv->ready_tail == c)
		srv->ready_tail = prev;
	c->rnext = NULL;
	c->queued = false;
}

/* Forget the reply being written (its bytes leave the server's total). */
static void out_reset(struct ctl_client *c)
{
	c->srv->out_bytes -= c->out.len - c->out_off;
	ctl_buf_reset(&c->out);
	c->out_off = 0;
}

/* A subscriber with nothing to write: only watch for its hang-up. */
static void sub_idle(struct ctl_client *c)
{
	struct ev_loop *loop = c->srv->loop;
	ev_io_stop(loop, &c->wio);
	ev_timer_stop(loop, &c->timer);
	ev_io_start(loop, &c->rio);
}

static void client_close(struct ctl_client *c)
{
	struct ctl_server *srv = c->srv;
	ready_unlink(c);
	out_reset(c);
	ev_io_stop(srv->loop, &c->rio);
	ev_io_stop(srv->loop, &c->wio);
	ev_timer_stop(srv->loop, &c->timer);
	close(c->fd);
	ctl_buf_free(&c->out);
	if (c->subscribed)
		srv->nsubscribers--;
	if (c->prev)
		c->prev->next = c->next;
	else
		srv->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	srv->nclients--;
	free(c);
	/* A slot is free again: resume accepting. */
	ev_io_start(srv->loop, &srv->accept_io);
}

static void queue_reply(struct ctl_client *c, bool ok, struct ctl_buf *body)
{
	char hdr[CTL_REPLY_HDR_MAX];
	if (!ok && (body->len == 0 || body->data[body->len - 1] != '\n'))
		(void)ctl_buf_puts(body, "\n");
	size_t n = ctl_reply_header(hdr, ok, body->len);
	out_reset(c);
	if (ctl_buf_append(&c->out, hdr, n) < 0 ||
	    ctl_buf_append(&c->out, body->data, body->len) < 0) {
		/* Out of memory: say so in a reply that needs none. */
		static const char oom[] = "error 14\nout of memory\n";
		ctl_buf_reset(&c->out);
		(void)ctl_buf_append(&c->out, oom, sizeof(oom) - 1);
	}
	c->srv->out_bytes += c->out.len;
}

static void queue_error(struct ctl_client *c, const char *msg)
{
	struct ctl_buf body;
	ctl_buf_init(&body);
	(void)ctl_buf_puts(&body, msg);
	queue_reply(c, false, &body);
	ctl_buf_free(&body);
}

static bool req_equal(const struct ctl_request *a, const struct ctl_request *b)
{
	if (a->json != b->json || a->argc != b->argc)
		return false;
	for (int i = 0; i < a->argc; i++)
		if (strcmp(a->argv[i], b->argv[i]))
			return false;
	return true;
}

/* Parse, match and run one request line; queue its reply. */
static void serve_line(struct ctl_client *c, const char *line, size_t len)
{
	struct ctl_server *srv = c->srv;
	struct ctl_request req;
	char err[160];
	int cmd;
	if (ctl_request_parse(line, len, &req, err, sizeof(err)) < 0 ||
	    (cmd = ctl_cmd_match_request(&req, err, sizeof(err))) < 0) {
		queue_error(c, err);
		return;
	}
	req.peer_uid = c->uid;
	struct reply_cache *cache = &srv->cache;
	if (cache->cmd && ev_now(srv->loop) - cache->at >= CTL_SERVER_CACHE_S) {
		ctl_buf_free(&cache->body); /* expired: do not keep its memory */
		cache->cmd = 0;
	}
	if (cache->cmd == cmd && cache->uid == c->uid && req_equal(&cache->req, &req)) {
		srv->st.cached++;
		queue_reply(c, cache->ok, &cache->body);
		return;
	}
	struct ctl_buf body;
	ctl_buf_init(&body);
	int rc = srv->handler(srv->ctx, cmd, &req, &body);
	/* A long handler (a big "show database detail") must not eat into
	 * this client's write timeout: timers are armed from ev_now(). */
	ev_now_update(srv->loop);
	if (rc == CTL_HANDLER_SUBSCRIBE) {
		c->subscribed = true;
		srv->nsubscribers++;
	}
	queue_reply(c, rc == 0 || rc == CTL_HANDLER_SUBSCRIBE, &body);
	/* Only big replies are kept, and only those of "show": cheap ones are
	 * rendered fresh, and commands that act are never replayed. */
	if (rc != CTL_HANDLER_SUBSCRIBE && body.len >= CTL_SERVER_CACHE_MIN &&
	    !strncmp(ctl_cmd_name(cmd), "show ", 5)) {
		ctl_buf_free(&cache->body);
		*cache = (struct reply_cache){ .cmd = cmd, .req = req, .uid = c->uid, .ok = rc == 0,
					     .body = body, .at = ev_now(srv->loop) };
		return;
	}
	ctl_buf_free(&body);
}

/* Write what the socket takes; true when the reply is fully written. */
static bool client_flush(struct ctl_client *c)
{
	while (c->out_off < c->out.len) {
		ssize_t n = send(c->fd, c->out.data + c->out_off,
				 c->out.len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return false;
		if (n <= 0) {	/* EPIPE, ECONNRESET: the client left */
			c->closing = true;
			out_reset(c);
			return true;
		}
		c->out_off += (size_t)n;
		c->srv->out_bytes -= (size_t)n;
		c->progress = ev_now(c->srv->loop);
		ev_timer_again(c->srv->loop, &c->timer);
	}
	out_reset(c);
	return true;
}

static void set_timer(struct ctl_client *c, double seconds)
{
	c->timer.repeat = seconds;
	ev_timer_again(c->srv->loop, &c->timer);
}

/* Take the next complete request from the input buffer, if any.  Returns
 * true when a reply was queued (or the client must be closed). */
static bool next_request(struct ctl_client *c)
{
	long n = ctl_request_frame(c->in, c->in_len);
	if (n > 0) {
		serve_line(c, c->in, (size_t)n);
		memmove(c->in, c->in + n, c->in_len - (size_t)n);
		c->in_len -= (size_t)n;
		return true;
	}
	if (n < 0) {
		char msg[64];
		snprintf(msg, sizeof(msg), "request too long (max %d bytes)",
			 CTL_REQ_MAX);
		queue_error(c, msg);
		c->closing = true;	/* framing is lost */
		return true;
	}
	if (c->eof) {
		if (c->in_len > 0)
			queue_error(c, "unterminated request");
		c->closing = true;
		return true;
	}
	return false;
}

/* Is there something to serve: a complete (or too long) request, or an
 * end of input to answer? */
static bool has_work(const struct ctl_client *c)
{
	return c->eof || ctl_request_frame(c->in, c->in_len) != 0;
}

static void ready_kick(struct ctl_server *srv)
{
	if (srv->ready_head)
		ev_idle_start(srv->loop, &srv->serve_idle);
}

/* A complete request waits for its turn: one is served per loop pass, so
 * that many clients asking for big replies at once cannot hold the loop
 * (and the protocols on it) for the sum of their renderings. */
static void ready_push(struct ctl_client *c)
{
	struct ctl_server *srv = c->srv;
	ev_io_stop(srv->loop, &c->rio);
	ev_io_stop(srv->loop, &c->wio);
	set_timer(c, srv->timeout);
	c->rnext = NULL;
	c->queued = true;
	if (srv->ready_tail)
		srv->ready_tail->rnext = c;
	else
		srv->ready_head = c;
	srv->ready_tail = c;
	ready_kick(srv);
}

/* Wait for the next request: it must be complete within req_timeout. */
static void await_request(struct ctl_client *c)
{
	struct ctl_server *srv = c->srv;
	if (has_work(c)) {
		ready_push(c);
		return;
	}
	c->since = ev_now(srv->loop);
	set_timer(c, srv->req_timeout);
	ev_io_stop(srv->loop, &c->wio);
	ev_io_start(srv->loop, &c->rio);
}

/* The reply is written: close, or on to the next request. */
static void reply_done(struct ctl_client *c)
{
	if (c->closing)
		client_close(c);
	else if (c->subscribed)
		sub_idle(c);	/* a monitor: no more requests, no timeout */
	else
		await_request(c);
}

/* Serve one request of c and start writing its reply. */
static void client_serve(struct ctl_client *c)
{
	struct ctl_server *srv = c->srv;
	if (!next_request(c)) {
		await_request(c);
		return;
	}
	if (client_flush(c)) {
		reply_done(c);
		return;
	}
	set_timer(c, srv->timeout);	/* no write progress for this long: gone */
	c->progress = ev_now(srv->loop);
	ev_io_start(srv->loop, &c->wio);
}

/* Replies rendered and not yet read are bounded in total: past
 * CTL_SERVER_OUT_BUDGET the client whose reply has gone longest without
 * write progress is disconnected, so readers that do not read cannot grow
 * the daemon nor keep a well-behaved client waiting. */
static bool evict_slowest(struct ctl_server *srv)
{
	struct ctl_client *victim = NULL;
	for (struct ctl_client *c = srv->clients; c; c = c->next)
		if (ev_is_active(&c->wio) && (!victim || c->progress < victim->progress))
			victim = c;
	if (!victim)
		return false;
	srv->st.dropped_slow++;
	client_close(victim);
	return true;
}

static void on_serve(struct ev_loop *loop, ev_check *w, int revents)
{
	struct ctl_server *srv = w->data;
	(void)revents;
	struct ctl_client *c = srv->ready_head;
	if (!c) {
		ev_idle_stop(loop, &srv->serve_idle);
		return;
	}
	while (srv->out_bytes > CTL_SERVER_OUT_BUDGET && evict_slowest(srv))
		;
	ready_unlink(c);
	client_serve(c);
	if (!srv->ready_head)
		ev_idle_stop(loop, &srv->serve_idle);
}

static void on_serve_idle(struct ev_loop *loop, ev_idle *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;	/* only keeps the loop from blocking: on_serve works */
}

static void on_client_read(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_client *c = w->data;
	(void)loop;
	(void)revents;
	ssize_t n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len,
			 MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		      errno == EINTR))
		return;
	if (n < 0) {
		client_close(c);
		return;
	}
	if (c->subscribed) {	/* input after "monitor" is ignored */
		if (n == 0)
			client_close(c);
		return;
	}
	if (n == 0)
		c->eof = true;
	c->in_len += (size_t)n;
	if (has_work(c))
		ready_push(c);
}

static void on_client_write(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_client *c = w->data;
	(void)loop;
	(void)revents;
	if (client_flush(c))
		reply_done(c);
}

static void on_client_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ctl_client *c = w->data;
	(void)loop;
	(void)revents;
	c->srv->st.timed_out++;
	client_close(c);
}

static void client_new(struct ctl_server *srv, int fd)
{
	struct ctl_client *c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->srv = srv;
	c->fd = fd;
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	c->uid = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) == 0 ? (long)cred.uid : -1;
	ctl_buf_init(&c->out);
	ev_io_init(&c->rio, on_client_read, fd, EV_READ);
	ev_io_init(&c->wio, on_client_write, fd, EV_WRITE);
	ev_timer_init(&c->timer, on_client_timeout, srv->req_timeout,
		      srv->req_timeout);
	c->rio.data = c->wio.data = c->timer.data = c;
	c->next = srv->clients;
	if (c->next)
		c->next->prev = c;
	srv->clients = c;
	srv->nclients++;
	srv->st.accepted++;
	await_request(c);
}

/* All slots taken: make room by closing the client that has waited
 * longest without sending a complete request (idle or half-sent), so that
 * idle connections cannot lock a well-behaved client out. */
static bool evict_idle(struct ctl_server *srv)
{
	/* Monitors (subscribed) go only when nothing else can: else an
	 * attacker's idle connections would cost a real monitor its place. */
	struct ctl_client *victim = NULL;
	for (struct ctl_client *c = srv->clients; c; c = c->next)
		if (!c->queued && !c->closing && c->out.len == c->out_off &&
		    (!victim || c->subscribed < victim->subscribed ||
		     (c->subscribed == victim->subscribed && c->since < victim->since)))
			victim = c;
	/* A client just accepted has not had the chance to send: a burst of
	 * real clients waits in the backlog rather than evict each other. */
	if (!victim || ev_now(srv->loop) - victim->since < CTL_SERVER_EVICT_AFTER_S)
		return false;
	srv->st.evicted++;
	client_close(victim);
	return true;
}

/* Is a connection waiting in the listen backlog? (Only then is an idle
 * client evicted.) */
static bool connection_waiting(const struct ctl_server *srv)
{
	struct pollfd p = { .fd = srv->fd, .events = POLLIN };
	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void on_accept(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_server *srv = w->data;
	(void)revents;
	for (;;) {
		if (srv->nclients >= CTL_SERVER_MAX_CLIENTS &&
		    (!connection_waiting(srv) || !evict_idle(srv)))
			break;
		int fd = accept4(srv->fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;	/* EAGAIN, or a client gone before accept */
		client_new(srv, fd);
	}
	/* Full: leave further clients in the backlog until one leaves, or
	 * until an idle one has waited long enough to be evicted. */
	ev_io_stop(loop, &srv->accept_io);
	ev_timer_set(&srv->accept_retry, CTL_SERVER_EVICT_AFTER_S, 0.0);
	ev_timer_start(loop, &srv->accept_retry);
}

static void on_accept_retry(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ctl_server *srv = w->data;
	(void)revents;
	ev_io_start(loop, &srv->accept_io);
}

struct ctl_server *ctl_server_new(struct ev_loop *loop, const char *path,
				  int gid, ctl_handler_fn handler, void *ctx,
				  char *err, size_t errlen)
{
	struct ctl_server *srv = calloc(1, sizeof(*srv));
	if (!srv || !(srv->path = strdup(path))) {
		snprintf(err, errlen, "out of memory");
		free(srv);
		return NULL;
	}
	srv->fd = ctl_listen_open(path, gid, &srv->ino, err, errlen);
	if (srv->fd < 0) {
		free(srv->path);
		free(srv);
		return NULL;
	}
	srv->loop = loop;
	srv->handler = handler;
	srv->ctx = ctx;
	srv->timeout = CTL_SERVER_TIMEOUT_S;
	srv->req_timeout = CTL_SERVER_REQ_TIMEOUT_S;
	ev_check_init(&srv->serve_check, on_serve);
	srv->serve_check.data = srv;
	ev_check_start(loop, &srv->serve_check);
	ev_idle_init(&srv->serve_idle, on_serve_idle);
	ev_io_init(&srv->accept_io, on_accept, srv->fd, EV_READ);
	srv->accept_io.data = srv;
	ev_timer_init(&srv->accept_retry, on_accept_retry, 0.0, 0.0);
	srv->accept_retry.data = srv;
	ev_io_start(loop, &srv->accept_io);
	return srv;
}

void ctl_server_free(struct ctl_server *srv)
{
	if (!srv)
		return;
	while (srv->clients)
		client_close(srv->clients);
	ctl_buf_free(&srv->cache.body);
	ev_check_stop(srv->loop, &srv->serve_check);
	ev_timer_stop(srv->loop, &srv->accept_retry);
	ev_idle_stop(srv->loop, &srv->serve_idle);
	ev_io_stop(srv->loop, &srv->accept_io);
	close(srv->fd);
	ctl_listen_unlink(srv->path, srv->ino);
	free(srv->path);
	free(srv);
}

void ctl_server_set_timeout(struct ctl_server *srv, double seconds)
{
	srv->timeout = seconds;
	if (srv->req_timeout > seconds)
		srv->req_timeout = seconds;
	for (struct ctl_client *c = srv->clients; c; c = c->next) {
		if (c->subscribed && !ev_is_active(&c->wio))
			continue;	/* an idle monitor has no timer */
		set_timer(c, ev_is_active(&c->wio) || c->queued ? srv->timeout : srv->req_timeout);
	}
}

void ctl_server_set_request_timeout(struct ctl_server *srv, double seconds)
{
	srv->req_timeout = seconds;
}

size_t ctl_server_clients(const struct ctl_server *srv)
{
	return srv->nclients;
}

void ctl_server_stats(const struct ctl_server *srv, struct ctl_server_stats *out)
{
	*out = srv->st;
	out->clients = srv->nclients;
	out->out_bytes = srv->out_bytes;
}

size_t ctl_server_subscribers(const struct ctl_server *srv)
{
	return srv->nsubscribers;
}

unsigned long long ctl_server_dropped(const struct ctl_server *srv)
{
	return srv->dropped;
}

/* Queue one framed message (false: out of memory). */
static bool sub_append(struct ctl_client *c, const char *msg, size_t len)
{
	char hdr[CTL_REPLY_HDR_MAX];
	size_t n = ctl_reply_header(hdr, true, len);
	size_t old = c->out.len;
	if (ctl_buf_append(&c->out, hdr, n) < 0 ||
	    ctl_buf_append(&c->out, msg, len) < 0) {
		c->out.len = old;	/* whole messages only */
		if (c->out.data)
			c->out.data[old] = '\0';
		return false;
	}
	c->srv->out_bytes += c->out.len - old;
	return true;
}

static void sub_push(struct ctl_client *c, const char *msg, size_t len)
{
	struct ctl_server *srv = c->srv;
	if (c->out_off > 0 && c->out_off >= c->out.len / 2) {
		ctl_buf_consume(&c->out, c->out_off);
		c->out_off = 0;
	}
	/* After a drop, the next message goes only with a notice of it,
	 * and only when both fit under CTL_SERVER_SUB_MAX. */
	char note[80];
	size_t m = 0;
	if (c->dropped)
		m = (size_t)snprintf(note, sizeof(note),
				     "{\"event\":\"events_dropped\",\"count\":%llu}\n",
				     c->dropped);
	size_t need = len + CTL_REPLY_HDR_MAX + (m ? m + CTL_REPLY_HDR_MAX : 0);
	if (c->out.len - c->out_off + need > CTL_SERVER_SUB_MAX ||
	    (m && !sub_append(c, note, m)) || !sub_append(c, msg, len)) {
		c->dropped++;
		srv->dropped++;
		return;
	}
	c->dropped = 0;
	if (!ev_is_active(&c->wio)) {
		ev_io_start(srv->loop, &c->wio);
		ev_timer_again(srv->loop, &c->timer);
		c->progress = ev_now(srv->loop); /* its stall starts now */
	}
}

void ctl_server_publish(struct ctl_server *srv, const char *msg, size_t len)
{
	for (struct ctl_client *c = srv->clients; c; c = c->next)
		if (c->subscribed && !c->closing)
			sub_push(c, msg, len);
}
