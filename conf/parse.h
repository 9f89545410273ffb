/* Internal to conf/: helpers that read one typed, range-checked value out of
 * a libconfig group and report "file:line: message" on the first error. */
#ifndef CONF_PARSE_H
#define CONF_PARSE_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/config.h"

/* Where errors go. Only the first error is kept: loading stops there. */
struct conf_ctx {
	const char *file;
	char *err;
	size_t errlen;
};

/* Formats "file:line: message" (or "file: message" when `line` <= 0) into
 * the context's buffer. Always returns -1 so callers can `return conf_error(...)`. */
int conf_error_line(struct conf_ctx *x, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Same, at the line of setting `at` (NULL: no line). */
int conf_error(struct conf_ctx *x, const config_setting_t *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int conf_line(const config_setting_t *s);

/* Every member of `group` must be named in `known` (NULL-terminated);
 * `where` completes "unknown setting 'x' <where>". */
int conf_check_known(struct conf_ctx *x, const config_setting_t *group,
		     const char *const *known, const char *where);

/* The getters below return 0 when the setting is absent (*out untouched),
 * 1 when it is present and valid (*out set), -1 on error (reported). */
int conf_get_uint(struct conf_ctx *x, const config_setting_t *group, const char *name,
		  uint32_t lo, uint32_t hi, uint32_t *out);
int conf_get_bool(struct conf_ctx *x, const config_setting_t *group, const char *name,
		  bool *out);
int conf_get_string(struct conf_ctx *x, const config_setting_t *group, const char *name,
		    const char **out);
/* A string among `names` (n entries); *out is its index. */
int conf_get_enum(struct conf_ctx *x, const config_setting_t *group, const char *name,
		  const char *const *names, size_t n, int *out);
/* A dotted-quad IPv4 address, or (allow_int) a plain integer 0..2^32-1. */
int conf_get_ipv4(struct conf_ctx *x, const config_setting_t *group, const char *name,
		  bool allow_int, uint32_t *out);
int conf_get_group(struct conf_ctx *x, const config_setting_t *group, const char *name,
		   config_setting_t **out);
int conf_get_list(struct conf_ctx *x, const config_setting_t *group, const char *name,
		  config_setting_t **out);

/* Strict dotted-quad parser: four decimal parts 0..255, no leading zeros. */
bool conf_parse_ipv4(const char *s, uint32_t *out);

/* Works around libconfig 1.5 (Debian 12) before it parses `text`: widens
 * integer literals it would wrap to 32 bits, refuses @include, reports a
 * string in a setting name's place (which leaks inside libconfig) and
 * bounds the nesting depth. See prescan.c. Returns a malloc'd copy for
 * libconfig, or NULL with the error reported. */
char *conf_prescan(struct conf_ctx *x, const char *text);

/* tx/rx-interval-ms and multiplier, each name prefixed with `prefix`
 * ("" globally, "bfd-" on an interface). Returns 1 if any was present. */
int conf_get_bfd_timers(struct conf_ctx *x, const config_setting_t *g, const char *prefix,
			struct conf_bfd_timers *t);

/* How a list of keys is checked (keys.c): `where` completes "unknown
 * setting 'x' <where>", type_name names the auth type in messages. */
struct conf_key_rules {
	const char *where;
	const char *type_name;
	uint32_t id_min;
	size_t max_secret;
	size_t max_keys;
	bool lifetimes;     /* send-from .. accept-until allowed */
};
/* Fills keys[0..*n_keys) from a list of { id; secret; [send-from; send-until;
 * accept-from; accept-until;] } groups. */
int conf_parse_keys(struct conf_ctx *x, const config_setting_t *list,
		    const struct conf_key_rules *r, struct conf_key *keys, size_t *n_keys);
/* `<prefix>auth` and `<prefix>keys` ("" in the bfd group, "bfd-" on an
 * interface). Returns 1 if either was given (then *a is set; an empty key
 * list alone does not count), 0 if not. */
int conf_get_bfd_auth(struct conf_ctx *x, const config_setting_t *g, const char *prefix,
		      const char *where, struct conf_bfd_auth *a);

/* Sections, each in its own file. */
int conf_parse_interfaces(struct conf_ctx *x, const config_setting_t *list, struct conf *c);
int conf_parse_redistribute(struct conf_ctx *x, const config_setting_t *list, struct conf *c);

#endif
