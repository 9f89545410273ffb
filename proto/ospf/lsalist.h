/* A neighbor's Link state request list or Link state retransmission list
 * (RFC 2328 10): LSA headers with a hash index on the LSA's identity
 * (type, Link State ID, Advertising Router, 12.1.4), so that the lookups
 * flooding makes for every LSA and every neighbor (13 steps 5c, 6, 7; 13.3
 * step 1; 13.7) cost O(1) instead of a walk of lists that a neighbor can
 * grow to a whole database.
 *
 * Entries are kept in an array; removal moves the last entry into the hole,
 * so the order is not the insertion order (neither list needs one: 10.9
 * asks for any entries, 13.6 retransmits all of them). */
#ifndef PROTO_OSPF_LSALIST_H
#define PROTO_OSPF_LSALIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto/ospf/lsa.h"

struct lsa_key;

struct lsa_list_entry {
	struct lsa_hdr hdr;
	bool sent;                 /* request list: in the last LS Request sent */
};

struct lsa_list {
	struct lsa_list_entry *e;
	size_t n, cap;
	size_t n_sent;             /* entries with sent set */
	uint32_t *slot;            /* open addressing: entry index + 1, 0 empty */
	size_t n_slots;            /* power of two, or 0 */
};

void lsa_list_free(struct lsa_list *l);
void lsa_list_clear(struct lsa_list *l);
struct lsa_list_entry *lsa_list_find(const struct lsa_list *l, const struct lsa_key *k);
/* The entry for h's LSA, added (sent = false) if absent; its header is
 * set to h either way. */
struct lsa_list_entry *lsa_list_put(struct lsa_list *l, const struct lsa_hdr *h);
bool lsa_list_remove(struct lsa_list *l, const struct lsa_key *k);
void lsa_list_mark_sent(struct lsa_list *l, struct lsa_list_entry *e);

#endif
