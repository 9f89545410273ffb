/* BFD authentication (RFC 5880 section 6.7): simple password, keyed and
 * meticulous keyed MD5 / SHA1 (digests from proto/lib/digest.h).
 * The caller keeps one struct bfd_auth_seq per session. */
#ifndef PROTO_BFD_AUTH_H
#define PROTO_BFD_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto/bfd/packet.h"

struct bfd_auth_key {
	uint8_t type;        /* enum bfd_auth_type, not BFD_AUTH_NONE */
	uint8_t key_id;
	uint8_t secret_len;  /* password: 1..16; MD5: <= 16; SHA1: <= 20 */
	uint8_t secret[20];
};

/* Sequence number state of 6.8.1 (bfd.RcvAuthSeq, bfd.XmitAuthSeq, bfd.AuthSeqKnown). */
struct bfd_auth_seq {
	bool rcv_known;
	uint32_t rcv_seq;
	uint32_t xmit_seq;   /* start it at a random value (6.8.1) */
};

/* Add the auth section for key to *p and encode it into buf, signed.
 * Returns the length, 0 on error. */
size_t bfd_auth_encode_signed(const struct bfd_auth_key *key, struct bfd_auth_seq *seq,
			      struct bfd_packet *p, uint8_t *buf, size_t cap);

/* Check a decoded packet (p, and its bytes buf[0..len)) against key: key
 * id, password or digest, and the sequence number window of 6.7.3/6.7.4.
 * Updates seq only when the packet passes. */
enum bfd_drop bfd_auth_verify(const struct bfd_auth_key *key, struct bfd_auth_seq *seq,
			      const struct bfd_packet *p, const uint8_t *buf, size_t len);

#endif
