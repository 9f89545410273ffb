/* Least privilege: fabricd starts as root, opens what needs root, and then
 * runs as the configured `user` with only the capabilities its running work
 * needs (see privs.c). */
#ifndef FABRICD_PRIVS_H
#define FABRICD_PRIVS_H

#include <stdbool.h>
#include <stddef.h>

/* Before anything is opened: can this process become `user` at all?
 * ("" = stay as started: always yes.) -1 with a message in err if not. */
int privs_check(const char *user, char *err, size_t errlen);

/* Once every root-only socket is open: become `user` (its uid, its primary
 * group, no supplementary groups) keeping CAP_NET_RAW and CAP_NET_ADMIN
 * (plus CAP_SYS_NICE when `sys_nice`) in the permitted and effective sets,
 * and nothing else in any set, the bounding set included. The control
 * socket (and its directory, when it holds nothing else) is given to the
 * user, so that fabricd can remove the socket at exit. Every thread is
 * changed (libpsx), and checked afterwards. */
int privs_drop(const char *user, bool sys_nice, const char *socket_path, char *err,
	       size_t errlen);

#endif
