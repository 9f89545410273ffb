/* Summary-LSA bodies, types 3 and 4 (RFC 2328 A.4.4): what an area border
 * router says about networks (3) and AS boundary routers (4) of other areas. */
#include "proto/ospf/lsa.h"
#include "proto/lib/bytes.h"

#define SUMMARY_LEN (OSPF_LSA_HDR_LEN + 8)

/* Network mask, then one byte 0 and the 24-bit TOS 0 metric; TOS entries
 * (4 bytes each) may follow and are ignored (TOS routing is gone, F.1). */
bool lsa_summary_parse(const uint8_t *lsa, size_t len, struct lsa_summary *out)
{
	if (len < SUMMARY_LEN || (len - SUMMARY_LEN) % 4 ||
	    (lsa[3] != LSA_SUMMARY && lsa[3] != LSA_ASBR_SUMMARY))
		return false;
	out->netmask = get32(lsa + 20);
	out->metric = get32(lsa + 24) & LS_INFINITY;
	return true;
}

size_t lsa_summary_build(uint8_t *buf, size_t cap, const struct lsa_hdr *h,
			 const struct lsa_summary *s)
{
	if (cap < SUMMARY_LEN)
		return 0;
	put32(buf + 20, s->netmask);
	put32(buf + 24, s->metric & LS_INFINITY);
	return lsa_finish(buf, h, SUMMARY_LEN);
}
