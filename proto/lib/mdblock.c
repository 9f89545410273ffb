#include <string.h>
#include "proto/lib/mdblock.h"

void md_block_update(struct md_block *b, uint32_t *state, md_compress_fn f, const void *data,
		     size_t len)
{
	const uint8_t *p = data;
	b->nbytes += len;
	while (len > 0) {
		size_t n = 64 - b->fill;
		if (n > len)
			n = len;
		memcpy(b->block + b->fill, p, n);
		b->fill += n;
		p += n;
		len -= n;
		if (b->fill == 64) {
			f(state, b->block);
			b->fill = 0;
		}
	}
}

void md_block_finish(struct md_block *b, uint32_t *state, md_compress_fn f, bool len_big_endian)
{
	uint64_t bits = b->nbytes * 8;
	uint8_t pad[72] = { 0x80 };
	size_t padlen = (b->fill < 56) ? 56 - b->fill : 120 - b->fill;
	for (int i = 0; i < 8; i++)
		pad[padlen + (size_t)i] = (uint8_t)(bits >> (len_big_endian ? 56 - 8 * i : 8 * i));
	md_block_update(b, state, f, pad, padlen + 8);
}
