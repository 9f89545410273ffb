/* HTTP /metrics with libmicrohttpd on the libev loop (http.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "fabricd/http.h"
#include "fabricd/log.h"
#include "fabricd/metrics.h"

struct http {
	struct fabricd *d;
	uint32_t addr;
	uint16_t port;
	struct MHD_Daemon *mhd;
	ev_io io;
	ev_timer timer;
};

static struct http *running; /* the one listener of control.metrics-listen */

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type,
			     const char *body, size_t len)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	enum MHD_Result ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **state)
{
	struct http *h = cls;
	static const char text[] = "text/plain; charset=utf-8";
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, text, "only GET\n", 9);
	if (!strcmp(url, "/")) {
		static const char idx[] = "fabricd: metrics at /metrics\n";
		return reply(c, MHD_HTTP_OK, text, idx, sizeof(idx) - 1);
	}
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, text, "not found\n", 10);
	struct ctl_buf b;
	ctl_buf_init(&b);
	enum MHD_Result ok;
	if (metrics_render(h->d, &b) < 0)
		ok = reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, text, "out of memory\n", 14);
	else
		ok = reply(c, MHD_HTTP_OK, METRICS_CONTENT_TYPE, ctl_buf_str(&b), b.len);
	ctl_buf_free(&b);
	return ok;
}

static void rearm(struct http *h)
{
	MHD_UNSIGNED_LONG_LONG ms;
	ev_timer_stop(h->d->loop, &h->timer);
	if (MHD_get_timeout(h->mhd, &ms) == MHD_YES) {
		ev_timer_set(&h->timer, (double)ms / 1000.0, 0.);
		ev_timer_start(h->d->loop, &h->timer);
	}
}

static void on_io(struct ev_loop *loop, ev_io *w, int revents)
{
	struct http *h = w->data;
	MHD_run(h->mhd);
	rearm(h);
}

static void on_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct http *h = w->data;
	MHD_run(h->mhd);
	rearm(h);
}

/* Our own socket, so that a busy port is one clear message. */
static int listen_on(uint32_t addr, uint16_t port, char *err, size_t errlen)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(addr) };
	char a[16];
	int one = 1;
	inet_ntop(AF_INET, &sin.sin_addr, a, sizeof(a));
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(s, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(s, 16) < 0) {
		snprintf(err, errlen, "metrics-listen %s:%u: %s", a, port, strerror(errno));
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

/* Quiesced first, the listening socket comes back to us to close (MHD
 * does not say whether it closes one given by MHD_OPTION_LISTEN_SOCKET). */
static void mhd_stop(struct MHD_Daemon *mhd)
{
	MHD_socket s = MHD_quiesce_daemon(mhd);
	MHD_stop_daemon(mhd);
	if (s != MHD_INVALID_SOCKET)
		close(s);
}

struct http *http_start(struct fabricd *d, uint32_t addr, uint16_t port, char *err, size_t errlen)
{
	int s = listen_on(addr, port, err, errlen);
	if (s < 0)
		return NULL;
	struct http *h = calloc(1, sizeof(*h));
	if (!h) {
		close(s);
		snprintf(err, errlen, "metrics-listen: out of memory");
		return NULL;
	}
	h->d = d;
	h->addr = addr;
	h->port = port;
	h->mhd = MHD_start_daemon(MHD_USE_EPOLL, 0, NULL, NULL, on_request, h,
				  MHD_OPTION_LISTEN_SOCKET, s,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned)16,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
				  MHD_OPTION_END);
	const union MHD_DaemonInfo *info =
		h->mhd ? MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
	if (!info) {
		snprintf(err, errlen, "metrics-listen: libmicrohttpd did not start");
		if (h->mhd)
			mhd_stop(h->mhd);
		else
			close(s);
		free(h);
		return NULL;
	}
	ev_io_init(&h->io, on_io, info->epoll_fd, EV_READ);
	ev_init(&h->timer, on_timer);
	h->io.data = h->timer.data = h;
	ev_io_start(d->loop, &h->io);
	rearm(h);
	return h;
}

void http_stop(struct http *h)
{
	if (!h)
		return;
	ev_io_stop(h->d->loop, &h->io);
	ev_timer_stop(h->d->loop, &h->timer);
	mhd_stop(h->mhd);
	free(h);
}

int http_apply(struct fabricd *d, const struct conf *nc, char *err, size_t errlen)
{
	struct http *h = NULL;
	if (nc->metrics_port) {
		h = http_start(d, nc->metrics_addr, nc->metrics_port, err, errlen);
		if (!h && running && running->port == nc->metrics_port) {
			/* The same port on another address: ours is in the way. Free
			 * it and try again; if that fails too, take it back. */
			uint32_t old_addr = running->addr;
			http_stop(running);
			running = NULL;
			h = http_start(d, nc->metrics_addr, nc->metrics_port, err, errlen);
			if (!h) {
				char e2[128];
				running = http_start(d, old_addr, nc->metrics_port, e2, sizeof(e2));
				if (!running)
					log_err("metrics listener lost: %s", e2);
			}
		}
		if (!h)
			return -1;
		log_info("metrics at http://%s/metrics", nc->metrics_listen);
	}
	http_stop(running);
	running = h;
	return 0;
}

void http_shutdown(void)
{
	http_stop(running);
	running = NULL;
}
