/* The link state database of the area (RFC 2328 12, 13.2, 14): LSAs kept
 * in wire form with their install time, aging, refresh of our own LSAs at
 * LSRefreshTime and removal of MaxAge LSAs. */
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/ospf_priv.h"
#include "proto/lib/bytes.h"
#include "proto/lib/cmp.h"

#define NOPOS SIZE_MAX

/* ---- the index: two chained hash tables ---- */

static uint32_t mix(uint32_t h, uint32_t v)
{
	h ^= v;
	h *= 0x9e3779b1u;
	return h ^ (h >> 15);
}

static size_t id_bucket(const struct ospf_lsdb *db, uint8_t type, uint32_t ls_id)
{
	return mix(mix(0x2545f491u, type), ls_id) & (db->n_buckets - 1);
}

static size_t key_bucket(const struct ospf_lsdb *db, const struct lsa_key *k)
{
	return mix(mix(mix(0x2545f491u, k->type), k->ls_id), k->adv_router) & (db->n_buckets - 1);
}

static void link_entry(struct ospf_lsdb *db, struct lsdb_entry *e)
{
	struct lsa_key k = lsa_key_of(&e->hdr);
	size_t b = key_bucket(db, &k);
	e->key_next = db->by_key[b];
	db->by_key[b] = e;
	b = id_bucket(db, e->hdr.type, e->hdr.ls_id);
	e->id_next = db->by_id[b];
	db->by_id[b] = e;
}

static void unlink_entry(struct ospf_lsdb *db, struct lsdb_entry *e)
{
	struct lsa_key k = lsa_key_of(&e->hdr);
	struct lsdb_entry **pp = &db->by_key[key_bucket(db, &k)];
	while (*pp != e)
		pp = &(*pp)->key_next;
	*pp = e->key_next;
	pp = &db->by_id[id_bucket(db, e->hdr.type, e->hdr.ls_id)];
	while (*pp != e)
		pp = &(*pp)->id_next;
	*pp = e->id_next;
}

/* Keep at most one entry per bucket on average: double and rehash. */
static void index_grow(struct ospf_lsdb *db, size_t need)
{
	if (need <= db->n_buckets)
		return;
	size_t nb = db->n_buckets ? db->n_buckets : 64;
	while (nb < need)
		nb *= 2;
	free(db->by_key);
	free(db->by_id);
	db->by_key = xcalloc(nb, sizeof *db->by_key);
	db->by_id = xcalloc(nb, sizeof *db->by_id);
	db->n_buckets = nb;
	for (size_t i = 0; i < db->n; i++)
		link_entry(db, db->e[i]);
}

struct lsdb_entry *lsdb_find(const struct ospf_lsdb *db, const struct lsa_key *k)
{
	if (!db->n_buckets)
		return NULL;
	for (struct lsdb_entry *e = db->by_key[key_bucket(db, k)]; e; e = e->key_next)
		if (e->hdr.type == k->type && e->hdr.ls_id == k->ls_id &&
		    e->hdr.adv_router == k->adv_router)
			return e;
	return NULL;
}

/* No clock here: a flushed LSA has MaxAge in its stored header, one that
 * aged out is marked by lsdb_tick. */
static bool live(const struct lsdb_entry *e)
{
	return e->hdr.age < MAX_AGE && !e->maxage_flooded;
}

const struct lsdb_entry *lsdb_find_live(const struct ospf_lsdb *db, uint8_t type, uint32_t ls_id,
					uint32_t adv_router)
{
	if (adv_router) {
		struct lsa_key k = { type, ls_id, adv_router };
		const struct lsdb_entry *e = lsdb_find(db, &k);
		return e && live(e) ? e : NULL;
	}
	if (!db->n_buckets)
		return NULL;
	const struct lsdb_entry *best = NULL;
	for (const struct lsdb_entry *e = db->by_id[id_bucket(db, type, ls_id)]; e; e = e->id_next)
		if (e->hdr.type == type && e->hdr.ls_id == ls_id && live(e) &&
		    (!best || e->hdr.adv_router < best->hdr.adv_router))
			best = e;
	return best;
}

static int key_cmp(const void *pa, const void *pb)
{
	const struct lsa_hdr *a = &(*(struct lsdb_entry *const *)pa)->hdr;
	const struct lsa_hdr *b = &(*(struct lsdb_entry *const *)pb)->hdr;
	int c = cmp_uint(key2(a->type, a->ls_id), key2(b->type, b->ls_id));
	return c ? c : cmp_uint(a->adv_router, b->adv_router);
}

struct lsdb_entry **lsdb_sorted(const struct ospf_lsdb *db)
{
	struct lsdb_entry **v = xcalloc(db->n ? db->n : 1, sizeof *v);
	if (db->n) /* an empty database has no array yet (memcpy from NULL: UB) */
		memcpy(v, db->e, db->n * sizeof *v);
	qsort(v, db->n, sizeof *v, key_cmp);
	return v;
}

/* ---- the aging heap (min-heap on due_ms) ---- */

static void heap_set(struct ospf_lsdb *db, size_t i, struct lsdb_entry *e)
{
	db->heap[i] = e;
	e->heap_pos = i;
}

static void heap_up(struct ospf_lsdb *db, size_t i)
{
	struct lsdb_entry *e = db->heap[i];
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (db->heap[parent]->due_ms <= e->due_ms)
			break;
		heap_set(db, i, db->heap[parent]);
		i = parent;
	}
	heap_set(db, i, e);
}

static void heap_down(struct ospf_lsdb *db, size_t i)
{
	struct lsdb_entry *e = db->heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= db->n_heap)
			break;
		if (c + 1 < db->n_heap && db->heap[c + 1]->due_ms < db->heap[c]->due_ms)
			c++;
		if (db->heap[c]->due_ms >= e->due_ms)
			break;
		heap_set(db, i, db->heap[c]);
		i = c;
	}
	heap_set(db, i, e);
}

static void heap_remove(struct ospf_lsdb *db, struct lsdb_entry *e)
{
	size_t i = e->heap_pos;
	if (i == NOPOS)
		return;
	e->heap_pos = NOPOS;
	struct lsdb_entry *last = db->heap[--db->n_heap];
	if (last == e)
		return;
	heap_set(db, i, last);
	heap_up(db, i);
	heap_down(db, last->heap_pos);
}

static void heap_push(struct ospf_lsdb *db, struct lsdb_entry *e, uint64_t due)
{
	e->due_ms = due;
	db->heap = xvec_grow(db->heap, &db->cap_heap, db->n_heap + 1, sizeof *db->heap);
	heap_set(db, db->n_heap++, e);
	heap_up(db, e->heap_pos);
}

/* ---- the MaxAge list ---- */

static void maxage_add(struct ospf_lsdb *db, struct lsdb_entry *e)
{
	if (e->maxage_pos != NOPOS)
		return;
	db->maxage = xvec_grow(db->maxage, &db->cap_maxage, db->n_maxage + 1, sizeof *db->maxage);
	e->maxage_pos = db->n_maxage;
	db->maxage[db->n_maxage++] = e;
}

static void maxage_remove(struct ospf_lsdb *db, struct lsdb_entry *e)
{
	size_t i = e->maxage_pos;
	if (i == NOPOS)
		return;
	e->maxage_pos = NOPOS;
	struct lsdb_entry *last = db->maxage[--db->n_maxage];
	if (last == e)
		return; /* else e would take back the position it leaves */
	db->maxage[i] = last;
	last->maxage_pos = i;
}

/* 14: when the entry reaches MaxAge. */
static uint64_t maxage_due(const struct lsdb_entry *e)
{
	return e->installed_ms + ms_of(MAX_AGE - e->hdr.age);
}

/* When the entry next needs the timer: LSRefreshTime for one of ours
 * (at once if it came in older than that, 13.4), else MaxAge. */
static uint64_t next_due(const struct ospf *o, const struct lsdb_entry *e)
{
	if (!lsdb_is_self(o, &e->hdr) || o->shutting_down)
		return maxage_due(e);
	if (e->hdr.age >= LS_REFRESH_TIME)
		return e->installed_ms;
	return e->installed_ms + ms_of(LS_REFRESH_TIME - e->hdr.age);
}

/* Put the entry where its state says: the heap while it ages, the MaxAge
 * list once it has reached MaxAge. */
static void schedule(struct ospf *o, struct lsdb_entry *e)
{
	struct ospf_lsdb *db = &o->db;
	heap_remove(db, e);
	if (e->hdr.age >= MAX_AGE) {
		maxage_add(db, e);
		return;
	}
	maxage_remove(db, e);
	heap_push(db, e, next_due(o, e));
}

/* 14: the age grows by one every second since installation. */
uint16_t lsdb_age(const struct lsdb_entry *e, uint64_t now)
{
	uint64_t age = e->hdr.age;
	if (age < MAX_AGE && now > e->installed_ms)
		age += (now - e->installed_ms) / 1000;
	return (uint16_t)(age > MAX_AGE ? MAX_AGE : age);
}

void lsdb_cur_hdr(const struct lsdb_entry *e, uint64_t now, struct lsa_hdr *out)
{
	*out = e->hdr;
	out->age = lsdb_age(e, now);
}

void lsdb_copy_aged(const struct lsdb_entry *e, uint64_t now, uint16_t delay, uint8_t *out)
{
	uint32_t age = lsdb_age(e, now) + (uint32_t)delay;
	memcpy(out, e->lsa, e->len);
	put16(out, (uint16_t)(age > MAX_AGE ? MAX_AGE : age));
}

bool lsdb_is_self(const struct ospf *o, const struct lsa_hdr *h)
{
	return h->adv_router == o->rid;
}

static bool spf_relevant(uint8_t type)
{
	return type >= LSA_ROUTER && type <= LSA_EXTERNAL; /* 16.1-16.4 */
}

/* 13.2: does the new instance change what the routing table is built from? */
static bool content_changed(const struct lsdb_entry *old, const uint8_t *lsa, size_t len)
{
	if (!old)
		return true;
	if ((old->hdr.age >= MAX_AGE) != (get16(lsa) >= MAX_AGE))
		return true;
	if (old->len != len || old->lsa[2] != lsa[2])
		return true;
	return memcmp(old->lsa + OSPF_LSA_HDR_LEN, lsa + OSPF_LSA_HDR_LEN,
		      len - OSPF_LSA_HDR_LEN) != 0;
}

struct lsdb_entry *lsdb_install(struct ospf *o, const uint8_t *lsa, size_t len, bool from_flood,
				uint64_t now)
{
	struct ospf_lsdb *db = &o->db;
	struct lsa_hdr h;

	lsa_hdr_decode(lsa, &h);
	if (h.age > MAX_AGE)
		h.age = MAX_AGE;
	struct lsa_key k = lsa_key_of(&h);
	struct lsdb_entry *e = lsdb_find(db, &k);
	bool changed = content_changed(e, lsa, len);

	uint8_t *copy = xmalloc(len);
	memcpy(copy, lsa, len);
	put16(copy, h.age);
	if (!e) {
		e = xcalloc(1, sizeof *e);
		e->hdr = h;
		e->heap_pos = e->maxage_pos = NOPOS;
		index_grow(db, db->n + 1);
		db->e = xvec_grow(db->e, &db->cap, db->n + 1, sizeof *db->e);
		e->pos = db->n;
		db->e[db->n++] = e;
		link_entry(db, e);
		overflow_lsdb_count(o, &h, +1);
	}
	free(e->lsa);
	e->lsa = copy;
	e->len = len;
	e->hdr = h;
	e->installed_ms = now;
	e->from_flood = from_flood;
	e->maxage_flooded = false;
	e->last_sent_ms = 0;
	schedule(o, e);
	if (changed && spf_relevant(h.type) && o->cb.lsdb_change)
		o->cb.lsdb_change(o->cb.ctx, h.age >= MAX_AGE ? "lsa flushed" : "lsa installed");
	return e;
}

/* Set the stored copy to MaxAge (from now on its age does not change). */
static void lsdb_set_maxage(struct ospf *o, struct lsdb_entry *e, uint64_t now)
{
	e->hdr.age = MAX_AGE;
	put16(e->lsa, MAX_AGE);
	e->installed_ms = now;
	schedule(o, e);
}

void lsdb_flush_self(struct ospf *o, struct lsdb_entry *e, uint64_t now)
{
	lsdb_set_maxage(o, e, now);
	e->maxage_flooded = true;
	o->ctr.lsa_flushed++;
	if (spf_relevant(e->hdr.type) && o->cb.lsdb_change)
		o->cb.lsdb_change(o->cb.ctx, "lsa flushed");
	flood(o, e, NULL, now);
}

/* 12.4 / 14: a new instance of our LSA with the same body every
 * LSRefreshTime, so that it never ages out elsewhere. */
static void lsdb_refresh_self(struct ospf *o, struct lsdb_entry *e, uint64_t now)
{
	if (seq_wrap_pending(o, e->hdr.type, e->hdr.ls_id, now))
		return;
	uint8_t *lsa = xmalloc(e->len);
	memcpy(lsa, e->lsa, e->len);
	put16(lsa, 0);
	put32(lsa + 12, (uint32_t)(e->hdr.seq + 1));
	lsa_set_checksum(lsa, e->len);
	originate_install(o, lsa, e->len, now);
	free(lsa);
}

static void lsdb_remove(struct ospf_lsdb *db, struct lsdb_entry *e)
{
	unlink_entry(db, e);
	heap_remove(db, e);
	maxage_remove(db, e);
	db->e[e->pos] = db->e[--db->n];
	db->e[e->pos]->pos = e->pos;
	free(e->lsa);
	free(e);
}

/* 14: an LSA reaching MaxAge is reflooded, then removed once acknowledged;
 * ours are refreshed at LSRefreshTime. Only the due entries are looked at. */
static void age_due(struct ospf *o, uint64_t now)
{
	struct ospf_lsdb *db = &o->db;
	while (db->n_heap && db->heap[0]->due_ms <= now) {
		struct lsdb_entry *e = db->heap[0];
		heap_remove(db, e);
		uint16_t age = lsdb_age(e, now);
		if (age >= MAX_AGE) {
			lsdb_set_maxage(o, e, now);
			e->maxage_flooded = true;
			if (spf_relevant(e->hdr.type) && o->cb.lsdb_change)
				o->cb.lsdb_change(o->cb.ctx, "lsa aged out");
			flood(o, e, NULL, now);
			continue;
		}
		if (age >= LS_REFRESH_TIME && lsdb_is_self(o, &e->hdr) && !o->shutting_down)
			lsdb_refresh_self(o, e, now); /* installs: scheduled again */
		/* Not refreshed (held back by a sequence number wrap, or we
		 * are shutting down): it ages out. */
		if (e->heap_pos == NOPOS && e->maxage_pos == NOPOS)
			heap_push(db, e, maxage_due(e));
	}
}

void lsdb_tick(struct ospf *o, uint64_t now)
{
	struct ospf_lsdb *db = &o->db;
	age_due(o, now);
	/* 14: a MaxAge LSA leaves the database when no neighbor still has to
	 * acknowledge it and no database exchange is in progress. */
	if (!db->n_maxage || any_nbr_exchanging(o))
		return;
	for (size_t i = db->n_maxage; i-- > 0;) {
		if (i >= db->n_maxage)
			continue;
		struct lsdb_entry *e = db->maxage[i];
		struct lsa_key k = lsa_key_of(&e->hdr);
		if (lsa_on_any_rxmt(o, &k))
			continue;
		bool wrapped = lsdb_is_self(o, &e->hdr) && e->hdr.seq == MAX_SEQ;
		overflow_lsdb_count(o, &e->hdr, -1);
		lsdb_remove(db, e);
		if (wrapped)
			seq_wrap_done(o, &k, now);
	}
}

uint64_t lsdb_deadline(const struct ospf *o)
{
	return o->db.n_heap ? o->db.heap[0]->due_ms : NEVER;
}

void lsdb_free(struct ospf_lsdb *db)
{
	for (size_t i = 0; i < db->n; i++) {
		free(db->e[i]->lsa);
		free(db->e[i]);
	}
	free(db->e);
	free(db->by_key);
	free(db->by_id);
	free(db->heap);
	free(db->maxage);
	memset(db, 0, sizeof *db);
}
