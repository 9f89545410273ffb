/* OSPF authentication (RFC 2328 Appendix D): null, simple password and
 * keyed-MD5 cryptographic authentication, for sending and receiving. */
#include <string.h>
#include "proto/ospf/packet.h"
#include "proto/lib/bytes.h"
#include "proto/lib/md5.h"

#define AUTH_OFF 16
#define AUTH_LEN 8

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

/* D.4.3: MD5 over the packet (hdr.length bytes, auth fields filled in, checksum
 * zero) followed by the 16-byte secret; the result is the trailer. */
static void md5_digest(const uint8_t *pkt, size_t len, const struct ospf_key *k,
		       uint8_t out[OSPF_MD5_LEN])
{
	uint8_t secret[OSPF_MD5_LEN];
	struct md5_ctx c;

	secret_padded(k, secret, sizeof(secret));
	md5_init(&c);
	md5_update(&c, pkt, len);
	md5_update(&c, secret, sizeof(secret));
	md5_final(&c, out);
	memset(secret, 0, sizeof(secret));
}

static const struct ospf_key *key_by_id(const struct ospf_auth *auth, uint8_t id)
{
	for (size_t i = 0; i < auth->n_keys && i < OSPF_MAX_KEYS; i++)
		if (auth->keys[i].id == id)
			return &auth->keys[i];
	return NULL;
}

/* Compare without an early exit, so timing tells nothing about the digest. */
static bool same_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t diff = 0;
	for (size_t i = 0; i < n; i++)
		diff |= (uint8_t)(a[i] ^ b[i]);
	return diff == 0;
}

/* D.5.2: the password must match one of the interface's keys. */
static enum ospf_drop verify_simple(const uint8_t *buf, const struct ospf_auth *auth)
{
	for (size_t i = 0; i < auth->n_keys && i < OSPF_MAX_KEYS; i++) {
		uint8_t pw[AUTH_LEN];
		secret_padded(&auth->keys[i], pw, sizeof(pw));
		if (same_bytes(pw, buf + AUTH_OFF, AUTH_LEN))
			return OSPF_OK;
	}
	return OSPF_DROP_AUTH_FAIL;
}

/* D.5.3: key by id, non-decreasing sequence number, then the digest. */
static enum ospf_drop verify_crypto(const uint8_t *buf, size_t len, size_t pktlen,
				    const struct ospf_auth *auth, uint32_t *last_seq)
{
	uint8_t key_id = buf[18], auth_len = buf[19];
	uint32_t seq = get32(buf + 20);
	uint8_t digest[OSPF_MD5_LEN];

	if (auth_len != OSPF_MD5_LEN || len - pktlen < OSPF_MD5_LEN)
		return OSPF_DROP_AUTH_FAIL;
	const struct ospf_key *k = key_by_id(auth, key_id);
	if (!k)
		return OSPF_DROP_AUTH_FAIL;
	/* "non-decreasing": an equal number is accepted (several packets may
	 * be sent within the same second by implementations using time). */
	if (last_seq && seq < *last_seq)
		return OSPF_DROP_AUTH_SEQ;
	md5_digest(buf, pktlen, k, digest);
	if (!same_bytes(digest, buf + pktlen, OSPF_MD5_LEN))
		return OSPF_DROP_AUTH_FAIL;
	if (last_seq)
		*last_seq = seq;
	return OSPF_OK;
}

enum ospf_drop ospf_auth_verify(const uint8_t *buf, size_t len, const struct ospf_auth *auth,
				uint32_t *last_seq)
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
		return verify_simple(buf, auth);
	case OSPF_AUTH_CRYPTO:
		/* D.4.3: no checksum with cryptographic authentication. */
		return verify_crypto(buf, len, pktlen, auth, last_seq);
	}
	return OSPF_DROP_AUTH_TYPE;
}

size_t ospf_finish(uint8_t *buf, size_t len, size_t cap, const struct ospf_auth *auth, uint32_t seq)
{
	if (len < OSPF_HDR_LEN || len > cap || len > 0xffff)
		return 0;
	put16(buf + 2, (uint16_t)len);
	put16(buf + 12, 0);
	put16(buf + 14, (uint16_t)auth->type);
	memset(buf + AUTH_OFF, 0, AUTH_LEN);

	switch (auth->type) {
	case OSPF_AUTH_NULL:
	case OSPF_AUTH_SIMPLE:
		/* D.4.1/D.4.2: checksum over the packet minus the auth field, so
		 * it can be computed before the password goes in. */
		put16(buf + 12, ospf_packet_cksum(buf, len));
		if (auth->type == OSPF_AUTH_SIMPLE && auth->n_keys > 0)
			secret_padded(&auth->keys[0], buf + AUTH_OFF, AUTH_LEN);
		return len;
	case OSPF_AUTH_CRYPTO:
		if (auth->n_keys == 0 || cap - len < OSPF_MD5_LEN)
			return 0;
		/* D.4.3: checksum stays 0; key id, length 16, sequence number. */
		buf[18] = auth->keys[0].id;
		buf[19] = OSPF_MD5_LEN;
		put32(buf + 20, seq);
		md5_digest(buf, len, &auth->keys[0], buf + len);
		return len + OSPF_MD5_LEN;
	}
	return 0;
}
