/* Cost of packet authentication, on the daemon's own code path: OSPF
 * ospf_finish_at + ospf_auth_verify_at for every autype / algorithm on a
 * Hello (44 bytes) and a full Link State Update (1,456 bytes, a 1500-byte
 * MTU less IP header and the largest trailer), BFD bfd_auth_encode_signed +
 * bfd_auth_verify for keyed MD5 and SHA1. The reference in the same run is
 * null authentication (the packet checksum alone), so the figures read as
 * ratios.
 *
 *   bench_auth [-n PACKETS]   (default 200000 per case) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "proto/bfd/auth.h"
#include "proto/ospf/packet.h"

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* An OSPF packet of `len` bytes (header + opaque body), as the encoders
 * leave it before ospf_finish. */
static void ospf_packet(uint8_t *buf, size_t len)
{
	memset(buf, 0, len);
	buf[0] = 2;
	buf[1] = len > 44 ? OSPF_LSUPD : OSPF_HELLO;
	for (size_t i = 24; i < len; i++)
		buf[i] = (uint8_t)(i * 31);
}

static double ospf_case(const struct ospf_auth *a, size_t len, long n)
{
	static uint8_t buf[1600];
	ospf_packet(buf, len);
	double t = now_s();
	for (long i = 0; i < n; i++) {
		size_t total = ospf_finish_at(buf, len, sizeof buf, a, (uint32_t)i, 0);
		if (!total || ospf_auth_verify_at(buf, total, a, NULL, 0) != OSPF_OK) {
			fprintf(stderr, "bench_auth: OSPF case failed\n");
			exit(1);
		}
	}
	return (now_s() - t) / (double)n * 1e6;
}

static double bfd_case(uint8_t type, long n)
{
	struct bfd_auth_key key = { .type = type, .key_id = 1, .secret_len = 10 };
	memcpy(key.secret, "bfd-secret", 10);
	struct bfd_auth_seq tx = { 0 }, rx = { 0 };
	uint8_t buf[BFD_MAX_PACKET_LEN];
	double t = now_s();
	for (long i = 0; i < n; i++) {
		struct bfd_packet p = { .state = BFD_STATE_UP, .detect_mult = 3, .my_discr = 1,
					.your_discr = 2, .desired_min_tx_us = 50000,
					.required_min_rx_us = 50000 };
		size_t len = bfd_auth_encode_signed(&key, &tx, &p, buf, sizeof buf);
		struct bfd_packet q;
		if (!len || bfd_packet_decode(buf, len, &q) != BFD_DROP_NONE ||
		    bfd_auth_verify(&key, &rx, &q, buf, len) != BFD_DROP_NONE) {
			fprintf(stderr, "bench_auth: BFD case failed\n");
			exit(1);
		}
	}
	return (now_s() - t) / (double)n * 1e6;
}

int main(int argc, char **argv)
{
	long n = 200000;
	int c;
	while ((c = getopt(argc, argv, "n:")) != -1)
		if (c == 'n')
			n = atol(optarg);
	if (n <= 0) {
		fprintf(stderr, "usage: bench_auth [-n PACKETS]\n");
		return 2;
	}
	static const char *const names[] = { "md5", "hmac-sha1", "hmac-sha256", "hmac-sha384",
					     "hmac-sha512" };
	static const size_t lens[] = { 44, 1456 };
	printf("%-14s %10s %10s   (us per packet, sign + verify; %ld packets)\n", "ospf auth",
	       "hello", "lsu-1456", n);
	struct ospf_auth none = { .type = OSPF_AUTH_NULL };
	double ref[2];
	for (int l = 0; l < 2; l++)
		ref[l] = ospf_case(&none, lens[l], n);
	printf("%-14s %10.3f %10.3f\n", "none", ref[0], ref[1]);
	for (int alg = 0; alg < 5; alg++) {
		struct ospf_auth a = { .type = OSPF_AUTH_CRYPTO, .alg = (enum ospf_crypto_alg)alg,
				       .n_keys = 1, .keys = { { .id = 1, .secret = "fabric-secret" } } };
		double us[2];
		for (int l = 0; l < 2; l++)
			us[l] = ospf_case(&a, lens[l], n);
		printf("%-14s %10.3f %10.3f   (x%.1f, x%.1f of none)\n", names[alg], us[0], us[1],
		       us[0] / ref[0], us[1] / ref[1]);
	}
	printf("%-14s %10s\n", "bfd auth", "control");
	printf("%-14s %10.3f\n", "keyed-md5", bfd_case(BFD_AUTH_KEYED_MD5, n));
	printf("%-14s %10.3f\n", "keyed-sha1", bfd_case(BFD_AUTH_KEYED_SHA1, n));
	return 0;
}
