/* A virtual network for OSPF engine tests: a few ospf instances whose
 * interfaces sit on shared segments; sent packets are queued and delivered
 * with ospf_rx after 1 ms of virtual time (AllSPFRouters to everyone,
 * AllDRouters to those that joined it, unicast to the owner of the
 * address). No sockets, no real time. */
#ifndef TESTS_UNIT_OSPF_NET_H
#define TESTS_UNIT_OSPF_NET_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/ospf.h"
#include "proto/ospf/lsa.h"
#include "proto/lib/bytes.h"

#define NET_NODES 5
#define NET_PORTS 4
#define NET_DELAY_MS 1

struct net;

struct port {
	int seg;
	uint32_t ifindex, addr, mask;
	bool alldr;
};

struct node {
	struct net *net;
	int idx;
	struct ospf *o;
	uint32_t rid;
	struct port ports[NET_PORTS];
	int nports;
	unsigned nbr_changes, lsdb_changes;
	enum nsm_state last_new_state;
	/* every packet this node sent: type and destination */
	unsigned sent[6];
	uint8_t last_sent[6][2048];
	size_t last_sent_len[6];
};

struct pkt {
	uint64_t at;
	int node, port;
	uint32_t src, dst;
	uint8_t *buf;
	size_t len;
};

struct net {
	struct node nodes[NET_NODES];
	int n;
	struct pkt *q;
	size_t nq, capq;
	uint64_t now;
	bool seg_cut[8];    /* drop everything on this segment */
	bool verbose;
};

static inline struct port *node_port(struct node *nd, uint32_t ifindex)
{
	for (int i = 0; i < nd->nports; i++)
		if (nd->ports[i].ifindex == ifindex)
			return &nd->ports[i];
	return NULL;
}

static inline void net_enqueue(struct net *net, int node, int port, uint32_t src, uint32_t dst,
			       const uint8_t *buf, size_t len)
{
	if (net->nq == net->capq) {
		net->capq = net->capq ? 2 * net->capq : 64;
		net->q = realloc(net->q, net->capq * sizeof *net->q);
	}
	struct pkt *p = &net->q[net->nq++];
	p->at = net->now + NET_DELAY_MS;
	p->node = node;
	p->port = port;
	p->src = src;
	p->dst = dst;
	p->buf = malloc(len);
	memcpy(p->buf, buf, len);
	p->len = len;
}

static void cb_send(void *ctx, uint32_t ifindex, uint32_t dst, const uint8_t *buf, size_t len)
{
	struct node *nd = ctx;
	struct net *net = nd->net;
	struct port *sp = node_port(nd, ifindex);
	if (!sp || len < 2)
		return;
	uint8_t type = buf[1] <= 5 ? buf[1] : 0;
	nd->sent[type]++;
	if (len <= sizeof nd->last_sent[type]) {
		memcpy(nd->last_sent[type], buf, len);
		nd->last_sent_len[type] = len;
	}
	if (net->seg_cut[sp->seg])
		return;
	for (int i = 0; i < net->n; i++) {
		struct node *other = &net->nodes[i];
		if (other == nd)
			continue;
		for (int j = 0; j < other->nports; j++) {
			struct port *op = &other->ports[j];
			if (op->seg != sp->seg)
				continue;
			if (dst == OSPF_ALLSPF || (dst == OSPF_ALLDR && op->alldr) || dst == op->addr)
				net_enqueue(net, i, j, sp->addr, dst, buf, len);
		}
	}
}

static void cb_alldr(void *ctx, uint32_t ifindex, bool join)
{
	struct port *p = node_port(ctx, ifindex);
	if (p)
		p->alldr = join;
}

static void cb_nbr_change(void *ctx, uint32_t ifindex, uint32_t addr, uint32_t rid,
			  enum nsm_state old_state, enum nsm_state new_state)
{
	struct node *nd = ctx;
	nd->nbr_changes++;
	nd->last_new_state = new_state;
	if (nd->net->verbose)
		fprintf(stderr, "%6llu r%d: nbr %08x %s -> %s\n", (unsigned long long)nd->net->now,
			nd->idx, rid, nsm_state_name(old_state), nsm_state_name(new_state));
}

static void cb_lsdb_change(void *ctx, const char *why)
{
	struct node *nd = ctx;
	nd->lsdb_changes++;
}

static void cb_log(void *ctx, int level, const char *fmt, va_list ap)
{
	struct node *nd = ctx;
	if (!nd->net->verbose)
		return;
	fprintf(stderr, "%6llu r%d: ", (unsigned long long)nd->net->now, nd->idx);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* A fresh network for the next test (the suites' Check fixtures);
 * OSPF_VERBOSE=1 in the environment logs every engine's messages. */
static inline void net_reset(struct net *net)
{
	memset(net, 0, sizeof *net);
	net->verbose = getenv("OSPF_VERBOSE") != NULL;
}

static inline struct node *net_node(struct net *net, uint32_t rid)
{
	struct node *nd = &net->nodes[net->n];
	nd->net = net;
	nd->idx = net->n++;
	nd->rid = rid;
	struct ospf_callbacks cb = { nd, cb_send, cb_alldr, cb_nbr_change, cb_lsdb_change, cb_log };
	nd->o = ospf_new(rid, 0, &cb, net->now);
	return nd;
}

static inline struct ospf_if_config net_default_cfg(uint32_t ifindex, enum ospf_network nt)
{
	struct ospf_if_config c;
	memset(&c, 0, sizeof c);
	snprintf(c.name, sizeof c.name, "swp%u", ifindex);
	c.ifindex = ifindex;
	c.network = nt;
	c.cost = 10;
	c.hello_interval = 10;
	c.dead_interval = 40;
	c.retransmit_interval = 5;
	c.transmit_delay = 1;
	c.priority = 1;
	c.mtu = 1500;
	return c;
}

/* Attach an interface of nd to segment seg and bring it up. */
static inline void net_attach(struct node *nd, const struct ospf_if_config *cfg, int seg,
			      uint32_t addr, uint32_t mask)
{
	struct port *p = &nd->ports[nd->nports++];
	p->seg = seg;
	p->ifindex = cfg->ifindex;
	p->addr = addr;
	p->mask = mask;
	ospf_if_add(nd->o, cfg, nd->net->now);
	ospf_if_set_addr(nd->o, cfg->ifindex, addr, mask, nd->net->now);
	ospf_if_updown(nd->o, cfg->ifindex, true, nd->net->now);
}

/* Run the network until virtual time `until`. */
static inline void net_run(struct net *net, uint64_t until)
{
	for (;;) {
		uint64_t t = UINT64_MAX;
		size_t qi = 0;
		for (size_t i = 0; i < net->nq; i++)
			if (net->q[i].at < t) {
				t = net->q[i].at;
				qi = i;
			}
		int ti = -1;
		for (int i = 0; i < net->n; i++) {
			uint64_t d = ospf_next_deadline(net->nodes[i].o);
			if (d < t) {
				t = d;
				ti = i;
			}
		}
		if (t > until)
			break;
		if (t > net->now)
			net->now = t;
		if (ti >= 0) {
			ospf_tick(net->nodes[ti].o, net->now);
			continue;
		}
		struct pkt p = net->q[qi];
		memmove(&net->q[qi], &net->q[qi + 1], (net->nq - qi - 1) * sizeof *net->q);
		net->nq--;
		struct node *nd = &net->nodes[p.node];
		ospf_rx(nd->o, nd->ports[p.port].ifindex, p.src, p.dst, p.buf, p.len, net->now);
		free(p.buf);
	}
	net->now = until;
}

static inline void net_free(struct net *net)
{
	for (int i = 0; i < net->n; i++)
		ospf_free(net->nodes[i].o);
	for (size_t i = 0; i < net->nq; i++)
		free(net->q[i].buf);
	free(net->q);
}

/* The state of nd's neighbor with router id rid (NSM_DOWN if none). */
static inline bool nbr_info_of(struct node *nd, uint32_t rid, struct ospf_nbr_info *out)
{
	struct ospf_iter it;
	for (ospf_iter_init(&it, nd->o); ospf_nbr_next(&it, out);)
		if (out->router_id == rid)
			return true;
	return false;
}

static inline enum nsm_state nbr_state(struct node *nd, uint32_t rid)
{
	struct ospf_nbr_info info;
	return nbr_info_of(nd, rid, &info) ? info.state : NSM_DOWN;
}

static inline bool if_info_of(struct node *nd, uint32_t ifindex, struct ospf_if_info *out)
{
	struct ospf_iter it;
	for (ospf_iter_init(&it, nd->o); ospf_if_next(&it, out);)
		if (out->ifindex == ifindex)
			return true;
	return false;
}

/* Deliver a hand-made packet to nd as if sent by rid from src on its port. */
static inline void net_inject(struct node *nd, int port, uint32_t src, uint32_t dst, uint8_t *buf,
			      size_t len)
{
	struct ospf_auth none;
	memset(&none, 0, sizeof none);
	size_t total = ospf_finish(buf, len, len + 64, &none, 0);
	ospf_rx(nd->o, nd->ports[port].ifindex, src, dst, buf, total, nd->net->now);
}

static inline bool router_lsa_has_link(struct node *nd, uint32_t adv, uint8_t type, uint32_t id,
				       uint32_t data, uint16_t metric)
{
	size_t len;
	const uint8_t *lsa = ospf_lsdb_lookup(nd->o, LSA_ROUTER, adv, adv, &len);
	struct lsa_router r;
	if (!lsa || !lsa_router_parse(lsa, len, &r))
		return false;
	size_t off = 0;
	struct rtr_link l;
	while (lsa_router_next_link(&r, &off, &l))
		if (l.type == type && l.link_id == id && l.link_data == data && l.metric == metric)
			return true;
	return false;
}

static inline unsigned router_lsa_n_links(struct node *nd, uint32_t adv)
{
	size_t len;
	const uint8_t *lsa = ospf_lsdb_lookup(nd->o, LSA_ROUTER, adv, adv, &len);
	struct lsa_router r;
	if (!lsa || !lsa_router_parse(lsa, len, &r))
		return 0;
	return r.n_links;
}

static inline int32_t lsa_seq_of(struct node *nd, uint8_t type, uint32_t id, uint32_t adv)
{
	size_t len;
	const uint8_t *lsa = ospf_lsdb_lookup(nd->o, type, id, adv, &len);
	return lsa ? (int32_t)get32(lsa + 12) : 0;
}

#endif
