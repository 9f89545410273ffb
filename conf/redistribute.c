/* ospf.redistribute: which routes from outside OSPF fabricd announces as
 * AS-external-LSAs (RFC 2328 A.4.5), with what metric and metric type, and
 * a prefix list in FRR's syntax and meaning ("P/L [ge N] [le M]") that
 * admits them. One entry per source. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/parse.h"
#include "proto/lib/ipv4.h"

#define LS_INFINITY_METRIC 16777215u /* RFC 2328 B: LSInfinity, not a metric */

static const char *const from_names[] = { "connected", "static", "kernel" };

const char *conf_redist_from_name(enum conf_redist_from f)
{
	return (unsigned)f < 3 ? from_names[f] : "?";
}

static uint32_t mask_of(uint8_t plen)
{
	return plen ? 0xffffffffu << (32 - plen) : 0;
}

bool conf_redist_match(const struct conf_redistribute *r, uint32_t prefix, uint8_t plen)
{
	if (r->n_prefixes == 0)
		return true;
	for (size_t i = 0; i < r->n_prefixes; i++) {
		const struct conf_prefix_rule *p = &r->prefixes[i];
		if (plen >= p->ge && plen <= p->le && (prefix & mask_of(p->plen)) == p->prefix)
			return true;
	}
	return false;
}

/* A length 0..32 in decimal, nothing else. */
static bool parse_len(const char *s, uint8_t *out)
{
	char *end;
	if (!s || !*s || s[0] == '+' || s[0] == '-' || s[0] == ' ')
		return false;
	unsigned long v = strtoul(s, &end, 10);
	if (*end || v > 32 || (s[0] == '0' && s[1]))
		return false;
	*out = (uint8_t)v;
	return true;
}

/* "P/L [ge N] [le M]"; the bounds then checked as FRR does: the prefix
 * length <= ge <= le <= 32. */
static int parse_rule(struct conf_ctx *x, const config_setting_t *at, const char *text,
		      struct conf_prefix_rule *r)
{
	char buf[96], *tok[6], *save = NULL, addr[20];
	size_t n = 0;
	if (strlen(text) >= sizeof(buf))
		return conf_error(x, at, "prefixes: '%.40s...' is too long", text);
	strcpy(buf, text);
	for (char *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == 5)
			goto syntax;
		tok[n++] = t;
	}
	char *slash = n ? strchr(tok[0], '/') : NULL;
	if (!slash || (size_t)(slash - tok[0]) >= sizeof(addr) || n % 2 == 0)
		goto syntax;
	memcpy(addr, tok[0], (size_t)(slash - tok[0]));
	addr[slash - tok[0]] = '\0';
	memset(r, 0, sizeof(*r));
	if (!conf_parse_ipv4(addr, &r->prefix) || !parse_len(slash + 1, &r->plen))
		goto syntax;
	for (size_t i = 1; i < n; i += 2) {
		uint8_t v;
		bool ge = strcmp(tok[i], "ge") == 0, le = strcmp(tok[i], "le") == 0;
		if ((!ge && !le) || (ge && (r->has_ge || r->has_le)) || (le && r->has_le))
			goto syntax;
		if (!parse_len(tok[i + 1], &v))
			return conf_error(x, at, "prefixes: '%s': %s '%s' must be 0..32", text, tok[i],
					  tok[i + 1]);
		if (ge) {
			r->has_ge = true;
			r->ge = v;
		} else {
			r->has_le = true;
			r->le = v;
		}
	}
	char net[IPV4_PREFIX_STRLEN];
	if (r->prefix & ~mask_of(r->plen))
		return conf_error(x, at, "prefixes: '%s': host bits set (the network is %s)", text,
				  ipv4_prefix_str(r->prefix & mask_of(r->plen), r->plen, net));
	if (r->has_ge && r->ge < r->plen)
		return conf_error(x, at, "prefixes: '%s': ge %u is shorter than the prefix /%u", text,
				  r->ge, r->plen);
	if (r->has_le && r->le < r->plen)
		return conf_error(x, at, "prefixes: '%s': le %u is shorter than the prefix /%u", text,
				  r->le, r->plen);
	if (r->has_ge && r->has_le && r->ge > r->le)
		return conf_error(x, at, "prefixes: '%s': ge %u is greater than le %u", text, r->ge,
				  r->le);
	if (!r->has_ge)
		r->ge = r->plen;
	if (!r->has_le)
		r->le = r->has_ge ? 32 : r->plen;
	return 0;
syntax:
	return conf_error(x, at, "prefixes: '%s' is not 'P/L', 'P/L le N', 'P/L ge N' or "
				 "'P/L ge N le M'", text);
}

static int parse_prefixes(struct conf_ctx *x, const config_setting_t *g,
			  struct conf_redistribute *r)
{
	config_setting_t *list = config_setting_get_member(g, "prefixes");
	if (!list)
		return 0;
	if (!config_setting_is_aggregate(list) || config_setting_is_group(list))
		return conf_error(x, list, "'prefixes' must be a list ( \"P/L [ge N] [le M]\", ... )");
	int n = config_setting_length(list);
	if (n == 0)
		return conf_error(x, list, "'prefixes' is empty (leave it out to admit every prefix)");
	r->prefixes = calloc((size_t)n, sizeof(*r->prefixes));
	if (!r->prefixes)
		return conf_error(x, list, "out of memory");
	for (int i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			return conf_error(x, e, "prefixes: entry %d must be a string", i + 1);
		if (parse_rule(x, e, config_setting_get_string(e), &r->prefixes[i]) < 0)
			return -1;
		r->n_prefixes++;
	}
	return 0;
}

static int parse_entry(struct conf_ctx *x, const config_setting_t *g, struct conf *c)
{
	static const char *const known[] = { "from", "metric", "metric-type", "prefixes", NULL };
	struct conf_redistribute *r = &c->redist[c->n_redist];
	int from = -1;
	if (!config_setting_is_group(g))
		return conf_error(x, g, "redistribute entry must be a group { from = ...; }");
	*r = (struct conf_redistribute){ .line = conf_line(g), .metric = 20, .metric_type = 2 };
	c->n_redist++; /* from here on conf_free frees its prefixes */
	if (conf_check_known(x, g, known, "in ospf.redistribute") < 0 ||
	    conf_get_enum(x, g, "from", from_names, 3, &from) < 0 ||
	    conf_get_uint(x, g, "metric", 0, LS_INFINITY_METRIC - 1, &r->metric) < 0 ||
	    conf_get_uint(x, g, "metric-type", 1, 2, &r->metric_type) < 0)
		return -1;
	if (from < 0)
		return conf_error(x, g, "redistribute entry has no 'from'");
	r->from = (enum conf_redist_from)from;
	for (size_t i = 0; i + 1 < c->n_redist; i++)
		if (c->redist[i].from == r->from)
			return conf_error(x, config_setting_get_member(g, "from"),
					  "redistribute from '%s' given twice (first at line %d)",
					  from_names[from], c->redist[i].line);
	return parse_prefixes(x, g, r);
}

int conf_parse_redistribute(struct conf_ctx *x, const config_setting_t *list, struct conf *c)
{
	int n = config_setting_length(list);
	if (n == 0)
		return 0;
	c->redist = calloc((size_t)n, sizeof(*c->redist));
	if (!c->redist)
		return conf_error(x, list, "out of memory");
	for (int i = 0; i < n; i++)
		if (parse_entry(x, config_setting_get_elem(list, (unsigned)i), c) < 0)
			return -1;
	return 0;
}
