/* Unit tests: command table matching, completion and help
 * (cli/ctl_commands.c). */
#include <check.h>
#include "tests/unit/check_main.h"
#include <stdio.h>
#include <string.h>

#include "cli/ctl_commands.h"

static char err[160];

/* Match a space-separated string against the daemon (or shell) tree. */
static int match(bool shell, const char *words)
{
	struct ctl_request r;
	char line[CTL_REQ_MAX + 8];
	snprintf(line, sizeof(line), "%s\n", words);
	if (ctl_request_parse(line, strlen(line), &r, err, sizeof(err)) < 0)
		return -2;
	return ctl_cmd_match(ctl_commands_root(shell), r.argc,
			     (const char (*)[CTL_MAX_WORD])r.argv, err,
			     sizeof(err));
}

START_TEST(match_full_words)
{
	static const struct { const char *s; int id; } t[] = {
		{ "show neighbors", CTL_CMD_SHOW_NEIGHBORS },
		{ "show interfaces", CTL_CMD_SHOW_INTERFACES },
		{ "show bfd", CTL_CMD_SHOW_BFD },
		{ "show routes", CTL_CMD_SHOW_ROUTES },
		{ "show fib", CTL_CMD_SHOW_FIB },
		{ "show database", CTL_CMD_SHOW_DATABASE },
		{ "show spf", CTL_CMD_SHOW_SPF },
		{ "show counters", CTL_CMD_SHOW_COUNTERS },
		{ "show running-config", CTL_CMD_SHOW_RUNNING_CONFIG },
		{ "show version", CTL_CMD_SHOW_VERSION },
		{ "reload", CTL_CMD_RELOAD },
		{ "maintenance on", CTL_CMD_MAINTENANCE_ON },
		{ "maintenance off", CTL_CMD_MAINTENANCE_OFF },
		{ "show metrics", CTL_CMD_SHOW_METRICS },
		{ "clear counters", CTL_CMD_CLEAR_COUNTERS },
		{ "monitor", CTL_CMD_MONITOR },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(match(false, t[i].s), t[i].id);
		ck_assert_str_eq(ctl_cmd_name(t[i].id), t[i].s);
	}
	/* Commands with arguments: names show them. */
	ck_assert_int_eq(match(false, "show database detail"), CTL_CMD_SHOW_DATABASE_DETAIL);
	ck_assert_str_eq(ctl_cmd_name(CTL_CMD_SHOW_DATABASE_DETAIL), "show database detail [TYPE] [ID]");
	ck_assert_int_eq(match(false, "show paths"), CTL_CMD_SHOW_PATHS);
	ck_assert_int_eq(match(false, "show paths 10.255.0.1"), CTL_CMD_SHOW_PATHS);
	ck_assert_int_eq(match(false, "show events"), CTL_CMD_SHOW_EVENTS);
	ck_assert_int_eq(match(false, "show events 20"), CTL_CMD_SHOW_EVENTS);
	ck_assert_int_eq(match(false, "show events 0"), -1);
	ck_assert_str_eq(err, "invalid argument '0' (expected COUNT)");
	ck_assert_int_eq(match(false, "show events 1000001"), -1);
	ck_assert_int_eq(match(false, "show events -1"), -1);
	ck_assert_int_eq(match(false, "show topology"), CTL_CMD_SHOW_TOPOLOGY);
	ck_assert_int_eq(match(false, "show topology --dot"), CTL_CMD_SHOW_TOPOLOGY);
	ck_assert_int_eq(match(false, "clear neighbor"), CTL_CMD_CLEAR_NEIGHBOR);
	ck_assert_int_eq(match(false, "clear neighbor 10.255.0.3"), CTL_CMD_CLEAR_NEIGHBOR);
	ck_assert_int_eq(match(false, "show route 10.2.2.10"), CTL_CMD_SHOW_ROUTE);
	ck_assert_int_eq(match(false, "show route 10.2.2.0/24"), CTL_CMD_SHOW_ROUTE);
	ck_assert_int_eq(match(false, "show route 0.0.0.0/0"), CTL_CMD_SHOW_ROUTE);
	ck_assert_int_eq(match(false, "check topology plan.dot"), -1);	/* client only */
	ck_assert_int_eq(match(true, "check topology plan.dot"), CTL_CMD_CHECK_TOPOLOGY);
	ck_assert_str_eq(ctl_cmd_name(0), "");
	ck_assert_str_eq(ctl_cmd_name(CTL_CMD_COUNT), "");
}
END_TEST

START_TEST(match_abbreviations)
{
	ck_assert_int_eq(match(false, "sh nei"), CTL_CMD_SHOW_NEIGHBORS);
	ck_assert_int_eq(match(false, "s n"), CTL_CMD_SHOW_NEIGHBORS);
	ck_assert_int_eq(match(false, "sh d d"), CTL_CMD_SHOW_DATABASE_DETAIL);
	ck_assert_int_eq(match(false, "sh ru"), CTL_CMD_SHOW_RUNNING_CONFIG);
	ck_assert_int_eq(match(false, "sh routes"), CTL_CMD_SHOW_ROUTES);
	ck_assert_int_eq(match(false, "sh route 10.0.0.1"), CTL_CMD_SHOW_ROUTE);
	ck_assert_int_eq(match(false, "sh d d r 10.255.0.3"), CTL_CMD_SHOW_DATABASE_DETAIL);
	ck_assert_int_eq(match(false, "sh d d ne"), CTL_CMD_SHOW_DATABASE_DETAIL);
	ck_assert_int_eq(match(false, "sh d d 10.255.0.3"), CTL_CMD_SHOW_DATABASE_DETAIL);
	ck_assert_int_eq(match(false, "cl n 10.255.0.3"), CTL_CMD_CLEAR_NEIGHBOR);
	ck_assert_int_eq(match(false, "cl c"), CTL_CMD_CLEAR_COUNTERS);
	ck_assert_int_eq(match(false, "sh top --dot"), CTL_CMD_SHOW_TOPOLOGY);
	ck_assert_int_eq(match(false, "mo"), CTL_CMD_MONITOR);
	ck_assert_int_eq(match(false, "r"), CTL_CMD_RELOAD);
	ck_assert_int_eq(match(false, "ma of"), CTL_CMD_MAINTENANCE_OFF);
	ck_assert_int_eq(match(false, "--json sh ver"), CTL_CMD_SHOW_VERSION);
}
END_TEST

START_TEST(match_errors)
{
	ck_assert_int_eq(match(false, "x"), -1);
	ck_assert_str_eq(err, "unknown command 'x'");
	ck_assert_int_eq(match(false, "show r"), -1);
	ck_assert_str_eq(err, "ambiguous command 'r'");
	ck_assert_int_eq(match(false, "sh ro"), -1);	/* route, routes */
	ck_assert_str_eq(err, "ambiguous command 'ro'");
	ck_assert_int_eq(match(false, "show route"), -1);
	ck_assert_str_eq(err, "incomplete command");
	ck_assert_int_eq(match(false, "show route 10.2.2.300"), -1);
	ck_assert_str_eq(err, "invalid argument '10.2.2.300' (expected A.B.C.D/M)");
	ck_assert_int_eq(match(false, "show route 10.2.2.0/33"), -1);
	ck_assert_int_eq(match(false, "show route 10.2.2.0/"), -1);
	ck_assert_int_eq(match(false, "show route 10.2.2.0/2x"), -1);
	ck_assert_int_eq(match(false, "show route 10.0.0.1 extra"), -1);
	ck_assert_str_eq(err, "unknown command 'extra'");
	ck_assert_int_eq(match(false, "clear neighbor leaf1"), -1);
	ck_assert_str_eq(err, "invalid argument 'leaf1' (expected A.B.C.D)");
	ck_assert_int_eq(match(false, "show database detail router x"), -1);
	ck_assert_str_eq(err, "invalid argument 'x' (expected A.B.C.D)");
	ck_assert_int_eq(match(false, "show topology --svg"), -1);
	ck_assert_str_eq(err, "unknown command '--svg'");
	ck_assert_int_eq(match(false, "maintenance o"), -1);
	ck_assert_str_eq(err, "ambiguous command 'o'");
	ck_assert_int_eq(match(false, "show"), -1);
	ck_assert_str_eq(err, "incomplete command");
	ck_assert_int_eq(match(false, "maint"), -1);
	ck_assert_str_eq(err, "incomplete command");
	ck_assert_int_eq(match(false, "show neighbors extra"), -1);
	ck_assert_str_eq(err, "unknown command 'extra'");
	ck_assert_int_eq(match(false, "show database detail more"), -1);
	ck_assert_str_eq(err, "invalid argument 'more' (expected A.B.C.D)");
	ck_assert_int_eq(match(false, "shows neighbors"), -1);
	ck_assert_str_eq(err, "unknown command 'shows'");
	ck_assert_int_eq(match(false, "exit"), -1);	/* shell-only */
	ck_assert_int_eq(match(true, "exit"), CTL_CMD_EXIT);
	ck_assert_int_eq(match(true, "q"), CTL_CMD_EXIT);
	ck_assert_int_eq(match(true, "sh bfd"), CTL_CMD_SHOW_BFD);
	ck_assert_int_eq(ctl_cmd_match(ctl_commands_root(false), 0, NULL, err,
				       sizeof(err)), -1);
	ck_assert_str_eq(err, "incomplete command");
}
END_TEST

START_TEST(match_request)
{
	struct ctl_request r;
	ck_assert_int_eq(ctl_request_parse("--json sh int\n", 14, &r, err,
					   sizeof(err)), 0);
	ck_assert_int_eq(ctl_cmd_match_request(&r, err, sizeof(err)),
			 CTL_CMD_SHOW_INTERFACES);
}
END_TEST

START_TEST(complete_words)
{
	const struct ctl_node *c[32];
	bool can_end;
	char w[2][CTL_MAX_WORD] = { "show", "database" };
	int n = ctl_cmd_complete(ctl_commands_root(false), 0, w, "", c, 32,
				 &can_end, err, sizeof(err));
	ck_assert_int_eq(n, 5);
	ck_assert(!can_end);
	ck_assert_str_eq(c[0]->word, "show");
	n = ctl_cmd_complete(ctl_commands_root(true), 0, w, "", c, 32,
			     &can_end, err, sizeof(err));
	ck_assert_int_eq(n, 8);	/* + check, exit, quit */
	n = ctl_cmd_complete(ctl_commands_root(false), 1, w, "r", c, 32,
			     &can_end, err, sizeof(err));
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(c[0]->word, "route");
	ck_assert_str_eq(c[1]->word, "routes");
	ck_assert_str_eq(c[2]->word, "running-config");
	n = ctl_cmd_complete(ctl_commands_root(false), 2, w, "", c, 32,
			     &can_end, err, sizeof(err));
	ck_assert_int_eq(n, 1);
	ck_assert(can_end);
	ck_assert_str_eq(c[0]->word, "detail");
	/* An argument is offered whatever is typed: it is not a word to complete. */
	char cn[2][CTL_MAX_WORD] = { "clear", "neighbor" };
	n = ctl_cmd_complete(ctl_commands_root(false), 2, cn, "10.", c, 32,
			     &can_end, err, sizeof(err));
	ck_assert_int_eq(n, 1);
	ck_assert(can_end);
	ck_assert(ctl_node_is_arg(c[0]));
	ck_assert_str_eq(c[0]->word, "A.B.C.D");
	n = ctl_cmd_complete(ctl_commands_root(false), 1, w, "zz", c, 32,
			     &can_end, err, sizeof(err));
	ck_assert_int_eq(n, 0);
	/* Only max stored, full count returned. */
	n = ctl_cmd_complete(ctl_commands_root(false), 1, w, "", c, 2,
			     &can_end, err, sizeof(err));
	ck_assert_int_eq(n, 15);
	char bad[1][CTL_MAX_WORD] = { "bogus" };
	ck_assert_int_eq(ctl_cmd_complete(ctl_commands_root(false), 1, bad, "",
					  c, 32, &can_end, err, sizeof(err)),
			 -1);
	ck_assert_str_eq(err, "unknown command 'bogus'");
}
END_TEST

START_TEST(help_lines)
{
	struct ctl_buf b;
	char w[2][CTL_MAX_WORD] = { "sh", "database" };
	ctl_buf_init(&b);
	ck_assert_int_eq(ctl_cmd_help(ctl_commands_root(false), 2, w, "", &b),
			 2);
	ck_assert_str_eq(b.data, "  detail  Every LSA with its full contents\n"
				 "  <cr>\n");
	ctl_buf_reset(&b);
	ck_assert_int_eq(ctl_cmd_help(ctl_commands_root(false), 0, w, "ma", &b),
			 1);
	ck_assert_str_eq(b.data, "  maintenance  Maintenance mode (drain the "
				 "switch)\n");
	ctl_buf_reset(&b);
	char x[1][CTL_MAX_WORD] = { "x" };
	ck_assert_int_eq(ctl_cmd_help(ctl_commands_root(false), 1, x, "", &b),
			 -1);
	ck_assert_str_eq(b.data, "% unknown command 'x'\n");
	ctl_buf_free(&b);
}
END_TEST

/* Every path through the tree ends in a named command and every node has
 * help: guards the table itself against editing slips. */
static void check_tree(const struct ctl_node *n, int depth)
{
	ck_assert_int_lt(depth, 6);
	for (; n && n->word; n++) {
		ck_assert_ptr_nonnull(n->help);
		ck_assert(n->cmd != 0 || n->children);
		if (n->cmd)
			ck_assert_str_ne(ctl_cmd_name(n->cmd), "");
		check_tree(n->children, depth + 1);
	}
}

START_TEST(canonical_words)
{
	struct ctl_request r;
	char out[CTL_MAX_ARGS][CTL_MAX_WORD];
	const char *line = "sh d d rou 10.255.0.3\n";
	ck_assert_int_eq(ctl_request_parse(line, strlen(line), &r, err, sizeof(err)), 0);
	ck_assert_int_eq(ctl_cmd_canonical(ctl_commands_root(false), r.argc,
					   (const char (*)[CTL_MAX_WORD])r.argv, out, err,
					   sizeof(err)), 5);
	ck_assert_str_eq(out[0], "show");
	ck_assert_str_eq(out[1], "database");
	ck_assert_str_eq(out[2], "detail");
	ck_assert_str_eq(out[3], "router");
	ck_assert_str_eq(out[4], "10.255.0.3");
	line = "cl nei bogus\n";
	ck_assert_int_eq(ctl_request_parse(line, strlen(line), &r, err, sizeof(err)), 0);
	ck_assert_int_eq(ctl_cmd_canonical(ctl_commands_root(false), r.argc,
					   (const char (*)[CTL_MAX_WORD])r.argv, out, err,
					   sizeof(err)), -1);
	ck_assert_str_eq(err, "invalid argument 'bogus' (expected A.B.C.D)");
}
END_TEST

START_TEST(table_is_consistent)
{
	check_tree(ctl_commands_root(false), 0);
	check_tree(ctl_commands_root(true), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ctl_commands");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, match_full_words);
	tcase_add_test(tc, match_abbreviations);
	tcase_add_test(tc, match_errors);
	tcase_add_test(tc, match_request);
	tcase_add_test(tc, complete_words);
	tcase_add_test(tc, help_lines);
	tcase_add_test(tc, canonical_words);
	tcase_add_test(tc, table_is_consistent);
	suite_add_tcase(s, tc);
	return check_run(s);
}
