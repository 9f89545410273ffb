/* MD5 message digest (RFC 1321), used for OSPF cryptographic authentication
 * (RFC 2328 D.4.3). Streaming API: init, update any number of times, final. */
#ifndef PROTO_LIB_MD5_H
#define PROTO_LIB_MD5_H

#include <stddef.h>
#include <stdint.h>

struct md5_ctx {
	uint32_t state[4];  /* A, B, C, D (RFC 1321 3.3) */
	uint64_t nbytes;    /* message length so far, in bytes */
	uint8_t block[64];  /* pending partial block */
	size_t fill;        /* bytes used in block */
};

void md5_init(struct md5_ctx *c);
void md5_update(struct md5_ctx *c, const void *data, size_t len);
void md5_final(struct md5_ctx *c, uint8_t out[16]);

#endif
