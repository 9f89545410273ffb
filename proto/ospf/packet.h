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
#define OSPF_HELLO_FIXED_LEN 20 /* A.3.2: mask, intervals, options, priority, DR, BDR */
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
	OSPF_DROP_AUTH_FAIL,    /* wrong password or digest (wrong secret) */
	OSPF_DROP_AUTH_SEQ,     /* crypto sequence number went backwards */
	OSPF_DROP_AUTH_KEY_ID,  /* crypto: no key with the packet's Key ID */
	OSPF_DROP_AUTH_KEY_EXPIRED, /* the key's accept window does not hold now */
	OSPF_DROP_AUTH_LEN,     /* crypto: Auth Data Len or trailer size wrong */
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

/* Authentication configuration of an interface (RFC 2328 D, RFC 5709). */
#define OSPF_MAX_KEYS 8
/* The longest secret: the largest hash block (SHA-384/512, 128 bytes); an
 * HMAC key longer than the block is hashed down, so adds no strength. */
#define OSPF_SECRET_MAX 128
#define OSPF_DIGEST_MAX 64  /* HMAC-SHA-512 trailer */

/* With autype 2, the algorithm: keyed MD5 (RFC 2328 D.4.3) or HMAC-SHA
 * (RFC 5709). The Auth Data Len is the digest length: 16, 20, 32, 48, 64. */
enum ospf_crypto_alg {
	OSPF_ALG_MD5 = 0, OSPF_ALG_HMAC_SHA1, OSPF_ALG_HMAC_SHA256, OSPF_ALG_HMAC_SHA384,
	OSPF_ALG_HMAC_SHA512,
};
size_t ospf_crypto_len(enum ospf_crypto_alg a);      /* 16 .. 64, 0 if unknown */
const char *ospf_crypto_name(enum ospf_crypto_alg a); /* "md5", "hmac-sha256", ... */

/* A key and its lifetimes (RFC 2328 D.3 KeyStartAccept, KeyStartGenerate,
 * KeyStopGenerate, KeyStopAccept), in wall-clock seconds since the epoch
 * (UTC); 0 leaves that end open. A window holds for from <= t < until. */
struct ospf_key {
	uint8_t id;
	char secret[OSPF_SECRET_MAX + 1]; /* simple: up to 8; MD5: 16; HMAC-SHA: 128 */
	int64_t send_from, send_until;
	int64_t accept_from, accept_until;
};
struct ospf_auth {
	enum ospf_autype type;
	enum ospf_crypto_alg alg;  /* with OSPF_AUTH_CRYPTO */
	size_t n_keys;
	struct ospf_key keys[OSPF_MAX_KEYS];
};

/* The key to send with at wall-clock time `wall` (seconds): among those
 * whose send window holds, the one that started last (the first of equals,
 * so keys[0] without lifetimes). When none holds but some have expired, the
 * one that expired last, as if its lifetime were infinite (D.3, RFC 5709
 * 3.2: never fall back to no authentication, nor break routing). NULL when
 * every key is yet to start. */
const struct ospf_key *ospf_auth_send_key(const struct ospf_auth *auth, int64_t wall);
/* The key accepted with Key ID `id` at `wall`: its accept window holds, or
 * no key's does and it is the one that expired last (as above). NULL if
 * there is none; *expired tells a known id outside its window. */
const struct ospf_key *ospf_auth_accept_key(const struct ospf_auth *auth, uint8_t id,
					    int64_t wall, bool *expired);

/* Decode an OSPF packet (the IP payload, after the IP header). Checks version,
 * length, type and body shape. Does NOT check area or authentication. */
enum ospf_drop ospf_decode(const uint8_t *buf, size_t len, struct ospf_packet *out);

/* Verify authentication of a raw packet (D.5, RFC 5709 3.4) at wall-clock
 * time `wall` (seconds, for the keys' accept windows). For crypto,
 * *last_seq is the neighbor's last accepted sequence number (updated on
 * success; pass NULL to skip the sequence check). `len` is the whole IP
 * payload: with crypto it must be the packet length plus exactly the
 * trailer. */
enum ospf_drop ospf_auth_verify_at(const uint8_t *buf, size_t len, const struct ospf_auth *auth,
				   uint32_t *last_seq, int64_t wall);
/* The same for keys without lifetimes (tests, tools): any time will do. */
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

/* Fill autype/auth fields and the checksum (null/simple) or append the
 * crypto trailer (MD5 or HMAC-SHA, with sequence `seq`), signing with the
 * send key at wall-clock time `wall` (seconds). Returns the total length to
 * send (length + the digest length with crypto), or 0 if cap is too small,
 * there is no key to send with or libcrypto failed. */
size_t ospf_finish_at(uint8_t *buf, size_t len, size_t cap, const struct ospf_auth *auth,
		      uint32_t seq, int64_t wall);
/* The same for keys without lifetimes (tests, tools). */
size_t ospf_finish(uint8_t *buf, size_t len, size_t cap, const struct ospf_auth *auth, uint32_t seq);

/* Internet checksum (RFC 1071) over len bytes. */
uint16_t inet_cksum(const uint8_t *buf, size_t len);

/* OSPF packet checksum (D.4.1/D.4.2): the Internet checksum over the first
 * len (= hdr.length) bytes with the 64-bit authentication field left out.
 * 0 for a packet whose checksum is correct; with the checksum field zeroed,
 * the value to store. */
uint16_t ospf_packet_cksum(const uint8_t *buf, size_t len);

#endif
