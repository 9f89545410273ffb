/* proto/lib/digest (libcrypto): MD5 (RFC 1321 A.5 test suite), SHA-1 (RFC
 * 3174 section 7.3), SHA-2 (FIPS 180-2 "abc"), HMAC-SHA-1 (RFC 2202) and
 * HMAC-SHA-256/384/512 (RFC 4231), and hashing a message given in pieces. */
#include <check.h>
#include "tests/unit/check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proto/lib/digest.h"

static void hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void hash_hex(enum digest_alg a, const void *msg, size_t len, char *out)
{
	uint8_t d[DIGEST_MAX_LEN];
	struct digest_part p = { msg, len };
	ck_assert(digest_hash(a, &p, 1, d));
	hex(d, digest_len(a), out);
}

static void md5_hex(const void *msg, size_t len, char out[33])
{
	hash_hex(DIGEST_MD5, msg, len, out);
}

/* msg repeated `repeat` times. */
static void sha1_hex_repeat(const char *msg, size_t repeat, char out[41])
{
	size_t n = strlen(msg);
	char *all = malloc(n * repeat + 1);
	ck_assert_ptr_nonnull(all);
	for (size_t i = 0; i < repeat; i++)
		memcpy(all + i * n, msg, n);
	hash_hex(DIGEST_SHA1, all, n * repeat, out);
	free(all);
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

START_TEST(sha2_fips180_abc)
{
	char out[2 * DIGEST_MAX_LEN + 1];
	hash_hex(DIGEST_SHA256, "abc", 3, out);
	ck_assert_str_eq(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hash_hex(DIGEST_SHA384, "abc", 3, out);
	ck_assert_str_eq(out, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
			      "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
	hash_hex(DIGEST_SHA512, "abc", 3, out);
	ck_assert_str_eq(out, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
			      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	ck_assert_uint_eq(digest_len(DIGEST_MD5), 16);
	ck_assert_uint_eq(digest_len(DIGEST_SHA1), 20);
	ck_assert_uint_eq(digest_len(DIGEST_SHA256), 32);
	ck_assert_uint_eq(digest_len(DIGEST_SHA384), 48);
	ck_assert_uint_eq(digest_len(DIGEST_SHA512), 64);
}
END_TEST

static void hmac_hex(enum digest_alg a, const void *key, size_t klen, const char *msg, char *out)
{
	uint8_t d[DIGEST_MAX_LEN];
	struct digest_part p = { msg, strlen(msg) };
	ck_assert(digest_hmac(a, key, klen, &p, 1, d));
	hex(d, digest_len(a), out);
}

/* Test cases 1 (short key), 2 (key shorter than the hash) and 6 (key longer
 * than the block: hashed first) of RFC 2202 section 3 and RFC 4231 section 4. */
START_TEST(hmac_rfc2202_rfc4231)
{
	static const struct {
		enum digest_alg a;
		int tc;
		const char *want;
	} v[] = {
		{ DIGEST_SHA1, 1, "b617318655057264e28bc0b6fb378c8ef146be00" },
		{ DIGEST_SHA1, 2, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
		{ DIGEST_SHA1, 6, "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
		{ DIGEST_SHA256, 1, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
		{ DIGEST_SHA256, 2, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
		{ DIGEST_SHA256, 6, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
		{ DIGEST_SHA384, 1, "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec6"
				    "82aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6" },
		{ DIGEST_SHA384, 2, "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47"
				    "e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649" },
		{ DIGEST_SHA384, 6, "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f"
				    "3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952" },
		{ DIGEST_SHA512, 1, "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
				    "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
		{ DIGEST_SHA512, 2, "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
				    "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
		{ DIGEST_SHA512, 6, "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
				    "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
	};
	uint8_t k0b[20], kaa[131];
	memset(k0b, 0x0b, sizeof k0b);
	memset(kaa, 0xaa, sizeof kaa);
	char out[2 * DIGEST_MAX_LEN + 1];
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		if (v[i].tc == 1)
			hmac_hex(v[i].a, k0b, sizeof k0b, "Hi There", out);
		else if (v[i].tc == 2)
			hmac_hex(v[i].a, "Jefe", 4, "what do ya want for nothing?", out);
		else /* RFC 2202 uses an 80-byte key, RFC 4231 a 131-byte one */
			hmac_hex(v[i].a, kaa, v[i].a == DIGEST_SHA1 ? 80 : 131,
				 "Test Using Larger Than Block-Size Key - Hash Key First", out);
		ck_assert_str_eq(out, v[i].want);
	}
	/* An empty key is refused rather than silently used. */
	uint8_t d[DIGEST_MAX_LEN];
	struct digest_part p = { "x", 1 };
	ck_assert(!digest_hmac(DIGEST_SHA256, "", 0, &p, 1, d));
}
END_TEST

/* A message in pieces of any size hashes (and HMACs) as the whole, for every
 * length around the 55/56/64-byte padding boundaries. */
START_TEST(pieces_equal_whole)
{
	uint8_t msg[200];
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	static const enum digest_alg algs[] = { DIGEST_MD5, DIGEST_SHA1, DIGEST_SHA512 };
	for (size_t len = 0; len <= sizeof(msg); len += 3) {
		for (size_t cut = 0; cut <= len; cut += 17) {
			struct digest_part whole = { msg, len };
			struct digest_part two[] = { { msg, cut }, { msg + cut, len - cut } };
			for (size_t a = 0; a < sizeof algs / sizeof algs[0]; a++) {
				uint8_t x[DIGEST_MAX_LEN], y[DIGEST_MAX_LEN];
				ck_assert(digest_hash(algs[a], &whole, 1, x));
				ck_assert(digest_hash(algs[a], two, 2, y));
				ck_assert_mem_eq(x, y, digest_len(algs[a]));
				ck_assert(digest_hmac(algs[a], "k", 1, &whole, 1, x));
				ck_assert(digest_hmac(algs[a], "k", 1, two, 2, y));
				ck_assert_mem_eq(x, y, digest_len(algs[a]));
			}
		}
	}
	ck_assert(digest_equal("abc", "abc", 3));
	ck_assert(!digest_equal("abc", "abd", 3));
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

static Suite *digest_suite(void)
{
	Suite *s = suite_create("digest");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, md5_rfc1321_suite);
	tcase_add_test(tc, sha1_rfc3174_tests);
	tcase_add_test(tc, sha2_fips180_abc);
	tcase_add_test(tc, hmac_rfc2202_rfc4231);
	tcase_add_test(tc, pieces_equal_whole);
	tcase_add_test(tc, padding_boundaries);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(digest_suite());
}
