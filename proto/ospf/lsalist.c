/* Hash-indexed LSA lists (see lsalist.h). Linear probing with backward
 * shift deletion: no tombstones, so a list that churns stays fast. */
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/lsalist.h"
#include "proto/ospf/ospf_priv.h"

static size_t key_hash(const struct lsa_key *k)
{
	uint64_t h = (uint64_t)k->ls_id * 0x9e3779b97f4a7c15ull;
	h ^= ((uint64_t)k->adv_router << 8 | k->type) * 0xc2b2ae3d27d4eb4full;
	return (size_t)(h ^ (h >> 29));
}

static struct lsa_key entry_key(const struct lsa_list *l, uint32_t idx)
{
	return lsa_key_of(&l->e[idx].hdr);
}

/* The slot holding k, or the empty slot where it would go. */
static size_t probe(const struct lsa_list *l, const struct lsa_key *k)
{
	size_t mask = l->n_slots - 1, i = key_hash(k) & mask;
	while (l->slot[i]) {
		struct lsa_key x = entry_key(l, l->slot[i] - 1);
		if (lsa_key_eq(&x, k))
			return i;
		i = (i + 1) & mask;
	}
	return i;
}

static void rehash(struct lsa_list *l, size_t n_slots)
{
	free(l->slot);
	l->slot = xcalloc(n_slots, sizeof *l->slot);
	l->n_slots = n_slots;
	for (size_t j = 0; j < l->n; j++) {
		struct lsa_key k = entry_key(l, (uint32_t)j);
		l->slot[probe(l, &k)] = (uint32_t)j + 1;
	}
}

void lsa_list_free(struct lsa_list *l)
{
	free(l->e);
	free(l->slot);
	memset(l, 0, sizeof *l);
}

void lsa_list_clear(struct lsa_list *l)
{
	/* A big list emptied gives its memory back (an exchange of a whole
	 * database should not pin it for the life of the adjacency). */
	if (l->cap > 1024) {
		lsa_list_free(l);
		return;
	}
	l->n = l->n_sent = 0;
	if (l->slot)
		memset(l->slot, 0, l->n_slots * sizeof *l->slot);
}

struct lsa_list_entry *lsa_list_find(const struct lsa_list *l, const struct lsa_key *k)
{
	if (!l->n)
		return NULL;
	size_t i = probe(l, k);
	return l->slot[i] ? &l->e[l->slot[i] - 1] : NULL;
}

struct lsa_list_entry *lsa_list_put(struct lsa_list *l, const struct lsa_hdr *h)
{
	struct lsa_key k = lsa_key_of(h);
	struct lsa_list_entry *x = lsa_list_find(l, &k);
	if (x) {
		x->hdr = *h;
		return x;
	}
	if ((l->n + 1) * 2 > l->n_slots)
		rehash(l, l->n_slots ? l->n_slots * 2 : 16);
	l->e = xvec_grow(l->e, &l->cap, l->n + 1, sizeof *l->e);
	l->e[l->n] = (struct lsa_list_entry){ .hdr = *h };
	l->slot[probe(l, &k)] = (uint32_t)++l->n;
	return &l->e[l->n - 1];
}

/* Empty slot i, then move back the entries of its cluster that can now
 * sit closer to their home slot. */
static void slot_delete(struct lsa_list *l, size_t i)
{
	size_t mask = l->n_slots - 1, j = i;
	l->slot[i] = 0;
	for (;;) {
		j = (j + 1) & mask;
		if (!l->slot[j])
			return;
		struct lsa_key k = entry_key(l, l->slot[j] - 1);
		size_t home = key_hash(&k) & mask;
		/* j's entry stays if its home lies cyclically in (i, j]. */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		l->slot[i] = l->slot[j];
		l->slot[j] = 0;
		i = j;
	}
}

bool lsa_list_remove(struct lsa_list *l, const struct lsa_key *k)
{
	if (!l->n)
		return false;
	size_t i = probe(l, k);
	if (!l->slot[i])
		return false;
	uint32_t idx = l->slot[i] - 1, last = (uint32_t)l->n - 1;
	if (l->e[idx].sent)
		l->n_sent--;
	slot_delete(l, i);
	if (idx != last) {
		struct lsa_key lk = entry_key(l, last);
		l->slot[probe(l, &lk)] = idx + 1;
		l->e[idx] = l->e[last];
	}
	l->n--;
	return true;
}

void lsa_list_mark_sent(struct lsa_list *l, struct lsa_list_entry *e)
{
	if (!e->sent)
		l->n_sent++;
	e->sent = true;
}
