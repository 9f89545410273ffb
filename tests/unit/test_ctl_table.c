/* Unit tests: text tables from json-c rows (cli/ctl_table.c). */
#include <check.h>
#include "tests/unit/check_main.h"
#include <string.h>

#include "cli/ctl_table.h"

static const struct ctl_column neigh_cols[] = {
	{ "router_id", "Neighbor ID" },
	{ "state", "State" },
	{ "priority", "Pri" },
	{ "bfd", "BFD" },
	{ "interface", "Interface" },
};

START_TEST(render_neighbors)
{
	struct json_object *rows = json_tokener_parse(
		"[{\"router_id\":\"10.0.0.3\",\"state\":\"Full\",\"priority\":1,"
		"\"bfd\":\"Up\",\"interface\":\"swp1\"},"
		"{\"router_id\":\"10.0.0.4\",\"state\":\"2-Way\",\"priority\":"
		"100,\"bfd\":null,\"interface\":\"swp2\"}]");
	struct ctl_buf b;
	ck_assert_ptr_nonnull(rows);
	ctl_buf_init(&b);
	ck_assert_int_eq(ctl_table_render(&b, rows, neigh_cols, 5), 0);
	ck_assert_str_eq(b.data,
			 "Neighbor ID  State  Pri  BFD  Interface\n"
			 "10.0.0.3     Full   1    Up   swp1\n"
			 "10.0.0.4     2-Way  100  -    swp2\n");
	ctl_buf_free(&b);
	json_object_put(rows);
}
END_TEST

START_TEST(render_cell_kinds)
{
	static const struct ctl_column cols[] = {
		{ "prefix", "Prefix" },
		{ "nexthops", "Nexthops" },
		{ "installed", "Inst" },
		{ "cost", "Cost" },
		{ "missing", "X" },
	};
	struct json_object *rows = json_tokener_parse(
		"[{\"prefix\":\"10.1.0.0/24\",\"cost\":20,\"installed\":true,"
		"\"nexthops\":[{\"via\":\"10.0.1.1\",\"interface\":\"swp1\"},"
		"{\"via\":\"10.255.0.3\",\"interface\":\"swp2\",\"onlink\":true}]},"
		"{\"prefix\":\"10.9.0.0/16\",\"cost\":1.5,\"installed\":false,"
		"\"nexthops\":[]}]");
	struct ctl_buf b;
	ctl_buf_init(&b);
	ck_assert_int_eq(ctl_table_render(&b, rows, cols, 5), 0);
	ck_assert_str_eq(b.data,
		"Prefix       Nexthops                               Inst  Cost  X\n"
		"10.1.0.0/24  10.0.1.1 swp1, 10.255.0.3 swp2 onlink  yes   20    -\n"
		"10.9.0.0/16  -                                      no    1.5   -\n");
	ctl_buf_free(&b);
	json_object_put(rows);
}
END_TEST

START_TEST(render_empty_and_odd)
{
	struct ctl_buf b;
	ctl_buf_init(&b);
	struct json_object *empty = json_object_new_array();
	ck_assert_int_eq(ctl_table_render(&b, empty, neigh_cols, 2), 0);
	ck_assert_str_eq(b.data, "Neighbor ID  State\n");
	ctl_buf_reset(&b);
	/* Not an array: heading only.  NULL rows likewise. */
	struct json_object *obj = json_object_new_object();
	ck_assert_int_eq(ctl_table_render(&b, obj, neigh_cols, 2), 0);
	ck_assert_int_eq(ctl_table_render(&b, NULL, neigh_cols, 2), 0);
	ck_assert_str_eq(b.data, "Neighbor ID  State\nNeighbor ID  State\n");
	ctl_buf_reset(&b);
	/* Rows that are not objects show "-"; control chars are masked;
	 * widths count UTF-8 characters. */
	struct json_object *rows = json_tokener_parse(
		"[42, {\"router_id\":\"a\\u001b[31mb\",\"state\":\"\\u00e9t\\u00e9\"},"
		"{\"router_id\":\"x\",\"state\":\"y\"}]");
	ck_assert_int_eq(ctl_table_render(&b, rows, neigh_cols, 2), 0);
	ck_assert_str_eq(b.data,
			 "Neighbor ID  State\n"
			 "-            -\n"
			 "a?[31mb      \xc3\xa9t\xc3\xa9\n"
			 "x            y\n");
	ctl_buf_free(&b);
	json_object_put(rows);
	json_object_put(obj);
	json_object_put(empty);
}
END_TEST

START_TEST(render_json)
{
	struct ctl_buf b;
	ctl_buf_init(&b);
	struct json_object *o = json_tokener_parse("{\"a\":[1,\"x/y\"]}");
	ck_assert_int_eq(ctl_json_render(&b, o, false), 0);
	ck_assert_str_eq(b.data, "{\"a\":[1,\"x/y\"]}\n");
	ctl_buf_reset(&b);
	ck_assert_int_eq(ctl_json_render(&b, o, true), 0);
	ck_assert_ptr_nonnull(strchr(b.data, '\n'));
	struct json_object *back = json_tokener_parse(b.data);
	ck_assert(json_object_equal(o, back));
	json_object_put(back);
	json_object_put(o);
	ctl_buf_free(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ctl_table");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, render_neighbors);
	tcase_add_test(tc, render_cell_kinds);
	tcase_add_test(tc, render_empty_and_odd);
	tcase_add_test(tc, render_json);
	suite_add_tcase(s, tc);
	return check_run(s);
}
