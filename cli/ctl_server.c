/* ctl_server: libev control-socket server (see ctl_server.h). */
#include "cli/ctl_server.h"

#include <errno.h>
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
	int fd;
	ev_io rio, wio;
	ev_timer timer;
	char in[CTL_REQ_MAX];
	size_t in_len;
	struct ctl_buf out;	/* header + body of the reply being written */
	size_t out_off;
	bool eof;		/* client closed its sending side */
	bool closing;		/* close once out is written */
	bool subscribed;	/* receives ctl_server_publish() messages */
	unsigned long long dropped;	/* messages not queued, not yet told */
};

struct ctl_server {
	struct ev_loop *loop;
	int fd;
	ino_t ino;
	char *path;
	ev_io accept_io;
	ctl_handler_fn handler;
	void *ctx;
	double timeout;
	struct ctl_client *clients;
	size_t nclients;
	size_t nsubscribers;
	unsigned long long dropped;
};

static void client_process(struct ctl_client *c);

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
	ctl_buf_reset(&c->out);
	c->out_off = 0;
	if (ctl_buf_append(&c->out, hdr, n) < 0 ||
	    ctl_buf_append(&c->out, body->data, body->len) < 0) {
		/* Out of memory: say so in a reply that needs none. */
		static const char oom[] = "error 14\nout of memory\n";
		ctl_buf_reset(&c->out);
		(void)ctl_buf_append(&c->out, oom, sizeof(oom) - 1);
	}
}

static void queue_error(struct ctl_client *c, const char *msg)
{
	struct ctl_buf body;
	ctl_buf_init(&body);
	(void)ctl_buf_puts(&body, msg);
	queue_reply(c, false, &body);
	ctl_buf_free(&body);
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
			ctl_buf_reset(&c->out);
			c->out_off = 0;
			return true;
		}
		c->out_off += (size_t)n;
		ev_timer_again(c->srv->loop, &c->timer);
	}
	ctl_buf_reset(&c->out);
	c->out_off = 0;
	return true;
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
		ev_timer_again(c->srv->loop, &c->timer);
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

/* Serve queued requests until one reply cannot be written at once. */
static void client_process(struct ctl_client *c)
{
	struct ev_loop *loop = c->srv->loop;
	while (!c->closing && next_request(c)) {
		if (!client_flush(c)) {
			ev_io_stop(loop, &c->rio);
			ev_io_start(loop, &c->wio);
			return;
		}
		if (c->subscribed) {
			sub_idle(c);
			return;
		}
	}
	if (c->closing) {
		if (client_flush(c)) {
			client_close(c);
			return;
		}
		ev_io_stop(loop, &c->rio);
		ev_io_start(loop, &c->wio);
		return;
	}
	ev_io_stop(loop, &c->wio);
	ev_io_start(loop, &c->rio);
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
	client_process(c);
}

static void on_client_write(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_client *c = w->data;
	(void)loop;
	(void)revents;
	if (!client_flush(c))
		return;
	if (c->closing) {
		client_close(c);
		return;
	}
	if (c->subscribed) {
		sub_idle(c);
		return;
	}
	client_process(c);
}

static void on_client_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	client_close(w->data);
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
	ctl_buf_init(&c->out);
	ev_io_init(&c->rio, on_client_read, fd, EV_READ);
	ev_io_init(&c->wio, on_client_write, fd, EV_WRITE);
	ev_timer_init(&c->timer, on_client_timeout, srv->timeout,
		      srv->timeout);
	c->rio.data = c->wio.data = c->timer.data = c;
	c->next = srv->clients;
	if (c->next)
		c->next->prev = c;
	srv->clients = c;
	srv->nclients++;
	ev_io_start(srv->loop, &c->rio);
	ev_timer_again(srv->loop, &c->timer);
}

static void on_accept(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_server *srv = w->data;
	(void)revents;
	while (srv->nclients < CTL_SERVER_MAX_CLIENTS) {
		int fd = accept4(srv->fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;	/* EAGAIN, or a client gone before accept */
		client_new(srv, fd);
	}
	/* Full: leave further clients in the backlog until one leaves. */
	ev_io_stop(loop, &srv->accept_io);
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
	ev_io_init(&srv->accept_io, on_accept, srv->fd, EV_READ);
	srv->accept_io.data = srv;
	ev_io_start(loop, &srv->accept_io);
	return srv;
}

void ctl_server_free(struct ctl_server *srv)
{
	if (!srv)
		return;
	while (srv->clients)
		client_close(srv->clients);
	ev_io_stop(srv->loop, &srv->accept_io);
	close(srv->fd);
	ctl_listen_unlink(srv->path, srv->ino);
	free(srv->path);
	free(srv);
}

void ctl_server_set_timeout(struct ctl_server *srv, double seconds)
{
	srv->timeout = seconds;
	for (struct ctl_client *c = srv->clients; c; c = c->next) {
		c->timer.repeat = seconds;
		ev_timer_again(srv->loop, &c->timer);
	}
}

size_t ctl_server_clients(const struct ctl_server *srv)
{
	return srv->nclients;
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
	}
}

void ctl_server_publish(struct ctl_server *srv, const char *msg, size_t len)
{
	for (struct ctl_client *c = srv->clients; c; c = c->next)
		if (c->subscribed && !c->closing)
			sub_push(c, msg, len);
}
