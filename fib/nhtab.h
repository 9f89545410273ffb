/* fib/nhtab.h: bookkeeping of our kernel nexthop objects (pure, no netlink).
 *
 * Two kinds of entries share one id space:
 *   - a single next hop (gw, ifindex) -> one kernel nexthop object;
 *   - a group: a set of >= 2 single next hops -> one kernel group object.
 * Each distinct set maps to one entry, reference counted: a route holds one
 * reference on the entry it points to (RTA_NH_ID), a group holds one on each
 * member.  When the last reference goes the entry is freed and, if it still
 * exists in the kernel, the del callback is told so the caller sends
 * RTM_DELNEXTHOP.  Local repair (nhtab_drop) mirrors what the kernel does
 * when a member object is deleted: the member leaves every group, groups left
 * empty vanish (and with them, in the kernel, every route using them).
 */
#ifndef FIB_NHTAB_H
#define FIB_NHTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fib/nh.h"

struct nhe {
	uint32_t id;
	unsigned refs;		/* routes + groups holding this entry */
	bool group;
	bool dead;		/* no longer in the kernel: never send a delete */
	bool need_push;		/* must be (re)created in the kernel */
	size_t n;		/* size of the set (1 for a single) */
	struct fib_nh *nh;	/* the normalized (sorted) set */
	struct nhe **mem;	/* group members, parallel to nh[] */
	/* private */
	uint32_t khash;
	bool keyed;
	struct nhe *knext, *inext;
};

struct nhtab;

/* del_cb(ctx, e) runs just before a live entry is freed (refs reached 0). */
struct nhtab *nhtab_new(uint32_t first_id,
			void (*del_cb)(void *ctx, const struct nhe *e), void *ctx);
void nhtab_free(struct nhtab *t);

/* Never hand out this id (an object left in the kernel by an earlier run). */
int nhtab_reserve(struct nhtab *t, uint32_t id);

/* Entry for the set nh[0..n) (n >= 1, need not be sorted);
 * takes one reference.  New entries (and new members) have need_push set.
 * NULL on allocation failure or bad n. */
struct nhe *nhtab_acquire(struct nhtab *t, const struct fib_nh *nh, size_t n);
void nhtab_release(struct nhtab *t, struct nhe *e);

struct nhe *nhtab_by_id(const struct nhtab *t, uint32_t id);

/* Local repair: every single next hop on ifindex (and with gateway gw unless
 * any_gw) becomes dead and leaves every group; kill_cb(ctx, e) is called once
 * per such single (the caller deletes that one kernel object).  Groups left
 * empty become dead.  Returns the number of singles killed. */
size_t nhtab_drop(struct nhtab *t, uint32_t ifindex, bool any_gw, uint32_t gw,
		  void (*kill_cb)(void *ctx, const struct nhe *e), void *ctx);

/* Visit every entry still in the table (live or dead), groups first. */
void nhtab_foreach(const struct nhtab *t, void (*cb)(void *ctx, struct nhe *e), void *ctx);

size_t nhtab_count(const struct nhtab *t);

#endif
