/* OSPF authentication (RFC 2328 Appendix D): null, simple password and
 * cryptographic authentication, the latter with keyed MD5 (D.4.3) or
 * HMAC-SHA-1/256/384/512 (RFC 5709), with key lifetimes (D.3), for sending
 * and receiving. */
#include <string.h>
#include "proto/ospf/packet.h"
#include "proto/lib/bytes.h"
#include "proto/lib/digest.h"

#define AUTH_OFF 16
#define AUTH_LEN 8

static const struct {
	const char *name;
	enum digest_alg digest;
} crypto_algs[] = {
	[OSPF_ALG_MD5] = { "md5", DIGEST_MD5 },
	[OSPF_ALG_HMAC_SHA1] = { "hmac-sha1", DIGEST_SHA1 },
	[OSPF_ALG_HMAC_SHA256] = { "hmac-sha256", DIGEST_SHA256 },
	[OSPF_ALG_HMAC_SHA384] = { "hmac-sha384", DIGEST_SHA384 },
	[OSPF_ALG_HMAC_SHA512] = { "hmac-sha512", DIGEST_SHA512 },
};
#define N_CRYPTO_ALGS (sizeof crypto_algs / sizeof crypto_algs[0])

size_t ospf_crypto_len(enum ospf_crypto_alg a)
{
	return (size_t)a < N_CRYPTO_ALGS ? digest_len(crypto_algs[a].digest) : 0;
}

const char *ospf_crypto_name(enum ospf_crypto_alg a)
{
	return (size_t)a < N_CRYPTO_ALGS ? crypto_algs[a].name : "?";
}

/* ---- Key lifetimes (D.3) ---- */

static bool window_holds(int64_t from, int64_t until, int64_t t)
{
	return (from == 0 || from <= t) && (until == 0 || t < until);
}

/* Of the keys whose window (send or accept) holds at t, the one that
 * started last; if none holds, the one that ended last before t (RFC 5709
 * 3.2: the last key's lifetime is then taken as infinite). */
static const struct ospf_key *pick_key(const struct ospf_auth *auth, bool send, int64_t t)
{
	const struct ospf_key *best = NULL, *last_expired = NULL;
	for (size_t i = 0; i < auth->n_keys && i < OSPF_MAX_KEYS; i++) {
		const struct ospf_key *k = &auth->keys[i];
		int64_t from = send ? k->send_from : k->accept_from;
		int64_t until = send ? k->send_until : k->accept_until;
		int64_t best_from = best ? (send ? best->send_from : best->accept_from) : 0;
		if (window_holds(from, until, t)) {
			if (!best || from > best_from)
				best = k;
		} else if (until != 0 && until <= t) {
			int64_t last = last_expired ? (send ? last_expired->send_until
							    : last_expired->accept_until)
						    : 0;
			if (!last_expired || until > last)
				last_expired = k;
		}
	}
	return best ? best : last_expired;
}

const struct ospf_key *ospf_auth_send_key(const struct ospf_auth *auth, int64_t wall)
{
	return pick_key(auth, true, wall);
}

const struct ospf_key *ospf_auth_accept_key(const struct ospf_auth *auth, uint8_t id,
					    int64_t wall, bool *expired)
{
	const struct ospf_key *k = NULL;
	for (size_t i = 0; i < auth->n_keys && i < OSPF_MAX_KEYS && !k; i++)
		if (auth->keys[i].id == id)
			k = &auth->keys[i];
	*expired = false;
	if (!k || window_holds(k->accept_from, k->accept_until, wall))
		return k;
	/* Outside its window: still the one to accept if no key's window
	 * holds and it expired last. */
	if (pick_key(auth, false, wall) == k)
		return k;
	*expired = true;
	return NULL;
}

/* ---- Digests ---- */

/* The key's secret as a fixed-size field, padded with zeros (D.3: simple
 * passwords are 8 bytes, MD5 secrets 16 bytes). */
static void secret_padded(const struct ospf_key *k, uint8_t *out, size_t size)
{
	size_t n = strnlen(k->secret, sizeof(k->secret));
	if (n > size)
		n = size;
	memset(out, 0, size);
	memcpy(out, k->secret, n);
}

/* The digest for the packet pkt[0..len) (auth fields filled in, checksum
 * zero), which becomes the trailer:
 *  - MD5 (D.4.3): MD5 over the packet followed by the 16-byte secret;
 *  - HMAC-SHA (RFC 5709 3.3): HMAC over the packet followed by Apad,
 *    0x878FE1F3 repeated to the digest length, in the trailer's place. The
 *    key is the secret as RFC 2104 prepares it (zero padded to the hash's
 *    block, hashed if longer than the block): erratum 3585 of RFC 5709
 *    corrects the RFC's "Ko is L octets long" to that, and it is what
 *    deployed implementations compute. */
static bool crypto_digest(const uint8_t *pkt, size_t len, enum ospf_crypto_alg alg,
			  const struct ospf_key *k, uint8_t *out)
{
	if ((size_t)alg >= N_CRYPTO_ALGS)
		return false;
	enum digest_alg d = crypto_algs[alg].digest;
	if (alg == OSPF_ALG_MD5) {
		uint8_t secret[OSPF_MD5_LEN];
		secret_padded(k, secret, sizeof(secret));
		struct digest_part parts[] = { { pkt, len }, { secret, sizeof secret } };
		bool ok = digest_hash(d, parts, 2, out);
		memset(secret, 0, sizeof(secret));
		return ok;
	}
	uint8_t apad[OSPF_DIGEST_MAX];
	size_t l = digest_len(d);
	for (size_t i = 0; i < l; i += 4)
		put32(apad + i, 0x878FE1F3u);
	struct digest_part parts[] = { { pkt, len }, { apad, l } };
	return digest_hmac(d, k->secret, strnlen(k->secret, sizeof(k->secret)), parts, 2, out);
}

/* ---- Receiving (D.5) ---- */

/* D.5.2: the password must match one of the keys accepted now. */
static enum ospf_drop verify_simple(const uint8_t *buf, const struct ospf_auth *auth, int64_t wall)
{
	bool expired = false;
	for (size_t i = 0; i < auth->n_keys && i < OSPF_MAX_KEYS; i++) {
		uint8_t pw[AUTH_LEN];
		secret_padded(&auth->keys[i], pw, sizeof(pw));
		if (!digest_equal(pw, buf + AUTH_OFF, AUTH_LEN))
			continue;
		bool exp;
		if (ospf_auth_accept_key(auth, auth->keys[i].id, wall, &exp))
			return OSPF_OK;
		expired = expired || exp;
	}
	return expired ? OSPF_DROP_AUTH_KEY_EXPIRED : OSPF_DROP_AUTH_FAIL;
}

/* RFC 5613 2.2: a Hello or DD with the L bit may carry a Link-Local
 * Signaling block after the trailer; its own length field (in 32-bit words,
 * after a checksum) must then account for every byte left. */
static bool lls_block(const uint8_t *buf, size_t pktlen, const uint8_t *lls, size_t n)
{
	size_t opt = buf[1] == OSPF_HELLO ? OSPF_HDR_LEN + 6 : OSPF_HDR_LEN + 2;
	if ((buf[1] != OSPF_HELLO && buf[1] != OSPF_DBDESC) || pktlen <= opt ||
	    !(buf[opt] & OSPF_OPT_L))
		return false;
	return n >= 4 && (size_t)get16(lls + 2) * 4 == n;
}

/* D.5.3 / RFC 5709 3.4: the trailer is exactly the digest that the Key ID's
 * algorithm makes (D.4.3: the IP length is the packet length plus the
 * trailer, nothing after it but an announced LLS block), a key accepted
 * now, a non-decreasing sequence number, then the digest. */
static enum ospf_drop verify_crypto(const uint8_t *buf, size_t len, size_t pktlen,
				    const struct ospf_auth *auth, uint32_t *last_seq, int64_t wall)
{
	uint8_t key_id = buf[18], auth_len = buf[19];
	uint32_t seq = get32(buf + 20);
	uint8_t digest[OSPF_DIGEST_MAX];

	if (auth_len != ospf_crypto_len(auth->alg) || len - pktlen < auth_len ||
	    (len - pktlen > auth_len &&
	     !lls_block(buf, pktlen, buf + pktlen + auth_len, len - pktlen - auth_len)))
		return OSPF_DROP_AUTH_LEN;
	bool expired;
	const struct ospf_key *k = ospf_auth_accept_key(auth, key_id, wall, &expired);
	if (!k)
		return expired ? OSPF_DROP_AUTH_KEY_EXPIRED : OSPF_DROP_AUTH_KEY_ID;
	/* "non-decreasing": an equal number is accepted (several packets may
	 * be sent within the same second by implementations using time). */
	if (last_seq && seq < *last_seq)
		return OSPF_DROP_AUTH_SEQ;
	if (!crypto_digest(buf, pktlen, auth->alg, k, digest) ||
	    !digest_equal(digest, buf + pktlen, auth_len))
		return OSPF_DROP_AUTH_FAIL;
	if (last_seq)
		*last_seq = seq;
	return OSPF_OK;
}

enum ospf_drop ospf_auth_verify_at(const uint8_t *buf, size_t len, const struct ospf_auth *auth,
				   uint32_t *last_seq, int64_t wall)
{
	if (!buf || len < OSPF_HDR_LEN)
		return OSPF_DROP_SHORT;
	size_t pktlen = get16(buf + 2);
	if (pktlen < OSPF_HDR_LEN || pktlen > len)
		return OSPF_DROP_LENGTH;
	/* D.5: the autype must be the one configured on the interface. */
	if (get16(buf + 14) != (uint16_t)auth->type)
		return OSPF_DROP_AUTH_TYPE;
	switch (auth->type) {
	case OSPF_AUTH_NULL:
		return ospf_packet_cksum(buf, pktlen) ? OSPF_DROP_CHECKSUM : OSPF_OK;
	case OSPF_AUTH_SIMPLE:
		if (ospf_packet_cksum(buf, pktlen))
			return OSPF_DROP_CHECKSUM;
		return verify_simple(buf, auth, wall);
	case OSPF_AUTH_CRYPTO:
		/* D.4.3: no checksum with cryptographic authentication. */
		return verify_crypto(buf, len, pktlen, auth, last_seq, wall);
	}
	return OSPF_DROP_AUTH_TYPE;
}

enum ospf_drop ospf_auth_verify(const uint8_t *buf, size_t len, const struct ospf_auth *auth,
				uint32_t *last_seq)
{
	return ospf_auth_verify_at(buf, len, auth, last_seq, 0);
}

/* ---- Sending (D.4) ---- */

size_t ospf_finish_at(uint8_t *buf, size_t len, size_t cap, const struct ospf_auth *auth,
		      uint32_t seq, int64_t wall)
{
	if (len < OSPF_HDR_LEN || len > cap || len > 0xffff)
		return 0;
	put16(buf + 2, (uint16_t)len);
	put16(buf + 12, 0);
	put16(buf + 14, (uint16_t)auth->type);
	memset(buf + AUTH_OFF, 0, AUTH_LEN);

	const struct ospf_key *k = ospf_auth_send_key(auth, wall);
	switch (auth->type) {
	case OSPF_AUTH_NULL:
	case OSPF_AUTH_SIMPLE:
		if (auth->type == OSPF_AUTH_SIMPLE && !k)
			return 0;
		/* D.4.1/D.4.2: checksum over the packet minus the auth field, so
		 * it can be computed before the password goes in. */
		put16(buf + 12, ospf_packet_cksum(buf, len));
		if (auth->type == OSPF_AUTH_SIMPLE)
			secret_padded(k, buf + AUTH_OFF, AUTH_LEN);
		return len;
	case OSPF_AUTH_CRYPTO: {
		size_t dlen = ospf_crypto_len(auth->alg);
		if (!k || dlen == 0 || cap - len < dlen)
			return 0;
		/* D.4.3 / RFC 5709 3.1: checksum stays 0; key id, the digest
		 * length, sequence number; then the digest as trailer. */
		buf[18] = k->id;
		buf[19] = (uint8_t)dlen;
		put32(buf + 20, seq);
		return crypto_digest(buf, len, auth->alg, k, buf + len) ? len + dlen : 0;
	}
	}
	return 0;
}

size_t ospf_finish(uint8_t *buf, size_t len, size_t cap, const struct ospf_auth *auth, uint32_t seq)
{
	return ospf_finish_at(buf, len, cap, auth, seq, 0);
}
