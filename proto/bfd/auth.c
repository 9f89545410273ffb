/* BFD authentication: RFC 5880 sections 6.7.2 - 6.7.4. */
#include "proto/bfd/auth.h"

#include <string.h>
#include "proto/lib/digest.h"

static bool is_meticulous(uint8_t type)
{
	return type == BFD_AUTH_METICULOUS_MD5 || type == BFD_AUTH_METICULOUS_SHA1;
}

static bool is_sha1(uint8_t type)
{
	return type == BFD_AUTH_KEYED_SHA1 || type == BFD_AUTH_METICULOUS_SHA1;
}

/* 4.3/4.4: the MD5 types carry 16 bytes of digest, the SHA1 types 20. */
static enum digest_alg bfd_alg(uint8_t type)
{
	return is_sha1(type) ? DIGEST_SHA1 : DIGEST_MD5;
}

/* Hash the packet with the key, padded with zeros, in the digest field
 * (6.7.3 / 6.7.4). pkt holds the packet with the digest field overwritten. */
static bool compute_digest(uint8_t type, const uint8_t *pkt, size_t len, uint8_t *out)
{
	struct digest_part part = { pkt, len };
	return digest_hash(bfd_alg(type), &part, 1, out);
}

size_t bfd_auth_encode_signed(const struct bfd_auth_key *key, struct bfd_auth_seq *seq,
			      struct bfd_packet *p, uint8_t *buf, size_t cap)
{
	p->has_auth = true;
	p->flags |= BFD_FLAG_AUTH;
	memset(&p->auth, 0, sizeof(p->auth));
	p->auth.type = key->type;
	p->auth.key_id = key->key_id;
	if (key->type == BFD_AUTH_SIMPLE) {
		if (key->secret_len < 1 || key->secret_len > BFD_AUTH_PASSWORD_MAX)
			return 0;
		p->auth.password_len = key->secret_len;
		memcpy(p->auth.password, key->secret, key->secret_len);
		return bfd_packet_encode(p, buf, cap);
	}
	size_t dlen = digest_len(bfd_alg(key->type));
	if (key->secret_len > dlen)
		return 0;
	/* 6.7.3: meticulous increments on every packet; keyed MAY do so
	 * occasionally - doing it every time is the simplest correct choice. */
	seq->xmit_seq++;
	p->auth.seq = seq->xmit_seq;
	p->auth.digest_len = (uint8_t)dlen;
	memcpy(p->auth.digest, key->secret, key->secret_len); /* zero padded */
	size_t n = bfd_packet_encode(p, buf, cap);
	if (n == 0)
		return 0;
	uint8_t d[DIGEST_MAX_LEN];
	if (!compute_digest(key->type, buf, n, d))
		return 0;
	memcpy(buf + BFD_HDR_LEN + 8, d, dlen);
	memcpy(p->auth.digest, d, dlen);
	return n;
}

/* 6.7.3: the received sequence number must lie in the window after the
 * last one (meticulous: strictly after), modulo 2^32. */
static bool seq_in_window(const struct bfd_auth_seq *seq, uint8_t type, uint32_t rx,
			  uint8_t detect_mult)
{
	if (!seq->rcv_known)
		return true;
	uint32_t lo = seq->rcv_seq + (is_meticulous(type) ? 1u : 0u);
	uint32_t hi = seq->rcv_seq + 3u * detect_mult;
	return (uint32_t)(rx - lo) <= (uint32_t)(hi - lo);
}

static enum bfd_drop verify_password(const struct bfd_auth_key *key,
				     const struct bfd_auth_section *a)
{
	if (a->password_len != key->secret_len ||
	    !digest_equal(a->password, key->secret, key->secret_len))
		return BFD_DROP_AUTH_FAILED;
	return BFD_DROP_NONE;
}

enum bfd_drop bfd_auth_verify(const struct bfd_auth_key *key, struct bfd_auth_seq *seq,
			      const struct bfd_packet *p, const uint8_t *buf, size_t len)
{
	const struct bfd_auth_section *a = &p->auth;
	if (!p->has_auth || a->type != key->type)
		return BFD_DROP_AUTH_MISMATCH;
	if (a->key_id != key->key_id)
		return BFD_DROP_AUTH_FAILED;
	if (key->type == BFD_AUTH_SIMPLE)
		return verify_password(key, a);
	size_t dlen = digest_len(bfd_alg(key->type));
	if (p->length > len || p->length > BFD_MAX_PACKET_LEN ||
	    p->length < BFD_HDR_LEN + 8 + dlen || key->secret_len > dlen)
		return BFD_DROP_AUTH_FAILED;
	if (!seq_in_window(seq, key->type, a->seq, p->detect_mult))
		return BFD_DROP_AUTH_FAILED;
	uint8_t copy[BFD_MAX_PACKET_LEN];
	memcpy(copy, buf, p->length);
	memset(copy + BFD_HDR_LEN + 8, 0, dlen);
	memcpy(copy + BFD_HDR_LEN + 8, key->secret, key->secret_len);
	uint8_t d[DIGEST_MAX_LEN];
	if (!compute_digest(key->type, copy, p->length, d) || !digest_equal(d, a->digest, dlen))
		return BFD_DROP_AUTH_FAILED;
	seq->rcv_known = true;
	seq->rcv_seq = a->seq;
	return BFD_DROP_NONE;
}
