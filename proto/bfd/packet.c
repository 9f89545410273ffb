/* BFD Control packet codec: RFC 5880 section 4 (format) and the
 * packet-only reception checks of section 6.8.6. */
#include "proto/bfd/packet.h"

#include <string.h>

static const char *const drop_names[BFD_DROP_MAX] = {
	[BFD_DROP_NONE] = "none",
	[BFD_DROP_SHORT] = "short",
	[BFD_DROP_BAD_VERSION] = "bad_version",
	[BFD_DROP_BAD_LENGTH] = "bad_length",
	[BFD_DROP_LENGTH_EXCEEDS] = "length_exceeds_payload",
	[BFD_DROP_ZERO_MULT] = "zero_detect_mult",
	[BFD_DROP_MULTIPOINT] = "multipoint",
	[BFD_DROP_ZERO_MY_DISCR] = "zero_my_discr",
	[BFD_DROP_ZERO_YOUR_DISCR] = "zero_your_discr",
	[BFD_DROP_BAD_AUTH_SECTION] = "bad_auth_section",
	[BFD_DROP_AUTH_MISMATCH] = "auth_mismatch",
	[BFD_DROP_AUTH_FAILED] = "auth_failed",
	[BFD_DROP_ADMIN_DOWN] = "admin_down",
	[BFD_DROP_NO_SESSION] = "no_session",
	[BFD_DROP_WRONG_INTERFACE] = "wrong_interface",
	[BFD_DROP_TTL] = "ttl",
};

const char *bfd_drop_name(enum bfd_drop d)
{
	if ((unsigned)d >= BFD_DROP_MAX)
		return "unknown";
	return drop_names[d];
}

const char *const bfd_auth_type_names[BFD_AUTH_TYPES] = {
	[BFD_AUTH_NONE] = "none",
	[BFD_AUTH_SIMPLE] = "simple",
	[BFD_AUTH_KEYED_MD5] = "keyed-md5",
	[BFD_AUTH_METICULOUS_MD5] = "meticulous-keyed-md5",
	[BFD_AUTH_KEYED_SHA1] = "keyed-sha1",
	[BFD_AUTH_METICULOUS_SHA1] = "meticulous-keyed-sha1",
};

const char *bfd_auth_type_name(uint8_t type)
{
	return type < BFD_AUTH_TYPES ? bfd_auth_type_names[type] : "?";
}

const char *bfd_state_name(enum bfd_state s)
{
	switch (s) {
	case BFD_STATE_ADMIN_DOWN: return "AdminDown";
	case BFD_STATE_DOWN: return "Down";
	case BFD_STATE_INIT: return "Init";
	case BFD_STATE_UP: return "Up";
	}
	return "Unknown";
}

const char *bfd_diag_name(enum bfd_diag d)
{
	static const char *const names[] = {
		"none", "control_expired", "echo_failed", "neighbor_down",
		"forwarding_plane_reset", "path_down", "concatenated_path_down",
		"admin_down", "reverse_concatenated_path_down",
	};
	if ((unsigned)d >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[d];
}

static uint32_t get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* Expected Auth Len for the digest formats (4.3, 4.4); 0 for others. */
static uint8_t digest_section_len(uint8_t type)
{
	switch (type) {
	case BFD_AUTH_KEYED_MD5:
	case BFD_AUTH_METICULOUS_MD5:
		return BFD_AUTH_MD5_LEN;
	case BFD_AUTH_KEYED_SHA1:
	case BFD_AUTH_METICULOUS_SHA1:
		return BFD_AUTH_SHA1_LEN;
	default:
		return 0;
	}
}

/* Parse the auth section at b, avail bytes up to the Length field's end. */
static enum bfd_drop decode_auth(const uint8_t *b, size_t avail, struct bfd_auth_section *a)
{
	memset(a, 0, sizeof(*a));
	a->type = b[0];
	a->len = b[1];
	if (a->len < 2 || a->len > avail)
		return BFD_DROP_BAD_AUTH_SECTION;
	if (a->type == BFD_AUTH_SIMPLE) {
		/* 4.2: Auth Len = 3 + password length, password 1..16 bytes */
		if (a->len < 4 || a->len > 3 + BFD_AUTH_PASSWORD_MAX)
			return BFD_DROP_BAD_AUTH_SECTION;
		a->key_id = b[2];
		a->password_len = (uint8_t)(a->len - 3);
		memcpy(a->password, b + 3, a->password_len);
		return BFD_DROP_NONE;
	}
	uint8_t want = digest_section_len(a->type);
	if (want == 0 || a->len != want)
		return BFD_DROP_BAD_AUTH_SECTION;
	a->key_id = b[2];
	/* b[3] is Reserved: ignored on receipt (4.3) */
	a->seq = get32(b + 4);
	a->digest_len = (uint8_t)(want - 8);
	memcpy(a->digest, b + 8, a->digest_len);
	return BFD_DROP_NONE;
}

static void decode_mandatory(const uint8_t *buf, struct bfd_packet *p)
{
	p->version = buf[0] >> 5;
	p->diag = buf[0] & 0x1f;
	p->state = buf[1] >> 6;
	p->flags = buf[1] & 0x3f;
	p->detect_mult = buf[2];
	p->length = buf[3];
	p->my_discr = get32(buf + 4);
	p->your_discr = get32(buf + 8);
	p->desired_min_tx_us = get32(buf + 12);
	p->required_min_rx_us = get32(buf + 16);
	p->required_min_echo_rx_us = get32(buf + 20);
	p->has_auth = (p->flags & BFD_FLAG_AUTH) != 0;
}

enum bfd_drop bfd_packet_decode(const uint8_t *buf, size_t len, struct bfd_packet *p)
{
	memset(p, 0, sizeof(*p));
	if (buf == NULL || len < BFD_HDR_LEN)
		return BFD_DROP_SHORT;
	decode_mandatory(buf, p);
	/* The checks in the order of 6.8.6. */
	if (p->version != BFD_VERSION)
		return BFD_DROP_BAD_VERSION;
	if (p->length < (p->has_auth ? BFD_HDR_LEN + 2 : BFD_HDR_LEN))
		return BFD_DROP_BAD_LENGTH;
	if (p->length > len)
		return BFD_DROP_LENGTH_EXCEEDS;
	if (p->detect_mult == 0)
		return BFD_DROP_ZERO_MULT;
	if (p->flags & BFD_FLAG_MULTIPOINT)
		return BFD_DROP_MULTIPOINT;
	if (p->my_discr == 0)
		return BFD_DROP_ZERO_MY_DISCR;
	if (p->your_discr == 0 && p->state != BFD_STATE_DOWN && p->state != BFD_STATE_ADMIN_DOWN)
		return BFD_DROP_ZERO_YOUR_DISCR;
	if (p->has_auth)
		return decode_auth(buf + BFD_HDR_LEN, (size_t)p->length - BFD_HDR_LEN, &p->auth);
	return BFD_DROP_NONE;
}

/* Write the auth section; returns its length or 0 if malformed. */
static size_t encode_auth(const struct bfd_auth_section *a, uint8_t *b, size_t cap)
{
	if (a->type == BFD_AUTH_SIMPLE) {
		if (a->password_len < 1 || a->password_len > BFD_AUTH_PASSWORD_MAX)
			return 0;
		size_t n = 3u + a->password_len;
		if (n > cap)
			return 0;
		b[0] = a->type;
		b[1] = (uint8_t)n;
		b[2] = a->key_id;
		memcpy(b + 3, a->password, a->password_len);
		return n;
	}
	size_t n = digest_section_len(a->type);
	if (n == 0 || n > cap)
		return 0;
	b[0] = a->type;
	b[1] = (uint8_t)n;
	b[2] = a->key_id;
	b[3] = 0; /* Reserved: zero on transmit (4.3) */
	put32(b + 4, a->seq);
	memcpy(b + 8, a->digest, n - 8);
	return n;
}

size_t bfd_packet_encode(const struct bfd_packet *p, uint8_t *buf, size_t cap)
{
	if (cap < BFD_HDR_LEN)
		return 0;
	size_t auth_len = 0;
	if (p->has_auth) {
		auth_len = encode_auth(&p->auth, buf + BFD_HDR_LEN, cap - BFD_HDR_LEN);
		if (auth_len == 0)
			return 0;
	}
	uint8_t flags = p->flags & 0x3f;
	flags = (uint8_t)(p->has_auth ? (flags | BFD_FLAG_AUTH) : (flags & ~BFD_FLAG_AUTH));
	buf[0] = (uint8_t)(BFD_VERSION << 5 | (p->diag & 0x1f));
	buf[1] = (uint8_t)((p->state & 0x3) << 6 | flags);
	buf[2] = p->detect_mult;
	buf[3] = (uint8_t)(BFD_HDR_LEN + auth_len);
	put32(buf + 4, p->my_discr);
	put32(buf + 8, p->your_discr);
	put32(buf + 12, p->desired_min_tx_us);
	put32(buf + 16, p->required_min_rx_us);
	put32(buf + 20, p->required_min_echo_rx_us);
	return BFD_HDR_LEN + auth_len;
}
