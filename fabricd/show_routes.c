/* show routes | fib | spf: the SPF result, what the kernel holds, and the
 * SPF scheduler. */
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include "fabricd/show.h"
#include "fib/fib.h"

static json_object *json_ifname(uint32_t ifindex)
{
	char name[IF_NAMESIZE];
	return json_object_new_string(if_indextoname(ifindex, name) ? name : "?");
}

/* {"via","interface","onlink"}: one next hop, as SPF wants it or as the
 * kernel has it; "onlink" (true) only through an unnumbered port. */
static void nexthop_add(json_object *arr, const struct fib_nh *nh)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "via", nh->gw ? json_ip(nh->gw) : NULL);
	json_object_object_add(o, "interface", json_ifname(nh->ifindex));
	if (nh->flags & FIB_NH_ONLINK)
		json_object_object_add(o, "onlink", json_object_new_boolean(true));
	json_object_array_add(arr, o);
}

/* SPF's next hops as they are installed (an unnumbered port's: the
 * neighbor's address, on-link), or as SPF has them when not usable now. */
json_object *json_nexthops(const struct fabricd *d, const struct spf_route *r)
{
	const struct spf_nexthop *nh = r->nh;
	json_object *arr = json_object_new_array();
	for (size_t k = 0; k < r->n_nh; k++) {
		struct fib_nh h = { .gw = nh[k].addr, .ifindex = nh[k].ifindex };
		if (!r->connected)
			routes_resolve_nh(d, &nh[k], &h);
		nexthop_add(arr, &h);
	}
	return arr;
}

json_object *show_routes(struct fabricd *d)
{
	json_object *arr = json_object_new_array();
	for (size_t k = 0; k < d->routes.n_routes; k++) {
		const struct spf_route *r = &d->routes.routes[k];
		int err = 0;
		bool inst = !r->connected && fib_route_installed(d->fib, r->prefix, r->plen, &err);
		json_object *o = json_object_new_object();
		json_object_object_add(o, "prefix", json_prefix(r->prefix, r->plen));
		json_object_object_add(o, "cost", json_object_new_int64(r->cost));
		json_object_object_add(o, "nexthops", json_nexthops(d, r));
		json_object_object_add(o, "installed", json_object_new_boolean(inst));
		json_object_object_add(o, "connected", json_object_new_boolean(r->connected));
		json_object_object_add(o, "adv_router", json_ip(r->adv_router));
		json_object_object_add(o, "path_type", json_object_new_string(spf_path_name(r->path)));
		if (r->path == SPF_EXT2)
			json_object_object_add(o, "type2_cost", json_object_new_int64(r->type2_cost));
		if (err)
			json_object_object_add(o, "error", json_object_new_string(strerror(err)));
		json_object_array_add(arr, o);
	}
	json_object *top = json_object_new_object();
	json_object_object_add(top, "routes", arr);
	return top;
}

/* show fib: our wanted routes side by side with the kernel's proto-ospf
 * routes; "match" says whether the next hops agree. */
struct fib_cmp {
	json_object *kernel; /* prefix -> nexthops array */
};

static void kernel_cb(void *ctx, uint32_t prefix, uint8_t plen, uint32_t metric,
		      const struct fib_nh *nh, size_t n)
{
	struct fib_cmp *c = ctx;
	json_object *arr = json_object_new_array();
	for (size_t k = 0; k < n; k++)
		nexthop_add(arr, &nh[k]);
	json_object *p = json_prefix(prefix, plen);
	json_object_object_add(c->kernel, json_object_get_string(p), arr);
	json_object_put(p);
}

json_object *show_fib(struct fabricd *d)
{
	struct fib_cmp c = { json_object_new_object() };
	fib_kernel_routes(d->fib, kernel_cb, &c);
	json_object *arr = json_object_new_array();
	for (size_t k = 0; k < d->routes.n_routes; k++) {
		const struct spf_route *r = &d->routes.routes[k];
		if (r->connected)
			continue;
		json_object *p = json_prefix(r->prefix, r->plen), *kn = NULL;
		json_object *want = json_nexthops(d, r);
		json_object_object_get_ex(c.kernel, json_object_get_string(p), &kn);
		json_object *o = json_object_new_object();
		json_object_object_add(o, "prefix", p);
		json_object_object_add(o, "wanted", want);
		json_object_object_add(o, "kernel", kn ? json_object_get(kn) : NULL);
		json_object_object_add(o, "match", json_object_new_boolean(kn && json_object_equal(kn, want)));
		json_object_array_add(arr, o);
		if (kn)
			json_object_object_del(c.kernel, json_object_get_string(p));
	}
	json_object_object_foreach(c.kernel, key, val) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "prefix", json_object_new_string(key));
		json_object_object_add(o, "wanted", NULL);
		json_object_object_add(o, "kernel", json_object_get(val));
		json_object_object_add(o, "match", json_object_new_boolean(false));
		json_object_array_add(arr, o);
	}
	json_object_put(c.kernel);
	json_object *top = json_object_new_object();
	json_object_object_add(top, "fib", arr);
	return top;
}

json_object *show_spf(struct fabricd *d)
{
	json_object *o = json_object_new_object();
	uint64_t now = now_ms();
	json_object_object_add(o, "runs", json_object_new_int64((int64_t)d->spf.runs));
	json_object_object_add(o, "last_duration_us", json_object_new_int64((int64_t)d->spf.last_duration_us));
	json_object_object_add(o, "last_run_ago_ms", d->spf.runs ? json_object_new_int64((int64_t)(now - d->spf.last_run_ms)) : NULL);
	json_object_object_add(o, "last_trigger", json_object_new_string(d->spf.last_trigger));
	json_object_object_add(o, "routes", json_object_new_int64((int64_t)d->spf.last_routes));
	json_object_object_add(o, "state", json_object_new_string(spf_sched_state_name(d->sched.state)));
	json_object_object_add(o, "current_delay_ms", json_object_new_int64((int64_t)spf_sched_current_delay(&d->sched)));
	json_object_object_add(o, "maximum_paths", json_object_new_int64(d->conf.maximum_paths));
	json_object *top = json_object_new_object();
	json_object_object_add(top, "spf", o);
	return top;
}
