/* ctl_dot: the subset of Graphviz DOT that a cabling plan needs (pure).
 *
 *   [strict] graph|digraph [NAME] {
 *     "leaf1" [router_id="10.255.0.1"];      node, optional attributes
 *     "leaf1":"swp1" -- "spine3":"swp1";     edge, ports optional
 *     a -- b -- c [cost=10, label="10"];     chains; cost checked, others ignored
 *     node [shape=box]; graph [rankdir=LR]; rankdir=LR;   ignored
 *   }
 *
 * IDs are bare words ([A-Za-z0-9_.]) or "quoted strings"; comments are
 * //, # and C-style.  Undirected graphs use --, digraphs ->.  Subgraphs
 * and HTML labels are not supported (an error, not ignored).
 *
 * A node stands for a router: its name is its router ID ("10.255.0.1"),
 * or it carries router_id="A.B.C.D" and its name is for people (a
 * hostname).  A node with a network="P/L" attribute is a transit network
 * (as `show topology --dot` writes them) and is not checked.  Any other
 * node is an error, reported at the line where it first appears. */
#ifndef FABRICD_CLI_CTL_DOT_H
#define FABRICD_CLI_CTL_DOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dot_node {
	char *name;
	uint32_t rid;		/* host order, valid when !network */
	bool network;
	bool rid_given;		/* by a router_id attribute */
	int line;		/* first appearance */
};

struct dot_edge {
	size_t a, b;		/* node indices */
	char *port_a, *port_b;	/* NULL when not given */
	int line;
	uint16_t cost;		/* [cost=N]: the OSPF cost both ways; 0 = any */
};

struct dot_graph {
	struct dot_node *nodes;
	size_t n_nodes, cap_nodes;
	struct dot_edge *edges;
	size_t n_edges, cap_edges;
};

/* Parse text (name stands for the file in messages).  Returns 0, or -1
 * with err "name:line: message" and g left empty. */
int dot_parse(const char *name, const char *text, size_t len,
	      struct dot_graph *g, char *err, size_t errlen);
/* The same from a file ("path: No such file or directory"). */
int dot_load(const char *path, struct dot_graph *g, char *err, size_t errlen);
void dot_free(struct dot_graph *g);

#endif
