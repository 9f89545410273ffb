/* probe: constant-rate UDP flows from one host to another, to measure the
 * traffic loss a user feels during a failure.
 *   probe send DST PORT FLOWS INTERVAL_US DURATION_MS
 *   probe recv PORT FLOWS DURATION_MS
 * Each flow has its own source and destination port (PORT+i), so a
 * layer-4 multipath hash spreads them over the equal-cost paths. The
 * receiver prints, per flow, the longest gap between two arrivals and the
 * packets lost (by sequence number). */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_FLOWS 64

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int udp_socket(uint16_t port)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("probe: bind");
		exit(1);
	}
	return s;
}

static int do_send(const char *dst, int port, int flows, long interval_us, long dur_ms)
{
	int s[MAX_FLOWS];
	struct sockaddr_in to = { .sin_family = AF_INET };
	if (inet_pton(AF_INET, dst, &to.sin_addr) != 1)
		return fprintf(stderr, "probe: bad address %s\n", dst), 2;
	for (int f = 0; f < flows; f++)
		s[f] = udp_socket((uint16_t)(port + f));
	uint64_t start = now_us(), next = start;
	for (uint32_t seq = 0; now_us() - start < (uint64_t)dur_ms * 1000; seq++) {
		for (int f = 0; f < flows; f++) {
			uint32_t msg[2] = { htonl(seq), htonl((uint32_t)f) };
			to.sin_port = htons((uint16_t)(port + f));
			sendto(s[f], msg, sizeof(msg), MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to));
		}
		next += (uint64_t)interval_us;
		uint64_t n = now_us();
		if (next > n)
			usleep((useconds_t)(next - n));
	}
	return 0;
}

static int do_recv(int port, int flows, long dur_ms)
{
	struct pollfd p[MAX_FLOWS];
	uint64_t last[MAX_FLOWS] = { 0 }, gap[MAX_FLOWS] = { 0 }, got[MAX_FLOWS] = { 0 };
	uint32_t maxseq[MAX_FLOWS] = { 0 };
	for (int f = 0; f < flows; f++)
		p[f] = (struct pollfd){ .fd = udp_socket((uint16_t)(port + f)), .events = POLLIN };
	uint64_t end = now_us() + (uint64_t)dur_ms * 1000;
	while (now_us() < end) {
		if (poll(p, (nfds_t)flows, 50) <= 0)
			continue;
		uint64_t t = now_us();
		for (int f = 0; f < flows; f++) {
			uint32_t msg[2];
			while (recv(p[f].fd, msg, sizeof(msg), MSG_DONTWAIT) == sizeof(msg)) {
				uint32_t seq = ntohl(msg[0]);
				if (last[f] && t - last[f] > gap[f])
					gap[f] = t - last[f];
				last[f] = t;
				got[f]++;
				if (seq > maxseq[f])
					maxseq[f] = seq;
			}
		}
	}
	printf("flow port received lost max_gap_ms\n");
	for (int f = 0; f < flows; f++)
		printf("%d %d %llu %lld %.1f\n", f, port + f, (unsigned long long)got[f],
		       got[f] ? (long long)maxseq[f] + 1 - (long long)got[f] : -1, gap[f] / 1000.0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 7 && !strcmp(argv[1], "send")) {
		int flows = atoi(argv[4]);
		if (flows < 1 || flows > MAX_FLOWS)
			return 2;
		return do_send(argv[2], atoi(argv[3]), flows, atol(argv[5]), atol(argv[6]));
	}
	if (argc == 5 && !strcmp(argv[1], "recv")) {
		int flows = atoi(argv[3]);
		if (flows < 1 || flows > MAX_FLOWS)
			return 2;
		return do_recv(atoi(argv[2]), flows, atol(argv[4]));
	}
	fprintf(stderr, "usage: probe send DST PORT FLOWS INTERVAL_US DURATION_MS\n"
			"       probe recv PORT FLOWS DURATION_MS\n");
	return 2;
}
