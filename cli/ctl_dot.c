/* ctl_dot: a small DOT reader for cabling plans (ctl_dot.h). */
#include "cli/ctl_dot.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proto/lib/vec.h"

enum tok {
	T_EOF, T_ID, T_LBRACE, T_RBRACE, T_LBRACK, T_RBRACK, T_SEMI, T_COMMA,
	T_EQ, T_COLON, T_EDGE_U, T_EDGE_D,
};

struct lex {
	const char *name, *p, *end;
	int line;
	enum tok tok;
	int tok_line;
	char *text;		/* the current ID (malloc'd) */
	bool quoted;
	bool pushed;		/* tok is to be returned again */
	bool failed;
	char *err;
	size_t errlen;
	struct dot_graph *g;
	bool directed;
	/* attribute values of the node statement being parsed */
	char *rid_attr, *net_attr, *cost_attr;
	int attr_line, cost_line;
};

__attribute__((format(printf, 3, 4)))
static int fail(struct lex *lx, int line, const char *fmt, ...)
{
	if (lx->failed)
		return -1;
	lx->failed = true;
	int n = snprintf(lx->err, lx->errlen, "%s:%d: ", lx->name, line);
	va_list ap;
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < lx->errlen)
		vsnprintf(lx->err + n, lx->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static void skip_blanks(struct lex *lx)
{
	while (lx->p < lx->end) {
		char c = *lx->p;
		if (c == '\n') {
			lx->line++;
			lx->p++;
		} else if (isspace((unsigned char)c)) {
			lx->p++;
		} else if (c == '#' || (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '/')) {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '*') {
			lx->p += 2;
			while (lx->p + 1 < lx->end && !(lx->p[0] == '*' && lx->p[1] == '/')) {
				lx->line += *lx->p == '\n';
				lx->p++;
			}
			lx->p = lx->p + 1 < lx->end ? lx->p + 2 : lx->end;
		} else {
			return;
		}
	}
}

static int set_text(struct lex *lx, const char *s, size_t n)
{
	free(lx->text);
	lx->text = malloc(n + 1);
	if (!lx->text)
		return fail(lx, lx->line, "out of memory");
	memcpy(lx->text, s, n);
	lx->text[n] = '\0';
	return 0;
}

static int lex_string(struct lex *lx)
{
	size_t cap = 64, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		return fail(lx, lx->line, "out of memory");
	lx->p++; /* opening quote */
	for (;;) {
		if (lx->p >= lx->end) {
			free(buf);
			return fail(lx, lx->tok_line, "unterminated string");
		}
		char c = *lx->p++;
		if (c == '"')
			break;
		if (c == '\\' && lx->p < lx->end && (*lx->p == '"' || *lx->p == '\\'))
			c = *lx->p++;
		else if (c == '\\' && lx->p < lx->end && *lx->p == '\n') {
			lx->p++;
			lx->line++;
			continue;
		}
		lx->line += c == '\n';
		char *nb = vec_grow(buf, &cap, n + 2, 1);
		if (!nb) {
			free(buf);
			return fail(lx, lx->line, "out of memory");
		}
		buf = nb;
		buf[n++] = c;
	}
	int rc = set_text(lx, buf, n);
	free(buf);
	lx->quoted = true;
	return rc;
}

static bool id_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || (unsigned char)c >= 0x80;
}

static enum tok next(struct lex *lx)
{
	if (lx->pushed) {
		lx->pushed = false;
		return lx->tok;
	}
	skip_blanks(lx);
	lx->tok_line = lx->line;
	lx->quoted = false;
	if (lx->p >= lx->end)
		return lx->tok = T_EOF;
	char c = *lx->p;
	static const char single[] = "{}[];,=:";
	static const enum tok singles[] = { T_LBRACE, T_RBRACE, T_LBRACK, T_RBRACK,
					    T_SEMI, T_COMMA, T_EQ, T_COLON };
	const char *s = strchr(single, c);
	if (c && s) {
		lx->p++;
		return lx->tok = singles[s - single];
	}
	if (c == '-' && lx->p + 1 < lx->end && (lx->p[1] == '-' || lx->p[1] == '>')) {
		lx->p += 2;
		return lx->tok = lx->p[-1] == '-' ? T_EDGE_U : T_EDGE_D;
	}
	if (c == '"') {
		if (lex_string(lx) < 0)
			return lx->tok = T_EOF;
		return lx->tok = T_ID;
	}
	if (c == '<')
		fail(lx, lx->line, "HTML strings (<...>) are not supported");
	else if (!id_char(c) && c != '-')
		fail(lx, lx->line, "unexpected character '%c'", isprint((unsigned char)c) ? c : '?');
	if (lx->failed)
		return lx->tok = T_EOF;
	const char *start = lx->p++;
	while (lx->p < lx->end && id_char(*lx->p))
		lx->p++;
	if (set_text(lx, start, (size_t)(lx->p - start)) < 0)
		return lx->tok = T_EOF;
	return lx->tok = T_ID;
}

static void push_back(struct lex *lx)
{
	lx->pushed = true;
}

static bool keyword(const struct lex *lx, const char *kw)
{
	return lx->tok == T_ID && !lx->quoted && !strcasecmp(lx->text, kw);
}

static long node_index(struct lex *lx, const char *name, int line)
{
	struct dot_graph *g = lx->g;
	for (size_t k = 0; k < g->n_nodes; k++)
		if (!strcmp(g->nodes[k].name, name))
			return (long)k;
	char *copy = strdup(name);
	struct dot_node *v = copy ? VEC_PUSH(g->nodes, g->n_nodes, g->cap_nodes) : NULL;
	if (!v) {
		free(copy);
		return fail(lx, line, "out of memory");
	}
	*v = (struct dot_node){ .name = copy, .line = line };
	return (long)(g->n_nodes - 1);
}

/* node_id: ID [':' port [':' compass]]; the ID (name) has been read. */
static int node_id(struct lex *lx, const char *name, int line, long *idx, char **port)
{
	*idx = node_index(lx, name, line);
	if (*idx < 0)
		return -1;
	*port = NULL;
	while (next(lx) == T_COLON) {
		if (next(lx) != T_ID)
			fail(lx, lx->tok_line, "expected a port name after ':'");
		else if (!*port && !(*port = strdup(lx->text)))
			fail(lx, lx->tok_line, "out of memory");
		if (lx->failed)
			break;
	}
	push_back(lx);
	if (lx->failed) { /* nothing for the caller to free */
		free(*port);
		*port = NULL;
		return -1;
	}
	return 0;
}

/* '[' a=b, c=d ']' ... ; keeps router_id and network (node statements). */
static int attrs(struct lex *lx)
{
	while (next(lx) == T_LBRACK) {
		for (;;) {
			enum tok t = next(lx);
			if (t == T_RBRACK)
				break;
			if (t == T_COMMA || t == T_SEMI)
				continue;
			if (t != T_ID)
				return fail(lx, lx->tok_line, "expected an attribute name or ']'");
			char *key = strdup(lx->text);
			int kline = lx->tok_line;
			if (!key)
				return fail(lx, kline, "out of memory");
			if (next(lx) == T_EQ) {
				if (next(lx) != T_ID) {
					free(key);
					return fail(lx, lx->tok_line, "expected a value after '='");
				}
				char **slot = !strcmp(key, "router_id") ? &lx->rid_attr
					      : !strcmp(key, "network") ? &lx->net_attr
					      : !strcmp(key, "cost") ? &lx->cost_attr : NULL;
				if (slot) {
					free(*slot);
					*slot = strdup(lx->text);
					*(slot == &lx->cost_attr ? &lx->cost_line : &lx->attr_line) = kline;
				}
			} else {
				push_back(lx);
			}
			free(key);
		}
	}
	push_back(lx);
	return lx->failed ? -1 : 0;
}

static int add_edge(struct lex *lx, long a, char *pa, long b, char *pb, int line)
{
	struct dot_graph *g = lx->g;
	struct dot_edge *v = VEC_PUSH(g->edges, g->n_edges, g->cap_edges);
	if (!v)
		return fail(lx, line, "out of memory");
	*v = (struct dot_edge){ (size_t)a, (size_t)b, pa ? strdup(pa) : NULL,
						    pb ? strdup(pb) : NULL, line, 0 };
	return 0;
}

static bool parse_ipv4(const char *s, uint32_t *out)
{
	struct in_addr a;
	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

/* A statement that starts with an ID (current token). */
static int stmt_id(struct lex *lx)
{
	int line = lx->tok_line;
	char *first = strdup(lx->text);
	if (!first)
		return fail(lx, lx->tok_line, "out of memory");
	if (next(lx) == T_EQ) { /* graph attribute: a = b */
		free(first);
		if (next(lx) != T_ID)
			return fail(lx, lx->tok_line, "expected a value after '='");
		return 0;
	}
	push_back(lx);
	long a;
	char *pa;
	int rc = node_id(lx, first, line, &a, &pa);
	free(first);
	if (rc < 0)
		return -1;
	bool edge = false;
	size_t first_edge = lx->g->n_edges;
	for (;;) {
		enum tok t = next(lx);
		if (t != T_EDGE_U && t != T_EDGE_D) {
			push_back(lx);
			break;
		}
		if ((t == T_EDGE_D) != lx->directed) {
			free(pa);
			return fail(lx, lx->tok_line, "'%s' in %s graph", t == T_EDGE_D ? "->" : "--",
				    lx->directed ? "a directed" : "an undirected");
		}
		if (next(lx) != T_ID) {
			free(pa);
			return fail(lx, lx->tok_line, "expected a node after '%s'",
				    t == T_EDGE_D ? "->" : "--");
		}
		long b;
		char *pb;
		int eline = lx->tok_line;
		char *name = strdup(lx->text);
		if (!name || node_id(lx, name, eline, &b, &pb) < 0 || add_edge(lx, a, pa, b, pb, eline) < 0) {
			free(name);
			free(pa);
			return -1;
		}
		free(name);
		free(pa);
		a = b;
		pa = pb;
		edge = true;
	}
	free(pa);
	free(lx->rid_attr);
	free(lx->net_attr);
	free(lx->cost_attr);
	lx->rid_attr = lx->net_attr = lx->cost_attr = NULL;
	if (attrs(lx) < 0)
		return -1;
	if (edge && lx->cost_attr) { /* the planned OSPF cost of each link of the chain */
		char *end;
		unsigned long c = strtoul(lx->cost_attr, &end, 10);
		if (lx->cost_attr[0] < '0' || lx->cost_attr[0] > '9' || *end || c < 1 || c > 65535)
			return fail(lx, lx->cost_line, "cost '%s' is not 1-65535", lx->cost_attr);
		for (size_t k = first_edge; k < lx->g->n_edges; k++)
			lx->g->edges[k].cost = (uint16_t)c;
	}
	if (!edge) {
		struct dot_node *n = &lx->g->nodes[a];
		if (lx->rid_attr && !parse_ipv4(lx->rid_attr, &n->rid))
			return fail(lx, lx->attr_line, "router_id '%s' is not an IPv4 address",
				    lx->rid_attr);
		n->rid_given |= lx->rid_attr != NULL;
		n->network |= lx->net_attr != NULL;
	}
	return 0;
}

static int parse_body(struct lex *lx)
{
	for (;;) {
		enum tok t = next(lx);
		if (lx->failed)
			return -1;
		if (t == T_RBRACE)
			return 0;
		if (t == T_SEMI || t == T_COMMA)
			continue;
		if (t == T_EOF)
			return fail(lx, lx->line, "missing '}' at the end of the graph");
		if (t == T_LBRACE || keyword(lx, "subgraph"))
			return fail(lx, lx->tok_line, "subgraphs are not supported");
		if (keyword(lx, "node") || keyword(lx, "edge") || keyword(lx, "graph")) {
			if (next(lx) != T_LBRACK)
				return fail(lx, lx->tok_line, "expected '[' after '%s'", lx->text);
			push_back(lx);
			if (attrs(lx) < 0)
				return -1;
			continue;
		}
		if (t != T_ID)
			return fail(lx, lx->tok_line, "expected a node, an edge or '}'");
		if (stmt_id(lx) < 0)
			return -1;
	}
}

static int resolve(struct lex *lx)
{
	struct dot_graph *g = lx->g;
	for (size_t k = 0; k < g->n_nodes; k++) {
		struct dot_node *n = &g->nodes[k];
		if (n->network || n->rid_given)
			continue;
		if (!parse_ipv4(n->name, &n->rid))
			return fail(lx, n->line, "node '%s' has no router ID: name it by its router "
				    "ID or give it [router_id=\"A.B.C.D\"]", n->name);
	}
	for (size_t k = 0; k < g->n_nodes; k++)
		for (size_t m = 0; m < k; m++)
			if (!g->nodes[k].network && !g->nodes[m].network &&
			    g->nodes[k].rid == g->nodes[m].rid)
				return fail(lx, g->nodes[k].line, "nodes '%s' and '%s' have the same router ID",
					    g->nodes[m].name, g->nodes[k].name);
	return 0;
}

int dot_parse(const char *name, const char *text, size_t len,
	      struct dot_graph *g, char *err, size_t errlen)
{
	struct lex lx = { .name = name, .p = text, .end = text + len, .line = 1,
			  .err = err, .errlen = errlen, .g = g };
	memset(g, 0, sizeof(*g));
	next(&lx);
	if (keyword(&lx, "strict"))
		next(&lx);
	if (!keyword(&lx, "graph") && !keyword(&lx, "digraph"))
		fail(&lx, lx.tok_line, "expected 'graph' or 'digraph'");
	else {
		lx.directed = keyword(&lx, "digraph");
		if (next(&lx) == T_ID)
			next(&lx);
		if (lx.tok != T_LBRACE)
			fail(&lx, lx.tok_line, "expected '{'");
		else if (parse_body(&lx) == 0 && next(&lx) != T_EOF)
			fail(&lx, lx.tok_line, "text after the end of the graph");
	}
	if (!lx.failed)
		resolve(&lx);
	free(lx.text);
	free(lx.rid_attr);
	free(lx.net_attr);
	free(lx.cost_attr);
	if (lx.failed) {
		dot_free(g);
		return -1;
	}
	return 0;
}

int dot_load(const char *path, struct dot_graph *g, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0, cap = 0;
	memset(g, 0, sizeof(*g));
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		char *nt = vec_grow(text, &cap, len + 4096, 1);
		if (!nt) {
			free(text);
			fclose(f);
			snprintf(err, errlen, "%s: out of memory", path);
			return -1;
		}
		text = nt;
		size_t n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	bool bad = ferror(f);
	fclose(f);
	int rc = bad ? (snprintf(err, errlen, "%s: read error", path), -1)
		     : dot_parse(path, text ? text : "", len, g, err, errlen);
	free(text);
	return rc;
}

void dot_free(struct dot_graph *g)
{
	for (size_t k = 0; k < g->n_nodes; k++)
		free(g->nodes[k].name);
	for (size_t k = 0; k < g->n_edges; k++) {
		free(g->edges[k].port_a);
		free(g->edges[k].port_b);
	}
	free(g->nodes);
	free(g->edges);
	memset(g, 0, sizeof(*g));
}
