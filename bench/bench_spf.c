/* SPF benchmark on synthetic Clos fabrics built in-process as wire-form
 * Router-LSAs: every router has a loopback stub, every link is a numbered
 * p2p link with its /31 as a stub on both ends (RFC 2328 12.4.1.1), and
 * leaves add a /24 host subnet.
 *
 * It runs what fabricd runs: the LSAs go into an OSPF engine's own LSDB
 * through lsdb_install() (what a received Link State Update calls), and the
 * SPF reads them back through ospf_lsdb_lookup(), with a kept workspace
 * (spf_run_ws), as fabricd/routes.c does.
 *
 *   bench_spf [-n RUNS] [-x EXTERNALS] [-3 SPINES,LEAVES] [-5 PODS,PLANES,LEAVES,SUPERS]
 *
 * -3: 3-stage, every leaf linked to every spine (default 32,512).
 * -5: 5-stage: PODS pods of PLANES spines and LEAVES leaves; spine i of each
 *     pod links to the SUPERS super-spines of plane i (default 32,8,304,4:
 *     10,016 routers, 8-way ECMP between pods).
 * -L: also time the lookup fabricd had before its LSDB was indexed.
 * -x: also install EXTERNALS AS-external-LSAs (type 2, spread over the
 *     leaves, which become ASBRs): the SPF turns them into external routes
 *     (16.4), as fabricd's does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include "proto/ospf/spf.h"
#include "proto/ospf/lsa.h"
#include "proto/ospf/ospf.h"
#include "proto/ospf/ospf_priv.h"
#include "proto/lib/bytes.h"
#include "bench/clos.h"

struct fabric {
	struct clos c;
	size_t lsdb_bytes;
	struct ospf *o; /* the engine whose LSDB holds the fabric */
};

static void *xalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	if (!p) {
		perror("calloc");
		exit(1);
	}
	return p;
}

static double clock_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Encode every Router-LSA and install it in the LSDB of an engine whose
 * router id is the root's (router 0), as flooding would. */
static void fabric_lsdb(struct fabric *f)
{
	size_t cap = clos_lsa_max(&f->c);
	uint8_t *buf = xalloc(cap);
	f->o = ospf_new(f->c.r[0].id, 0, NULL, 1000);
	if (!f->o) {
		perror("ospf_new");
		exit(1);
	}
	double w0 = clock_ms(CLOCK_MONOTONIC);
	for (size_t i = 0; i < f->c.n; i++) {
		size_t len = clos_lsa(&f->c, i, INITIAL_SEQ, 1, buf, cap);
		lsdb_install(f->o, buf, len, true, 1000);
		f->lsdb_bytes += len;
	}
	printf("  LSDB: %zu Router-LSAs installed in %.1f ms\n", f->c.n,
	       clock_ms(CLOCK_MONOTONIC) - w0);
	free(buf);
}

/* The routers that will advertise externals set the E bit (A.4.2). */
static void mark_asbrs(struct fabric *f, size_t n_ext, size_t n_adv)
{
	for (size_t i = 0; i < n_ext && i < n_adv; i++)
		f->c.r[i].flags = RTR_FLAG_E;
}

/* AS-external-LSAs (A.4.5) for n /32s, advertised by the first routers
 * (the leaves), round robin. */
static void add_externals(struct fabric *f, size_t n, size_t n_adv)
{
	uint8_t lsa[36];
	double w0 = clock_ms(CLOCK_MONOTONIC);
	for (size_t i = 0; i < n; i++) {
		struct lsa_hdr h = { .age = 1, .options = 2, .type = LSA_EXTERNAL,
				     .ls_id = 0x0d000000u + (uint32_t)i,
				     .adv_router = f->c.r[i % n_adv].id, .seq = INITIAL_SEQ,
				     .length = sizeof lsa };
		memset(lsa, 0, sizeof lsa);
		lsa_hdr_encode(lsa, &h);
		put32(lsa + 20, 0xffffffffu);
		put32(lsa + 24, 0x80000014u); /* E bit, metric 20 */
		lsa_set_checksum(lsa, sizeof lsa);
		lsdb_install(f->o, lsa, sizeof lsa, true, 1000);
		f->lsdb_bytes += sizeof lsa;
	}
	printf("  LSDB: + %zu AS-external-LSAs installed in %.1f ms (%zu LSAs)\n", n,
	       clock_ms(CLOCK_MONOTONIC) - w0, f->o->db.n);
}

static void fabric_free(struct fabric *f)
{
	clos_free(&f->c);
	ospf_free(f->o);
	f->o = NULL;
	f->lsdb_bytes = 0;
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

/* The lookup fabricd used before the LSDB was indexed: the same LSDB,
 * scanned from the start for every lookup. Kept only to show in the same
 * run what the index changed (-L). */
static const uint8_t *linear_lookup(void *ctx, uint8_t type, uint32_t id, uint32_t adv,
				    size_t *len)
{
	const struct ospf *o = ctx;
	for (size_t i = 0; i < o->db.n; i++) {
		const struct lsdb_entry *e = o->db.e[i];
		if (e->hdr.type != type || e->hdr.ls_id != id || (adv && e->hdr.adv_router != adv))
			continue;
		if (e->hdr.age >= MAX_AGE || e->maxage_flooded)
			continue;
		*len = e->len;
		return e->lsa;
	}
	return NULL;
}

/* SPF from router 0 (a leaf) `runs` times. far_leaf: a leaf whose route
 * shows the ECMP width. */
static int bench(const char *name, struct fabric *f, unsigned runs, size_t far_leaf,
		 bool with_linear)
{
	size_t links = 0;
	for (size_t i = 0; i < f->c.n; i++)
		links += f->c.r[i].n;
	long rss0 = maxrss_kb();
	/* The root's interfaces: its /31 ends, ifindex 10+i. */
	const struct clos_rtr *root = &f->c.r[0];
	struct spf_iface *ifs = xalloc(root->n * sizeof(*ifs));
	size_t nif = 0;
	for (size_t i = 0; i < root->n; i++)
		if (root->l[i].type == RTR_LINK_P2P)
			ifs[nif++] = (struct spf_iface){ .ifindex = 10 + (uint32_t)nif,
							 .addr = root->l[i].link_data,
							 .mask = 0xfffffffe };
	struct spf_params p = { .root = root->id, .ifaces = ifs, .n_ifaces = nif, .max_paths = 64,
				.lookup = ospf_lsdb_lookup, .ctx = f->o, .each = ospf_lsdb_each };
	struct spf_result res = { 0 };
	struct spf_ws *ws = spf_ws_new();
	if (!ws)
		return 1;
	printf("%s: %zu routers, %zu router links, %zu LSAs, %.1f MB of LSAs\n", name, f->c.n,
	       links, f->o->db.n, f->lsdb_bytes / 1048576.0);
	/* Wall and CPU time: the machine may be shared, CPU time is what one
	 * core spends. spf_run_ws: a kept workspace and the previous result
	 * recycled, as the daemon runs it; spf_run: fresh buffers every run;
	 * "linear": the daemon's lookup before the LSDB had an index (a scan
	 * of the whole database per vertex), for comparison (-L). */
	static const char *const mode_name[] = { "spf_run_ws", "spf_run", "linear" };
	for (int mode = 0; mode < (with_linear ? 3 : 2); mode++) {
		double *wall = xalloc(runs * sizeof(double)), *cpu = xalloc(runs * sizeof(double));
		p.lookup = mode == 2 ? linear_lookup : ospf_lsdb_lookup;
		for (unsigned i = 0; i < runs; i++) {
			if (mode != 1)
				spf_ws_recycle(ws, &res);
			else
				spf_result_free(&res);
			double w0 = clock_ms(CLOCK_MONOTONIC), c0 = clock_ms(CLOCK_THREAD_CPUTIME_ID);
			int rc = mode != 1 ? spf_run_ws(&p, ws, &res) : spf_run(&p, &res);
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
		       mode_name[mode], runs, wall[0], wall[runs / 2], wall[runs - 1], cpu[0],
		       cpu[runs / 2], cpu[runs - 1]);
		free(wall);
		free(cpu);
	}
	spf_ws_free(ws);
	size_t n_nh = 0;
	for (size_t i = 0; i < res.n_routes; i++)
		n_nh += res.routes[i].n_nh;
	const struct spf_route *far = route_to(&res, f->c.r[far_leaf].id, 32);
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
	fprintf(stderr, "usage: bench_spf [-n RUNS] [-x EXTERNALS] [-L] [-3 SPINES,LEAVES] "
			"[-5 PODS,PLANES,LEAVES,SUPERS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned runs = 20, s3 = 32, l3 = 512, pods = 32, planes = 8, l5 = 304, sup = 4;
	unsigned long ext = 0;
	bool only3 = false, only5 = false, linear = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			runs = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "-x") && i + 1 < argc)
			ext = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-L"))
			linear = true;
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
	struct fabric f = { 0 };
	char name[128];
	if (do3) {
		snprintf(name, sizeof(name), "3-stage %u spines x %u leaves", s3, l3);
		printf("%s\n", name);
		clos_3stage(&f.c, s3, l3);
		mark_asbrs(&f, ext, l3);
		fabric_lsdb(&f);
		if (ext)
			add_externals(&f, ext, l3);
		if (bench(name, &f, runs, l3 - 1, linear))
			return 1;
		fabric_free(&f);
	}
	if (do5) {
		snprintf(name, sizeof(name),
			 "5-stage %u pods x (%u spines + %u leaves) + %u planes x %u super-spines",
			 pods, planes, l5, planes, sup);
		printf("%s\n", name);
		clos_5stage(&f.c, pods, planes, l5, sup);
		mark_asbrs(&f, ext, (size_t)pods * l5);
		fabric_lsdb(&f);
		if (ext)
			add_externals(&f, ext, (size_t)pods * l5);
		if (bench(name, &f, runs, (size_t)pods * l5 - 1, linear))
			return 1;
		fabric_free(&f);
	}
	return 0;
}
