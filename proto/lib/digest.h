/* Message digests and HMAC for the protocol codecs: OSPF keyed MD5 (RFC 2328
 * D.4.3) and HMAC-SHA (RFC 5709), BFD keyed MD5/SHA1 (RFC 5880 6.7).
 *
 * Every digest comes from OpenSSL's libcrypto: the library the distribution
 * maintains and patches, that has FIPS-validated builds, and that is already
 * on every Debian/Cumulus switch (nettle would do the job too, but would be
 * one more library to ship and audit for no gain). These are pure functions
 * (no I/O), so proto/ stays free of sockets and clocks. A false return means
 * libcrypto refused the algorithm (MD5 under a FIPS provider, for one): the
 * caller then neither sends nor accepts. */
#ifndef PROTO_LIB_DIGEST_H
#define PROTO_LIB_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum digest_alg { DIGEST_MD5, DIGEST_SHA1, DIGEST_SHA256, DIGEST_SHA384, DIGEST_SHA512 };
#define DIGEST_MAX_LEN 64   /* SHA-512 */

/* Output length L in bytes: 16, 20, 32, 48, 64. */
size_t digest_len(enum digest_alg a);

/* A message given in pieces, hashed as their concatenation (so a packet and
 * its key or Apad need not be copied into one buffer). */
struct digest_part {
	const void *data;
	size_t len;
};

/* H(parts[0] || parts[1] || ...) into out (digest_len(a) bytes). */
bool digest_hash(enum digest_alg a, const struct digest_part *parts, size_t n, uint8_t *out);

/* HMAC (RFC 2104) with key over the concatenated parts, into out
 * (digest_len(a) bytes). The key may be of any length >= 1: longer than
 * the hash's block it is hashed first, shorter it is zero padded. */
bool digest_hmac(enum digest_alg a, const void *key, size_t key_len,
		 const struct digest_part *parts, size_t n, uint8_t *out);

/* Compare in constant time, so timing tells a forger nothing. */
bool digest_equal(const void *a, const void *b, size_t n);

#endif
