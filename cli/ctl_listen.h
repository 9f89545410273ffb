/* ctl_listen: create the control socket file safely (no libev). */
#ifndef FABRICD_CLI_CTL_LISTEN_H
#define FABRICD_CLI_CTL_LISTEN_H

#include <stddef.h>
#include <sys/types.h>

/* Make the parent directories of path (0755), replace a stale socket file
 * (one nobody answers on), bind a non-blocking listening unix stream socket
 * there with mode 0600 (or 0660 and group gid when gid >= 0) and return its
 * fd; *ino receives the socket file's inode so that the owner later removes
 * only its own file.  Returns -1 with err on failure; refuses when another
 * process listens on path or when path exists and is not a socket. */
int ctl_listen_open(const char *path, int gid, ino_t *ino,
		    char *err, size_t errlen);

/* Remove path if it is still the socket file with inode ino. */
void ctl_listen_unlink(const char *path, ino_t ino);

#endif
