/* AS-external-LSA bodies, type 5 (RFC 2328 A.4.5): routes an AS boundary
 * router imports from outside OSPF. */
#include "proto/ospf/lsa.h"
#include "proto/lib/bytes.h"

#define EXTERNAL_LEN (OSPF_LSA_HDR_LEN + 16)
#define EXT_E_BIT 0x80

/* Network mask, then per TOS 12 bytes: E bit + TOS, 24-bit metric,
 * forwarding address, external route tag. The first entry is TOS 0. */
bool lsa_external_parse(const uint8_t *lsa, size_t len, struct lsa_external *out)
{
	if (len < EXTERNAL_LEN || (len - EXTERNAL_LEN) % 12 || lsa[3] != LSA_EXTERNAL ||
	    (lsa[24] & 0x7f) != 0)
		return false;
	out->netmask = get32(lsa + 20);
	out->e2 = (lsa[24] & EXT_E_BIT) != 0;
	out->metric = get32(lsa + 24) & LS_INFINITY;
	out->fwd_addr = get32(lsa + 28);
	out->tag = get32(lsa + 32);
	return true;
}

size_t lsa_external_build(uint8_t *buf, size_t cap, const struct lsa_hdr *h,
			  const struct lsa_external *x)
{
	if (cap < EXTERNAL_LEN)
		return 0;
	put32(buf + 20, x->netmask);
	put32(buf + 24, x->metric & LS_INFINITY);
	buf[24] = x->e2 ? EXT_E_BIT : 0;
	put32(buf + 28, x->fwd_addr);
	put32(buf + 32, x->tag);
	return lsa_finish(buf, h, EXTERNAL_LEN);
}
