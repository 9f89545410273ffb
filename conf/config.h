/* fabricd's configuration: a libconfig file loaded into a validated struct
 * (docs/design.md "Config"). Every error is reported as "file:line: message";
 * nothing unknown or out of range is silently accepted. */
#ifndef CONF_CONFIG_H
#define CONF_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CONF_DEFAULT_FILE SYSCONFDIR "/fabricd/fabricd.conf"
#define CONF_DEFAULT_SOCKET "/run/fabricd/fabricd.sock"
#define CONF_IFNAMSIZ 16
#define CONF_MAX_KEYS 8
#define CONF_ERRLEN 512

enum conf_network { CONF_NET_P2P = 0, CONF_NET_BROADCAST = 1 };
/* OSPF authentication: RFC 2328 D (none, simple, keyed MD5), RFC 5709. */
enum conf_auth {
	CONF_AUTH_NONE = 0, CONF_AUTH_SIMPLE = 1, CONF_AUTH_MD5 = 2, CONF_AUTH_HMAC_SHA1,
	CONF_AUTH_HMAC_SHA256, CONF_AUTH_HMAC_SHA384, CONF_AUTH_HMAC_SHA512,
};
#define CONF_AUTH_TYPES 7
/* "none", "simple", "md5", "hmac-sha1", ... as in the config. */
extern const char *const conf_auth_names[CONF_AUTH_TYPES];
/* BFD authentication: the values are RFC 5880's Auth Type numbers (4.1). */
enum conf_bfd_auth_type {
	CONF_BFD_AUTH_NONE = 0, CONF_BFD_AUTH_SIMPLE = 1, CONF_BFD_AUTH_KEYED_MD5 = 2,
	CONF_BFD_AUTH_METICULOUS_MD5 = 3, CONF_BFD_AUTH_KEYED_SHA1 = 4,
	CONF_BFD_AUTH_METICULOUS_SHA1 = 5,
};
#define CONF_BFD_MAX_KEYS 4

#define CONF_SECRET_MAX 128
struct conf_key {
	uint8_t id;        /* OSPF 1..255, BFD 0..255 */
	/* OSPF hmac-sha* 1..128, md5 1..16, simple 1..8; BFD sha1 1..20, others 1..16 */
	char secret[CONF_SECRET_MAX + 1];
	/* OSPF key lifetimes: send-from, send-until, accept-from, accept-until
	 * in seconds since the epoch (UTC); 0 = not given (open). */
	int64_t send_from, send_until, accept_from, accept_until;
};
/* "2026-12-01T00:00:00Z" for t (seconds since the epoch, UTC). */
void conf_format_time(int64_t t, char out[32]);

struct conf_bfd_auth {
	enum conf_bfd_auth_type type; /* default none */
	size_t n_keys;
	struct conf_key keys[CONF_BFD_MAX_KEYS]; /* keys[0] signs; any verifies */
};

/* bfd.dampening: exponential hold-down of a port whose adjacency keeps
 * failing (BFD Down, carrier loss); see proto/bfd/dampen.h. */
struct conf_dampening {
	uint32_t threshold;          /* failures before a hold-down, 1..100; 0 = off */
	uint32_t initial_hold_ms;    /* default 1000 */
	uint32_t max_hold_ms;        /* default 60000 */
};

struct conf_bfd_timers {
	uint32_t tx_interval_ms;  /* desired min TX, 1..60000 */
	uint32_t rx_interval_ms;  /* required min RX, 1..60000 */
	uint32_t multiplier;      /* 1..255 */
};

struct conf_iface {
	char name[CONF_IFNAMSIZ];
	int line;                    /* where it was defined, for messages */
	bool passive;                /* default false; "lo" is typically passive */
	enum conf_network network;   /* default point-to-point (the fabric default) */
	uint32_t cost;               /* 1..65535, default 10 */
	uint32_t hello_interval;     /* s, 1..65535, default 10 */
	uint32_t dead_interval;      /* s, > hello, default 4 x hello */
	uint32_t retransmit_interval;/* s, 1..3600, default 5 */
	uint32_t transmit_delay;     /* s, 1..3600, default 1 */
	uint32_t priority;           /* 0..255, default 1 (broadcast DR election) */
	bool bfd;                    /* default false */
	bool bfd_timers_set;         /* per-interface override present */
	struct conf_bfd_timers bfd_timers; /* = global bfd timers unless overridden */
	bool bfd_auth_set;           /* per-interface bfd-auth present */
	struct conf_bfd_auth bfd_auth; /* = global bfd auth unless overridden */
	enum conf_auth auth;         /* default none */
	size_t n_keys;
	struct conf_key keys[CONF_MAX_KEYS]; /* keys[0] is the one used to send */
};

struct conf_spf {
	uint32_t initial_delay_ms;   /* RFC 8405 INITIAL_SPF_DELAY, default 0 */
	uint32_t short_delay_ms;     /* SHORT_SPF_DELAY, default 50 */
	uint32_t long_delay_ms;      /* LONG_SPF_DELAY, default 2000 */
	uint32_t hold_down_ms;       /* HOLDDOWN_INTERVAL, default 5000 */
	uint32_t time_to_learn_ms;   /* TIME_TO_LEARN_INTERVAL, default 500 */
};

/* ospf.redistribute: routes from outside OSPF that we announce as
 * AS-external-LSAs (RFC 2328 A.4.5). */
enum conf_redist_from { CONF_REDIST_CONNECTED = 0, CONF_REDIST_STATIC = 1, CONF_REDIST_KERNEL = 2 };
/* One entry of a prefix list, with FRR's prefix-list semantics: "P/L"
 * matches exactly P/L; "P/L le N" P/L and its subnets up to /N; "P/L ge N"
 * subnets of P/L from /N to /32; "P/L ge N le M" from /N to /M. */
struct conf_prefix_rule {
	uint32_t prefix;   /* host order, no host bits */
	uint8_t plen;
	uint8_t ge, le;    /* effective bounds: ge <= length <= le */
	bool has_ge, has_le; /* as written (for show running-config) */
};
struct conf_redistribute {
	enum conf_redist_from from;
	int line;
	uint32_t metric;      /* 0..16777214, default 20 */
	uint32_t metric_type; /* 1 or 2, default 2 */
	size_t n_prefixes;    /* 0: every prefix */
	struct conf_prefix_rule *prefixes; /* heap */
};
const char *conf_redist_from_name(enum conf_redist_from f); /* "connected", ... */
/* Does prefix/plen pass this entry's prefix list? */
bool conf_redist_match(const struct conf_redistribute *r, uint32_t prefix, uint8_t plen);

struct conf {
	char file[4096];
	uint32_t router_id;          /* host byte order */
	uint32_t area;               /* host byte order, default 0.0.0.0 */
	uint32_t maximum_paths;      /* 1..64, default 64 */
	bool max_metric;             /* RFC 6987 drain at start-up, default false */
	uint32_t max_lsa;            /* RFC 1765 ospfExtLsdbLimit, 0 = no limit (default) */
	struct conf_spf spf;
	size_t n_redist;
	struct conf_redistribute *redist; /* heap, n_redist (one per `from`) */
	size_t n_ifaces;
	struct conf_iface *ifaces;   /* heap, n_ifaces */
	struct conf_bfd_timers bfd;  /* default 300 / 300 / 3 */
	struct conf_bfd_auth bfd_auth; /* default none */
	uint32_t rt_priority;        /* bfd.realtime-priority: SCHED_FIFO 1..99, 0 = off (default) */
	struct conf_dampening dampening; /* bfd.dampening; threshold 0 = off (default) */
	char socket[108];            /* default CONF_DEFAULT_SOCKET */
	char group[64];              /* "" = none (socket mode 0600) */
	char user[64];               /* run as this user after start-up; "" = stay as started */
	char metrics_listen[32];     /* control.metrics-listen "A.B.C.D:PORT", "" = off (default) */
	uint32_t metrics_addr;       /* its address, host order */
	uint16_t metrics_port;       /* its port, 0 = off */
};

/* Load and validate `path` into *out (which is overwritten; free with
 * conf_free). On error returns -1, leaves *out empty and writes
 * "file:line: message" (or "file: message" when there is no line) to err. */
int conf_load(const char *path, struct conf *out, char *err, size_t errlen);
/* Same, from a string (tests); `name` stands in for the file name. */
int conf_load_string(const char *name, const char *text, struct conf *out, char *err, size_t errlen);
void conf_free(struct conf *c);

const struct conf_iface *conf_iface_find(const struct conf *c, const char *name);

/* "none", "simple", "keyed-md5", ... for an enum conf_bfd_auth_type. */
const char *conf_bfd_auth_name(enum conf_bfd_auth_type t);

/* Write the config back in libconfig syntax (show running-config): every
 * setting with its effective value. */
void conf_write(const struct conf *c, FILE *f);
/* The same with every key secret (OSPF and BFD) written as
 * CONF_REDACTED unless secrets is true (show running-config to anyone
 * but root asking for them). */
#define CONF_REDACTED "<redacted>"
void conf_write_opts(const struct conf *c, FILE *f, bool secrets);

/* What changed between two valid configs (reload). */
struct conf_diff {
	bool router_id;       /* needs a restart of the OSPF instance */
	bool area;
	bool bfd_timers;      /* global BFD timers */
	bool bfd_auth;        /* global BFD authentication */
	bool rt_priority;     /* bfd.realtime-priority */
	bool dampening;       /* bfd.dampening */
	bool spf;             /* spf delays or maximum-paths */
	bool control;         /* socket path or group */
	bool user;            /* takes effect at the next start */
	bool metrics;         /* control.metrics-listen */
	bool max_metric;
	bool max_lsa;
	bool redistribute;    /* ospf.redistribute */
	size_t n_added, n_removed, n_changed;
	const char **added;   /* interface names (pointers into new / old conf) */
	const char **removed;
	const char **changed;
};
void conf_diff(const struct conf *old, const struct conf *nw, struct conf_diff *d);
void conf_diff_free(struct conf_diff *d);

#endif
