/* ctl_proto: the fabricd control-channel wire protocol (pure, libc only).
 *
 * Transport: a unix stream socket.  A connection carries any number of
 * request/reply exchanges, strictly one after the other (the server reads the
 * next request only once the previous reply is fully written); the server
 * closes the connection when the client closes its side, or after an
 * oversized request.
 *
 * Request: one line of at most CTL_REQ_MAX bytes including the '\n' (a "\r\n"
 * ending is accepted too).  Words are separated by one or more spaces.  An
 * optional leading word "--json" asks for a JSON body.  The line must be valid
 * UTF-8 without control characters (C0, DEL, C1); it must hold at least one
 * command word, at most CTL_MAX_ARGS words of at most CTL_MAX_WORD-1 bytes.
 *
 *     [--json] WORD [WORD...]\n
 *
 * Reply: a header line "ok <length>\n" or "error <length>\n" (length in
 * decimal, no sign, no leading zeros, at most CTL_REPLY_MAX) followed by
 * exactly <length> bytes of body.  An ok body is text or, for --json
 * requests, one JSON object.  An error body is always a human-readable text
 * message ending in '\n', e.g. "unknown command 'x'\n".
 */
#ifndef FABRICD_CLI_CTL_PROTO_H
#define FABRICD_CLI_CTL_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/ctl_buf.h"

#define CTL_DEFAULT_SOCKET "/run/fabricd/fabricd.sock"

#define CTL_REQ_MAX 1024	/* bytes of one request, '\n' included */
#define CTL_MAX_ARGS 16		/* words per request (--json not counted) */
#define CTL_MAX_WORD 64		/* bytes per word, NUL included */
#define CTL_REPLY_HDR_MAX 24	/* "error 67108864\n" fits easily */
#define CTL_REPLY_MAX CTL_BUF_MAX

struct ctl_request {
	bool json;
	long peer_uid;		/* the client's uid (SO_PEERCRED), set by the
				 * server; -1 = unknown (never trusted) */
	int argc;
	char argv[CTL_MAX_ARGS][CTL_MAX_WORD];
};

/* Find the first request line in an input buffer.
 * Returns its length including '\n' (> 0), 0 when no '\n' yet but more input
 * may still make a valid request, or -1 when the request is already longer
 * than CTL_REQ_MAX (framing is lost: reply an error and close). */
long ctl_request_frame(const char *buf, size_t len);

/* Parse one request line (as framed above, '\n' included).  Returns 0, or -1
 * with a message in err: "unterminated request", "request too long (max 1024
 * bytes)", "control character 0x01 at offset 5", "invalid UTF-8 at offset 3",
 * "empty request", "too many words (max 16)", "word too long (max 63
 * bytes)". */
int ctl_request_parse(const char *line, size_t len, struct ctl_request *req,
		      char *err, size_t errlen);

/* Build a request line ("[--json ]w1 w2 ...\n") from words, e.g. a client's
 * argv, and validate it by parsing it into req.  line needs CTL_REQ_MAX + 1
 * bytes.  Returns the line length, or -1 with err. */
long ctl_request_build(bool json, int argc, const char *const argv[],
		       char *line, struct ctl_request *req,
		       char *err, size_t errlen);

/* Write the reply header for a body of body_len bytes into buf (at least
 * CTL_REPLY_HDR_MAX bytes).  Returns the header length. */
size_t ctl_reply_header(char *buf, bool ok, size_t body_len);

/* Parse a header line ('\n' included).  Returns 0 or -1 with err. */
int ctl_reply_parse_header(const char *line, size_t len, bool *ok,
			   size_t *body_len, char *err, size_t errlen);

/* Incremental reply decoder: feed it whatever read() returned. */
struct ctl_reply_reader {
	char hdr[CTL_REPLY_HDR_MAX];
	size_t hdr_len;
	bool have_header;
	bool ok;
	size_t body_len;
	struct ctl_buf body;
};

void ctl_reply_reader_init(struct ctl_reply_reader *r);
void ctl_reply_reader_free(struct ctl_reply_reader *r);
/* Returns 1 when the reply is complete (r->ok, r->body), 0 when more bytes
 * are needed, -1 on a malformed reply (err).  *consumed is set to the number
 * of bytes of data used (bytes after a complete reply are left alone). */
int ctl_reply_feed(struct ctl_reply_reader *r, const char *data, size_t len,
		   size_t *consumed, char *err, size_t errlen);

#endif
