/* ospf.interfaces: one group per interface, with its OSPF timers (RFC 2328
 * appendix C.3), BFD switch, timers and keys, and authentication keys (RFC
 * 2328 appendix D). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/parse.h"

/* Far more than a switch has ports; bounds the duplicate check. */
#define CONF_MAX_IFACES 4096

static const char *const network_names[] = { "point-to-point", "broadcast" };

/* The kernel's own rule (dev_valid_name): 1..15 bytes, not "." or "..",
 * no '/', ':' or whitespace. We also refuse control characters, which
 * would garble logs and the CLI. */
static bool valid_ifname(const char *s)
{
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s) || iscntrl((unsigned char)*s))
			return false;
	return true;
}

static int parse_name(struct conf_ctx *x, const config_setting_t *g, struct conf_iface *ifc)
{
	const char *v;
	int r = conf_get_string(x, g, "name", &v);
	if (r < 0)
		return -1;
	if (r == 0)
		return conf_error(x, g, "interface has no 'name'");
	const config_setting_t *at = config_setting_get_member(g, "name");
	size_t len = strlen(v);
	if (len == 0 || len >= CONF_IFNAMSIZ)
		return conf_error(x, at, "interface name '%s' must be 1..%d characters", v,
				  CONF_IFNAMSIZ - 1);
	if (!valid_ifname(v))
		return conf_error(x, at, "interface name '%s' is not a valid Linux interface name",
				  v);
	memcpy(ifc->name, v, len + 1);
	return 0;
}

static int parse_auth(struct conf_ctx *x, const config_setting_t *g, struct conf_iface *ifc)
{
	int auth = CONF_AUTH_NONE;
	config_setting_t *keys = NULL;
	char where[64];

	if (conf_get_enum(x, g, "auth", conf_auth_names, CONF_AUTH_TYPES, &auth) < 0 ||
	    conf_get_list(x, g, "keys", &keys) < 0)
		return -1;
	ifc->auth = (enum conf_auth)auth;
	int n = keys ? config_setting_length(keys) : 0;
	if (ifc->auth == CONF_AUTH_NONE) {
		if (n > 0)
			return conf_error(x, keys, "keys require auth other than 'none'");
		return 0;
	}
	if (n == 0)
		return conf_error(x, config_setting_get_member(g, "auth"),
				  "auth '%s' requires at least one key", conf_auth_names[auth]);
	snprintf(where, sizeof(where), "in key of interface '%s'", ifc->name);
	/* RFC 2328 D.3: the MD5 key is 16 bytes (shorter ones are zero
	 * padded); D.2: the simple password fills the 8-byte field; an
	 * HMAC-SHA key (RFC 5709) may be up to the largest hash block. */
	struct conf_key_rules rules = {
		.where = where, .type_name = conf_auth_names[auth], .id_min = 1,
		.max_secret = ifc->auth == CONF_AUTH_MD5      ? 16
			      : ifc->auth == CONF_AUTH_SIMPLE ? 8
							      : CONF_SECRET_MAX,
		.max_keys = CONF_MAX_KEYS, .lifetimes = true,
	};
	return conf_parse_keys(x, keys, &rules, ifc->keys, &ifc->n_keys);
}

static int parse_timers(struct conf_ctx *x, const config_setting_t *g, struct conf_iface *ifc)
{
	ifc->hello_interval = 10;
	ifc->retransmit_interval = 5;
	ifc->transmit_delay = 1;
	/* RFC 2328 C.3: HelloInterval and RouterDeadInterval travel in the
	 * Hello packet as 16 and 32 bits. */
	if (conf_get_uint(x, g, "hello-interval", 1, 65535, &ifc->hello_interval) < 0)
		return -1;
	ifc->dead_interval = 4 * ifc->hello_interval;
	int r = conf_get_uint(x, g, "dead-interval", 1, UINT32_MAX, &ifc->dead_interval);
	if (r < 0)
		return -1;
	if (r > 0 && ifc->dead_interval <= ifc->hello_interval)
		return conf_error(x, config_setting_get_member(g, "dead-interval"),
				  "dead-interval %u must be greater than hello-interval %u",
				  ifc->dead_interval, ifc->hello_interval);
	if (conf_get_uint(x, g, "retransmit-interval", 1, 3600, &ifc->retransmit_interval) < 0 ||
	    conf_get_uint(x, g, "transmit-delay", 1, 3600, &ifc->transmit_delay) < 0)
		return -1;
	return 0;
}

static int parse_iface(struct conf_ctx *x, const config_setting_t *g, struct conf *c,
		       struct conf_iface *ifc)
{
	static const char *const known[] = {
		"name", "passive", "network", "cost", "hello-interval", "dead-interval",
		"retransmit-interval", "transmit-delay", "priority", "bfd", "bfd-tx-interval-ms",
		"bfd-rx-interval-ms", "bfd-multiplier", "bfd-auth", "bfd-keys", "auth", "keys", NULL
	};
	char where[64];
	int network = CONF_NET_P2P;

	if (!config_setting_is_group(g))
		return conf_error(x, g, "interface must be a group { name = ...; ... }");
	ifc->line = conf_line(g);
	if (parse_name(x, g, ifc) < 0)
		return -1;
	snprintf(where, sizeof(where), "in interface '%s'", ifc->name);
	if (conf_check_known(x, g, known, where) < 0)
		return -1;
	const struct conf_iface *first = conf_iface_find(c, ifc->name);
	if (first)
		return conf_error(x, g, "duplicate interface '%s' (first at line %d)", ifc->name,
				  first->line);

	ifc->cost = 10;
	ifc->priority = 1;
	ifc->bfd_timers = c->bfd;
	if (conf_get_bool(x, g, "passive", &ifc->passive) < 0 ||
	    conf_get_enum(x, g, "network", network_names, 2, &network) < 0 ||
	    conf_get_uint(x, g, "cost", 1, 65535, &ifc->cost) < 0 || parse_timers(x, g, ifc) < 0 ||
	    conf_get_uint(x, g, "priority", 0, 255, &ifc->priority) < 0 ||
	    conf_get_bool(x, g, "bfd", &ifc->bfd) < 0)
		return -1;
	ifc->network = (enum conf_network)network;
	int r = conf_get_bfd_timers(x, g, "bfd-", &ifc->bfd_timers);
	if (r < 0)
		return -1;
	ifc->bfd_timers_set = r > 0;
	ifc->bfd_auth = c->bfd_auth;
	snprintf(where, sizeof(where), "in bfd key of interface '%s'", ifc->name);
	r = conf_get_bfd_auth(x, g, "bfd-", where, &ifc->bfd_auth);
	if (r < 0)
		return -1;
	ifc->bfd_auth_set = r > 0;
	return parse_auth(x, g, ifc);
}

int conf_parse_interfaces(struct conf_ctx *x, const config_setting_t *list, struct conf *c)
{
	int n = config_setting_length(list);
	if (n > CONF_MAX_IFACES)
		return conf_error(x, list, "%d interfaces given (max %d)", n, CONF_MAX_IFACES);
	if (n == 0)
		return 0;
	c->ifaces = calloc((size_t)n, sizeof(*c->ifaces));
	if (!c->ifaces)
		return conf_error(x, list, "out of memory");
	for (int i = 0; i < n; i++) {
		/* n_ifaces counts only the parsed ones, which the duplicate
		 * check searches. */
		if (parse_iface(x, config_setting_get_elem(list, (unsigned)i), c,
				&c->ifaces[i]) < 0)
			return -1;
		c->n_ifaces++;
	}
	return 0;
}
