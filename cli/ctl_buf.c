/* ctl_buf: growable byte buffer (see ctl_buf.h). */
#include "cli/ctl_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/lib/vec.h"

void ctl_buf_init(struct ctl_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void ctl_buf_free(struct ctl_buf *b)
{
	free(b->data);
	ctl_buf_init(b);
}

void ctl_buf_reset(struct ctl_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void ctl_buf_consume(struct ctl_buf *b, size_t n)
{
	if (n >= b->len) {
		ctl_buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

/* Make room for `extra` more bytes plus the terminating NUL. */
static int ctl_buf_reserve(struct ctl_buf *b, size_t extra)
{
	if (extra > CTL_BUF_MAX || b->len + extra > CTL_BUF_MAX)
		return -1;
	char *p = vec_grow(b->data, &b->cap, b->len + extra + 1, 1);
	if (!p)
		return -1;
	b->data = p;
	return 0;
}

int ctl_buf_append(struct ctl_buf *b, const void *data, size_t len)
{
	if (ctl_buf_reserve(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int ctl_buf_puts(struct ctl_buf *b, const char *s)
{
	return ctl_buf_append(b, s, strlen(s));
}

int ctl_buf_vprintf(struct ctl_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || ctl_buf_reserve(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int ctl_buf_printf(struct ctl_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = ctl_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *ctl_buf_str(const struct ctl_buf *b)
{
	return b->data ? b->data : "";
}
