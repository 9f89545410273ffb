/* BFD Control packet codec (RFC 5880 section 4.1), free of I/O.
 *
 * bfd_packet_decode() parses the UDP payload of a BFD Control packet and
 * applies the reception checks of RFC 5880 6.8.6 that need nothing but the
 * packet itself; each failed check returns its own enum bfd_drop, with a
 * stable name for counters. Checks that need a session (the A bit against
 * the session's authentication, the Your Discriminator lookup) are left to
 * the caller, but their reasons live in the same enum so that one counter
 * table covers every drop. Integers are host byte order. */
#ifndef PROTO_BFD_PACKET_H
#define PROTO_BFD_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BFD_VERSION 1
#define BFD_HDR_LEN 24          /* mandatory section (4.1) */
#define BFD_MAX_PACKET_LEN (BFD_HDR_LEN + 28) /* largest auth section: SHA1 (4.4) */
#define BFD_UDP_PORT_CONTROL 3784 /* RFC 5881 section 4 */

/* Session states as carried in the Sta field (4.1). */
enum bfd_state {
	BFD_STATE_ADMIN_DOWN = 0,
	BFD_STATE_DOWN = 1,
	BFD_STATE_INIT = 2,
	BFD_STATE_UP = 3,
};

/* Diagnostic codes (4.1). */
enum bfd_diag {
	BFD_DIAG_NONE = 0,
	BFD_DIAG_CTRL_EXPIRED = 1,        /* Control Detection Time Expired */
	BFD_DIAG_ECHO_FAILED = 2,
	BFD_DIAG_NEIGHBOR_DOWN = 3,       /* Neighbor Signaled Session Down */
	BFD_DIAG_FWD_PLANE_RESET = 4,
	BFD_DIAG_PATH_DOWN = 5,
	BFD_DIAG_CONCAT_PATH_DOWN = 6,
	BFD_DIAG_ADMIN_DOWN = 7,          /* Administratively Down */
	BFD_DIAG_REV_CONCAT_PATH_DOWN = 8,
};

/* Flag bits of the second octet, below the State field (4.1). */
#define BFD_FLAG_POLL      0x20
#define BFD_FLAG_FINAL     0x10
#define BFD_FLAG_CPI       0x08 /* Control Plane Independent */
#define BFD_FLAG_AUTH      0x04
#define BFD_FLAG_DEMAND    0x02
#define BFD_FLAG_MULTIPOINT 0x01

/* Auth Type field (4.1). */
enum bfd_auth_type {
	BFD_AUTH_NONE = 0,
	BFD_AUTH_SIMPLE = 1,
	BFD_AUTH_KEYED_MD5 = 2,
	BFD_AUTH_METICULOUS_MD5 = 3,
	BFD_AUTH_KEYED_SHA1 = 4,
	BFD_AUTH_METICULOUS_SHA1 = 5,
	BFD_AUTH_TYPES
};

#define BFD_AUTH_PASSWORD_MAX 16
#define BFD_AUTH_MD5_LEN 24   /* Auth Len of the MD5 formats (4.3) */
#define BFD_AUTH_SHA1_LEN 28  /* Auth Len of the SHA1 formats (4.4) */

/* The optional Authentication Section (4.2-4.4). */
struct bfd_auth_section {
	uint8_t type;                 /* enum bfd_auth_type */
	uint8_t len;                  /* Auth Len, the whole section */
	uint8_t key_id;
	uint8_t password_len;         /* simple password only: 1..16 */
	uint8_t password[BFD_AUTH_PASSWORD_MAX];
	uint32_t seq;                 /* MD5/SHA1 formats */
	uint8_t digest_len;           /* 16 (MD5) or 20 (SHA1) */
	uint8_t digest[20];
};

struct bfd_packet {
	uint8_t version;
	uint8_t diag;                 /* enum bfd_diag */
	uint8_t state;                /* enum bfd_state */
	uint8_t flags;                /* BFD_FLAG_* */
	uint8_t detect_mult;
	uint8_t length;               /* on decode: the Length field; on encode: ignored */
	uint32_t my_discr;
	uint32_t your_discr;
	uint32_t desired_min_tx_us;
	uint32_t required_min_rx_us;
	uint32_t required_min_echo_rx_us;
	bool has_auth;                /* same as (flags & BFD_FLAG_AUTH) */
	struct bfd_auth_section auth;
};

/* Why a received packet was dropped. The first group is decided by the
 * packet alone (bfd_packet_decode), the rest by the session or the daemon. */
enum bfd_drop {
	BFD_DROP_NONE = 0,
	BFD_DROP_SHORT,            /* fewer bytes than the mandatory section */
	BFD_DROP_BAD_VERSION,      /* Vers != 1 */
	BFD_DROP_BAD_LENGTH,       /* Length < 24, or < 26 with the A bit */
	BFD_DROP_LENGTH_EXCEEDS,   /* Length > UDP payload */
	BFD_DROP_ZERO_MULT,        /* Detect Mult == 0 */
	BFD_DROP_MULTIPOINT,       /* M bit set */
	BFD_DROP_ZERO_MY_DISCR,    /* My Discriminator == 0 */
	BFD_DROP_ZERO_YOUR_DISCR,  /* Your Discr 0 while State is Init or Up */
	BFD_DROP_BAD_AUTH_SECTION, /* unknown Auth Type, or bad Auth Len */
	/* decided by the session / the daemon */
	BFD_DROP_AUTH_MISMATCH,    /* A bit does not match bfd.AuthType */
	BFD_DROP_AUTH_FAILED,      /* password/digest/sequence check failed */
	BFD_DROP_ADMIN_DOWN,       /* our session is AdminDown (6.8.6) */
	BFD_DROP_NO_SESSION,       /* no session for the discriminator/peer */
	BFD_DROP_WRONG_INTERFACE,  /* discriminator known, but other interface/peer */
	BFD_DROP_TTL,              /* TTL != 255 (RFC 5881 section 5, GTSM) */
	BFD_DROP_MAX
};

/* Stable snake_case name of a drop reason, for counters ("ttl", "bad_version", ...). */
const char *bfd_drop_name(enum bfd_drop d);
/* "AdminDown", "Down", "Init", "Up" */
const char *bfd_state_name(enum bfd_state s);
/* Short snake_case name of a diagnostic ("none", "control_expired", ...). */
const char *bfd_diag_name(enum bfd_diag d);
/* "none", "simple", "keyed-md5", "meticulous-keyed-md5", "keyed-sha1",
 * "meticulous-keyed-sha1", indexed by enum bfd_auth_type: also the names
 * the config uses. bfd_auth_type_name gives "?" for other values. */
extern const char *const bfd_auth_type_names[BFD_AUTH_TYPES];
const char *bfd_auth_type_name(uint8_t type);

/* Parse the UDP payload buf[0..len). Fills *p (also partly on failure) and
 * returns BFD_DROP_NONE if the packet may be handed to a session. */
enum bfd_drop bfd_packet_decode(const uint8_t *buf, size_t len, struct bfd_packet *p);

/* Serialize *p into buf (room for cap bytes). Version and Length are
 * computed (version 1; 24 + auth section length). With has_auth the auth
 * section is written as stored in p->auth (digest included, see auth.h for
 * signing). Returns the number of bytes written, 0 if cap is too small or
 * the auth section is malformed. */
size_t bfd_packet_encode(const struct bfd_packet *p, uint8_t *buf, size_t cap);

#endif
