/* LSA header codec, Fletcher checksum, instance comparison and the bodies
 * of Router-LSAs and Network-LSAs (RFC 2328 12.1, 13.1, A.4). */
#include <string.h>
#include "proto/ospf/lsa.h"
#include "proto/lib/bytes.h"

void lsa_hdr_decode(const uint8_t *p, struct lsa_hdr *h)
{
	h->age = get16(p);
	h->options = p[2];
	h->type = p[3];
	h->ls_id = get32(p + 4);
	h->adv_router = get32(p + 8);
	h->seq = (int32_t)get32(p + 12);
	h->checksum = get16(p + 16);
	h->length = get16(p + 18);
}

void lsa_hdr_encode(uint8_t *p, const struct lsa_hdr *h)
{
	put16(p, h->age);
	p[2] = h->options;
	p[3] = h->type;
	put32(p + 4, h->ls_id);
	put32(p + 8, h->adv_router);
	put32(p + 12, (uint32_t)h->seq);
	put16(p + 16, h->checksum);
	put16(p + 18, h->length);
}

/* The Fletcher sums over the LSA without its age field (12.1.7): the
 * checksum covers bytes 2..len-1, and sits at bytes 16-17. */
static void fletcher_sums(const uint8_t *lsa, size_t len, int *c0, int *c1)
{
	int a = 0, b = 0;
	for (size_t i = 2; i < len; i++) {
		a += lsa[i];
		if (a >= 255)
			a -= 255;
		b += a;
		if (b >= 255)
			b -= 255;
	}
	*c0 = a;
	*c1 = b;
}

uint16_t lsa_checksum(const uint8_t *lsa, size_t len)
{
	uint8_t tmp[2] = { lsa[16], lsa[17] };
	int c0, c1;

	if (len < OSPF_LSA_HDR_LEN)
		return 0;
	/* Computed with the checksum field zeroed (ISO 8473 annex C). */
	((uint8_t *)lsa)[16] = 0;
	((uint8_t *)lsa)[17] = 0;
	fletcher_sums(lsa, len, &c0, &c1);
	((uint8_t *)lsa)[16] = tmp[0];
	((uint8_t *)lsa)[17] = tmp[1];

	/* Checksum octets at position 15,16 (1-based) of the summed data. */
	long pos = 15, n = (long)len - 2;
	long x = ((n - pos) * c0 - c1) % 255;
	if (x <= 0)
		x += 255;
	long y = 510 - c0 - x;
	if (y > 255)
		y -= 255;
	return (uint16_t)((x << 8) | y);
}

bool lsa_checksum_ok(const uint8_t *lsa, size_t len)
{
	int c0, c1;
	if (len < OSPF_LSA_HDR_LEN || get16(lsa + 16) == 0)
		return false;
	fletcher_sums(lsa, len, &c0, &c1);
	return c0 == 0 && c1 == 0;
}

void lsa_set_checksum(uint8_t *lsa, size_t len)
{
	put16(lsa + 16, 0);
	put16(lsa + 16, lsa_checksum(lsa, len));
}

/* 13.1: which of two instances of the same LSA is more recent. */
int lsa_compare(const struct lsa_hdr *a, const struct lsa_hdr *b)
{
	if (a->seq != b->seq)
		return a->seq > b->seq ? 1 : -1;
	if (a->checksum != b->checksum)
		return a->checksum > b->checksum ? 1 : -1;
	bool amax = a->age >= MAX_AGE, bmax = b->age >= MAX_AGE;
	if (amax != bmax)
		return amax ? 1 : -1;
	int diff = (int)a->age - (int)b->age;
	if (diff > MAX_AGE_DIFF || diff < -MAX_AGE_DIFF)
		return diff < 0 ? 1 : -1; /* the younger one is newer */
	return 0;
}

/* A.4.2: flags, 0, #links, then 12 bytes + 4 per TOS entry for each link. */
bool lsa_router_parse(const uint8_t *lsa, size_t len, struct lsa_router *out)
{
	if (len < OSPF_LSA_HDR_LEN + 4 || lsa[3] != LSA_ROUTER)
		return false;
	out->flags = lsa[20];
	out->n_links = get16(lsa + 22);
	out->links = lsa + 24;
	out->links_len = len - 24;
	size_t off = 0;
	struct rtr_link l;
	for (unsigned i = 0; i < out->n_links; i++)
		if (!lsa_router_next_link(out, &off, &l))
			return false;
	return true;
}

bool lsa_router_next_link(const struct lsa_router *r, size_t *off, struct rtr_link *out)
{
	if (*off + 12 > r->links_len)
		return false;
	const uint8_t *p = r->links + *off;
	size_t sz = 12 + 4 * (size_t)p[9];
	if (*off + sz > r->links_len)
		return false;
	out->link_id = get32(p);
	out->link_data = get32(p + 4);
	out->type = p[8];
	out->metric = get16(p + 10);
	*off += sz;
	return true;
}

size_t lsa_finish(uint8_t *buf, const struct lsa_hdr *h, size_t len)
{
	struct lsa_hdr hh = *h;
	hh.length = (uint16_t)len;
	hh.checksum = 0;
	lsa_hdr_encode(buf, &hh);
	lsa_set_checksum(buf, len);
	return len;
}

size_t lsa_router_build(uint8_t *buf, size_t cap, const struct lsa_hdr *h, uint8_t flags,
			const struct rtr_link *links, size_t n)
{
	size_t len = OSPF_LSA_HDR_LEN + 4 + 12 * n;
	if (len > cap || len > 0xffff || n > 0xffff)
		return 0;
	buf[20] = flags;
	buf[21] = 0;
	put16(buf + 22, (uint16_t)n);
	for (size_t i = 0; i < n; i++) {
		uint8_t *p = buf + 24 + 12 * i;
		put32(p, links[i].link_id);
		put32(p + 4, links[i].link_data);
		p[8] = links[i].type;
		p[9] = 0;
		put16(p + 10, links[i].metric);
	}
	return lsa_finish(buf, h, len);
}

/* A.4.3: network mask, then the attached routers. */
bool lsa_network_parse(const uint8_t *lsa, size_t len, struct lsa_network *out)
{
	if (len < OSPF_LSA_HDR_LEN + 4 || lsa[3] != LSA_NETWORK || (len - 24) % 4)
		return false;
	out->netmask = get32(lsa + 20);
	out->n_routers = (len - 24) / 4;
	out->routers = lsa + 24;
	return true;
}

uint32_t lsa_network_router_at(const struct lsa_network *n, size_t i)
{
	return get32(n->routers + 4 * i);
}

size_t lsa_network_build(uint8_t *buf, size_t cap, const struct lsa_hdr *h, uint32_t netmask,
			 const uint32_t *routers, size_t n)
{
	size_t len = OSPF_LSA_HDR_LEN + 4 + 4 * n;
	if (len > cap || len > 0xffff)
		return 0;
	put32(buf + 20, netmask);
	for (size_t i = 0; i < n; i++)
		put32(buf + 24 + 4 * i, routers[i]);
	return lsa_finish(buf, h, len);
}

bool lsa_body_ok(const uint8_t *lsa, size_t len)
{
	if (len < OSPF_LSA_HDR_LEN || len % 4)
		return false;
	switch (lsa[3]) {
	case LSA_ROUTER: {
		struct lsa_router r;
		size_t off = 0;
		struct rtr_link l;
		if (!lsa_router_parse(lsa, len, &r))
			return false;
		for (unsigned i = 0; i < r.n_links; i++)
			lsa_router_next_link(&r, &off, &l);
		return off == r.links_len;
	}
	case LSA_NETWORK: /* mask, then at least the DR */
		return len >= OSPF_LSA_HDR_LEN + 8;
	case LSA_SUMMARY:
	case LSA_ASBR_SUMMARY: /* mask, then TOS 0 and other TOS metrics */
		return len >= OSPF_LSA_HDR_LEN + 8;
	case LSA_EXTERNAL: /* mask, then 12 bytes per TOS */
		return len >= OSPF_LSA_HDR_LEN + 16 && (len - OSPF_LSA_HDR_LEN - 4) % 12 == 0;
	default:
		return false;
	}
}
