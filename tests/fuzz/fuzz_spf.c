/* libFuzzer harness for SPF over a hostile LSDB: intra-area (16.1), then
 * inter-area and AS-external routes (16.2-16.4) from Summary- and
 * AS-external-LSAs whose bodies come from the input. Not built by automake
 * (tests/fuzz/run.sh builds it).
 *
 * Input: a sequence of LSAs in wire form (each its own length field),
 * after a first byte that picks the root among the first routers. The
 * checksums are not checked (the LSDB holds only LSAs that passed them;
 * what matters here is what the bodies say). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/spf.h"
#include "proto/ospf/lsa.h"
#include "proto/lib/bytes.h"

#define MAX_LSAS 256

struct db {
	size_t n;
	const uint8_t *lsa[MAX_LSAS];
	size_t len[MAX_LSAS];
};

static const uint8_t *lookup(void *ctx, uint8_t type, uint32_t id, uint32_t adv, size_t *len)
{
	const struct db *db = ctx;
	for (size_t i = 0; i < db->n; i++) {
		const uint8_t *l = db->lsa[i];
		if (l[3] == type && get32(l + 4) == id && (!adv || get32(l + 8) == adv)) {
			*len = db->len[i];
			return l;
		}
	}
	return NULL;
}

static void each(void *ctx, uint8_t type, spf_lsa_fn fn, void *arg)
{
	const struct db *db = ctx;
	for (size_t i = 0; i < db->n; i++)
		if (db->lsa[i][3] == type)
			fn(arg, db->lsa[i], db->len[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct db db = { 0 };
	if (size < 1)
		return 0;
	uint8_t pick = data[0];
	size_t off = 1;
	while (off + OSPF_LSA_HDR_LEN <= size && db.n < MAX_LSAS) {
		size_t len = get16(data + off + 18);
		if (len < OSPF_LSA_HDR_LEN || off + len > size)
			break;
		db.lsa[db.n] = data + off;
		db.len[db.n++] = len;
		off += len;
	}
	/* The root: the advertising router of one of the LSAs (or 1.1.1.1). */
	uint32_t root = db.n ? get32(db.lsa[pick % db.n] + 8) : 0x01010101;
	/* Our interfaces: 10.0.0.0/31 on 1, an unnumbered port 2. */
	static const struct spf_iface ifs[] = { { 1, 0x0a000000, 0xfffffffe }, { 2, 0, 0 } };
	struct spf_params p = { .root = root, .ifaces = ifs, .n_ifaces = 2,
				.max_paths = 1 + pick % 8, .lookup = lookup, .each = each, .ctx = &db };
	struct spf_result res;
	if (spf_run(&p, &res) == 0) {
		/* Sorted, unique, next hops within the cut. */
		for (size_t i = 0; i < res.n_routes; i++) {
			const struct spf_route *r = &res.routes[i];
			if (r->n_nh > p.max_paths || r->path > SPF_EXT2)
				abort();
			if (i && (res.routes[i - 1].prefix > r->prefix ||
				  (res.routes[i - 1].prefix == r->prefix &&
				   res.routes[i - 1].plen >= r->plen)))
				abort();
			volatile uint32_t sink = 0;
			for (size_t k = 0; k < r->n_nh; k++)
				sink ^= r->nh[k].addr ^ r->nh[k].ifindex;
			(void)sink;
		}
		spf_result_free(&res);
	}
	return 0;
}
