/* ctl_local: monitor and check topology in fabricctl (ctl_local.h). */
#include "cli/ctl_local.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/ctl_client.h"
#include "cli/ctl_commands.h"
#include "cli/ctl_dot.h"
#include "cli/ctl_event.h"
#include "cli/ctl_proto.h"
#include "cli/ctl_table.h"
#include "cli/ctl_topocheck.h"

static int print_event(const struct ctl_buf *body, bool json, FILE *out)
{
	if (json) {
		fputs(ctl_buf_str(body), out);
	} else {
		struct json_object *ev = json_tokener_parse(ctl_buf_str(body));
		struct ctl_buf line;
		ctl_buf_init(&line);
		if (ev)
			ctl_event_line(&line, ev);
		else
			ctl_buf_append(&line, body->data, body->len);
		fputs(ctl_buf_str(&line), out);
		ctl_buf_free(&line);
		json_object_put(ev);
	}
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

int ctl_monitor(const char *path, bool json, FILE *out, FILE *errf,
		const char *prefix)
{
	char err[256], buf[4096];
	static const char req[] = "monitor\n";
	struct ctl_buf body;
	bool ok = false;
	int fd = ctl_client_connect(path, err, sizeof(err));
	if (fd < 0) {
		fprintf(errf, "%s%s\n", prefix, err);
		return CTL_EXIT_UNREACHABLE;
	}
	ctl_buf_init(&body);
	if (ctl_client_call(fd, req, sizeof(req) - 1, CTL_CLIENT_TIMEOUT_MS, &ok,
			    &body, err, sizeof(err)) < 0 || !ok) {
		fprintf(errf, "%s%s%s", prefix, ok ? err : ctl_buf_str(&body),
			ok ? "\n" : "");
		ctl_buf_free(&body);
		close(fd);
		return ok ? CTL_EXIT_UNREACHABLE : CTL_EXIT_ERROR;
	}
	ctl_buf_free(&body);
	/* Then one framed message per event, until Ctrl-C (which, in the
	 * shell, returns to the prompt) or the daemon goes away. */
	struct sigaction sa = { .sa_handler = on_interrupt }, old;
	sigemptyset(&sa.sa_mask);
	interrupted = 0;
	sigaction(SIGINT, &sa, &old); /* no SA_RESTART: recv returns EINTR */
	struct ctl_reply_reader r;
	ctl_reply_reader_init(&r);
	int status = CTL_EXIT_UNREACHABLE;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR && interrupted) {
			status = CTL_EXIT_OK;
			break;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(errf, "%sconnection to fabricd %s\n", prefix,
				n == 0 ? "closed" : strerror(errno));
			break;
		}
		size_t off = 0, used;
		int st = 0;
		while (off < (size_t)n &&
		       (st = ctl_reply_feed(&r, buf + off, (size_t)n - off,
					    &used, err, sizeof(err))) >= 0) {
			off += used;
			if (st == 0)
				break;
			if (print_event(&r.body, json, out) < 0) {
				status = CTL_EXIT_OK; /* reader went away */
				goto done;
			}
			ctl_reply_reader_free(&r);
			ctl_reply_reader_init(&r);
		}
		if (st < 0) {
			fprintf(errf, "%s%s\n", prefix, err);
			break;
		}
	}
done:
	sigaction(SIGINT, &old, NULL);
	ctl_reply_reader_free(&r);
	close(fd);
	return status;
}

int ctl_check_topology(const char *path, const char *file, bool json,
		       FILE *out, FILE *errf, const char *prefix)
{
	struct dot_graph plan;
	char err[512];
	if (dot_load(file, &plan, err, sizeof(err)) < 0) {
		fprintf(errf, "%s%s\n", prefix, err);
		return 2;
	}
	int fd = ctl_client_connect(path, err, sizeof(err));
	if (fd < 0) {
		fprintf(errf, "%s%s\n", prefix, err);
		dot_free(&plan);
		return CTL_EXIT_UNREACHABLE;
	}
	static const char req[] = "--json show topology\n";
	struct ctl_buf body, report;
	bool ok = false;
	ctl_buf_init(&body);
	ctl_buf_init(&report);
	int status = CTL_EXIT_UNREACHABLE;
	if (ctl_client_call(fd, req, sizeof(req) - 1, CTL_CLIENT_TIMEOUT_MS, &ok,
			    &body, err, sizeof(err)) < 0) {
		fprintf(errf, "%s%s\n", prefix, err);
	} else if (!ok) {
		fprintf(errf, "%s%s", prefix, ctl_buf_str(&body));
		status = CTL_EXIT_ERROR;
	} else {
		struct json_object *topo = json_tokener_parse(ctl_buf_str(&body));
		struct json_object *diffs = topo ? ctl_topo_diffs(&plan, topo) : NULL;
		if (!diffs) {
			fprintf(errf, "%sbad reply from fabricd\n", prefix);
		} else {
			size_t n = json_object_array_length(diffs);
			if (json) {
				struct json_object *o = json_object_new_object();
				json_object_object_add(o, "plan", json_object_new_string(file));
				json_object_object_add(o, "match", json_object_new_boolean(n == 0));
				json_object_object_add(o, "planned_links",
						       json_object_new_int64((int64_t)plan.n_edges));
				json_object_object_add(o, "differences", json_object_get(diffs));
				ctl_json_render(&report, o, true);
				json_object_put(o);
			} else {
				for (size_t k = 0; k < n; k++)
					ctl_topo_diff_text(&report, file,
							   json_object_array_get_idx(diffs, k));
				if (n == 0)
					ctl_buf_printf(&report, "%s: the fabric matches the plan (%zu links)\n",
						       file, plan.n_edges);
			}
			fputs(ctl_buf_str(&report), out);
			status = n ? 1 : 0;
		}
		json_object_put(diffs);
		json_object_put(topo);
	}
	close(fd);
	ctl_buf_free(&body);
	ctl_buf_free(&report);
	dot_free(&plan);
	return status;
}

int ctl_local_run(const char *path, bool json, bool shell, int argc,
		  const char *const argv[], FILE *out, FILE *errf,
		  const char *prefix)
{
	char line[CTL_REQ_MAX + 1], err[256];
	struct ctl_request req;
	int cmd = -1;
	if (ctl_request_build(json, argc, argv, line, &req, err,
			      sizeof(err)) >= 0)
		cmd = ctl_cmd_match(ctl_commands_root(true), req.argc,
				    (const char (*)[CTL_MAX_WORD])req.argv, err,
				    sizeof(err));
	if (cmd == CTL_CMD_CHECK_TOPOLOGY)
		return ctl_check_topology(path, req.argv[2], json, out, errf, prefix);
	if (cmd == CTL_CMD_MONITOR)
		return ctl_monitor(path, json, out, errf, prefix);
	return ctl_client_command(path, json, shell, argc, argv, out, errf,
				  prefix);
}
