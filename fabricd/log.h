/* Logging to stderr and syslog, with levels (syslog's LOG_ERR..LOG_DEBUG). */
#ifndef FABRICD_LOG_H
#define FABRICD_LOG_H
#include <stdarg.h>
#include <syslog.h>

void log_init(const char *ident, int max_level, int use_syslog);
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(int level, const char *fmt, va_list ap);
#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#endif
