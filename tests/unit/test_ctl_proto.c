/* Unit tests: control request parsing and reply framing (cli/ctl_proto.c). */
#include <check.h>
#include "tests/unit/check_main.h"
#include <string.h>

#include "cli/ctl_proto.h"

static struct ctl_request req;
static char err[160];

static int parse(const char *s)
{
	return ctl_request_parse(s, strlen(s), &req, err, sizeof(err));
}

START_TEST(parse_simple)
{
	ck_assert_int_eq(parse("show neighbors\n"), 0);
	ck_assert(!req.json);
	ck_assert_int_eq(req.argc, 2);
	ck_assert_str_eq(req.argv[0], "show");
	ck_assert_str_eq(req.argv[1], "neighbors");
}
END_TEST

START_TEST(parse_spaces_and_crlf)
{
	ck_assert_int_eq(parse("   show    database   detail  \r\n"), 0);
	ck_assert_int_eq(req.argc, 3);
	ck_assert_str_eq(req.argv[2], "detail");
}
END_TEST

START_TEST(parse_json)
{
	ck_assert_int_eq(parse("--json show bfd\n"), 0);
	ck_assert(req.json);
	ck_assert_int_eq(req.argc, 2);
	ck_assert_str_eq(req.argv[0], "show");
	/* Only a leading --json is the option; later it is a plain word. */
	ck_assert_int_eq(parse("show --json\n"), 0);
	ck_assert(!req.json);
	ck_assert_str_eq(req.argv[1], "--json");
	ck_assert_int_eq(parse("--json --json\n"), 0);
	ck_assert_int_eq(req.argc, 1);
}
END_TEST

START_TEST(parse_utf8)
{
	ck_assert_int_eq(parse("show r\xc3\xa9seau\n"), 0);
	ck_assert_str_eq(req.argv[1], "r\xc3\xa9seau");
	ck_assert_int_eq(parse("show \xc3\n"), -1);	/* truncated */
	ck_assert_str_eq(err, "invalid UTF-8 at offset 5");
	ck_assert_int_eq(parse("show \xc0\xaf\n"), -1);	/* overlong '/' */
	ck_assert_int_eq(parse("show \xed\xa0\x80\n"), -1);	/* surrogate */
	ck_assert_int_eq(parse("show \xf4\x90\x80\x80\n"), -1);	/* > 10FFFF */
	ck_assert_int_eq(parse("show \xff\n"), -1);
	ck_assert_int_eq(parse("show \xc2\x85\n"), -1);	/* C1 NEL */
	ck_assert_str_eq(err, "control character 0x85 at offset 5");
}
END_TEST

START_TEST(parse_control_chars)
{
	ck_assert_int_eq(parse("show\tneighbors\n"), -1);
	ck_assert_str_eq(err, "control character 0x09 at offset 4");
	ck_assert_int_eq(parse("show \x1b[2J\n"), -1);
	ck_assert_int_eq(parse("sh\x7f\n"), -1);
	ck_assert_int_eq(parse("show\rx\n"), -1);
	const char nul[] = "show\0x\n";
	ck_assert_int_eq(ctl_request_parse(nul, sizeof(nul) - 1, &req, err,
					   sizeof(err)), -1);
	ck_assert_str_eq(err, "control character 0x00 at offset 4");
}
END_TEST

START_TEST(parse_empty_and_unterminated)
{
	ck_assert_int_eq(parse("\n"), -1);
	ck_assert_str_eq(err, "empty request");
	ck_assert_int_eq(parse("     \n"), -1);
	ck_assert_int_eq(parse("--json\n"), -1);
	ck_assert_str_eq(err, "empty request");
	ck_assert_int_eq(parse("show neighbors"), -1);
	ck_assert_str_eq(err, "unterminated request");
	ck_assert_int_eq(parse(""), -1);
	ck_assert_str_eq(err, "unterminated request");
	ck_assert_int_eq(parse("show\nneighbors\n"), -1); /* two lines */
}
END_TEST

START_TEST(parse_limits)
{
	char line[2048];
	/* 1023 bytes + '\n' = exactly the limit. */
	memset(line, 'a', 63);
	memset(line + 63, ' ', 1023 - 63);
	line[1023] = '\n';
	ck_assert_int_eq(ctl_request_parse(line, 1024, &req, err, sizeof(err)),
			 0);
	ck_assert_int_eq(req.argc, 1);
	ck_assert_uint_eq(strlen(req.argv[0]), 63);
	memset(line, ' ', 1024);
	line[1024] = '\n';
	ck_assert_int_eq(ctl_request_parse(line, 1025, &req, err, sizeof(err)),
			 -1);
	ck_assert_str_eq(err, "request too long (max 1024 bytes)");
	memset(line, 'a', 64);
	line[64] = '\n';
	ck_assert_int_eq(ctl_request_parse(line, 65, &req, err, sizeof(err)),
			 -1);
	ck_assert_str_eq(err, "word too long (max 63 bytes)");
	ck_assert_int_eq(parse("a b c d e f g h i j k l m n o p\n"), 0);
	ck_assert_int_eq(req.argc, 16);
	ck_assert_int_eq(parse("--json a b c d e f g h i j k l m n o p\n"), 0);
	ck_assert_int_eq(parse("a b c d e f g h i j k l m n o p q\n"), -1);
	ck_assert_str_eq(err, "too many words (max 16)");
}
END_TEST

START_TEST(frame_lines)
{
	ck_assert_int_eq(ctl_request_frame("", 0), 0);
	ck_assert_int_eq(ctl_request_frame("show", 4), 0);
	ck_assert_int_eq(ctl_request_frame("show\nrel", 8), 5);
	char big[1500];
	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(ctl_request_frame(big, 1023), 0);
	ck_assert_int_eq(ctl_request_frame(big, 1024), -1);
	big[1023] = '\n';
	ck_assert_int_eq(ctl_request_frame(big, 1500), 1024);
	big[1023] = 'x';
	big[1024] = '\n';	/* newline one byte too late */
	ck_assert_int_eq(ctl_request_frame(big, 1500), -1);
}
END_TEST

START_TEST(build_request)
{
	char line[CTL_REQ_MAX + 1];
	const char *words[] = { "show", "neighbors" };
	ck_assert_int_eq(ctl_request_build(true, 2, words, line, &req, err,
					   sizeof(err)), 22);
	ck_assert_str_eq(line, "--json show neighbors\n");
	ck_assert(req.json);
	const char *bad[] = { "show", "a\tb" };
	ck_assert_int_eq(ctl_request_build(false, 2, bad, line, &req, err,
					   sizeof(err)), -1);
	ck_assert_int_eq(ctl_request_build(false, 0, words, line, &req, err,
					   sizeof(err)), -1);
	ck_assert_str_eq(err, "empty request");
	char longw[1100];
	memset(longw, 'z', sizeof(longw) - 1);
	longw[sizeof(longw) - 1] = '\0';
	const char *lw[] = { longw };
	ck_assert_int_eq(ctl_request_build(false, 1, lw, line, &req, err,
					   sizeof(err)), -1);
	ck_assert_str_eq(err, "request too long (max 1024 bytes)");
}
END_TEST

START_TEST(reply_header_roundtrip)
{
	char hdr[CTL_REPLY_HDR_MAX];
	bool ok;
	size_t len;
	size_t n = ctl_reply_header(hdr, true, 1234);
	ck_assert_uint_eq(n, 8);
	ck_assert(!memcmp(hdr, "ok 1234\n", 8));
	ck_assert_int_eq(ctl_reply_parse_header(hdr, n, &ok, &len, err,
						sizeof(err)), 0);
	ck_assert(ok);
	ck_assert_uint_eq(len, 1234);
	n = ctl_reply_header(hdr, false, 0);
	ck_assert(!memcmp(hdr, "error 0\n", n));
	ck_assert_int_eq(ctl_reply_parse_header(hdr, n, &ok, &len, err,
						sizeof(err)), 0);
	ck_assert(!ok);
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(reply_header_bad)
{
	static const char *const bad[] = {
		"ok\n", "ok \n", "ok 12", "OK 1\n", "ok -1\n", "ok +1\n",
		"ok 01\n", "ok 1 \n", "ok  1\n", "fine 3\n", "ok 12a\n",
		"ok 67108865\n", "ok 99999999999\n",
	};
	bool ok;
	size_t len;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(ctl_reply_parse_header(bad[i], strlen(bad[i]),
						     &ok, &len, err,
						     sizeof(err)) == -1,
			      "accepted '%s'", bad[i]);
	ck_assert_int_eq(ctl_reply_parse_header("ok 67108864\n", 12, &ok, &len,
						err, sizeof(err)), 0);
}
END_TEST

/* Feeding a reply one byte at a time gives the same result as all at once,
 * and bytes after the reply are left unconsumed. */
START_TEST(reply_reader_partial)
{
	const char wire[] = "ok 11\nhello\nworldNEXT";
	for (size_t chunk = 1; chunk <= sizeof(wire); chunk++) {
		struct ctl_reply_reader r;
		size_t off = 0, used = 0;
		int rc = 0;
		ctl_reply_reader_init(&r);
		while (rc == 0 && off < sizeof(wire) - 1) {
			size_t n = sizeof(wire) - 1 - off;
			n = n < chunk ? n : chunk;
			rc = ctl_reply_feed(&r, wire + off, n, &used, err,
					    sizeof(err));
			off += used;
		}
		ck_assert_int_eq(rc, 1);
		ck_assert(r.ok);
		ck_assert_uint_eq(r.body.len, 11);
		ck_assert_str_eq(r.body.data, "hello\nworld");
		ck_assert_str_eq(wire + off, "NEXT");
		ctl_reply_reader_free(&r);
	}
}
END_TEST

START_TEST(reply_reader_empty_and_error)
{
	struct ctl_reply_reader r;
	size_t used;
	ctl_reply_reader_init(&r);
	ck_assert_int_eq(ctl_reply_feed(&r, "error 0\n", 8, &used, err,
					sizeof(err)), 1);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.body.data, "");
	ctl_reply_reader_free(&r);
	ctl_reply_reader_init(&r);
	ck_assert_int_eq(ctl_reply_feed(&r, "HTTP/1.1 200 OK\r\n", 17, &used,
					err, sizeof(err)), -1);
	ctl_reply_reader_free(&r);
	ctl_reply_reader_init(&r);
	/* Header that never ends. */
	ck_assert_int_eq(ctl_reply_feed(&r, "ok 1111111111111111111111111", 28,
					&used, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "reply header: too long");
	ctl_reply_reader_free(&r);
	ctl_reply_reader_init(&r);
	ck_assert_int_eq(ctl_reply_feed(&r, "ok 5\nab", 7, &used, err,
					sizeof(err)), 0);
	ck_assert_uint_eq(used, 7);
	ctl_reply_reader_free(&r);
}
END_TEST

START_TEST(buf_printf_append)
{
	struct ctl_buf b;
	ctl_buf_init(&b);
	ck_assert_str_eq(ctl_buf_str(&b), "");
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(ctl_buf_printf(&b, "%04d,", i), 0);
	ck_assert_uint_eq(b.len, 5000);
	ck_assert(!memcmp(b.data + 4995, "0999,", 5));
	ck_assert_int_eq(b.data[b.len], '\0');
	ctl_buf_consume(&b, 4995);
	ck_assert_str_eq(b.data, "0999,");
	ck_assert_int_eq(ctl_buf_append(&b, "x", CTL_BUF_MAX), -1);
	ck_assert_str_eq(b.data, "0999,");	/* unchanged on failure */
	ctl_buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ctl_buf_free(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ctl_proto");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, parse_simple);
	tcase_add_test(tc, parse_spaces_and_crlf);
	tcase_add_test(tc, parse_json);
	tcase_add_test(tc, parse_utf8);
	tcase_add_test(tc, parse_control_chars);
	tcase_add_test(tc, parse_empty_and_unterminated);
	tcase_add_test(tc, parse_limits);
	tcase_add_test(tc, frame_lines);
	tcase_add_test(tc, build_request);
	tcase_add_test(tc, reply_header_roundtrip);
	tcase_add_test(tc, reply_header_bad);
	tcase_add_test(tc, reply_reader_partial);
	tcase_add_test(tc, reply_reader_empty_and_error);
	tcase_add_test(tc, buf_printf_append);
	suite_add_tcase(s, tc);
	return check_run(s);
}
