/* ctl_local: the commands fabricctl runs itself rather than as one
 * request/reply: `monitor` (a stream of events) and `check topology FILE`
 * (the plan is read here, where the operator's file is).  ctl_local_run
 * dispatches any command: these two here, the others to the daemon. */
#ifndef FABRICD_CLI_CTL_LOCAL_H
#define FABRICD_CLI_CTL_LOCAL_H

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses as ctl_client.h, plus for check topology: 1 when the
 * fabric differs from the plan, 2 when the plan cannot be read. */
int ctl_local_run(const char *path, bool json, bool shell, int argc,
		  const char *const argv[], FILE *out, FILE *errf,
		  const char *prefix);

/* monitor: print events until Ctrl-C (SIGINT; then 0), the daemon goes
 * away (2) or out fails (0).  JSON lines as the daemon sends them with json,
 * else text lines. */
int ctl_monitor(const char *path, bool json, FILE *out, FILE *errf,
		const char *prefix);

/* check topology FILE: one line per difference, or with json
 * {"plan","match","planned_links","differences":[...]} (ctl_topocheck.h) */
int ctl_check_topology(const char *path, const char *file, bool json,
		       FILE *out, FILE *errf, const char *prefix);

#endif
