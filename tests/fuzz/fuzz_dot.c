/* libFuzzer harness: the cabling-plan reader (cli/ctl_dot.c), which reads
 * whatever file an operator hands `fabricctl check topology`.
 *
 *   clang -std=c11 -D_GNU_SOURCE -I. -g -fsanitize=fuzzer,address,undefined \
 *     tests/fuzz/fuzz_dot.c cli/ctl_dot.c -o fuzz_dot && ./fuzz_dot -max_total_time=20
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cli/ctl_dot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dot_graph g;
	char err[256];
	if (dot_parse("f.dot", (const char *)data, size, &g, err, sizeof(err)) < 0) {
		/* an error names the file and a line; nothing is left built */
		if (strncmp(err, "f.dot:", 6) || g.n_nodes || g.n_edges || g.nodes)
			__builtin_trap();
		return 0;
	}
	for (size_t k = 0; k < g.n_edges; k++)
		if (g.edges[k].a >= g.n_nodes || g.edges[k].b >= g.n_nodes)
			__builtin_trap();
	for (size_t k = 0; k < g.n_nodes; k++)
		if (!g.nodes[k].name || g.nodes[k].line < 1)
			__builtin_trap();
	dot_free(&g);
	return 0;
}
