/* Stateful libFuzzer harness: the whole OSPF engine (proto/ospf), driven in
 * virtual time by a sequence of packets from neighbors, interface events
 * and the passing of time. Where fuzz_ospf reaches only the codec, this one
 * reaches the neighbor state machine, the database exchange, flooding,
 * acknowledgments, aging and origination, with the lists that grow with
 * what a neighbor sends.
 *
 * The device under test has a point-to-point port (ifindex 1, 10.1.0.0/31)
 * and a broadcast port (ifindex 2, 10.2.0.1/24). The input is a sequence of
 * records:
 *   op (1 byte), delay (1 byte: virtual time passes delay x 10 ms first), then
 *   op & 3 == 0: len (2 bytes) + an OSPF packet from 10.1.0.1 on port 1
 *   op & 3 == 1: addr byte + len (2 bytes) + a packet from 10.2.0.<addr> on port 2
 *   op & 3 == 2: time passes delay x 1 s more
 *   op & 3 == 3: port (op >> 2 & 1) + 1 goes down and up again, or (op & 0x10)
 *                BFD kills the neighbor 10.1.0.1 (RFC 5882)
 * Unless op has 0x80 set, a packet's length field and checksum are fixed up
 * so that mutations get past the header checks into the protocol.
 *
 * Built with -DMKSEEDS and no libFuzzer, the same file writes seed inputs:
 * a second engine plays the neighbor, and what it sends to the device under
 * test, with the times, is recorded (tests/fuzz/run.sh does this).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proto/ospf/ospf.h"
#include "proto/lib/bytes.h"

#define DUT_RID 0x0aff0001u
#define P1_ADDR 0x0a010000u /* 10.1.0.0/31 */
#define P1_PEER 0x0a010001u
#define P2_ADDR 0x0a020001u /* 10.2.0.1/24 */

struct harness {
	struct ospf *o;
	uint64_t now;
	size_t sent_bytes;
#ifdef MKSEEDS
	struct ospf *peer;
	FILE *rec;
	uint64_t last_rec;
	struct qpkt { uint64_t at; bool to_dut; uint32_t dst; size_t len; uint8_t *buf; } *q;
	size_t nq;
#endif
};

#ifndef MKSEEDS
static uint16_t csum16(const uint8_t *b, size_t len)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		s += (uint32_t)b[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}
#endif

#ifndef MKSEEDS
/* RFC 2328 D.4.1-2: length, then the checksum over the packet without the
 * 8-byte authentication field (null authentication). */
static void fixup(uint8_t *p, size_t len)
{
	if (len < 24)
		return;
	put16(p + 2, (uint16_t)len);
	put16(p + 14, 0);
	put16(p + 12, 0);
	uint8_t tmp[65536];
	memcpy(tmp, p, 16);
	memcpy(tmp + 16, p + 24, len - 24);
	put16(p + 12, csum16(tmp, len - 8));
}
#endif

#ifdef MKSEEDS
/* Packets between the two engines arrive 1 ms later, never re-entering the
 * engine that sent them. */
static void enqueue(struct harness *h, bool to_dut, uint32_t dst, const uint8_t *buf, size_t len)
{
	h->q = realloc(h->q, (h->nq + 1) * sizeof *h->q);
	h->q[h->nq] = (struct qpkt){ h->now + 1, to_dut, dst, len, malloc(len) };
	memcpy(h->q[h->nq].buf, buf, len);
	h->nq++;
}
static void peer_record(struct harness *h, uint32_t dst, const uint8_t *buf, size_t len);

static bool deliver_one(struct harness *h, uint64_t until)
{
	if (h->nq == 0 || h->q[0].at > until)
		return false;
	struct qpkt p = h->q[0];
	memmove(h->q, h->q + 1, (h->nq - 1) * sizeof *h->q);
	h->nq--;
	if (p.at > h->now)
		h->now = p.at;
	if (p.to_dut) {
		peer_record(h, p.dst, p.buf, p.len);
		ospf_rx(h->o, 1, P1_PEER, p.dst, p.buf, p.len, h->now);
	} else {
		ospf_rx(h->peer, 1, P1_ADDR, p.dst, p.buf, p.len, h->now);
	}
	free(p.buf);
	return true;
}
#endif

static void cb_send(void *ctx, uint32_t ifindex, uint32_t dst, const uint8_t *buf, size_t len)
{
	struct harness *h = ctx;
	h->sent_bytes += len;
#ifdef MKSEEDS
	if (ifindex == 1 && h->peer)
		enqueue(h, false, dst, buf, len);
#else
	(void)ifindex; (void)dst; (void)buf;
#endif
}

static void cb_alldr(void *ctx, uint32_t ifindex, bool join) { (void)ctx; (void)ifindex; (void)join; }
static void cb_nbr(void *ctx, uint32_t ifindex, uint32_t a, uint32_t r, enum nsm_state o, enum nsm_state n)
{
	(void)ctx; (void)ifindex; (void)a; (void)r; (void)o; (void)n;
	static int verbose = -1; /* FUZZ_VERBOSE=1: show what an input reaches */
	if (verbose < 0)
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	struct harness *h = ctx;
	if (verbose)
		fprintf(stderr, "%llu: neighbor %08x on %u: %s -> %s\n", (unsigned long long)h->now, r, ifindex,
		nsm_state_name(o), nsm_state_name(n));
}
static void cb_lsdb(void *ctx, const char *why) { (void)ctx; (void)why; }

static struct ospf_if_config port_cfg(uint32_t ifindex, enum ospf_network nt)
{
	struct ospf_if_config c;
	memset(&c, 0, sizeof c);
	snprintf(c.name, sizeof c.name, "swp%u", ifindex);
	c.ifindex = ifindex;
	c.network = nt;
	c.cost = 10;
	c.hello_interval = 1;
	c.dead_interval = 3;
	c.retransmit_interval = 5;
	c.transmit_delay = 1;
	c.priority = 1;
	c.mtu = 1500;
	return c;
}

static struct ospf *engine(struct harness *h, uint32_t rid, uint32_t p1)
{
	struct ospf_callbacks cb = { h, cb_send, cb_alldr, cb_nbr, cb_lsdb, NULL };
	struct ospf *o = ospf_new(rid, 0, &cb, h->now);
	struct ospf_if_config c1 = port_cfg(1, OSPF_NET_P2P);
	ospf_if_add(o, &c1, h->now);
	ospf_if_set_addr(o, 1, p1, 0xfffffffeu, h->now);
	ospf_if_updown(o, 1, true, h->now);
	return o;
}

static void advance(struct harness *h, uint64_t ms)
{
	uint64_t until = h->now + ms;
	for (;;) {
		uint64_t d = ospf_next_deadline(h->o);
#ifdef MKSEEDS
		uint64_t dp = ospf_next_deadline(h->peer);
		if (dp < d)
			d = dp;
		if (h->nq && h->q[0].at <= d && deliver_one(h, until))
			continue;
#endif
		if (d > until)
			break;
		if (d > h->now)
			h->now = d;
		ospf_tick(h->o, h->now);
#ifdef MKSEEDS
		ospf_tick(h->peer, h->now);
#endif
	}
	h->now = until;
}

#ifndef MKSEEDS
static void run(const uint8_t *data, size_t size)
{
	struct harness h = { .now = 1000000 };
	h.o = engine(&h, DUT_RID, P1_ADDR);
	struct ospf_if_config c2 = port_cfg(2, OSPF_NET_BROADCAST);
	ospf_if_add(h.o, &c2, h.now);
	ospf_if_set_addr(h.o, 2, P2_ADDR, 0xffffff00u, h.now);
	ospf_if_updown(h.o, 2, true, h.now);

	static uint8_t pkt[65536];
	size_t i = 0;
	while (i + 2 <= size) {
		uint8_t op = data[i], delay = data[i + 1];
		i += 2;
		advance(&h, (uint64_t)delay * 10);
		switch (op & 3) {
		case 0:
		case 1: {
			uint32_t src = P1_PEER, ifindex = 1;
			if ((op & 3) == 1) {
				if (i >= size)
					goto out;
				src = 0x0a020000u | data[i++];
				ifindex = 2;
			}
			if (i + 2 > size)
				goto out;
			size_t len = (size_t)data[i] << 8 | data[i + 1];
			i += 2;
			if (len > size - i)
				len = size - i;
			memcpy(pkt, data + i, len);
			i += len;
			if (!(op & 0x80))
				fixup(pkt, len);
			uint32_t dst = (op & 0x40) ? OSPF_ALLDR : (op & 0x20) ? P1_ADDR : OSPF_ALLSPF;
			ospf_rx(h.o, ifindex, src, dst, pkt, len, h.now);
			break;
		}
		case 2:
			advance(&h, (uint64_t)delay * 1000);
			break;
		case 3:
			if (op & 0x10) {
				ospf_nbr_kill(h.o, 1, P1_PEER, h.now);
			} else {
				uint32_t port = (op >> 2 & 1) + 1;
				ospf_if_updown(h.o, port, false, h.now);
				ospf_if_updown(h.o, port, true, h.now);
			}
			break;
		}
	}
out:
	/* Let the timers run: dead interval, retransmission, hold-downs. */
	advance(&h, 4000);
	ospf_shutdown(h.o, h.now);
	ospf_free(h.o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size);
	return 0;
}
#else
/* Seed mode: the peer's packets to the device under test are recorded. */
static void peer_send(void *ctx, uint32_t ifindex, uint32_t dst, const uint8_t *buf, size_t len)
{
	(void)ifindex;
	enqueue(ctx, true, dst, buf, len);
}

static void peer_record(struct harness *h, uint32_t dst, const uint8_t *buf, size_t len)
{
	uint64_t gap = (h->now - h->last_rec) / 10;
	while (gap > 255) { /* long waits as op 2 records: delay x 10 ms + delay x 1 s */
		uint64_t k = gap / 101 > 255 ? 255 : gap / 101;
		uint8_t w[2] = { 2, (uint8_t)k };
		fwrite(w, 1, 2, h->rec);
		gap -= k * 101;
	}
	uint8_t r[4] = { dst == P1_ADDR ? 0x20 : 0, (uint8_t)(gap > 255 ? 255 : gap), (uint8_t)(len >> 8),
			 (uint8_t)len };
	fwrite(r, 1, 4, h->rec);
	fwrite(buf, 1, len, h->rec);
	h->last_rec = h->now;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s SEED-FILE\n", argv[0]);
		return 2;
	}
	struct harness h = { .now = 1000000 };
	h.last_rec = h.now;
	h.rec = fopen(argv[1], "wb");
	if (!h.rec)
		return 1;
	h.o = engine(&h, DUT_RID, P1_ADDR);
	struct ospf_callbacks pcb = { &h, peer_send, cb_alldr, cb_nbr, cb_lsdb, NULL };
	h.peer = ospf_new(0x0aff0002u, 0, &pcb, h.now);
	struct ospf_if_config c1 = port_cfg(1, OSPF_NET_P2P);
	struct ospf_if_config lo = port_cfg(9, OSPF_NET_P2P);
	lo.passive = lo.loopback = true;
	ospf_if_add(h.peer, &lo, h.now);
	ospf_if_set_addr(h.peer, 9, 0x0aff0002u, 0xffffffffu, h.now);
	ospf_if_updown(h.peer, 9, true, h.now);
	ospf_if_add(h.peer, &c1, h.now);
	ospf_if_set_addr(h.peer, 1, P1_PEER, 0xfffffffeu, h.now);
	ospf_if_updown(h.peer, 1, true, h.now);
	advance(&h, 8000);
	ospf_shutdown(h.peer, h.now); /* the flush, too */
	advance(&h, 200);
	fclose(h.rec);
	ospf_free(h.peer);
	ospf_free(h.o);
	return 0;
}
#endif
