/* libFuzzer harness for the OSPF packet codec and authentication.
 * Not built by automake. Build and run (seeds: tests/fuzz/mkseeds.sh):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. \
 *     tests/fuzz/fuzz_ospf.c proto/ospf/packet.c proto/ospf/auth.c \
 *     proto/ospf/lsa.c proto/lib/md5.c -o fuzz_ospf
 *   tests/fuzz/mkseeds.sh corpus && ./fuzz_ospf -max_total_time=30 corpus */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/packet.h"
#include "proto/ospf/lsa.h"

static const struct ospf_auth md5_auth = {
	.type = OSPF_AUTH_CRYPTO, .n_keys = 1, .keys = { { 1, "fabric-secret" } },
};
/* HMAC-SHA-512 (RFC 5709) with two keys, one inside its lifetime at t=0. */
static const struct ospf_auth hmac_auth = {
	.type = OSPF_AUTH_CRYPTO, .alg = OSPF_ALG_HMAC_SHA512, .n_keys = 2,
	.keys = { { .id = 1, .secret = "fabric-secret", .accept_until = 1 },
		  { .id = 2, .secret = "other", .accept_from = 1 } },
};

/* Touch every decoded element so out-of-bounds views show up under ASan. */
static void walk(const struct ospf_packet *pk)
{
	struct lsa_hdr h;
	volatile uint32_t sink = 0;

	switch (pk->hdr.type) {
	case OSPF_HELLO:
		for (size_t i = 0; i < pk->u.hello.n_neighbors; i++)
			sink ^= ospf_hello_neighbor_at(&pk->u.hello, i);
		break;
	case OSPF_DBDESC:
		for (size_t i = 0; i < pk->u.dbdesc.n_lsa_hdrs; i++) {
			ospf_dbdesc_hdr_at(&pk->u.dbdesc, i, &h);
			sink ^= h.ls_id;
		}
		break;
	case OSPF_LSREQ:
		for (size_t i = 0; i < pk->u.lsreq.n; i++) {
			struct ospf_lsreq_entry e;
			ospf_lsreq_at(&pk->u.lsreq, i, &e);
			sink ^= e.adv_router;
		}
		break;
	case OSPF_LSUPD: {
		size_t off = 0, len;
		const uint8_t *lsa;
		while ((lsa = ospf_lsupd_next(&pk->u.lsupd, &off, &len))) {
			lsa_hdr_decode(lsa, &h);
			sink ^= h.adv_router ^ lsa_checksum_ok(lsa, len);
			if (h.type == LSA_ROUTER) {
				struct lsa_router r;
				struct rtr_link l;
				size_t loff = 0;
				if (lsa_router_parse(lsa, len, &r))
					while (lsa_router_next_link(&r, &loff, &l))
						sink ^= l.link_id;
			} else if (h.type == LSA_NETWORK) {
				struct lsa_network n;
				if (lsa_network_parse(lsa, len, &n))
					for (size_t i = 0; i < n.n_routers; i++)
						sink ^= lsa_network_router_at(&n, i);
			}
		}
		break;
	}
	case OSPF_LSACK:
		for (size_t i = 0; i < pk->u.lsack.n_lsa_hdrs; i++) {
			ospf_lsack_hdr_at(&pk->u.lsack, i, &h);
			sink ^= h.checksum;
		}
		break;
	}
	(void)sink;
}

static void one(const uint8_t *data, size_t size)
{
	struct ospf_packet pk;
	uint32_t last_seq = 0;

	if (ospf_decode(data, size, &pk) != OSPF_OK)
		return;
	walk(&pk);
	(void)ospf_auth_verify(data, size, &md5_auth, &last_seq);
	(void)ospf_drop_name(ospf_auth_verify(data, size, &md5_auth, NULL));
	(void)ospf_auth_verify(data, size, &hmac_auth, &last_seq);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size);
	/* Most mutations break the packet checksum; also try an exact-size
	 * copy with the checksum repaired so the body decoders get exercised. */
	if (size >= OSPF_HDR_LEN && size <= 65535) {
		uint8_t *copy = malloc(size);
		if (!copy)
			return 0;
		memcpy(copy, data, size);
		size_t len = (size_t)copy[2] << 8 | copy[3];
		if (len >= OSPF_HDR_LEN && len <= size) {
			copy[12] = copy[13] = 0;
			uint16_t c = ospf_packet_cksum(copy, len);
			copy[12] = (uint8_t)(c >> 8);
			copy[13] = (uint8_t)c;
			one(copy, size);
		}
		free(copy);
	}
	return 0;
}
