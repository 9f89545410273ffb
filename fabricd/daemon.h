/* The daemon: every part wired onto one libev loop. Only fabricd/ knows all
 * of proto/, fib/, cli/ and conf/. */
#ifndef FABRICD_DAEMON_H
#define FABRICD_DAEMON_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>
#include "conf/config.h"
#include "proto/ospf/ospf.h"
#include "proto/ospf/spf.h"
#include "proto/ospf/spf_sched.h"
#include "fib/nh.h"
#include "proto/bfd/dampen.h"

struct fib;
struct fib_link;

/* Start-up reconciliation (reconcile.c): what an earlier run left in the
 * kernel stays until our database has settled, then the first SPF over it
 * sets every route and removes the rest. */
enum reconcile_state {
	RECONCILE_STARTING, /* database not settled: earlier routes kept; back-off in start-up */
	RECONCILE_SETTLED,  /* settled: this SPF sets every route, then the rest goes */
	RECONCILE_DONE,     /* a running network */
};

struct reconcile {
	enum reconcile_state state;
	uint64_t *earlier;            /* prefix << 8 | plen of an earlier run's kernel routes, sorted */
	size_t n_earlier, cap_earlier;
	ev_timer timer;               /* looks again while STARTING (not an SPF event) */
};
struct bfd_io;
struct ctl_server;
struct notify;

/* A configured interface and what the kernel says about it. */
struct fd_iface {
	char name[CONF_IFNAMSIZ];
	const struct conf_iface *cfg; /* into fabricd.conf; refreshed on reload */
	uint32_t ifindex;             /* 0: not present in the kernel */
	bool admin_up, carrier, loopback;
	uint32_t mtu;
	uint32_t addr;                /* primary IPv4 address, host order, 0 = none */
	uint8_t plen;                 /* (ospf_addr_primary of addrs) */
	struct ospf_if_addr *addrs;   /* every IPv4 address, in the kernel's order */
	size_t n_addrs, cap_addrs;
	bool in_ospf;                 /* handed to the OSPF engine */
	bool up_in_ospf;              /* InterfaceUp given */
	int sock;                     /* raw OSPF socket, -1 if none */
	ev_io sock_w;
	struct bfd_dampen damp;       /* failures of this port's adjacency (dampen.c) */
	ev_timer damp_timer;          /* end of a hold-down */
	struct fabricd *d;
};

struct spf_stats {
	uint64_t runs;
	uint64_t last_run_ms;         /* monotonic time of the last run */
	uint64_t last_duration_us;
	char last_trigger[64];
	size_t last_routes;
};

struct fabricd {
	struct ev_loop *loop;
	char conf_path[4096];
	char socket_path[108];
	struct conf conf;
	uint64_t start_ms;

	struct fd_iface **ifaces;      /* one per configured interface, in config order */
	size_t n_ifaces;

	struct ospf *ospf;
	ev_timer ospf_timer;

	struct spf_sched sched;
	struct spf_ws *spf_ws;        /* SPF memory kept between runs */
	ev_timer spf_timer;
	struct spf_stats spf;
	struct spf_result routes;     /* last SPF result (what we want in the FIB) */
	bool fib_resync;              /* the kernel may differ from d->routes: offer all at the next SPF */
	struct fib_nh *usable;        /* next hops via neighbors in 2-Way or better (routes.c) */
	size_t n_usable, cap_usable;
	struct fib_nh *nh_buf;        /* scratch: one route's next hops */
	size_t cap_nh_buf;
	struct spf_iface *if_buf;     /* scratch: our interfaces for SPF */
	size_t cap_if_buf;
	struct reconcile rc;          /* start-up reconciliation (reconcile.c) */

	struct fib *fib;
	ev_io fib_w;
	struct fib_link *links;
	ev_io links_w;

	struct fib_rtmon *rtmon;      /* main-table monitor, only with ospf.redistribute */
	ev_io rtmon_w;
	ev_timer redist_timer;
	size_t n_redist;              /* routes announced as AS-external */

	struct bfd_io *bfd;
	struct ctl_server *ctl;
	struct notify *notify;         /* sd_notify state, NULL outside systemd (notify.c) */

	bool maintenance;
	bool stopping;
	ev_signal sig_term, sig_int, sig_hup;
};

uint64_t now_ms(void);

/* ospf_io.c: the engine's sockets; its callbacks lead to adjacency.c and routes.c */
void ospf_io_callbacks(struct fabricd *d, struct ospf_callbacks *cb);
/* Tell the engine the wall clock (key lifetimes) at monotonic `now`. */
void ospf_io_wall_clock(struct fabricd *d, uint64_t now);
int ospf_io_open(struct fd_iface *i);
void ospf_io_close(struct fd_iface *i);
void ospf_timer_rearm(struct fabricd *d);

/* iface.c */
int iface_table_init(struct fabricd *d);
void iface_table_free(struct fabricd *d);
int iface_table_apply_conf(struct fabricd *d);
struct fd_iface *iface_by_index(struct fabricd *d, uint32_t ifindex);
struct fd_iface *iface_by_name(struct fabricd *d, const char *name);
void iface_sync(struct fabricd *d, struct fd_iface *i);
void iface_link_event(struct fabricd *d, uint32_t ifindex, const char *name, bool admin_up,
		      bool carrier, bool loopback, uint32_t mtu);
void iface_link_gone(struct fabricd *d, uint32_t ifindex);
void iface_addr_event(struct fabricd *d, uint32_t ifindex, uint32_t addr, uint8_t plen, bool add);
/* A port with addresses but none whose subnet holds gw (an unnumbered port:
 * only /32s): a next hop through it must be installed on-link. */
bool iface_gw_onlink(const struct fd_iface *i, uint32_t gw);

/* adjacency.c: what a neighbor's state change sets off in the daemon */
void adjacency_change(void *ctx, uint32_t ifindex, uint32_t addr, uint32_t rid,
		      enum nsm_state old_state, enum nsm_state new_state);

/* routes.c: LSDB change -> SPF -> route diff -> fib */
int routes_init(struct fabricd *d);
void routes_configure(struct fabricd *d); /* SPF back-off from the config (a reload) */
void routes_lsdb_change(void *ctx, const char *why); /* the engine's lsdb_change callback */
void routes_schedule(struct fabricd *d, const char *why);
void routes_run_now(struct fabricd *d, const char *why); /* not an SPF event (reconcile.c) */
void routes_nexthop(struct fabricd *d, uint32_t gw, uint32_t ifindex, bool usable);
void routes_local_repair(struct fabricd *d, uint32_t ifindex, uint32_t gw); /* gw 0: any */
/* SPF's next hop h as installed (unnumbered: the neighbor's address,
 * on-link), false when not usable now. */
bool routes_resolve_nh(const struct fabricd *d, const struct spf_nexthop *h, struct fib_nh *out);
void routes_free(struct fabricd *d);

/* reconcile.c: the start-up reconciliation's state machine */
void reconcile_init(struct fabricd *d);
void reconcile_remember_earlier(struct fabricd *d); /* after fib_new: routes left by an earlier run */
bool reconcile_keeps(const struct fabricd *d, uint32_t prefix, uint8_t plen);
bool reconcile_spf_begin(struct fabricd *d); /* true: this SPF must offer every route */
void reconcile_spf_end(struct fabricd *d);
const char *reconcile_state_name(enum reconcile_state st);
void reconcile_free(struct fabricd *d);

/* dampen.c: bfd.dampening, an exponential hold-down of failing ports */
struct json_object;
void dampen_failure(struct fabricd *d, struct fd_iface *i, const char *why);
void dampen_up(struct fd_iface *i); /* BFD Up or carrier back: the next failure counts */
bool dampen_held(const struct fd_iface *i);
void dampen_stop(struct fabricd *d, struct fd_iface *i);
struct json_object *dampen_json(struct fabricd *d);
/* redistribute.c: ospf.redistribute -> AS-external-LSAs */
void redist_configure(struct fabricd *d); /* start/stop by the config; recompute */
void redist_schedule(struct fabricd *d);  /* recompute soon */
void redist_stop(struct fabricd *d);

/* daemon.c */
int daemon_start(struct fabricd *d);
void daemon_stop(struct fabricd *d);
int daemon_reload(struct fabricd *d, char *err, size_t errlen);
void daemon_apply_limits(struct fabricd *d, uint64_t now);

/* bfd.c: a BFD session follows every OSPF neighbor on a bfd = true port */
struct bfd_state_change;
void bfd_state_change(void *ctx, uint32_t ifindex, uint32_t peer,
		      const struct bfd_state_change *ev);
void bfd_follow_neighbor(struct fabricd *d, uint32_t ifindex, uint32_t addr,
			 enum nsm_state old_state, enum nsm_state new_state);
void bfd_reconfigure(struct fabricd *d);

#endif
