/* OSPFv2 packet codec (RFC 2328 A.3): common header, body shape checks,
 * list accessors, the five encoders, and the packet checksum (D.4.1/D.4.2). */
#include <string.h>
#include "proto/ospf/packet.h"
#include "proto/ospf/lsa.h"
#include "proto/lib/bytes.h"

#define HELLO_FIXED OSPF_HELLO_FIXED_LEN
#define DBDESC_FIXED 8   /* A.3.3: MTU, options, flags, DD sequence */
#define LSREQ_ENTRY 12   /* A.3.4: LS type (32 bits), LS id, adv router */
#define LSUPD_FIXED 4    /* A.3.5: # LSAs */
#define AUTH_OFF 16      /* A.3.1: the 64-bit authentication field */
#define AUTH_LEN 8

static const char *const drop_names[OSPF_DROP__COUNT] = {
	[OSPF_OK] = "ok",
	[OSPF_DROP_SHORT] = "short",
	[OSPF_DROP_VERSION] = "version",
	[OSPF_DROP_LENGTH] = "length",
	[OSPF_DROP_TYPE] = "type",
	[OSPF_DROP_CHECKSUM] = "checksum",
	[OSPF_DROP_AREA] = "area",
	[OSPF_DROP_AUTH_TYPE] = "auth_type",
	[OSPF_DROP_AUTH_FAIL] = "auth_fail",
	[OSPF_DROP_AUTH_SEQ] = "auth_seq",
	[OSPF_DROP_AUTH_KEY_ID] = "auth_key_id",
	[OSPF_DROP_AUTH_KEY_EXPIRED] = "auth_key_expired",
	[OSPF_DROP_AUTH_LEN] = "auth_length",
	[OSPF_DROP_MALFORMED] = "malformed",
	[OSPF_DROP_LSA_TRUNC] = "lsa_truncated",
	[OSPF_DROP_LSA_CHECKSUM] = "lsa_checksum",
	[OSPF_DROP_SELF] = "self",
	[OSPF_DROP_HELLO_MISMATCH] = "hello_mismatch",
	[OSPF_DROP_NO_NEIGHBOR] = "no_neighbor",
	[OSPF_DROP_BAD_DST] = "bad_dst",
	[OSPF_DROP_IFACE] = "interface",
	[OSPF_DROP_ROUTER_ID] = "bad_router_id",
};

const char *ospf_drop_name(enum ospf_drop d)
{
	if ((unsigned)d >= OSPF_DROP__COUNT || !drop_names[d])
		return "unknown";
	return drop_names[d];
}

/* RFC 1071: 16-bit one's complement sum, big-endian words, odd byte padded. */
static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	for (; len >= 2; p += 2, len -= 2)
		sum += get16(p);
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t inet_cksum(const uint8_t *buf, size_t len)
{
	return fold(sum16(0, buf, len));
}

/* D.4.1/D.4.2: the checksum covers the whole OSPF packet (hdr.length bytes)
 * except the 64-bit authentication field. Returns 0 on a correct packet, or
 * the value to store when the checksum field is zero. */
uint16_t ospf_packet_cksum(const uint8_t *buf, size_t len)
{
	if (len < OSPF_HDR_LEN)
		return 0;
	/* AUTH_OFF is even, so both halves keep the 16-bit word alignment. */
	uint32_t sum = sum16(0, buf, AUTH_OFF);
	sum = sum16(sum, buf + OSPF_HDR_LEN, len - OSPF_HDR_LEN);
	return fold(sum);
}

static void hdr_decode(const uint8_t *p, struct ospf_hdr *h)
{
	h->version = p[0];
	h->type = p[1];
	h->length = get16(p + 2);
	h->router_id = get32(p + 4);
	h->area_id = get32(p + 8);
	h->checksum = get16(p + 12);
	h->autype = get16(p + 14);
	memcpy(h->auth_simple, p + AUTH_OFF, AUTH_LEN);
	/* D.3 crypto layout: 0 (16 bits), key id, auth data len, seq. */
	h->key_id = p[18];
	h->auth_len = p[19];
	h->crypto_seq = get32(p + 20);
}

static enum ospf_drop hello_decode(const uint8_t *b, size_t blen, struct ospf_hello *h)
{
	if (blen < HELLO_FIXED || (blen - HELLO_FIXED) % 4)
		return OSPF_DROP_MALFORMED;
	h->netmask = get32(b);
	h->hello_interval = get16(b + 4);
	h->options = b[6];
	h->priority = b[7];
	h->dead_interval = get32(b + 8);
	h->dr = get32(b + 12);
	h->bdr = get32(b + 16);
	h->n_neighbors = (blen - HELLO_FIXED) / 4;
	h->neighbors = b + HELLO_FIXED;
	return OSPF_OK;
}

static enum ospf_drop dbdesc_decode(const uint8_t *b, size_t blen, struct ospf_dbdesc *d)
{
	if (blen < DBDESC_FIXED || (blen - DBDESC_FIXED) % OSPF_LSA_HDR_LEN)
		return OSPF_DROP_MALFORMED;
	d->mtu = get16(b);
	d->options = b[2];
	d->flags = b[3];
	d->dd_seq = get32(b + 4);
	d->n_lsa_hdrs = (blen - DBDESC_FIXED) / OSPF_LSA_HDR_LEN;
	d->lsa_hdrs = b + DBDESC_FIXED;
	return OSPF_OK;
}

/* A.3.4, A.3.6: a body of whole entries of `each` bytes (LS Request
 * entries, LSA headers). */
static enum ospf_drop entries_decode(const uint8_t *b, size_t blen, size_t each,
				     const uint8_t **list, size_t *n)
{
	if (blen % each)
		return OSPF_DROP_MALFORMED;
	*n = blen / each;
	*list = b;
	return OSPF_OK;
}

/* A.3.5: # LSAs then the LSAs, each sized by its own header. Every one of
 * them must fit, so later code can walk the list without bounds worries. */
static enum ospf_drop lsupd_decode(const uint8_t *b, size_t blen, struct ospf_lsupd *u)
{
	if (blen < LSUPD_FIXED)
		return OSPF_DROP_MALFORMED;
	u->n_lsas = get32(b);
	u->lsas = b + LSUPD_FIXED;
	u->lsas_len = blen - LSUPD_FIXED;
	size_t off = 0;
	for (uint32_t i = 0; i < u->n_lsas; i++) {
		if (u->lsas_len - off < OSPF_LSA_HDR_LEN)
			return OSPF_DROP_LSA_TRUNC;
		size_t l = get16(u->lsas + off + 18);
		if (l < OSPF_LSA_HDR_LEN || l > u->lsas_len - off)
			return OSPF_DROP_LSA_TRUNC;
		off += l;
	}
	if (off != u->lsas_len)
		return OSPF_DROP_MALFORMED; /* bytes after the announced LSAs */
	return OSPF_OK;
}

enum ospf_drop ospf_decode(const uint8_t *buf, size_t len, struct ospf_packet *out)
{
	if (!buf || len < OSPF_HDR_LEN)
		return OSPF_DROP_SHORT;
	memset(out, 0, sizeof(*out));
	hdr_decode(buf, &out->hdr);
	if (out->hdr.version != OSPF_VERSION)
		return OSPF_DROP_VERSION;
	/* With crypto auth the MD5 trailer follows hdr.length (D.4.3), so the
	 * buffer may be longer than the packet, never shorter. */
	if (out->hdr.length < OSPF_HDR_LEN || out->hdr.length > len)
		return OSPF_DROP_LENGTH;
	if (out->hdr.type < OSPF_HELLO || out->hdr.type > OSPF_LSACK)
		return OSPF_DROP_TYPE;
	/* D.4.1/D.4.2: with null or simple auth the packet carries a checksum
	 * whatever the interface expects; a corrupt one is dropped here. */
	if ((out->hdr.autype == OSPF_AUTH_NULL || out->hdr.autype == OSPF_AUTH_SIMPLE) &&
	    ospf_packet_cksum(buf, out->hdr.length) != 0)
		return OSPF_DROP_CHECKSUM;

	const uint8_t *b = buf + OSPF_HDR_LEN;
	size_t blen = out->hdr.length - OSPF_HDR_LEN;
	switch (out->hdr.type) {
	case OSPF_HELLO: return hello_decode(b, blen, &out->u.hello);
	case OSPF_DBDESC: return dbdesc_decode(b, blen, &out->u.dbdesc);
	case OSPF_LSREQ:
		return entries_decode(b, blen, LSREQ_ENTRY, &out->u.lsreq.entries, &out->u.lsreq.n);
	case OSPF_LSUPD: return lsupd_decode(b, blen, &out->u.lsupd);
	default:
		return entries_decode(b, blen, OSPF_LSA_HDR_LEN, &out->u.lsack.lsa_hdrs,
				      &out->u.lsack.n_lsa_hdrs);
	}
}

uint32_t ospf_hello_neighbor_at(const struct ospf_hello *h, size_t i)
{
	return i < h->n_neighbors ? get32(h->neighbors + 4 * i) : 0;
}

void ospf_dbdesc_hdr_at(const struct ospf_dbdesc *d, size_t i, struct lsa_hdr *out)
{
	if (i < d->n_lsa_hdrs)
		lsa_hdr_decode(d->lsa_hdrs + OSPF_LSA_HDR_LEN * i, out);
	else
		memset(out, 0, sizeof(*out));
}

void ospf_lsreq_at(const struct ospf_lsreq *r, size_t i, struct ospf_lsreq_entry *out)
{
	if (i >= r->n) {
		memset(out, 0, sizeof(*out));
		return;
	}
	const uint8_t *p = r->entries + LSREQ_ENTRY * i;
	out->type = get32(p);
	out->ls_id = get32(p + 4);
	out->adv_router = get32(p + 8);
}

const uint8_t *ospf_lsupd_next(const struct ospf_lsupd *u, size_t *off, size_t *len)
{
	if (*off >= u->lsas_len || u->lsas_len - *off < OSPF_LSA_HDR_LEN)
		return NULL;
	const uint8_t *p = u->lsas + *off;
	size_t l = get16(p + 18);
	if (l < OSPF_LSA_HDR_LEN || l > u->lsas_len - *off)
		return NULL;
	*off += l;
	*len = l;
	return p;
}

void ospf_lsack_hdr_at(const struct ospf_lsack *a, size_t i, struct lsa_hdr *out)
{
	if (i < a->n_lsa_hdrs)
		lsa_hdr_decode(a->lsa_hdrs + OSPF_LSA_HDR_LEN * i, out);
	else
		memset(out, 0, sizeof(*out));
}

/* A.3.1 header with autype 0 and zero checksum/auth; ospf_finish() fills
 * those once the body is complete. */
static void hdr_encode(uint8_t *buf, uint8_t type, size_t len, uint32_t router_id,
		       uint32_t area_id)
{
	buf[0] = OSPF_VERSION;
	buf[1] = type;
	put16(buf + 2, (uint16_t)len);
	put32(buf + 4, router_id);
	put32(buf + 8, area_id);
	memset(buf + 12, 0, OSPF_HDR_LEN - 12);
}

/* Total length if it fits both cap and the 16-bit length field, else 0. */
static size_t fits(size_t cap, size_t fixed, size_t n, size_t each)
{
	if (n > (0xffff - OSPF_HDR_LEN - fixed) / each)
		return 0;
	size_t len = OSPF_HDR_LEN + fixed + n * each;
	return len <= cap ? len : 0;
}

size_t ospf_hello_encode(uint8_t *buf, size_t cap, uint32_t router_id, uint32_t area_id,
			 const struct ospf_hello *h, const uint32_t *neighbors, size_t n)
{
	size_t len = fits(cap, HELLO_FIXED, n, 4);
	if (!len)
		return 0;
	hdr_encode(buf, OSPF_HELLO, len, router_id, area_id);
	uint8_t *b = buf + OSPF_HDR_LEN;
	put32(b, h->netmask);
	put16(b + 4, h->hello_interval);
	b[6] = h->options;
	b[7] = h->priority;
	put32(b + 8, h->dead_interval);
	put32(b + 12, h->dr);
	put32(b + 16, h->bdr);
	for (size_t i = 0; i < n; i++)
		put32(b + HELLO_FIXED + 4 * i, neighbors[i]);
	return len;
}

size_t ospf_dbdesc_encode(uint8_t *buf, size_t cap, uint32_t router_id, uint32_t area_id,
			  const struct ospf_dbdesc *d, const struct lsa_hdr *hdrs, size_t n)
{
	size_t len = fits(cap, DBDESC_FIXED, n, OSPF_LSA_HDR_LEN);
	if (!len)
		return 0;
	hdr_encode(buf, OSPF_DBDESC, len, router_id, area_id);
	uint8_t *b = buf + OSPF_HDR_LEN;
	put16(b, d->mtu);
	b[2] = d->options;
	b[3] = d->flags & (OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS);
	put32(b + 4, d->dd_seq);
	for (size_t i = 0; i < n; i++)
		lsa_hdr_encode(b + DBDESC_FIXED + OSPF_LSA_HDR_LEN * i, &hdrs[i]);
	return len;
}

size_t ospf_lsreq_encode(uint8_t *buf, size_t cap, uint32_t router_id, uint32_t area_id,
			 const struct ospf_lsreq_entry *e, size_t n)
{
	size_t len = fits(cap, 0, n, LSREQ_ENTRY);
	if (!len)
		return 0;
	hdr_encode(buf, OSPF_LSREQ, len, router_id, area_id);
	uint8_t *b = buf + OSPF_HDR_LEN;
	for (size_t i = 0; i < n; i++, b += LSREQ_ENTRY) {
		put32(b, e[i].type);
		put32(b + 4, e[i].ls_id);
		put32(b + 8, e[i].adv_router);
	}
	return len;
}

size_t ospf_lsupd_encode(uint8_t *buf, size_t cap, uint32_t router_id, uint32_t area_id,
			 const uint8_t *const *lsas, size_t n)
{
	size_t len = OSPF_HDR_LEN + LSUPD_FIXED;
	if (n > UINT32_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = get16(lsas[i] + 18);
		if (l < OSPF_LSA_HDR_LEN)
			return 0;
		len += l;
		if (len > 0xffff || len > cap)
			return 0;
	}
	if (len > cap)
		return 0;
	hdr_encode(buf, OSPF_LSUPD, len, router_id, area_id);
	put32(buf + OSPF_HDR_LEN, (uint32_t)n);
	uint8_t *b = buf + OSPF_HDR_LEN + LSUPD_FIXED;
	for (size_t i = 0; i < n; i++) {
		size_t l = get16(lsas[i] + 18);
		memmove(b, lsas[i], l);
		b += l;
	}
	return len;
}

size_t ospf_lsack_encode(uint8_t *buf, size_t cap, uint32_t router_id, uint32_t area_id,
			 const struct lsa_hdr *hdrs, size_t n)
{
	size_t len = fits(cap, 0, n, OSPF_LSA_HDR_LEN);
	if (!len)
		return 0;
	hdr_encode(buf, OSPF_LSACK, len, router_id, area_id);
	for (size_t i = 0; i < n; i++)
		lsa_hdr_encode(buf + OSPF_HDR_LEN + OSPF_LSA_HDR_LEN * i, &hdrs[i]);
	return len;
}
