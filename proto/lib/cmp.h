/* The one three-way comparison of unsigned numbers (qsort, bsearch, sorted
 * merges): cmp_uint gives -1, 0 or 1. A key of two 32-bit fields compares as
 * one 64-bit number: key2(first, second). */
#ifndef PROTO_LIB_CMP_H
#define PROTO_LIB_CMP_H

#include <stdint.h>

static inline int cmp_uint(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static inline uint64_t key2(uint32_t first, uint32_t second)
{
	return (uint64_t)first << 32 | second;
}

#endif
