/* Config loader: every setting, the defaults, exact error messages,
 * files, the conf_write round trip and conf_diff. */
#include <check.h>
#include "tests/unit/check_main.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/config.h"

#define RID "router-id = \"10.0.0.1\";\n"

/* The full example from the task: every setting given. */
static const char full_conf[] =
	"router-id = \"10.255.0.1\";\n"
	"ospf = {\n"
	"  area = \"0.0.0.1\";\n"
	"  maximum-paths = 8;\n"
	"  max-metric = true; max-lsa = 50000;\n"
	"  spf = { initial-delay-ms = 1; short-delay-ms = 60; long-delay-ms = 3000;\n"
	"          hold-down-ms = 7000; time-to-learn-ms = 400; };\n"
	"  interfaces = (\n"
	"    { name = \"lo\"; passive = true; },\n"
	"    { name = \"swp1\"; network = \"point-to-point\"; cost = 20; hello-interval = 1;\n"
	"      dead-interval = 3; bfd = true; bfd-tx-interval-ms = 50; bfd-rx-interval-ms = 60;\n"
	"      bfd-multiplier = 4; retransmit-interval = 6; transmit-delay = 2; priority = 0;\n"
	"      auth = \"md5\"; keys = ( { id = 1; secret = \"fabric-secret\"; },\n"
	"                              { id = 2; secret = \"0123456789abcdef\"; } ); },\n"
	"    { name = \"swp2\"; network = \"broadcast\"; auth = \"simple\";\n"
	"      keys = ( { id = 7; secret = \"pw\"; } ); }\n"
	"  );\n"
	"};\n"
	"bfd = { tx-interval-ms = 200; rx-interval-ms = 250; multiplier = 5; };\n"
	"control = { socket = \"/run/fabricd/test.sock\"; group = \"root\"; };\n";

static void load_ok(const char *text, struct conf *c)
{
	char err[CONF_ERRLEN] = "";
	int r = conf_load_string("test.conf", text, c, err, sizeof(err));
	ck_assert_msg(r == 0, "unexpected error: %s", err);
	ck_assert_str_eq(err, "");
}

START_TEST(test_full)
{
	struct conf c;
	load_ok(full_conf, &c);
	ck_assert_str_eq(c.file, "test.conf");
	ck_assert_uint_eq(c.router_id, 0x0aff0001);
	ck_assert_uint_eq(c.area, 1);
	ck_assert_uint_eq(c.maximum_paths, 8);
	ck_assert(c.max_metric);
	ck_assert_uint_eq(c.max_lsa, 50000);
	ck_assert_uint_eq(c.spf.initial_delay_ms, 1);
	ck_assert_uint_eq(c.spf.short_delay_ms, 60);
	ck_assert_uint_eq(c.spf.long_delay_ms, 3000);
	ck_assert_uint_eq(c.spf.hold_down_ms, 7000);
	ck_assert_uint_eq(c.spf.time_to_learn_ms, 400);
	ck_assert_uint_eq(c.bfd.tx_interval_ms, 200);
	ck_assert_uint_eq(c.bfd.rx_interval_ms, 250);
	ck_assert_uint_eq(c.bfd.multiplier, 5);
	ck_assert_str_eq(c.socket, "/run/fabricd/test.sock");
	ck_assert_str_eq(c.group, "root");
	ck_assert_uint_eq(c.n_ifaces, 3);

	const struct conf_iface *lo = &c.ifaces[0];
	ck_assert_str_eq(lo->name, "lo");
	ck_assert_int_eq(lo->line, 9);
	ck_assert(lo->passive);
	ck_assert(!lo->bfd);
	ck_assert_int_eq(lo->network, CONF_NET_P2P);

	const struct conf_iface *s1 = conf_iface_find(&c, "swp1");
	ck_assert_ptr_eq(s1, &c.ifaces[1]);
	ck_assert_int_eq(s1->line, 10);
	ck_assert(!s1->passive);
	ck_assert_int_eq(s1->network, CONF_NET_P2P);
	ck_assert_uint_eq(s1->cost, 20);
	ck_assert_uint_eq(s1->hello_interval, 1);
	ck_assert_uint_eq(s1->dead_interval, 3);
	ck_assert_uint_eq(s1->retransmit_interval, 6);
	ck_assert_uint_eq(s1->transmit_delay, 2);
	ck_assert_uint_eq(s1->priority, 0);
	ck_assert(s1->bfd);
	ck_assert(s1->bfd_timers_set);
	ck_assert_uint_eq(s1->bfd_timers.tx_interval_ms, 50);
	ck_assert_uint_eq(s1->bfd_timers.rx_interval_ms, 60);
	ck_assert_uint_eq(s1->bfd_timers.multiplier, 4);
	ck_assert_int_eq(s1->auth, CONF_AUTH_MD5);
	ck_assert_uint_eq(s1->n_keys, 2);
	ck_assert_uint_eq(s1->keys[0].id, 1);
	ck_assert_str_eq(s1->keys[0].secret, "fabric-secret");
	ck_assert_uint_eq(s1->keys[1].id, 2);
	ck_assert_str_eq(s1->keys[1].secret, "0123456789abcdef");

	const struct conf_iface *s2 = conf_iface_find(&c, "swp2");
	ck_assert_ptr_eq(s2, &c.ifaces[2]);
	ck_assert_int_eq(s2->network, CONF_NET_BROADCAST);
	ck_assert_int_eq(s2->auth, CONF_AUTH_SIMPLE);
	ck_assert_uint_eq(s2->n_keys, 1);
	ck_assert_uint_eq(s2->keys[0].id, 7);
	ck_assert_str_eq(s2->keys[0].secret, "pw");
	/* No bfd-* override: the global timers. */
	ck_assert(!s2->bfd_timers_set);
	ck_assert_uint_eq(s2->bfd_timers.tx_interval_ms, 200);
	ck_assert_uint_eq(s2->bfd_timers.rx_interval_ms, 250);
	ck_assert_uint_eq(s2->bfd_timers.multiplier, 5);

	ck_assert_ptr_null(conf_iface_find(&c, "swp9"));
	ck_assert_ptr_null(conf_iface_find(&c, NULL));
	conf_free(&c);
	ck_assert_uint_eq(c.n_ifaces, 0);
	ck_assert_ptr_null(c.ifaces);
	conf_free(&c); /* twice is harmless */
}
END_TEST

START_TEST(test_defaults)
{
	struct conf c;
	load_ok(RID "ospf = { interfaces = ( { name = \"swp1\"; } ); };\n", &c);
	ck_assert_uint_eq(c.router_id, 0x0a000001);
	ck_assert_uint_eq(c.area, 0);
	ck_assert_uint_eq(c.maximum_paths, 64);
	ck_assert(!c.max_metric);
	ck_assert_uint_eq(c.max_lsa, 0);
	ck_assert_uint_eq(c.spf.initial_delay_ms, 0);
	ck_assert_uint_eq(c.spf.short_delay_ms, 50);
	ck_assert_uint_eq(c.spf.long_delay_ms, 2000);
	ck_assert_uint_eq(c.spf.hold_down_ms, 5000);
	ck_assert_uint_eq(c.spf.time_to_learn_ms, 500);
	ck_assert_uint_eq(c.bfd.tx_interval_ms, 300);
	ck_assert_uint_eq(c.bfd.rx_interval_ms, 300);
	ck_assert_uint_eq(c.bfd.multiplier, 3);
	ck_assert_str_eq(c.socket, CONF_DEFAULT_SOCKET);
	ck_assert_str_eq(c.socket, "/run/fabricd/fabricd.sock");
	ck_assert_str_eq(c.group, "");
	ck_assert_uint_eq(c.n_ifaces, 1);
	const struct conf_iface *i = &c.ifaces[0];
	ck_assert_str_eq(i->name, "swp1");
	ck_assert(!i->passive);
	ck_assert_int_eq(i->network, CONF_NET_P2P);
	ck_assert_uint_eq(i->cost, 10);
	ck_assert_uint_eq(i->hello_interval, 10);
	ck_assert_uint_eq(i->dead_interval, 40);
	ck_assert_uint_eq(i->retransmit_interval, 5);
	ck_assert_uint_eq(i->transmit_delay, 1);
	ck_assert_uint_eq(i->priority, 1);
	ck_assert(!i->bfd);
	ck_assert(!i->bfd_timers_set);
	ck_assert_uint_eq(i->bfd_timers.tx_interval_ms, 300);
	ck_assert_uint_eq(i->bfd_timers.rx_interval_ms, 300);
	ck_assert_uint_eq(i->bfd_timers.multiplier, 3);
	ck_assert_int_eq(i->auth, CONF_AUTH_NONE);
	ck_assert_uint_eq(i->n_keys, 0);
	conf_free(&c);

	/* Only a router-id: no interfaces at all. */
	load_ok(RID, &c);
	ck_assert_uint_eq(c.n_ifaces, 0);
	conf_free(&c);
}
END_TEST

START_TEST(test_dead_default_follows_hello)
{
	struct conf c;
	load_ok(RID "ospf = { interfaces = ( { name = \"swp1\"; hello-interval = 2; },\n"
		    "  { name = \"swp2\"; hello-interval = 65535; } ); };\n",
		&c);
	ck_assert_uint_eq(c.ifaces[0].dead_interval, 8);
	ck_assert_uint_eq(c.ifaces[1].dead_interval, 262140);
	conf_free(&c);
}
END_TEST

START_TEST(test_bfd_override_partial)
{
	struct conf c;
	load_ok(RID "bfd = { tx-interval-ms = 100; rx-interval-ms = 200; multiplier = 5; };\n"
		    "ospf = { interfaces = ( { name = \"swp1\"; bfd = true; bfd-rx-interval-ms = 20; } ); };\n",
		&c);
	const struct conf_iface *i = &c.ifaces[0];
	ck_assert(i->bfd);
	ck_assert(i->bfd_timers_set);
	ck_assert_uint_eq(i->bfd_timers.tx_interval_ms, 100);
	ck_assert_uint_eq(i->bfd_timers.rx_interval_ms, 20);
	ck_assert_uint_eq(i->bfd_timers.multiplier, 5);
	conf_free(&c);
}
END_TEST

START_TEST(test_values_edge)
{
	struct conf c;
	/* area as an integer, incl. one that needs more than 31 bits;
	 * hex and 64-bit literals; range limits inclusive. */
	load_ok(RID "ospf = { area = 4294967295; maximum-paths = 1;\n"
		    "  spf = { initial-delay-ms = 600000; short-delay-ms = 600000; long-delay-ms = 600000;\n"
		    "          hold-down-ms = 0; time-to-learn-ms = 0; };\n"
		    "  interfaces = ( { name = \"abcdefghijklmno\"; cost = 65535; hello-interval = 65535;\n"
		    "    dead-interval = 4294967295; retransmit-interval = 3600; transmit-delay = 3600;\n"
		    "    priority = 255; bfd-tx-interval-ms = 60000; bfd-rx-interval-ms = 1;\n"
		    "    bfd-multiplier = 255; auth = \"simple\"; keys = ( { id = 255; secret = \"12345678\"; } ); },\n"
		    "    { name = \"swp2\"; cost = 0x10; priority = 0L; } ); };\n"
		    "bfd = { tx-interval-ms = 1; rx-interval-ms = 60000; multiplier = 1; };\n"
		    "control = { socket = \"/s\"; group = \"\"; };\n",
		&c);
	ck_assert_uint_eq(c.area, 0xffffffffu);
	ck_assert_uint_eq(c.maximum_paths, 1);
	ck_assert_uint_eq(c.spf.initial_delay_ms, 600000);
	ck_assert_uint_eq(c.spf.hold_down_ms, 0);
	const struct conf_iface *i = &c.ifaces[0];
	ck_assert_str_eq(i->name, "abcdefghijklmno");
	ck_assert_uint_eq(i->cost, 65535);
	ck_assert_uint_eq(i->hello_interval, 65535);
	ck_assert_uint_eq(i->dead_interval, 4294967295u);
	ck_assert_uint_eq(i->retransmit_interval, 3600);
	ck_assert_uint_eq(i->transmit_delay, 3600);
	ck_assert_uint_eq(i->priority, 255);
	ck_assert_uint_eq(i->bfd_timers.tx_interval_ms, 60000);
	ck_assert_uint_eq(i->bfd_timers.rx_interval_ms, 1);
	ck_assert_uint_eq(i->bfd_timers.multiplier, 255);
	ck_assert_uint_eq(i->keys[0].id, 255);
	ck_assert_str_eq(i->keys[0].secret, "12345678");
	ck_assert_uint_eq(c.ifaces[1].cost, 16);
	ck_assert_uint_eq(c.ifaces[1].priority, 0);
	ck_assert_uint_eq(c.bfd.tx_interval_ms, 1);
	ck_assert_uint_eq(c.bfd.multiplier, 1);
	ck_assert_str_eq(c.socket, "/s");
	ck_assert_str_eq(c.group, "");
	conf_free(&c);

	load_ok(RID "ospf = { area = 0xFFFFFFFE; };", &c);
	ck_assert_uint_eq(c.area, 0xfffffffeu);
	conf_free(&c);
	load_ok(RID "ospf = { area = \"255.255.255.255\"; interfaces = []; };", &c);
	ck_assert_uint_eq(c.area, 0xffffffffu);
	conf_free(&c);
	/* Comments in all three styles; numbers inside strings and comments
	 * are left alone by the literal pass. */
	load_ok("# 99999999999999999999999\n// 4294967297\n/* 4294967297 */\n"
		"router-id = \"10.0.0.1\"; ospf = { interfaces = ( { name = \"x99999999999999\"; } ); };\n",
		&c);
	ck_assert_str_eq(c.ifaces[0].name, "x99999999999999");
	conf_free(&c);
	/* libconfig's other spellings: ':' for '=', ',' or nothing as the
	 * terminator, adjacent strings concatenated. */
	load_ok("router-id : \"10.0.0.\" \"1\"\nospf : { interfaces = ( { name = \"sw\" \"p1\", "
		"auth = \"md5\", keys = ( { id = 1, secret = \"a\" }, { id = 2, secret = \"b\" } ) } ) }\n",
		&c);
	ck_assert_uint_eq(c.router_id, 0x0a000001);
	ck_assert_str_eq(c.ifaces[0].name, "swp1");
	ck_assert_uint_eq(c.ifaces[0].n_keys, 2);
	ck_assert_str_eq(c.ifaces[0].keys[1].secret, "b");
	conf_free(&c);
}
END_TEST

/* BFD authentication (RFC 5880 6.7): global in the bfd group, overridden
 * per interface by bfd-auth / bfd-keys. */
static const char bfd_auth_conf[] =
	RID
	"bfd = { auth = \"keyed-sha1\";\n"
	"  keys = ( { id = 0; secret = \"0123456789abcdefghij\"; },\n"
	"           { id = 255; secret = \"s\"; } ); };\n"
	"ospf = { interfaces = (\n"
	"  { name = \"lo\"; passive = true; },\n"
	"  { name = \"swp1\"; bfd = true; },\n"
	"  { name = \"swp2\"; bfd = true; bfd-auth = \"meticulous-keyed-md5\";\n"
	"    bfd-keys = ( { id = 7; secret = \"a\\\"b\\\\c\"; } ); },\n"
	"  { name = \"swp3\"; bfd = true; bfd-auth = \"none\"; },\n"
	"  { name = \"swp4\"; bfd = true; bfd-auth = \"simple\";\n"
	"    bfd-keys = ( { id = 1; secret = \"p\"; }, { id = 2; secret = \"q\"; } ); }\n"
	"); };\n";

START_TEST(test_bfd_auth)
{
	struct conf c;
	load_ok(bfd_auth_conf, &c);
	ck_assert_int_eq(c.bfd_auth.type, CONF_BFD_AUTH_KEYED_SHA1);
	ck_assert_uint_eq(c.bfd_auth.n_keys, 2);
	ck_assert_uint_eq(c.bfd_auth.keys[0].id, 0);
	ck_assert_str_eq(c.bfd_auth.keys[0].secret, "0123456789abcdefghij");
	ck_assert_uint_eq(c.bfd_auth.keys[1].id, 255);
	ck_assert_str_eq(c.bfd_auth.keys[1].secret, "s");
	/* The global timers are untouched by auth in the same group. */
	ck_assert_uint_eq(c.bfd.tx_interval_ms, 300);
	ck_assert_uint_eq(c.n_ifaces, 5);

	/* No override: the global auth, whether BFD runs there or not. */
	const char *inherit[] = { "lo", "swp1" };
	for (int k = 0; k < 2; k++) {
		const struct conf_iface *i = conf_iface_find(&c, inherit[k]);
		ck_assert_ptr_nonnull(i);
		ck_assert(!i->bfd_auth_set);
		ck_assert_int_eq(i->bfd_auth.type, CONF_BFD_AUTH_KEYED_SHA1);
		ck_assert_uint_eq(i->bfd_auth.n_keys, 2);
		ck_assert_uint_eq(i->bfd_auth.keys[0].id, 0);
		ck_assert_str_eq(i->bfd_auth.keys[0].secret, "0123456789abcdefghij");
		ck_assert_uint_eq(i->bfd_auth.keys[1].id, 255);
		ck_assert_str_eq(i->bfd_auth.keys[1].secret, "s");
	}

	const struct conf_iface *s2 = conf_iface_find(&c, "swp2");
	ck_assert(s2->bfd_auth_set);
	ck_assert_int_eq(s2->bfd_auth.type, CONF_BFD_AUTH_METICULOUS_MD5);
	ck_assert_uint_eq(s2->bfd_auth.n_keys, 1);
	ck_assert_uint_eq(s2->bfd_auth.keys[0].id, 7);
	ck_assert_str_eq(s2->bfd_auth.keys[0].secret, "a\"b\\c");

	/* Overridden to none: no keys at all, not the global ones. */
	const struct conf_iface *s3 = conf_iface_find(&c, "swp3");
	ck_assert(s3->bfd_auth_set);
	ck_assert_int_eq(s3->bfd_auth.type, CONF_BFD_AUTH_NONE);
	ck_assert_uint_eq(s3->bfd_auth.n_keys, 0);

	const struct conf_iface *s4 = conf_iface_find(&c, "swp4");
	ck_assert(s4->bfd_auth_set);
	ck_assert_int_eq(s4->bfd_auth.type, CONF_BFD_AUTH_SIMPLE);
	ck_assert_uint_eq(s4->bfd_auth.n_keys, 2);
	ck_assert_uint_eq(s4->bfd_auth.keys[0].id, 1);
	ck_assert_str_eq(s4->bfd_auth.keys[0].secret, "p");
	ck_assert_uint_eq(s4->bfd_auth.keys[1].id, 2);
	ck_assert_str_eq(s4->bfd_auth.keys[1].secret, "q");
	/* OSPF authentication is a separate setting. */
	ck_assert_int_eq(s4->auth, CONF_AUTH_NONE);
	ck_assert_uint_eq(s4->n_keys, 0);
	conf_free(&c);

	/* Default: none everywhere, nothing overridden. */
	load_ok(RID "ospf = { interfaces = ( { name = \"swp1\"; bfd = true; } ); };\n", &c);
	ck_assert_int_eq(c.bfd_auth.type, CONF_BFD_AUTH_NONE);
	ck_assert_uint_eq(c.bfd_auth.n_keys, 0);
	ck_assert(!c.ifaces[0].bfd_auth_set);
	ck_assert_int_eq(c.ifaces[0].bfd_auth.type, CONF_BFD_AUTH_NONE);
	ck_assert_uint_eq(c.ifaces[0].bfd_auth.n_keys, 0);
	conf_free(&c);

	/* An override where there is no global auth; "none" given globally
	 * explicitly, with an empty key list. */
	load_ok(RID "bfd = { auth = \"none\"; keys = (); };\n"
		    "ospf = { interfaces = ( { name = \"swp1\"; bfd = true; bfd-auth = \"keyed-md5\";\n"
		    "  bfd-keys = ( { id = 0; secret = \"0123456789abcdef\"; } ); },\n"
		    "  { name = \"swp2\"; } ); };\n",
		&c);
	ck_assert_int_eq(c.bfd_auth.type, CONF_BFD_AUTH_NONE);
	ck_assert_uint_eq(c.bfd_auth.n_keys, 0);
	ck_assert(c.ifaces[0].bfd_auth_set);
	ck_assert_int_eq(c.ifaces[0].bfd_auth.type, CONF_BFD_AUTH_KEYED_MD5);
	ck_assert_uint_eq(c.ifaces[0].bfd_auth.keys[0].id, 0);
	ck_assert_str_eq(c.ifaces[0].bfd_auth.keys[0].secret, "0123456789abcdef");
	ck_assert(!c.ifaces[1].bfd_auth_set);
	ck_assert_int_eq(c.ifaces[1].bfd_auth.type, CONF_BFD_AUTH_NONE);
	conf_free(&c);

	/* An empty bfd-keys list without bfd-auth gives no keys and no type:
	 * it must not switch the port's inherited authentication off. Only an
	 * explicit bfd-auth = "none" does that. */
	load_ok(RID "bfd = { auth = \"keyed-sha1\"; keys = ( { id = 1; secret = \"k\"; } ); };\n"
		    "ospf = { interfaces = ( { name = \"swp1\"; bfd = true; bfd-keys = (); },\n"
		    "  { name = \"swp2\"; bfd = true; bfd-keys = []; } ); };\n",
		&c);
	for (size_t k = 0; k < 2; k++) {
		ck_assert(!c.ifaces[k].bfd_auth_set);
		ck_assert_int_eq(c.ifaces[k].bfd_auth.type, CONF_BFD_AUTH_KEYED_SHA1);
		ck_assert_uint_eq(c.ifaces[k].bfd_auth.n_keys, 1);
		ck_assert_str_eq(c.ifaces[k].bfd_auth.keys[0].secret, "k");
	}
	conf_free(&c);
}
END_TEST

/* Each name, globally and on an interface, with the longest secret it
 * takes; the enum values are RFC 5880's Auth Type numbers (4.1). */
/* user: the account fabricd drops to; empty or absent = stay as started. */
START_TEST(test_user)
{
	struct conf c;
	load_ok(RID "user = \"root\";\n", &c);
	ck_assert_str_eq(c.user, "root");
	conf_free(&c);
	load_ok(RID "user = \"\";\n", &c);
	ck_assert_str_eq(c.user, "");
	conf_free(&c);
	load_ok(RID, &c);
	ck_assert_str_eq(c.user, "");
	conf_free(&c);
}
END_TEST

START_TEST(test_realtime_priority)
{
	struct conf c;
	load_ok(RID "bfd = { realtime-priority = 10; };\n", &c);
	ck_assert_uint_eq(c.rt_priority, 10);
	conf_free(&c);
	load_ok(RID, &c);
	ck_assert_uint_eq(c.rt_priority, 0); /* off unless asked for */
	conf_free(&c);
}
END_TEST

START_TEST(test_metrics_listen)
{
	struct conf c, d;
	struct conf_diff diff;
	load_ok(RID, &c);
	ck_assert_str_eq(c.metrics_listen, ""); /* off unless asked for */
	ck_assert_uint_eq(c.metrics_port, 0);
	load_ok(RID "control = { metrics-listen = \"127.0.0.1:9342\"; };\n", &d);
	ck_assert_str_eq(d.metrics_listen, "127.0.0.1:9342");
	ck_assert_uint_eq(d.metrics_addr, 0x7f000001);
	ck_assert_uint_eq(d.metrics_port, 9342);
	conf_diff(&c, &d, &diff);
	ck_assert(diff.metrics);
	ck_assert(!diff.control);
	conf_diff_free(&diff);
	conf_free(&c);
	conf_free(&d);
}
END_TEST

START_TEST(test_dampening)
{
	struct conf c;
	load_ok(RID, &c);
	ck_assert_uint_eq(c.dampening.threshold, 0); /* off unless asked for */
	conf_free(&c);
	load_ok(RID "bfd = { dampening = { }; };\n", &c);
	ck_assert_uint_eq(c.dampening.threshold, 3);
	ck_assert_uint_eq(c.dampening.initial_hold_ms, 1000);
	ck_assert_uint_eq(c.dampening.max_hold_ms, 60000);
	conf_free(&c);
	load_ok(RID "bfd = { dampening = { threshold = 2; initial-hold-ms = 500; maximum-hold-ms = 4000; }; };\n", &c);
	ck_assert_uint_eq(c.dampening.threshold, 2);
	ck_assert_uint_eq(c.dampening.initial_hold_ms, 500);
	ck_assert_uint_eq(c.dampening.max_hold_ms, 4000);
	/* it survives the running-config round trip */
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	conf_write(&c, f);
	fclose(f);
	struct conf back;
	load_ok(text, &back);
	ck_assert_mem_eq(&back.dampening, &c.dampening, sizeof c.dampening);
	conf_free(&back);
	free(text);
	conf_free(&c);
}
END_TEST

START_TEST(test_bfd_auth_names)
{
	static const struct {
		const char *name;
		enum conf_bfd_auth_type type;
		int rfc;
		const char *secret; /* the longest allowed */
	} names[] = {
		{ "none", CONF_BFD_AUTH_NONE, 0, NULL },
		{ "simple", CONF_BFD_AUTH_SIMPLE, 1, "0123456789abcdef" },
		{ "keyed-md5", CONF_BFD_AUTH_KEYED_MD5, 2, "0123456789abcdef" },
		{ "meticulous-keyed-md5", CONF_BFD_AUTH_METICULOUS_MD5, 3, "0123456789abcdef" },
		{ "keyed-sha1", CONF_BFD_AUTH_KEYED_SHA1, 4, "0123456789abcdefghij" },
		{ "meticulous-keyed-sha1", CONF_BFD_AUTH_METICULOUS_SHA1, 5, "0123456789abcdefghij" },
	};
	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
		char text[1024], keys[128] = "";
		struct conf c;
		ck_assert_int_eq((int)names[n].type, names[n].rfc);
		ck_assert_str_eq(conf_bfd_auth_name(names[n].type), names[n].name);
		if (names[n].secret)
			snprintf(keys, sizeof(keys), "keys = ( { id = 9; secret = \"%s\"; } );",
				 names[n].secret);
		/* The global setting, inherited by swp1; the same on swp2 by
		 * override (with bfd- in front of the keys). */
		snprintf(text, sizeof(text),
			 RID "bfd = { auth = \"%s\"; %s };\n"
			     "ospf = { interfaces = ( { name = \"swp1\"; bfd = true; },\n"
			     "  { name = \"swp2\"; bfd = true; bfd-auth = \"%s\"; %s%s } ); };\n",
			 names[n].name, keys, names[n].name, names[n].secret ? "bfd-" : "", keys);
		load_ok(text, &c);
		ck_assert_int_eq(c.bfd_auth.type, names[n].type);
		const struct conf_iface *s1 = &c.ifaces[0], *s2 = &c.ifaces[1];
		ck_assert(!s1->bfd_auth_set);
		ck_assert(s2->bfd_auth_set);
		ck_assert_int_eq(s1->bfd_auth.type, names[n].type);
		ck_assert_int_eq(s2->bfd_auth.type, names[n].type);
		size_t want = names[n].secret ? 1 : 0;
		ck_assert_uint_eq(c.bfd_auth.n_keys, want);
		ck_assert_uint_eq(s1->bfd_auth.n_keys, want);
		ck_assert_uint_eq(s2->bfd_auth.n_keys, want);
		if (want) {
			ck_assert_uint_eq(c.bfd_auth.keys[0].id, 9);
			ck_assert_str_eq(c.bfd_auth.keys[0].secret, names[n].secret);
			ck_assert_str_eq(s1->bfd_auth.keys[0].secret, names[n].secret);
			ck_assert_str_eq(s2->bfd_auth.keys[0].secret, names[n].secret);
		}
		conf_free(&c);
	}
	ck_assert_str_eq(conf_bfd_auth_name((enum conf_bfd_auth_type)6), "?");
	ck_assert_str_eq(conf_bfd_auth_name((enum conf_bfd_auth_type)-1), "?");

	/* Four keys, the most there is room for. */
	struct conf c;
	load_ok(RID "bfd = { auth = \"keyed-md5\"; keys = ( { id = 4; secret = \"d\"; },\n"
		    "  { id = 3; secret = \"c\"; }, { id = 2; secret = \"b\"; },\n"
		    "  { id = 1; secret = \"a\"; } ); };\n",
		&c);
	ck_assert_uint_eq(c.bfd_auth.n_keys, 4);
	for (size_t k = 0; k < 4; k++) {
		char s[2] = { (char)('d' - k), '\0' };
		ck_assert_uint_eq(c.bfd_auth.keys[k].id, 4 - k);
		ck_assert_str_eq(c.bfd_auth.keys[k].secret, s);
	}
	conf_free(&c);
}
END_TEST

struct bad {
	const char *text;
	const char *err;
};

#define IFACE(body)                                  \
	RID "ospf = { interfaces = (\n"              \
	    "  { name = \"swp1\"; " body " }\n"      \
	    "); };\n"
#define KEYS(auth, keys) IFACE("auth = \"" auth "\";\n keys = ( " keys " );")
/* The bfd group's body starts on line 3, its keys on line 4; so do an
 * interface's bfd-keys. */
#define BFD(body) RID "bfd = {\n " body " };\n"
#define BFDKEYS(auth, keys) BFD("auth = \"" auth "\";\n keys = ( " keys " );")
#define IFBFDKEYS(auth, keys) \
	IFACE("bfd = true; bfd-auth = \"" auth "\";\n bfd-keys = ( " keys " );")

static const struct bad bad_configs[] = {
	/* syntax, as libconfig reports it */
	{ RID "ospf = {\n", "bad.conf:3: syntax error" },
	{ "router-id = \"10.0.0.1\"\nospf = { area = ; };\n", "bad.conf:2: syntax error" },
	{ RID "router-id = \"10.0.0.2\";\n", "bad.conf:2: duplicate setting name" },
	{ RID "\n  @include \"/etc/passwd\"\n", "bad.conf:3: @include is not supported" },
	/* a string where a setting name belongs (leaks inside libconfig 1.5) */
	{ "\"\"", "bad.conf:1: syntax error" },
	{ RID "\n\"router-id\" = 1;\n", "bad.conf:3: syntax error" },
	{ RID "ospf = { area = 1,\n \"x\" };\n", "bad.conf:3: syntax error" },
	{ RID "ospf = { interfaces = ( {} \"x\" ); };\n", "bad.conf:2: syntax error" },
	{ RID "a = ((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))));\n",
	  "bad.conf:2: nesting deeper than 32 levels" },
	/* top level */
	{ "ospf = { };\n", "bad.conf: missing required setting 'router-id'" },
	{ "", "bad.conf: missing required setting 'router-id'" },
	{ "router-id = \"10.1.2\";\n",
	  "bad.conf:1: router-id: '10.1.2' is not a dotted-quad IPv4 address" },
	{ "\nrouter-id = \"10.1.2.256\";\n",
	  "bad.conf:2: router-id: '10.1.2.256' is not a dotted-quad IPv4 address" },
	{ "router-id = \"10.01.2.3\";\n",
	  "bad.conf:1: router-id: '10.01.2.3' is not a dotted-quad IPv4 address" },
	{ "router-id = \"10.1.2.3 \";\n",
	  "bad.conf:1: router-id: '10.1.2.3 ' is not a dotted-quad IPv4 address" },
	{ "router-id = 167772161;\n", "bad.conf:1: 'router-id' must be a string" },
	{ "router-id = \"0.0.0.0\";\n", "bad.conf:1: router-id must not be 0.0.0.0" },
	{ RID "foo = 1;\n", "bad.conf:2: unknown setting 'foo' at top level" },
	/* ospf */
	{ RID "ospf = 1;\n", "bad.conf:2: 'ospf' must be a group { ... }" },
	{ RID "ospf = {\n  areas = 1;\n};\n", "bad.conf:3: unknown setting 'areas' in ospf" },
	{ RID "ospf = {\n  area = \"1.2.3\";\n};\n",
	  "bad.conf:3: area: '1.2.3' is not a dotted-quad IPv4 address" },
	{ RID "ospf = { area = -1; };\n", "bad.conf:2: area -1 out of range 0..4294967295" },
	{ RID "ospf = { area = 4294967296; };\n",
	  "bad.conf:2: area 4294967296 out of range 0..4294967295" },
	{ RID "ospf = { area = true; };\n",
	  "bad.conf:2: 'area' must be a dotted-quad string or an integer" },
	{ RID "ospf = { maximum-paths = 0; };\n", "bad.conf:2: maximum-paths 0 out of range 1..64" },
	{ RID "ospf = { maximum-paths = 65; };\n", "bad.conf:2: maximum-paths 65 out of range 1..64" },
	{ RID "ospf = { max-metric = 1; };\n", "bad.conf:2: 'max-metric' must be true or false" },
	{ RID "ospf = {\n max-lsa = -1; };\n", "bad.conf:3: max-lsa -1 out of range 0..100000000" },
	{ RID "ospf = { max-lsa = 100000001; };\n",
	  "bad.conf:2: max-lsa 100000001 out of range 0..100000000" },
	{ RID "ospf = { max-lsa = \"many\"; };\n", "bad.conf:2: 'max-lsa' must be an integer" },
	{ RID "ospf = { spf = 5; };\n", "bad.conf:2: 'spf' must be a group { ... }" },
	{ RID "ospf = { spf = {\n delay = 1; }; };\n",
	  "bad.conf:3: unknown setting 'delay' in ospf.spf" },
	{ RID "ospf = { spf = {\n hold-down-ms = 600001; }; };\n",
	  "bad.conf:3: hold-down-ms 600001 out of range 0..600000" },
	{ RID "ospf = { spf = {\n initial-delay-ms = -5; }; };\n",
	  "bad.conf:3: initial-delay-ms -5 out of range 0..600000" },
	{ RID "ospf = { spf = {\n short-delay-ms = 3000; }; };\n",
	  "bad.conf:3: short-delay-ms 3000 must not exceed long-delay-ms 2000" },
	{ RID "ospf = { spf = {\n\n long-delay-ms = 10; }; };\n",
	  "bad.conf:4: short-delay-ms 50 must not exceed long-delay-ms 10" },
	{ RID "ospf = {\n interfaces = { };\n};\n", "bad.conf:3: 'interfaces' must be a list ( ... )" },
	{ RID "ospf = {\n interfaces = [ \"swp1\" ];\n};\n",
	  "bad.conf:3: 'interfaces' must be a list ( ... )" },
	/* interfaces */
	{ RID "ospf = { interfaces = (\n 1 ); };\n",
	  "bad.conf:3: interface must be a group { name = ...; ... }" },
	{ RID "ospf = { interfaces = (\n { cost = 1; } ); };\n", "bad.conf:3: interface has no 'name'" },
	{ RID "ospf = { interfaces = (\n { name = 1; } ); };\n", "bad.conf:3: 'name' must be a string" },
	{ RID "ospf = { interfaces = (\n { name = \"\"; } ); };\n",
	  "bad.conf:3: interface name '' must be 1..15 characters" },
	{ RID "ospf = { interfaces = (\n { name = \"0123456789abcdef\"; } ); };\n",
	  "bad.conf:3: interface name '0123456789abcdef' must be 1..15 characters" },
	{ RID "ospf = { interfaces = (\n { name = \"a/b\"; } ); };\n",
	  "bad.conf:3: interface name 'a/b' is not a valid Linux interface name" },
	{ RID "ospf = { interfaces = (\n { name = \"swp 1\"; } ); };\n",
	  "bad.conf:3: interface name 'swp 1' is not a valid Linux interface name" },
	{ RID "ospf = { interfaces = (\n { name = \"..\"; } ); };\n",
	  "bad.conf:3: interface name '..' is not a valid Linux interface name" },
	{ IFACE("costs = 1;"), "bad.conf:3: unknown setting 'costs' in interface 'swp1'" },
	{ RID "ospf = { interfaces = (\n { name = \"swp1\"; },\n { name = \"swp2\"; },\n"
	      "\n { name = \"swp1\"; cost = 5; } ); };\n",
	  "bad.conf:6: duplicate interface 'swp1' (first at line 3)" },
	{ IFACE("passive = \"yes\";"), "bad.conf:3: 'passive' must be true or false" },
	{ IFACE("network = \"nbma\";"),
	  "bad.conf:3: network: 'nbma' is not one of point-to-point, broadcast" },
	{ IFACE("network = 1;"), "bad.conf:3: 'network' must be a string" },
	{ IFACE("cost = 0;"), "bad.conf:3: cost 0 out of range 1..65535" },
	{ IFACE("cost = 65536;"), "bad.conf:3: cost 65536 out of range 1..65535" },
	{ IFACE("cost = \"10\";"), "bad.conf:3: 'cost' must be an integer" },
	{ IFACE("cost = 10.0;"), "bad.conf:3: 'cost' must be an integer" },
	/* would wrap to 1 in libconfig 1.5 without the literal pass */
	{ IFACE("cost = 4294967297;"), "bad.conf:3: cost 4294967297 out of range 1..65535" },
	{ IFACE("cost = -4294967295;"), "bad.conf:3: cost -4294967295 out of range 1..65535" },
	{ IFACE("cost = 0x100000001;"), "bad.conf:3: cost 4294967297 out of range 1..65535" },
	{ IFACE("cost = 99999999999999999999;"),
	  "bad.conf:3: integer 99999999999999999999 does not fit in 64 bits" },
	{ IFACE("hello-interval = 0;"), "bad.conf:3: hello-interval 0 out of range 1..65535" },
	{ IFACE("hello-interval = 65536;"), "bad.conf:3: hello-interval 65536 out of range 1..65535" },
	{ IFACE("dead-interval = 0;"), "bad.conf:3: dead-interval 0 out of range 1..4294967295" },
	{ IFACE("hello-interval = 3; dead-interval = 3;"),
	  "bad.conf:3: dead-interval 3 must be greater than hello-interval 3" },
	{ IFACE("\n dead-interval = 5;"),
	  "bad.conf:4: dead-interval 5 must be greater than hello-interval 10" },
	{ IFACE("retransmit-interval = 0;"),
	  "bad.conf:3: retransmit-interval 0 out of range 1..3600" },
	{ IFACE("transmit-delay = 3601;"), "bad.conf:3: transmit-delay 3601 out of range 1..3600" },
	{ IFACE("priority = 256;"), "bad.conf:3: priority 256 out of range 0..255" },
	{ IFACE("bfd = 1;"), "bad.conf:3: 'bfd' must be true or false" },
	{ IFACE("bfd-tx-interval-ms = 0;"), "bad.conf:3: bfd-tx-interval-ms 0 out of range 1..60000" },
	{ IFACE("bfd-rx-interval-ms = 60001;"),
	  "bad.conf:3: bfd-rx-interval-ms 60001 out of range 1..60000" },
	{ IFACE("bfd-multiplier = 256;"), "bad.conf:3: bfd-multiplier 256 out of range 1..255" },
	/* authentication */
	{ IFACE("auth = \"sha1\";"), "bad.conf:3: auth: 'sha1' is not one of none, simple, md5, "
	  "hmac-sha1, hmac-sha256, hmac-sha384, hmac-sha512" },
	{ IFACE("\n auth = \"md5\";"), "bad.conf:4: auth 'md5' requires at least one key" },
	{ IFACE("auth = \"simple\"; keys = ();"), "bad.conf:3: auth 'simple' requires at least one key" },
	{ IFACE("\n keys = ( { id = 1; secret = \"x\"; } );"),
	  "bad.conf:4: keys require auth other than 'none'" },
	{ IFACE("auth = \"none\"; keys = ( { id = 1; secret = \"x\"; } );"),
	  "bad.conf:3: keys require auth other than 'none'" },
	{ IFACE("auth = \"md5\"; keys = 1;"), "bad.conf:3: 'keys' must be a list ( ... )" },
	{ KEYS("md5", "{ id = 1; secret = \"0123456789abcdefg\"; }"),
	  "bad.conf:4: md5 secret must be 1..16 characters (got 17)" },
	{ KEYS("simple", "{ id = 1; secret = \"123456789\"; }"),
	  "bad.conf:4: simple secret must be 1..8 characters (got 9)" },
	{ KEYS("md5", "{ id = 1; secret = \"\"; }"),
	  "bad.conf:4: md5 secret must be 1..16 characters (got 0)" },
	{ KEYS("md5", "{ id = 1; secret = 5; }"), "bad.conf:4: 'secret' must be a string" },
	{ KEYS("md5", "{ id = 1; secret = \"a\"; },\n { id = 1; secret = \"b\"; }"),
	  "bad.conf:5: duplicate key id 1 (first at line 4)" },
	{ KEYS("md5", "{ id = 0; secret = \"a\"; }"), "bad.conf:4: id 0 out of range 1..255" },
	{ KEYS("md5", "{ id = 256; secret = \"a\"; }"), "bad.conf:4: id 256 out of range 1..255" },
	{ KEYS("md5", "{ secret = \"a\"; }"), "bad.conf:4: key has no 'id'" },
	{ KEYS("md5", "{ id = 1; }"), "bad.conf:4: key has no 'secret'" },
	{ KEYS("md5", "{ id = 1; secret = \"a\"; key = 2; }"),
	  "bad.conf:4: unknown setting 'key' in key of interface 'swp1'" },
	{ KEYS("md5", "1"), "bad.conf:4: key must be a group { id = ...; secret = ...; }" },
	{ KEYS("md5", "{ id = 1; secret = \"a\"; }, { id = 2; secret = \"a\"; },"
		      "{ id = 3; secret = \"a\"; }, { id = 4; secret = \"a\"; },"
		      "{ id = 5; secret = \"a\"; }, { id = 6; secret = \"a\"; },"
		      "{ id = 7; secret = \"a\"; }, { id = 8; secret = \"a\"; },"
		      "{ id = 9; secret = \"a\"; }"),
	  "bad.conf:4: 9 keys given (max 8)" },
	/* bfd */
	{ RID "bfd = 3;\n", "bad.conf:2: 'bfd' must be a group { ... }" },
	{ RID "bfd = {\n interval = 3; };\n", "bad.conf:3: unknown setting 'interval' in bfd" },
	{ RID "bfd = {\n tx-interval-ms = 60001; };\n",
	  "bad.conf:3: tx-interval-ms 60001 out of range 1..60000" },
	{ RID "bfd = {\n rx-interval-ms = 0; };\n", "bad.conf:3: rx-interval-ms 0 out of range 1..60000" },
	{ RID "bfd = {\n multiplier = 0; };\n", "bad.conf:3: multiplier 0 out of range 1..255" },
	{ RID "bfd = {\n realtime-priority = 100; };\n",
	  "bad.conf:3: realtime-priority 100 out of range 0..99" },
	{ RID "bfd = {\n realtime-priority = -1; };\n",
	  "bad.conf:3: realtime-priority -1 out of range 0..99" },
	{ RID "bfd = {\n realtime-priority = true; };\n",
	  "bad.conf:3: 'realtime-priority' must be an integer" },
	{ RID "bfd = { dampening = {\n threshold = 0; }; };\n",
	  "bad.conf:3: threshold 0 out of range 1..100" },
	{ RID "bfd = { dampening = {\n hold = 1; }; };\n",
	  "bad.conf:3: unknown setting 'hold' in bfd.dampening" },
	{ RID "bfd = { dampening = {\n initial-hold-ms = 5000; maximum-hold-ms = 1000; }; };\n",
	  "bad.conf:3: initial-hold-ms 5000 must not exceed maximum-hold-ms 1000" },
	{ RID "bfd = { dampening = {\n maximum-hold-ms = 5; }; };\n",
	  "bad.conf:3: maximum-hold-ms 5 out of range 10..3600000" },
	{ RID "bfd = {\n dampening = true; };\n", "bad.conf:3: 'dampening' must be a group { ... }" },
	{ RID "bfd = {\n multiplier = 1.5; };\n", "bad.conf:3: 'multiplier' must be an integer" },
	/* bfd authentication, global */
	{ BFD("auth = \"sha1\";"),
	  "bad.conf:3: auth: 'sha1' is not one of none, simple, keyed-md5, meticulous-keyed-md5, "
	  "keyed-sha1, meticulous-keyed-sha1" },
	{ BFD("auth = \"md5\";"),
	  "bad.conf:3: auth: 'md5' is not one of none, simple, keyed-md5, meticulous-keyed-md5, "
	  "keyed-sha1, meticulous-keyed-sha1" },
	{ BFD("auth = 1;"), "bad.conf:3: 'auth' must be a string" },
	{ BFD("keys = ( { id = 1; secret = \"x\"; } );"),
	  "bad.conf:3: keys require auth other than 'none'" },
	{ BFD("auth = \"keyed-md5\";"),
	  "bad.conf:3: auth 'keyed-md5' requires at least one key in keys" },
	{ BFD("auth = \"keyed-sha1\";\n keys = ();"),
	  "bad.conf:3: auth 'keyed-sha1' requires at least one key in keys" },
	{ BFD("auth = \"none\";\n keys = ( { id = 1; secret = \"x\"; } );"),
	  "bad.conf:4: keys require auth other than 'none'" },
	{ BFD("auth = \"keyed-md5\"; keys = 1;"), "bad.conf:3: 'keys' must be a list ( ... )" },
	{ BFDKEYS("keyed-md5", "{ id = 1; secret = \"0123456789abcdefg\"; }"),
	  "bad.conf:4: keyed-md5 secret must be 1..16 characters (got 17)" },
	{ BFDKEYS("meticulous-keyed-md5", "{ id = 1; secret = \"0123456789abcdefg\"; }"),
	  "bad.conf:4: meticulous-keyed-md5 secret must be 1..16 characters (got 17)" },
	{ BFDKEYS("simple", "{ id = 1; secret = \"0123456789abcdefg\"; }"),
	  "bad.conf:4: simple secret must be 1..16 characters (got 17)" },
	{ BFDKEYS("keyed-sha1", "{ id = 1; secret = \"0123456789abcdefghijk\"; }"),
	  "bad.conf:4: keyed-sha1 secret must be 1..20 characters (got 21)" },
	{ BFDKEYS("meticulous-keyed-sha1", "{ id = 1;\n secret = \"0123456789abcdefghijk\"; }"),
	  "bad.conf:5: meticulous-keyed-sha1 secret must be 1..20 characters (got 21)" },
	{ BFDKEYS("keyed-md5", "{ id = 1; secret = \"\"; }"),
	  "bad.conf:4: keyed-md5 secret must be 1..16 characters (got 0)" },
	{ BFDKEYS("keyed-md5", "{ id = 1; secret = 5; }"), "bad.conf:4: 'secret' must be a string" },
	{ BFDKEYS("keyed-md5", "{ id = 0; secret = \"a\"; },\n { id = 0; secret = \"b\"; }"),
	  "bad.conf:5: duplicate key id 0 (first at line 4)" },
	{ BFDKEYS("keyed-md5", "{ id = 256; secret = \"a\"; }"),
	  "bad.conf:4: id 256 out of range 0..255" },
	{ BFDKEYS("keyed-md5", "{ id = -1; secret = \"a\"; }"), "bad.conf:4: id -1 out of range 0..255" },
	{ BFDKEYS("keyed-md5", "{ secret = \"a\"; }"), "bad.conf:4: key has no 'id'" },
	{ BFDKEYS("keyed-md5", "{ id = 1; }"), "bad.conf:4: key has no 'secret'" },
	{ BFDKEYS("keyed-md5", "{ id = 1; secret = \"a\"; key = 2; }"),
	  "bad.conf:4: unknown setting 'key' in key of bfd" },
	{ BFDKEYS("keyed-md5", "\"secret\""),
	  "bad.conf:4: key must be a group { id = ...; secret = ...; }" },
	{ BFDKEYS("keyed-md5", "{ id = 1; secret = \"a\"; }, { id = 2; secret = \"a\"; },"
			       "{ id = 3; secret = \"a\"; }, { id = 4; secret = \"a\"; },"
			       "{ id = 5; secret = \"a\"; }"),
	  "bad.conf:4: 5 keys given (max 4)" },
	/* bfd authentication, per interface */
	{ IFACE("bfd-auth = \"sha1\";"),
	  "bad.conf:3: bfd-auth: 'sha1' is not one of none, simple, keyed-md5, "
	  "meticulous-keyed-md5, keyed-sha1, meticulous-keyed-sha1" },
	{ IFACE("bfd-auth = 1;"), "bad.conf:3: 'bfd-auth' must be a string" },
	{ IFACE("bfd = true;\n bfd-keys = ( { id = 1; secret = \"x\"; } );"),
	  "bad.conf:4: bfd-keys require bfd-auth other than 'none'" },
	/* bfd-keys do not combine with the global auth either */
	{ RID "bfd = { auth = \"keyed-md5\"; keys = ( { id = 1; secret = \"x\"; } ); };\n"
	      "ospf = { interfaces = (\n"
	      " { name = \"swp1\"; bfd-keys = ( { id = 2; secret = \"y\"; } ); }\n"
	      "); };\n",
	  "bad.conf:4: bfd-keys require bfd-auth other than 'none'" },
	{ IFACE("bfd-auth = \"none\";\n bfd-keys = ( { id = 1; secret = \"x\"; } );"),
	  "bad.conf:4: bfd-keys require bfd-auth other than 'none'" },
	{ IFACE("\n bfd-auth = \"keyed-md5\";"),
	  "bad.conf:4: bfd-auth 'keyed-md5' requires at least one key in bfd-keys" },
	{ IFACE("bfd-auth = \"simple\"; bfd-keys = [];"),
	  "bad.conf:3: bfd-auth 'simple' requires at least one key in bfd-keys" },
	{ IFACE("bfd-auth = \"simple\"; bfd-keys = { id = 1; secret = \"x\"; };"),
	  "bad.conf:3: 'bfd-keys' must be a list ( ... )" },
	{ IFBFDKEYS("keyed-md5", "{ id = 1; secret = \"0123456789abcdefg\"; }"),
	  "bad.conf:4: keyed-md5 secret must be 1..16 characters (got 17)" },
	{ IFBFDKEYS("keyed-sha1", "{ id = 1; secret = \"0123456789abcdefghijk\"; }"),
	  "bad.conf:4: keyed-sha1 secret must be 1..20 characters (got 21)" },
	{ IFBFDKEYS("keyed-sha1", "{ id = 1; secret = \"\"; }"),
	  "bad.conf:4: keyed-sha1 secret must be 1..20 characters (got 0)" },
	{ IFBFDKEYS("simple", "{ id = 3; secret = \"a\"; },\n\n { id = 3; secret = \"b\"; }"),
	  "bad.conf:6: duplicate key id 3 (first at line 4)" },
	{ IFBFDKEYS("keyed-md5", "{ id = 256; secret = \"a\"; }"),
	  "bad.conf:4: id 256 out of range 0..255" },
	{ IFBFDKEYS("keyed-md5", "{ id = 1; secret = \"a\"; key = 2; }"),
	  "bad.conf:4: unknown setting 'key' in bfd key of interface 'swp1'" },
	{ IFBFDKEYS("keyed-md5", "1"), "bad.conf:4: key must be a group { id = ...; secret = ...; }" },
	{ IFBFDKEYS("keyed-md5", "{ id = 1; secret = \"a\"; }, { id = 2; secret = \"a\"; },"
				 "{ id = 3; secret = \"a\"; }, { id = 4; secret = \"a\"; },"
				 "{ id = 5; secret = \"a\"; }"),
	  "bad.conf:4: 5 keys given (max 4)" },
	/* OSPF and BFD key lists keep their own rules and names */
	{ IFACE("auth = \"keyed-md5\";"),
	  "bad.conf:3: auth: 'keyed-md5' is not one of none, simple, md5, hmac-sha1, hmac-sha256, "
	  "hmac-sha384, hmac-sha512" },
	{ IFACE("bfd-auth = \"md5\";"),
	  "bad.conf:3: bfd-auth: 'md5' is not one of none, simple, keyed-md5, "
	  "meticulous-keyed-md5, keyed-sha1, meticulous-keyed-sha1" },
	{ IFACE("bfd-auth = \"simple\"; bfd-keys = ( { id = 1; secret = \"x\"; } );\n"
		" keys = ( { id = 1; secret = \"x\"; } );"),
	  "bad.conf:4: keys require auth other than 'none'" },
	/* control */
	{ RID "control = {\n mode = 0600; };\n", "bad.conf:3: unknown setting 'mode' in control" },
	{ RID "control = {\n socket = \"fabricd.sock\"; };\n",
	  "bad.conf:3: socket: 'fabricd.sock' is not an absolute path" },
	{ RID "control = {\n socket = \"/run/fabricd/0123456789012345678901234567890123456789"
	      "0123456789012345678901234567890123456789012345678901234\"; };\n",
	  "bad.conf:3: socket path is 108 characters long (max 107)" },
	{ RID "control = {\n socket = 1; };\n", "bad.conf:3: 'socket' must be a string" },
	{ RID "control = {\n group = \"no-such-group-fabricd\"; };\n",
	  "bad.conf:3: group 'no-such-group-fabricd' does not exist" },
	{ RID "control = {\n group = \"0123456789012345678901234567890123456789"
	      "012345678901234567890123\"; };\n",
	  "bad.conf:3: group name is 64 characters long (max 63)" },
	{ RID "\nuser = \"no-such-user-fabricd\";\n", "bad.conf:3: user 'no-such-user-fabricd' does not exist" },
	{ RID "user = 0;\n", "bad.conf:2: 'user' must be a string" },
	{ RID "user = \"0123456789012345678901234567890123456789012345678901234567890123\";\n",
	  "bad.conf:2: user name is 64 characters long (max 63)" },
	{ RID "control = {\n metrics-listen = \"localhost:9342\"; };\n",
	  "bad.conf:3: metrics-listen: 'localhost' is not an IPv4 address" },
	{ RID "control = {\n metrics-listen = \"127.0.0.1\"; };\n",
	  "bad.conf:3: metrics-listen: '127.0.0.1' is not ADDR:PORT (an IPv4 address and a port 1-65535)" },
	{ RID "control = {\n metrics-listen = \"127.0.0.1:0\"; };\n",
	  "bad.conf:3: metrics-listen: '127.0.0.1:0' is not ADDR:PORT (an IPv4 address and a port 1-65535)" },
	{ RID "control = {\n metrics-listen = \"127.0.0.1:65536\"; };\n",
	  "bad.conf:3: metrics-listen: '127.0.0.1:65536' is not ADDR:PORT (an IPv4 address and a port 1-65535)" },
	{ RID "control = {\n metrics-listen = \"127.0.0.1:93x\"; };\n",
	  "bad.conf:3: metrics-listen: '127.0.0.1:93x' is not ADDR:PORT (an IPv4 address and a port 1-65535)" },
	{ RID "control = {\n metrics-listen = \"[::1]:9342\"; };\n",
	  "bad.conf:3: metrics-listen: '[::1]' is not an IPv4 address" },
	{ RID "control = {\n metrics-listen = 9342; };\n", "bad.conf:3: 'metrics-listen' must be a string" },
};

START_TEST(test_bad)
{
	const struct bad *b = &bad_configs[_i];
	struct conf c;
	char err[CONF_ERRLEN] = "";
	memset(&c, 0x5a, sizeof(c));
	int r = conf_load_string("bad.conf", b->text, &c, err, sizeof(err));
	ck_assert_msg(r == -1, "config %d was accepted:\n%s", _i, b->text);
	ck_assert_msg(strcmp(err, b->err) == 0, "config %d:\n%s\nwant: %s\ngot:  %s", _i, b->text,
		      b->err, err);
	/* Left empty: nothing to free, no stale pointers. */
	ck_assert_ptr_null(c.ifaces);
	ck_assert_uint_eq(c.n_ifaces, 0);
	ck_assert_uint_eq(c.router_id, 0);
	conf_free(&c);
}
END_TEST

START_TEST(test_err_buffer)
{
	struct conf c;
	char err[12];
	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(conf_load_string("bad.conf", "foo = 1;", &c, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "bad.conf:1:");
	/* No buffer at all is allowed too. */
	ck_assert_int_eq(conf_load_string("bad.conf", "foo = 1;", &c, NULL, 0), -1);
	ck_assert_int_eq(conf_load_string("bad.conf", NULL, &c, NULL, 0), -1);
}
END_TEST

/* Files: a temporary directory per test, removed afterwards. */
static char tmpdir[64];

static void tmp_setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_conf.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void tmp_teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_file_ok)
{
	char path[128], err[CONF_ERRLEN];
	struct conf c;
	snprintf(path, sizeof(path), "%s/fabricd.conf", tmpdir);
	write_file(path, full_conf, strlen(full_conf));
	ck_assert_int_eq(conf_load(path, &c, err, sizeof(err)), 0);
	ck_assert_str_eq(c.file, path);
	ck_assert_uint_eq(c.n_ifaces, 3);
	ck_assert_uint_eq(c.ifaces[1].keys[0].id, 1);
	conf_free(&c);
}
END_TEST

START_TEST(test_file_errors)
{
	char path[128], want[256], err[CONF_ERRLEN];
	struct conf c;

	snprintf(path, sizeof(path), "%s/bad.conf", tmpdir);
	const char *bad = RID "ospf = {\n  interfaces = ( { name = \"swp1\"; cost = 0; } );\n};\n";
	write_file(path, bad, strlen(bad));
	ck_assert_int_eq(conf_load(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: cost 0 out of range 1..65535", path);
	ck_assert_str_eq(err, want);

	const char *syntax = RID "\nospf = { interfaces = ( { name = } ); };\n";
	write_file(path, syntax, strlen(syntax));
	ck_assert_int_eq(conf_load(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: syntax error", path);
	ck_assert_str_eq(err, want);

	write_file(path, RID "\0", sizeof(RID));
	ck_assert_int_eq(conf_load(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: file contains a NUL byte", path);
	ck_assert_str_eq(err, want);

	snprintf(path, sizeof(path), "%s/missing.conf", tmpdir);
	ck_assert_int_eq(conf_load(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: cannot open: No such file or directory", path);
	ck_assert_str_eq(err, want);
	ck_assert_ptr_null(c.ifaces);

	ck_assert_int_eq(conf_load(tmpdir, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: cannot read: Is a directory", tmpdir);
	ck_assert_str_eq(err, want);

	/* An include would read another file: refused, wherever it points. */
	char inc[256];
	snprintf(path, sizeof(path), "%s/inc.conf", tmpdir);
	snprintf(inc, sizeof(inc), "@include \"%s/fabricd.conf\"\n", tmpdir);
	write_file(path, inc, strlen(inc));
	ck_assert_int_eq(conf_load(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:1: @include is not supported", path);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_file_too_large)
{
	char path[128], want[256], err[CONF_ERRLEN];
	struct conf c;
	size_t len = 1024 * 1024 + 1;
	char *big = malloc(len);
	ck_assert_ptr_nonnull(big);
	memset(big, '\n', len);
	snprintf(path, sizeof(path), "%s/big.conf", tmpdir);
	write_file(path, big, len);
	free(big);
	ck_assert_int_eq(conf_load(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: file is larger than 1048576 bytes", path);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_example_file)
{
	char err[CONF_ERRLEN] = "";
	struct conf c;
	int r = conf_load(FABRICD_CONF_EXAMPLE, &c, err, sizeof(err));
	ck_assert_msg(r == 0, "%s", err);
	ck_assert_uint_eq(c.router_id, 0x0aff0001);
	ck_assert_uint_eq(c.n_ifaces, 4);
	const struct conf_iface *lo = conf_iface_find(&c, "lo");
	const struct conf_iface *s1 = conf_iface_find(&c, "swp1");
	const struct conf_iface *s2 = conf_iface_find(&c, "swp2");
	const struct conf_iface *s3 = conf_iface_find(&c, "swp3");
	ck_assert(lo && lo->passive && !lo->bfd);
	ck_assert(s3 && s3->passive && !s3->bfd);
	const struct conf_iface *fab[] = { s1, s2 };
	for (int i = 0; i < 2; i++) {
		ck_assert_ptr_nonnull(fab[i]);
		ck_assert(!fab[i]->passive);
		ck_assert(fab[i]->bfd);
		ck_assert_int_eq(fab[i]->network, CONF_NET_P2P);
		ck_assert_uint_eq(fab[i]->hello_interval, 1);
		ck_assert_uint_eq(fab[i]->dead_interval, 3);
		ck_assert_uint_eq(fab[i]->bfd_timers.tx_interval_ms, 100);
	}
	ck_assert_str_eq(c.socket, CONF_DEFAULT_SOCKET);
	conf_free(&c);
}
END_TEST

/* Type and the keys in use; key slots past n_keys are not compared. */
static bool bfd_auth_same(const struct conf_bfd_auth *a, const struct conf_bfd_auth *b)
{
	if (a->type != b->type || a->n_keys != b->n_keys)
		return false;
	for (size_t k = 0; k < a->n_keys; k++)
		if (a->keys[k].id != b->keys[k].id || strcmp(a->keys[k].secret, b->keys[k].secret))
			return false;
	return true;
}

static bool iface_same(const struct conf_iface *a, const struct conf_iface *b)
{
	if (strcmp(a->name, b->name) || a->passive != b->passive || a->network != b->network ||
	    a->cost != b->cost || a->hello_interval != b->hello_interval ||
	    a->dead_interval != b->dead_interval || a->retransmit_interval != b->retransmit_interval ||
	    a->transmit_delay != b->transmit_delay || a->priority != b->priority ||
	    a->bfd != b->bfd || a->bfd_timers_set != b->bfd_timers_set ||
	    memcmp(&a->bfd_timers, &b->bfd_timers, sizeof(a->bfd_timers)) ||
	    a->bfd_auth_set != b->bfd_auth_set || !bfd_auth_same(&a->bfd_auth, &b->bfd_auth) ||
	    a->auth != b->auth || a->n_keys != b->n_keys)
		return false;
	for (size_t k = 0; k < a->n_keys; k++)
		if (a->keys[k].id != b->keys[k].id || strcmp(a->keys[k].secret, b->keys[k].secret))
			return false;
	return true;
}

static void assert_same(const struct conf *a, const struct conf *b)
{
	ck_assert_uint_eq(a->router_id, b->router_id);
	ck_assert_uint_eq(a->area, b->area);
	ck_assert_uint_eq(a->maximum_paths, b->maximum_paths);
	ck_assert_int_eq(a->max_metric, b->max_metric);
	ck_assert_uint_eq(a->max_lsa, b->max_lsa);
	ck_assert(memcmp(&a->spf, &b->spf, sizeof(a->spf)) == 0);
	ck_assert(memcmp(&a->bfd, &b->bfd, sizeof(a->bfd)) == 0);
	ck_assert(bfd_auth_same(&a->bfd_auth, &b->bfd_auth));
	ck_assert_str_eq(a->socket, b->socket);
	ck_assert_str_eq(a->group, b->group);
	ck_assert_str_eq(a->user, b->user);
	ck_assert_uint_eq(a->n_ifaces, b->n_ifaces);
	for (size_t i = 0; i < a->n_ifaces; i++)
		ck_assert_msg(iface_same(&a->ifaces[i], &b->ifaces[i]), "interface %zu differs", i);
}

static void round_trip(const char *text)
{
	struct conf a, b;
	char *out = NULL, err[CONF_ERRLEN];
	size_t len = 0;
	load_ok(text, &a);
	FILE *f = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(f);
	conf_write(&a, f);
	ck_assert_int_eq(fclose(f), 0);
	int r = conf_load_string("written.conf", out, &b, err, sizeof(err));
	ck_assert_msg(r == 0, "%s\nin:\n%s", err, out);
	assert_same(&a, &b);
	struct conf_diff d;
	conf_diff(&a, &b, &d);
	ck_assert(!d.router_id && !d.area && !d.bfd_timers && !d.bfd_auth && !d.spf && !d.control &&
		  !d.max_metric && !d.max_lsa && !d.user);
	ck_assert_uint_eq(d.n_added + d.n_removed + d.n_changed, 0);
	conf_diff_free(&d);
	/* Writing the reloaded config gives the same text again. */
	char *out2 = NULL;
	size_t len2 = 0;
	f = open_memstream(&out2, &len2);
	conf_write(&b, f);
	fclose(f);
	ck_assert_str_eq(out, out2);
	free(out);
	free(out2);
	conf_free(&a);
	conf_free(&b);
}

START_TEST(test_round_trip)
{
	round_trip(full_conf);
	round_trip(RID);
	round_trip(RID "user = \"root\";\n");
	round_trip(RID "ospf = { area = 4294967295; interfaces = ( { name = \"q\\\"\\\\x\";\n"
		       "  hello-interval = 65535; dead-interval = 4294967295; auth = \"md5\";\n"
		       "  keys = ( { id = 3; secret = \"a\\\"b\\\\c\\td\\xff\"; } ); } ); };\n"
		       "control = { socket = \"/tmp/x\\\"y.sock\"; };\n");
	round_trip(RID "ospf = { interfaces = ( { name = \"swp1\"; hello-interval = 65535; } ); };\n");
	round_trip(RID "control = { metrics-listen = \"0.0.0.0:65535\"; };\n");
	/* BFD auth: global sha1, inherited, overridden (to none too). */
	round_trip(bfd_auth_conf);
	/* No global auth, one override with the longest sha1 secret and
	 * every byte that needs escaping; four keys. */
	round_trip(RID "ospf = { interfaces = ( { name = \"swp1\"; bfd = true;\n"
		       "  bfd-auth = \"meticulous-keyed-sha1\"; bfd-keys = (\n"
		       "    { id = 0; secret = \"\\\"\\\\\\t\\xff0123456789abcdef\"; },\n"
		       "    { id = 1; secret = \"b\"; }, { id = 2; secret = \"c\"; },\n"
		       "    { id = 255; secret = \"d\"; } ); },\n"
		       "  { name = \"swp2\"; bfd = true; } ); };\n");
	/* Global none written explicitly; an override equal to it stays an
	 * override. */
	round_trip(RID "bfd = { auth = \"none\"; };\n"
		       "ospf = { interfaces = ( { name = \"swp1\"; bfd-auth = \"none\"; } ); };\n");
}
END_TEST

/* Issue 11: show running-config printed OSPF and BFD secrets in clear to
 * anyone in control.group. Redacted unless asked for. */
START_TEST(test_write_redacts_secrets)
{
	struct conf c;
	char *out = NULL;
	size_t len = 0;
	load_ok(full_conf, &c);
	c.bfd_auth.type = CONF_BFD_AUTH_KEYED_SHA1;
	c.bfd_auth.n_keys = 1;
	c.bfd_auth.keys[0].id = 3;
	snprintf(c.bfd_auth.keys[0].secret, sizeof c.bfd_auth.keys[0].secret, "bfd-secret");
	FILE *f = open_memstream(&out, &len);
	conf_write_opts(&c, f, false);
	fclose(f);
	ck_assert_ptr_null(strstr(out, "fabric-secret"));
	ck_assert_ptr_null(strstr(out, "0123456789abcdef"));
	ck_assert_ptr_null(strstr(out, "bfd-secret"));
	ck_assert_ptr_null(strstr(out, "\"pw\""));
	ck_assert_ptr_nonnull(strstr(out, "id = 2; secret = \"" CONF_REDACTED "\""));
	free(out);
	out = NULL;
	f = open_memstream(&out, &len);
	conf_write_opts(&c, f, true);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(out, "fabric-secret"));
	ck_assert_ptr_nonnull(strstr(out, "bfd-secret"));
	free(out);
	conf_free(&c);
}
END_TEST

START_TEST(test_write_text)
{
	struct conf c;
	char *out = NULL;
	size_t len = 0;
	load_ok(RID "ospf = { interfaces = ( { name = \"lo\"; passive = true; } ); };\n", &c);
	FILE *f = open_memstream(&out, &len);
	conf_write(&c, f);
	fclose(f);
	ck_assert_str_eq(out,
			 "router-id = \"10.0.0.1\";\n"
			 "user = \"\";\n"
			 "ospf = {\n"
			 "  area = \"0.0.0.0\";\n"
			 "  maximum-paths = 64;\n"
			 "  max-metric = false;\n"
			 "  max-lsa = 0;\n"
			 "  spf = {\n"
			 "    initial-delay-ms = 0;\n"
			 "    short-delay-ms = 50;\n"
			 "    long-delay-ms = 2000;\n"
			 "    hold-down-ms = 5000;\n"
			 "    time-to-learn-ms = 500;\n"
			 "  };\n"
			 "  interfaces = (\n"
			 "    {\n"
			 "      name = \"lo\";\n"
			 "      passive = true;\n"
			 "      network = \"point-to-point\";\n"
			 "      cost = 10;\n"
			 "      hello-interval = 10;\n"
			 "      dead-interval = 40;\n"
			 "      retransmit-interval = 5;\n"
			 "      transmit-delay = 1;\n"
			 "      priority = 1;\n"
			 "      bfd = false;\n"
			 "      auth = \"none\";\n"
			 "    }\n"
			 "  );\n"
			 "};\n"
			 "bfd = {\n"
			 "  tx-interval-ms = 300;\n"
			 "  rx-interval-ms = 300;\n"
			 "  multiplier = 3;\n"
			 "  auth = \"none\";\n"
			 "  realtime-priority = 0;\n"
			 "};\n"
			 "control = {\n"
			 "  socket = \"/run/fabricd/fabricd.sock\";\n"
			 "  group = \"\";\n"
			 "};\n");
	free(out);
	conf_free(&c);
}
END_TEST

/* bfd-auth / bfd-keys only where overridden; auth and keys always in
 * the bfd group. */
START_TEST(test_write_bfd_auth)
{
	struct conf c;
	char *out = NULL;
	size_t len = 0;
	load_ok(bfd_auth_conf, &c);
	FILE *f = open_memstream(&out, &len);
	conf_write(&c, f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(out, "bfd = {\n"
					  "  tx-interval-ms = 300;\n"
					  "  rx-interval-ms = 300;\n"
					  "  multiplier = 3;\n"
					  "  auth = \"keyed-sha1\";\n"
					  "  keys = (\n"
					  "    { id = 0; secret = \"0123456789abcdefghij\"; },\n"
					  "    { id = 255; secret = \"s\"; }\n"
					  "  );\n"
					  "  realtime-priority = 0;\n"
					  "};\n"));
	ck_assert_ptr_nonnull(strstr(out, "      name = \"swp1\";\n"));
	ck_assert_ptr_nonnull(strstr(out, "      bfd = true;\n"
					  "      bfd-auth = \"meticulous-keyed-md5\";\n"
					  "      bfd-keys = (\n"
					  "        { id = 7; secret = \"a\\\"b\\\\c\"; }\n"
					  "      );\n"
					  "      auth = \"none\";\n"));
	ck_assert_ptr_nonnull(strstr(out, "      bfd = true;\n"
					  "      bfd-auth = \"none\";\n"
					  "      auth = \"none\";\n"));
	ck_assert_ptr_nonnull(strstr(out, "      bfd-auth = \"simple\";\n"
					  "      bfd-keys = (\n"
					  "        { id = 1; secret = \"p\"; },\n"
					  "        { id = 2; secret = \"q\"; }\n"
					  "      );\n"));
	/* Three overrides (swp2..swp4); lo and swp1 inherit. */
	int n = 0;
	for (const char *p = out; (p = strstr(p, "bfd-auth")) != NULL; p++)
		n++;
	ck_assert_int_eq(n, 3);
	n = 0;
	for (const char *p = out; (p = strstr(p, "bfd-keys")) != NULL; p++)
		n++;
	ck_assert_int_eq(n, 2);
	free(out);
	conf_free(&c);
}
END_TEST

#define BASE_IFACES                                                                  \
	"  interfaces = ( { name = \"lo\"; passive = true; },\n"                      \
	"    { name = \"swp1\"; bfd = true; }, { name = \"swp2\"; bfd = true; } );\n"

static void diff_of(const char *a_text, const char *b_text, struct conf_diff *d, struct conf *a,
		    struct conf *b)
{
	load_ok(a_text, a);
	load_ok(b_text, b);
	conf_diff(a, b, d);
}

static int diff_flags(const struct conf_diff *d)
{
	return d->router_id << 0 | d->area << 1 | d->bfd_timers << 2 | d->spf << 3 |
	       d->control << 4 | d->max_metric << 5 | d->bfd_auth << 6 | d->user << 7 |
	       d->max_lsa << 8;
}

struct diff_case {
	const char *nw;
	int flags;
	size_t added, removed, changed;
	const char *name; /* the one added, removed or changed */
};

#define BASE RID "ospf = {\n" BASE_IFACES "};\n"

static const struct diff_case diff_cases[] = {
	{ BASE, 0, 0, 0, 0, NULL },
	{ "router-id = \"10.0.0.2\";\nospf = {\n" BASE_IFACES "};\n", 1 << 0, 0, 0, 0, NULL },
	{ RID "ospf = { area = 1;\n" BASE_IFACES "};\n", 1 << 1, 0, 0, 0, NULL },
	/* swp1 and swp2 run BFD with the global auth: both change with it;
	 * lo (no BFD) does not. */
	{ BASE "bfd = { auth = \"simple\"; keys = ( { id = 1; secret = \"x\"; } ); };\n", 1 << 6, 0,
	  0, 2, "swp1" },
	/* swp1 and swp2 inherit the global timers: both change with them. */
	{ BASE "bfd = { multiplier = 5; };\n", 1 << 2, 0, 0, 2, "swp1" },
	{ RID "ospf = { spf = { hold-down-ms = 1; };\n" BASE_IFACES "};\n", 1 << 3, 0, 0, 0, NULL },
	{ RID "ospf = { maximum-paths = 2;\n" BASE_IFACES "};\n", 1 << 3, 0, 0, 0, NULL },
	{ BASE "control = { socket = \"/tmp/s\"; };\n", 1 << 4, 0, 0, 0, NULL },
	{ BASE "control = { group = \"root\"; };\n", 1 << 4, 0, 0, 0, NULL },
	{ BASE "user = \"root\";\n", 1 << 7, 0, 0, 0, NULL },
	{ RID "ospf = { max-metric = true;\n" BASE_IFACES "};\n", 1 << 5, 0, 0, 0, NULL },
	{ RID "ospf = { max-lsa = 1000;\n" BASE_IFACES "};\n", 1 << 8, 0, 0, 0, NULL },
	{ RID "ospf = { interfaces = ( { name = \"lo\"; passive = true; },\n"
	      "  { name = \"swp1\"; bfd = true; }, { name = \"swp2\"; bfd = true; },\n"
	      "  { name = \"swp3\"; passive = true; } ); };\n",
	  0, 1, 0, 0, "swp3" },
	{ RID "ospf = { interfaces = ( { name = \"lo\"; passive = true; },\n"
	      "  { name = \"swp1\"; bfd = true; } ); };\n",
	  0, 0, 1, 0, "swp2" },
	{ RID "ospf = { interfaces = ( { name = \"lo\"; passive = true; },\n"
	      "  { name = \"swp1\"; bfd = true; }, { name = \"swp2\"; bfd = true; cost = 20; } ); };\n",
	  0, 0, 0, 1, "swp2" },
	/* Order does not matter; a moved definition is no change. */
	{ RID "ospf = { interfaces = ( { name = \"swp2\"; bfd = true; },\n"
	      "\n\n  { name = \"swp1\"; bfd = true; }, { name = \"lo\"; passive = true; } ); };\n",
	  0, 0, 0, 0, NULL },
	{ RID "ospf = { interfaces = ( { name = \"lo\"; passive = true; },\n"
	      "  { name = \"swp1\"; bfd = true; auth = \"md5\"; keys = ( { id = 1; secret = \"k\"; } ); },\n"
	      "  { name = \"swp2\"; bfd = true; } ); };\n",
	  0, 0, 0, 1, "swp1" },
	{ RID "ospf = { interfaces = ( { name = \"lo\"; passive = true; },\n"
	      "  { name = \"swp1\"; bfd = true; bfd-multiplier = 3; }, { name = \"swp2\"; bfd = true; } ); };\n",
	  0, 0, 0, 1, "swp1" },
};

START_TEST(test_diff)
{
	const struct diff_case *dc = &diff_cases[_i];
	struct conf a, b;
	struct conf_diff d;
	diff_of(BASE, dc->nw, &d, &a, &b);
	ck_assert_int_eq(diff_flags(&d), dc->flags);
	ck_assert_uint_eq(d.n_added, dc->added);
	ck_assert_uint_eq(d.n_removed, dc->removed);
	ck_assert_uint_eq(d.n_changed, dc->changed);
	if (dc->added)
		ck_assert_str_eq(d.added[0], dc->name);
	if (dc->removed) {
		ck_assert_str_eq(d.removed[0], dc->name);
		/* Removed names point into the old config. */
		ck_assert_ptr_eq(d.removed[0], conf_iface_find(&a, dc->name)->name);
	}
	if (dc->changed) {
		ck_assert_str_eq(d.changed[0], dc->name);
		ck_assert_ptr_eq(d.changed[0], conf_iface_find(&b, dc->name)->name);
	}
	conf_diff_free(&d);
	ck_assert_ptr_null(d.added);
	conf_free(&a);
	conf_free(&b);
}
END_TEST

/* The global BFD auth: lo runs no BFD, swp1 and swp2 inherit it, swp3
 * overrides it, swp4 inherits it but runs no BFD. */
#define BFD_DIFF(global, swp3)                                                              \
	RID "bfd = { " global " };\n"                                                       \
	    "ospf = { interfaces = ( { name = \"lo\"; passive = true; },\n"                 \
	    "  { name = \"swp1\"; bfd = true; }, { name = \"swp2\"; bfd = true; },\n"       \
	    "  { name = \"swp3\"; bfd = true; " swp3 " },\n"                                \
	    "  { name = \"swp4\"; } ); };\n"
#define SHA1_OLD "auth = \"keyed-sha1\"; keys = ( { id = 1; secret = \"old\"; } );"
#define MD5_SWP3 "bfd-auth = \"keyed-md5\"; bfd-keys = ( { id = 5; secret = \"port\"; } );"

static void assert_bfd_diff(const char *nw, bool global, const char *c1, const char *c2)
{
	struct conf a, b;
	struct conf_diff d;
	diff_of(BFD_DIFF(SHA1_OLD, MD5_SWP3), nw, &d, &a, &b);
	ck_assert_msg(diff_flags(&d) == (global ? 1 << 6 : 0), "flags %#x for\n%s", diff_flags(&d),
		      nw);
	ck_assert_uint_eq(d.n_added + d.n_removed, 0);
	ck_assert_uint_eq(d.n_changed, (c1 != NULL) + (c2 != NULL));
	if (c1)
		ck_assert_str_eq(d.changed[0], c1);
	if (c2)
		ck_assert_str_eq(d.changed[1], c2);
	conf_diff_free(&d);
	conf_free(&a);
	conf_free(&b);
}

START_TEST(test_diff_bfd_auth)
{
	/* Nothing changed. */
	assert_bfd_diff(BFD_DIFF(SHA1_OLD, MD5_SWP3), false, NULL, NULL);
	/* The global secret: the BFD ports that inherit it, not swp3 (own
	 * keys) nor lo and swp4 (no BFD). */
	assert_bfd_diff(BFD_DIFF("auth = \"keyed-sha1\"; keys = ( { id = 1; secret = \"new\"; } );",
				 MD5_SWP3),
			true, "swp1", "swp2");
	/* The key id, the type, a second key, no auth at all: the same. */
	assert_bfd_diff(BFD_DIFF("auth = \"keyed-sha1\"; keys = ( { id = 2; secret = \"old\"; } );",
				 MD5_SWP3),
			true, "swp1", "swp2");
	assert_bfd_diff(BFD_DIFF("auth = \"meticulous-keyed-sha1\";\n"
				 "  keys = ( { id = 1; secret = \"old\"; } );",
				 MD5_SWP3),
			true, "swp1", "swp2");
	assert_bfd_diff(BFD_DIFF("auth = \"keyed-sha1\"; keys = ( { id = 1; secret = \"old\"; },\n"
				 "  { id = 2; secret = \"next\"; } );",
				 MD5_SWP3),
			true, "swp1", "swp2");
	assert_bfd_diff(BFD_DIFF("", MD5_SWP3), true, "swp1", "swp2");
	/* The same auth spelled differently (',' terminators) is no change. */
	assert_bfd_diff(BFD_DIFF("auth = \"keyed-sha1\", keys = ( { id = 1, secret = \"old\" } )",
				 MD5_SWP3),
			false, NULL, NULL);
	/* swp3's own secret: swp3 only, the global flag stays clear. */
	assert_bfd_diff(BFD_DIFF(SHA1_OLD,
				 "bfd-auth = \"keyed-md5\"; bfd-keys = ( { id = 5; secret = \"p2\"; } );"),
			false, "swp3", NULL);
	/* swp3 back to inheriting, or overridden to none. */
	assert_bfd_diff(BFD_DIFF(SHA1_OLD, ""), false, "swp3", NULL);
	assert_bfd_diff(BFD_DIFF(SHA1_OLD, "bfd-auth = \"none\";"), false, "swp3", NULL);

	/* Where BFD is off on both sides, its auth does not matter, inherited
	 * or overridden. */
	struct conf a, b;
	struct conf_diff d;
	diff_of(IFACE("bfd-auth = \"simple\"; bfd-keys = ( { id = 1; secret = \"a\"; } );"),
		IFACE("bfd-auth = \"simple\"; bfd-keys = ( { id = 1; secret = \"b\"; } );"), &d, &a,
		&b);
	ck_assert_int_eq(diff_flags(&d), 0);
	ck_assert_uint_eq(d.n_changed, 0);
	conf_diff_free(&d);
	conf_free(&a);
	conf_free(&b);
	/* No interfaces at all: only the global flag. */
	diff_of(RID, RID "bfd = { " SHA1_OLD " };\n", &d, &a, &b);
	ck_assert_int_eq(diff_flags(&d), 1 << 6);
	ck_assert_uint_eq(d.n_changed, 0);
	conf_diff_free(&d);
	conf_free(&a);
	conf_free(&b);
}
END_TEST

START_TEST(test_diff_key_change)
{
	struct conf a, b;
	struct conf_diff d;
	const char *t1 = IFACE("auth = \"md5\"; keys = ( { id = 1; secret = \"a\"; } );");
	const char *t2 = IFACE("auth = \"md5\"; keys = ( { id = 1; secret = \"b\"; } );");
	const char *t3 = IFACE("auth = \"md5\"; keys = ( { id = 2; secret = \"a\"; } );");
	diff_of(t1, t2, &d, &a, &b);
	ck_assert_uint_eq(d.n_changed, 1);
	conf_diff_free(&d);
	conf_free(&b);
	load_ok(t3, &b);
	conf_diff(&a, &b, &d);
	ck_assert_uint_eq(d.n_changed, 1);
	conf_diff_free(&d);
	conf_free(&a);
	conf_free(&b);
	/* Everything removed and added at once. */
	diff_of(IFACE(""), RID "ospf = { interfaces = ( { name = \"eth0\"; } ); };", &d, &a, &b);
	ck_assert_uint_eq(d.n_added, 1);
	ck_assert_uint_eq(d.n_removed, 1);
	ck_assert_str_eq(d.added[0], "eth0");
	ck_assert_str_eq(d.removed[0], "swp1");
	conf_diff_free(&d);
	conf_free(&a);
	conf_free(&b);
}
END_TEST

static Suite *conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc = tcase_create("load");
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_dead_default_follows_hello);
	tcase_add_test(tc, test_bfd_override_partial);
	tcase_add_test(tc, test_values_edge);
	tcase_add_test(tc, test_example_file);
	tcase_add_test(tc, test_err_buffer);
	tcase_add_test(tc, test_bfd_auth);
	tcase_add_test(tc, test_bfd_auth_names);
	tcase_add_test(tc, test_realtime_priority);
	tcase_add_test(tc, test_user);
	tcase_add_test(tc, test_metrics_listen);
	tcase_add_test(tc, test_dampening);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof(bad_configs) / sizeof(bad_configs[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, test_file_ok);
	tcase_add_test(tc, test_file_errors);
	tcase_add_test(tc, test_file_too_large);
	suite_add_tcase(s, tc);

	tc = tcase_create("write");
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_write_text);
	tcase_add_test(tc, test_write_redacts_secrets);
	tcase_add_test(tc, test_write_bfd_auth);
	suite_add_tcase(s, tc);

	tc = tcase_create("diff");
	tcase_add_loop_test(tc, test_diff, 0, (int)(sizeof(diff_cases) / sizeof(diff_cases[0])));
	tcase_add_test(tc, test_diff_key_change);
	tcase_add_test(tc, test_diff_bfd_auth);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(conf_suite());
}
