/* ctl_shell: fabricctl's interactive shell (libedit) and its script mode. */
#ifndef FABRICD_CLI_CTL_SHELL_H
#define FABRICD_CLI_CTL_SHELL_H

#include <stdbool.h>
#include <stdio.h>

/* On a terminal: a vtysh-like shell (prompt "fabricd# ", TAB completion,
 * '?' help, history, exit/quit/Ctrl-D).  Otherwise: one command per line of
 * input (blank lines and '#' comments skipped, a trailing '?' prints help).
 * Returns the worst CTL_EXIT_* status seen. */
int ctl_shell_run(const char *path, bool json);

/* Execute one shell line; sets *quit on exit/quit.  Used by both modes. */
int ctl_shell_line(const char *path, bool json, const char *line, FILE *out,
		   FILE *errf, bool *quit);

#endif
