/* fabricd/privs.c: the privilege drop. Without root only the checks that
 * change nothing run; as root (tools/check) every test runs in a child of
 * its own (Check forks), so the drop never reaches the test runner. */
#include <check.h>
#include "tests/unit/check_main.h"
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <sys/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fabricd/privs.h"

#define NET_CAPS 0x3000ULL     /* CAP_NET_ADMIN (12), CAP_NET_RAW (13) */
#define SYS_NICE 0x800000ULL   /* CAP_SYS_NICE (23) */

static bool root(void)
{
	return geteuid() == 0;
}

static uid_t nobody(void)
{
	struct passwd *pw = getpwnam("nobody");
	ck_assert_ptr_nonnull(pw);
	return pw->pw_uid;
}

START_TEST(test_no_user)
{
	char err[256] = "";
	uid_t before = geteuid();
	ck_assert_int_eq(privs_check("", err, sizeof(err)), 0);
	ck_assert_int_eq(privs_drop("", true, NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(privs_drop(NULL, false, NULL, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(geteuid(), before); /* stays as started */
}
END_TEST

START_TEST(test_unknown_user)
{
	char err[256] = "";
	ck_assert_int_eq(privs_check("no-such-user-fabricd", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "user 'no-such-user-fabricd' does not exist");
	err[0] = '\0';
	uid_t before = geteuid();
	ck_assert_int_eq(privs_drop("no-such-user-fabricd", false, NULL, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "user 'no-such-user-fabricd' does not exist");
	ck_assert_uint_eq(geteuid(), before);
}
END_TEST

/* A process that is not root cannot become someone else. */
START_TEST(test_not_root)
{
	char err[256] = "";
	if (!root())
		return;
	ck_assert_int_eq(setresuid(nobody(), nobody(), nobody()), 0);
	ck_assert_int_eq(privs_check("root", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "cannot run as user 'root': fabricd was not started as root");
	ck_assert_int_eq(privs_check("nobody", err, sizeof(err)), 0); /* already it */
}
END_TEST

static void *idle(void *arg)
{
	for (;;)
		pause();
	return arg;
}

/* Uid (all four) and the capability sets of every thread of this process. */
static void assert_threads(uid_t uid, unsigned long long want, size_t threads)
{
	DIR *dp = opendir("/proc/self/task");
	struct dirent *e;
	size_t n = 0;
	ck_assert_ptr_nonnull(dp);
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		char path[300], line[256];
		snprintf(path, sizeof(path), "/proc/self/task/%s/status", e->d_name);
		FILE *f = fopen(path, "r");
		ck_assert_ptr_nonnull(f);
		unsigned u[4];
		unsigned long long v;
		int seen = 0;
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "Uid: %u %u %u %u", &u[0], &u[1], &u[2], &u[3]) == 4) {
				for (int k = 0; k < 4; k++)
					ck_assert_uint_eq(u[k], uid);
				seen++;
			} else if (sscanf(line, "CapPrm: %llx", &v) == 1 ||
				   sscanf(line, "CapEff: %llx", &v) == 1 ||
				   sscanf(line, "CapBnd: %llx", &v) == 1) {
				ck_assert_msg(v == want, "thread %s: %s", e->d_name, line);
				seen++;
			} else if (sscanf(line, "CapInh: %llx", &v) == 1 ||
				   sscanf(line, "CapAmb: %llx", &v) == 1) {
				ck_assert_msg(v == 0, "thread %s: %s", e->d_name, line);
				seen++;
			}
		}
		fclose(f);
		ck_assert_int_eq(seen, 6);
		n++;
	}
	closedir(dp);
	ck_assert_uint_eq(n, threads);
}

/* Threads started before the drop (fabricd's BFD thread is one) are
 * dropped with the caller: capability sets belong to threads (libpsx). */
static void drop_with_threads(bool sys_nice, unsigned long long want)
{
	char err[256] = "";
	pthread_t t[2];
	if (!root())
		return;
	for (int k = 0; k < 2; k++)
		ck_assert_int_eq(pthread_create(&t[k], NULL, idle, NULL), 0);
	ck_assert_msg(privs_drop("nobody", sys_nice, NULL, err, sizeof(err)) == 0, "%s", err);
	assert_threads(nobody(), want, 3);
	ck_assert_int_eq(getgroups(0, NULL), 1); /* only the user's group */
}

START_TEST(test_drop_threads)
{
	drop_with_threads(false, NET_CAPS);
}
END_TEST

START_TEST(test_drop_threads_sys_nice)
{
	drop_with_threads(true, NET_CAPS | SYS_NICE);
}
END_TEST

/* A thread that blocks SIGSYS cannot be reached by libpsx: refused with
 * a message, before anything changes, instead of waiting forever. */
static void *blocking(void *arg)
{
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);
	*(volatile int *)arg = 1;
	for (;;)
		pause();
	return arg;
}

START_TEST(test_thread_blocks_sigsys)
{
	char err[256] = "";
	volatile int ready = 0;
	pthread_t t;
	if (!root())
		return;
	ck_assert_int_eq(pthread_create(&t, NULL, blocking, (void *)&ready), 0);
	while (!ready)
		usleep(1000);
	ck_assert_int_eq(privs_drop("nobody", false, NULL, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "blocks SIGSYS: cannot drop privileges on it") != NULL, "%s", err);
	ck_assert_uint_eq(geteuid(), 0);
	ck_assert_int_eq(cap_get_bound(CAP_SYS_ADMIN), 1); /* nothing dropped */
}
END_TEST

/* The socket goes to the user; its directory only when it holds nothing
 * else (never a shared one such as /run or /tmp). */
START_TEST(test_socket_owner)
{
	char err[256] = "", own[] = "/tmp/privs-own.XXXXXX", shared[] = "/tmp/privs-shared.XXXXXX";
	char p1[64], p2[64], other[64];
	struct stat st;
	if (!root())
		return;
	ck_assert_ptr_nonnull(mkdtemp(own));
	ck_assert_ptr_nonnull(mkdtemp(shared));
	snprintf(p1, sizeof(p1), "%s/fabricd.sock", own);
	snprintf(p2, sizeof(p2), "%s/fabricd.sock", shared);
	snprintf(other, sizeof(other), "%s/other", shared);
	fclose(fopen(p1, "w"));
	fclose(fopen(p2, "w"));
	fclose(fopen(other, "w"));
	pid_t pid = fork();
	if (pid == 0)
		_exit(privs_drop("nobody", false, p1, err, sizeof(err)) == 0 &&
		      privs_drop("nobody", false, p2, err, sizeof(err)) == 0 ? 0 : 1);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	/* The second drop, already as nobody, does not chown again. */
	ck_assert(stat(p1, &st) == 0 && st.st_uid == nobody());
	ck_assert(stat(own, &st) == 0 && st.st_uid == nobody());
	ck_assert(stat(shared, &st) == 0 && st.st_uid == 0);
	unlink(p1), unlink(p2), unlink(other), rmdir(own), rmdir(shared);
}
END_TEST

static Suite *privs_suite(void)
{
	Suite *s = suite_create("privs");
	TCase *tc = tcase_create("privs");
	tcase_add_test(tc, test_no_user);
	tcase_add_test(tc, test_unknown_user);
	tcase_add_test(tc, test_not_root);
	tcase_add_test(tc, test_drop_threads);
	tcase_add_test(tc, test_drop_threads_sys_nice);
	tcase_add_test(tc, test_thread_blocks_sigsys);
	tcase_add_test(tc, test_socket_owner);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	if (!root())
		printf("not root: only the checks that change nothing run\n");
	return check_run(privs_suite());
}
