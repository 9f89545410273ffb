/* Typed, range-checked access to libconfig settings, and the one place
 * that formats "file:line: message". */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conf/parse.h"

static int verror(struct conf_ctx *x, int line, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static int verror(struct conf_ctx *x, int line, const char *fmt, va_list ap)
{
	if (!x->err || x->errlen == 0)
		return -1;
	int n = line > 0 ? snprintf(x->err, x->errlen, "%s:%d: ", x->file, line)
			 : snprintf(x->err, x->errlen, "%s: ", x->file);
	if (n >= 0 && (size_t)n < x->errlen)
		vsnprintf(x->err + n, x->errlen - (size_t)n, fmt, ap);
	return -1;
}

int conf_error_line(struct conf_ctx *x, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(x, line, fmt, ap);
	va_end(ap);
	return -1;
}

int conf_line(const config_setting_t *s)
{
	return s ? (int)config_setting_source_line(s) : 0;
}

int conf_error(struct conf_ctx *x, const config_setting_t *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(x, conf_line(at), fmt, ap);
	va_end(ap);
	return -1;
}

int conf_check_known(struct conf_ctx *x, const config_setting_t *group,
		     const char *const *known, const char *where)
{
	int n = config_setting_length(group);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = name && strcmp(name, *k) == 0;
		if (!ok)
			return conf_error(x, s, "unknown setting '%s' %s", name ? name : "", where);
	}
	return 0;
}

static bool is_int(const config_setting_t *s)
{
	int t = config_setting_type(s);
	return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}

int conf_get_uint(struct conf_ctx *x, const config_setting_t *group, const char *name,
		  uint32_t lo, uint32_t hi, uint32_t *out)
{
	const config_setting_t *s = config_setting_get_member(group, name);
	if (!s)
		return 0;
	if (!is_int(s))
		return conf_error(x, s, "'%s' must be an integer", name);
	long long v = config_setting_get_int64(s);
	if (v < (long long)lo || v > (long long)hi)
		return conf_error(x, s, "%s %lld out of range %u..%u", name, v, lo, hi);
	*out = (uint32_t)v;
	return 1;
}

int conf_get_bool(struct conf_ctx *x, const config_setting_t *group, const char *name,
		  bool *out)
{
	const config_setting_t *s = config_setting_get_member(group, name);
	if (!s)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return conf_error(x, s, "'%s' must be true or false", name);
	*out = config_setting_get_bool(s) != 0;
	return 1;
}

int conf_get_string(struct conf_ctx *x, const config_setting_t *group, const char *name,
		    const char **out)
{
	const config_setting_t *s = config_setting_get_member(group, name);
	if (!s)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return conf_error(x, s, "'%s' must be a string", name);
	*out = config_setting_get_string(s);
	return 1;
}

int conf_get_enum(struct conf_ctx *x, const config_setting_t *group, const char *name,
		  const char *const *names, size_t n, int *out)
{
	const char *v = NULL;
	int r = conf_get_string(x, group, name, &v);
	if (r <= 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v, names[i]) == 0) {
			*out = (int)i;
			return 1;
		}
	}
	char choices[128] = "";
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(choices);
		snprintf(choices + len, sizeof(choices) - len, "%s%s", i ? ", " : "", names[i]);
	}
	return conf_error(x, config_setting_get_member(group, name),
			  "%s: '%s' is not one of %s", name, v, choices);
}

bool conf_parse_ipv4(const char *s, uint32_t *out)
{
	uint32_t addr = 0;
	for (int part = 0; part < 4; part++) {
		if (part > 0 && *s++ != '.')
			return false;
		if (*s < '0' || *s > '9')
			return false;
		/* A leading zero would read as octal to inet_aton(): refuse it. */
		if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
			return false;
		unsigned v = 0;
		int digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (v > 255)
			return false;
		addr = addr << 8 | v;
	}
	if (*s != '\0')
		return false;
	*out = addr;
	return true;
}

int conf_get_ipv4(struct conf_ctx *x, const config_setting_t *group, const char *name,
		  bool allow_int, uint32_t *out)
{
	const config_setting_t *s = config_setting_get_member(group, name);
	if (!s)
		return 0;
	if (allow_int && is_int(s))
		return conf_get_uint(x, group, name, 0, UINT32_MAX, out);
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return conf_error(x, s, allow_int ? "'%s' must be a dotted-quad string or an integer"
						  : "'%s' must be a string", name);
	const char *v = config_setting_get_string(s);
	if (!conf_parse_ipv4(v, out))
		return conf_error(x, s, "%s: '%s' is not a dotted-quad IPv4 address", name, v);
	return 1;
}

int conf_get_group(struct conf_ctx *x, const config_setting_t *group, const char *name,
		   config_setting_t **out)
{
	config_setting_t *s = config_setting_get_member(group, name);
	if (!s)
		return 0;
	if (!config_setting_is_group(s))
		return conf_error(x, s, "'%s' must be a group { ... }", name);
	*out = s;
	return 1;
}

int conf_get_list(struct conf_ctx *x, const config_setting_t *group, const char *name,
		  config_setting_t **out)
{
	config_setting_t *s = config_setting_get_member(group, name);
	if (!s)
		return 0;
	/* An empty [] is the same as an empty (): accept both. */
	if (!config_setting_is_list(s) &&
	    !(config_setting_is_array(s) && config_setting_length(s) == 0))
		return conf_error(x, s, "'%s' must be a list ( ... )", name);
	*out = s;
	return 1;
}
