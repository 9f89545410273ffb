/* Internal structures of the OSPFv2 engine, shared by the files of
 * proto/ospf that implement it (RFC 2328 9, 10, 12, 13, 14). Not part of
 * the public API (see ospf.h). */
#ifndef PROTO_OSPF_OSPF_PRIV_H
#define PROTO_OSPF_OSPF_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h> /* LOG_* level names only: proto/ does no I/O */
#include "proto/ospf/ospf.h"
#include "proto/ospf/lsa.h"
#include "proto/ospf/lsalist.h"

#include "proto/lib/alloc.h"
#include "proto/lib/deadline.h"
#include "proto/lib/ipv4.h"
#define OSPF_OPTIONS OSPF_OPT_E      /* area 0, external capable (A.2) */
#define TRIGGERED_HELLO_GAP_MS 50    /* rate limit of triggered hellos */
#define DELAYED_ACK_MS 100           /* 13.5: well under RxmtInterval */
#define MAX_PKT 65535
#define IP_HDR_LEN 20
#define AUTH_TRAILER_MAX 64

/* Identity of an LSA (12.1.4). */
struct lsa_key {
	uint8_t type;
	uint32_t ls_id;
	uint32_t adv_router;
};

/* One LSDB entry: the LSA in wire form, its age at install time and the
 * install time; the current age is derived (13.2 / 14). */
struct lsdb_entry {
	struct lsa_hdr hdr;        /* hdr.age: the age when installed */
	uint8_t *lsa;
	size_t len;
	uint64_t installed_ms;
	bool from_flood;           /* for MinLSArrival (13 step 5a) */
	bool maxage_flooded;       /* reached MaxAge by aging and was reflooded (14) */
	uint64_t last_sent_ms;     /* last time sent directly in answer to an old copy (13 step 8) */

	/* Index (lsdb.c): hash chains, position in db->e, in the deadline
	 * heap (aging / refresh) or in the list of MaxAge LSAs. */
	struct lsdb_entry *key_next, *id_next;
	size_t pos, heap_pos, maxage_pos;
	uint64_t due_ms;           /* next aging event (heap key) */
};

/* The LSDB (lsdb.c). e[0..n-1]: every entry, in no particular order
 * (ospf_lsdb_foreach sorts). Two chained hash tables of the same size,
 * grown with the database: by (type, LS ID, advertising router), and by
 * (type, LS ID) for the lookups that do not know the advertising router
 * (a Network-LSA from a transit link, 16.1). A min-heap of the next aging
 * event of each live LSA (MaxAge, or LSRefreshTime for ours) and the list
 * of MaxAge LSAs waiting to be removed let the timers do work in
 * proportion to what is due, not to the size of the database. */
struct ospf_lsdb {
	struct lsdb_entry **e;
	size_t n, cap;
	struct lsdb_entry **by_key, **by_id;
	size_t n_buckets;          /* power of two, or 0 */
	struct lsdb_entry **heap;
	size_t n_heap, cap_heap;
	struct lsdb_entry **maxage;
	size_t n_maxage, cap_maxage;
};

struct ospf_if;

struct ospf_nbr {
	struct ospf_nbr *next;
	struct ospf_if *ifp;
	uint32_t rid, addr;
	uint8_t priority, options;
	uint32_t dr, bdr;          /* as declared in its Hellos (addresses) */
	enum nsm_state state;
	uint64_t inactivity_deadline;
	uint32_t crypto_seq;       /* last accepted crypto sequence number */

	/* Database exchange (10.6, 10.8) */
	bool master;               /* we are master */
	uint32_t dd_seq;
	bool have_last_rx_dd;
	uint8_t dd_options;        /* options of the DDs, fixed at NegotiationDone */
	uint8_t last_rx_flags, last_rx_options;
	uint32_t last_rx_seq;
	uint8_t *last_dd;          /* last DD sent, for retransmission */
	size_t last_dd_len;
	bool last_dd_more;         /* M bit of the last DD sent */
	uint64_t dd_rxmt_deadline;
	bool mtu_mismatch;

	struct lsa_hdr *dbs;       /* Database summary list */
	size_t n_dbs, cap_dbs, dbs_next, dbs_sent;
	struct lsa_list req;       /* Link state request list */
	uint64_t lsr_rxmt_deadline;
	struct lsa_list rxmt;      /* Link state retransmission list */
	uint64_t lsu_rxmt_deadline;
	bool list_overflow;        /* a list went past its bound: reset the adjacency */

	uint64_t state_since_ms, full_since_ms;
	uint32_t state_changes;
};

struct ospf_if {
	struct ospf_if *next;
	struct ospf *o;
	struct ospf_if_config cfg;
	uint32_t addr, mask;         /* the primary address (ospf_addr_primary) */
	struct ospf_if_addr *addrs;  /* every address, the primary included */
	size_t n_addrs;
	bool link_up;
	enum ism_state state;
	uint32_t dr_addr, bdr_addr;  /* 9: Designated Router / Backup, as addresses */
	uint32_t dr_id, bdr_id;
	bool alldr_joined;
	struct ospf_nbr *nbrs;

	uint64_t hello_deadline, last_hello_ms, wait_deadline;
	uint32_t crypto_seq;
	bool send_key_expired;       /* logged: signing with an expired key (D.3) */
	uint8_t send_key_id;         /* key of the last packet signed, 0: none */

	struct lsa_hdr *acks;        /* delayed acknowledgments (13.5) */
	size_t n_acks, cap_acks;
	uint64_t ack_deadline;

	struct lsa_list flood_q;     /* LSAs to flood out of here (13.3 step 5), sent together */
	uint64_t net_lsa_deadline;   /* pending Network-LSA (re)origination */
	uint64_t net_lsa_last_ms;    /* last origination, for MinLSInterval */
	bool net_lsa_ever;
	uint64_t tx[6], rx[6];
};

struct ospf {
	uint32_t rid, area;
	struct ospf_callbacks cb;
	struct ospf_if *ifs;
	struct ospf_lsdb db;
	bool max_metric;
	bool shutting_down;
	uint64_t rtr_lsa_deadline;   /* pending Router-LSA origination */
	uint64_t rtr_lsa_last_ms;    /* last origination, for MinLSInterval */
	bool rtr_lsa_ever;
	struct ospf_ext_route *ext; /* AS-external routes we announce, sorted */
	size_t n_ext;
	uint64_t ext_deadline;       /* pending AS-external-LSA (re)origination */
	uint64_t ext_last_ms;
	uint64_t started_ms;         /* ospf_new: for the first Router-LSA's hold */
	uint32_t crypto_seq_base;
	int64_t wall_offset_ms;      /* wall clock - monotonic, for key lifetimes */
	struct ospf_counters ctr;
	struct ospf_limits lim;
	size_t n_ext_lsdb;             /* non-default AS-external-LSAs in the LSDB (RFC 1765) */
	bool overflow;               /* RFC 1765 OverflowState */
	uint64_t overflow_exit_deadline;
	uint8_t buf[MAX_PKT + AUTH_TRAILER_MAX];
};

/* ospf.c */
int64_t ospf_wall_s(const struct ospf *o, uint64_t now);
void ospf_logf(struct ospf *o, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ospf_send(struct ospf_if *ifp, uint32_t dst, uint8_t *buf, size_t len, uint64_t now);
size_t ospf_pkt_cap(const struct ospf_if *ifp);
static inline uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static inline uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static inline uint32_t ms_of(uint32_t s) { return s * 1000u; }
static inline struct lsa_key lsa_key_of(const struct lsa_hdr *h)
{
	struct lsa_key k = { h->type, h->ls_id, h->adv_router };
	return k;
}
static inline bool lsa_key_eq(const struct lsa_key *a, const struct lsa_key *b)
{
	return a->type == b->type && a->ls_id == b->ls_id && a->adv_router == b->adv_router;
}

/* interface.c */
struct ospf_if *if_find(const struct ospf *o, uint32_t ifindex);
struct ospf_if *if_find_addr(const struct ospf *o, uint32_t addr);
void ism_neighbor_change(struct ospf_if *ifp, uint64_t now);
void ism_backup_seen(struct ospf_if *ifp, uint64_t now);
void if_tick(struct ospf_if *ifp, uint64_t now);
void if_free(struct ospf_if *ifp); /* with its neighbors; already unlinked */
uint64_t if_deadline(const struct ospf_if *ifp);
bool if_is_dr_or_bdr(const struct ospf_if *ifp);
bool if_unnumbered(const struct ospf_if *ifp);
bool if_active(const struct ospf_if *ifp);  /* up, not passive: runs the protocol */
size_t if_n_full(const struct ospf_if *ifp);

/* neighbor.c */
enum nsm_event {
	NSM_EV_HELLO, NSM_EV_2WAY, NSM_EV_NEG_DONE, NSM_EV_EXCH_DONE, NSM_EV_BAD_LSREQ,
	NSM_EV_LOADING_DONE, NSM_EV_ADJ_OK, NSM_EV_SEQ_MISMATCH, NSM_EV_1WAY, NSM_EV_KILL,
	NSM_EV_INACTIVITY, NSM_EV_LL_DOWN,
};
const char *nsm_event_name(enum nsm_event ev);
struct ospf_nbr *nbr_new(struct ospf_if *ifp, uint32_t rid, uint32_t addr, uint64_t now);
void nbr_free(struct ospf_nbr *n);
struct ospf_nbr *nbr_find_addr(const struct ospf_if *ifp, uint32_t addr);
struct ospf_nbr *nbr_find_rid(const struct ospf_if *ifp, uint32_t rid);
void nsm_event(struct ospf_nbr *n, enum nsm_event ev, uint64_t now);
bool nbr_adj_ok(const struct ospf_nbr *n);
void nbr_tick(struct ospf_nbr *n, uint64_t now);
uint64_t nbr_deadline(const struct ospf_nbr *n);
uint32_t nbr_dst(const struct ospf_nbr *n); /* unicast destination (p2p: AllSPF) */
bool nbr_req_remove(struct ospf_nbr *n, const struct lsa_key *k);
struct lsa_list_entry *nbr_req_find(struct ospf_nbr *n, const struct lsa_key *k);
/* Put h on the request list (10.6). False when the list is at its bound:
 * the neighbor is marked for an adjacency reset. */
bool nbr_req_add(struct ospf_nbr *n, const struct lsa_hdr *h);
void nbr_rxmt_add(struct ospf_nbr *n, const struct lsa_hdr *h, uint64_t now);
/* Reset an adjacency whose lists went past their bound (after the packet
 * that did it has been handled). */
void nbr_check_lists(struct ospf_nbr *n, uint64_t now);
bool nbr_rxmt_remove(struct ospf_nbr *n, const struct lsa_key *k);
bool nbr_rxmt_has(const struct ospf_nbr *n, const struct lsa_key *k);
/* Until when the first Router-LSA after start waits for adjacencies that
 * are forming (0 or <= now: not at all); see neighbor.c. */
uint64_t adj_startup_hold(const struct ospf *o, uint64_t now);
/* When a port that just came up asks for a Router-LSA (neighbor.c). */
uint64_t if_up_origination(const struct ospf_if *ifp, uint64_t now);

/* hello.c */
void hello_send(struct ospf_if *ifp, uint64_t now);
void hello_trigger(struct ospf_if *ifp, uint64_t now);
void hello_rx(struct ospf_if *ifp, uint32_t src, const struct ospf_packet *p,
	      const uint8_t *buf, size_t len, uint64_t now);

/* dbdesc.c */
void dd_start(struct ospf_nbr *n, uint64_t now);  /* entering ExStart */
void dd_send_last(struct ospf_nbr *n, uint64_t now);
void dd_rx(struct ospf_nbr *n, const struct ospf_packet *p, uint64_t now);

/* lsreq.c */
void lsr_send(struct ospf_nbr *n, uint64_t now);
void lsr_send_if_idle(struct ospf_nbr *n, uint64_t now);
/* After entries left the request list: LoadingDone, or ask for the next batch. */
void lsr_progress(struct ospf_nbr *n, uint64_t now);
void lsr_rx(struct ospf_nbr *n, const struct ospf_packet *p, uint64_t now);

/* lsupdate.c */
void lsu_rx(struct ospf_nbr *n, const struct ospf_packet *p, uint64_t now);
/* Send LSAs (looked up by key in the LSDB) to dst, split to fit the MTU. */
void lsu_send_keys(struct ospf_if *ifp, uint32_t dst, const struct lsa_key *keys, size_t n,
		   uint64_t now);
void lsu_rxmt(struct ospf_nbr *n, uint64_t now);

/* lsack.c */
void ack_delayed(struct ospf_if *ifp, const struct lsa_hdr *h, uint64_t now);
void ack_direct(struct ospf_nbr *n, const struct lsa_hdr *h, uint64_t now);
void ack_flush(struct ospf_if *ifp, uint64_t now);
void ack_rx(struct ospf_nbr *n, const struct ospf_packet *p, uint64_t now);

/* lsdb.c */
struct lsdb_entry *lsdb_find(const struct ospf_lsdb *db, const struct lsa_key *k);
/* The live (not MaxAge) LSA of this type and LS ID; adv_router 0 = the one
 * with the lowest advertising router. */
const struct lsdb_entry *lsdb_find_live(const struct ospf_lsdb *db, uint8_t type, uint32_t ls_id,
					uint32_t adv_router);
uint16_t lsdb_age(const struct lsdb_entry *e, uint64_t now);
void lsdb_cur_hdr(const struct lsdb_entry *e, uint64_t now, struct lsa_hdr *out);
/* 13.2: install a copy of lsa (its header age is the current age). Returns the entry. */
struct lsdb_entry *lsdb_install(struct ospf *o, const uint8_t *lsa, size_t len, bool from_flood,
				uint64_t now);
/* Every entry, sorted by (type, ls_id, adv_router); free() the array. */
struct lsdb_entry **lsdb_sorted(const struct ospf_lsdb *db);
void lsdb_tick(struct ospf *o, uint64_t now);
uint64_t lsdb_deadline(const struct ospf *o);
void lsdb_free(struct ospf_lsdb *db);
bool lsdb_is_self(const struct ospf *o, const struct lsa_hdr *h);
/* Write the LSA with its current age (+ InfTransDelay) into out (cap >= e->len). */
void lsdb_copy_aged(const struct lsdb_entry *e, uint64_t now, uint16_t delay, uint8_t *out);
/* 14.1: premature aging of one of our LSAs. */
void lsdb_flush_self(struct ospf *o, struct lsdb_entry *e, uint64_t now);

/* flood.c */
/* 13.3; from = the neighbor it came from (NULL if ours). Returns true if
 * it was flooded back out of the receiving interface. */
bool flood(struct ospf *o, struct lsdb_entry *e, struct ospf_nbr *from, uint64_t now);
/* Send what flood() queued: the LSAs flooded while handling one packet (or
 * one timer pass) leave each interface in as few updates as fit the MTU,
 * not one update per LSA. Called at the end of ospf_tick. */
void flood_send_queued(struct ospf *o, uint64_t now);
void flood_remove_rxmt(struct ospf *o, const struct lsa_key *k);
bool lsa_on_any_rxmt(const struct ospf *o, const struct lsa_key *k);
bool any_nbr_exchanging(const struct ospf *o);
void self_lsa_received(struct ospf *o, struct lsdb_entry *e, uint64_t now); /* 13.4 */

/* overflow.c: RFC 1765 database overflow (ospf.max-lsa) */
bool lsa_is_nondefault_ext(const struct lsa_hdr *h);
/* Is h one of ours that OverflowState holds back (RFC 1765 2.3.2)? */
bool lsa_is_nondefault_ext_held(const struct ospf *o, const struct lsa_hdr *h);
void overflow_lsdb_count(struct ospf *o, const struct lsa_hdr *h, int delta); /* lsdb.c */
/* 1765 2.1: may a new instance of h (none in the LSDB yet) be installed? */
bool overflow_admit(struct ospf *o, const struct lsa_hdr *h, uint64_t now);
void overflow_tick(struct ospf *o, uint64_t now);
uint64_t overflow_deadline(const struct ospf *o);

/* originate.c */
void rtr_lsa_schedule(struct ospf *o, uint64_t now);
bool seq_wrap_pending(struct ospf *o, uint8_t type, uint32_t ls_id, uint64_t now);
void seq_wrap_done(struct ospf *o, const struct lsa_key *k, uint64_t now);
void rtr_lsa_originate(struct ospf *o, uint64_t now, bool force);
void net_lsa_schedule(struct ospf_if *ifp, uint64_t now);
void net_lsa_originate(struct ospf_if *ifp, uint64_t now, bool force);
void originate_tick(struct ospf *o, uint64_t now);
uint64_t originate_deadline(const struct ospf *o);
/* Install a self-originated LSA (checksum set), flood it, count it. */
void originate_install(struct ospf *o, uint8_t *lsa, size_t len, uint64_t now);
/* The header of the next instance of one of our LSAs. */
struct lsa_hdr next_hdr(struct ospf *o, uint8_t type, uint32_t ls_id);
/* Same body as the instance in the database (nothing to originate)? */
bool same_as_db(struct ospf *o, const uint8_t *lsa, size_t len);

/* external.c (12.4.4 of RFC 2328 as ASBR: AS-external-LSAs) */
void ext_schedule(struct ospf *o, uint64_t now);
void ext_originate(struct ospf *o, uint64_t now);
/* One of our AS-external-LSAs came back newer (13.4): true if it is still
 * wanted and was originated again above it. */
bool ext_self_received(struct ospf *o, const struct lsdb_entry *e, uint64_t now);

#endif
