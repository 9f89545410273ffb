/* MD5 (RFC 1321 A.5 test suite) and SHA-1 (RFC 3174 section 7.3 tests). */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include "proto/lib/md5.h"
#include "proto/lib/sha1.h"

static void hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void md5_hex(const void *msg, size_t len, char out[33])
{
	struct md5_ctx c;
	uint8_t d[16];
	md5_init(&c);
	md5_update(&c, msg, len);
	md5_final(&c, d);
	hex(d, 16, out);
}

static void sha1_hex_repeat(const char *msg, size_t repeat, char out[41])
{
	struct sha1_ctx c;
	uint8_t d[20];
	sha1_init(&c);
	for (size_t i = 0; i < repeat; i++)
		sha1_update(&c, msg, strlen(msg));
	sha1_final(&c, d);
	hex(d, 20, out);
}

START_TEST(md5_rfc1321_suite)
{
	static const char *const v[][2] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		  "d174ab98d277d9f5a5611c2c9f419d9f" },
		{ "1234567890123456789012345678901234567890"
		  "1234567890123456789012345678901234567890",
		  "57edf4a22be3c955ac49da2e2107b67a" },
	};
	char out[33];
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		md5_hex(v[i][0], strlen(v[i][0]), out);
		ck_assert_str_eq(out, v[i][1]);
	}
}
END_TEST

START_TEST(sha1_rfc3174_tests)
{
	char out[41];
	sha1_hex_repeat("abc", 1, out);
	ck_assert_str_eq(out, "a9993e364706816aba3e25717850c26c9cd0d89d");
	sha1_hex_repeat("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1, out);
	ck_assert_str_eq(out, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	sha1_hex_repeat("a", 1000000, out);
	ck_assert_str_eq(out, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	sha1_hex_repeat("0123456701234567012345670123456701234567012345670123456701234567", 10, out);
	ck_assert_str_eq(out, "dea356a2cddd90c7a7ecedc5ebb563934f460452");
	sha1_hex_repeat("", 1, out);
	ck_assert_str_eq(out, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}
END_TEST

/* Feeding the data in pieces of any size gives the same digest as one call,
 * for every length around the 55/56/64-byte padding boundaries. */
START_TEST(streaming_equals_oneshot)
{
	uint8_t msg[200];
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	for (size_t len = 0; len <= sizeof(msg); len++) {
		for (size_t step = 1; step <= 65; step += 8) {
			struct md5_ctx m1, m2;
			struct sha1_ctx s1, s2;
			uint8_t a[20], b[20];
			md5_init(&m1);
			md5_update(&m1, msg, len);
			md5_final(&m1, a);
			md5_init(&m2);
			for (size_t off = 0; off < len; off += step)
				md5_update(&m2, msg + off, len - off < step ? len - off : step);
			md5_final(&m2, b);
			ck_assert_mem_eq(a, b, 16);

			sha1_init(&s1);
			sha1_update(&s1, msg, len);
			sha1_final(&s1, a);
			sha1_init(&s2);
			for (size_t off = 0; off < len; off += step)
				sha1_update(&s2, msg + off, len - off < step ? len - off : step);
			sha1_final(&s2, b);
			ck_assert_mem_eq(a, b, 20);
		}
	}
}
END_TEST

/* Known digests at the padding boundaries (55, 56, 64 bytes of 'a'). */
START_TEST(padding_boundaries)
{
	char msg[65], out[41];
	memset(msg, 'a', sizeof(msg));
	md5_hex(msg, 55, out);
	ck_assert_str_eq(out, "ef1772b6dff9a122358552954ad0df65");
	md5_hex(msg, 56, out);
	ck_assert_str_eq(out, "3b0c8ac703f828b04c6c197006d17218");
	md5_hex(msg, 64, out);
	ck_assert_str_eq(out, "014842d480b571495a4a0363793f7367");
}
END_TEST

static Suite *hash_suite(void)
{
	Suite *s = suite_create("hash");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, md5_rfc1321_suite);
	tcase_add_test(tc, sha1_rfc3174_tests);
	tcase_add_test(tc, streaming_equals_oneshot);
	tcase_add_test(tc, padding_boundaries);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hash_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
