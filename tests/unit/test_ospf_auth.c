/* OSPF cryptographic authentication: HMAC-SHA (RFC 5709) against vectors
 * computed independently (Python's hmac over the packet and Apad), the
 * trailer framing of RFC 2328 D.4.3, key lifetimes (D.3, RFC 5709 3.2) and
 * a key rollover by the clock between two engines in virtual time. */
#include <check.h>
#include "tests/unit/check_main.h"
#include "tests/unit/ospf_net.h"

#define RID(x) (0x0aff0000u | (x))
#define P2P_A 0x0a010000u /* 10.1.0.0/31 */
#define P2P_B 0x0a010001u
#define MASK31 0xfffffffeu
#define T0 1796083200 /* 2026-12-01T00:00:00Z */

static const enum ospf_crypto_alg hmacs[] = { OSPF_ALG_HMAC_SHA1, OSPF_ALG_HMAC_SHA256,
					      OSPF_ALG_HMAC_SHA384, OSPF_ALG_HMAC_SHA512 };
#define N_HMACS (sizeof hmacs / sizeof hmacs[0])

static void unhex(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		ck_assert_int_eq(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static struct ospf_auth crypto_auth(enum ospf_crypto_alg alg, uint8_t id, const char *secret)
{
	struct ospf_auth a;
	memset(&a, 0, sizeof a);
	a.type = OSPF_AUTH_CRYPTO;
	a.alg = alg;
	a.n_keys = 1;
	a.keys[0].id = id;
	snprintf(a.keys[0].secret, sizeof a.keys[0].secret, "%s", secret);
	return a;
}

/* A Hello from 10.255.0.1 in area 0: mask /31, HelloInterval 10, E bit,
 * priority 1, RouterDeadInterval 40, no DR, no neighbors (44 bytes). */
static size_t test_hello(uint8_t *buf, size_t cap)
{
	struct ospf_hello h = { .netmask = MASK31, .hello_interval = 10, .options = OSPF_OPT_E,
				.priority = 1, .dead_interval = 40 };
	return ospf_hello_encode(buf, cap, RID(1), 0, &h, NULL, 0);
}

/* The digest for the test Hello signed with Key ID 1 and sequence number 42:
 * HMAC(K, packet || Apad) as RFC 2104 defines it (RFC 5709 with erratum
 * 3585), so a 33-byte key is used as is for SHA-1 (not hashed to 20 bytes
 * as the RFC's original text says) and a 100-byte key is hashed for SHA-1
 * and SHA-256 (block 64) but not for SHA-384 and SHA-512 (block 128). */
static const struct {
	enum ospf_crypto_alg alg;
	char key;   /* 0: "fabric-secret"; else the key is this letter repeated klen times */
	size_t klen;
	const char *want;
} vectors[] = {
	{ OSPF_ALG_HMAC_SHA1, 0, 0, "db524a69c41f2ed19a3bff7560df8d5d8bc74c29" },
	{ OSPF_ALG_HMAC_SHA1, 'A', 33, "1dc5ca1fa0716b1b969c4a0e080516dbb40abf46" },
	{ OSPF_ALG_HMAC_SHA1, 'B', 100, "c9c26bab7d92ecb186a7774fc1b6ab5518124e0a" },
	{ OSPF_ALG_HMAC_SHA256, 0, 0,
	  "81307959ae908fb1ceddc5b86e0135a90d7809c00c12d5cc493e410186b8e8c8" },
	{ OSPF_ALG_HMAC_SHA256, 'A', 33,
	  "c06cef4c3986b129c58cbe9262b75c7b83f151e59dae7209604054f249724e20" },
	{ OSPF_ALG_HMAC_SHA256, 'B', 100,
	  "b89b504b5d59a0d8e1f0590ead8df71510379d895ad327ca22a07bdab49e1a37" },
	{ OSPF_ALG_HMAC_SHA384, 0, 0,
	  "80c9feaaa9187ed3a4f1de61c34833f273db62d4d556d6537f4a61409258528c"
	  "8122435455946e2f9408bbb2d1c1c33e" },
	{ OSPF_ALG_HMAC_SHA384, 'B', 100,
	  "548b55681b4f5d90513c0c1be5a8c1e0dcceb0c21ecff012e95b578d2dbd977d"
	  "bd8686fc37758e4125ad0fd8927d022f" },
	{ OSPF_ALG_HMAC_SHA512, 0, 0,
	  "48a3c35c880ede42d8a1eb1337365ddeeb1d9befc4366cad1a9c56b002b95a70"
	  "3152bfc77dbbb985dd95e8b2fbd7553e8fe0ec103cb9b2afcf01ce5fb82a7793" },
	{ OSPF_ALG_HMAC_SHA512, 'A', 33,
	  "432ff48ffbffe590a4dd836071ca7453c24550d13975d957a8f01eb0107b02f2"
	  "796ebdcfdcd2d47d491e3b5cb6e6e8d0a92b57d4d065c0cc183c3cebeb19c7ab" },
	{ OSPF_ALG_HMAC_SHA512, 'B', 100,
	  "58255ac8f4661bc8f6a5a2376b45b0850ee2b4a47ea6c5496e63963906cad141"
	  "b8e2770768fd0cbccd38d65f52087f5eaf77431bbf5078dde416716528d775cd" },
};

START_TEST(hmac_sha_vectors)
{
	static const char hello_hex[] = "0201002c0aff00010000000000000002000001200000002a"
					"fffffffe000a0201000000280000000000000000";
	for (size_t v = 0; v < sizeof vectors / sizeof vectors[0]; v++) {
		char secret[OSPF_SECRET_MAX + 1] = "fabric-secret";
		if (vectors[v].key) {
			memset(secret, vectors[v].key, vectors[v].klen);
			secret[vectors[v].klen] = 0;
		}
		struct ospf_auth a = crypto_auth(vectors[v].alg, 1, secret);
		size_t dlen = ospf_crypto_len(vectors[v].alg);
		uint8_t buf[256], want[OSPF_DIGEST_MAX], hello[44];
		size_t len = test_hello(buf, sizeof buf);
		ck_assert_uint_eq(len, 44);
		ck_assert_uint_eq(ospf_finish(buf, len, sizeof buf, &a, 42), len + dlen);
		/* RFC 5709 3.1: AuType 2, Key ID, Auth Data Len = L, sequence. */
		unhex(hello_hex, hello, sizeof hello);
		hello[19] = (uint8_t)dlen;
		ck_assert_mem_eq(buf, hello, sizeof hello);
		unhex(vectors[v].want, want, dlen);
		ck_assert_msg(memcmp(buf + len, want, dlen) == 0, "vector %zu: wrong digest", v);
		ck_assert_int_eq(ospf_auth_verify(buf, len + dlen, &a, NULL), OSPF_OK);
		/* Any bit flipped, in the packet or the trailer, is caught. */
		for (size_t i = 0; i < len + dlen; i++) {
			buf[i] ^= 0x40;
			ck_assert_int_ne(ospf_auth_verify(buf, len + dlen, &a, NULL), OSPF_OK);
			buf[i] ^= 0x40;
		}
	}
}
END_TEST

/* D.4.3: the IP payload is the OSPF packet plus exactly the trailer. A
 * valid packet followed by 100 more bytes (or cut short) is refused, for
 * MD5 and every HMAC-SHA. */
START_TEST(trailer_must_fill_the_payload)
{
	enum ospf_crypto_alg algs[] = { OSPF_ALG_MD5, OSPF_ALG_HMAC_SHA1, OSPF_ALG_HMAC_SHA256,
					OSPF_ALG_HMAC_SHA384, OSPF_ALG_HMAC_SHA512 };
	for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++) {
		struct ospf_auth a = crypto_auth(algs[i], 1, "fabric-secret");
		uint8_t buf[512];
		memset(buf, 0xee, sizeof buf);
		size_t len = test_hello(buf, sizeof buf);
		size_t total = ospf_finish(buf, len, sizeof buf, &a, 7);
		ck_assert_uint_eq(total, len + ospf_crypto_len(algs[i]));
		ck_assert_int_eq(ospf_auth_verify(buf, total, &a, NULL), OSPF_OK);
		ck_assert_int_eq(ospf_auth_verify(buf, total + 100, &a, NULL), OSPF_DROP_AUTH_LEN);
		ck_assert_int_eq(ospf_auth_verify(buf, total + 1, &a, NULL), OSPF_DROP_AUTH_LEN);
		ck_assert_int_eq(ospf_auth_verify(buf, total - 1, &a, NULL), OSPF_DROP_AUTH_LEN);
	}
}
END_TEST

/* RFC 5613 2.2: an LLS block after the trailer is the one exception, when
 * the L bit announces it and its length accounts for every byte. */
START_TEST(lls_block_after_the_trailer)
{
	struct ospf_auth a = crypto_auth(OSPF_ALG_HMAC_SHA256, 1, "fabric-secret");
	struct ospf_hello h = { .netmask = MASK31, .hello_interval = 10,
				.options = OSPF_OPT_E | OSPF_OPT_L, .priority = 1,
				.dead_interval = 40 };
	uint8_t buf[256];
	memset(buf, 0, sizeof buf);
	size_t len = ospf_hello_encode(buf, sizeof buf, RID(1), 0, &h, NULL, 0);
	size_t total = ospf_finish(buf, len, sizeof buf, &a, 9);
	/* Checksum, LLS Data Length 3 words, one TLV: type 1, length 4. */
	static const uint8_t lls[12] = { 0, 0, 0, 3, 0, 1, 0, 4, 0, 0, 0, 1 };
	memcpy(buf + total, lls, sizeof lls);
	ck_assert_int_eq(ospf_auth_verify(buf, total + 12, &a, NULL), OSPF_OK);
	ck_assert_int_eq(ospf_auth_verify(buf, total + 16, &a, NULL), OSPF_DROP_AUTH_LEN);
	ck_assert_int_eq(ospf_auth_verify(buf, total + 100, &a, NULL), OSPF_DROP_AUTH_LEN);
	/* Without the L bit, nothing may follow (and the bit is signed). */
	h.options = OSPF_OPT_E;
	len = ospf_hello_encode(buf, sizeof buf, RID(1), 0, &h, NULL, 0);
	total = ospf_finish(buf, len, sizeof buf, &a, 9);
	memcpy(buf + total, lls, sizeof lls);
	ck_assert_int_eq(ospf_auth_verify(buf, total + 12, &a, NULL), OSPF_DROP_AUTH_LEN);
	buf[OSPF_HDR_LEN + 6] |= OSPF_OPT_L;
	ck_assert_int_eq(ospf_auth_verify(buf, total + 12, &a, NULL), OSPF_DROP_AUTH_FAIL);
}
END_TEST

/* RFC 5709 3.4: the Key ID tells the algorithm; a digest of another
 * length is refused as such, an unknown Key ID and a wrong secret each
 * with their own reason. */
START_TEST(wrong_length_key_or_secret)
{
	for (size_t i = 0; i < N_HMACS; i++) {
		struct ospf_auth a = crypto_auth(hmacs[i], 1, "fabric-secret");
		uint8_t buf[256];
		size_t len = test_hello(buf, sizeof buf);
		size_t total = ospf_finish(buf, len, sizeof buf, &a, 7);
		for (size_t j = 0; j < N_HMACS; j++) {
			struct ospf_auth other = crypto_auth(hmacs[j], 1, "fabric-secret");
			ck_assert_int_eq(ospf_auth_verify(buf, total, &other, NULL),
					 i == j ? OSPF_OK : OSPF_DROP_AUTH_LEN);
		}
		struct ospf_auth md5 = crypto_auth(OSPF_ALG_MD5, 1, "fabric-secret");
		ck_assert_int_eq(ospf_auth_verify(buf, total, &md5, NULL), OSPF_DROP_AUTH_LEN);
		struct ospf_auth id2 = crypto_auth(hmacs[i], 2, "fabric-secret");
		ck_assert_int_eq(ospf_auth_verify(buf, total, &id2, NULL), OSPF_DROP_AUTH_KEY_ID);
		struct ospf_auth wrong = crypto_auth(hmacs[i], 1, "fabric-secreT");
		ck_assert_int_eq(ospf_auth_verify(buf, total, &wrong, NULL), OSPF_DROP_AUTH_FAIL);
		/* The sequence number is checked, and kept, as with MD5. */
		uint32_t last = 8;
		ck_assert_int_eq(ospf_auth_verify(buf, total, &a, &last), OSPF_DROP_AUTH_SEQ);
		last = 6;
		ck_assert_int_eq(ospf_auth_verify(buf, total, &a, &last), OSPF_OK);
		ck_assert_uint_eq(last, 7);
	}
	ck_assert_str_eq(ospf_crypto_name(OSPF_ALG_HMAC_SHA384), "hmac-sha384");
	ck_assert_str_eq(ospf_drop_name(OSPF_DROP_AUTH_KEY_ID), "auth_key_id");
	ck_assert_str_eq(ospf_drop_name(OSPF_DROP_AUTH_KEY_EXPIRED), "auth_key_expired");
	ck_assert_str_eq(ospf_drop_name(OSPF_DROP_AUTH_LEN), "auth_length");
}
END_TEST

/* D.3: the send key is the valid one that started last; when all have
 * expired, the one that expired last (RFC 5709 3.2); none while every key
 * is yet to start, and then nothing is sent. */
START_TEST(send_key_by_lifetime)
{
	struct ospf_auth a = crypto_auth(OSPF_ALG_HMAC_SHA256, 1, "one");
	a.n_keys = 3;
	a.keys[1] = (struct ospf_key){ .id = 2, .secret = "two", .send_from = T0 + 100,
				       .send_until = T0 + 300 };
	a.keys[2] = (struct ospf_key){ .id = 3, .secret = "three", .send_from = T0 + 200,
				       .send_until = T0 + 400 };
	a.keys[0].send_until = T0 + 150;
	ck_assert_uint_eq(ospf_auth_send_key(&a, T0)->id, 1);
	ck_assert_uint_eq(ospf_auth_send_key(&a, T0 + 99)->id, 1);
	ck_assert_uint_eq(ospf_auth_send_key(&a, T0 + 100)->id, 2);
	ck_assert_uint_eq(ospf_auth_send_key(&a, T0 + 200)->id, 3);
	ck_assert_uint_eq(ospf_auth_send_key(&a, T0 + 399)->id, 3);
	/* All expired: key 3 expired last and stays in use. */
	ck_assert_uint_eq(ospf_auth_send_key(&a, T0 + 10000)->id, 3);
	/* Without lifetimes, the first key sends. */
	struct ospf_auth plain = crypto_auth(OSPF_ALG_HMAC_SHA256, 5, "x");
	plain.n_keys = 2;
	plain.keys[1] = (struct ospf_key){ .id = 6, .secret = "y" };
	ck_assert_uint_eq(ospf_auth_send_key(&plain, T0)->id, 5);
	/* Every key yet to start: no key, no packet. */
	struct ospf_auth future = crypto_auth(OSPF_ALG_HMAC_SHA1, 1, "x");
	future.keys[0].send_from = T0 + 10;
	ck_assert_ptr_null(ospf_auth_send_key(&future, T0));
	uint8_t buf[256];
	size_t len = test_hello(buf, sizeof buf);
	ck_assert_uint_eq(ospf_finish_at(buf, len, sizeof buf, &future, 1, T0), 0);
	ck_assert_uint_eq(ospf_finish_at(buf, len, sizeof buf, &future, 1, T0 + 10), len + 20);
	ck_assert_uint_eq(buf[18], 1);
}
END_TEST

/* D.3: a key is accepted inside its accept window only, unless no key's
 * window holds: then the one that expired last still is. */
START_TEST(accept_key_by_lifetime)
{
	struct ospf_auth a = crypto_auth(OSPF_ALG_HMAC_SHA512, 1, "one");
	a.keys[0].accept_until = T0 + 100;
	a.n_keys = 2;
	a.keys[1] = (struct ospf_key){ .id = 2, .secret = "two", .accept_from = T0 + 50,
				       .accept_until = T0 + 200 };
	uint8_t k1[256], k2[256];
	struct ospf_auth only1 = a, only2 = a;
	only1.n_keys = 1;
	only2.keys[0] = a.keys[1];
	only2.n_keys = 1;
	only2.keys[0].accept_from = only2.keys[0].accept_until = 0;
	size_t n1 = ospf_finish(k1, test_hello(k1, sizeof k1), sizeof k1, &only1, 1);
	size_t n2 = ospf_finish(k2, test_hello(k2, sizeof k2), sizeof k2, &only2, 1);
	ck_assert_uint_gt(n1, 0);
	ck_assert_uint_gt(n2, 0);
	ck_assert_int_eq(ospf_auth_verify_at(k1, n1, &a, NULL, T0), OSPF_OK);
	ck_assert_int_eq(ospf_auth_verify_at(k2, n2, &a, NULL, T0), OSPF_DROP_AUTH_KEY_EXPIRED);
	ck_assert_int_eq(ospf_auth_verify_at(k2, n2, &a, NULL, T0 + 50), OSPF_OK);
	ck_assert_int_eq(ospf_auth_verify_at(k1, n1, &a, NULL, T0 + 99), OSPF_OK);
	ck_assert_int_eq(ospf_auth_verify_at(k1, n1, &a, NULL, T0 + 100),
			 OSPF_DROP_AUTH_KEY_EXPIRED);
	/* After both: key 2 expired last and is still accepted, key 1 not. */
	ck_assert_int_eq(ospf_auth_verify_at(k2, n2, &a, NULL, T0 + 5000), OSPF_OK);
	ck_assert_int_eq(ospf_auth_verify_at(k1, n1, &a, NULL, T0 + 5000),
			 OSPF_DROP_AUTH_KEY_EXPIRED);
	bool expired;
	ck_assert_ptr_null(ospf_auth_accept_key(&a, 9, T0, &expired));
	ck_assert(!expired);
}
END_TEST

/* Simple passwords follow the same lifetimes. */
START_TEST(simple_password_lifetimes)
{
	struct ospf_auth a;
	memset(&a, 0, sizeof a);
	a.type = OSPF_AUTH_SIMPLE;
	a.n_keys = 2;
	a.keys[0] = (struct ospf_key){ .id = 1, .secret = "old", .send_until = T0 + 10,
				       .accept_until = T0 + 20 };
	a.keys[1] = (struct ospf_key){ .id = 2, .secret = "new", .send_from = T0 + 10 };
	uint8_t buf[256];
	size_t len = test_hello(buf, sizeof buf);
	ck_assert_uint_eq(ospf_finish_at(buf, len, sizeof buf, &a, 0, T0), len);
	ck_assert_mem_eq(buf + 16, "old\0\0\0\0\0", 8);
	ck_assert_int_eq(ospf_auth_verify_at(buf, len, &a, NULL, T0 + 19), OSPF_OK);
	ck_assert_int_eq(ospf_auth_verify_at(buf, len, &a, NULL, T0 + 20),
			 OSPF_DROP_AUTH_KEY_EXPIRED);
	ck_assert_uint_eq(ospf_finish_at(buf, len, sizeof buf, &a, 0, T0 + 10), len);
	ck_assert_mem_eq(buf + 16, "new\0\0\0\0\0", 8);
	ck_assert_int_eq(ospf_auth_verify_at(buf, len, &a, NULL, T0 + 20), OSPF_OK);
}
END_TEST

/* ---- Two engines in virtual time ---- */

static struct net net;

static void setup(void)
{
	net_reset(&net);
}

static void teardown(void)
{
	net_free(&net);
}

static void p2p_pair(struct node **a, struct node **b, const struct ospf_if_config *ca,
		     const struct ospf_if_config *cb)
{
	*a = net_node(&net, RID(1));
	*b = net_node(&net, RID(2));
	/* Virtual time 0 is T0 on the wall clock. */
	ospf_set_wall_clock((*a)->o, (int64_t)T0 * 1000, net.now);
	ospf_set_wall_clock((*b)->o, (int64_t)T0 * 1000, net.now);
	net_attach(*a, ca, 0, P2P_A, MASK31);
	net_attach(*b, cb, 0, P2P_B, MASK31);
}

static uint64_t auth_drops(struct node *nd)
{
	struct ospf_counters c;
	ospf_counters_get(nd->o, &c);
	return c.drops[OSPF_DROP_AUTH_FAIL] + c.drops[OSPF_DROP_AUTH_SEQ] +
	       c.drops[OSPF_DROP_AUTH_KEY_ID] + c.drops[OSPF_DROP_AUTH_KEY_EXPIRED] +
	       c.drops[OSPF_DROP_AUTH_LEN] + c.drops[OSPF_DROP_AUTH_TYPE];
}

/* Every algorithm brings the adjacency up; a wrong secret keeps it down,
 * counted. */
START_TEST(engines_full_each_algorithm)
{
	enum ospf_crypto_alg alg = hmacs[_i];
	struct node *a, *b;
	struct ospf_if_config ca = net_default_cfg(1, OSPF_NET_P2P);
	struct ospf_if_config cb = net_default_cfg(1, OSPF_NET_P2P);
	ca.auth = crypto_auth(alg, 7, "fabric-secret");
	cb.auth = ca.auth;
	p2p_pair(&a, &b, &ca, &cb);
	net_run(&net, 6000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
	ck_assert_int_eq(nbr_state(b, RID(1)), NSM_FULL);
	ck_assert_uint_eq(auth_drops(a) + auth_drops(b), 0);
	/* What is sent carries Key ID 7 and a digest of the algorithm's length. */
	ck_assert_uint_eq(a->last_sent[OSPF_HELLO][18], 7);
	ck_assert_uint_eq(a->last_sent[OSPF_HELLO][19], ospf_crypto_len(alg));
	ck_assert_uint_eq(a->last_sent_len[OSPF_HELLO],
			  get16(a->last_sent[OSPF_HELLO] + 2) + ospf_crypto_len(alg));
}
END_TEST

START_TEST(engines_wrong_secret)
{
	struct node *a, *b;
	struct ospf_if_config ca = net_default_cfg(1, OSPF_NET_P2P);
	struct ospf_if_config cb = net_default_cfg(1, OSPF_NET_P2P);
	ca.auth = crypto_auth(hmacs[_i], 1, "fabric-secret");
	cb.auth = crypto_auth(hmacs[_i], 1, "other-secret");
	p2p_pair(&a, &b, &ca, &cb);
	net_run(&net, 30000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_DOWN);
	ck_assert_int_eq(nbr_state(b, RID(1)), NSM_DOWN);
	struct ospf_counters c;
	ospf_counters_get(a->o, &c);
	ck_assert_uint_gt(c.drops[OSPF_DROP_AUTH_FAIL], 0);
}
END_TEST

/* Hitless rollover by the clock: key 1 sends until T0+120, key 2 from
 * T0+60; both are accepted all along. The adjacency never leaves Full, no
 * packet is refused, and what is sent switches from Key ID 1 to 2. */
START_TEST(engines_rollover_by_clock)
{
	struct node *a, *b;
	struct ospf_if_config ca = net_default_cfg(1, OSPF_NET_P2P);
	ca.auth = crypto_auth(OSPF_ALG_HMAC_SHA256, 1, "key-one");
	ca.auth.keys[0].send_until = T0 + 120;
	ca.auth.n_keys = 2;
	ca.auth.keys[1] = (struct ospf_key){ .id = 2, .secret = "key-two", .send_from = T0 + 60 };
	struct ospf_if_config cb = ca;
	p2p_pair(&a, &b, &ca, &cb);
	net_run(&net, 20000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
	ck_assert_uint_eq(a->last_sent[OSPF_HELLO][18], 1);
	struct ospf_nbr_info before;
	ck_assert(nbr_info_of(a, RID(2), &before));
	net_run(&net, 59000);
	ck_assert_uint_eq(a->last_sent[OSPF_HELLO][18], 1);
	struct ospf_if_info ii;
	ck_assert(if_info_of(a, 1, &ii));
	ck_assert_uint_eq(ii.send_key_id, 1);
	net_run(&net, 200000);
	ck_assert_uint_eq(a->last_sent[OSPF_HELLO][18], 2);
	ck_assert(if_info_of(a, 1, &ii));
	ck_assert_uint_eq(ii.send_key_id, 2);
	ck_assert_uint_eq(b->last_sent[OSPF_HELLO][18], 2);
	struct ospf_nbr_info after;
	ck_assert(nbr_info_of(a, RID(2), &after));
	ck_assert_int_eq(after.state, NSM_FULL);
	ck_assert_uint_eq(after.state_changes, before.state_changes);
	ck_assert_uint_eq(after.full_since_ms, before.full_since_ms);
	ck_assert_int_eq(nbr_state(b, RID(1)), NSM_FULL);
	ck_assert_uint_eq(auth_drops(a) + auth_drops(b), 0);
}
END_TEST

/* RFC 5709 3.2: when the last key expires (send and accept), routing goes
 * on with it rather than dropping to no authentication or no adjacency. */
START_TEST(engines_last_key_expired)
{
	struct node *a, *b;
	struct ospf_if_config ca = net_default_cfg(1, OSPF_NET_P2P);
	ca.auth = crypto_auth(OSPF_ALG_HMAC_SHA1, 4, "only-key");
	ca.auth.keys[0].send_until = T0 + 30;
	ca.auth.keys[0].accept_until = T0 + 30;
	struct ospf_if_config cb = ca;
	p2p_pair(&a, &b, &ca, &cb);
	net_run(&net, 120000);
	ck_assert_int_eq(nbr_state(a, RID(2)), NSM_FULL);
	ck_assert_int_eq(nbr_state(b, RID(1)), NSM_FULL);
	ck_assert_uint_eq(a->last_sent[OSPF_HELLO][14 + 1], OSPF_AUTH_CRYPTO);
	ck_assert_uint_eq(a->last_sent[OSPF_HELLO][18], 4);
	ck_assert_uint_eq(auth_drops(a) + auth_drops(b), 0);
	struct ospf_nbr_info ni;
	ck_assert(nbr_info_of(a, RID(2), &ni));
	/* Full since before the expiry: the adjacency never re-formed. */
	ck_assert_uint_lt(ni.full_since_ms, 30000);
}
END_TEST

static Suite *auth_suite(void)
{
	Suite *s = suite_create("ospf_auth");
	TCase *tc = tcase_create("codec");
	tcase_add_test(tc, hmac_sha_vectors);
	tcase_add_test(tc, trailer_must_fill_the_payload);
	tcase_add_test(tc, lls_block_after_the_trailer);
	tcase_add_test(tc, wrong_length_key_or_secret);
	tcase_add_test(tc, send_key_by_lifetime);
	tcase_add_test(tc, accept_key_by_lifetime);
	tcase_add_test(tc, simple_password_lifetimes);
	suite_add_tcase(s, tc);
	TCase *te = tcase_create("engines");
	tcase_add_checked_fixture(te, setup, teardown);
	tcase_set_timeout(te, 60);
	tcase_add_loop_test(te, engines_full_each_algorithm, 0, N_HMACS);
	tcase_add_loop_test(te, engines_wrong_secret, 0, N_HMACS);
	tcase_add_test(te, engines_rollover_by_clock);
	tcase_add_test(te, engines_last_key_expired);
	suite_add_tcase(s, te);
	return s;
}

int main(void)
{
	return check_run(auth_suite());
}
