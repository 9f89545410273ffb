/* show neighbors | interfaces | database | counters: the OSPF engine's state. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include "cli/ctl_server.h"
#include <string.h>
#include "fabricd/show.h"
#include "fabricd/bfd_io.h"
#include "proto/ospf/lsa.h"
#include "proto/lib/ipv4.h"

json_object *json_ip(uint32_t addr)
{
	char s[IPV4_STRLEN];
	return json_object_new_string(ipv4_str(addr, s));
}

json_object *json_prefix(uint32_t addr, unsigned plen)
{
	char s[IPV4_PREFIX_STRLEN];
	return json_object_new_string(ipv4_prefix_str(addr, plen, s));
}

static json_object *nbr_bfd(struct fabricd *d, const struct ospf_nbr_info *n)
{
	struct fd_iface *i = iface_by_index(d, n->ifindex);
	if (!d->bfd || !i || !i->cfg->bfd)
		return NULL;
	enum bfd_state st;
	bool have = bfd_io_session_state(d->bfd, n->ifindex, n->addr, &st);
	return json_object_new_string(have ? bfd_state_name(st) : "Down");
}

json_object *show_neighbors(struct fabricd *d)
{
	/* Every neighbor, however many: 2,000 forged Hellos must not hide a
	 * real one behind a fixed-size array. */
	struct ospf_iter it;
	struct ospf_nbr_info nb;
	uint64_t now = now_ms();
	json_object *arr = json_object_new_array();
	for (ospf_iter_init(&it, d->ospf); ospf_nbr_next(&it, &nb);) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "router_id", json_ip(nb.router_id));
		json_object_object_add(o, "address", json_ip(nb.addr));
		json_object_object_add(o, "interface", json_object_new_string(nb.ifname));
		json_object_object_add(o, "state", json_object_new_string(nsm_state_name(nb.state)));
		json_object_object_add(o, "priority", json_object_new_int(nb.priority));
		int64_t dead = nb.dead_deadline_ms > now ? (int64_t)(nb.dead_deadline_ms - now) : 0;
		json_object_object_add(o, "dead_time_ms", json_object_new_int64(dead));
		json_object_object_add(o, "uptime_s",
				       json_object_new_int64((int64_t)(now - nb.state_since_ms) / 1000));
		json_object_object_add(o, "bfd", nbr_bfd(d, &nb));
		json_object_object_add(o, "dr", json_ip(nb.dr));
		json_object_object_add(o, "bdr", json_ip(nb.bdr));
		json_object_object_add(o, "mtu_mismatch", json_object_new_boolean(nb.mtu_mismatch));
		json_object_object_add(o, "retransmit_count", json_object_new_int(nb.n_retransmit));
		json_object_object_add(o, "request_count", json_object_new_int(nb.n_request));
		json_object_object_add(o, "state_changes", json_object_new_int(nb.state_changes));
		json_object_array_add(arr, o);
	}
	json_object *top = json_object_new_object();
	json_object_object_add(top, "neighbors", arr);
	return top;
}

static const char *net_name(enum ospf_network n)
{
	return n == OSPF_NET_BROADCAST ? "broadcast" : "point-to-point";
}

/* Every IPv4 address of the port (the primary is "address"). */
static json_object *addresses_json(const struct fd_iface *i)
{
	json_object *arr = json_object_new_array();
	for (size_t k = 0; k < i->n_addrs; k++)
		json_object_array_add(arr, json_prefix(i->addrs[k].addr,
						       (uint8_t)__builtin_popcount(i->addrs[k].mask)));
	return arr;
}

static bool ospf_if_of(struct fabricd *d, uint32_t ifindex, struct ospf_if_info *out)
{
	struct ospf_iter it;
	for (ospf_iter_init(&it, d->ospf); ifindex && ospf_if_next(&it, out);)
		if (out->ifindex == ifindex)
			return true;
	return false;
}

json_object *show_interfaces(struct fabricd *d)
{
	json_object *arr = json_object_new_array();
	for (size_t k = 0; k < d->n_ifaces; k++) {
		struct fd_iface *i = d->ifaces[k];
		struct ospf_if_info info;
		const struct ospf_if_info *oi = ospf_if_of(d, i->ifindex, &info) ? &info : NULL;
		json_object *o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(i->name));
		json_object_object_add(o, "ifindex", i->ifindex ? json_object_new_int64(i->ifindex) : NULL);
		json_object_object_add(o, "present", json_object_new_boolean(i->ifindex != 0));
		json_object_object_add(o, "admin_up", json_object_new_boolean(i->admin_up));
		json_object_object_add(o, "carrier", json_object_new_boolean(i->carrier));
		json_object_object_add(o, "mtu", i->ifindex ? json_object_new_int64(i->mtu) : NULL);
		json_object_object_add(o, "address", i->addr ? json_prefix(i->addr, i->plen) : NULL);
		json_object_object_add(o, "addresses", addresses_json(i));
		json_object_object_add(o, "unnumbered", json_object_new_boolean(
			i->addr && i->plen == 32 && !i->loopback && !i->cfg->passive &&
			i->cfg->network != CONF_NET_BROADCAST));
		json_object_object_add(o, "network", json_object_new_string(net_name(
			i->cfg->network == CONF_NET_BROADCAST ? OSPF_NET_BROADCAST : OSPF_NET_P2P)));
		json_object_object_add(o, "passive", json_object_new_boolean(i->cfg->passive || i->loopback));
		json_object_object_add(o, "cost", json_object_new_int64(i->cfg->cost));
		json_object_object_add(o, "hello_interval", json_object_new_int64(i->cfg->hello_interval));
		json_object_object_add(o, "dead_interval", json_object_new_int64(i->cfg->dead_interval));
		json_object_object_add(o, "bfd", json_object_new_boolean(i->cfg->bfd));
		json_object_object_add(o, "auth", json_object_new_string(conf_auth_names[i->cfg->auth]));
		json_object_object_add(o, "auth_key", oi && oi->send_key_id
						     ? json_object_new_int(oi->send_key_id) : NULL);
		json_object_object_add(o, "dampened", json_object_new_boolean(dampen_held(i)));
		/* A passive port runs no protocol: say so rather than an ISM state. */
		bool passive = i->cfg->passive || i->loopback;
		const char *st = oi ? ism_state_name(oi->state) : "Down";
		json_object_object_add(o, "ospf_state", json_object_new_string(
			passive && oi && oi->state != ISM_DOWN ? "Passive" : st));
		json_object_object_add(o, "dr", oi && oi->dr ? json_ip(oi->dr) : NULL);
		json_object_object_add(o, "bdr", oi && oi->bdr ? json_ip(oi->bdr) : NULL);
		json_object_object_add(o, "neighbors", json_object_new_int64(oi ? oi->n_neighbors : 0));
		json_object_object_add(o, "adjacent", json_object_new_int64(oi ? oi->n_adjacent : 0));
		json_object_array_add(arr, o);
	}
	json_object *top = json_object_new_object();
	json_object_object_add(top, "interfaces", arr);
	return top;
}

static const char *lsa_type_name(uint8_t t)
{
	static const char *const names[] = { "unknown", "router", "network", "summary",
					     "asbr-summary", "external" };
	return t <= 5 ? names[t] : "unknown";
}

static json_object *lsa_links(const struct ospf_lsa_info *l)
{
	json_object *arr = json_object_new_array();
	if (l->hdr.type == LSA_ROUTER) {
		struct lsa_router r;
		struct rtr_link k;
		size_t off = 0;
		static const char *const tn[] = { "?", "point-to-point", "transit", "stub", "virtual" };
		if (!lsa_router_parse(l->lsa, l->len, &r))
			return arr;
		while (lsa_router_next_link(&r, &off, &k)) {
			json_object *o = json_object_new_object();
			json_object_object_add(o, "type", json_object_new_string(k.type <= 4 ? tn[k.type] : "?"));
			json_object_object_add(o, "link_id", json_ip(k.link_id));
			json_object_object_add(o, "link_data", json_ip(k.link_data));
			json_object_object_add(o, "metric", json_object_new_int(k.metric));
			json_object_array_add(arr, o);
		}
	} else if (l->hdr.type == LSA_NETWORK) {
		struct lsa_network nw;
		if (!lsa_network_parse(l->lsa, l->len, &nw))
			return arr;
		for (size_t k = 0; k < nw.n_routers; k++)
			json_object_array_add(arr, json_ip(lsa_network_router_at(&nw, k)));
	}
	return arr;
}

/* Summary-LSAs (A.4.4) and AS-external-LSAs (A.4.5): mask and metric. */
static void lsa_body_json(json_object *o, const struct ospf_lsa_info *l)
{
	struct lsa_summary sum;
	struct lsa_external ext;
	if (lsa_summary_parse(l->lsa, l->len, &sum)) {
		json_object_object_add(o, "netmask", json_ip(sum.netmask));
		json_object_object_add(o, "metric", json_object_new_int64(sum.metric));
	} else if (lsa_external_parse(l->lsa, l->len, &ext)) {
		json_object_object_add(o, "netmask", json_ip(ext.netmask));
		json_object_object_add(o, "metric", json_object_new_int64(ext.metric));
		json_object_object_add(o, "metric_type", json_object_new_int(ext.e2 ? 2 : 1));
		json_object_object_add(o, "forwarding_address", json_ip(ext.fwd_addr));
		json_object_object_add(o, "tag", json_object_new_int64(ext.tag));
	}
}

struct db_ctx {
	json_object *arr;
	bool detail;
	const struct show_db_filter *f;
};

static void db_add(void *ctx, const struct ospf_lsa_info *l)
{
	struct db_ctx *c = ctx;
	char buf[16];
	if (c->f && ((c->f->type && l->hdr.type != c->f->type) ||
		     (c->f->by_id && l->hdr.ls_id != c->f->ls_id)))
		return;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "type", json_object_new_string(lsa_type_name(l->hdr.type)));
	json_object_object_add(o, "ls_id", json_ip(l->hdr.ls_id));
	json_object_object_add(o, "adv_router", json_ip(l->hdr.adv_router));
	json_object_object_add(o, "age", json_object_new_int(l->hdr.age));
	snprintf(buf, sizeof(buf), "0x%08x", (uint32_t)l->hdr.seq);
	json_object_object_add(o, "sequence", json_object_new_string(buf));
	snprintf(buf, sizeof(buf), "0x%04x", l->hdr.checksum);
	json_object_object_add(o, "checksum", json_object_new_string(buf));
	json_object_object_add(o, "length", json_object_new_int(l->hdr.length));
	json_object_object_add(o, "self", json_object_new_boolean(l->self));
	if (c->detail && l->hdr.type >= LSA_SUMMARY) {
		lsa_body_json(o, l);
	} else if (c->detail) {
		if (l->hdr.type == LSA_NETWORK) {
			struct lsa_network nw;
			if (lsa_network_parse(l->lsa, l->len, &nw))
				json_object_object_add(o, "netmask", json_ip(nw.netmask));
			json_object_object_add(o, "attached_routers", lsa_links(l));
		} else {
			json_object_object_add(o, "links", lsa_links(l));
		}
	}
	json_object_array_add(c->arr, o);
}

json_object *show_database(struct fabricd *d, bool detail, const struct show_db_filter *f)
{
	struct db_ctx c = { json_object_new_array(), detail, f };
	ospf_lsdb_foreach(d->ospf, now_ms(), db_add, &c);
	json_object *top = json_object_new_object();
	json_object_object_add(top, "router_id", json_ip(d->conf.router_id));
	json_object_object_add(top, "area", json_ip(d->conf.area));
	json_object_object_add(top, "lsas", c.arr);
	return top;
}

static json_object *counters_raw(struct fabricd *d)
{
	struct ospf_counters c;
	ospf_counters_get(d->ospf, &c);
	json_object *ospf = json_object_new_object();
	json_object_object_add(ospf, "rx_packets", json_object_new_int64((int64_t)c.rx_packets));
	json_object_object_add(ospf, "tx_packets", json_object_new_int64((int64_t)c.tx_packets));
	json_object_object_add(ospf, "lsa_originated", json_object_new_int64((int64_t)c.lsa_originated));
	json_object_object_add(ospf, "lsa_received", json_object_new_int64((int64_t)c.lsa_received));
	json_object_object_add(ospf, "lsa_flushed", json_object_new_int64((int64_t)c.lsa_flushed));
	json_object_object_add(ospf, "retransmissions", json_object_new_int64((int64_t)c.retransmissions));
	json_object_object_add(ospf, "tx_auth_fail", json_object_new_int64((int64_t)c.tx_auth_fail));
	json_object_object_add(ospf, "hello_neighbors_omitted",
			       json_object_new_int64((int64_t)c.hello_nbrs_omitted));
	json_object *drops = json_object_new_object();
	for (int k = 1; k < OSPF_DROP__COUNT; k++)
		json_object_object_add(drops, ospf_drop_name((enum ospf_drop)k),
				       json_object_new_int64((int64_t)c.drops[k]));
	json_object_object_add(ospf, "drops", drops);
	/* LSAs not installed, and the bounds against a hostile neighbor. */
	uint32_t n_ext = 0;
	bool overflow = ospf_overflow_state(d->ospf, &n_ext);
	const struct { const char *k; uint64_t v; } lsa[] = {
		{ "lsa_unknown_type", c.lsa_unknown_type }, { "lsa_malformed", c.lsa_malformed },
		{ "lsa_bad_seq", c.lsa_bad_seq }, { "lsa_refused_overflow", c.lsa_refused_overflow },
		{ "lsr_duplicates", c.lsr_duplicates }, { "nbr_list_overflows", c.nbr_list_overflows },
		{ "external_lsas", n_ext },
	};
	for (size_t k = 0; k < sizeof lsa / sizeof *lsa; k++)
		json_object_object_add(ospf, lsa[k].k, json_object_new_int64((int64_t)lsa[k].v));
	json_object_object_add(ospf, "overflow_state", json_object_new_boolean(overflow));
	json_object *top = json_object_new_object();
	json_object_object_add(top, "ospf", ospf);
	json_object_object_add(top, "bfd", d->bfd ? show_bfd_counters(d->bfd) : NULL);
	json_object_object_add(top, "control", show_control_counters(d));
	return top;
}

/* clear counters keeps the counters as they were then; show counters
 * subtracts them. Gauges (sessions, the largest timer lateness) are not
 * counts and are left alone. */
static json_object *counters_base;
static uint64_t counters_cleared_ms;

static bool is_gauge(const char *key)
{
	return !strcmp(key, "sessions") || !strcmp(key, "timer_late_max_ms") ||
	       !strcmp(key, "external_lsas") || !strcmp(key, "clients") ||
	       !strcmp(key, "reply_bytes_pending");
}

static void subtract(json_object *now, json_object *base)
{
	json_object_object_foreach(now, k, v) {
		json_object *b = NULL;
		if (!json_object_object_get_ex(base, k, &b) || !b || is_gauge(k))
			continue;
		if (json_object_is_type(v, json_type_object))
			subtract(v, b);
		else if (json_object_is_type(v, json_type_int) && json_object_is_type(b, json_type_int)) {
			int64_t x = json_object_get_int64(v) - json_object_get_int64(b);
			json_object_set_int64(v, x > 0 ? x : 0);
		}
	}
}

json_object *show_counters(struct fabricd *d)
{
	json_object *top = counters_raw(d);
	if (counters_base) {
		subtract(top, counters_base);
		json_object_object_add(top, "cleared_ago_s",
				       json_object_new_int64((int64_t)(now_ms() - counters_cleared_ms) / 1000));
	}
	return top;
}

void show_counters_clear(struct fabricd *d)
{
	json_object_put(counters_base);
	counters_base = counters_raw(d);
	counters_cleared_ms = now_ms();
}

json_object *show_control_counters(struct fabricd *d)
{
	struct ctl_server_stats st;
	if (!d->ctl)
		return NULL;
	ctl_server_stats(d->ctl, &st);
	json_object *o = json_object_new_object();
	const struct { const char *k; uint64_t v; } f[] = {
		{ "clients", st.clients }, { "accepted", st.accepted }, { "evicted", st.evicted },
		{ "timed_out", st.timed_out }, { "dropped_slow", st.dropped_slow },
		{ "cached_replies", st.cached },
		{ "reply_bytes_pending", st.out_bytes },
	};
	for (size_t k = 0; k < sizeof f / sizeof *f; k++)
		json_object_object_add(o, f[k].k, json_object_new_int64((int64_t)f[k].v));
	return o;
}
