/* The 64-byte block framing that MD5 (RFC 1321 3.1-3.2) and SHA-1 (RFC 3174
 * section 4) share: buffer the message into blocks for a compression
 * function, then pad with a 1 bit, zeros to 56 mod 64 and the bit length. */
#ifndef PROTO_LIB_MDBLOCK_H
#define PROTO_LIB_MDBLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct md_block {
	uint64_t nbytes;    /* message length so far, in bytes */
	uint8_t block[64];  /* pending partial block */
	size_t fill;        /* bytes used in block */
};

typedef void (*md_compress_fn)(uint32_t *state, const uint8_t block[64]);

void md_block_update(struct md_block *b, uint32_t *state, md_compress_fn f, const void *data,
		     size_t len);
/* Pad and run the last block(s); the length is written big-endian for SHA-1
 * and little-endian for MD5. */
void md_block_finish(struct md_block *b, uint32_t *state, md_compress_fn f, bool len_big_endian);

#endif
