/* LSAs (RFC 2328 A.4): header codec, Fletcher checksum, comparison, and the
 * Router-LSA / Network-LSA bodies. LSAs are kept in wire form (uint8_t *, the
 * LSDB stores the bytes it floods); these helpers read and build them. */
#ifndef PROTO_OSPF_LSA_H
#define PROTO_OSPF_LSA_H

#include "proto/ospf/packet.h"

#define LSA_ROUTER 1
#define LSA_NETWORK 2
#define LSA_SUMMARY 3
#define LSA_ASBR_SUMMARY 4
#define LSA_EXTERNAL 5

/* Architectural constants (B) */
#define LS_REFRESH_TIME 1800 /* s */
#define MIN_LS_INTERVAL 5    /* s */
#define MIN_LS_ARRIVAL 1     /* s */
#define MAX_AGE 3600         /* s */
#define CHECK_AGE 300
#define MAX_AGE_DIFF 900
#define LS_INFINITY 0xffffff
#define INITIAL_SEQ ((int32_t)0x80000001)
#define MAX_SEQ ((int32_t)0x7fffffff)

void lsa_hdr_decode(const uint8_t *p, struct lsa_hdr *out);
void lsa_hdr_encode(uint8_t *p, const struct lsa_hdr *h);

/* ISO 8473 Fletcher checksum over the LSA minus the age field (12.1.7).
 * lsa_checksum() computes the value to store; lsa_checksum_ok() verifies. */
uint16_t lsa_checksum(const uint8_t *lsa, size_t len);
bool lsa_checksum_ok(const uint8_t *lsa, size_t len);
/* Recompute and store the checksum in place. */
void lsa_set_checksum(uint8_t *lsa, size_t len);
/* Write header h (length = len, checksum computed) in front of a body
 * already at buf + 20. Returns len. */
size_t lsa_finish(uint8_t *buf, const struct lsa_hdr *h, size_t len);

/* 13.1: >0 if a is newer than b, <0 if older, 0 if the same instance.
 * Ages are the current ages in seconds. */
int lsa_compare(const struct lsa_hdr *a, const struct lsa_hdr *b);

/* Is the body of this LSA (header included, len = its length field) well
 * formed for its type (A.4.2-A.4.5)? Only known types 1-5 can be. A
 * Router-LSA must be exactly 24 bytes plus its links, each 12 bytes plus
 * 4 per TOS metric, with nothing left over. */
bool lsa_body_ok(const uint8_t *lsa, size_t len);

/* Router-LSA (A.4.2) */
#define RTR_FLAG_B 0x01
#define RTR_FLAG_E 0x02
#define RTR_FLAG_V 0x04
enum rtr_link_type { RTR_LINK_P2P = 1, RTR_LINK_TRANSIT = 2, RTR_LINK_STUB = 3, RTR_LINK_VIRTUAL = 4 };
struct rtr_link {
	uint32_t link_id;
	uint32_t link_data;
	uint8_t type;
	uint16_t metric; /* TOS 0 metric */
};
struct lsa_router {
	uint8_t flags;
	uint16_t n_links;
	const uint8_t *links; /* raw, variable size (TOS entries) */
	size_t links_len;
};
/* Parse a Router-LSA's body (lsa points at the LSA header). false if malformed. */
bool lsa_router_parse(const uint8_t *lsa, size_t len, struct lsa_router *out);
/* Iterate links: *off starts at 0; false at the end. */
bool lsa_router_next_link(const struct lsa_router *r, size_t *off, struct rtr_link *out);
/* Build a complete Router-LSA (header + body, checksum set) into buf.
 * Returns its length, or 0 if cap is too small. */
size_t lsa_router_build(uint8_t *buf, size_t cap, const struct lsa_hdr *h, uint8_t flags,
			const struct rtr_link *links, size_t n);

/* Network-LSA (A.4.3) */
struct lsa_network {
	uint32_t netmask;
	size_t n_routers;
	const uint8_t *routers; /* n x 4 bytes */
};
bool lsa_network_parse(const uint8_t *lsa, size_t len, struct lsa_network *out);
uint32_t lsa_network_router_at(const struct lsa_network *n, size_t i);
size_t lsa_network_build(uint8_t *buf, size_t cap, const struct lsa_hdr *h, uint32_t netmask,
			 const uint32_t *routers, size_t n);

/* Summary-LSA, types 3 and 4 (A.4.4): network mask (0 for type 4) and the
 * TOS 0 metric (24 bits); TOS entries after it are ignored. */
struct lsa_summary {
	uint32_t netmask;
	uint32_t metric;
};
bool lsa_summary_parse(const uint8_t *lsa, size_t len, struct lsa_summary *out);
size_t lsa_summary_build(uint8_t *buf, size_t cap, const struct lsa_hdr *h,
			 const struct lsa_summary *s);

/* AS-external-LSA (A.4.5): the TOS 0 entry. */
struct lsa_external {
	uint32_t netmask;
	bool e2;           /* E bit: type 2 metric */
	uint32_t metric;   /* 24 bits */
	uint32_t fwd_addr; /* forwarding address, 0 = the ASBR itself */
	uint32_t tag;      /* external route tag */
};
bool lsa_external_parse(const uint8_t *lsa, size_t len, struct lsa_external *out);
size_t lsa_external_build(uint8_t *buf, size_t cap, const struct lsa_hdr *h,
			  const struct lsa_external *x);

#endif
