/* ospf.redistribute's policy (fabricd/redist_select.c): which kernel routes
 * become which AS-external routes. */
#include <check.h>
#include "tests/unit/check_main.h"
#include <linux/rtnetlink.h>
#include <stdlib.h>

#include "fabricd/redist.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static struct conf conf;

static void load(const char *text)
{
	char err[CONF_ERRLEN];
	conf_free(&conf);
	ck_assert_msg(conf_load_string("t.conf", text, &conf, err, sizeof(err)) == 0, "%s", err);
}

static void teardown(void)
{
	conf_free(&conf);
}

static struct fib_rt_info rt(uint32_t prefix, uint8_t plen, uint8_t proto, uint8_t scope)
{
	return (struct fib_rt_info){ .prefix = prefix, .plen = plen, .protocol = proto,
				     .scope = scope, .ifindex = 3 };
}

START_TEST(sources)
{
	struct fib_rt_info r = rt(IP(192, 168, 1, 0), 24, RTPROT_KERNEL, RT_SCOPE_LINK);
	ck_assert_int_eq(redist_source(&r), CONF_REDIST_CONNECTED);
	r.scope = RT_SCOPE_UNIVERSE; /* a gateway route the kernel put there */
	ck_assert_int_eq(redist_source(&r), CONF_REDIST_KERNEL);
	r.protocol = RTPROT_STATIC;
	ck_assert_int_eq(redist_source(&r), CONF_REDIST_STATIC);
	r.protocol = RTPROT_BOOT; /* `ip route add` */
	ck_assert_int_eq(redist_source(&r), CONF_REDIST_KERNEL);
	r.protocol = RTPROT_DHCP;
	ck_assert_int_eq(redist_source(&r), CONF_REDIST_KERNEL);
	r.protocol = 188; /* ours */
	ck_assert_int_eq(redist_source(&r), -1);
}
END_TEST

START_TEST(policy)
{
	struct ospf_ext_route x;
	load("router-id = \"10.0.0.1\";\n"
	     "ospf = { redistribute = (\n"
	     "  { from = \"connected\"; prefixes = ( \"192.168.0.0/16 le 24\" ); },\n"
	     "  { from = \"static\"; metric = 30; metric-type = 1; } ); };\n");
	struct fib_rt_info r = rt(IP(192, 168, 1, 0), 24, RTPROT_KERNEL, RT_SCOPE_LINK);
	ck_assert(redist_select(&conf, &r, &x));
	ck_assert_uint_eq(x.prefix, IP(192, 168, 1, 0));
	ck_assert_uint_eq(x.plen, 24);
	ck_assert(x.e2);
	ck_assert_uint_eq(x.metric, 20);
	ck_assert_uint_eq(x.fwd_addr, 0);
	/* refused by the prefix list */
	r = rt(IP(10, 1, 1, 0), 24, RTPROT_KERNEL, RT_SCOPE_LINK);
	ck_assert(!redist_select(&conf, &r, &x));
	r = rt(IP(192, 168, 1, 0), 25, RTPROT_KERNEL, RT_SCOPE_LINK);
	ck_assert(!redist_select(&conf, &r, &x));
	/* a link that is down */
	r = rt(IP(192, 168, 1, 0), 24, RTPROT_KERNEL, RT_SCOPE_LINK);
	r.linkdown = true;
	ck_assert(!redist_select(&conf, &r, &x));
	/* static: E1 30, any prefix but the default */
	r = rt(IP(10, 9, 0, 0), 16, RTPROT_STATIC, RT_SCOPE_UNIVERSE);
	ck_assert(redist_select(&conf, &r, &x));
	ck_assert(!x.e2);
	ck_assert_uint_eq(x.metric, 30);
	r = rt(0, 0, RTPROT_STATIC, RT_SCOPE_UNIVERSE);
	ck_assert(!redist_select(&conf, &r, &x));
	/* no kernel entry: a boot route stays out; ours always do */
	r = rt(IP(10, 8, 0, 0), 16, RTPROT_BOOT, RT_SCOPE_UNIVERSE);
	ck_assert(!redist_select(&conf, &r, &x));
	load("router-id = \"10.0.0.1\";\nospf = { redistribute = ( { from = \"kernel\"; } ); };\n");
	ck_assert(redist_select(&conf, &r, &x));
	r.protocol = 188;
	ck_assert(!redist_select(&conf, &r, &x));
	r = rt(IP(192, 168, 1, 0), 24, RTPROT_KERNEL, RT_SCOPE_LINK); /* connected, not kernel */
	ck_assert(!redist_select(&conf, &r, &x));
	/* nothing configured: nothing */
	load("router-id = \"10.0.0.1\";\n");
	r = rt(IP(10, 8, 0, 0), 16, RTPROT_STATIC, RT_SCOPE_UNIVERSE);
	ck_assert(!redist_select(&conf, &r, &x));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("redist");
	TCase *tc = tcase_create("policy");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, sources);
	tcase_add_test(tc, policy);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite());
}
