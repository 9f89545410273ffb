/* BFD Control packet codec: real FRR 8.4 packets and the checks of 6.8.6. */
#include <check.h>
#include "tests/unit/check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/bfd/packet.h"

/* A valid Up packet, as FRR sends in steady state. */
static const uint8_t up_pkt[24] = {
	0x20, 0xc0, 0x03, 0x18, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x01, 0x86, 0xa0, 0x00, 0x01, 0x86, 0xa0, 0x00, 0x00, 0xc3, 0x50,
};

struct seen {
	unsigned packets, down, init, up, poll, final;
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	while (s[0] && s[1] && n < cap) {
		int hi = hexval(s[0]), lo = hexval(s[1]);
		if (hi < 0 || lo < 0)
			break;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return n;
}

/* One UDP packet of the capture: decode the BFD payload, re-encode it. */
static void check_udp(const uint8_t *ip, size_t len, struct seen *sn)
{
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
	ck_assert_uint_ge(len, ihl + 8);
	const uint8_t *udp = ip + ihl;
	unsigned dport = (unsigned)udp[2] << 8 | udp[3];
	if (dport != BFD_UDP_PORT_CONTROL)
		return;
	ck_assert_uint_eq(ip[8], 255); /* RFC 5881: TTL 255 */
	const uint8_t *payload = udp + 8;
	size_t plen = len - ihl - 8;
	struct bfd_packet p;
	ck_assert_int_eq(bfd_packet_decode(payload, plen, &p), BFD_DROP_NONE);
	ck_assert_uint_eq(p.version, 1);
	ck_assert_uint_eq(p.detect_mult, 3);
	ck_assert(!p.has_auth);
	sn->packets++;
	sn->down += p.state == BFD_STATE_DOWN;
	sn->init += p.state == BFD_STATE_INIT;
	sn->up += p.state == BFD_STATE_UP;
	sn->poll += (p.flags & BFD_FLAG_POLL) != 0;
	sn->final += (p.flags & BFD_FLAG_FINAL) != 0;
	if (p.state == BFD_STATE_DOWN)
		ck_assert_uint_eq(p.desired_min_tx_us, 1000000); /* 6.8.3 */
	uint8_t out[BFD_MAX_PACKET_LEN];
	size_t n = bfd_packet_encode(&p, out, sizeof(out));
	ck_assert_uint_eq(n, p.length);
	ck_assert_uint_eq(n, plen);
	ck_assert_mem_eq(out, payload, n);
}

static struct seen scan_capture(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", TESTDATA_DIR, name);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	struct seen sn = {0};
	static char line[8192];
	while (fgets(line, sizeof(line), f)) {
		unsigned frame, proto;
		char src[32], dst[32];
		if (line[0] == '#' || sscanf(line, "%u %31s %31s %u", &frame, src, dst, &proto) != 4)
			continue;
		const char *bar = strchr(line, '|');
		if (proto != 17 || bar == NULL)
			continue;
		uint8_t pkt[2048];
		size_t len = unhex(bar + 2, pkt, sizeof(pkt));
		check_udp(pkt, len, &sn);
	}
	fclose(f);
	return sn;
}

START_TEST(frr_p2p_capture)
{
	struct seen sn = scan_capture("frr-p2p.hex");
	ck_assert_uint_gt(sn.packets, 100);
	ck_assert_uint_gt(sn.down, 0);
	ck_assert_uint_gt(sn.init, 0);
	ck_assert_uint_gt(sn.up, 0);
	ck_assert_uint_gt(sn.poll, 0);
	ck_assert_uint_gt(sn.final, 0);
}
END_TEST

START_TEST(frr_bcast_capture)
{
	struct seen sn = scan_capture("frr-bcast-md5.hex");
	ck_assert_uint_gt(sn.packets, 10);
	ck_assert_uint_gt(sn.down, 0);
	ck_assert_uint_gt(sn.init, 0);
	ck_assert_uint_gt(sn.up, 0);
	ck_assert_uint_gt(sn.poll, 0);
	ck_assert_uint_gt(sn.final, 0);
}
END_TEST

START_TEST(decode_fields)
{
	struct bfd_packet p;
	ck_assert_int_eq(bfd_packet_decode(up_pkt, sizeof(up_pkt), &p), BFD_DROP_NONE);
	ck_assert_uint_eq(p.state, BFD_STATE_UP);
	ck_assert_uint_eq(p.diag, 0);
	ck_assert_uint_eq(p.my_discr, 1);
	ck_assert_uint_eq(p.your_discr, 2);
	ck_assert_uint_eq(p.desired_min_tx_us, 100000);
	ck_assert_uint_eq(p.required_min_rx_us, 100000);
	ck_assert_uint_eq(p.required_min_echo_rx_us, 50000);
}
END_TEST

static enum bfd_drop decode_modified(size_t off, uint8_t val, size_t len)
{
	uint8_t b[64] = {0};
	memcpy(b, up_pkt, sizeof(up_pkt));
	b[off] = val;
	struct bfd_packet p;
	return bfd_packet_decode(b, len, &p);
}

START_TEST(reception_checks)
{
	struct bfd_packet p;
	ck_assert_int_eq(bfd_packet_decode(up_pkt, 23, &p), BFD_DROP_SHORT);
	ck_assert_int_eq(bfd_packet_decode(NULL, 0, &p), BFD_DROP_SHORT);
	ck_assert_int_eq(decode_modified(0, 0x40, 24), BFD_DROP_BAD_VERSION);
	ck_assert_int_eq(decode_modified(3, 23, 24), BFD_DROP_BAD_LENGTH);
	ck_assert_int_eq(decode_modified(3, 25, 24), BFD_DROP_LENGTH_EXCEEDS);
	ck_assert_int_eq(decode_modified(2, 0, 24), BFD_DROP_ZERO_MULT);
	ck_assert_int_eq(decode_modified(1, 0xc1, 24), BFD_DROP_MULTIPOINT);
	ck_assert_int_eq(decode_modified(7, 0, 24), BFD_DROP_ZERO_MY_DISCR);
	/* Your Discr 0 only in Down/AdminDown (6.8.6) */
	ck_assert_int_eq(decode_modified(11, 0, 24), BFD_DROP_ZERO_YOUR_DISCR);
	uint8_t b[24];
	memcpy(b, up_pkt, 24);
	b[11] = 0;
	b[1] = 0x40; /* Down */
	ck_assert_int_eq(bfd_packet_decode(b, 24, &p), BFD_DROP_NONE);
	b[1] = 0x00; /* AdminDown */
	ck_assert_int_eq(bfd_packet_decode(b, 24, &p), BFD_DROP_NONE);
	b[1] = 0x80; /* Init */
	ck_assert_int_eq(bfd_packet_decode(b, 24, &p), BFD_DROP_ZERO_YOUR_DISCR);
	/* A bit with Length 24 (< 26) */
	ck_assert_int_eq(decode_modified(1, 0xc4, 24), BFD_DROP_BAD_LENGTH);
	/* Payload longer than Length is fine (trailing bytes ignored) */
	ck_assert_int_eq(decode_modified(0, 0x20, 40), BFD_DROP_NONE);
}
END_TEST

static size_t auth_packet(uint8_t *b, uint8_t type, uint8_t alen)
{
	memcpy(b, up_pkt, 24);
	b[1] |= BFD_FLAG_AUTH;
	b[3] = (uint8_t)(24 + alen);
	b[24] = type;
	b[25] = alen;
	b[26] = 7; /* key id */
	for (unsigned i = 27; i < 24u + alen; i++)
		b[i] = (uint8_t)i;
	return 24u + alen;
}

START_TEST(auth_sections)
{
	uint8_t b[64], out[64];
	struct bfd_packet p;
	/* simple password "abcd"-like, 5 bytes */
	size_t n = auth_packet(b, BFD_AUTH_SIMPLE, 8);
	ck_assert_int_eq(bfd_packet_decode(b, n, &p), BFD_DROP_NONE);
	ck_assert_uint_eq(p.auth.type, BFD_AUTH_SIMPLE);
	ck_assert_uint_eq(p.auth.key_id, 7);
	ck_assert_uint_eq(p.auth.password_len, 5);
	ck_assert_uint_eq(bfd_packet_encode(&p, out, sizeof(out)), n);
	ck_assert_mem_eq(out, b, n);
	/* keyed MD5 */
	n = auth_packet(b, BFD_AUTH_KEYED_MD5, 24);
	b[27] = 0; /* reserved */
	ck_assert_int_eq(bfd_packet_decode(b, n, &p), BFD_DROP_NONE);
	ck_assert_uint_eq(p.auth.seq, 0x1c1d1e1f);
	ck_assert_uint_eq(p.auth.digest_len, 16);
	ck_assert_uint_eq(p.auth.digest[0], 32);
	ck_assert_uint_eq(bfd_packet_encode(&p, out, sizeof(out)), n);
	ck_assert_mem_eq(out, b, n);
	/* meticulous SHA1 */
	n = auth_packet(b, BFD_AUTH_METICULOUS_SHA1, 28);
	b[27] = 0;
	ck_assert_int_eq(bfd_packet_decode(b, n, &p), BFD_DROP_NONE);
	ck_assert_uint_eq(p.auth.digest_len, 20);
	ck_assert_uint_eq(bfd_packet_encode(&p, out, sizeof(out)), n);
	ck_assert_mem_eq(out, b, n);
	/* wrong lengths, unknown type, section past Length */
	n = auth_packet(b, BFD_AUTH_KEYED_MD5, 28);
	ck_assert_int_eq(bfd_packet_decode(b, n, &p), BFD_DROP_BAD_AUTH_SECTION);
	n = auth_packet(b, BFD_AUTH_KEYED_SHA1, 24);
	ck_assert_int_eq(bfd_packet_decode(b, n, &p), BFD_DROP_BAD_AUTH_SECTION);
	n = auth_packet(b, 9, 24);
	ck_assert_int_eq(bfd_packet_decode(b, n, &p), BFD_DROP_BAD_AUTH_SECTION);
	n = auth_packet(b, BFD_AUTH_SIMPLE, 3);
	ck_assert_int_eq(bfd_packet_decode(b, n, &p), BFD_DROP_BAD_AUTH_SECTION);
	n = auth_packet(b, BFD_AUTH_SIMPLE, 20);
	ck_assert_int_eq(bfd_packet_decode(b, n, &p), BFD_DROP_BAD_AUTH_SECTION);
	n = auth_packet(b, BFD_AUTH_SIMPLE, 8);
	b[25] = 12; /* Auth Len beyond Length */
	ck_assert_int_eq(bfd_packet_decode(b, n, &p), BFD_DROP_BAD_AUTH_SECTION);
}
END_TEST

START_TEST(encode_small_buffer)
{
	struct bfd_packet p;
	ck_assert_int_eq(bfd_packet_decode(up_pkt, 24, &p), BFD_DROP_NONE);
	uint8_t out[24];
	ck_assert_uint_eq(bfd_packet_encode(&p, out, 23), 0);
	p.has_auth = true;
	p.auth.type = BFD_AUTH_KEYED_SHA1;
	ck_assert_uint_eq(bfd_packet_encode(&p, out, 24), 0);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(bfd_drop_name(BFD_DROP_TTL), "ttl");
	ck_assert_str_eq(bfd_drop_name(BFD_DROP_BAD_VERSION), "bad_version");
	ck_assert_str_eq(bfd_drop_name(BFD_DROP_NO_SESSION), "no_session");
	ck_assert_str_eq(bfd_drop_name(BFD_DROP_MAX), "unknown");
	for (int d = 0; d < BFD_DROP_MAX; d++)
		ck_assert_ptr_nonnull(bfd_drop_name((enum bfd_drop)d));
	ck_assert_str_eq(bfd_state_name(BFD_STATE_ADMIN_DOWN), "AdminDown");
	ck_assert_str_eq(bfd_state_name(BFD_STATE_UP), "Up");
	ck_assert_str_eq(bfd_diag_name(BFD_DIAG_NEIGHBOR_DOWN), "neighbor_down");
	ck_assert_str_eq(bfd_diag_name((enum bfd_diag)31), "unknown");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bfd_packet");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, frr_p2p_capture);
	tcase_add_test(tc, frr_bcast_capture);
	tcase_add_test(tc, decode_fields);
	tcase_add_test(tc, reception_checks);
	tcase_add_test(tc, auth_sections);
	tcase_add_test(tc, encode_small_buffer);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	return check_run(s);
}
