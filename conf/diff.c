/* conf_diff: what a reload has to act on. Interfaces are matched by name;
 * one counts as changed when any of its settings differs. */
#include <stdlib.h>
#include <string.h>

#include "conf/config.h"

static bool timers_equal(const struct conf_bfd_timers *a, const struct conf_bfd_timers *b)
{
	return a->tx_interval_ms == b->tx_interval_ms && a->rx_interval_ms == b->rx_interval_ms &&
	       a->multiplier == b->multiplier;
}

static bool spf_equal(const struct conf_spf *a, const struct conf_spf *b)
{
	return a->initial_delay_ms == b->initial_delay_ms && a->short_delay_ms == b->short_delay_ms &&
	       a->long_delay_ms == b->long_delay_ms && a->hold_down_ms == b->hold_down_ms &&
	       a->time_to_learn_ms == b->time_to_learn_ms;
}

static bool keys_equal(const struct conf_key *a, size_t na, const struct conf_key *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i].id != b[i].id || strcmp(a[i].secret, b[i].secret) != 0 ||
		    a[i].send_from != b[i].send_from || a[i].send_until != b[i].send_until ||
		    a[i].accept_from != b[i].accept_from || a[i].accept_until != b[i].accept_until)
			return false;
	return true;
}

static bool bfd_auth_equal(const struct conf_bfd_auth *a, const struct conf_bfd_auth *b)
{
	return a->type == b->type && keys_equal(a->keys, a->n_keys, b->keys, b->n_keys);
}

/* Field by field: `line` is where it was written, not a setting. The
 * effective BFD timers count where BFD runs, so an interface that inherits
 * the global timers shows as changed when those change; where BFD is off
 * on both sides they do not matter. */
static bool iface_equal(const struct conf_iface *a, const struct conf_iface *b)
{
	return a->passive == b->passive && a->network == b->network && a->cost == b->cost &&
	       a->hello_interval == b->hello_interval && a->dead_interval == b->dead_interval &&
	       a->retransmit_interval == b->retransmit_interval &&
	       a->transmit_delay == b->transmit_delay && a->priority == b->priority &&
	       a->bfd == b->bfd && a->bfd_timers_set == b->bfd_timers_set &&
	       (!(a->bfd || b->bfd) || timers_equal(&a->bfd_timers, &b->bfd_timers)) &&
	       a->bfd_auth_set == b->bfd_auth_set &&
	       (!(a->bfd || b->bfd) || bfd_auth_equal(&a->bfd_auth, &b->bfd_auth)) &&
	       a->auth == b->auth && keys_equal(a->keys, a->n_keys, b->keys, b->n_keys);
}

static bool rules_equal(const struct conf_prefix_rule *a, const struct conf_prefix_rule *b)
{
	return a->prefix == b->prefix && a->plen == b->plen && a->ge == b->ge && a->le == b->le;
}

/* In order: the entries' order is how they were written, not a setting,
 * but a reordering only costs one needless recomputation. */
static bool redist_equal(const struct conf *a, const struct conf *b)
{
	if (a->n_redist != b->n_redist)
		return false;
	for (size_t i = 0; i < a->n_redist; i++) {
		const struct conf_redistribute *x = &a->redist[i], *y = &b->redist[i];
		if (x->from != y->from || x->metric != y->metric ||
		    x->metric_type != y->metric_type || x->n_prefixes != y->n_prefixes)
			return false;
		for (size_t k = 0; k < x->n_prefixes; k++)
			if (!rules_equal(&x->prefixes[k], &y->prefixes[k]))
				return false;
	}
	return true;
}

void conf_diff(const struct conf *old, const struct conf *nw, struct conf_diff *d)
{
	memset(d, 0, sizeof(*d));
	d->router_id = old->router_id != nw->router_id;
	d->area = old->area != nw->area;
	d->bfd_timers = !timers_equal(&old->bfd, &nw->bfd);
	d->bfd_auth = !bfd_auth_equal(&old->bfd_auth, &nw->bfd_auth);
	d->rt_priority = old->rt_priority != nw->rt_priority;
	d->dampening = memcmp(&old->dampening, &nw->dampening, sizeof(nw->dampening)) != 0;
	d->spf = !spf_equal(&old->spf, &nw->spf) || old->maximum_paths != nw->maximum_paths;
	d->control = strcmp(old->socket, nw->socket) != 0 || strcmp(old->group, nw->group) != 0;
	d->max_metric = old->max_metric != nw->max_metric;
	d->max_lsa = old->max_lsa != nw->max_lsa;
	d->user = strcmp(old->user, nw->user) != 0;
	d->metrics = strcmp(old->metrics_listen, nw->metrics_listen) != 0;
	d->redistribute = !redist_equal(old, nw);

	/* calloc(0) may return NULL; one spare slot keeps the arrays valid. */
	d->added = calloc(nw->n_ifaces + 1, sizeof(*d->added));
	d->changed = calloc(nw->n_ifaces + 1, sizeof(*d->changed));
	d->removed = calloc(old->n_ifaces + 1, sizeof(*d->removed));
	if (!d->added || !d->changed || !d->removed) {
		/* Out of memory: no interface list, but say that everything
		 * changed so the caller restarts rather than misses a change. */
		conf_diff_free(d);
		d->router_id = d->area = d->bfd_timers = d->bfd_auth = d->rt_priority = d->dampening = true;
		d->spf = d->control = d->max_metric = d->max_lsa = d->metrics = d->redistribute = d->user = true;
		return;
	}
	for (size_t i = 0; i < nw->n_ifaces; i++) {
		const struct conf_iface *n = &nw->ifaces[i];
		const struct conf_iface *o = conf_iface_find(old, n->name);
		if (!o)
			d->added[d->n_added++] = n->name;
		else if (!iface_equal(o, n))
			d->changed[d->n_changed++] = n->name;
	}
	for (size_t i = 0; i < old->n_ifaces; i++)
		if (!conf_iface_find(nw, old->ifaces[i].name))
			d->removed[d->n_removed++] = old->ifaces[i].name;
}

void conf_diff_free(struct conf_diff *d)
{
	free(d->added);
	free(d->removed);
	free(d->changed);
	memset(d, 0, sizeof(*d));
}
