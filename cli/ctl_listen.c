/* ctl_listen: the control socket's file-system side (see ctl_listen.h). */
#include "cli/ctl_listen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int make_addr(const char *path, struct sockaddr_un *sun, char *err,
		     size_t errlen)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (path[0] == '\0' || strlen(path) >= sizeof(sun->sun_path)) {
		snprintf(err, errlen, "bad socket path '%s' (empty or longer "
			 "than %zu bytes)", path, sizeof(sun->sun_path) - 1);
		return -1;
	}
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

/* mkdir -p of the directory part of path. */
static int make_parents(const char *path, char *err, size_t errlen)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create directory %s: %s",
				 dir, strerror(errno));
			return -1;
		}
		*p = '/';
	}
	return 0;
}

/* Probe the socket file: 0 when nothing listens there (stale), else -1
 * with err.  Only "refused" or "gone" proves it stale; EAGAIN means a live
 * listener with a full backlog, and anything else we cannot judge. */
static int probe_stale(const char *path, const struct sockaddr_un *sun,
		       char *err, size_t errlen)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	int rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	int e = errno;
	close(fd);
	if (rc < 0 && (e == ECONNREFUSED || e == ENOENT))
		return 0;
	if (rc == 0 || e == EAGAIN || e == EINPROGRESS)
		snprintf(err, errlen, "another daemon is already listening "
			 "on %s", path);
	else
		snprintf(err, errlen, "cannot probe existing socket %s: %s",
			 path, strerror(e));
	return -1;
}

static int clear_stale(const char *path, const struct sockaddr_un *sun,
		       char *err, size_t errlen)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket", path);
		return -1;
	}
	if (probe_stale(path, sun, err, errlen) < 0)
		return -1;
	if (unlink(path) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "cannot remove stale socket %s: %s",
			 path, strerror(errno));
		return -1;
	}
	return 0;
}

static int set_owner(const char *path, int gid, char *err, size_t errlen)
{
	if (gid >= 0 && chown(path, (uid_t)-1, (gid_t)gid) < 0) {
		snprintf(err, errlen, "cannot chown %s to group %d: %s", path,
			 gid, strerror(errno));
		return -1;
	}
	if (chmod(path, gid >= 0 ? 0660 : 0600) < 0) {
		snprintf(err, errlen, "cannot chmod %s: %s", path,
			 strerror(errno));
		return -1;
	}
	return 0;
}

int ctl_listen_open(const char *path, int gid, ino_t *ino,
		    char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct stat st;
	if (make_addr(path, &sun, err, errlen) < 0 ||
	    make_parents(path, err, errlen) < 0 ||
	    clear_stale(path, &sun, err, errlen) < 0)
		return -1;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	/* Bind under a tight umask so the file is never reachable by others,
	 * not even between bind() and chmod(). */
	mode_t old = umask(0177);
	int rc = bind(fd, (const struct sockaddr *)&sun, sizeof(sun));
	int e = errno;
	umask(old);
	if (rc < 0) {
		snprintf(err, errlen, "cannot bind %s: %s", path, strerror(e));
		goto fail;
	}
	if (set_owner(path, gid, err, errlen) < 0)
		goto fail_unlink;
	if (lstat(path, &st) < 0) {
		snprintf(err, errlen, "stat %s: %s", path, strerror(errno));
		goto fail_unlink;
	}
	*ino = st.st_ino;
	if (listen(fd, 32) < 0) {
		snprintf(err, errlen, "listen %s: %s", path, strerror(errno));
		goto fail_unlink;
	}
	return fd;
fail_unlink:
	unlink(path);
fail:
	close(fd);
	return -1;
}

void ctl_listen_unlink(const char *path, ino_t ino)
{
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_ino == ino)
		unlink(path);
}
