/* A growable array: the one way the tree grows a buffer (proto, fabricd,
 * fib, conf, cli). Capacity doubles, so appending n elements costs O(n). */
#ifndef PROTO_LIB_VEC_H
#define PROTO_LIB_VEC_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define VEC_MIN_CAP 8

/* The array v (capacity *cap elements of elem bytes) with room for at
 * least `need` elements: v itself when it already has room, else v
 * reallocated to a doubled capacity (*cap updated). NULL when out of
 * memory or the size overflows: v and *cap are then left as they were and
 * v is still the caller's. Use as
 *	struct x *n = vec_grow(a->v, &a->cap, a->n + 1, sizeof *n);
 *	if (!n) return -1;
 *	a->v = n; */
static inline void *vec_grow(void *v, size_t *cap, size_t need, size_t elem)
{
	if (v && need <= *cap)
		return v;
	size_t ncap = *cap ? *cap : VEC_MIN_CAP;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return NULL;
		ncap *= 2;
	}
	if (elem && ncap > SIZE_MAX / elem)
		return NULL;
	void *n = realloc(v, ncap * elem);
	if (!n)
		return NULL;
	*cap = ncap;
	return n;
}

/* Room for one more element at the end of the array *vp (n used, cap
 * capacity): the new, uninitialised element (n counted), or NULL when out
 * of memory (the array untouched). The array pointer is read and written
 * with memcpy, so any element type can come through void *. */
static inline void *vec_push_(void *vp, size_t *n, size_t *cap, size_t elem)
{
	void *v;
	memcpy(&v, vp, sizeof(v));
	void *g = vec_grow(v, cap, *n + 1, elem);
	if (!g)
		return NULL;
	memcpy(vp, &g, sizeof(g));
	return (char *)g + (*n)++ * elem;
}

/* VEC_PUSH(a->v, a->n, a->cap): pointer to a new last element of a->v
 * (a->n and a->cap size_t), NULL when out of memory. */
#define VEC_PUSH(v, n, cap) vec_push_(&(v), &(n), &(cap), sizeof(*(v)))

#endif
