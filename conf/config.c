/* Loading and validating fabricd's config file (docs/design.md "Config"):
 * the top level, ospf (with spf), bfd and control. Interfaces are in
 * iface.c. The first error stops the load and is reported with its line. */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/parse.h"

/* Big enough for any sane config; bounds the memory a stray path can cost. */
#define CONF_MAX_FILE_SIZE (1024 * 1024)

static void set_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->area = 0;
	c->maximum_paths = 64;
	c->max_metric = false;
	/* RFC 8405 back-off: react at once, then 50 ms, then 2 s while
	 * the network keeps changing. */
	c->spf.initial_delay_ms = 0;
	c->spf.short_delay_ms = 50;
	c->spf.long_delay_ms = 2000;
	c->spf.hold_down_ms = 5000;
	c->spf.time_to_learn_ms = 500;
	c->bfd.tx_interval_ms = 300;
	c->bfd.rx_interval_ms = 300;
	c->bfd.multiplier = 3;
	c->dampening = (struct conf_dampening){ 0, 1000, 60000 };
	strcpy(c->socket, CONF_DEFAULT_SOCKET);
}

/* Bounds shared by the global bfd group and the per-interface overrides:
 * RFC 5880 counts in microseconds; we take milliseconds up to one minute. */
int conf_get_bfd_timers(struct conf_ctx *x, const config_setting_t *g, const char *prefix,
			struct conf_bfd_timers *t)
{
	char tx[64], rx[64], mult[64];
	snprintf(tx, sizeof(tx), "%stx-interval-ms", prefix);
	snprintf(rx, sizeof(rx), "%srx-interval-ms", prefix);
	snprintf(mult, sizeof(mult), "%smultiplier", prefix);
	int a = conf_get_uint(x, g, tx, 1, 60000, &t->tx_interval_ms);
	if (a < 0)
		return -1;
	int b = conf_get_uint(x, g, rx, 1, 60000, &t->rx_interval_ms);
	if (b < 0)
		return -1;
	int m = conf_get_uint(x, g, mult, 1, 255, &t->multiplier);
	if (m < 0)
		return -1;
	return a + b + m > 0;
}

static int parse_spf(struct conf_ctx *x, const config_setting_t *g, struct conf_spf *spf)
{
	static const char *const known[] = { "initial-delay-ms", "short-delay-ms", "long-delay-ms",
					     "hold-down-ms", "time-to-learn-ms", NULL };
	if (conf_check_known(x, g, known, "in ospf.spf") < 0)
		return -1;
	if (conf_get_uint(x, g, "initial-delay-ms", 0, 600000, &spf->initial_delay_ms) < 0 ||
	    conf_get_uint(x, g, "short-delay-ms", 0, 600000, &spf->short_delay_ms) < 0 ||
	    conf_get_uint(x, g, "long-delay-ms", 0, 600000, &spf->long_delay_ms) < 0 ||
	    conf_get_uint(x, g, "hold-down-ms", 0, 600000, &spf->hold_down_ms) < 0 ||
	    conf_get_uint(x, g, "time-to-learn-ms", 0, 600000, &spf->time_to_learn_ms) < 0)
		return -1;
	/* RFC 8405 section 5: SHORT_WAIT must not be longer than LONG_WAIT. */
	if (spf->short_delay_ms > spf->long_delay_ms) {
		const config_setting_t *at = config_setting_get_member(g, "short-delay-ms");
		if (!at)
			at = config_setting_get_member(g, "long-delay-ms");
		return conf_error(x, at, "short-delay-ms %u must not exceed long-delay-ms %u",
				  spf->short_delay_ms, spf->long_delay_ms);
	}
	return 0;
}

static int parse_ospf(struct conf_ctx *x, const config_setting_t *g, struct conf *c)
{
	static const char *const known[] = { "area", "maximum-paths", "max-metric", "max-lsa",
					     "spf", "interfaces", "redistribute", NULL };
	config_setting_t *spf = NULL, *ifaces = NULL, *redist = NULL;
	if (conf_check_known(x, g, known, "in ospf") < 0 ||
	    conf_get_ipv4(x, g, "area", true, &c->area) < 0 ||
	    conf_get_uint(x, g, "maximum-paths", 1, 64, &c->maximum_paths) < 0 ||
	    conf_get_bool(x, g, "max-metric", &c->max_metric) < 0 ||
	    conf_get_uint(x, g, "max-lsa", 0, 100000000, &c->max_lsa) < 0 ||
	    conf_get_group(x, g, "spf", &spf) < 0 || conf_get_list(x, g, "interfaces", &ifaces) < 0)
		return -1;
	if (spf && parse_spf(x, spf, &c->spf) < 0)
		return -1;
	if (ifaces && conf_parse_interfaces(x, ifaces, c) < 0)
		return -1;
	if (conf_get_list(x, g, "redistribute", &redist) < 0 ||
	    (redist && conf_parse_redistribute(x, redist, c) < 0))
		return -1;
	return 0;
}

/* bfd.dampening = { threshold; initial-hold-ms; maximum-hold-ms; }: the
 * group's presence turns dampening on (threshold 3 unless given). */
static int parse_dampening(struct conf_ctx *x, const config_setting_t *g, struct conf_dampening *d)
{
	static const char *const known[] = { "threshold", "initial-hold-ms", "maximum-hold-ms", NULL };
	d->threshold = 3;
	if (conf_check_known(x, g, known, "in bfd.dampening") < 0 ||
	    conf_get_uint(x, g, "threshold", 1, 100, &d->threshold) < 0 ||
	    conf_get_uint(x, g, "initial-hold-ms", 10, 3600000, &d->initial_hold_ms) < 0 ||
	    conf_get_uint(x, g, "maximum-hold-ms", 10, 3600000, &d->max_hold_ms) < 0)
		return -1;
	if (d->initial_hold_ms > d->max_hold_ms) {
		const config_setting_t *at = config_setting_get_member(g, "initial-hold-ms");
		if (!at)
			at = config_setting_get_member(g, "maximum-hold-ms");
		return conf_error(x, at, "initial-hold-ms %u must not exceed maximum-hold-ms %u",
				  d->initial_hold_ms, d->max_hold_ms);
	}
	return 0;
}

static int parse_bfd(struct conf_ctx *x, const config_setting_t *g, struct conf *c)
{
	static const char *const known[] = { "tx-interval-ms", "rx-interval-ms", "multiplier",
					     "auth", "keys", "realtime-priority", "dampening", NULL };
	config_setting_t *damp = NULL;
	/* The range of SCHED_FIFO priorities (sched(7)); 0 leaves the daemon
	 * in the normal scheduling class. */
	if (conf_check_known(x, g, known, "in bfd") < 0 ||
	    conf_get_bfd_timers(x, g, "", &c->bfd) < 0 ||
	    conf_get_uint(x, g, "realtime-priority", 0, 99, &c->rt_priority) < 0 ||
	    conf_get_bfd_auth(x, g, "", "in key of bfd", &c->bfd_auth) < 0 ||
	    conf_get_group(x, g, "dampening", &damp) < 0)
		return -1;
	if (damp && parse_dampening(x, damp, &c->dampening) < 0)
		return -1;
	return 0;
}

/* control.metrics-listen = "A.B.C.D:PORT" (HTTP /metrics; off when absent) */
static int parse_listen(struct conf_ctx *x, const config_setting_t *at, const char *s,
			struct conf *c)
{
	char addr[16];
	const char *colon = strrchr(s, ':');
	char *end;
	struct in_addr a;
	unsigned long port = colon ? strtoul(colon + 1, &end, 10) : 0;
	if (!colon || (size_t)(colon - s) >= sizeof(addr) || colon[1] < '0' || colon[1] > '9' ||
	    *end || port < 1 || port > 65535)
		return conf_error(x, at, "metrics-listen: '%s' is not ADDR:PORT "
				  "(an IPv4 address and a port 1-65535)", s);
	memcpy(addr, s, (size_t)(colon - s));
	addr[colon - s] = '\0';
	if (inet_pton(AF_INET, addr, &a) != 1)
		return conf_error(x, at, "metrics-listen: '%s' is not an IPv4 address", addr);
	snprintf(c->metrics_listen, sizeof(c->metrics_listen), "%s:%lu", addr, port);
	c->metrics_addr = ntohl(a.s_addr);
	c->metrics_port = (uint16_t)port;
	return 0;
}

static int parse_control(struct conf_ctx *x, const config_setting_t *g, struct conf *c)
{
	static const char *const known[] = { "socket", "group", "metrics-listen", NULL };
	const char *sock = NULL, *group = NULL, *metrics = NULL;
	if (conf_check_known(x, g, known, "in control") < 0 ||
	    conf_get_string(x, g, "socket", &sock) < 0 || conf_get_string(x, g, "group", &group) < 0 ||
	    conf_get_string(x, g, "metrics-listen", &metrics) < 0)
		return -1;
	if (metrics && parse_listen(x, config_setting_get_member(g, "metrics-listen"), metrics, c) < 0)
		return -1;
	if (sock) {
		const config_setting_t *at = config_setting_get_member(g, "socket");
		if (sock[0] != '/')
			return conf_error(x, at, "socket: '%s' is not an absolute path", sock);
		/* sun_path is 108 bytes including the terminating NUL. */
		if (strlen(sock) >= sizeof(c->socket))
			return conf_error(x, at, "socket path is %zu characters long (max %zu)",
					  strlen(sock), sizeof(c->socket) - 1);
		strcpy(c->socket, sock);
	}
	if (group && group[0]) {
		const config_setting_t *at = config_setting_get_member(g, "group");
		if (strlen(group) >= sizeof(c->group))
			return conf_error(x, at, "group name is %zu characters long (max %zu)",
					  strlen(group), sizeof(c->group) - 1);
		if (!getgrnam(group))
			return conf_error(x, at, "group '%s' does not exist", group);
		strcpy(c->group, group);
	}
	return 0;
}

/* user: fabricd drops to it once its sockets are open (fabricd/privs.c).
 * It must exist now, so that a typo fails here and not at start-up. */
static int parse_user(struct conf_ctx *x, const config_setting_t *root, struct conf *c)
{
	const char *user = NULL;
	if (conf_get_string(x, root, "user", &user) < 0)
		return -1;
	if (!user || !user[0])
		return 0;
	const config_setting_t *at = config_setting_get_member(root, "user");
	if (strlen(user) >= sizeof(c->user))
		return conf_error(x, at, "user name is %zu characters long (max %zu)", strlen(user),
				  sizeof(c->user) - 1);
	if (!getpwnam(user))
		return conf_error(x, at, "user '%s' does not exist", user);
	strcpy(c->user, user);
	return 0;
}

static int parse_root(struct conf_ctx *x, const config_setting_t *root, struct conf *c)
{
	static const char *const known[] = { "router-id", "user", "ospf", "bfd", "control", NULL };
	config_setting_t *ospf = NULL, *bfd = NULL, *control = NULL;
	if (conf_check_known(x, root, known, "at top level") < 0)
		return -1;
	int r = conf_get_ipv4(x, root, "router-id", false, &c->router_id);
	if (r < 0)
		return -1;
	if (r == 0)
		return conf_error(x, NULL, "missing required setting 'router-id'");
	if (c->router_id == 0)
		return conf_error(x, config_setting_get_member(root, "router-id"),
				  "router-id must not be 0.0.0.0");
	if (parse_user(x, root, c) < 0)
		return -1;
	/* bfd before ospf: interfaces inherit the global BFD timers. */
	if (conf_get_group(x, root, "bfd", &bfd) < 0 || (bfd && parse_bfd(x, bfd, c) < 0))
		return -1;
	if (conf_get_group(x, root, "control", &control) < 0 ||
	    (control && parse_control(x, control, c) < 0))
		return -1;
	if (conf_get_group(x, root, "ospf", &ospf) < 0 || (ospf && parse_ospf(x, ospf, c) < 0))
		return -1;
	return 0;
}

int conf_load_string(const char *name, const char *text, struct conf *out, char *err,
		     size_t errlen)
{
	struct conf_ctx x = { .file = name ? name : "(string)", .err = err, .errlen = errlen };
	if (err && errlen)
		err[0] = '\0';
	set_defaults(out);

	char *fixed = conf_prescan(&x, text ? text : "");
	if (!fixed)
		goto fail;
	config_t cfg;
	config_init(&cfg);
	int ok = config_read_string(&cfg, fixed);
	free(fixed);
	if (!ok) {
		conf_error_line(&x, config_error_line(&cfg), "%s", config_error_text(&cfg));
		config_destroy(&cfg);
		goto fail;
	}
	snprintf(out->file, sizeof(out->file), "%s", x.file);
	int r = parse_root(&x, config_root_setting(&cfg), out);
	config_destroy(&cfg);
	if (r < 0)
		goto fail;
	return 0;
fail:
	conf_free(out);
	return -1;
}

/* Reads the whole file so that parsing goes through one path (and the
 * @include / literal checks) for files and strings alike. */
static char *read_file(struct conf_ctx *x, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		conf_error_line(x, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	char *buf = malloc(CONF_MAX_FILE_SIZE + 1);
	if (!buf) {
		fclose(f);
		conf_error_line(x, 0, "out of memory");
		return NULL;
	}
	size_t n = fread(buf, 1, CONF_MAX_FILE_SIZE + 1, f);
	int rerr = ferror(f) ? errno : 0;
	fclose(f);
	if (rerr) {
		free(buf);
		conf_error_line(x, 0, "cannot read: %s", strerror(rerr));
		return NULL;
	}
	if (n > CONF_MAX_FILE_SIZE) {
		free(buf);
		conf_error_line(x, 0, "file is larger than %d bytes", CONF_MAX_FILE_SIZE);
		return NULL;
	}
	if (memchr(buf, '\0', n)) {
		free(buf);
		conf_error_line(x, 0, "file contains a NUL byte");
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

int conf_load(const char *path, struct conf *out, char *err, size_t errlen)
{
	struct conf_ctx x = { .file = path ? path : "(null)", .err = err, .errlen = errlen };
	if (err && errlen)
		err[0] = '\0';
	memset(out, 0, sizeof(*out));
	if (!path) {
		conf_error_line(&x, 0, "no file name");
		return -1;
	}
	if (strlen(path) >= sizeof(out->file)) {
		conf_error_line(&x, 0, "file name too long");
		return -1;
	}
	char *text = read_file(&x, path);
	if (!text)
		return -1;
	int r = conf_load_string(path, text, out, err, errlen);
	free(text);
	return r;
}

void conf_free(struct conf *c)
{
	if (!c)
		return;
	free(c->ifaces);
	for (size_t i = 0; i < c->n_redist; i++)
		free(c->redist[i].prefixes);
	free(c->redist);
	memset(c, 0, sizeof(*c));
}

const struct conf_iface *conf_iface_find(const struct conf *c, const char *name)
{
	for (size_t i = 0; c && name && i < c->n_ifaces; i++)
		if (strcmp(c->ifaces[i].name, name) == 0)
			return &c->ifaces[i];
	return NULL;
}
