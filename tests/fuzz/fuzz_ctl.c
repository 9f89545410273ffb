/* libFuzzer harness: the control-request parser and command matcher, and
 * the reply decoder (cli/ctl_proto.c, cli/ctl_commands.c).
 *
 *   clang -std=c11 -D_GNU_SOURCE -I. -g -fsanitize=fuzzer,address,undefined \
 *     tests/fuzz/fuzz_ctl.c cli/ctl_proto.c cli/ctl_buf.c \
 *     cli/ctl_commands.c -o fuzz_ctl && ./fuzz_ctl -max_total_time=20
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cli/ctl_commands.h"
#include "cli/ctl_proto.h"

/* Invariants the server relies on. */
static void check_request(const struct ctl_request *req)
{
	if (req->argc < 1 || req->argc > CTL_MAX_ARGS)
		__builtin_trap();
	for (int i = 0; i < req->argc; i++) {
		size_t n = strnlen(req->argv[i], CTL_MAX_WORD);
		if (n == 0 || n >= CTL_MAX_WORD || memchr(req->argv[i], ' ', n))
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	char err[160];
	struct ctl_request req;

	/* As the server sees input: framed, then parsed, then matched. */
	long n = ctl_request_frame(buf, size);
	if (n > 0 && ctl_request_parse(buf, (size_t)n, &req, err,
				       sizeof(err)) == 0) {
		check_request(&req);
		int cmd = ctl_cmd_match_request(&req, err, sizeof(err));
		if (cmd == 0 || cmd >= CTL_CMD_COUNT)
			__builtin_trap();
	}
	/* The raw buffer as one "line", whatever it holds. */
	if (ctl_request_parse(buf, size, &req, err, sizeof(err)) == 0)
		check_request(&req);

	/* The client's reply decoder on the same bytes. */
	struct ctl_reply_reader r;
	size_t used = 0, off = 0;
	int rc = 0;
	ctl_reply_reader_init(&r);
	while (rc == 0 && off < size) {
		size_t chunk = (size - off) < 7 ? size - off : 7;
		rc = ctl_reply_feed(&r, buf + off, chunk, &used, err,
				    sizeof(err));
		if (used > chunk)
			__builtin_trap();
		off += used;
	}
	if (rc == 1 && r.body.len != r.body_len)
		__builtin_trap();
	ctl_reply_reader_free(&r);
	return 0;
}
