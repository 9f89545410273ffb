/* bfdpeer: run BFD sessions from the command line, for namespace tests.
 *
 *   bfdpeer IFNAME LOCAL PEER TX_MS RX_MS MULT [IFNAME LOCAL PEER TX RX MULT ...]
 *
 * Prints one line per state change ("STATE ifname peer Old -> New diag=...
 * peer_admin_down=0|1"); on SIGUSR1 prints "SHOW {json}", "COUNTERS {json}"
 * and "USR1 took N ms"; on SIGUSR2 only "COUNTERS {json}"; SIGTERM/SIGINT
 * delete the sessions (AdminDown) and exit.
 * BFDPEER_AUTH="TYPE:KEYID:SECRET" (TYPE the RFC 5880 Auth Type number)
 * authenticates every session with that key. */
#include <arpa/inet.h>
#include <ev.h>
#include <json-c/json.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fabricd/bfd_io.h"
#include "fabricd/show_bfd.h"
#include "proto/bfd/packet.h"

static struct bfd_io *io;

static const char *ip(uint32_t a, char *buf)
{
	struct in_addr in = { .s_addr = htonl(a) };
	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

static void on_state(void *ctx, uint32_t ifindex, uint32_t peer,
		     const struct bfd_state_change *ev)
{
	char name[IF_NAMESIZE] = "?", p[INET_ADDRSTRLEN];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if_indextoname(ifindex, name);
	printf("STATE %lld.%03ld %s %s %s -> %s diag=%s peer_admin_down=%d\n",
	       (long long)ts.tv_sec, ts.tv_nsec / 1000000, name, ip(peer, p),
	       bfd_state_name(ev->old_state), bfd_state_name(ev->new_state), bfd_diag_name(ev->diag),
	       ev->peer_admin_down ? 1 : 0);
}

static void on_usr1(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	struct json_object *show = show_bfd_sessions(io), *cnt = show_bfd_counters(io);
	printf("SHOW %s\n", json_object_to_json_string_ext(show, JSON_C_TO_STRING_PLAIN));
	printf("COUNTERS %s\n", json_object_to_json_string_ext(cnt, JSON_C_TO_STRING_PLAIN));
	json_object_put(show);
	json_object_put(cnt);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("USR1 took %.1f ms\n", (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
}

/* SIGUSR2: the counters only. Cheap at any scale: the show JSON of a
 * thousand sessions holds the loop for tens of ms, long enough to disturb
 * the sessions a benchmark measures. */
static void on_usr2(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct json_object *cnt = show_bfd_counters(io);
	printf("COUNTERS %s\n", json_object_to_json_string_ext(cnt, JSON_C_TO_STRING_PLAIN));
	json_object_put(cnt);
}

static void on_term(struct ev_loop *loop, ev_signal *w, int revents)
{
	ev_break(loop, EVBREAK_ALL);
}

static int parse_addr(const char *s, uint32_t *out)
{
	struct in_addr in;
	if (inet_pton(AF_INET, s, &in) != 1)
		return -1;
	*out = ntohl(in.s_addr);
	return 0;
}

/* BFDPEER_AUTH, or no key (returns 0). -1 when it is malformed. */
static int auth_from_env(struct bfd_auth_key *key)
{
	const char *e = getenv("BFDPEER_AUTH");
	unsigned type, id;
	int off = 0;
	if (e == NULL || *e == 0)
		return 0;
	if (sscanf(e, "%u:%u:%n", &type, &id, &off) != 2 || off == 0 || type < 1 || type > 5 ||
	    id > 255 || strlen(e + off) < 1 || strlen(e + off) > sizeof(key->secret))
		return -1;
	*key = (struct bfd_auth_key){ .type = (uint8_t)type, .key_id = (uint8_t)id,
				      .secret_len = (uint8_t)strlen(e + off) };
	memcpy(key->secret, e + off, key->secret_len);
	return 1;
}

static int add_session(char **a)
{
	struct bfd_auth_key key;
	int n_keys = auth_from_env(&key);
	if (n_keys < 0) {
		fprintf(stderr, "bfdpeer: BFDPEER_AUTH must be TYPE:KEYID:SECRET\n");
		return -1;
	}
	uint32_t local, peer;
	unsigned ifindex = if_nametoindex(a[0]);
	if (ifindex == 0 || parse_addr(a[1], &local) || parse_addr(a[2], &peer)) {
		fprintf(stderr, "bfdpeer: bad interface or address in '%s %s %s'\n", a[0], a[1], a[2]);
		return -1;
	}
	if (bfd_io_session_add(io, a[0], ifindex, local, peer, (uint32_t)atoi(a[3]),
			       (uint32_t)atoi(a[4]), (uint32_t)atoi(a[5]), &key,
			       (size_t)n_keys) != 0) {
		perror("bfdpeer: session");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 7 || (argc - 1) % 6 != 0) {
		fprintf(stderr, "usage: bfdpeer IFNAME LOCAL PEER TX_MS RX_MS MULT [...]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct ev_loop *loop = EV_DEFAULT;
	io = bfd_io_new(loop, on_state, NULL);
	if (io == NULL) {
		perror("bfdpeer: bfd_io_new");
		return 1;
	}
	for (int i = 1; i < argc; i += 6)
		if (add_session(argv + i) != 0)
			return 1;
	ev_signal usr1, usr2, term, intr;
	ev_signal_init(&usr1, on_usr1, SIGUSR1);
	ev_signal_init(&usr2, on_usr2, SIGUSR2);
	ev_signal_start(loop, &usr2);
	ev_signal_init(&term, on_term, SIGTERM);
	ev_signal_init(&intr, on_term, SIGINT);
	ev_signal_start(loop, &usr1);
	ev_signal_start(loop, &term);
	ev_signal_start(loop, &intr);
	printf("READY\n");
	ev_run(loop, 0);
	bfd_io_free(io);
	printf("EXIT\n");
	return 0;
}
