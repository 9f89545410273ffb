/* fib/fib.c: desired route table, diff to the kernel, local repair,
 * reconciliation.  Messages come from fib/route.c and fib/nhg.c, transport
 * from fib/nlbatch.c, group bookkeeping from fib/nhtab.c. */
#include "fib/fib.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "fib/nhg.h"
#include "fib/nhtab.h"
#include "fib/nlbatch.h"
#include "fib/route.h"
#include "proto/lib/vec.h"

#define SYNC_TIMEOUT_MS 5000

enum tag_kind {
	T_ROUTE_SET = 1,
	T_ROUTE_DEL,		/* errors other than ESRCH are reported */
	T_ROUTE_DEL_QUIET,	/* clean-up: errors ignored */
	T_NH_SET,
	T_NH_DEL,
};

struct froute {
	uint32_t prefix, metric;
	uint8_t plen;
	bool installed;
	int err;
	/* Without groups: the next hops (normalized); n == 0 when withdrawn by
	 * repair.  With groups the set lives in nhe (which repair edits in
	 * place, so no route needs touching); a dead nhe means withdrawn. */
	size_t n;
	struct fib_nh *nh;
	struct nhe *nhe;
	struct froute *next;
};

struct fib {
	struct nlbatch *nb;
	struct nl_sock *sync_sk;	/* blocking: dumps and probe */
	struct nhtab *nht;		/* NULL without groups */
	bool use_nhg;
	struct froute **rb;
	size_t nbuckets, nroutes;
	uint64_t errors;
	fib_result_cb *result_cb;
	void *ctx;
};

static uint32_t plen_mask(uint8_t plen)
{
	return plen ? 0xffffffffu << (32 - plen) : 0;
}

static size_t rslot(const struct fib *f, uint32_t prefix, uint8_t plen)
{
	uint32_t h = (prefix ^ ((uint32_t)plen << 24)) * 0x9e3779b1u;

	return (h ^ (h >> 16)) & (f->nbuckets - 1);
}

static struct froute *rlookup(const struct fib *f, uint32_t prefix, uint8_t plen)
{
	for (struct froute *r = f->rb[rslot(f, prefix, plen)]; r; r = r->next)
		if (r->prefix == prefix && r->plen == plen)
			return r;
	return NULL;
}

static int rgrow(struct fib *f)
{
	size_t old = f->nbuckets;
	struct froute **ob = f->rb;
	struct froute **nb = calloc(old * 2, sizeof(*nb));

	if (!nb)
		return -ENOMEM;
	f->rb = nb;
	f->nbuckets = old * 2;
	for (size_t i = 0; i < old; i++)
		for (struct froute *r = ob[i], *nx; r; r = nx) {
			size_t b = rslot(f, r->prefix, r->plen);

			nx = r->next;
			r->next = nb[b];
			nb[b] = r;
		}
	free(ob);
	return 0;
}

static struct froute *rinsert(struct fib *f, uint32_t prefix, uint8_t plen)
{
	struct froute *r;
	size_t b;

	if (f->nroutes >= f->nbuckets && rgrow(f) < 0)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->prefix = prefix;
	r->plen = plen;
	b = rslot(f, prefix, plen);
	r->next = f->rb[b];
	f->rb[b] = r;
	f->nroutes++;
	return r;
}

static void rremove(struct fib *f, struct froute *r)
{
	for (struct froute **pp = &f->rb[rslot(f, r->prefix, r->plen)]; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	f->nroutes--;
	free(r->nh);
	free(r);
}

/* The next hops r has in the kernel now (none when withdrawn). */
static size_t route_nh(const struct froute *r, const struct fib_nh **nh)
{
	if (r->nhe) {
		*nh = r->nhe->nh;
		return r->nhe->dead ? 0 : r->nhe->n;
	}
	*nh = r->nh;
	return r->n;
}

/* Queue msg with its tag; msg is always consumed. */
static int send_msg(struct fib *f, struct nl_msg *m, enum tag_kind kind, uint32_t prefix,
		    uint8_t plen, uint32_t metric, uint32_t id)
{
	struct nl_tag tag = { .kind = (uint8_t)kind, .plen = plen, .prefix = prefix,
			      .id = id, .metric = metric };
	int err;

	if (!m)
		return -ENOMEM;
	err = nlbatch_add(f->nb, m, &tag);
	nlmsg_free(m);
	return err;
}

static void on_ack(void *ctx, const struct nl_tag *tag, int err)
{
	struct fib *f = ctx;
	struct froute *r;
	struct nhe *e;

	if (err && !(tag->kind == T_ROUTE_DEL && err == ESRCH) &&
	    !(tag->kind == T_NH_DEL && err == ENOENT) && tag->kind != T_ROUTE_DEL_QUIET)
		f->errors++;
	switch (tag->kind) {
	case T_ROUTE_SET:
		r = rlookup(f, tag->prefix, tag->plen);
		if (r && r->metric == tag->metric) {
			r->installed = err == 0;
			r->err = err;
		}
		if (f->result_cb)
			f->result_cb(f->ctx, tag->prefix, tag->plen, err);
		break;
	case T_ROUTE_DEL:
		if (err && err != ESRCH && f->result_cb)
			f->result_cb(f->ctx, tag->prefix, tag->plen, err);
		break;
	case T_NH_SET:
		/* Retry the object the next time a route asks for it. */
		if (err && f->nht && (e = nhtab_by_id(f->nht, tag->id)) != NULL)
			e->need_push = true;
		break;
	default:
		break;
	}
}

/* nhtab frees a live entry: delete its kernel object. */
static void on_nhe_free(void *ctx, const struct nhe *e)
{
	struct fib *f = ctx;

	if (!e->need_push)	/* else its creation failed: nothing to delete */
		send_msg(f, fib_nhg_msg_del(e->id), T_NH_DEL, 0, 0, 0, e->id);
}

/* Create e in the kernel (members first) unless it is already there. */
static int push_nhe(struct fib *f, struct nhe *e)
{
	uint32_t *ids = NULL;
	int err = 0;

	if (e->group)
		for (size_t i = 0; i < e->n && err == 0; i++)
			err = push_nhe(f, e->mem[i]);
	if (err < 0 || !e->need_push)
		return err;
	if (e->group) {
		if (!(ids = malloc(e->n * sizeof(*ids))))
			return -ENOMEM;
		for (size_t i = 0; i < e->n; i++)
			ids[i] = e->mem[i]->id;
	}
	e->need_push = false;
	err = send_msg(f, e->group ? fib_nhg_msg_group(e->id, ids, e->n)
				   : fib_nhg_msg_single(e->id, &e->nh[0]),
		       T_NH_SET, 0, 0, 0, e->id);
	free(ids);
	return err;
}

/* Ids of protocol 188 objects already in the kernel are not ours to reuse. */
static void reserve_stale(void *ctx, const struct fib_knh *o)
{
	nhtab_reserve(ctx, o->id);
}

struct fib *fib_new(bool use_nhg, fib_result_cb *result_cb, void *ctx)
{
	struct fib *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->result_cb = result_cb;
	f->ctx = ctx;
	f->nbuckets = 1024;
	f->rb = calloc(f->nbuckets, sizeof(*f->rb));
	f->nb = nlbatch_new(on_ack, f);
	f->sync_sk = nl_socket_alloc();
	if (!f->rb || !f->nb || !f->sync_sk || nl_connect(f->sync_sk, NETLINK_ROUTE) < 0)
		goto fail;
	if (use_nhg && fib_nhg_probe(f->sync_sk)) {
		f->nht = nhtab_new(FIB_NHID_FIRST, on_nhe_free, f);
		if (!f->nht)
			goto fail;
		if (fib_nhg_dump(f->sync_sk, reserve_stale, f->nht) < 0)
			goto fail;
		f->use_nhg = true;
	}
	return f;
fail:
	fib_free(f);
	errno = ENOMEM;
	return NULL;
}

void fib_free(struct fib *f)
{
	if (!f)
		return;
	if (f->rb)
		for (size_t i = 0; i < f->nbuckets; i++)
			for (struct froute *r = f->rb[i], *nx; r; r = nx) {
				nx = r->next;
				free(r->nh);
				free(r);
			}
	free(f->rb);
	nhtab_free(f->nht);	/* no del callbacks: entries are just freed */
	nlbatch_free(f->nb);
	if (f->sync_sk)
		nl_socket_free(f->sync_sk);
	free(f);
}

bool fib_uses_nhg(const struct fib *f)
{
	return f->use_nhg;
}

int fib_fd(const struct fib *f)
{
	return nlbatch_fd(f->nb);
}

void fib_process(struct fib *f)
{
	nlbatch_process(f->nb);
}

void fib_batch_begin(struct fib *f)
{
	nlbatch_hold(f->nb);
}

int fib_batch_end(struct fib *f)
{
	return nlbatch_release(f->nb);
}

int fib_sync(struct fib *f)
{
	return nlbatch_wait(f->nb, SYNC_TIMEOUT_MS);
}

/* Point r at set[0..n) in the kernel with metric. */
static int install(struct fib *f, struct froute *r, uint32_t metric,
		   const struct fib_nh *set, size_t n)
{
	const struct fib_nh *cur;
	struct nhe *old = r->nhe, *e = NULL;
	bool had_kernel = route_nh(r, &cur) > 0;
	uint32_t old_metric = r->metric;
	int err;

	if (f->use_nhg) {
		e = nhtab_acquire(f->nht, set, n);
		if (!e)
			return -ENOMEM;
		err = push_nhe(f, e);
		if (err < 0) {
			nhtab_release(f->nht, e);
			return err;
		}
		free(r->nh);
		r->nh = NULL;
		r->n = 0;
	} else {
		struct fib_nh *copy = realloc(r->nh, n * sizeof(*copy));

		if (!copy)
			return -ENOMEM;
		memcpy(copy, set, n * sizeof(*set));
		r->nh = copy;
		r->n = n;
	}
	r->metric = metric;
	r->nhe = e;
	r->installed = false;
	r->err = 0;
	err = send_msg(f, fib_route_msg_set(r->prefix, r->plen, metric, set, n, e ? e->id : 0),
		       T_ROUTE_SET, r->prefix, r->plen, metric, 0);
	/* Make before break: the old metric's route goes after the new one. */
	if (had_kernel && old_metric != metric)
		send_msg(f, fib_route_msg_del(r->prefix, r->plen, old_metric),
			 T_ROUTE_DEL_QUIET, r->prefix, r->plen, old_metric, 0);
	if (old)
		nhtab_release(f->nht, old);
	return err;
}

int fib_route_set(struct fib *f, uint32_t prefix, uint8_t plen, uint32_t metric,
		  const struct fib_nh *nh, size_t n)
{
	const struct fib_nh *cur = NULL;
	struct fib_nh *set;
	struct froute *r;
	int err = 0;

	if (plen > 32 || n == 0 || !nh)
		return -EINVAL;
	if (!(set = malloc(n * sizeof(*set))))
		return -ENOMEM;
	prefix &= plen_mask(plen);
	memcpy(set, nh, n * sizeof(*nh));
	n = fib_nh_normalize(set, n);
	r = rlookup(f, prefix, plen);
	if (r && r->metric == metric && r->err == 0) {
		size_t ncur = route_nh(r, &cur);

		if (fib_nh_set_equal(cur, ncur, set, n))
			goto out;
	}
	if (!r) {
		r = rinsert(f, prefix, plen);
		if (!r) {
			err = -ENOMEM;
			goto out;
		}
		r->metric = metric;
	}
	err = install(f, r, metric, set, n);
out:
	free(set);
	return err;
}

int fib_route_del(struct fib *f, uint32_t prefix, uint8_t plen)
{
	const struct fib_nh *cur;
	struct froute *r;
	int err = 0;

	if (plen > 32)
		return -EINVAL;
	prefix &= plen_mask(plen);
	r = rlookup(f, prefix, plen);
	if (!r)
		return 0;
	if (route_nh(r, &cur) > 0)
		err = send_msg(f, fib_route_msg_del(prefix, plen, r->metric), T_ROUTE_DEL,
			       prefix, plen, r->metric, 0);
	if (r->nhe)
		nhtab_release(f->nht, r->nhe);
	rremove(f, r);
	return err;
}

bool fib_route_installed(const struct fib *f, uint32_t prefix, uint8_t plen, int *err)
{
	const struct froute *r = plen <= 32 ? rlookup(f, prefix & plen_mask(plen), plen) : NULL;

	bool withdrawn = r && r->nhe && r->nhe->dead;

	if (err)
		*err = !r ? ENOENT : withdrawn ? ENETDOWN : r->err;
	return r && r->installed && !withdrawn;
}

void fib_get_stats(const struct fib *f, struct fib_stats *st)
{
	st->msgs_sent = nlbatch_msgs(f->nb);
	st->errors = f->errors;
	st->routes = f->nroutes;
	st->nh_objects = f->nht ? nhtab_count(f->nht) : 0;
	st->inflight = nlbatch_inflight(f->nb);
}

/* ---- local repair ---- */

static bool nh_hit(const struct fib_nh *h, uint32_t ifindex, bool any_gw, uint32_t gw)
{
	return h->ifindex == ifindex && (any_gw || h->gw == gw);
}

static void withdraw(struct froute *r)
{
	r->n = 0;
	r->installed = false;
	r->err = ENETDOWN;
}

struct kill_ctx {
	struct fib *f;
	int msgs;
};

static void kill_nh(void *ctx, const struct nhe *e)
{
	struct kill_ctx *k = ctx;

	if (e->need_push)	/* never made it into the kernel */
		return;
	if (send_msg(k->f, fib_nhg_msg_del(e->id), T_NH_DEL, 0, 0, 0, e->id) == 0)
		k->msgs++;
}

/* Without groups: one replace (or delete) per affected route. */
static int repair_routes(struct fib *f, uint32_t ifindex, bool any_gw, uint32_t gw)
{
	int msgs = 0;

	for (size_t i = 0; i < f->nbuckets; i++)
		for (struct froute *r = f->rb[i]; r; r = r->next) {
			size_t out = 0, n = r->n;

			for (size_t j = 0; j < n; j++)
				if (!nh_hit(&r->nh[j], ifindex, any_gw, gw))
					r->nh[out++] = r->nh[j];
			if (out == n)
				continue;
			if (out == 0) {
				send_msg(f, fib_route_msg_del(r->prefix, r->plen, r->metric),
					 T_ROUTE_DEL_QUIET, r->prefix, r->plen, r->metric, 0);
				withdraw(r);
			} else {
				r->n = out;
				r->installed = false;
				send_msg(f, fib_route_msg_set(r->prefix, r->plen, r->metric,
							      r->nh, out, 0),
					 T_ROUTE_SET, r->prefix, r->plen, r->metric, 0);
			}
			msgs++;
		}
	return msgs;
}

static int repair(struct fib *f, uint32_t ifindex, bool any_gw, uint32_t gw)
{
	int msgs;

	nlbatch_hold(f->nb);
	/* With groups the kernel does all the work and nhtab mirrors it: the
	 * routes themselves are untouched (see route_nh). */
	if (f->use_nhg) {
		struct kill_ctx k = { f, 0 };

		nhtab_drop(f->nht, ifindex, any_gw, gw, kill_nh, &k);
		nlbatch_release(f->nb);
		return k.msgs;
	}
	msgs = repair_routes(f, ifindex, any_gw, gw);
	nlbatch_release(f->nb);
	return msgs;
}

int fib_repair_ifindex(struct fib *f, uint32_t ifindex)
{
	return repair(f, ifindex, true, 0);
}

int fib_repair_nexthop(struct fib *f, uint32_t gw, uint32_t ifindex)
{
	return repair(f, ifindex, false, gw);
}

/* ---- reconciliation ---- */

struct knh_list {
	struct fib_knh *v;
	size_t n, cap;
};

/* A copy of n elements of size sz (NULL for none or no memory). */
static void *dup_array(const void *p, size_t n, size_t sz)
{
	void *c = n ? malloc(n * sz) : NULL;

	if (c)
		memcpy(c, p, n * sz);
	return c;
}

static void collect_knh(void *ctx, const struct fib_knh *o)
{
	struct knh_list *l = ctx;
	struct fib_knh *c = VEC_PUSH(l->v, l->n, l->cap);

	if (!c)
		return;
	*c = *o;
	c->ids = dup_array(o->ids, o->n, sizeof(*o->ids));
	if (!c->ids)
		c->n = 0;
}

static void knh_list_free(struct knh_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].ids);
	free(l->v);
}

static const struct fib_knh *knh_find(const struct knh_list *l, uint32_t id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].id == id)
			return &l->v[i];
	return NULL;
}

/* Fill r->nh from the nexthop object r->nhid refers to. */
static void resolve(struct fib_kroute *r, const struct knh_list *nhs)
{
	const struct fib_knh *o = knh_find(nhs, r->nhid);

	free(r->nh);
	r->n = 0;
	r->nh = o ? calloc(o->group ? (o->n ? o->n : 1) : 1, sizeof(*r->nh)) : NULL;
	if (!r->nh)
		return;
	if (!o->group) {
		r->nh[r->n++] = o->nh;
		return;
	}
	for (size_t i = 0; i < o->n; i++) {
		const struct fib_knh *m = knh_find(nhs, o->ids[i]);

		if (m && !m->group)
			r->nh[r->n++] = m->nh;
	}
}

/* fib_kernel_routes: each route is resolved and handed on as the dump
 * delivers it (no copy of the table). */
struct kr_stream {
	const struct knh_list *nhs;
	fib_kroute_cb *cb;
	void *ctx;
	int n;
};

static void stream_kr(void *ctx, const struct fib_kroute *kr)
{
	struct kr_stream *s = ctx;
	struct fib_kroute r = *kr;

	if (r.nhid) { /* the next hops of a nexthop object: resolve() allocates them */
		r.nh = NULL;
		r.n = 0;
		resolve(&r, s->nhs);
	}
	s->cb(s->ctx, r.prefix, r.plen, r.metric, r.nh, r.n);
	if (kr->nhid)
		free(r.nh);
	s->n++;
}

int fib_kernel_routes(struct fib *f, fib_kroute_cb *cb, void *ctx)
{
	struct knh_list nhs = { 0 };
	struct kr_stream s = { &nhs, cb, ctx, 0 };
	int err;

	(void)fib_nhg_dump(f->sync_sk, collect_knh, &nhs);	/* none: no objects */
	err = fib_route_dump(f->sync_sk, stream_kr, &s);
	knh_list_free(&nhs);
	return err == 0 ? s.n : err;
}

/* What fib_reconcile needs of a kernel route: 12 bytes, not a copy of the
 * struct fib_kroute and its next hops (tens of MB of peak RSS for 100,000
 * routes). */
struct kr_key {
	uint32_t prefix, metric;
	uint8_t plen;
};

struct kr_keys {
	struct kr_key *v;
	size_t n, cap;
};

static void collect_key(void *ctx, const struct fib_kroute *r)
{
	struct kr_keys *l = ctx;
	struct kr_key *k = VEC_PUSH(l->v, l->n, l->cap);

	if (k)
		*k = (struct kr_key){ r->prefix, r->metric, r->plen };
}

int fib_reconcile(struct fib *f)
{
	struct kr_keys rs = { 0 };
	struct knh_list nhs = { 0 };
	int removed = 0, err;

	err = fib_route_dump(f->sync_sk, collect_key, &rs);
	if (err < 0)
		return err;
	nlbatch_hold(f->nb);
	for (size_t i = 0; i < rs.n; i++) {
		const struct froute *r = rlookup(f, rs.v[i].prefix, rs.v[i].plen);
		const struct fib_nh *cur;

		if (r && route_nh(r, &cur) > 0 && r->metric == rs.v[i].metric)
			continue;
		send_msg(f, fib_route_msg_del(rs.v[i].prefix, rs.v[i].plen, rs.v[i].metric),
			 T_ROUTE_DEL_QUIET, rs.v[i].prefix, rs.v[i].plen, rs.v[i].metric, 0);
		removed++;
	}
	nlbatch_release(f->nb);
	free(rs.v);
	fib_sync(f);
	if (fib_nhg_dump(f->sync_sk, collect_knh, &nhs) > 0) {
		nlbatch_hold(f->nb);
		/* Groups before singles, so no group is left shrinking. */
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < nhs.n; i++) {
				const struct nhe *e = f->nht ? nhtab_by_id(f->nht, nhs.v[i].id) : NULL;

				if (nhs.v[i].group != (pass == 0) || (e && !e->dead))
					continue;
				send_msg(f, fib_nhg_msg_del(nhs.v[i].id), T_NH_DEL, 0, 0, 0,
					 nhs.v[i].id);
				removed++;
			}
		nlbatch_release(f->nb);
	}
	knh_list_free(&nhs);
	fib_sync(f);
	return removed;
}

void fib_flush_all(struct fib *f)
{
	nlbatch_hold(f->nb);
	for (size_t i = 0; i < f->nbuckets; i++)
		while (f->rb[i])
			fib_route_del(f, f->rb[i]->prefix, f->rb[i]->plen);
	nlbatch_release(f->nb);
	fib_sync(f);
}
