/* ctl_buf: a growable byte buffer for control-channel replies.
 *
 * Pure (libc only).  Appends never fail silently: on allocation failure or
 * when the buffer would exceed CTL_BUF_MAX the call returns -1 and the buffer
 * keeps its previous contents, so a caller may report "reply too large". */
#ifndef FABRICD_CLI_CTL_BUF_H
#define FABRICD_CLI_CTL_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* Upper bound of one buffer: far above any real "show" output, low enough
 * that a runaway renderer cannot eat the daemon's memory. */
#define CTL_BUF_MAX (64u * 1024u * 1024u)

struct ctl_buf {
	char *data;	/* always NUL-terminated when non-NULL (not counted in len) */
	size_t len;
	size_t cap;
};

void ctl_buf_init(struct ctl_buf *b);
void ctl_buf_free(struct ctl_buf *b);
/* Forget the contents, keep the allocation. */
void ctl_buf_reset(struct ctl_buf *b);
/* Drop the first n bytes (n > len drops everything). */
void ctl_buf_consume(struct ctl_buf *b, size_t n);
int ctl_buf_append(struct ctl_buf *b, const void *data, size_t len);
int ctl_buf_puts(struct ctl_buf *b, const char *s);
int ctl_buf_printf(struct ctl_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ctl_buf_vprintf(struct ctl_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Content as a C string ("" when empty). */
const char *ctl_buf_str(const struct ctl_buf *b);

#endif
