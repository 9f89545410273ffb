/* The daemon's log: one line per event on stderr (systemd's journal takes
 * it from there) and the same to syslog. The level filter is the only state. */
#include <stdio.h>
#include <time.h>
#include "fabricd/log.h"

static struct {
	int max_level;
	int use_syslog;
} log_cfg = { LOG_INFO, 0 };

void log_init(const char *ident, int max_level, int use_syslog)
{
	log_cfg.max_level = max_level;
	log_cfg.use_syslog = use_syslog;
	if (use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_vmsg(int level, const char *fmt, va_list ap)
{
	static const char *const names[] = { "emerg", "alert", "crit", "error",
					     "warning", "notice", "info", "debug" };
	if (level > log_cfg.max_level)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	localtime_r(&ts.tv_sec, &tm);
	char buf[1024];
	va_list cp;
	va_copy(cp, ap);
	vsnprintf(buf, sizeof(buf), fmt, cp);
	va_end(cp);
	fprintf(stderr, "%02d:%02d:%02d.%03ld %s: %s\n", tm.tm_hour, tm.tm_min, tm.tm_sec,
		ts.tv_nsec / 1000000, names[level & 7], buf);
	if (log_cfg.use_syslog)
		syslog(level, "%s", buf);
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}
