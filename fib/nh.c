/* fib/nh.c: ordering and normalization of next-hop sets. */
#include "fib/nh.h"

#include "proto/lib/cmp.h"

#include <stdlib.h>

int fib_nh_cmp(const struct fib_nh *a, const struct fib_nh *b)
{
	int c = cmp_uint(key2(a->ifindex, a->gw), key2(b->ifindex, b->gw));
	return c ? c : cmp_uint(a->flags, b->flags);
}

static int cmp_void(const void *a, const void *b)
{
	return fib_nh_cmp(a, b);
}

size_t fib_nh_normalize(struct fib_nh *nh, size_t n)
{
	size_t out = 0;

	if (n == 0)
		return 0;
	qsort(nh, n, sizeof(*nh), cmp_void);
	for (size_t i = 1; i < n; i++)
		if (fib_nh_cmp(&nh[i], &nh[out]) != 0)
			nh[++out] = nh[i];
	return out + 1;
}

int fib_nh_set_equal(const struct fib_nh *a, size_t na, const struct fib_nh *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (fib_nh_cmp(&a[i], &b[i]) != 0)
			return 0;
	return 1;
}
