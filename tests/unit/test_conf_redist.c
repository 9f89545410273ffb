/* ospf.redistribute: loading, defaults, prefix-list matching, every error
 * with its line, show running-config round trip and the reload diff. */
#include <check.h>
#include "tests/unit/check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/config.h"

#define RID "router-id = \"10.0.0.1\";\n"
#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
/* Line 3 holds the entry, line 4 its prefixes. */
#define REDIST(entry, prefixes) \
	RID "ospf = {\n redistribute = ( {\n " entry "\n " prefixes " } );\n};\n"

static void load_ok(const char *text, struct conf *c)
{
	char err[CONF_ERRLEN] = "";
	int r = conf_load_string("test.conf", text, c, err, sizeof(err));
	ck_assert_msg(r == 0, "unexpected error: %s\n%s", err, text);
}

START_TEST(defaults_and_values)
{
	struct conf c;
	load_ok(RID, &c);
	ck_assert_uint_eq(c.n_redist, 0);
	conf_free(&c);

	load_ok(RID "ospf = { redistribute = (\n"
		    "  { from = \"connected\"; },\n"
		    "  { from = \"static\"; metric = 0; metric-type = 1;\n"
		    "    prefixes = ( \"10.0.0.0/8 ge 16 le 24\", \"0.0.0.0/0\" ); },\n"
		    "  { from = \"kernel\"; metric = 16777214; prefixes = [ \"192.168.0.0/16 le 24\" ]; }\n"
		    "); };\n",
		&c);
	ck_assert_uint_eq(c.n_redist, 3);
	ck_assert_int_eq(c.redist[0].from, CONF_REDIST_CONNECTED);
	ck_assert_uint_eq(c.redist[0].metric, 20);
	ck_assert_uint_eq(c.redist[0].metric_type, 2);
	ck_assert_uint_eq(c.redist[0].n_prefixes, 0);
	ck_assert_int_eq(c.redist[0].line, 3);
	ck_assert_int_eq(c.redist[1].from, CONF_REDIST_STATIC);
	ck_assert_uint_eq(c.redist[1].metric, 0);
	ck_assert_uint_eq(c.redist[1].metric_type, 1);
	ck_assert_uint_eq(c.redist[1].n_prefixes, 2);
	ck_assert_uint_eq(c.redist[1].prefixes[0].prefix, IP(10, 0, 0, 0));
	ck_assert_uint_eq(c.redist[1].prefixes[0].ge, 16);
	ck_assert_uint_eq(c.redist[1].prefixes[0].le, 24);
	ck_assert_int_eq(c.redist[2].from, CONF_REDIST_KERNEL);
	ck_assert_uint_eq(c.redist[2].metric, 16777214);
	ck_assert_str_eq(conf_redist_from_name(CONF_REDIST_KERNEL), "kernel");
	conf_free(&c);
}
END_TEST

struct match_case {
	const char *rule;
	uint32_t prefix;
	uint8_t plen;
	bool match;
};

static const struct match_case matches[] = {
	/* P/L: exactly that prefix */
	{ "192.168.1.0/24", IP(192, 168, 1, 0), 24, true },
	{ "192.168.1.0/24", IP(192, 168, 1, 0), 25, false },
	{ "192.168.1.0/24", IP(192, 168, 0, 0), 16, false },
	/* le: the prefix and its subnets down to /le */
	{ "192.168.0.0/16 le 24", IP(192, 168, 0, 0), 16, true },
	{ "192.168.0.0/16 le 24", IP(192, 168, 7, 0), 24, true },
	{ "192.168.0.0/16 le 24", IP(192, 168, 7, 128), 25, false },
	{ "192.168.0.0/16 le 24", IP(192, 169, 7, 0), 24, false },
	/* ge: from /ge to /32 */
	{ "10.0.0.0/8 ge 24", IP(10, 1, 2, 0), 24, true },
	{ "10.0.0.0/8 ge 24", IP(10, 1, 2, 3), 32, true },
	{ "10.0.0.0/8 ge 24", IP(10, 1, 0, 0), 16, false },
	{ "10.0.0.0/8 ge 24", IP(10, 0, 0, 0), 8, false },
	/* ge and le */
	{ "10.0.0.0/8 ge 16 le 24", IP(10, 1, 0, 0), 16, true },
	{ "10.0.0.0/8 ge 16 le 24", IP(10, 1, 1, 0), 24, true },
	{ "10.0.0.0/8 ge 16 le 24", IP(10, 1, 1, 0), 25, false },
	{ "10.0.0.0/8 ge 16 le 24", IP(10, 0, 0, 0), 8, false },
	/* everything */
	{ "0.0.0.0/0 le 32", IP(203, 0, 113, 9), 32, true },
	{ "0.0.0.0/0", IP(0, 0, 0, 0), 0, true },
	{ "0.0.0.0/0", IP(10, 0, 0, 0), 8, false },
};

START_TEST(prefix_match)
{
	const struct match_case *m = &matches[_i];
	char text[256];
	struct conf c;
	snprintf(text, sizeof(text),
		 RID "ospf = { redistribute = ( { from = \"connected\"; prefixes = ( \"%s\" ); } ); };\n",
		 m->rule);
	load_ok(text, &c);
	ck_assert_msg(conf_redist_match(&c.redist[0], m->prefix, m->plen) == m->match,
		      "%s vs %08x/%u", m->rule, m->prefix, m->plen);
	conf_free(&c);
}
END_TEST

START_TEST(no_list_admits_all)
{
	struct conf c;
	load_ok(RID "ospf = { redistribute = ( { from = \"static\"; } ); };\n", &c);
	ck_assert(conf_redist_match(&c.redist[0], IP(1, 2, 3, 4), 32));
	conf_free(&c);
	/* Several rules: any one admits. */
	load_ok(RID "ospf = { redistribute = ( { from = \"static\";\n"
		    "  prefixes = ( \"10.0.0.0/8\", \"172.16.0.0/12 le 16\" ); } ); };\n",
		&c);
	ck_assert(conf_redist_match(&c.redist[0], IP(10, 0, 0, 0), 8));
	ck_assert(conf_redist_match(&c.redist[0], IP(172, 17, 0, 0), 16));
	ck_assert(!conf_redist_match(&c.redist[0], IP(172, 17, 1, 0), 24));
	conf_free(&c);
}
END_TEST

struct bad {
	const char *text;
	const char *err;
};

static const struct bad bad_configs[] = {
	{ REDIST("from = \"bgp\";", ""),
	  "bad.conf:4: from: 'bgp' is not one of connected, static, kernel" },
	{ REDIST("metric = 5;", ""), "bad.conf:3: redistribute entry has no 'from'" },
	{ REDIST("from = \"connected\"; metric = 16777215;", ""),
	  "bad.conf:4: metric 16777215 out of range 0..16777214" },
	{ REDIST("from = \"connected\"; metric-type = 3;", ""),
	  "bad.conf:4: metric-type 3 out of range 1..2" },
	{ REDIST("from = \"connected\"; tag = 3;", ""),
	  "bad.conf:4: unknown setting 'tag' in ospf.redistribute" },
	{ RID "ospf = {\n redistribute = ( \"connected\" );\n};\n",
	  "bad.conf:3: redistribute entry must be a group { from = ...; }" },
	{ RID "ospf = {\n redistribute = { from = \"connected\"; };\n};\n",
	  "bad.conf:3: 'redistribute' must be a list ( ... )" },
	{ RID "ospf = { redistribute = (\n { from = \"static\"; },\n { from = \"static\"; } ); };\n",
	  "bad.conf:4: redistribute from 'static' given twice (first at line 3)" },
	{ REDIST("from = \"connected\";", "prefixes = \"10.0.0.0/8\";"),
	  "bad.conf:5: 'prefixes' must be a list ( \"P/L [ge N] [le M]\", ... )" },
	{ REDIST("from = \"connected\";", "prefixes = ( );"),
	  "bad.conf:5: 'prefixes' is empty (leave it out to admit every prefix)" },
	{ REDIST("from = \"connected\";", "prefixes = ( 10 );"),
	  "bad.conf:5: prefixes: entry 1 must be a string" },
	{ REDIST("from = \"connected\";", "prefixes = ( \"10.0.0.0\" );"),
	  "bad.conf:5: prefixes: '10.0.0.0' is not 'P/L', 'P/L le N', 'P/L ge N' or 'P/L ge N le M'" },
	{ REDIST("from = \"connected\";", "prefixes = ( \"10.0.0.0/8 le\" );"),
	  "bad.conf:5: prefixes: '10.0.0.0/8 le' is not 'P/L', 'P/L le N', 'P/L ge N' or 'P/L ge N le M'" },
	{ REDIST("from = \"connected\";", "prefixes = ( \"10.0.0.0/8 le 24 ge 16\" );"),
	  "bad.conf:5: prefixes: '10.0.0.0/8 le 24 ge 16' is not 'P/L', 'P/L le N', 'P/L ge N' or 'P/L ge N le M'" },
	{ REDIST("from = \"connected\";", "prefixes = ( \"10.0.0.0/8 eq 24\" );"),
	  "bad.conf:5: prefixes: '10.0.0.0/8 eq 24' is not 'P/L', 'P/L le N', 'P/L ge N' or 'P/L ge N le M'" },
	{ REDIST("from = \"connected\";", "prefixes = ( \"10.0.0.0/33\" );"),
	  "bad.conf:5: prefixes: '10.0.0.0/33' is not 'P/L', 'P/L le N', 'P/L ge N' or 'P/L ge N le M'" },
	{ REDIST("from = \"connected\";", "prefixes = ( \"10.0.0.256/24\" );"),
	  "bad.conf:5: prefixes: '10.0.0.256/24' is not 'P/L', 'P/L le N', 'P/L ge N' or 'P/L ge N le M'" },
	{ REDIST("from = \"connected\";", "prefixes = ( \"10.0.0.0/8 le 33\" );"),
	  "bad.conf:5: prefixes: '10.0.0.0/8 le 33': le '33' must be 0..32" },
	{ REDIST("from = \"connected\";", "prefixes = ( \"10.1.0.0/8\" );"),
	  "bad.conf:5: prefixes: '10.1.0.0/8': host bits set (the network is 10.0.0.0/8)" },
	{ REDIST("from = \"connected\";", "prefixes = ( \"10.0.0.0/16 le 8\" );"),
	  "bad.conf:5: prefixes: '10.0.0.0/16 le 8': le 8 is shorter than the prefix /16" },
	{ REDIST("from = \"connected\";", "prefixes = ( \"10.0.0.0/16 ge 12\" );"),
	  "bad.conf:5: prefixes: '10.0.0.0/16 ge 12': ge 12 is shorter than the prefix /16" },
	{ REDIST("from = \"connected\";", "prefixes = ( \"10.0.0.0/8 ge 24 le 16\" );"),
	  "bad.conf:5: prefixes: '10.0.0.0/8 ge 24 le 16': ge 24 is greater than le 16" },
	/* The second rule is the bad one: its own line. */
	{ RID "ospf = { redistribute = ( { from = \"connected\"; prefixes = (\n"
	      "  \"10.0.0.0/8\",\n  \"10.0.0.0/8 ge x\" ); } ); };\n",
	  "bad.conf:4: prefixes: '10.0.0.0/8 ge x': ge 'x' must be 0..32" },
};

START_TEST(bad)
{
	const struct bad *b = &bad_configs[_i];
	struct conf c;
	char err[CONF_ERRLEN] = "";
	memset(&c, 0x5a, sizeof(c));
	ck_assert_msg(conf_load_string("bad.conf", b->text, &c, err, sizeof(err)) == -1,
		      "config %d was accepted:\n%s", _i, b->text);
	ck_assert_msg(strcmp(err, b->err) == 0, "config %d:\n%s\nwant: %s\ngot:  %s", _i, b->text,
		      b->err, err);
	ck_assert_ptr_null(c.redist);
	ck_assert_uint_eq(c.n_redist, 0);
}
END_TEST

static char *written(const struct conf *c)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(f);
	conf_write(c, f);
	ck_assert_int_eq(fclose(f), 0);
	return out;
}

START_TEST(round_trip)
{
	struct conf a, b;
	char err[CONF_ERRLEN];
	load_ok(RID "ospf = { redistribute = (\n"
		    "  { from = \"kernel\"; metric-type = 1; },\n"
		    "  { from = \"connected\"; metric = 7;\n"
		    "    prefixes = ( \"192.168.0.0/16 le 24\", \"10.0.0.0/8 ge 16 le 24\",\n"
		    "                 \"172.16.0.0/12 ge 20\", \"203.0.113.0/24\" ); } ); };\n",
		&a);
	char *out = written(&a);
	ck_assert_ptr_nonnull(strstr(out, "  redistribute = (\n    { from = \"kernel\"; metric = 20; "
					  "metric-type = 1; },\n    { from = \"connected\"; metric = 7; "
					  "metric-type = 2; prefixes = ( \"192.168.0.0/16 le 24\", "
					  "\"10.0.0.0/8 ge 16 le 24\", \"172.16.0.0/12 ge 20\", "
					  "\"203.0.113.0/24\" ); }\n  );\n"));
	ck_assert_msg(conf_load_string("w.conf", out, &b, err, sizeof(err)) == 0, "%s\n%s", err, out);
	char *out2 = written(&b);
	ck_assert_str_eq(out, out2);
	struct conf_diff d;
	conf_diff(&a, &b, &d);
	ck_assert(!d.redistribute);
	conf_diff_free(&d);
	free(out);
	free(out2);
	conf_free(&a);
	conf_free(&b);

	/* None given: nothing written. */
	load_ok(RID, &a);
	out = written(&a);
	ck_assert_ptr_null(strstr(out, "redistribute"));
	free(out);
	conf_free(&a);
}
END_TEST

static const char *const diff_variants[] = {
	RID "ospf = { redistribute = ( { from = \"connected\"; metric = 21; } ); };\n",
	RID "ospf = { redistribute = ( { from = \"connected\"; metric-type = 1; } ); };\n",
	RID "ospf = { redistribute = ( { from = \"static\"; } ); };\n",
	RID "ospf = { redistribute = ( { from = \"connected\"; prefixes = ( \"10.0.0.0/8\" ); } ); };\n",
	RID "ospf = { redistribute = ( { from = \"connected\"; },\n { from = \"static\"; } ); };\n",
	RID,
};

START_TEST(diff)
{
	struct conf a, b;
	struct conf_diff d;
	load_ok(RID "ospf = { redistribute = ( { from = \"connected\"; } ); };\n", &a);
	load_ok(diff_variants[_i], &b);
	conf_diff(&a, &b, &d);
	ck_assert(d.redistribute);
	ck_assert(!d.router_id && !d.area && !d.spf && !d.max_metric);
	conf_diff_free(&d);
	conf_diff(&b, &b, &d);
	ck_assert(!d.redistribute);
	conf_diff_free(&d);
	conf_free(&a);
	conf_free(&b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("conf_redist");
	TCase *tc = tcase_create("redistribute");
	tcase_add_test(tc, defaults_and_values);
	tcase_add_loop_test(tc, prefix_match, 0, (int)(sizeof(matches) / sizeof(matches[0])));
	tcase_add_test(tc, no_list_admits_all);
	tcase_add_loop_test(tc, bad, 0, (int)(sizeof(bad_configs) / sizeof(bad_configs[0])));
	tcase_add_test(tc, round_trip);
	tcase_add_loop_test(tc, diff, 0, (int)(sizeof(diff_variants) / sizeof(diff_variants[0])));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite());
}
