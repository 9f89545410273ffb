/* The link state database of the area (RFC 2328 12, 13.2, 14): LSAs kept
 * in wire form with their install time, aging, refresh of our own LSAs at
 * LSRefreshTime and removal of MaxAge LSAs. */
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/ospf_priv.h"
#include "proto/lib/bytes.h"

static int key_cmp(const struct lsa_key *a, const struct lsa_hdr *b)
{
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->ls_id != b->ls_id)
		return a->ls_id < b->ls_id ? -1 : 1;
	if (a->adv_router != b->adv_router)
		return a->adv_router < b->adv_router ? -1 : 1;
	return 0;
}

/* Binary search: the index of k, or where it would go. */
static size_t lsdb_pos(const struct ospf_lsdb *db, const struct lsa_key *k, bool *found)
{
	size_t lo = 0, hi = db->n;
	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(k, &db->e[mid]->hdr);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

struct lsdb_entry *lsdb_find(const struct ospf_lsdb *db, const struct lsa_key *k)
{
	bool found;
	size_t i = lsdb_pos(db, k, &found);
	return found ? db->e[i] : NULL;
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
	return type == LSA_ROUTER || type == LSA_NETWORK;
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
	bool found;

	lsa_hdr_decode(lsa, &h);
	if (h.age > MAX_AGE)
		h.age = MAX_AGE;
	struct lsa_key k = lsa_key_of(&h);
	size_t i = lsdb_pos(db, &k, &found);
	struct lsdb_entry *e = found ? db->e[i] : NULL;
	bool changed = content_changed(e, lsa, len);

	uint8_t *copy = malloc(len);
	if (!copy)
		abort();
	memcpy(copy, lsa, len);
	put16(copy, h.age);
	if (!e) {
		e = calloc(1, sizeof *e);
		if (!e)
			abort();
		db->e = ospf_grow(db->e, &db->cap, db->n + 1, sizeof *db->e);
		memmove(&db->e[i + 1], &db->e[i], (db->n - i) * sizeof *db->e);
		db->e[i] = e;
		db->n++;
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
	if (changed && spf_relevant(h.type) && o->cb.lsdb_change)
		o->cb.lsdb_change(o->cb.ctx, h.age >= MAX_AGE ? "lsa flushed" : "lsa installed");
	return e;
}

/* Set the stored copy to MaxAge (from now on its age does not change). */
static void lsdb_set_maxage(struct lsdb_entry *e, uint64_t now)
{
	e->hdr.age = MAX_AGE;
	put16(e->lsa, MAX_AGE);
	e->installed_ms = now;
}

void lsdb_flush_self(struct ospf *o, struct lsdb_entry *e, uint64_t now)
{
	lsdb_set_maxage(e, now);
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
	uint8_t *lsa = malloc(e->len);
	if (!lsa)
		abort();
	memcpy(lsa, e->lsa, e->len);
	put16(lsa, 0);
	put32(lsa + 12, (uint32_t)(e->hdr.seq + 1));
	lsa_set_checksum(lsa, e->len);
	originate_install(o, lsa, e->len, now);
	free(lsa);
}

static void lsdb_remove_at(struct ospf_lsdb *db, size_t i)
{
	free(db->e[i]->lsa);
	free(db->e[i]);
	memmove(&db->e[i], &db->e[i + 1], (db->n - i - 1) * sizeof *db->e);
	db->n--;
}

void lsdb_tick(struct ospf *o, uint64_t now)
{
	struct ospf_lsdb *db = &o->db;
	for (size_t i = 0; i < db->n; i++) {
		struct lsdb_entry *e = db->e[i];
		uint16_t age = lsdb_age(e, now);
		if (e->hdr.age < MAX_AGE && age >= MAX_AGE) {
			/* 14: an LSA reaching MaxAge is reflooded, then removed
			 * once acknowledged. */
			lsdb_set_maxage(e, now);
			e->maxage_flooded = true;
			if (spf_relevant(e->hdr.type) && o->cb.lsdb_change)
				o->cb.lsdb_change(o->cb.ctx, "lsa aged out");
			flood(o, e, NULL, now);
		} else if (age >= LS_REFRESH_TIME && age < MAX_AGE && lsdb_is_self(o, &e->hdr) &&
			   !o->shutting_down) {
			lsdb_refresh_self(o, e, now);
		}
	}
	/* 14: a MaxAge LSA leaves the database when no neighbor still has to
	 * acknowledge it and no database exchange is in progress. */
	if (any_nbr_exchanging(o))
		return;
	for (size_t i = db->n; i-- > 0;) {
		struct lsdb_entry *e = db->e[i];
		struct lsa_key k = lsa_key_of(&e->hdr);
		if (e->hdr.age < MAX_AGE || lsa_on_any_rxmt(o, &k))
			continue;
		bool wrapped = lsdb_is_self(o, &e->hdr) && e->hdr.seq == MAX_SEQ;
		overflow_lsdb_count(o, &e->hdr, -1);
		lsdb_remove_at(db, i);
		if (wrapped)
			seq_wrap_done(o, &k, now);
	}
}

uint64_t lsdb_deadline(const struct ospf *o)
{
	uint64_t t = NEVER;
	for (size_t i = 0; i < o->db.n; i++) {
		const struct lsdb_entry *e = o->db.e[i];
		if (e->hdr.age >= MAX_AGE)
			continue;
		uint32_t until = lsdb_is_self(o, &e->hdr) && !o->shutting_down ? LS_REFRESH_TIME
										 : MAX_AGE;
		if (e->hdr.age < until)
			t = min_u64(t, e->installed_ms + ms_of(until - e->hdr.age));
		else
			t = min_u64(t, e->installed_ms);
	}
	return t;
}

void lsdb_free(struct ospf_lsdb *db)
{
	for (size_t i = 0; i < db->n; i++) {
		free(db->e[i]->lsa);
		free(db->e[i]);
	}
	free(db->e);
	db->e = NULL;
	db->n = db->cap = 0;
}
