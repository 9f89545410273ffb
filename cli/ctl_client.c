/* ctl_client: connect, send a request, read the framed reply. */
#include "cli/ctl_client.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/ctl_commands.h"
#include "cli/ctl_proto.h"

int ctl_client_connect(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "cannot connect to %s: path too long",
			 path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		snprintf(err, errlen,
			 "cannot connect to %s: %s (is fabricd running?)",
			 path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int wait_fd(int fd, short events, int timeout_ms, char *err,
		   size_t errlen)
{
	struct pollfd p = { .fd = fd, .events = events };
	for (;;) {
		int rc = poll(&p, 1, timeout_ms);
		if (rc > 0)
			return 0;
		if (rc == 0) {
			snprintf(err, errlen, "timed out waiting for fabricd");
			return -1;
		}
		if (errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
	}
}

static int send_all(int fd, const char *p, size_t len, int timeout_ms,
		    char *err, size_t errlen)
{
	while (len > 0) {
		if (wait_fd(fd, POLLOUT, timeout_ms, err, errlen) < 0)
			return -1;
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			snprintf(err, errlen, "send: %s", strerror(errno));
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int ctl_client_call(int fd, const char *line, size_t len, int timeout_ms,
		    bool *ok, struct ctl_buf *body, char *err, size_t errlen)
{
	struct ctl_reply_reader r;
	char buf[4096];
	int rc = -1;
	if (send_all(fd, line, len, timeout_ms, err, errlen) < 0)
		return -1;
	ctl_reply_reader_init(&r);
	for (;;) {
		if (wait_fd(fd, POLLIN, timeout_ms, err, errlen) < 0)
			break;
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "connection to fabricd %s",
				 n == 0 ? "closed before the reply ended"
					: strerror(errno));
			break;
		}
		size_t used;
		int st = ctl_reply_feed(&r, buf, (size_t)n, &used, err, errlen);
		if (st < 0)
			break;
		if (st == 1) {
			*ok = r.ok;
			ctl_buf_reset(body);
			rc = ctl_buf_append(body, r.body.data, r.body.len);
			if (rc < 0)
				snprintf(err, errlen, "out of memory");
			break;
		}
	}
	ctl_reply_reader_free(&r);
	return rc;
}

int ctl_client_command(const char *path, bool json, bool shell, int argc,
		       const char *const argv[], FILE *out, FILE *errf,
		       const char *prefix)
{
	char line[CTL_REQ_MAX + 1], err[256];
	struct ctl_request req;
	long len = ctl_request_build(json, argc, argv, line, &req, err,
				     sizeof(err));
	if (len < 0 ||
	    ctl_cmd_match(ctl_commands_root(shell), req.argc,
			  (const char (*)[CTL_MAX_WORD])req.argv, err,
			  sizeof(err)) < 0) {
		fprintf(errf, "%s%s\n", prefix, err);
		return CTL_EXIT_ERROR;
	}
	int fd = ctl_client_connect(path, err, sizeof(err));
	if (fd < 0) {
		fprintf(errf, "%s%s\n", prefix, err);
		return CTL_EXIT_UNREACHABLE;
	}
	struct ctl_buf body;
	bool ok = false;
	ctl_buf_init(&body);
	int rc = ctl_client_call(fd, line, (size_t)len, CTL_CLIENT_TIMEOUT_MS,
				 &ok, &body, err, sizeof(err));
	close(fd);
	int status;
	if (rc < 0) {
		fprintf(errf, "%s%s\n", prefix, err);
		status = CTL_EXIT_UNREACHABLE;
	} else if (ok) {
		fwrite(body.data, 1, body.len, out);
		fflush(out);
		status = CTL_EXIT_OK;
	} else {
		fprintf(errf, "%s%s", prefix, ctl_buf_str(&body));
		status = CTL_EXIT_ERROR;
	}
	ctl_buf_free(&body);
	return status;
}
