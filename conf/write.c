/* conf_write: the effective config (every setting, defaults included) in
 * libconfig syntax, so that `show running-config` output loads back as is. */
#include <stdio.h>

#include "conf/config.h"
#include "proto/lib/ipv4.h"

static const char *const network_names[] = { "point-to-point", "broadcast" };

/* A libconfig string literal: quote and backslash escaped, anything not
 * printable ASCII as \xNN (libconfig reads all of these back). */
static void write_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(f, "\\x%02x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void write_ipv4(FILE *f, uint32_t a)
{
	char s[IPV4_STRLEN];
	fprintf(f, "\"%s\"", ipv4_str(a, s));
}

/* A key's lifetimes that were given, as ISO 8601 UTC times. */
static void write_lifetimes(FILE *f, const struct conf_key *k)
{
	const char *const names[4] = { "send-from", "send-until", "accept-from", "accept-until" };
	const int64_t v[4] = { k->send_from, k->send_until, k->accept_from, k->accept_until };
	char t[32];
	for (int i = 0; i < 4; i++) {
		if (!v[i])
			continue;
		conf_format_time(v[i], t);
		fprintf(f, "; %s = \"%s\"", names[i], t);
	}
}

/* `name` = ( { id; secret; }, ... ); at indentation `in` (nothing when
 * there are no keys). */
static void write_keys(FILE *f, const char *in, const char *name, const struct conf_key *keys,
		       size_t n, bool secrets)
{
	if (n == 0)
		return;
	fprintf(f, "%s%s = (\n", in, name);
	for (size_t k = 0; k < n; k++) {
		fprintf(f, "%s  { id = %u; secret = ", in, keys[k].id);
		write_string(f, secrets ? keys[k].secret : CONF_REDACTED);
		write_lifetimes(f, &keys[k]);
		fprintf(f, "; }%s\n", k + 1 < n ? "," : "");
	}
	fprintf(f, "%s);\n", in);
}

/* BFD authentication: `auth` and `keys` in the bfd group, `bfd-auth` and
 * `bfd-keys` on an interface (prefix "bfd-"). */
static void write_bfd_auth(FILE *f, const char *in, const char *prefix,
			   const struct conf_bfd_auth *a, bool secrets)
{
	char name[16];
	fprintf(f, "%s%sauth = \"%s\";\n", in, prefix, conf_bfd_auth_name(a->type));
	snprintf(name, sizeof(name), "%skeys", prefix);
	write_keys(f, in, name, a->keys, a->n_keys, secrets);
}

static void write_iface(FILE *f, const struct conf_iface *i, bool last, bool secrets)
{
	fputs("    {\n      name = ", f);
	write_string(f, i->name);
	fprintf(f, ";\n      passive = %s;\n", i->passive ? "true" : "false");
	fprintf(f, "      network = \"%s\";\n", network_names[i->network]);
	fprintf(f, "      cost = %u;\n", i->cost);
	fprintf(f, "      hello-interval = %u;\n", i->hello_interval);
	/* The L keeps libconfig 1.5 from wrapping values above 2^31. */
	fprintf(f, "      dead-interval = %u%s;\n", i->dead_interval,
		i->dead_interval > INT32_MAX ? "L" : "");
	fprintf(f, "      retransmit-interval = %u;\n", i->retransmit_interval);
	fprintf(f, "      transmit-delay = %u;\n", i->transmit_delay);
	fprintf(f, "      priority = %u;\n", i->priority);
	fprintf(f, "      bfd = %s;\n", i->bfd ? "true" : "false");
	/* Overrides only where given, so a later change of the global BFD
	 * timers still reaches the other interfaces after a reload. */
	if (i->bfd_timers_set) {
		fprintf(f, "      bfd-tx-interval-ms = %u;\n", i->bfd_timers.tx_interval_ms);
		fprintf(f, "      bfd-rx-interval-ms = %u;\n", i->bfd_timers.rx_interval_ms);
		fprintf(f, "      bfd-multiplier = %u;\n", i->bfd_timers.multiplier);
	}
	if (i->bfd_auth_set)
		write_bfd_auth(f, "      ", "bfd-", &i->bfd_auth, secrets);
	fprintf(f, "      auth = \"%s\";\n", conf_auth_names[i->auth]);
	write_keys(f, "      ", "keys", i->keys, i->n_keys, secrets);
	fprintf(f, "    }%s\n", last ? "" : ",");
}

static void write_rule(FILE *f, const struct conf_prefix_rule *r)
{
	char s[IPV4_PREFIX_STRLEN];
	fprintf(f, "\"%s", ipv4_prefix_str(r->prefix, r->plen, s));
	if (r->has_ge)
		fprintf(f, " ge %u", r->ge);
	if (r->has_le)
		fprintf(f, " le %u", r->le);
	fputc('"', f);
}

/* ospf.redistribute, only when given (an empty list means the same). */
static void write_redistribute(FILE *f, const struct conf *c)
{
	if (c->n_redist == 0)
		return;
	fputs("  redistribute = (\n", f);
	for (size_t i = 0; i < c->n_redist; i++) {
		const struct conf_redistribute *r = &c->redist[i];
		fprintf(f, "    { from = \"%s\"; metric = %u; metric-type = %u;",
			conf_redist_from_name(r->from), r->metric, r->metric_type);
		if (r->n_prefixes) {
			fputs(" prefixes = ( ", f);
			for (size_t k = 0; k < r->n_prefixes; k++) {
				write_rule(f, &r->prefixes[k]);
				fputs(k + 1 < r->n_prefixes ? ", " : " );", f);
			}
		}
		fprintf(f, " }%s\n", i + 1 < c->n_redist ? "," : "");
	}
	fputs("  );\n", f);
}

void conf_write(const struct conf *c, FILE *f)
{
	conf_write_opts(c, f, true);
}

void conf_write_opts(const struct conf *c, FILE *f, bool secrets)
{
	fputs("router-id = ", f);
	write_ipv4(f, c->router_id);
	fputs(";\nuser = ", f);
	write_string(f, c->user);
	fputs(";\nospf = {\n  area = ", f);
	write_ipv4(f, c->area);
	fprintf(f, ";\n  maximum-paths = %u;\n", c->maximum_paths);
	fprintf(f, "  max-metric = %s;\n", c->max_metric ? "true" : "false");
	fprintf(f, "  max-lsa = %u%s;\n", c->max_lsa, c->max_lsa > INT32_MAX ? "L" : "");
	fprintf(f, "  spf = {\n    initial-delay-ms = %u;\n    short-delay-ms = %u;\n"
		   "    long-delay-ms = %u;\n    hold-down-ms = %u;\n    time-to-learn-ms = %u;\n"
		   "  };\n",
		c->spf.initial_delay_ms, c->spf.short_delay_ms, c->spf.long_delay_ms,
		c->spf.hold_down_ms, c->spf.time_to_learn_ms);
	fputs("  interfaces = (\n", f);
	for (size_t i = 0; i < c->n_ifaces; i++)
		write_iface(f, &c->ifaces[i], i + 1 == c->n_ifaces, secrets);
	fputs("  );\n", f);
	write_redistribute(f, c);
	fputs("};\n", f);
	fprintf(f, "bfd = {\n  tx-interval-ms = %u;\n  rx-interval-ms = %u;\n  multiplier = %u;\n",
		c->bfd.tx_interval_ms, c->bfd.rx_interval_ms, c->bfd.multiplier);
	write_bfd_auth(f, "  ", "", &c->bfd_auth, secrets);
	fprintf(f, "  realtime-priority = %u;\n", c->rt_priority);
	if (c->dampening.threshold)
		fprintf(f, "  dampening = {\n    threshold = %u;\n    initial-hold-ms = %u;\n"
			   "    maximum-hold-ms = %u;\n  };\n",
			c->dampening.threshold, c->dampening.initial_hold_ms, c->dampening.max_hold_ms);
	fputs("};\n", f);
	fputs("control = {\n  socket = ", f);
	write_string(f, c->socket);
	fputs(";\n  group = ", f);
	write_string(f, c->group);
	if (c->metrics_listen[0]) {
		fputs(";\n  metrics-listen = ", f);
		write_string(f, c->metrics_listen);
	}
	fputs(";\n};\n", f);
}
