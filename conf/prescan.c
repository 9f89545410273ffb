/* A pre-pass over the config text before libconfig sees it, for three
 * defects of libconfig 1.5 (Debian 12) that bad input would otherwise hit.
 *
 * 1. Integer literals.
 * libconfig 1.5 (Debian 12) stores an integer literal without an L suffix
 * in an int and wraps it silently: "cost = 4294967297;" reads as 1 and
 * "area = 4294967295;" as -1. We must never accept a value the operator did
 * not write, so this pass finds every integer literal (skipping strings,
 * comments and names exactly as libconfig's scanner does) and appends an L
 * to those that do not fit in 32 bits; libconfig then keeps the real value
 * as a 64-bit integer and the range checks reject or accept it. Appending
 * characters never changes line numbers. Newer libconfig promotes such
 * literals by itself, where the extra L is harmless.
 *
 * 2. @include: the daemon's config is one file, and an include could read
 * any file (or block forever on a FIFO). Refused.
 *
 * 3. A string where a setting name belongs ("x"; at the top, after a ';'
 * or a '{') is a syntax error that leaks the string's buffer inside
 * libconfig. We report that syntax error ourselves, with the same text.
 * The nesting depth is bounded too, so no input can run libconfig's
 * recursive parser and destructor deep. */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "conf/parse.h"
#include "proto/lib/vec.h"

/* Our format nests five levels (ospf, interfaces, interface, keys, key). */
#define MAX_DEPTH 32

struct out {
	char *buf;
	size_t len, cap;
};

static int put(struct out *o, const char *s, size_t n)
{
	char *b = vec_grow(o->buf, &o->cap, o->len + n + 1, 1);
	if (!b)
		return -1;
	o->buf = b;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
	return 0;
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '*';
}

/* Length of the comment or string starting at p, 0 if none. */
static size_t skip_opaque(const char *p)
{
	const char *q = p;
	if (*q == '#' || (q[0] == '/' && q[1] == '/')) {
		while (*q && *q != '\n')
			q++;
	} else if (q[0] == '/' && q[1] == '*') {
		const char *end = strstr(q + 2, "*/");
		q = end ? end + 2 : q + strlen(q);
	} else if (*q == '"') {
		for (q++; *q && *q != '"'; q++)
			if (*q == '\\' && q[1])
				q++;
		if (*q == '"')
			q++;
	}
	return (size_t)(q - p);
}

/* An integer literal at p (sign already consumed by caller into `neg`).
 * Sets *len to its length, *wide when it needs an L, returns false when it
 * does not fit in 64 bits. Floats come back with *is_float. */
static bool scan_number(const char *p, bool neg, size_t *len, bool *wide, bool *is_float)
{
	const char *q = p;
	unsigned long long v = 0;
	bool overflow = false;
	bool hex = q[0] == '0' && (q[1] == 'x' || q[1] == 'X') && isxdigit((unsigned char)q[2]);
	*wide = *is_float = false;

	if (hex) {
		for (q += 2; isxdigit((unsigned char)*q); q++) {
			unsigned d = (unsigned)(isdigit((unsigned char)*q) ? *q - '0'
							   : tolower((unsigned char)*q) - 'a' + 10);
			overflow |= v > (ULLONG_MAX >> 4);
			v = v << 4 | d;
		}
	} else {
		for (; isdigit((unsigned char)*q); q++) {
			unsigned d = (unsigned)(*q - '0');
			overflow |= v > (ULLONG_MAX - d) / 10;
			v = v * 10 + d;
		}
		if (*q == '.' || *q == 'e' || *q == 'E') {
			*is_float = true;
			while (isdigit((unsigned char)*q) || *q == '.' || *q == 'e' || *q == 'E' ||
			       ((*q == '-' || *q == '+') && (q[-1] == 'e' || q[-1] == 'E')))
				q++;
			*len = (size_t)(q - p);
			return true;
		}
	}
	*len = (size_t)(q - p);
	if (*q == 'L')
		return true; /* libconfig reads it as 64-bit already */
	if (hex) {
		/* libconfig reads hex as an unsigned 32-bit pattern cast to int. */
		*wide = overflow || v > 0x7fffffffULL;
		return !overflow;
	}
	unsigned long long max = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	if (overflow || v > max)
		return false;
	*wide = neg ? v > 2147483648ULL : v > 2147483647ULL;
	return true;
}

static bool at_include(const char *line_start, const char *p)
{
	for (const char *q = line_start; q < p; q++)
		if (*q != ' ' && *q != '\t')
			return false;
	return strncmp(p, "@include", 8) == 0;
}

struct scan {
	struct conf_ctx *x;
	int line;
	char prev;             /* last significant token: '"' string, 'a' name,
				* '0' number, else the punctuation itself */
	char open[MAX_DEPTH];  /* the brackets open around us */
	int depth;
};

/* Where libconfig's grammar takes a value, and so a string: after '=' or
 * ':', first in a list or array, after ',' inside one, or right after
 * another string (adjacent strings are concatenated). */
static bool string_allowed(const struct scan *s)
{
	switch (s->prev) {
	case '=': case ':': case '(': case '[': case '"':
		return true;
	case ',':
		return s->depth > 0 && (s->open[s->depth - 1] == '(' || s->open[s->depth - 1] == '[');
	default:
		return false;
	}
}

/* Brackets and the rest of the punctuation; -1 when nested too deep. */
static int punct(struct scan *s, char ch)
{
	if (ch == '{' || ch == '(' || ch == '[') {
		if (s->depth == MAX_DEPTH)
			return conf_error_line(s->x, s->line, "nesting deeper than %d levels",
					       MAX_DEPTH);
		s->open[s->depth++] = ch;
	} else if ((ch == '}' || ch == ')' || ch == ']') && s->depth > 0) {
		s->depth--;
	}
	if (!isspace((unsigned char)ch))
		s->prev = ch;
	return 0;
}

char *conf_prescan(struct conf_ctx *x, const char *text)
{
	struct out o = { 0 };
	struct scan s = { .x = x, .line = 1 };
	const char *p = text, *line_start = text;

	if (put(&o, "", 0) < 0)
		goto nomem;
	while (*p) {
		size_t n = skip_opaque(p);
		if (n > 0 && *p == '"') {
			if (!string_allowed(&s)) {
				conf_error_line(x, s.line, "syntax error");
				goto fail;
			}
			s.prev = '"';
		}
		if (n == 0 && *p == '@' && at_include(line_start, p)) {
			conf_error_line(x, s.line, "@include is not supported");
			goto fail;
		}
		if (n == 0 && (isalpha((unsigned char)*p) || *p == '*')) {
			while (is_name_char(p[n]))
				n++;
			s.prev = 'a';
		}
		if (n == 0 && *p == '.' && isdigit((unsigned char)p[1])) {
			/* Digits after a decimal point are a fraction; any
			 * exponent that follows is then skipped as a name. */
			for (n = 1; isdigit((unsigned char)p[n]); n++)
				;
			s.prev = '0';
		}
		if (n == 0 && (isdigit((unsigned char)*p) ||
			       ((*p == '-' || *p == '+') && isdigit((unsigned char)p[1])))) {
			bool neg = *p == '-';
			size_t sign = (*p == '-' || *p == '+') ? 1 : 0, len;
			bool wide, is_float;
			if (!scan_number(p + sign, neg, &len, &wide, &is_float)) {
				conf_error_line(x, s.line, "integer %.*s does not fit in 64 bits",
						(int)(sign + len > 40 ? 40 : sign + len), p);
				goto fail;
			}
			if (put(&o, p, sign + len) < 0 || (wide && put(&o, "L", 1) < 0))
				goto nomem;
			p += sign + len;
			s.prev = '0';
			continue;
		}
		if (n == 0) {
			if (punct(&s, *p) < 0)
				goto fail;
			n = 1;
		}
		if (put(&o, p, n) < 0)
			goto nomem;
		for (size_t i = 0; i < n; i++) {
			if (p[i] == '\n') {
				s.line++;
				line_start = p + i + 1;
			}
		}
		p += n;
	}
	return o.buf;
nomem:
	conf_error_line(x, 0, "out of memory");
fail:
	free(o.buf);
	return NULL;
}
