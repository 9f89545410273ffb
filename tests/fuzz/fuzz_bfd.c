/* libFuzzer harness for the BFD Control packet decoder (and the session
 * that consumes decoded packets). Not built by automake:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. \
 *     tests/fuzz/fuzz_bfd.c proto/bfd/packet.c proto/bfd/session.c proto/bfd/auth.c \
 *     proto/lib/md5.c proto/lib/sha1.c -o fuzz_bfd
 *   ./fuzz_bfd -max_total_time=20 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/bfd/packet.h"
#include "proto/bfd/session.h"

static void sink(void *ctx, const uint8_t *buf, size_t len)
{
	struct bfd_packet p;
	/* what we send must decode cleanly */
	if (bfd_packet_decode(buf, len, &p) != BFD_DROP_NONE)
		abort();
	(void)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bfd_packet p;
	enum bfd_drop d = bfd_packet_decode(data, size, &p);
	if ((unsigned)d >= BFD_DROP_MAX || bfd_drop_name(d) == NULL)
		abort();
	if (d != BFD_DROP_NONE)
		return 0;
	uint8_t out[BFD_MAX_PACKET_LEN];
	size_t n = bfd_packet_encode(&p, out, sizeof(out));
	/* Without auth and with Length 24, encoding gives the same bytes. */
	if (!p.has_auth && p.length == BFD_HDR_LEN &&
	    (n != BFD_HDR_LEN || memcmp(out, data, n) != 0))
		abort();
	struct bfd_session_config cfg = {
		.desired_min_tx_us = 100000, .required_min_rx_us = 100000, .detect_mult = 3,
	};
	struct bfd_session_ops ops = { .send = sink };
	struct bfd_session s;
	/* With auth, also a session keyed for the packet's type and Key ID,
	 * so that verification runs over every fuzzed section. */
	if (p.has_auth) {
		cfg.auth_type = p.auth.type;
		cfg.n_keys = 1;
		cfg.keys[0] = (struct bfd_auth_key){ .type = p.auth.type, .key_id = p.auth.key_id,
						     .secret_len = 4, .secret = "fuzz" };
	}
	bfd_session_init(&s, &cfg, &ops, p.your_discr ? p.your_discr : 1, 0);
	bfd_session_rx(&s, &p, data, size, 1000);
	bfd_session_rx(&s, &p, data, size, 2000);
	uint64_t t = bfd_session_next_deadline(&s);
	if (t != NEVER)
		bfd_session_timer(&s, t);
	bfd_session_admin_down(&s, t + 1);
	return 0;
}
