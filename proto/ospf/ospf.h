/* The OSPFv2 protocol engine for one area (RFC 2328), free of I/O.
 *
 * The daemon feeds it received packets, interface events and the current
 * time (milliseconds, monotonic); it answers through callbacks (packets to
 * send, neighbor changes, "the LSDB changed, schedule SPF") and tells when
 * it next needs to run (ospf_next_deadline / ospf_tick). Unit tests drive it
 * with virtual time. Addresses and ids are host byte order. */
#ifndef PROTO_OSPF_OSPF_H
#define PROTO_OSPF_OSPF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto/ospf/packet.h"
#include "proto/lib/deadline.h"

enum ospf_network { OSPF_NET_P2P = 0, OSPF_NET_BROADCAST = 1 };

/* Interface states (9.1) */
enum ism_state { ISM_DOWN = 0, ISM_LOOPBACK, ISM_WAITING, ISM_P2P, ISM_DROTHER, ISM_BACKUP, ISM_DR };
/* Neighbor states (10.1) */
enum nsm_state { NSM_DOWN = 0, NSM_ATTEMPT, NSM_INIT, NSM_2WAY, NSM_EXSTART, NSM_EXCHANGE,
		 NSM_LOADING, NSM_FULL };
const char *ism_state_name(enum ism_state s); /* "Down","Loopback","Waiting","Point-To-Point","DROther","Backup","DR" */
const char *nsm_state_name(enum nsm_state s); /* "Down","Attempt","Init","2-Way","ExStart","Exchange","Loading","Full" */

struct ospf_if_config {
	char name[16];
	uint32_t ifindex;
	enum ospf_network network;
	bool passive;           /* no hellos; advertised as a stub network */
	bool loopback;          /* the interface is a loopback: host routes /32 */
	uint16_t cost;
	uint16_t hello_interval;   /* s */
	uint32_t dead_interval;    /* s */
	uint16_t retransmit_interval; /* s */
	uint16_t transmit_delay;   /* s */
	uint8_t priority;
	uint16_t mtu;           /* interface MTU, for the DD MTU check (10.6) */
	struct ospf_auth auth;
};

struct ospf_callbacks {
	void *ctx;
	/* Send an OSPF packet (complete, auth applied) out of ifindex to dst
	 * (OSPF_ALLSPF, OSPF_ALLDR or a neighbor's address). */
	void (*send)(void *ctx, uint32_t ifindex, uint32_t dst, const uint8_t *buf, size_t len);
	/* Join (true) or leave AllDRouters on ifindex when we become / stop being DR or BDR. */
	void (*alldr)(void *ctx, uint32_t ifindex, bool join);
	/* A neighbor changed state. */
	void (*nbr_change)(void *ctx, uint32_t ifindex, uint32_t nbr_addr, uint32_t nbr_rid,
			   enum nsm_state old_state, enum nsm_state new_state);
	/* The LSDB's content changed in a way that can change routes: schedule SPF. */
	void (*lsdb_change)(void *ctx, const char *why);
	/* Log a message; level is a <syslog.h> LOG_* name (LOG_ERR .. LOG_DEBUG). May be NULL. */
	void (*log)(void *ctx, int level, const char *fmt, va_list ap);
};

struct ospf;

struct ospf *ospf_new(uint32_t router_id, uint32_t area_id, const struct ospf_callbacks *cb,
		      uint64_t now_ms);
void ospf_free(struct ospf *o);

/* Interfaces. An added interface starts Down until ospf_if_up(). */
int ospf_if_add(struct ospf *o, const struct ospf_if_config *cfg, uint64_t now);
/* Change cost, timers, auth, passive, network type, etc. (reload). */
int ospf_if_update(struct ospf *o, const struct ospf_if_config *cfg, uint64_t now);
void ospf_if_remove(struct ospf *o, uint32_t ifindex, uint64_t now);
/* Every IPv4 address of an interface counts (mask as a mask, 0xffffff00).
 * The primary one (the interface's identity on the link: Hello source,
 * link data, DR address) is the first that is not a /32, else the first:
 * a point-to-point port with only /32s is unnumbered (it borrows the
 * loopback's address). Every subnet of a passive port and every address
 * of a loopback goes into our Router-LSA as a stub; the interface keeps
 * running while any address remains, and only a change of the primary
 * restarts it. */
struct ospf_if_addr {
	uint32_t addr, mask;
};
/* Index of the primary address of a[0..n), n if there is none. */
size_t ospf_addr_primary(const struct ospf_if_addr *a, size_t n);
void ospf_if_set_addrs(struct ospf *o, uint32_t ifindex, const struct ospf_if_addr *a, size_t n,
		       uint64_t now);
/* The same with one address (addr 0 = none). */
void ospf_if_set_addr(struct ospf *o, uint32_t ifindex, uint32_t addr, uint32_t mask, uint64_t now);
/* InterfaceUp / InterfaceDown (9.2): link up with carrier, or not. */
void ospf_if_updown(struct ospf *o, uint32_t ifindex, bool up, uint64_t now);

/* A received packet: the IP payload (OSPF header first), the IP source and
 * destination, the arrival interface. Bad packets are dropped and counted. */
void ospf_rx(struct ospf *o, uint32_t ifindex, uint32_t src, uint32_t dst, const uint8_t *buf,
	     size_t len, uint64_t now);

/* RFC 5882: BFD says the neighbor at nbr_addr on ifindex is down: take the
 * adjacency down at once (KillNbr). */
void ospf_nbr_kill(struct ospf *o, uint32_t ifindex, uint32_t nbr_addr, uint64_t now);

/* The wall clock (ms since the epoch, UTC) at monotonic time `now`: key
 * lifetimes (send-from, accept-until, ...) are wall-clock times. The
 * daemon tells it now and then (the clock may be stepped); until told, the
 * wall clock reads 0 (1970), before every lifetime. */
void ospf_set_wall_clock(struct ospf *o, int64_t wall_ms, uint64_t now);

/* RFC 6987 max-metric: advertise every non-stub link with metric 0xffff. */
void ospf_set_max_metric(struct ospf *o, bool on, uint64_t now);

/* Resource bounds against a neighbor that floods (issue "hostile
 * networks"). max_lsa: RFC 1765 ospfExtLsdbLimit, the most non-default
 * AS-external-LSAs the LSDB holds (0 = no limit); one more is dropped
 * unacknowledged (1765 2.1). nbr_list_max: the most entries of one
 * neighbor's request or retransmission list; past it the adjacency is
 * reset (as for BadLSReq). overflow_exit_s: ospfExitOverflowInterval. */
struct ospf_limits {
	uint32_t max_lsa;
	uint32_t nbr_list_max;
	uint32_t overflow_exit_s;
};
#define OSPF_NBR_LIST_MAX_DEFAULT 262144u
#define OSPF_OVERFLOW_EXIT_DEFAULT_S 30u
void ospf_set_limits(struct ospf *o, const struct ospf_limits *l, uint64_t now);
/* RFC 1765 OverflowState, and the non-default AS-external-LSAs counted. */
bool ospf_overflow_state(const struct ospf *o, uint32_t *n_ext);
/* RFC 2328 as AS boundary router: routes from outside OSPF announced as
 * AS-external-LSAs (A.4.5). The set replaces the previous one: new and
 * changed routes are originated, those gone are flushed (14.1), the
 * Router-LSA's E bit says whether we announce any. */
struct ospf_ext_route {
	uint32_t prefix;   /* host order, masked */
	uint8_t plen;
	bool e2;           /* metric type 2 */
	uint32_t metric;   /* < LSInfinity */
	uint32_t fwd_addr; /* 0: through us */
	uint32_t tag;
};
void ospf_set_externals(struct ospf *o, const struct ospf_ext_route *r, size_t n, uint64_t now);

/* Timers */
void ospf_tick(struct ospf *o, uint64_t now);
uint64_t ospf_next_deadline(const struct ospf *o); /* NEVER if none */

/* Clean shutdown: flush our self-originated LSAs (premature aging, 14.1) and
 * send them out. */
void ospf_shutdown(struct ospf *o, uint64_t now);

/* LSDB lookup in the form spf_lookup_fn wants (ctx = struct ospf *).
 * MaxAge LSAs are not returned. adv_router 0 = any. */
const uint8_t *ospf_lsdb_lookup(void *ospf, uint8_t type, uint32_t ls_id, uint32_t adv_router,
				size_t *len);

/* Every LSA of one type that is not MaxAge, in the form spf_each_fn
 * wants (ctx = struct ospf *): SPF's Summary- and AS-external-LSAs. */
void ospf_lsdb_each(void *ospf, uint8_t type, void (*fn)(void *arg, const uint8_t *lsa, size_t len),
		    void *arg);

/* Router `from`'s Router-LSA in our LSDB has a link to router `to`: point-
 * to-point, or through a transit network whose Network-LSA lists `to`. SPF
 * uses an adjacency only when both directions hold (the two-way check of
 * RFC 2328 16.1 (2b)). */
bool ospf_lsdb_has_link(struct ospf *o, uint32_t from, uint32_t to);

/* ---- Introspection for `show` ---- */
struct ospf_nbr_info {
	uint32_t router_id;
	uint32_t addr;
	uint32_t ifindex;
	char ifname[16];
	enum nsm_state state;
	uint8_t priority;
	uint32_t dr, bdr;
	uint64_t dead_deadline_ms;  /* when the inactivity timer fires */
	uint64_t state_since_ms;    /* time of the last state change */
	uint64_t full_since_ms;     /* 0 if not Full */
	bool mtu_mismatch;          /* stuck in ExStart because of 10.6 */
	uint32_t n_retransmit, n_request, n_dbsummary;
	uint32_t state_changes;
};
/* Is some neighbor on ifindex with address addr in state min_state or
 * above? (Several neighbor entries can share an address: a neighbor that
 * changed its router ID, or a forged Hello.) */
bool ospf_nbr_addr_at_least(const struct ospf *o, uint32_t ifindex, uint32_t addr,
			    enum nsm_state min_state);

/* Walking the engine's neighbors / interfaces without a caller-sized array:
 *   struct ospf_iter it; struct ospf_nbr_info nb;
 *   for (ospf_iter_init(&it, o); ospf_nbr_next(&it, &nb);) ...
 * The engine must not change (no ospf_rx/ospf_tick/...) during a walk. */
struct ospf_if;
struct ospf_nbr;
struct ospf_iter {
	const struct ospf_if *ifp;   /* the interface to look at next */
	const struct ospf_nbr *nbr;  /* the neighbor to report next on ifp */
	bool started;
};
void ospf_iter_init(struct ospf_iter *it, const struct ospf *o);
bool ospf_nbr_next(struct ospf_iter *it, struct ospf_nbr_info *out);

struct ospf_if_info {
	char name[16];
	uint32_t ifindex;
	enum ism_state state;
	enum ospf_network network;
	bool passive;
	uint32_t addr, mask;
	uint16_t cost;
	uint16_t hello_interval;
	uint32_t dead_interval;
	uint8_t priority;
	uint32_t dr, bdr;           /* router ids (0 = none) */
	uint32_t dr_addr, bdr_addr; /* interface addresses */
	uint32_t n_neighbors, n_adjacent;
	enum ospf_autype auth;
	uint8_t send_key_id;        /* Key ID that signed the last packet sent, 0: none */
	uint64_t tx[6], rx[6];      /* per packet type 1..5 */
};
bool ospf_if_next(struct ospf_iter *it, struct ospf_if_info *out); /* after ospf_iter_init */

struct ospf_lsa_info {
	struct lsa_hdr hdr;   /* age = current age */
	const uint8_t *lsa;   /* wire form; valid until the next call into the engine */
	size_t len;
	bool self;
};
/* Call fn for every LSA, ordered by (type, ls_id, adv_router). */
void ospf_lsdb_foreach(const struct ospf *o, uint64_t now,
		       void (*fn)(void *ctx, const struct ospf_lsa_info *), void *ctx);

struct ospf_counters {
	uint64_t drops[OSPF_DROP__COUNT];
	uint64_t rx_packets, tx_packets;
	uint64_t lsa_originated, lsa_received, lsa_flushed;
	uint64_t retransmissions;
	/* LSAs of an update that were not installed (13 steps 1-3, 12.1.6,
	 * RFC 1765): unknown type (not acknowledged), malformed body,
	 * reserved sequence number 0x80000000, refused in overflow. */
	uint64_t lsa_unknown_type, lsa_malformed, lsa_bad_seq, lsa_refused_overflow;
	uint64_t lsr_duplicates;      /* LS Request entries naming an LSA twice */
	uint64_t nbr_list_overflows;  /* adjacencies reset: a list past nbr_list_max */
	uint64_t tx_auth_fail;    /* not sent: no key to send with (all yet to start) */
	uint64_t hello_nbrs_omitted; /* neighbors a full Hello could not list (MTU) */
};
void ospf_counters_get(const struct ospf *o, struct ospf_counters *out);

uint32_t ospf_router_id(const struct ospf *o);

#endif
