/* Authentication keys, shared by OSPF (RFC 2328 appendix D, RFC 5709, per
 * interface) and BFD (RFC 5880 section 6.7, global with per-interface
 * overrides): a list of { id = ...; secret = "..."; } groups. OSPF keys may
 * carry lifetimes (D.3): send-from, send-until, accept-from, accept-until,
 * as ISO 8601 UTC times ("2026-12-01T00:00:00Z"). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "conf/parse.h"
#include "proto/bfd/packet.h" /* the auth type names: show bfd says the same */

_Static_assert((int)CONF_BFD_AUTH_METICULOUS_SHA1 == (int)BFD_AUTH_METICULOUS_SHA1 &&
		       (int)CONF_BFD_AUTH_KEYED_MD5 == (int)BFD_AUTH_KEYED_MD5,
	       "conf_bfd_auth_type values are RFC 5880 Auth Types");

const char *conf_bfd_auth_name(enum conf_bfd_auth_type t)
{
	return (unsigned)t < BFD_AUTH_TYPES ? bfd_auth_type_names[t] : "?";
}

const char *const conf_auth_names[CONF_AUTH_TYPES] = {
	[CONF_AUTH_NONE] = "none", [CONF_AUTH_SIMPLE] = "simple", [CONF_AUTH_MD5] = "md5",
	[CONF_AUTH_HMAC_SHA1] = "hmac-sha1", [CONF_AUTH_HMAC_SHA256] = "hmac-sha256",
	[CONF_AUTH_HMAC_SHA384] = "hmac-sha384", [CONF_AUTH_HMAC_SHA512] = "hmac-sha512",
};

void conf_format_time(int64_t t, char out[32])
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (!gmtime_r(&tt, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "?");
}

/* Exactly YYYY-MM-DDTHH:MM:SSZ (UTC), a real date, after the epoch. */
static bool parse_time(const char *s, int64_t *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end || strlen(s) != 20)
		return false;
	struct tm want = tm;
	time_t t = timegm(&tm);
	/* timegm normalises 2026-02-30 to March: refuse what moved. */
	if (t <= 0 || tm.tm_year != want.tm_year || tm.tm_mon != want.tm_mon ||
	    tm.tm_mday != want.tm_mday || tm.tm_hour != want.tm_hour || tm.tm_min != want.tm_min ||
	    tm.tm_sec != want.tm_sec)
		return false;
	*out = (int64_t)t;
	return true;
}

/* One lifetime setting: 0 if absent (*out stays 0), -1 on error. */
static int get_time(struct conf_ctx *x, const config_setting_t *k, const char *name, int64_t *out)
{
	const char *v;
	int got = conf_get_string(x, k, name, &v);
	if (got <= 0)
		return got;
	if (!parse_time(v, out))
		return conf_error(x, config_setting_get_member(k, name),
				  "%s '%s' is not an ISO 8601 UTC time like \"2026-12-01T00:00:00Z\"",
				  name, v);
	return 1;
}

/* D.3: each window, where both ends are given, must not be empty. */
static int parse_lifetimes(struct conf_ctx *x, const config_setting_t *k, struct conf_key *key)
{
	static const char *const names[4] = { "send-from", "send-until", "accept-from",
					      "accept-until" };
	int64_t *v[4] = { &key->send_from, &key->send_until, &key->accept_from,
			  &key->accept_until };
	for (int i = 0; i < 4; i++)
		if (get_time(x, k, names[i], v[i]) < 0)
			return -1;
	for (int i = 0; i < 4; i += 2)
		if (*v[i] && *v[i + 1] && *v[i + 1] <= *v[i])
			return conf_error(x, config_setting_get_member(k, names[i + 1]),
					  "%s must be after %s", names[i + 1], names[i]);
	return 0;
}

static int parse_key(struct conf_ctx *x, const config_setting_t *k,
		     const struct conf_key_rules *r, struct conf_key *keys, size_t n)
{
	static const char *const known[] = { "id", "secret", NULL };
	static const char *const known_lifetimes[] = { "id", "secret", "send-from", "send-until",
						       "accept-from", "accept-until", NULL };
	uint32_t id;
	const char *secret;

	if (!config_setting_is_group(k))
		return conf_error(x, k, "key must be a group { id = ...; secret = ...; }");
	if (conf_check_known(x, k, r->lifetimes ? known_lifetimes : known, r->where) < 0)
		return -1;
	int got = conf_get_uint(x, k, "id", r->id_min, 255, &id);
	if (got < 0)
		return -1;
	if (got == 0)
		return conf_error(x, k, "key has no 'id'");
	for (size_t i = 0; i < n; i++)
		if (keys[i].id == id)
			return conf_error(x, k, "duplicate key id %u (first at line %d)", id,
					  conf_line(config_setting_get_elem(config_setting_parent(k),
									    (unsigned)i)));
	got = conf_get_string(x, k, "secret", &secret);
	if (got < 0)
		return -1;
	if (got == 0)
		return conf_error(x, k, "key has no 'secret'");
	size_t len = strlen(secret);
	if (len == 0 || len > r->max_secret || len >= sizeof(keys[n].secret))
		return conf_error(x, config_setting_get_member(k, "secret"),
				  "%s secret must be 1..%zu characters (got %zu)", r->type_name,
				  r->max_secret, len);
	memset(&keys[n], 0, sizeof keys[n]);
	keys[n].id = (uint8_t)id;
	memcpy(keys[n].secret, secret, len + 1);
	return r->lifetimes ? parse_lifetimes(x, k, &keys[n]) : 0;
}

static bool sends_at(const struct conf_key *k, int64_t t)
{
	return (!k->send_from || k->send_from <= t) && (!k->send_until || t < k->send_until);
}

/* RFC 5709 3.2 (as RFC 2328 D.3): when a key stops sending, the next one
 * MUST already have started. Coverage can only drop where a key's
 * send-until falls, so at each such time some key must send, unless no key
 * starts later (the last key expiring is allowed: it stays in use). */
static int check_send_gaps(struct conf_ctx *x, const config_setting_t *list,
			   const struct conf_key *keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t t = keys[i].send_until;
		if (!t)
			continue;
		const struct conf_key *covers = NULL, *later = NULL;
		for (size_t j = 0; j < n; j++) {
			if (sends_at(&keys[j], t))
				covers = &keys[j];
			if (keys[j].send_from > t && (!later || keys[j].send_from < later->send_from))
				later = &keys[j];
		}
		if (covers || !later)
			continue;
		char a[32], b[32];
		conf_format_time(t, a);
		conf_format_time(later->send_from, b);
		return conf_error(x, config_setting_get_elem(list, (unsigned)i),
				  "no key sends from %s (key %u's send-until) to %s (key %u's "
				  "send-from)", a, keys[i].id, b, later->id);
	}
	return 0;
}

int conf_parse_keys(struct conf_ctx *x, const config_setting_t *list,
		    const struct conf_key_rules *r, struct conf_key *keys, size_t *n_keys)
{
	int n = config_setting_length(list);
	if (n > (int)r->max_keys)
		return conf_error(x, list, "%d keys given (max %zu)", n, r->max_keys);
	*n_keys = 0;
	for (int i = 0; i < n; i++) {
		if (parse_key(x, config_setting_get_elem(list, (unsigned)i), r, keys, *n_keys) < 0)
			return -1;
		(*n_keys)++;
	}
	return r->lifetimes ? check_send_gaps(x, list, keys, *n_keys) : 0;
}

/* RFC 5880 4.2-4.4: a password of 1..16 bytes; the MD5 key fills 16 bytes
 * and the SHA1 key 20 (shorter ones are zero padded). */
static size_t bfd_secret_max(enum conf_bfd_auth_type t)
{
	return t == CONF_BFD_AUTH_KEYED_SHA1 || t == CONF_BFD_AUTH_METICULOUS_SHA1 ? 20 : 16;
}

int conf_get_bfd_auth(struct conf_ctx *x, const config_setting_t *g, const char *prefix,
		      const char *where, struct conf_bfd_auth *a)
{
	char auth_name[32], keys_name[32];
	config_setting_t *keys = NULL;
	int type = CONF_BFD_AUTH_NONE;
	snprintf(auth_name, sizeof(auth_name), "%sauth", prefix);
	snprintf(keys_name, sizeof(keys_name), "%skeys", prefix);
	int r = conf_get_enum(x, g, auth_name, bfd_auth_type_names, BFD_AUTH_TYPES, &type);
	if (r < 0 || conf_get_list(x, g, keys_name, &keys) < 0)
		return -1;
	int n = keys ? config_setting_length(keys) : 0;
	/* No auth and no keys (an empty list included): nothing given, so an
	 * interface keeps the global auth rather than silently losing it. */
	if (r == 0 && n == 0)
		return 0;
	if (type == CONF_BFD_AUTH_NONE) {
		if (n > 0)
			return conf_error(x, keys, "%s require %s other than 'none'", keys_name,
					  auth_name);
		*a = (struct conf_bfd_auth){ .type = CONF_BFD_AUTH_NONE };
		return 1;
	}
	if (n == 0)
		return conf_error(x, config_setting_get_member(g, auth_name),
				  "%s '%s' requires at least one key in %s", auth_name,
				  bfd_auth_type_names[type], keys_name);
	struct conf_key_rules rules = {
		.where = where, .type_name = bfd_auth_type_names[type], .id_min = 0,
		.max_secret = bfd_secret_max((enum conf_bfd_auth_type)type),
		.max_keys = CONF_BFD_MAX_KEYS,
	};
	a->type = (enum conf_bfd_auth_type)type;
	return conf_parse_keys(x, keys, &rules, a->keys, &a->n_keys) < 0 ? -1 : 1;
}
