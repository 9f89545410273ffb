/* Least privilege (privs.h). What fabricd still does after the drop, and the
 * capability each needs:
 *   - raw OSPF sockets for interfaces that appear later, SO_BINDTODEVICE on
 *     them and on BFD sockets: CAP_NET_RAW;
 *   - routes and nexthop objects over rtnetlink, SO_RCVBUFFORCE on the BFD
 *     receive socket: CAP_NET_ADMIN;
 *   - a reload that raises bfd.realtime-priority: CAP_SYS_NICE (kept only
 *     when the start-up config asks for real-time scheduling).
 * Reload reads the config file again as the user, so the file must be
 * readable by it (the Debian package installs it root:fabricd 0640).
 * Capability sets, the bounding set and PR_SET_KEEPCAPS belong to a thread,
 * not to the process. fabricd is linked with libpsx, so libcap's calls
 * (cap_setuid, cap_setgroups, cap_set_proc, cap_drop_bound) act on every
 * thread, also one started before the drop (libpsx reaches each with
 * SIGSYS, so no thread may block it); check_threads checks both. */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/psx_syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fabricd/log.h"
#include "fabricd/privs.h"

int privs_check(const char *user, char *err, size_t errlen)
{
	if (!user || !user[0])
		return 0;
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errlen, "user '%s' does not exist", user);
		return -1;
	}
	if (geteuid() != 0 && geteuid() != pw->pw_uid) {
		snprintf(err, errlen, "cannot run as user '%s': fabricd was not started as root",
			 user);
		return -1;
	}
	return 0;
}

/* True when directory `dir` holds nothing but `name`: a directory of our
 * own, such as /run/fabricd (made by the control socket or by systemd's
 * RuntimeDirectory=), as opposed to /run or /tmp. */
static bool only_entry(const char *dir, const char *name)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	bool only = dp != NULL;
	while (dp && (e = readdir(dp)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, name))
			only = false;
	if (dp)
		closedir(dp);
	return only;
}

/* The socket file, so that fabricd may unlink it at exit (in a sticky
 * directory such as /tmp the owner of a file may remove it); and its
 * directory when that is root's and holds nothing else. A shared
 * directory is left alone. A failure costs only the clean-up at exit (the
 * next start removes a stale socket), so it is a warning. */
static void give_socket(const char *path, uid_t uid, gid_t gid)
{
	char dir[4096], base[4096];
	struct stat st;
	if (chown(path, uid, (gid_t)-1) < 0)
		log_warn("cannot give %s to uid %u: %s", path, (unsigned)uid, strerror(errno));
	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(base, sizeof(base), "%s", path);
	const char *d = dirname(dir), *b = basename(base);
	if (strcmp(d, "/") == 0 || stat(d, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
	    !only_entry(d, b))
		return;
	if (chown(d, uid, gid) < 0)
		log_warn("cannot give %s to uid %u: %s", d, (unsigned)uid, strerror(errno));
}

static bool kept(cap_value_t v, const cap_value_t *keep, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (keep[i] == v)
			return true;
	return false;
}

/* Every capability but `keep` out of the bounding set, so that nothing
 * this process could ever exec gets them back (needs CAP_SETPCAP, so it
 * comes before the uid change). */
static int drop_bounding(const cap_value_t *keep, size_t n, char *err, size_t errlen)
{
	for (cap_value_t v = 0; v < cap_max_bits(); v++) {
		if (kept(v, keep, n) || CAP_IS_SUPPORTED(v) <= 0)
			continue;
		if (cap_drop_bound(v) < 0) {
			char *name = cap_to_name(v);
			snprintf(err, errlen, "cannot drop %s from the bounding set: %s",
				 name ? name : "?", strerror(errno));
			cap_free(name);
			return -1;
		}
	}
	return 0;
}

/* Permitted and effective = keep; inheritable and ambient empty. */
static int set_caps(const cap_value_t *keep, size_t n, char *err, size_t errlen)
{
	cap_t c = cap_init();
	if (!c || cap_set_flag(c, CAP_PERMITTED, (int)n, keep, CAP_SET) < 0 ||
	    cap_set_flag(c, CAP_EFFECTIVE, (int)n, keep, CAP_SET) < 0 || cap_set_proc(c) < 0) {
		snprintf(err, errlen, "cannot set capabilities: %s", strerror(errno));
		cap_free(c);
		return -1;
	}
	cap_free(c);
	if (CAP_AMBIENT_SUPPORTED() && cap_reset_ambient() < 0) {
		snprintf(err, errlen, "cannot clear ambient capabilities: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* libcap's setgroups/setuid keep the permitted set across the change of
 * uid (on every thread); set_caps trims it afterwards. */
static int switch_ids(const struct passwd *pw, char *err, size_t errlen)
{
	gid_t gid = pw->pw_gid;
	if (cap_setgroups(gid, 1, &gid) < 0 || cap_setuid(pw->pw_uid) < 0) {
		snprintf(err, errlen, "cannot switch to user '%s' (uid %u, gid %u): %s", pw->pw_name,
			 (unsigned)pw->pw_uid, (unsigned)gid, strerror(errno));
		return -1;
	}
	return 0;
}

/* What one thread's /proc status says: the four uids, the capability
 * sets that must shrink, and the blocked signals. */
struct thread_creds {
	unsigned uid[4];
	unsigned long long prm, eff, bnd, blocked;
	int seen;
};

static bool thread_creds(const char *tid, struct thread_creds *c)
{
	char path[300], line[256];
	snprintf(path, sizeof(path), "/proc/self/task/%s/status", tid);
	FILE *f = fopen(path, "r");
	memset(c, 0, sizeof(*c));
	while (f && fgets(line, sizeof(line), f))
		c->seen += sscanf(line, "Uid: %u %u %u %u", &c->uid[0], &c->uid[1], &c->uid[2],
				  &c->uid[3]) == 4 ||
			   sscanf(line, "CapPrm: %llx", &c->prm) == 1 ||
			   sscanf(line, "CapEff: %llx", &c->eff) == 1 ||
			   sscanf(line, "CapBnd: %llx", &c->bnd) == 1 ||
			   sscanf(line, "SigBlk: %llx", &c->blocked) == 1;
	if (f)
		fclose(f);
	return c->seen == 5;
}

/* Every thread: before the drop (uid = -1) none may block SIGSYS, which
 * libpsx uses to reach it (blocked, the drop would wait forever); after,
 * each runs as uid with exactly `mask`. */
static int check_threads(uid_t uid, unsigned long long mask, char *err, size_t errlen)
{
	DIR *dp = opendir("/proc/self/task");
	struct dirent *e;
	struct thread_creds c;
	int bad = 0;
	if (!dp) {
		snprintf(err, errlen, "cannot list threads: /proc/self/task: %s", strerror(errno));
		return -1;
	}
	while (!bad && (e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		if (!thread_creds(e->d_name, &c))
			bad = snprintf(err, errlen, "cannot read thread %s's status", e->d_name);
		else if (uid == (uid_t)-1 && (c.blocked & (1ULL << (SIGSYS - 1))))
			bad = snprintf(err, errlen, "thread %s blocks SIGSYS: cannot drop "
				       "privileges on it", e->d_name);
		else if (uid != (uid_t)-1 &&
			 (c.uid[0] != uid || c.uid[1] != uid || c.uid[2] != uid || c.uid[3] != uid ||
			  c.prm != mask || c.eff != mask || c.bnd != mask))
			bad = snprintf(err, errlen, "thread %s kept other credentials after the drop",
				       e->d_name);
	}
	closedir(dp);
	return bad ? -1 : 0;
}

/* A thread just started has SIGSYS blocked until libpsx has registered
 * it; one that keeps it blocked for a second never will be reachable. */
static int threads_reachable(char *err, size_t errlen)
{
	for (int tries = 0;; tries++) {
		if (check_threads((uid_t)-1, 0, err, errlen) == 0)
			return 0;
		if (tries == 100)
			return -1;
		usleep(10000);
	}
}

int privs_drop(const char *user, bool sys_nice, const char *socket_path, char *err,
	       size_t errlen)
{
	cap_value_t keep[3] = { CAP_NET_RAW, CAP_NET_ADMIN, CAP_SYS_NICE };
	size_t n = sys_nice ? 3 : 2;
	if (!user || !user[0])
		return 0;
	if (privs_check(user, err, errlen) < 0)
		return -1;
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errlen, "user '%s' does not exist", user);
		return -1;
	}
	if (geteuid() == pw->pw_uid && pw->pw_uid != 0)
		return set_caps(keep, n, err, errlen); /* started as the user already */
	if (threads_reachable(err, errlen) < 0)
		return -1;
	if (socket_path && socket_path[0])
		give_socket(socket_path, pw->pw_uid, pw->pw_gid);
	/* A thread whose result differs from the caller's is reported. */
	psx_set_sensitivity(PSX_WARNING);
	unsigned long long mask = 0;
	for (size_t i = 0; i < n; i++)
		mask |= 1ULL << keep[i];
	if (drop_bounding(keep, n, err, errlen) < 0 ||
	    switch_ids(pw, err, errlen) < 0 || set_caps(keep, n, err, errlen) < 0 ||
	    check_threads(pw->pw_uid, mask, err, errlen) < 0)
		return -1;
	log_notice("running as user %s (uid %u, gid %u) with CAP_NET_RAW, CAP_NET_ADMIN%s",
		   pw->pw_name, (unsigned)pw->pw_uid, (unsigned)pw->pw_gid,
		   sys_nice ? ", CAP_SYS_NICE" : "");
	return 0;
}
