/* Unit tests: the libev control server (cli/ctl_server.c, ctl_listen.c) with
 * real unix sockets in a temporary directory, the loop in a thread and
 * blocking clients in the test; plus fabricctl end to end. */
#include <check.h>
#include "tests/unit/check_main.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/ctl_client.h"
#include "cli/ctl_commands.h"
#include "cli/ctl_server.h"

#define BIG_BODY (2u * 1024u * 1024u)

static char dir[64], sock_path[128];
static struct ev_loop *loop;
static struct ctl_server *srv;
static ev_async stop_async;
static pthread_t thread;
static char err[256];
static unsigned detail_renders; /* written by the loop thread */
static double req_timeout; /* 0: the server's default */

/* The daemon side of the tests.  "show counters" reports the number of
 * connected clients, measured in the loop thread. */
static int handler(void *ctx, int cmd, const struct ctl_request *req,
		   struct ctl_buf *out)
{
	(void)ctx;
	switch (cmd) {
	case CTL_CMD_SHOW_VERSION:
		if (req->json)
			return ctl_buf_puts(out, "{\"version\":\"test\"}\n");
		return ctl_buf_puts(out, "fabricd test\n");
	case CTL_CMD_SHOW_COUNTERS:
		return ctl_buf_printf(out, "clients %zu\n",
				      ctl_server_clients(srv));
	case CTL_CMD_SHOW_DATABASE_DETAIL:
		detail_renders++;
		for (size_t i = 0; i < BIG_BODY / 64; i++)
			ctl_buf_printf(out, "%063zu\n", i);
		return 0;
	case CTL_CMD_SHOW_SPF: {
		struct ctl_server_stats st;
		ctl_server_stats(srv, &st);
		return ctl_buf_printf(out, "evicted %llu timed_out %llu dropped_slow %llu "
				      "out_bytes %zu\n", st.evicted, st.timed_out,
				      st.dropped_slow, st.out_bytes);
	}
	case CTL_CMD_RELOAD:
		ctl_buf_puts(out, "reload failed: no config");
		return -1;
	case CTL_CMD_MONITOR:
		return CTL_HANDLER_SUBSCRIBE;
	default:
		ctl_buf_printf(out, "%s\n", ctl_cmd_name(cmd));
		return 0;
	}
}

static void on_stop(struct ev_loop *l, ev_async *w, int revents)
{
	(void)w;
	(void)revents;
	ev_break(l, EVBREAK_ALL);
}

static void *run_loop(void *arg)
{
	(void)arg;
	ev_run(loop, 0);
	return NULL;
}

static void start_server(double timeout)
{
	snprintf(dir, sizeof(dir), "/tmp/ctltest.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sock_path, sizeof(sock_path), "%s/run/fabricd/ctl.sock", dir);
	loop = ev_loop_new(EVFLAG_AUTO);
	srv = ctl_server_new(loop, sock_path, -1, handler, NULL, err,
			     sizeof(err));
	ck_assert_msg(srv != NULL, "%s", err);
	ctl_server_set_timeout(srv, timeout);
	if (req_timeout > 0)
		ctl_server_set_request_timeout(srv, req_timeout);
	ev_async_init(&stop_async, on_stop);
	ev_async_start(loop, &stop_async);
	ck_assert_int_eq(pthread_create(&thread, NULL, run_loop, NULL), 0);
}

static void setup(void)
{
	start_server(5.0);
}

static void rm_tree(void)
{
	char p[160];
	snprintf(p, sizeof(p), "%s/run/fabricd", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/run", dir);
	rmdir(p);
	rmdir(dir);
}

static void teardown(void)
{
	ev_async_send(loop, &stop_async);
	pthread_join(thread, NULL);
	ctl_server_free(srv);
	ev_loop_destroy(loop);
	ck_assert_int_eq(access(sock_path, F_OK), -1);	/* unlinked */
	rm_tree();
}

static int connect_ok(void)
{
	int fd = ctl_client_connect(sock_path, err, sizeof(err));
	ck_assert_msg(fd >= 0, "%s", err);
	return fd;
}

/* One exchange on fd; returns the body (static) and sets *ok. */
static const char *call(int fd, const char *line, bool *ok)
{
	static struct ctl_buf body;
	ctl_buf_free(&body);
	int rc = ctl_client_call(fd, line, strlen(line), 5000, ok, &body, err,
				 sizeof(err));
	ck_assert_msg(rc == 0, "%s", err);
	return ctl_buf_str(&body);
}

static void send_str(int fd, const char *s)
{
	ck_assert_int_eq(send(fd, s, strlen(s), MSG_NOSIGNAL),
			 (ssize_t)strlen(s));
}

/* Read until EOF (or error/timeout); returns the byte count. */
static size_t read_to_eof(int fd, char *buf, size_t cap, int timeout_ms)
{
	size_t len = 0;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, timeout_ms) <= 0)
			return (size_t)-1;
		char tmp[65536];
		ssize_t n = recv(fd, tmp, sizeof(tmp), 0);
		if (n <= 0)
			return len;
		size_t k = (size_t)n < cap - len ? (size_t)n : cap - len;
		memcpy(buf + len, tmp, k);
		len += k;
	}
}

/* ---- monitor subscriptions: messages are published in the loop thread ---- */
static ev_async pub_async;
static volatile size_t pub_n, pub_len;
static volatile size_t seen_subscribers;
static volatile unsigned long long seen_dropped;

static void on_publish(struct ev_loop *l, ev_async *w, int revents)
{
	static char msg[4096];
	(void)l;
	(void)w;
	(void)revents;
	for (size_t k = 0; k < pub_n; k++) {
		size_t n = (size_t)snprintf(msg, sizeof(msg), "{\"n\":%zu}", k);
		memset(msg + n, ' ', pub_len - n - 1);
		msg[pub_len - 1] = '\n';
		ctl_server_publish(srv, msg, pub_len);
	}
	seen_subscribers = ctl_server_subscribers(srv);
	seen_dropped = ctl_server_dropped(srv);
	pub_n = 0;
}

static void publish(size_t n, size_t len)
{
	pub_len = len;
	pub_n = n;
	ev_async_send(loop, &pub_async);
	for (int i = 0; i < 500 && pub_n; i++)
		usleep(10000);
	ck_assert_uint_eq(pub_n, 0);
}

static void setup_pub(void)
{
	start_server(5.0);
	ev_async_init(&pub_async, on_publish);
	ev_async_start(loop, &pub_async);	/* the loop waits in epoll: fine */
	ev_async_send(loop, &stop_async);	/* restart the loop so it sees it */
	pthread_join(thread, NULL);
	ck_assert_int_eq(pthread_create(&thread, NULL, run_loop, NULL), 0);
}

static int subscribe(void)
{
	bool ok;
	int fd = connect_ok();
	ck_assert_str_eq(call(fd, "monitor\n", &ok), "");
	ck_assert(ok);
	return fd;
}

/* Read one framed message (blocking, with a timeout). */
static bool read_msg(int fd, struct ctl_reply_reader *r, char *pending, size_t *plen)
{
	for (;;) {
		size_t used = 0;
		if (*plen) {
			int st = ctl_reply_feed(r, pending, *plen, &used, err, sizeof(err));
			ck_assert_int_ge(st, 0);
			memmove(pending, pending + used, *plen - used);
			*plen -= used;
			if (st == 1)
				return true;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 3000) <= 0)
			return false;
		ssize_t n = recv(fd, pending, 65536, 0);
		if (n <= 0)
			return false;
		*plen = (size_t)n;
	}
}

START_TEST(monitor_receives_events)
{
	int fd = subscribe();
	publish(3, 16);
	ck_assert_uint_eq(seen_subscribers, 1);
	static char pending[65536];
	size_t plen = 0;
	for (int k = 0; k < 3; k++) {
		struct ctl_reply_reader r;
		char want[32];
		ctl_reply_reader_init(&r);
		ck_assert(read_msg(fd, &r, pending, &plen));
		ck_assert(r.ok);
		snprintf(want, sizeof(want), "{\"n\":%d}", k);
		ck_assert_int_eq(strncmp(ctl_buf_str(&r.body), want, strlen(want)), 0);
		ck_assert_uint_eq(r.body.len, 16);
		ctl_reply_reader_free(&r);
	}
	/* What a subscriber sends is ignored; hanging up ends the subscription. */
	send_str(fd, "show version\n");
	close(fd);
	for (int i = 0; i < 200 && seen_subscribers; i++) {
		usleep(10000);
		publish(0, 16);
	}
	ck_assert_uint_eq(seen_subscribers, 0);
}
END_TEST

/* A monitor sends no more requests: the 2 s request timeout is not for it,
 * and when the slots are full an idle client is evicted, not the monitor. */
START_TEST(monitor_outlives_timeout_and_eviction)
{
	int fd = subscribe();
	usleep(2500000);	/* > CTL_SERVER_REQ_TIMEOUT_S */
	int idle[CTL_SERVER_MAX_CLIENTS - 1];
	for (int i = 0; i < CTL_SERVER_MAX_CLIENTS - 1; i++)
		idle[i] = connect_ok();
	usleep(400000);		/* > CTL_SERVER_EVICT_AFTER_S */
	bool ok;
	int extra = connect_ok();
	ck_assert_str_eq(call(extra, "show version\n", &ok), "fabricd test\n");
	close(extra);
	publish(1, 16);
	ck_assert_uint_eq(seen_subscribers, 1);
	static char pending[65536];
	size_t plen = 0;
	struct ctl_reply_reader r;
	ctl_reply_reader_init(&r);
	ck_assert(read_msg(fd, &r, pending, &plen));
	ck_assert_int_eq(strncmp(ctl_buf_str(&r.body), "{\"n\":0}", 7), 0);
	ctl_reply_reader_free(&r);
	for (int i = 0; i < CTL_SERVER_MAX_CLIENTS - 1; i++)
		close(idle[i]);
	close(fd);
}
END_TEST

START_TEST(slow_monitor_drops_and_is_told)
{
	bool ok;
	int fd = subscribe(), small = 4096;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	/* 4 MB of events to a client that does not read: at most
	 * CTL_SERVER_SUB_MAX wait, the rest are dropped and counted. */
	publish(4096, 1024);
	ck_assert_uint_gt(seen_dropped, 0);
	ck_assert_uint_lt(seen_dropped, 4096);
	/* The loop is not blocked: another client is served. */
	int other = connect_ok();
	ck_assert_str_eq(call(other, "show version\n", &ok), "fabricd test\n");
	close(other);
	/* Now read everything; the next event comes after a drop notice. */
	static char pending[65536];
	size_t plen = 0, got = 0;
	struct ctl_reply_reader r;
	for (;;) {
		ctl_reply_reader_init(&r);
		if (!read_msg(fd, &r, pending, &plen))
			break;
		got++;
		ctl_reply_reader_free(&r);
		if (got + seen_dropped == 4096)
			break;
	}
	ctl_reply_reader_free(&r);
	ck_assert_uint_eq(got + seen_dropped, 4096);
	publish(1, 16);
	ctl_reply_reader_init(&r);
	ck_assert(read_msg(fd, &r, pending, &plen));
	char want[80];
	snprintf(want, sizeof(want), "{\"event\":\"events_dropped\",\"count\":%llu}\n",
		 (unsigned long long)seen_dropped);
	ck_assert_str_eq(ctl_buf_str(&r.body), want);
	ctl_reply_reader_free(&r);
	ctl_reply_reader_init(&r);
	ck_assert(read_msg(fd, &r, pending, &plen));
	ck_assert_int_eq(strncmp(ctl_buf_str(&r.body), "{\"n\":0}", 7), 0);
	ctl_reply_reader_free(&r);
	close(fd);
}
END_TEST

START_TEST(socket_file_mode)
{
	struct stat st;
	ck_assert_int_eq(lstat(sock_path, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	char parent[160];
	snprintf(parent, sizeof(parent), "%s/run/fabricd", dir);
	ck_assert_int_eq(stat(parent, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0755);
}
END_TEST

START_TEST(simple_requests)
{
	bool ok;
	int fd = connect_ok();
	ck_assert_str_eq(call(fd, "show version\n", &ok), "fabricd test\n");
	ck_assert(ok);
	/* Several requests, one connection; abbreviations resolved. */
	ck_assert_str_eq(call(fd, "sh nei\n", &ok), "show neighbors\n");
	ck_assert(ok);
	ck_assert_str_eq(call(fd, "--json sh ver\n", &ok),
			 "{\"version\":\"test\"}\n");
	ck_assert_str_eq(call(fd, "sh d d\n", &ok) + BIG_BODY - 64,
			 "000000000000000000000000000000000000000000000000000"
			 "000000032767\n");
	close(fd);
}
END_TEST

START_TEST(error_replies)
{
	bool ok;
	int fd = connect_ok();
	ck_assert_str_eq(call(fd, "bogus\n", &ok), "unknown command 'bogus'\n");
	ck_assert(!ok);
	ck_assert_str_eq(call(fd, "show r\n", &ok), "ambiguous command 'r'\n");
	ck_assert_str_eq(call(fd, "show\n", &ok), "incomplete command\n");
	ck_assert_str_eq(call(fd, "exit\n", &ok), "unknown command 'exit'\n");
	ck_assert_str_eq(call(fd, "\n", &ok), "empty request\n");
	ck_assert_str_eq(call(fd, "show\x01\n", &ok),
			 "control character 0x01 at offset 4\n");
	/* Handler error: newline added to its message. */
	ck_assert_str_eq(call(fd, "reload\n", &ok),
			 "reload failed: no config\n");
	ck_assert(!ok);
	/* The connection survives all of these. */
	ck_assert_str_eq(call(fd, "show version\n", &ok), "fabricd test\n");
	ck_assert(ok);
	close(fd);
}
END_TEST

START_TEST(pipelined_requests)
{
	int fd = connect_ok();
	send_str(fd, "show version\nreload\nshow bfd\n");
	shutdown(fd, SHUT_WR);
	static char buf[4096];
	size_t n = read_to_eof(fd, buf, sizeof(buf) - 1, 5000);
	ck_assert_uint_ne(n, (size_t)-1);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "ok 13\nfabricd test\n"
			      "error 25\nreload failed: no config\n"
			      "ok 9\nshow bfd\n");
	close(fd);
}
END_TEST

START_TEST(unterminated_at_eof)
{
	int fd = connect_ok();
	send_str(fd, "show version");
	shutdown(fd, SHUT_WR);
	char buf[256];
	size_t n = read_to_eof(fd, buf, sizeof(buf) - 1, 5000);
	ck_assert_uint_ne(n, (size_t)-1);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "error 21\nunterminated request\n");
	close(fd);
}
END_TEST

START_TEST(oversized_request)
{
	int fd = connect_ok();
	char big[3000];
	memset(big, 'a', sizeof(big));
	/* The server may close before taking everything: ignore EPIPE. */
	(void)send(fd, big, sizeof(big), MSG_NOSIGNAL);
	char buf[256];
	size_t n = read_to_eof(fd, buf, sizeof(buf) - 1, 5000);
	ck_assert_uint_ne(n, (size_t)-1);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "error 34\nrequest too long (max 1024 bytes)\n");
	close(fd);
	/* The server is fine afterwards. */
	bool ok;
	fd = connect_ok();
	ck_assert_str_eq(call(fd, "show counters\n", &ok), "clients 1\n");
	close(fd);
}
END_TEST

START_TEST(many_clients_interleaved)
{
	enum { N = 40 };
	int fds[N];
	bool ok;
	for (int i = 0; i < N; i++)
		fds[i] = connect_ok();
	/* Everyone sends half a request, then the rest: the server must keep
	 * per-client state and never block on one of them. */
	for (int i = 0; i < N; i++)
		send_str(fds[i], "show ver");
	for (int i = N - 1; i >= 0; i--)
		send_str(fds[i], "sion\n");
	for (int i = 0; i < N; i++) {
		char buf[64];
		size_t len = 0;
		while (len < 19) {
			ssize_t n = recv(fds[i], buf + len, sizeof(buf) - len,
					 0);
			ck_assert_int_gt(n, 0);
			len += (size_t)n;
		}
		ck_assert(!memcmp(buf, "ok 13\nfabricd test\n", 19));
	}
	ck_assert_str_eq(call(fds[0], "show counters\n", &ok), "clients 40\n");
	for (int i = 0; i < N; i++)
		close(fds[i]);
}
END_TEST

/* More clients than CTL_SERVER_MAX_CLIENTS: the extra ones wait in the
 * backlog and are served as others leave. */
START_TEST(more_clients_than_slots)
{
	enum { N = CTL_SERVER_MAX_CLIENTS + 8 };
	int fds[N];
	bool ok;
	for (int i = 0; i < N; i++) {
		fds[i] = connect_ok();
		send_str(fds[i], "show version\n");
	}
	for (int i = 0; i < N; i++) {
		struct ctl_reply_reader r;
		char buf[64];
		size_t used;
		int st = 0;
		ctl_reply_reader_init(&r);
		while (st == 0) {
			ssize_t n = recv(fds[i], buf, sizeof(buf), 0);
			ck_assert_int_gt(n, 0);
			st = ctl_reply_feed(&r, buf, (size_t)n, &used, err,
					    sizeof(err));
		}
		ck_assert_int_eq(st, 1);
		ck_assert_str_eq(r.body.data, "fabricd test\n");
		ctl_reply_reader_free(&r);
		close(fds[i]);
	}
	int fd = connect_ok();
	/* Closed clients are reaped: only this one remains (retry while the
	 * server processes the last closes). */
	for (int i = 0; i < 100; i++) {
		if (!strcmp(call(fd, "show counters\n", &ok), "clients 1\n"))
			break;
		usleep(10000);
	}
	ck_assert_str_eq(call(fd, "show counters\n", &ok), "clients 1\n");
	close(fd);
}
END_TEST

START_TEST(disconnect_mid_reply)
{
	bool ok;
	for (int round = 0; round < 5; round++) {
		int fd = connect_ok();
		send_str(fd, "show database detail\n");
		char buf[1000];
		ck_assert_int_gt(recv(fd, buf, sizeof(buf), 0), 0);
		close(fd);	/* the server gets EPIPE/ECONNRESET */
	}
	int fd = connect_ok();
	for (int i = 0; i < 100; i++) {
		if (!strcmp(call(fd, "show counters\n", &ok), "clients 1\n"))
			break;
		usleep(10000);
	}
	ck_assert_str_eq(call(fd, "show counters\n", &ok), "clients 1\n");
	ck_assert_str_eq(call(fd, "show version\n", &ok), "fabricd test\n");
	close(fd);
}
END_TEST

static void setup_short(void)
{
	start_server(0.4);
}

START_TEST(idle_client_closed)
{
	int fd = connect_ok();
	send_str(fd, "show");	/* never completed */
	char buf[64];
	/* Closed after the timeout without any reply. */
	ck_assert_uint_eq(read_to_eof(fd, buf, sizeof(buf), 3000), 0);
	close(fd);
	/* Trickling bytes does not keep a client alive either. */
	fd = connect_ok();
	for (int i = 0; i < 6; i++) {
		if (send(fd, "s", 1, MSG_NOSIGNAL) != 1)
			break;
		usleep(100000);
	}
	ck_assert_uint_eq(read_to_eof(fd, buf, sizeof(buf), 3000), 0);
	close(fd);
}
END_TEST

START_TEST(slow_reader_closed)
{
	bool ok;
	int fd = connect_ok();
	int small = 4096;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	send_str(fd, "show database detail\n");
	sleep(1);	/* > timeout without reading: the server gives up */
	static char buf[BIG_BODY + 64];
	size_t n = read_to_eof(fd, buf, sizeof(buf), 3000);
	ck_assert_uint_ne(n, (size_t)-1);
	ck_assert_uint_lt(n, BIG_BODY);
	close(fd);
	/* While a client that reads steadily gets all of it. */
	fd = connect_ok();
	ck_assert_uint_eq(strlen(call(fd, "show database detail\n", &ok)),
			  BIG_BODY);
	close(fd);
}
END_TEST

START_TEST(refuses_live_and_non_socket)
{
	struct ctl_server *other = ctl_server_new(loop, sock_path, -1, handler,
						  NULL, err, sizeof(err));
	ck_assert_ptr_null(other);
	ck_assert_msg(strstr(err, "another daemon is already listening"),
		      "%s", err);
	char file[160];
	snprintf(file, sizeof(file), "%s/plain", dir);
	int f = open(file, O_CREAT | O_WRONLY, 0600);
	close(f);
	ck_assert_ptr_null(ctl_server_new(loop, file, -1, handler, NULL, err,
					  sizeof(err)));
	ck_assert_msg(strstr(err, "is not a socket"), "%s", err);
	ck_assert_int_eq(access(file, F_OK), 0);	/* left alone */
	unlink(file);
	char longp[200];
	memset(longp, 'x', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	ck_assert_ptr_null(ctl_server_new(loop, longp, -1, handler, NULL, err,
					  sizeof(err)));
	ck_assert_msg(strstr(err, "bad socket path"), "%s", err);
}
END_TEST

/* No fixture: a stale socket file (nobody listening) is replaced, and a
 * group makes the socket 0660 with that group. */
START_TEST(replaces_stale_socket_with_group)
{
	snprintf(dir, sizeof(dir), "/tmp/ctltest.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sock_path, sizeof(sock_path), "%s/stale.sock", dir);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	ck_assert_uint_lt(strlen(sock_path), sizeof(sun.sun_path));
	memcpy(sun.sun_path, sock_path, strlen(sock_path) + 1);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(s);	/* the file stays, nobody listens */
	struct ev_loop *l = ev_loop_new(EVFLAG_AUTO);
	struct ctl_server *x = ctl_server_new(l, sock_path, (int)getgid(),
					      handler, NULL, err, sizeof(err));
	ck_assert_msg(x != NULL, "%s", err);
	struct stat st;
	ck_assert_int_eq(lstat(sock_path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0660);
	ck_assert_uint_eq(st.st_gid, getgid());
	ctl_server_free(x);
	ck_assert_int_eq(access(sock_path, F_OK), -1);
	ev_loop_destroy(l);
	rmdir(dir);
}
END_TEST

/* Run fabricctl (built by `make check` before the tests) and capture its
 * output and exit status. */
static int run_ctl(const char *args, const char *input, char *out, size_t cap)
{
	char cmd[512];
	if (input)
		snprintf(cmd, sizeof(cmd),
			 "printf '%s' | ./cli/fabricctl %s 2>&1", input, args);
	else
		snprintf(cmd, sizeof(cmd), "./cli/fabricctl %s 2>&1 </dev/null",
			 args);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	size_t n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(fabricctl_end_to_end)
{
	char out[4096], args[256];
	if (access("./cli/fabricctl", X_OK) < 0)
		return;	/* not run from the build directory */
	snprintf(args, sizeof(args), "-s %s sh ver", sock_path);
	ck_assert_int_eq(run_ctl(args, NULL, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "fabricd test\n");
	snprintf(args, sizeof(args), "-s %s --json show version", sock_path);
	ck_assert_int_eq(run_ctl(args, NULL, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "{\"version\":\"test\"}\n");
	snprintf(args, sizeof(args), "-s %s reload", sock_path);
	ck_assert_int_eq(run_ctl(args, NULL, out, sizeof(out)), 1);
	ck_assert_str_eq(out, "fabricctl: reload failed: no config\n");
	snprintf(args, sizeof(args), "-s %s show bogus", sock_path);
	ck_assert_int_eq(run_ctl(args, NULL, out, sizeof(out)), 1);
	ck_assert_str_eq(out, "fabricctl: unknown command 'bogus'\n");
	snprintf(args, sizeof(args), "-s %s/none.sock show bfd", dir);
	ck_assert_int_eq(run_ctl(args, NULL, out, sizeof(out)), 2);
	char want[256];
	snprintf(want, sizeof(want), "fabricctl: cannot connect to "
		 "%s/none.sock: No such file or directory (is fabricd "
		 "running?)\n", dir);
	ck_assert_str_eq(out, want);
	/* Script mode: stdin is not a terminal. */
	snprintf(args, sizeof(args), "-s %s", sock_path);
	ck_assert_int_eq(run_ctl(args, "# comment\\n\\nsh ver\\nsh d ?\\n"
				 "show x\\nquit\\nshow version\\n",
				 out, sizeof(out)), 1);
	ck_assert_str_eq(out, "fabricd test\n"
			      "  detail  Every LSA with its full contents\n"
			      "  <cr>\n"
			      "% unknown command 'x'\n");
}
END_TEST

/* Issue 11: 64 idle connections held every slot for the whole timeout
 * and a well-behaved client waited behind them. */
START_TEST(idle_clients_do_not_lock_out)
{
	int fds[CTL_SERVER_MAX_CLIENTS];
	for (int i = 0; i < CTL_SERVER_MAX_CLIENTS; i++) {
		fds[i] = connect_ok();
		if (i % 2)
			send_str(fds[i], "show ver"); /* half-sent */
	}
	for (int round = 0; round < 3; round++) {
		int fd = connect_ok();
		struct ctl_buf body;
		bool ok;
		ctl_buf_init(&body);
		ck_assert_msg(ctl_client_call(fd, "show spf\n", 9, 1500, &ok, &body, err,
					      sizeof(err)) == 0, "round %d: %s", round, err);
		ck_assert(ok);
		unsigned long long evicted = 0;
		ck_assert_int_eq(sscanf(ctl_buf_str(&body), "evicted %llu", &evicted), 1);
		ck_assert_uint_ge(evicted, 1);
		ctl_buf_free(&body);
		close(fd);
	}
	for (int i = 0; i < CTL_SERVER_MAX_CLIENTS; i++)
		close(fds[i]);
}
END_TEST

static void setup_long_requests(void)
{
	req_timeout = 30.0; /* eviction, not the request timeout, lets it in */
	start_server(30.0);
	req_timeout = 0;
}

/* A half-sent request is given 2 s, not the 10 s of a stalled reply. */
START_TEST(half_sent_request_closed_quickly)
{
	int fd = connect_ok();
	send_str(fd, "show");
	char buf[64];
	ck_assert_uint_eq(read_to_eof(fd, buf, sizeof(buf), 3500), 0);
	close(fd);
	bool ok;
	fd = connect_ok();
	ck_assert_str_eq(call(fd, "show spf\n", &ok), "evicted 0 timed_out 1 dropped_slow 0 "
						       "out_bytes 0\n");
	close(fd);
}
END_TEST

/* Clients that ask for big replies and never read: the memory they hold
 * is bounded (the longest stalled is disconnected), and a well-behaved
 * client is served meanwhile. */
START_TEST(non_readers_bounded)
{
	enum { N = 24 };
	int fds[N];
	int small = 4096;
	for (int i = 0; i < N; i++) {
		fds[i] = connect_ok();
		setsockopt(fds[i], SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
		send_str(fds[i], "show database detail\n");
	}
	unsigned long long ev, to, dropped = 0;
	size_t out_bytes = 0;
	for (int tries = 0; tries < 200 && dropped < N - CTL_SERVER_OUT_BUDGET / BIG_BODY - 1;
	     tries++) {
		int fd = connect_ok();
		struct ctl_buf body;
		bool ok;
		ctl_buf_init(&body);
		/* A well-behaved client is served at once, every time. */
		ck_assert_msg(ctl_client_call(fd, "show spf\n", 9, 1500, &ok, &body, err,
					      sizeof(err)) == 0, "%s", err);
		ck_assert_int_eq(sscanf(ctl_buf_str(&body), "evicted %llu timed_out %llu "
					"dropped_slow %llu out_bytes %zu", &ev, &to, &dropped,
					&out_bytes), 4);
		ck_assert_uint_le(out_bytes, CTL_SERVER_OUT_BUDGET + BIG_BODY + 64);
		ctl_buf_free(&body);
		close(fd);
		usleep(20000);
	}
	ck_assert_uint_ge(dropped, N - CTL_SERVER_OUT_BUDGET / BIG_BODY - 1);
	for (int i = 0; i < N; i++)
		close(fds[i]);
}
END_TEST

/* Many clients asking for the same big reply at once cost one rendering;
 * each still gets all of it. */
START_TEST(big_reply_rendered_once)
{
	bool ok;
	int a = connect_ok(), b = connect_ok();
	unsigned before = __atomic_load_n(&detail_renders, __ATOMIC_SEQ_CST);
	ck_assert_uint_eq(strlen(call(a, "show database detail\n", &ok)), BIG_BODY);
	ck_assert_uint_eq(strlen(call(b, "show database detail\n", &ok)), BIG_BODY);
	ck_assert_uint_eq(__atomic_load_n(&detail_renders, __ATOMIC_SEQ_CST), before + 1);
	/* Other words (here: --json) are another request. */
	ck_assert_uint_eq(strlen(call(b, "--json show database detail\n", &ok)), BIG_BODY);
	ck_assert_uint_eq(__atomic_load_n(&detail_renders, __ATOMIC_SEQ_CST), before + 2);
	close(a);
	close(b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ctl_server");
	TCase *tc = tcase_create("server");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, socket_file_mode);
	tcase_add_test(tc, simple_requests);
	tcase_add_test(tc, error_replies);
	tcase_add_test(tc, pipelined_requests);
	tcase_add_test(tc, unterminated_at_eof);
	tcase_add_test(tc, oversized_request);
	tcase_add_test(tc, many_clients_interleaved);
	tcase_add_test(tc, more_clients_than_slots);
	tcase_add_test(tc, disconnect_mid_reply);
	tcase_add_test(tc, refuses_live_and_non_socket);
	tcase_add_test(tc, fabricctl_end_to_end);
	tcase_add_test(tc, half_sent_request_closed_quickly);
	tcase_add_test(tc, non_readers_bounded);
	tcase_add_test(tc, big_reply_rendered_once);
	suite_add_tcase(s, tc);
	TCase *hostile = tcase_create("hostile");
	tcase_add_checked_fixture(hostile, setup_long_requests, teardown);
	tcase_set_timeout(hostile, 60);
	tcase_add_test(hostile, idle_clients_do_not_lock_out);
	suite_add_tcase(s, hostile);
	TCase *slow = tcase_create("timeouts");
	tcase_add_checked_fixture(slow, setup_short, teardown);
	tcase_set_timeout(slow, 60);
	tcase_add_test(slow, idle_client_closed);
	tcase_add_test(slow, slow_reader_closed);
	suite_add_tcase(s, slow);
	TCase *mon = tcase_create("monitor");
	tcase_add_checked_fixture(mon, setup_pub, teardown);
	tcase_set_timeout(mon, 60);
	tcase_add_test(mon, monitor_receives_events);
	tcase_add_test(mon, slow_monitor_drops_and_is_told);
	tcase_add_test(mon, monitor_outlives_timeout_and_eviction);
	suite_add_tcase(s, mon);
	TCase *bare = tcase_create("files");
	tcase_add_test(bare, replaces_stale_socket_with_group);
	suite_add_tcase(s, bare);
	return check_run(s);
}
