/* Allocation failure: one policy for the whole tree.
 *
 * 1. State a protocol must keep whole (the LSDB, neighbor, request and
 *    retransmission lists, the packet being built, a BFD session) is never
 *    left half-updated: if memory for it cannot be had, the process aborts
 *    through the helpers below, and the supervisor (systemd Restart=)
 *    starts it again from clean state. Nothing limps on with a silently
 *    shortened list. (An entry point that fails before it has changed
 *    anything, like ospf_new or ospf_if_add, returns an error instead.)
 * 2. Work that is done again anyway (an SPF run, route collection, a FIB
 *    dump, show output, a reply to a client) returns an error instead
 *    (false, -1 or NULL from vec_grow); the caller logs or counts it and
 *    the next pass retries. fabricd/, fib/, conf/ and cli/ hold only this
 *    kind of work.
 * The helpers are pure (libc only), so proto/ may use them. */
#ifndef PROTO_LIB_ALLOC_H
#define PROTO_LIB_ALLOC_H

#include <stdlib.h>
#include "proto/lib/vec.h"

static inline void *alloc_or_abort(void *p)
{
	if (!p)
		abort(); /* policy 1 above */
	return p;
}

static inline void *xmalloc(size_t size) { return alloc_or_abort(malloc(size ? size : 1)); }
static inline void *xcalloc(size_t n, size_t size) { return alloc_or_abort(calloc(n ? n : 1, size ? size : 1)); }
static inline void *xrealloc(void *p, size_t size) { return alloc_or_abort(realloc(p, size ? size : 1)); }

/* vec_grow under policy 1: never NULL. */
static inline void *xvec_grow(void *v, size_t *cap, size_t need, size_t elem)
{
	return alloc_or_abort(vec_grow(v, cap, need, elem));
}

#endif
