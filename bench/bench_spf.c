/* SPF benchmark on synthetic Clos fabrics built in-process as wire-form
 * Router-LSAs: every router has a loopback stub, every link is a numbered
 * p2p link with its /31 as a stub on both ends (RFC 2328 12.4.1.1), and
 * leaves add a /24 host subnet.
 *
 *   bench_spf [-n RUNS] [-x EXTERNALS] [-3 SPINES,LEAVES] [-5 PODS,PLANES,LEAVES,SUPERS]
 *
 * -x: every leaf is an AS boundary router (Router-LSA E bit) and the fabric
 *     holds that many AS-external-LSAs (E2, one /24 each, spread over the
 *     leaves): the SPF then also runs RFC 2328 16.4 (spf_ext.c).
 * -3: 3-stage, every leaf linked to every spine (default 32,512).
 * -5: 5-stage: PODS pods of PLANES spines and LEAVES leaves; spine i of each
 *     pod links to the SUPERS super-spines of plane i (default 32,8,304,4:
 *     10,016 routers, 8-way ECMP between pods). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include "proto/ospf/spf.h"
#include "proto/ospf/lsa.h"

#define LINK_BASE 0x64400000u /* 100.64.0.0/10: the /31s */
#define HOST_BASE 0x0c000000u /* 12.0.0.0/8: leaf host /24s */
#define RID_BASE 0x0a000000u  /* 10.0.0.0/8: router ids = loopbacks */
#define EXT_BASE 0x14000000u  /* 20.0.0.0/8: external /24s */
#define EXT_LEN (OSPF_LSA_HDR_LEN + 16)

struct rtr {
	uint32_t id;
	size_t n, cap;
	struct rtr_link *l;
};

struct fabric {
	struct rtr *r;
	size_t n;
	uint32_t next_link;
	/* LSDB: wire LSAs and an open-addressing index by router id */
	uint8_t *buf;
	size_t buf_len;
	size_t *off, *len;
	uint32_t *slot; /* router index + 1 */
	uint32_t slot_mask;
	size_t n_leaves;
	size_t n_ext;   /* AS-external-LSAs, EXT_LEN bytes each */
	uint8_t *ext;
};

static unsigned n_externals; /* -x */

static void *xalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	if (!p) {
		perror("calloc");
		exit(1);
	}
	return p;
}

static void add_link(struct rtr *r, uint8_t type, uint32_t id, uint32_t data, uint16_t metric)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->l = realloc(r->l, r->cap * sizeof(*r->l));
		if (!r->l) {
			perror("realloc");
			exit(1);
		}
	}
	r->l[r->n++] = (struct rtr_link){ .link_id = id, .link_data = data, .type = type,
					  .metric = metric };
}

static void connect(struct fabric *f, size_t a, size_t b)
{
	uint32_t sub = LINK_BASE + 2 * f->next_link++;
	add_link(&f->r[a], RTR_LINK_P2P, f->r[b].id, sub, 1);
	add_link(&f->r[a], RTR_LINK_STUB, sub, 0xfffffffe, 1);
	add_link(&f->r[b], RTR_LINK_P2P, f->r[a].id, sub + 1, 1);
	add_link(&f->r[b], RTR_LINK_STUB, sub, 0xfffffffe, 1);
}

static void fabric_init(struct fabric *f, size_t n, size_t n_leaves_first)
{
	memset(f, 0, sizeof(*f));
	f->n = n;
	f->n_leaves = n_leaves_first;
	f->r = xalloc(n * sizeof(*f->r));
	for (size_t i = 0; i < n; i++) {
		f->r[i].id = RID_BASE + 1 + (uint32_t)i;
		add_link(&f->r[i], RTR_LINK_STUB, f->r[i].id, 0xffffffff, 0);
		if (i < n_leaves_first)
			add_link(&f->r[i], RTR_LINK_STUB, HOST_BASE + ((uint32_t)i << 8), 0xffffff00, 10);
	}
}

static uint32_t slot_of(const struct fabric *f, uint32_t id)
{
	return (uint32_t)((id * 0x9e3779b1u) & f->slot_mask);
}

/* Encode every Router-LSA and index them. */
static void fabric_lsdb(struct fabric *f)
{
	size_t total = 0;
	for (size_t i = 0; i < f->n; i++)
		total += 24 + 12 * f->r[i].n;
	f->buf = xalloc(total);
	f->off = xalloc(f->n * sizeof(*f->off));
	f->len = xalloc(f->n * sizeof(*f->len));
	uint32_t cap = 1;
	while (cap < 2 * f->n)
		cap <<= 1;
	f->slot = xalloc(cap * sizeof(*f->slot));
	f->slot_mask = cap - 1;
	for (size_t i = 0; i < f->n; i++) {
		struct lsa_hdr h = { .age = 1, .options = 2, .type = LSA_ROUTER, .ls_id = f->r[i].id,
				     .adv_router = f->r[i].id, .seq = INITIAL_SEQ };
		f->off[i] = f->buf_len;
		uint8_t flags = n_externals && i < f->n_leaves ? RTR_FLAG_E : 0;
		f->len[i] = lsa_router_build(f->buf + f->buf_len, total - f->buf_len, &h, flags,
					     f->r[i].l, f->r[i].n);
		if (!f->len[i]) {
			fprintf(stderr, "router %zu: LSA too big\n", i);
			exit(1);
		}
		f->buf_len += f->len[i];
		uint32_t s = slot_of(f, f->r[i].id);
		while (f->slot[s])
			s = (s + 1) & f->slot_mask;
		f->slot[s] = (uint32_t)i + 1;
	}
}

/* -x: the AS-external-LSAs, round robin over the leaves. */
static void fabric_externals(struct fabric *f)
{
	f->n_ext = n_externals;
	f->ext = xalloc(f->n_ext * EXT_LEN);
	for (size_t i = 0; i < f->n_ext; i++) {
		uint32_t prefix = EXT_BASE + ((uint32_t)i << 8);
		struct lsa_hdr h = { .age = 1, .options = 2, .type = LSA_EXTERNAL, .ls_id = prefix,
				     .adv_router = f->r[i % f->n_leaves].id, .seq = INITIAL_SEQ };
		struct lsa_external x = { .netmask = 0xffffff00, .e2 = true, .metric = 20 };
		lsa_external_build(f->ext + i * EXT_LEN, EXT_LEN, &h, &x);
	}
}

static void each(void *ctx, uint8_t type, spf_lsa_fn fn, void *arg)
{
	const struct fabric *f = ctx;
	for (size_t i = 0; type == LSA_EXTERNAL && i < f->n_ext; i++)
		fn(arg, f->ext + i * EXT_LEN, EXT_LEN);
}

static const uint8_t *lookup(void *ctx, uint8_t type, uint32_t id, uint32_t adv, size_t *len)
{
	const struct fabric *f = ctx;
	if (type != LSA_ROUTER)
		return NULL;
	for (uint32_t s = slot_of(f, id); f->slot[s]; s = (s + 1) & f->slot_mask) {
		uint32_t i = f->slot[s] - 1;
		if (f->r[i].id == id) {
			*len = f->len[i];
			return f->buf + f->off[i];
		}
	}
	return NULL;
}

static void fabric_free(struct fabric *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->r[i].l);
	free(f->r);
	free(f->buf);
	free(f->off);
	free(f->len);
	free(f->slot);
	free(f->ext);
}

/* Leaves first (0..L-1), then spines. */
static void build_3stage(struct fabric *f, unsigned spines, unsigned leaves)
{
	fabric_init(f, (size_t)spines + leaves, leaves);
	for (unsigned l = 0; l < leaves; l++)
		for (unsigned s = 0; s < spines; s++)
			connect(f, l, leaves + s);
	fabric_lsdb(f);
	fabric_externals(f);
}

/* Leaves first (pod-major), then spines (pod-major), then super-spines
 * (plane-major). */
static void build_5stage(struct fabric *f, unsigned pods, unsigned planes, unsigned leaves,
			 unsigned supers)
{
	size_t nl = (size_t)pods * leaves, ns = (size_t)pods * planes;
	fabric_init(f, nl + ns + (size_t)planes * supers, nl);
	for (unsigned p = 0; p < pods; p++)
		for (unsigned l = 0; l < leaves; l++)
			for (unsigned s = 0; s < planes; s++)
				connect(f, (size_t)p * leaves + l, nl + (size_t)p * planes + s);
	for (unsigned p = 0; p < pods; p++)
		for (unsigned s = 0; s < planes; s++)
			for (unsigned k = 0; k < supers; k++)
				connect(f, nl + (size_t)p * planes + s, nl + ns + (size_t)s * supers + k);
	fabric_lsdb(f);
	fabric_externals(f);
}

static double clock_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static long maxrss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static const struct spf_route *route_to(const struct spf_result *r, uint32_t prefix, uint8_t plen)
{
	size_t lo = 0, hi = r->n_routes;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct spf_route *m = &r->routes[mid];
		if (m->prefix < prefix || (m->prefix == prefix && m->plen < plen))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->n_routes && r->routes[lo].prefix == prefix ? &r->routes[lo] : NULL;
}

/* SPF from router 0 (a leaf) `runs` times. far_leaf: a leaf whose route
 * shows the ECMP width. */
static int bench(const char *name, struct fabric *f, unsigned runs, size_t far_leaf)
{
	size_t links = 0;
	for (size_t i = 0; i < f->n; i++)
		links += f->r[i].n;
	long rss0 = maxrss_kb();
	/* The root's interfaces: its /31 ends, ifindex 10+i. */
	const struct rtr *root = &f->r[0];
	struct spf_iface *ifs = xalloc(root->n * sizeof(*ifs));
	size_t nif = 0;
	for (size_t i = 0; i < root->n; i++)
		if (root->l[i].type == RTR_LINK_P2P)
			ifs[nif++] = (struct spf_iface){ .ifindex = 10 + (uint32_t)nif,
							 .addr = root->l[i].link_data,
							 .mask = 0xfffffffe };
	struct spf_params p = { .root = root->id, .ifaces = ifs, .n_ifaces = nif, .max_paths = 64,
				.lookup = lookup, .ctx = f, .each = f->n_ext ? each : NULL };
	struct spf_result res = { 0 };
	struct spf_ws *ws = spf_ws_new();
	if (!ws)
		return 1;
	printf("%s: %zu routers, %zu router links, %zu AS-external-LSAs, LSDB %.1f MB\n", name,
	       f->n, links, f->n_ext, (f->buf_len + f->n_ext * EXT_LEN) / 1048576.0);
	/* Wall and CPU time: the machine may be shared, CPU time is what one
	 * core spends. spf_run: fresh buffers every run; spf_run_ws: a kept
	 * workspace and the previous result recycled, as the daemon runs it. */
	for (int mode = 0; mode < 2; mode++) {
		double *wall = xalloc(runs * sizeof(double)), *cpu = xalloc(runs * sizeof(double));
		for (unsigned i = 0; i < runs; i++) {
			if (mode)
				spf_ws_recycle(ws, &res);
			else
				spf_result_free(&res);
			double w0 = clock_ms(CLOCK_MONOTONIC), c0 = clock_ms(CLOCK_THREAD_CPUTIME_ID);
			int rc = mode ? spf_run_ws(&p, ws, &res) : spf_run(&p, &res);
			cpu[i] = clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
			wall[i] = clock_ms(CLOCK_MONOTONIC) - w0;
			if (rc) {
				fprintf(stderr, "spf_run failed\n");
				return 1;
			}
		}
		qsort(wall, runs, sizeof(double), cmp_double);
		qsort(cpu, runs, sizeof(double), cmp_double);
		printf("  %-10s x%u: wall min %.2f / median %.2f / max %.2f ms; "
		       "cpu min %.2f / median %.2f / max %.2f ms\n",
		       mode ? "spf_run_ws" : "spf_run", runs, wall[0], wall[runs / 2],
		       wall[runs - 1], cpu[0], cpu[runs / 2], cpu[runs - 1]);
		free(wall);
		free(cpu);
	}
	spf_ws_free(ws);
	size_t n_nh = 0;
	for (size_t i = 0; i < res.n_routes; i++)
		n_nh += res.routes[i].n_nh;
	const struct spf_route *far = route_to(&res, f->r[far_leaf].id, 32);
	printf("  %zu vertices, %zu routes, %zu next hops; result %.1f MB; "
	       "far leaf: cost %u, %u-way ECMP\n",
	       res.n_vertices, res.n_routes, n_nh,
	       (res.n_routes * sizeof(struct spf_route) + n_nh * sizeof(struct spf_nexthop)) /
		       1048576.0,
	       far ? far->cost : 0, far ? far->n_nh : 0);
	printf("  peak RSS %ld MB (before SPF %ld MB)\n", maxrss_kb() / 1024, rss0 / 1024);
	spf_result_free(&res);
	free(ifs);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_spf [-n RUNS] [-x EXTERNALS] [-3 SPINES,LEAVES] "
			"[-5 PODS,PLANES,LEAVES,SUPERS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned runs = 20, s3 = 32, l3 = 512, pods = 32, planes = 8, l5 = 304, sup = 4;
	bool only3 = false, only5 = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			runs = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "-x") && i + 1 < argc)
			n_externals = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "-3") && i + 1 < argc) {
			if (sscanf(argv[++i], "%u,%u", &s3, &l3) != 2)
				usage();
			only3 = true;
		} else if (!strcmp(argv[i], "-5") && i + 1 < argc) {
			if (sscanf(argv[++i], "%u,%u,%u,%u", &pods, &planes, &l5, &sup) != 4)
				usage();
			only5 = true;
		} else
			usage();
	}
	if (!runs || !s3 || !l3 || !pods || !planes || !l5 || !sup)
		usage();
	bool do3 = only3 || !only5, do5 = only5 || !only3;
	struct fabric f;
	char name[128];
	if (do3) {
		build_3stage(&f, s3, l3);
		snprintf(name, sizeof(name), "3-stage %u spines x %u leaves", s3, l3);
		if (bench(name, &f, runs, l3 - 1))
			return 1;
		fabric_free(&f);
	}
	if (do5) {
		build_5stage(&f, pods, planes, l5, sup);
		snprintf(name, sizeof(name),
			 "5-stage %u pods x (%u spines + %u leaves) + %u planes x %u super-spines",
			 pods, planes, l5, planes, sup);
		if (bench(name, &f, runs, (size_t)pods * l5 - 1))
			return 1;
		fabric_free(&f);
	}
	return 0;
}
