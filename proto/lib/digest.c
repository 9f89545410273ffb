/* Digests and HMAC through libcrypto's EVP interfaces (see digest.h). */
#include "proto/lib/digest.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <threads.h>

static const struct {
	const char *name; /* libcrypto's name of the digest */
	size_t len;
} algs[] = {
	[DIGEST_MD5] = { "MD5", 16 },
	[DIGEST_SHA1] = { "SHA1", 20 },
	[DIGEST_SHA256] = { "SHA256", 32 },
	[DIGEST_SHA384] = { "SHA384", 48 },
	[DIGEST_SHA512] = { "SHA512", 64 },
};
#define N_ALGS (sizeof algs / sizeof algs[0])

/* Fetching an algorithm is costly next to hashing a 48-byte packet (it
 * looks the provider up under a lock): fetch each one once, the first time
 * any is needed, and keep them for the life of the process. */
static EVP_MD *mds[N_ALGS];
static EVP_MAC *hmac;
static once_flag fetched = ONCE_FLAG_INIT;

static void fetch_all(void)
{
	for (size_t i = 0; i < N_ALGS; i++)
		mds[i] = EVP_MD_fetch(NULL, algs[i].name, NULL); /* NULL where refused */
	hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
}

static const EVP_MD *md_of(enum digest_alg a)
{
	call_once(&fetched, fetch_all);
	return mds[a];
}

size_t digest_len(enum digest_alg a)
{
	return (size_t)a < N_ALGS ? algs[a].len : 0;
}

bool digest_hash(enum digest_alg a, const struct digest_part *parts, size_t n, uint8_t *out)
{
	if ((size_t)a >= N_ALGS)
		return false;
	const EVP_MD *md = md_of(a);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int olen = 0;
	bool ok = md && ctx && EVP_DigestInit_ex(ctx, md, NULL) == 1;
	for (size_t i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(ctx, parts[i].data, parts[i].len) == 1;
	ok = ok && EVP_DigestFinal_ex(ctx, out, &olen) == 1 && olen == algs[a].len;
	EVP_MD_CTX_free(ctx);
	return ok;
}

bool digest_hmac(enum digest_alg a, const void *key, size_t key_len,
		 const struct digest_part *parts, size_t n, uint8_t *out)
{
	if ((size_t)a >= N_ALGS || !key || key_len == 0)
		return false;
	call_once(&fetched, fetch_all);
	EVP_MAC_CTX *ctx = hmac ? EVP_MAC_CTX_new(hmac) : NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)algs[a].name, 0),
		OSSL_PARAM_construct_end(),
	};
	size_t olen = 0;
	bool ok = ctx && EVP_MAC_init(ctx, key, key_len, params) == 1;
	for (size_t i = 0; ok && i < n; i++)
		ok = EVP_MAC_update(ctx, parts[i].data, parts[i].len) == 1;
	ok = ok && EVP_MAC_final(ctx, out, &olen, DIGEST_MAX_LEN) == 1 && olen == algs[a].len;
	EVP_MAC_CTX_free(ctx);
	return ok;
}

bool digest_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}
