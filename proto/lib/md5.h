/* MD5 message digest (RFC 1321), used for OSPF cryptographic authentication
 * (RFC 2328 D.4.3). Streaming API: init, update any number of times, final. */
#ifndef PROTO_LIB_MD5_H
#define PROTO_LIB_MD5_H

#include <stddef.h>
#include <stdint.h>
#include "proto/lib/mdblock.h"

struct md5_ctx {
	uint32_t state[4];  /* A, B, C, D (RFC 1321 3.3) */
	struct md_block b;  /* block framing and padding */
};

void md5_init(struct md5_ctx *c);
void md5_update(struct md5_ctx *c, const void *data, size_t len);
void md5_final(struct md5_ctx *c, uint8_t out[16]);

#endif
