/* Unit tests: the DOT reader for cabling plans (cli/ctl_dot.c) and the
 * comparison of a plan with `show topology` JSON (cli/ctl_topocheck.c). */
#include <check.h>
#include "tests/unit/check_main.h"
#include <stdio.h>
#include <string.h>

#include "cli/ctl_dot.h"
#include "cli/ctl_topocheck.h"

static char err[512];

static int parse(const char *text, struct dot_graph *g)
{
	return dot_parse("plan.dot", text, strlen(text), g, err, sizeof(err));
}

START_TEST(dot_subset)
{
	struct dot_graph g;
	const char *t =
		"/* plan */ strict graph \"fabric\" {\n"
		"  graph [rankdir=LR]; node [shape=box]\n"
		"  rankdir = LR\n"
		"  leaf1 [router_id=\"10.255.0.1\", label=\"leaf 1\"];\n"
		"  \"spine3\" [ router_id = \"10.255.0.3\" ]\n"
		"  leaf1:swp1 -- \"spine3\":\"swp1\":n; # a comment\n"
		"  \"10.255.0.2\" -- spine3 -- \"10.255.0.4\" [label=\"10\"]\n"
		"  // the end\n"
		"  \"net 10.0.0.0/24\" [network=\"10.0.0.0/24\"]; leaf1 -- \"net 10.0.0.0/24\"\n"
		"}\n";
	ck_assert_msg(parse(t, &g) == 0, "%s", err);
	ck_assert_uint_eq(g.n_nodes, 5);
	ck_assert_str_eq(g.nodes[0].name, "leaf1");
	ck_assert_uint_eq(g.nodes[0].rid, 0x0aff0001);
	ck_assert_int_eq(g.nodes[0].line, 4);
	ck_assert_uint_eq(g.nodes[1].rid, 0x0aff0003);
	ck_assert_uint_eq(g.nodes[2].rid, 0x0aff0002);
	ck_assert(g.nodes[4].network);
	ck_assert_uint_eq(g.n_edges, 4);
	ck_assert_str_eq(g.edges[0].port_a, "swp1");
	ck_assert_str_eq(g.edges[0].port_b, "swp1");
	ck_assert_int_eq(g.edges[0].line, 6);
	ck_assert_ptr_null(g.edges[1].port_a);
	ck_assert_uint_eq(g.edges[1].a, 2);
	ck_assert_uint_eq(g.edges[1].b, 1);
	ck_assert_uint_eq(g.edges[2].a, 1);
	ck_assert_uint_eq(g.edges[2].b, 3);
	ck_assert_int_eq(g.edges[2].line, 7);
	dot_free(&g);
	ck_assert_int_eq(parse("digraph { \"10.0.0.1\" -> \"10.0.0.2\" }", &g), 0);
	ck_assert_uint_eq(g.n_edges, 1);
	dot_free(&g);
}
END_TEST

START_TEST(dot_error_messages)
{
	struct dot_graph g;
	static const struct { const char *text, *msg; } t[] = {
		{ "", "plan.dot:1: expected 'graph' or 'digraph'" },
		{ "graph {\n \"10.0.0.1\" -- \"10.0.0.2\"\n", "plan.dot:3: missing '}' at the end of the graph" },
		{ "graph {\n \"10.0.0.1\" -> \"10.0.0.2\"\n}", "plan.dot:2: '->' in an undirected graph" },
		{ "digraph {\n \"10.0.0.1\" -- \"10.0.0.2\"\n}", "plan.dot:2: '--' in a directed graph" },
		{ "graph {\n\n leaf1 -- \"10.0.0.2\"\n}", "plan.dot:3: node 'leaf1' has no router ID: name it by its router ID or give it [router_id=\"A.B.C.D\"]" },
		{ "graph {\n a [router_id=\"10.0.0\"]\n}", "plan.dot:2: router_id '10.0.0' is not an IPv4 address" },
		{ "graph {\n a [router_id=\"10.0.0.1\"]; b [router_id=\"10.0.0.1\"]\n}", "plan.dot:2: nodes 'a' and 'b' have the same router ID" },
		{ "graph {\n subgraph x { }\n}", "plan.dot:2: subgraphs are not supported" },
		{ "graph {\n a [label=<b>x</b>]\n}", "plan.dot:2: HTML strings (<...>) are not supported" },
		{ "graph {\n \"10.0.0.1\" -- \n}", "plan.dot:3: expected a node after '--'" },
		{ "graph {\n \"unterminated\n}\n", "plan.dot:2: unterminated string" },
		{ "graph {\n a [x=\n}", "plan.dot:3: expected a value after '='" },
		{ "graph { } extra", "plan.dot:1: text after the end of the graph" },
		{ "graph {\n a @ b\n}", "plan.dot:2: unexpected character '@'" },
		{ "graph {\n \"10.0.0.1\":\n}", "plan.dot:3: expected a port name after ':'" },
		{ "graph {\n \"10.0.0.1\" -- \"10.0.0.2\"\n [cost=0]\n}", "plan.dot:3: cost '0' is not 1-65535" },
		{ "graph {\n \"10.0.0.1\" -- \"10.0.0.2\" [cost=\"1x\"]\n}", "plan.dot:2: cost '1x' is not 1-65535" },
	};
	for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		ck_assert_msg(parse(t[k].text, &g) == -1, "case %zu parsed", k);
		ck_assert_str_eq(err, t[k].msg);
		ck_assert_uint_eq(g.n_nodes, 0);	/* nothing half-built */
	}
	ck_assert_int_eq(dot_load("/nonexistent/plan.dot", &g, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "/nonexistent/plan.dot: No such file or directory");
}
END_TEST

/* show topology JSON of the reference fabric, minus what a test removes */
static json_object *fabric(const char *extra_links)
{
	char buf[2048];
	snprintf(buf, sizeof(buf),
		 "{\"routers\":[{\"router_id\":\"10.255.0.1\"},{\"router_id\":\"10.255.0.2\"},"
		 "{\"router_id\":\"10.255.0.3\"},{\"router_id\":\"10.255.0.4\"}],\"links\":["
		 "{\"a\":\"10.255.0.1\",\"b\":\"10.255.0.3\",\"two_way\":true},"
		 "{\"a\":\"10.255.0.1\",\"b\":\"10.255.0.4\",\"two_way\":true},"
		 "{\"a\":\"10.255.0.2\",\"b\":\"10.255.0.3\",\"two_way\":true}%s]}",
		 extra_links);
	json_object *o = json_tokener_parse(buf);
	ck_assert_ptr_nonnull(o);
	return o;
}

static const char plan[] =
	"graph {\n"
	"  leaf1 [router_id=\"10.255.0.1\"]; leaf2 [router_id=\"10.255.0.2\"];\n"
	"  spine3 [router_id=\"10.255.0.3\"]; spine4 [router_id=\"10.255.0.4\"];\n"
	"  leaf1:swp1 -- spine3:swp1; leaf1:swp2 -- spine4:swp1;\n"
	"  leaf2:swp1 -- spine3:swp2; leaf2:swp2 -- spine4:swp2;\n"
	"}\n";

static int compare(const char *links, struct ctl_buf *out)
{
	struct dot_graph g;
	ck_assert_msg(parse(plan, &g) == 0, "%s", err);
	json_object *topo = fabric(links);
	ctl_buf_reset(out);
	int n = ctl_topo_check("plan.dot", &g, topo, out);
	json_object_put(topo);
	dot_free(&g);
	return n;
}

START_TEST(check_against_plan)
{
	struct ctl_buf out;
	ctl_buf_init(&out);
	const char *l24 = ",{\"a\":\"10.255.0.2\",\"b\":\"10.255.0.4\",\"two_way\":true}";
	ck_assert_int_eq(compare(l24, &out), 0);
	ck_assert_str_eq(ctl_buf_str(&out), "");
	/* leaf2 -- spine4 down */
	ck_assert_int_eq(compare("", &out), 1);
	ck_assert_str_eq(ctl_buf_str(&out), "missing: leaf2:swp2 -- spine4:swp2 (plan.dot:5)\n");
	/* only one way: not a link */
	ck_assert_int_eq(compare(",{\"a\":\"10.255.0.2\",\"b\":\"10.255.0.4\",\"two_way\":false}", &out), 1);
	/* an extra cable between the spines, named by router ID when not planned */
	ck_assert_int_eq(compare(",{\"a\":\"10.255.0.2\",\"b\":\"10.255.0.4\",\"two_way\":true},"
				 "{\"a\":\"10.255.0.4\",\"b\":\"10.255.0.9\",\"two_way\":true}", &out), 1);
	ck_assert_str_eq(ctl_buf_str(&out), "extra: spine4 -- 10.255.0.9\n");
	/* leaf2's second cable in spine3 instead of spine4 */
	ck_assert_int_eq(compare(",{\"a\":\"10.255.0.2\",\"b\":\"10.255.0.3\",\"two_way\":true}", &out), 1);
	ck_assert_str_eq(ctl_buf_str(&out),
			 "miswired: leaf2:swp2 -- spine4:swp2 planned, leaf2 -- spine3 found (plan.dot:5)\n");
	ctl_buf_free(&out);
	/* the same as JSON (check topology --json) */
	struct dot_graph g;
	ck_assert_int_eq(parse(plan, &g), 0);
	json_object *topo = fabric(",{\"a\":\"10.255.0.2\",\"b\":\"10.255.0.3\",\"two_way\":true}");
	json_object *d = ctl_topo_diffs(&g, topo);
	json_object *want = json_tokener_parse(
		"[{\"kind\":\"miswired\",\"line\":5,"
		"\"at\":{\"name\":\"leaf2\",\"router_id\":\"10.255.0.2\",\"port\":\"swp2\"},"
		"\"planned\":{\"name\":\"spine4\",\"router_id\":\"10.255.0.4\",\"port\":\"swp2\"},"
		"\"found\":{\"name\":\"spine3\",\"router_id\":\"10.255.0.3\"}}]");
	ck_assert_msg(json_object_equal(d, want), "%s", json_object_to_json_string(d));
	json_object_put(want);
	json_object_put(d);
	json_object_put(topo);
	dot_free(&g);
}
END_TEST

START_TEST(check_costs)
{
	struct dot_graph g;
	struct ctl_buf out;
	ctl_buf_init(&out);
	ck_assert_int_eq(parse("graph {\n leaf1 [router_id=\"10.255.0.1\"]; spine3 [router_id=\"10.255.0.3\"];\n"
			       " spine3:swp1 -- leaf1:swp1 [cost=10];\n}\n", &g), 0);
	ck_assert_uint_eq(g.edges[0].cost, 10);
#define FMT "{\"routers\":[{\"router_id\":\"10.255.0.1\"},{\"router_id\":\"10.255.0.3\"}]," \
	    "\"links\":[{\"a\":\"10.255.0.1\",\"b\":\"10.255.0.3\",\"cost_ab\":%d," \
	    "\"cost_ba\":%d,\"two_way\":true}]}"
	char buf[512];
	snprintf(buf, sizeof(buf), FMT, 10, 10);
	json_object *topo = json_tokener_parse(buf);
	ck_assert_int_eq(ctl_topo_check("p.dot", &g, topo, &out), 0);
	json_object_put(topo);
	/* leaf1 drained (max-metric): 65535 from leaf1, 10 back; shown in
	 * the plan's direction, spine3 -> leaf1 first */
	snprintf(buf, sizeof(buf), FMT, 65535, 10);
	topo = json_tokener_parse(buf);
	ck_assert_int_eq(ctl_topo_check("p.dot", &g, topo, &out), 1);
	ck_assert_str_eq(ctl_buf_str(&out),
			 "cost: spine3:swp1 -- leaf1:swp1 planned 10, found 10 / 65535 (p.dot:3)\n");
	json_object_put(topo);
	dot_free(&g);
	ctl_buf_free(&out);
}
END_TEST

START_TEST(check_missing_router)
{
	struct dot_graph g;
	struct ctl_buf out;
	ctl_buf_init(&out);
	ck_assert_int_eq(parse("graph { \"10.255.0.1\" -- \"10.255.0.3\"; x [router_id=\"10.255.0.9\"] }", &g), 0);
	json_object *topo = fabric("");
	/* 10.255.0.9 missing; the fabric's links that the plan lacks are extra */
	int n = ctl_topo_check("p.dot", &g, topo, &out);
	ck_assert_int_eq(n, 3);
	ck_assert_ptr_nonnull(strstr(ctl_buf_str(&out), "missing router: x (10.255.0.9) is not in the LSDB\n"));
	ck_assert_ptr_nonnull(strstr(ctl_buf_str(&out), "extra: 10.255.0.1 -- 10.255.0.4\n"));
	json_object_put(topo);
	dot_free(&g);
	ctl_buf_free(&out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ctl_topo");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, dot_subset);
	tcase_add_test(tc, dot_error_messages);
	tcase_add_test(tc, check_against_plan);
	tcase_add_test(tc, check_costs);
	tcase_add_test(tc, check_missing_router);
	suite_add_tcase(s, tc);
	return check_run(s);
}
