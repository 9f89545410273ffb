/* OSPF authentication settings: the HMAC-SHA algorithms (RFC 5709) and key
 * lifetimes (send-from, send-until, accept-from, accept-until: ISO 8601 UTC),
 * their errors with file:line, running-config and reload diff. */
#include <check.h>
#include "tests/unit/check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf/config.h"

#define RID "router-id = \"10.0.0.1\";\n"
#define KEYS(auth, keys)                                                     \
	RID "ospf = { interfaces = (\n"                                      \
	    "  { name = \"swp1\"; auth = \"" auth "\";\n keys = ( " keys " ); }\n" \
	    "); };\n"

static void load_ok(const char *text, struct conf *c)
{
	char err[CONF_ERRLEN] = "";
	int r = conf_load_string("ok.conf", text, c, err, sizeof err);
	ck_assert_msg(r == 0, "%s\n%s", err, text);
}

START_TEST(hmac_algorithms_and_lifetimes)
{
	static const char *const names[] = { "hmac-sha1", "hmac-sha256", "hmac-sha384",
					     "hmac-sha512" };
	static const enum conf_auth want[] = { CONF_AUTH_HMAC_SHA1, CONF_AUTH_HMAC_SHA256,
					       CONF_AUTH_HMAC_SHA384, CONF_AUTH_HMAC_SHA512 };
	char secret[CONF_SECRET_MAX + 1];
	memset(secret, 'k', CONF_SECRET_MAX);
	secret[CONF_SECRET_MAX] = 0;
	for (size_t i = 0; i < 4; i++) {
		char text[2048];
		snprintf(text, sizeof text,
			 RID "ospf = { interfaces = ( { name = \"swp1\"; auth = \"%s\"; keys = (\n"
			     " { id = 1; secret = \"%s\"; send-until = \"2026-12-01T00:00:10Z\";\n"
			     "   accept-until = \"2026-12-01T00:01:00Z\"; },\n"
			     " { id = 2; secret = \"two\"; send-from = \"2026-12-01T00:00:00Z\";\n"
			     "   accept-from = \"2026-11-30T23:59:00Z\"; } ); } ); };\n",
			 names[i], secret);
		struct conf c;
		load_ok(text, &c);
		const struct conf_iface *ifc = conf_iface_find(&c, "swp1");
		ck_assert_ptr_nonnull(ifc);
		ck_assert_int_eq(ifc->auth, want[i]);
		ck_assert_str_eq(conf_auth_names[ifc->auth], names[i]);
		ck_assert_uint_eq(ifc->n_keys, 2);
		ck_assert_str_eq(ifc->keys[0].secret, secret);
		ck_assert_int_eq(ifc->keys[0].send_from, 0);
		ck_assert_int_eq(ifc->keys[0].send_until, 1796083210);
		ck_assert_int_eq(ifc->keys[0].accept_from, 0);
		ck_assert_int_eq(ifc->keys[0].accept_until, 1796083260);
		ck_assert_int_eq(ifc->keys[1].send_from, 1796083200);
		ck_assert_int_eq(ifc->keys[1].send_until, 0);
		ck_assert_int_eq(ifc->keys[1].accept_from, 1796083140);
		conf_free(&c);
	}
	char t[32];
	conf_format_time(1796083200, t);
	ck_assert_str_eq(t, "2026-12-01T00:00:00Z");
}
END_TEST

struct bad {
	const char *text;
	const char *err;
};

static const struct bad bad_configs[] = {
	{ KEYS("hmac-sha3", "{ id = 1; secret = \"x\"; }"),
	  "bad.conf:3: auth: 'hmac-sha3' is not one of none, simple, md5, hmac-sha1, "
	  "hmac-sha256, hmac-sha384, hmac-sha512" },
	{ KEYS("hmac-sha256", "{ id = 1; secret = \"\"; }"),
	  "bad.conf:4: hmac-sha256 secret must be 1..128 characters (got 0)" },
	{ KEYS("hmac-sha512",
	       "{ id = 1; secret = \"0123456789012345678901234567890123456789012345678901234567890123"
	       "456789012345678901234567890123456789012345678901234567890123456789\"; }"),
	  "bad.conf:4: hmac-sha512 secret must be 1..128 characters (got 130)" },
	{ KEYS("hmac-sha1", "{ id = 1; secret = \"x\";\n send-from = \"2026-12-01\"; }"),
	  "bad.conf:5: send-from '2026-12-01' is not an ISO 8601 UTC time like "
	  "\"2026-12-01T00:00:00Z\"" },
	{ KEYS("hmac-sha1", "{ id = 1; secret = \"x\"; send-until = \"2026-02-30T00:00:00Z\"; }"),
	  "bad.conf:4: send-until '2026-02-30T00:00:00Z' is not an ISO 8601 UTC time like "
	  "\"2026-12-01T00:00:00Z\"" },
	{ KEYS("hmac-sha1", "{ id = 1; secret = \"x\"; accept-from = \"2026-12-01T00:00:00+01:00\"; }"),
	  "bad.conf:4: accept-from '2026-12-01T00:00:00+01:00' is not an ISO 8601 UTC time like "
	  "\"2026-12-01T00:00:00Z\"" },
	{ KEYS("hmac-sha1", "{ id = 1; secret = \"x\"; accept-until = \"2026-12-01T24:00:00Z\"; }"),
	  "bad.conf:4: accept-until '2026-12-01T24:00:00Z' is not an ISO 8601 UTC time like "
	  "\"2026-12-01T00:00:00Z\"" },
	{ KEYS("hmac-sha1", "{ id = 1; secret = \"x\"; send-from = 5; }"),
	  "bad.conf:4: 'send-from' must be a string" },
	{ KEYS("md5", "{ id = 1; secret = \"x\"; send-from = \"2026-12-01T00:00:00Z\";\n"
		      " send-until = \"2026-12-01T00:00:00Z\"; }"),
	  "bad.conf:5: send-until must be after send-from" },
	{ KEYS("simple", "{ id = 1; secret = \"x\"; accept-from = \"2026-12-02T00:00:00Z\";\n"
			 " accept-until = \"2026-12-01T00:00:00Z\"; }"),
	  "bad.conf:5: accept-until must be after accept-from" },
	{ KEYS("hmac-sha1", "{ id = 1; secret = \"x\"; send-from = \"1970-01-01T00:00:00Z\"; }"),
	  "bad.conf:4: send-from '1970-01-01T00:00:00Z' is not an ISO 8601 UTC time like "
	  "\"2026-12-01T00:00:00Z\"" },
	/* RFC 5709 3.2: the next key starts sending before the last stops. */
	{ KEYS("hmac-sha256", "{ id = 1; secret = \"x\"; send-until = \"2026-12-01T00:00:00Z\"; },\n"
			      " { id = 2; secret = \"y\"; send-from = \"2026-12-01T00:00:01Z\"; }"),
	  "bad.conf:4: no key sends from 2026-12-01T00:00:00Z (key 1's send-until) to "
	  "2026-12-01T00:00:01Z (key 2's send-from)" },
	/* BFD keys have no lifetimes. */
	{ RID "bfd = {\n auth = \"keyed-sha1\";\n keys = ( { id = 1; secret = \"x\";"
	      " send-from = \"2026-12-01T00:00:00Z\"; } ); };\n",
	  "bad.conf:4: unknown setting 'send-from' in key of bfd" },
};

/* Back to back, overlapping, or the last key expiring: no gap. */
START_TEST(send_windows_without_gaps)
{
	static const char *const ok[] = {
		KEYS("hmac-sha256", "{ id = 1; secret = \"x\"; send-until = \"2026-12-01T00:00:00Z\"; },\n"
				    " { id = 2; secret = \"y\"; send-from = \"2026-12-01T00:00:00Z\"; }"),
		KEYS("hmac-sha256", "{ id = 1; secret = \"x\"; send-until = \"2026-12-01T00:01:00Z\"; },\n"
				    " { id = 2; secret = \"y\"; send-from = \"2026-12-01T00:00:00Z\";"
				    " send-until = \"2026-12-02T00:00:00Z\"; }"),
		KEYS("md5", "{ id = 1; secret = \"x\"; send-until = \"2026-12-01T00:00:00Z\"; }"),
		KEYS("md5", "{ id = 1; secret = \"x\"; send-until = \"2026-12-01T00:00:00Z\"; },\n"
			    " { id = 2; secret = \"y\"; send-until = \"2026-12-03T00:00:00Z\"; }"),
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct conf c;
		load_ok(ok[i], &c);
		conf_free(&c);
	}
}
END_TEST

START_TEST(bad_config)
{
	const struct bad *b = &bad_configs[_i];
	struct conf c;
	char err[CONF_ERRLEN] = "";
	int r = conf_load_string("bad.conf", b->text, &c, err, sizeof err);
	ck_assert_msg(r == -1, "config %d was accepted:\n%s", _i, b->text);
	ck_assert_msg(strcmp(err, b->err) == 0, "config %d:\n%s\nwant: %s\ngot:  %s", _i, b->text,
		      b->err, err);
	conf_free(&c);
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

static const char rollover_conf[] =
	KEYS("hmac-sha384", "{ id = 1; secret = \"one\"; send-until = \"2026-12-01T00:00:30Z\"; },\n"
			    " { id = 2; secret = \"two\"; send-from = \"2026-12-01T00:00:00Z\";"
			    " accept-from = \"2026-11-30T00:00:00Z\";"
			    " accept-until = \"2027-01-01T00:00:00Z\"; }");

/* running-config writes the algorithm and the lifetimes that were given,
 * and loads back to the same keys. */
START_TEST(running_config_round_trip)
{
	struct conf a, b;
	load_ok(rollover_conf, &a);
	char *out = written(&a);
	ck_assert_ptr_nonnull(strstr(out, "auth = \"hmac-sha384\";"));
	ck_assert_ptr_nonnull(strstr(out, "send-until = \"2026-12-01T00:00:30Z\""));
	ck_assert_ptr_nonnull(strstr(out, "send-from = \"2026-12-01T00:00:00Z\""));
	ck_assert_ptr_nonnull(strstr(out, "accept-from = \"2026-11-30T00:00:00Z\""));
	ck_assert_ptr_nonnull(strstr(out, "accept-until = \"2027-01-01T00:00:00Z\""));
	ck_assert_ptr_null(strstr(out, "accept-until = \"1970"));
	load_ok(out, &b);
	const struct conf_iface *x = conf_iface_find(&a, "swp1"), *y = conf_iface_find(&b, "swp1");
	ck_assert_int_eq(x->auth, y->auth);
	ck_assert_uint_eq(x->n_keys, y->n_keys);
	for (size_t k = 0; k < x->n_keys; k++) {
		ck_assert_uint_eq(x->keys[k].id, y->keys[k].id);
		ck_assert_str_eq(x->keys[k].secret, y->keys[k].secret);
		ck_assert_int_eq(x->keys[k].send_from, y->keys[k].send_from);
		ck_assert_int_eq(x->keys[k].send_until, y->keys[k].send_until);
		ck_assert_int_eq(x->keys[k].accept_from, y->keys[k].accept_from);
		ck_assert_int_eq(x->keys[k].accept_until, y->keys[k].accept_until);
	}
	struct conf_diff d;
	conf_diff(&a, &b, &d);
	ck_assert_uint_eq(d.n_added + d.n_removed + d.n_changed, 0);
	conf_diff_free(&d);
	free(out);
	conf_free(&a);
	conf_free(&b);
}
END_TEST

/* A reload that only moves a key's lifetime, or changes the algorithm,
 * changes the interface. */
START_TEST(reload_diff)
{
	static const char *const variants[] = {
		KEYS("hmac-sha384", "{ id = 1; secret = \"one\"; send-until = \"2026-12-01T00:00:31Z\"; },\n"
				    " { id = 2; secret = \"two\"; send-from = \"2026-12-01T00:00:00Z\";"
				    " accept-from = \"2026-11-30T00:00:00Z\";"
				    " accept-until = \"2027-01-01T00:00:00Z\"; }"),
		KEYS("hmac-sha512", "{ id = 1; secret = \"one\"; send-until = \"2026-12-01T00:00:30Z\"; },\n"
				    " { id = 2; secret = \"two\"; send-from = \"2026-12-01T00:00:00Z\";"
				    " accept-from = \"2026-11-30T00:00:00Z\";"
				    " accept-until = \"2027-01-01T00:00:00Z\"; }"),
		KEYS("hmac-sha384", "{ id = 1; secret = \"one\"; send-until = \"2026-12-01T00:00:30Z\"; },\n"
				    " { id = 2; secret = \"two\"; send-from = \"2026-12-01T00:00:00Z\";"
				    " accept-from = \"2026-11-30T00:00:00Z\"; }"),
	};
	struct conf a;
	load_ok(rollover_conf, &a);
	for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
		struct conf b;
		load_ok(variants[i], &b);
		struct conf_diff d;
		conf_diff(&a, &b, &d);
		ck_assert_msg(d.n_changed == 1 && strcmp(d.changed[0], "swp1") == 0, "variant %zu", i);
		conf_diff_free(&d);
		conf_free(&b);
	}
	conf_free(&a);
}
END_TEST

static Suite *conf_keys_suite(void)
{
	Suite *s = suite_create("conf_keys");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, hmac_algorithms_and_lifetimes);
	tcase_add_test(tc, send_windows_without_gaps);
	tcase_add_loop_test(tc, bad_config, 0, sizeof bad_configs / sizeof bad_configs[0]);
	tcase_add_test(tc, running_config_round_trip);
	tcase_add_test(tc, reload_diff);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(conf_keys_suite());
}
