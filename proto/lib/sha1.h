/* SHA-1 message digest (RFC 3174). Streaming API: init, update, final. */
#ifndef PROTO_LIB_SHA1_H
#define PROTO_LIB_SHA1_H

#include <stddef.h>
#include <stdint.h>
#include "proto/lib/mdblock.h"

struct sha1_ctx {
	uint32_t h[5];      /* H0..H4 (RFC 3174 6.1) */
	struct md_block b;  /* block framing and padding */
};

void sha1_init(struct sha1_ctx *c);
void sha1_update(struct sha1_ctx *c, const void *data, size_t len);
void sha1_final(struct sha1_ctx *c, uint8_t out[20]);

#endif
