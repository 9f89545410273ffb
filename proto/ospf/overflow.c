/* Database overflow (RFC 1765), configured as ospf.max-lsa: the LSDB never
 * holds more than max_lsa non-default AS-external-LSAs. One that would
 * exceed the limit is dropped unacknowledged (2.1); reaching the limit
 * enters OverflowState (2.2), logged once and counted; after
 * ospfExitOverflowInterval the state is left if the count has fallen below
 * the limit (2.4), else the timer runs again. Meanwhile our own
 * non-default externals are flushed and not originated (2.2, 2.3.2,
 * external.c), and originated again when the state ends. */
#include "proto/ospf/ospf_priv.h"

bool lsa_is_nondefault_ext(const struct lsa_hdr *h)
{
	/* The default route's AS-external-LSA has Link State ID 0.0.0.0 (A.4.5
	 * with a mask of 0; 12.4.4.1). */
	return h->type == LSA_EXTERNAL && h->ls_id != 0;
}

void overflow_lsdb_count(struct ospf *o, const struct lsa_hdr *h, int delta)
{
	if (!lsa_is_nondefault_ext(h))
		return;
	if (delta < 0 && o->n_ext_lsdb > 0)
		o->n_ext_lsdb--;
	else if (delta > 0)
		o->n_ext_lsdb++;
}

bool lsa_is_nondefault_ext_held(const struct ospf *o, const struct lsa_hdr *h)
{
	return o->overflow && lsa_is_nondefault_ext(h);
}

static void overflow_enter(struct ospf *o, uint64_t now)
{
	if (!o->overflow) {
		/* 2.2: our own non-default externals are flushed. */
		o->overflow = true;
		ext_schedule(o, now);
		ospf_logf(o, LOG_WARNING, "ospf: %zu non-default AS-external-LSAs reach max-lsa %u: "
			  "entering OverflowState (RFC 1765), new ones are refused", o->n_ext_lsdb,
			  o->lim.max_lsa);
	}
	o->overflow_exit_deadline = now + ms_of(o->lim.overflow_exit_s);
}

bool overflow_admit(struct ospf *o, const struct lsa_hdr *h, uint64_t now)
{
	if (!o->lim.max_lsa || !lsa_is_nondefault_ext(h))
		return true;
	if (o->n_ext_lsdb + 1 >= o->lim.max_lsa)
		overflow_enter(o, now);
	if (o->n_ext_lsdb < o->lim.max_lsa)
		return true;
	o->ctr.lsa_refused_overflow++;
	return false;
}

void overflow_tick(struct ospf *o, uint64_t now)
{
	if (!o->overflow || o->overflow_exit_deadline > now)
		return;
	if (o->lim.max_lsa && o->n_ext_lsdb >= o->lim.max_lsa) {
		o->overflow_exit_deadline = now + ms_of(o->lim.overflow_exit_s);
		return;
	}
	o->overflow = false;
	o->overflow_exit_deadline = NEVER;
	ext_schedule(o, now); /* 2.4: ours are originated again */
	ospf_logf(o, LOG_NOTICE, "ospf: %zu non-default AS-external-LSAs, below max-lsa %u: "
		  "leaving OverflowState", o->n_ext_lsdb, o->lim.max_lsa);
}

uint64_t overflow_deadline(const struct ospf *o)
{
	return o->overflow ? o->overflow_exit_deadline : NEVER;
}

void ospf_set_limits(struct ospf *o, const struct ospf_limits *l, uint64_t now)
{
	o->lim = *l;
	if (!o->lim.nbr_list_max)
		o->lim.nbr_list_max = OSPF_NBR_LIST_MAX_DEFAULT;
	if (!o->lim.overflow_exit_s)
		o->lim.overflow_exit_s = OSPF_OVERFLOW_EXIT_DEFAULT_S;
	if (o->overflow)
		o->overflow_exit_deadline = now; /* re-judged at the next tick */
}

bool ospf_overflow_state(const struct ospf *o, uint32_t *n_ext)
{
	if (n_ext)
		*n_ext = (uint32_t)o->n_ext_lsdb;
	return o->overflow;
}
