/* ctl_proto: control-channel request parsing and reply framing.
 * The wire format is documented in ctl_proto.h. */
#include "cli/ctl_proto.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

long ctl_request_frame(const char *buf, size_t len)
{
	size_t scan = len < CTL_REQ_MAX ? len : CTL_REQ_MAX;
	const char *nl = memchr(buf, '\n', scan);
	if (nl)
		return (long)(nl - buf) + 1;
	return len >= CTL_REQ_MAX ? -1 : 0;
}

/* Length of the well-formed UTF-8 sequence at s (RFC 3629 section 4: no
 * overlong forms, no surrogates, nothing above U+10FFFF), 0 if malformed.
 * *cp receives the code point. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t want;
	uint32_t min, c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		want = 2; min = 0x80; c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		want = 3; min = 0x800; c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		want = 4; min = 0x10000; c &= 0x07;
	} else {
		return 0;
	}
	if (n < want)
		return 0;
	for (size_t i = 1; i < want; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return want;
}

static bool is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* Check that body (the line without its terminator) is printable UTF-8. */
static int check_text(const char *body, size_t len, char *err, size_t errlen)
{
	const unsigned char *s = (const unsigned char *)body;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			snprintf(err, errlen, "invalid UTF-8 at offset %zu", i);
			return -1;
		}
		if (is_control(cp)) {
			snprintf(err, errlen,
				 "control character 0x%02x at offset %zu",
				 (unsigned)cp, i);
			return -1;
		}
		i += n;
	}
	return 0;
}

static int add_word(struct ctl_request *req, const char *w, size_t n,
		    char *err, size_t errlen)
{
	if (req->argc == 0 && !req->json && n == 6 && !memcmp(w, "--json", 6)) {
		req->json = true;
		return 0;
	}
	if (req->argc >= CTL_MAX_ARGS) {
		snprintf(err, errlen, "too many words (max %d)", CTL_MAX_ARGS);
		return -1;
	}
	if (n >= CTL_MAX_WORD) {
		snprintf(err, errlen, "word too long (max %d bytes)",
			 CTL_MAX_WORD - 1);
		return -1;
	}
	memcpy(req->argv[req->argc], w, n);
	req->argv[req->argc][n] = '\0';
	req->argc++;
	return 0;
}

int ctl_request_parse(const char *line, size_t len, struct ctl_request *req,
		      char *err, size_t errlen)
{
	memset(req, 0, sizeof(*req));
	req->peer_uid = -1;
	if (len > CTL_REQ_MAX) {
		snprintf(err, errlen, "request too long (max %d bytes)",
			 CTL_REQ_MAX);
		return -1;
	}
	if (len == 0 || line[len - 1] != '\n') {
		snprintf(err, errlen, "unterminated request");
		return -1;
	}
	len--;
	/* Tolerate "\r\n" from line-oriented tools such as nc/socat. */
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (check_text(line, len, err, errlen) < 0)
		return -1;
	size_t i = 0;
	while (i < len) {
		if (line[i] == ' ') {
			i++;
			continue;
		}
		size_t start = i;
		while (i < len && line[i] != ' ')
			i++;
		if (add_word(req, line + start, i - start, err, errlen) < 0)
			return -1;
	}
	if (req->argc == 0) {
		snprintf(err, errlen, "empty request");
		return -1;
	}
	return 0;
}

long ctl_request_build(bool json, int argc, const char *const argv[],
		       char *line, struct ctl_request *req,
		       char *err, size_t errlen)
{
	size_t len = 0;
	char *p = line;
	if (json) {
		memcpy(p, "--json ", 7);
		len = 7;
	}
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (len + n + 2 > CTL_REQ_MAX) {
			snprintf(err, errlen, "request too long (max %d bytes)",
				 CTL_REQ_MAX);
			return -1;
		}
		memcpy(p + len, argv[i], n);
		len += n;
		p[len++] = ' ';
	}
	if (len > 0 && p[len - 1] == ' ')
		len--;
	p[len++] = '\n';
	p[len] = '\0';
	if (ctl_request_parse(line, len, req, err, errlen) < 0)
		return -1;
	return (long)len;
}

size_t ctl_reply_header(char *buf, bool ok, size_t body_len)
{
	int n = snprintf(buf, CTL_REPLY_HDR_MAX, "%s %zu\n",
			 ok ? "ok" : "error", body_len);
	return n > 0 ? (size_t)n : 0;
}

int ctl_reply_parse_header(const char *line, size_t len, bool *ok,
			   size_t *body_len, char *err, size_t errlen)
{
	size_t i;
	if (len == 0 || line[len - 1] != '\n') {
		snprintf(err, errlen, "reply header: unterminated");
		return -1;
	}
	if (len >= 3 && !memcmp(line, "ok ", 3)) {
		*ok = true;
		i = 3;
	} else if (len >= 6 && !memcmp(line, "error ", 6)) {
		*ok = false;
		i = 6;
	} else {
		snprintf(err, errlen, "reply header: expected 'ok' or 'error'");
		return -1;
	}
	size_t digits = len - 1 - i;
	if (digits == 0 || digits > 10 || (digits > 1 && line[i] == '0')) {
		snprintf(err, errlen, "reply header: bad length");
		return -1;
	}
	uint64_t v = 0;
	for (; i < len - 1; i++) {
		if (line[i] < '0' || line[i] > '9') {
			snprintf(err, errlen, "reply header: bad length");
			return -1;
		}
		v = v * 10 + (uint64_t)(line[i] - '0');
	}
	if (v > CTL_REPLY_MAX) {
		snprintf(err, errlen, "reply header: length %llu too large",
			 (unsigned long long)v);
		return -1;
	}
	*body_len = (size_t)v;
	return 0;
}

void ctl_reply_reader_init(struct ctl_reply_reader *r)
{
	memset(r, 0, sizeof(*r));
	ctl_buf_init(&r->body);
}

void ctl_reply_reader_free(struct ctl_reply_reader *r)
{
	ctl_buf_free(&r->body);
	ctl_reply_reader_init(r);
}

/* Accumulate header bytes up to and including '\n'. */
static int feed_header(struct ctl_reply_reader *r, const char *data,
		       size_t len, size_t *used, char *err, size_t errlen)
{
	*used = 0;
	while (*used < len) {
		char c = data[(*used)++];
		if (r->hdr_len >= sizeof(r->hdr) - 1) {
			snprintf(err, errlen, "reply header: too long");
			return -1;
		}
		r->hdr[r->hdr_len++] = c;
		if (c == '\n') {
			if (ctl_reply_parse_header(r->hdr, r->hdr_len, &r->ok,
						   &r->body_len, err,
						   errlen) < 0)
				return -1;
			r->have_header = true;
			return 1;
		}
	}
	return 0;
}

int ctl_reply_feed(struct ctl_reply_reader *r, const char *data, size_t len,
		   size_t *consumed, char *err, size_t errlen)
{
	size_t used = 0;
	*consumed = 0;
	if (!r->have_header) {
		int rc = feed_header(r, data, len, &used, err, errlen);
		*consumed = used;
		if (rc <= 0)
			return rc;
	}
	size_t want = r->body_len - r->body.len;
	size_t take = len - used < want ? len - used : want;
	if (ctl_buf_append(&r->body, data + used, take) < 0) {
		snprintf(err, errlen, "reply: out of memory");
		return -1;
	}
	*consumed = used + take;
	if (r->body.len == r->body_len && r->body_len == 0)
		(void)ctl_buf_append(&r->body, "", 0);	/* body.data non-NULL */
	return r->body.len == r->body_len ? 1 : 0;
}
