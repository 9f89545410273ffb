/* ctl_client: the fabricctl side of the control socket (blocking, no libev). */
#ifndef FABRICD_CLI_CTL_CLIENT_H
#define FABRICD_CLI_CTL_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/ctl_buf.h"

/* Exit statuses of fabricctl. */
enum {
	CTL_EXIT_OK = 0,	/* "ok" reply */
	CTL_EXIT_ERROR = 1,	/* "error" reply, or command rejected locally */
	CTL_EXIT_UNREACHABLE = 2,	/* no daemon, or I/O/protocol failure */
};

#define CTL_CLIENT_TIMEOUT_MS 30000

/* Connect to the daemon.  Returns the fd, or -1 with err such as "cannot
 * connect to /run/fabricd/fabricd.sock: No such file or directory (is
 * fabricd running?)". */
int ctl_client_connect(const char *path, char *err, size_t errlen);

/* Send one request line ('\n' included) on fd and read its reply.  Returns 0
 * with *ok and body filled, or -1 with err (timeout, closed, bad reply). */
int ctl_client_call(int fd, const char *line, size_t len, int timeout_ms,
		    bool *ok, struct ctl_buf *body, char *err, size_t errlen);

/* Validate words against the command table (shell table when shell), send
 * them, and print the body to out (ok) or "<prefix>message" to errf.
 * Returns a CTL_EXIT_* status. */
int ctl_client_command(const char *path, bool json, bool shell, int argc,
		       const char *const argv[], FILE *out, FILE *errf,
		       const char *prefix);

#endif
