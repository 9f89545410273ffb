/* OSPFv2 packet codec (RFC 2328 A.3): decoded views and encoders.
 *
 * Conventions for all of proto/ospf:
 *  - every address, router id, area id, LS id is a uint32_t in HOST byte order
 *    (10.255.0.1 == 0x0aff0001);
 *  - decoders never allocate: lists inside a packet (neighbors, LSA headers,
 *    LS requests, LSAs) are left as pointers into the caller's buffer plus a
 *    count, read with the *_at() helpers;
 *  - decoders return OSPF_OK or an enum ospf_drop reason, which the daemon
 *    counts per reason (`show counters`). */
#ifndef PROTO_OSPF_PACKET_H
#define PROTO_OSPF_PACKET_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define OSPF_VERSION 2
#define OSPF_HDR_LEN 24
#define OSPF_LSA_HDR_LEN 20
#define OSPF_MD5_LEN 16
#define OSPF_ALLSPF 0xe0000005u /* 224.0.0.5 */
#define OSPF_ALLDR 0xe0000006u  /* 224.0.0.6 */

enum ospf_type {
	OSPF_HELLO = 1,
	OSPF_DBDESC = 2,
	OSPF_LSREQ = 3,
	OSPF_LSUPD = 4,
	OSPF_LSACK = 5,
};

enum ospf_autype { OSPF_AUTH_NULL = 0, OSPF_AUTH_SIMPLE = 1, OSPF_AUTH_CRYPTO = 2 };

/* Why a received packet was dropped. Order is ABI for the counters table. */
enum ospf_drop {
	OSPF_OK = 0,
	OSPF_DROP_SHORT,        /* shorter than the OSPF header / IP payload */
	OSPF_DROP_VERSION,      /* version != 2 */
	OSPF_DROP_LENGTH,       /* header length field inconsistent */
	OSPF_DROP_TYPE,         /* unknown packet type */
	OSPF_DROP_CHECKSUM,     /* bad packet checksum (null/simple auth) */
	OSPF_DROP_AREA,         /* area id mismatch */
	OSPF_DROP_AUTH_TYPE,    /* autype differs from the interface's */
	OSPF_DROP_AUTH_FAIL,    /* wrong password / digest / unknown key id */
	OSPF_DROP_AUTH_SEQ,     /* crypto sequence number went backwards */
	OSPF_DROP_MALFORMED,    /* body does not parse */
	OSPF_DROP_LSA_TRUNC,    /* an LSA runs past the packet */
	OSPF_DROP_LSA_CHECKSUM, /* an LSA with a bad Fletcher checksum */
	OSPF_DROP_SELF,         /* our own packet looped back */
	OSPF_DROP_HELLO_MISMATCH, /* 10.5: mask / hello / dead / E-bit mismatch */
	OSPF_DROP_NO_NEIGHBOR,  /* non-hello from an unknown or too-low neighbor */
	OSPF_DROP_BAD_DST,      /* e.g. AllDRouters while not DR/BDR */
	OSPF_DROP_IFACE,        /* interface down / passive / not configured */
	OSPF_DROP_ROUTER_ID,    /* router id 0.0.0.0 or 255.255.255.255 */
	OSPF_DROP__COUNT
};
const char *ospf_drop_name(enum ospf_drop d); /* "checksum", "auth_fail", ... */

struct ospf_hdr {
	uint8_t version;
	uint8_t type;
	uint16_t length;   /* whole OSPF packet, excluding any crypto trailer */
	uint32_t router_id;
	uint32_t area_id;
	uint16_t checksum;
	uint16_t autype;
	/* autype 1: the 8-byte password; autype 2: the crypto fields. */
	uint8_t auth_simple[8];
	uint8_t key_id;
	uint8_t auth_len;
	uint32_t crypto_seq;
};

/* Options field (A.2) */
#define OSPF_OPT_E  0x02
#define OSPF_OPT_MC 0x04
#define OSPF_OPT_NP 0x08
#define OSPF_OPT_L  0x10
#define OSPF_OPT_DC 0x20
#define OSPF_OPT_O  0x40

struct ospf_hello {
	uint32_t netmask;
	uint16_t hello_interval;
	uint8_t options;
	uint8_t priority;
	uint32_t dead_interval;
	uint32_t dr;
	uint32_t bdr;
	size_t n_neighbors;
	const uint8_t *neighbors; /* n_neighbors x 4 bytes, network order */
};
uint32_t ospf_hello_neighbor_at(const struct ospf_hello *h, size_t i);

/* DD flags */
#define OSPF_DD_MS 0x01
#define OSPF_DD_M  0x02
#define OSPF_DD_I  0x04

struct lsa_hdr {
	uint16_t age;
	uint8_t options;
	uint8_t type;
	uint32_t ls_id;
	uint32_t adv_router;
	int32_t seq;
	uint16_t checksum;
	uint16_t length;
};

struct ospf_dbdesc {
	uint16_t mtu;
	uint8_t options;
	uint8_t flags;
	uint32_t dd_seq;
	size_t n_lsa_hdrs;
	const uint8_t *lsa_hdrs; /* n x 20 bytes */
};
void ospf_dbdesc_hdr_at(const struct ospf_dbdesc *d, size_t i, struct lsa_hdr *out);

struct ospf_lsreq_entry {
	uint32_t type; /* LS type, 32 bits on the wire in an LS Request */
	uint32_t ls_id;
	uint32_t adv_router;
};
struct ospf_lsreq {
	size_t n;
	const uint8_t *entries; /* n x 12 bytes */
};
void ospf_lsreq_at(const struct ospf_lsreq *r, size_t i, struct ospf_lsreq_entry *out);

struct ospf_lsupd {
	uint32_t n_lsas;
	/* The LSAs back to back; each LSA's length is in its header. Decoding
	 * checks that every LSA fits (OSPF_DROP_LSA_TRUNC otherwise). */
	const uint8_t *lsas;
	size_t lsas_len;
};
/* Iterate: start with *off = 0; returns a pointer to the next LSA and its
 * length, or NULL at the end. */
const uint8_t *ospf_lsupd_next(const struct ospf_lsupd *u, size_t *off, size_t *len);

struct ospf_lsack {
	size_t n_lsa_hdrs;
	const uint8_t *lsa_hdrs;
};
void ospf_lsack_hdr_at(const struct ospf_lsack *a, size_t i, struct lsa_hdr *out);

/* A decoded packet. `body` union selected by hdr.type. */
struct ospf_packet {
	struct ospf_hdr hdr;
	union {
		struct ospf_hello hello;
		struct ospf_dbdesc dbdesc;
		struct ospf_lsreq lsreq;
		struct ospf_lsupd lsupd;
		struct ospf_lsack lsack;
	} u;
};

/* Authentication configuration of an interface (RFC 2328 D). */
#define OSPF_MAX_KEYS 8
struct ospf_key {
	uint8_t id;
	char secret[17];  /* MD5: up to 16 bytes; simple: up to 8 */
};
struct ospf_auth {
	enum ospf_autype type;
	size_t n_keys;
	struct ospf_key keys[OSPF_MAX_KEYS]; /* keys[0] is used for sending */
};

/* Decode an OSPF packet (the IP payload, after the IP header). Checks version,
 * length, type and body shape. Does NOT check area or authentication. */
enum ospf_drop ospf_decode(const uint8_t *buf, size_t len, struct ospf_packet *out);

/* Verify authentication of a raw packet (D.5). For crypto, *last_seq is the
 * neighbor's last accepted sequence number (updated on success; pass NULL to
 * skip the sequence check). `len` is the whole IP payload incl. trailer. */
enum ospf_drop ospf_auth_verify(const uint8_t *buf, size_t len, const struct ospf_auth *auth,
				uint32_t *last_seq);

/* Encoders: write a complete packet into buf (cap bytes), including the
 * header with length; return the length without auth trailer, or 0 if it does
 * not fit. Call ospf_finish() afterwards. */
size_t ospf_hello_encode(uint8_t *buf, size_t cap, uint32_t router_id, uint32_t area_id,
			 const struct ospf_hello *h, const uint32_t *neighbors, size_t n);
size_t ospf_dbdesc_encode(uint8_t *buf, size_t cap, uint32_t router_id, uint32_t area_id,
			  const struct ospf_dbdesc *d, const struct lsa_hdr *hdrs, size_t n);
size_t ospf_lsreq_encode(uint8_t *buf, size_t cap, uint32_t router_id, uint32_t area_id,
			 const struct ospf_lsreq_entry *e, size_t n);
/* lsas: n raw LSAs (each with its own length); ages are written as given */
size_t ospf_lsupd_encode(uint8_t *buf, size_t cap, uint32_t router_id, uint32_t area_id,
			 const uint8_t *const *lsas, size_t n);
size_t ospf_lsack_encode(uint8_t *buf, size_t cap, uint32_t router_id, uint32_t area_id,
			 const struct lsa_hdr *hdrs, size_t n);

/* Fill autype/auth fields and the checksum (null/simple) or append the MD5
 * trailer (crypto, with sequence `seq`). Returns the total length to send
 * (length + 16 for MD5), or 0 if cap is too small. */
size_t ospf_finish(uint8_t *buf, size_t len, size_t cap, const struct ospf_auth *auth, uint32_t seq);

/* Internet checksum (RFC 1071) over len bytes. */
uint16_t inet_cksum(const uint8_t *buf, size_t len);

/* OSPF packet checksum (D.4.1/D.4.2): the Internet checksum over the first
 * len (= hdr.length) bytes with the 64-bit authentication field left out.
 * 0 for a packet whose checksum is correct; with the checksum field zeroed,
 * the value to store. */
uint16_t ospf_packet_cksum(const uint8_t *buf, size_t len);

#endif
