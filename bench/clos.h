/* Synthetic Clos fabrics as lists of Router-LSA links, for bench_spf and
 * the LSA injector (tests/netns/lsinject): every router has a loopback stub
 * (its router id), every link is a numbered p2p link with its /31 as a stub
 * on both ends (RFC 2328 12.4.1.1), and leaves add a /24 host subnet.
 *
 * Router order: leaves first (pod-major), then spines (pod-major), then
 * super-spines (plane-major). Router i has id CLOS_RID_BASE + 1 + i. */
#ifndef BENCH_CLOS_H
#define BENCH_CLOS_H

#include <stddef.h>
#include <stdint.h>
#include "proto/ospf/lsa.h"

#define CLOS_LINK_BASE 0x64400000u /* 100.64.0.0/10: the /31s */
#define CLOS_HOST_BASE 0x0c000000u /* 12.0.0.0/8: leaf host /24s */
#define CLOS_RID_BASE 0x0a000000u  /* 10.0.0.0/8: router ids = loopbacks */

struct clos_rtr {
	uint32_t id;
	uint8_t flags;   /* Router-LSA flags (RTR_FLAG_E: an ASBR) */
	size_t n, cap;
	struct rtr_link *l;
};

struct clos {
	struct clos_rtr *r;
	size_t n;
	size_t n_leaves, n_spines;   /* leaves are 0.., spines follow */
	unsigned pods, planes, supers; /* 5-stage shape (0 for 3-stage) */
	uint32_t next_link;
};

/* 3-stage: every leaf linked to every spine. */
void clos_3stage(struct clos *f, unsigned spines, unsigned leaves);
/* 5-stage: pods of `planes` spines and `leaves` leaves; spine i of each pod
 * links to the `supers` super-spines of plane i. */
void clos_5stage(struct clos *f, unsigned pods, unsigned planes, unsigned leaves,
		 unsigned supers);
void clos_add_link(struct clos_rtr *r, uint8_t type, uint32_t id, uint32_t data, uint16_t metric);
/* Index of router id, or (size_t)-1. */
size_t clos_index(const struct clos *f, uint32_t id);
/* Router i of 5-stage plane p is a spine or super-spine of that plane. */
int clos_in_plane(const struct clos *f, size_t i, unsigned plane);
/* Largest Router-LSA of the fabric, in bytes. */
size_t clos_lsa_max(const struct clos *f);
/* Router i's Router-LSA (checksum set) into buf; its length, 0 if cap is short. */
size_t clos_lsa(const struct clos *f, size_t i, int32_t seq, uint16_t age, uint8_t *buf,
		size_t cap);
void clos_free(struct clos *f);

#endif
