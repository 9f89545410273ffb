/* fib/nlbatch.c: pipelined requests with acks matched by sequence number. */
#include "fib/nlbatch.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define CHUNK_BYTES (64 * 1024)
#define RCVBUF_BYTES (16 * 1024 * 1024)
/* Room one ack takes in our receive queue (skb truesize), rounded up. */
#define ACK_TRUESIZE 1024

struct pend {
	uint32_t seq;
	struct nl_tag tag;
};

struct nlbatch {
	struct nl_sock *sk;
	uint8_t *buf;
	size_t len, nmsgs, max_msgs, chunk;
	struct pend *ring;
	size_t head, count, cap;
	int hold;
	uint64_t sent;
	void (*ack)(void *ctx, const struct nl_tag *tag, int err);
	void *ctx;
};

/* A large receive buffer lets a whole chunk of acks queue up while we send:
 * the kernel drops an ack (ENOBUFS) rather than block.  Force it as root,
 * else take what rmem_max allows and send smaller chunks. */
static size_t setup_rcvbuf(struct nl_sock *sk)
{
	int fd = nl_socket_get_fd(sk);
	int sz = RCVBUF_BYTES;
	socklen_t len = sizeof(sz);

	/* libnl connects with 32 KiB buffers; a chunk needs a larger sndbuf
	 * (the kernel refuses a message above sndbuf with EMSGSIZE). */
	nl_socket_set_buffer_size(sk, RCVBUF_BYTES, 4 * CHUNK_BYTES);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, &len) < 0 || sz <= 0)
		sz = 212992;
	return (size_t)sz / ACK_TRUESIZE / 2;
}

/* Largest send the kernel takes is sndbuf - 32; stay well below. */
static size_t chunk_bytes(int fd)
{
	int sz = 0;
	socklen_t len = sizeof(sz);

	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, &len) < 0 || sz < 8192)
		return 4096;
	return (size_t)sz / 2 < CHUNK_BYTES ? (size_t)sz / 2 : CHUNK_BYTES;
}

struct nlbatch *nlbatch_new(void (*ack)(void *ctx, const struct nl_tag *tag, int err), void *ctx)
{
	struct nlbatch *b = calloc(1, sizeof(*b));
	int one = 1;

	if (!b)
		return NULL;
	b->ack = ack;
	b->ctx = ctx;
	b->buf = malloc(CHUNK_BYTES);
	b->sk = nl_socket_alloc();
	if (!b->buf || !b->sk || nl_connect(b->sk, NETLINK_ROUTE) < 0)
		goto fail;
	nl_socket_set_nonblocking(b->sk);
	nl_socket_disable_msg_peek(b->sk);
	/* Error acks without a copy of the request: smaller, fewer drops. */
	(void)setsockopt(nl_socket_get_fd(b->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	b->max_msgs = setup_rcvbuf(b->sk);
	b->chunk = chunk_bytes(nl_socket_get_fd(b->sk));
	if (b->max_msgs < 16)
		b->max_msgs = 16;
	return b;
fail:
	nlbatch_free(b);
	return NULL;
}

void nlbatch_free(struct nlbatch *b)
{
	if (!b)
		return;
	if (b->sk)
		nl_socket_free(b->sk);
	free(b->buf);
	free(b->ring);
	free(b);
}

int nlbatch_fd(const struct nlbatch *b)
{
	return nl_socket_get_fd(b->sk);
}

static int ring_push(struct nlbatch *b, uint32_t seq, const struct nl_tag *tag)
{
	if (b->count == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		struct pend *r = malloc(cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		for (size_t i = 0; i < b->count; i++)
			r[i] = b->ring[(b->head + i) % b->cap];
		free(b->ring);
		b->ring = r;
		b->cap = cap;
		b->head = 0;
	}
	b->ring[(b->head + b->count) % b->cap] = (struct pend){ seq, *tag };
	b->count++;
	return 0;
}

static void ring_pop(struct nlbatch *b, int err)
{
	struct pend p = b->ring[b->head];

	b->head = (b->head + 1) % b->cap;
	b->count--;
	b->ack(b->ctx, &p.tag, err);
}

/* Acks come in request order; anything older than the acked seq lost its ack. */
static void on_ack(struct nlbatch *b, uint32_t seq, int err)
{
	while (b->count && b->ring[b->head].seq != seq) {
		if ((int32_t)(b->ring[b->head].seq - seq) > 0)
			return;	/* not ours / already timed out */
		ring_pop(b, ENOBUFS);
	}
	if (b->count)
		ring_pop(b, err);
}

static void parse_chunk(struct nlbatch *b, unsigned char *data, int len)
{
	struct nlmsghdr *h = (struct nlmsghdr *)data;

	for (; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
		if (h->nlmsg_type != NLMSG_ERROR)
			continue;
		if (h->nlmsg_len < (uint32_t)nlmsg_size(sizeof(struct nlmsgerr)))
			continue;
		on_ack(b, h->nlmsg_seq, -((struct nlmsgerr *)nlmsg_data(h))->error);
	}
}

int nlbatch_process(struct nlbatch *b)
{
	int acks = 0;

	for (;;) {
		struct sockaddr_nl from;
		unsigned char *data = NULL;
		int n = nl_recv(b->sk, &from, &data, NULL);

		if (n == -NLE_NOMEM) {
			/* ENOBUFS: acks were dropped; the seq gaps report them. */
			free(data);
			continue;
		}
		if (n <= 0) {
			free(data);
			break;
		}
		parse_chunk(b, data, n);
		free(data);
		acks++;
	}
	return acks;
}

int nlbatch_flush(struct nlbatch *b)
{
	int err = 0;

	while (b->len) {
		int n = nl_sendto(b->sk, b->buf, b->len);

		if (n == -NLE_AGAIN) {
			nlbatch_process(b);
			struct pollfd p = { nlbatch_fd(b), POLLOUT, 0 };
			(void)poll(&p, 1, 10);
			continue;
		}
		if (n < 0) {
			/* Nothing of the chunk reached the kernel: fail its requests. */
			for (size_t i = 0; i < b->nmsgs; i++) {
				struct pend p = b->ring[(b->head + b->count - 1) % b->cap];

				b->count--;
				b->ack(b->ctx, &p.tag, EIO);
			}
			err = -EIO;
		} else {
			b->sent += b->nmsgs;
		}
		b->len = 0;
		b->nmsgs = 0;
	}
	/* The kernel handled the chunk during sendmsg: read its acks now so
	 * the receive queue never overflows. */
	nlbatch_process(b);
	return err;
}

int nlbatch_add(struct nlbatch *b, struct nl_msg *msg, const struct nl_tag *tag)
{
	struct nlmsghdr *h;
	int err;

	nl_complete_msg(b->sk, msg);
	h = nlmsg_hdr(msg);
	if (h->nlmsg_len > b->chunk)
		return -EMSGSIZE;
	if (b->len + NLMSG_ALIGN(h->nlmsg_len) > b->chunk || b->nmsgs >= b->max_msgs) {
		err = nlbatch_flush(b);
		if (err < 0)
			return err;
	}
	err = ring_push(b, h->nlmsg_seq, tag);
	if (err < 0)
		return err;
	memcpy(b->buf + b->len, h, h->nlmsg_len);
	b->len += NLMSG_ALIGN(h->nlmsg_len);
	b->nmsgs++;
	if (!b->hold)
		return nlbatch_flush(b);
	return 0;
}

void nlbatch_hold(struct nlbatch *b)
{
	b->hold++;
}

int nlbatch_release(struct nlbatch *b)
{
	if (b->hold > 0 && --b->hold == 0)
		return nlbatch_flush(b);
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int nlbatch_wait(struct nlbatch *b, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;

	nlbatch_flush(b);
	while (b->count) {
		int64_t left = deadline - now_ms();
		struct pollfd p = { nlbatch_fd(b), POLLIN, 0 };

		if (left <= 0) {
			while (b->count)
				ring_pop(b, ETIMEDOUT);
			return -ETIMEDOUT;
		}
		if (poll(&p, 1, (int)left) > 0)
			nlbatch_process(b);
	}
	return 0;
}

size_t nlbatch_inflight(const struct nlbatch *b)
{
	return b->count;
}

uint64_t nlbatch_msgs(const struct nlbatch *b)
{
	return b->sent;
}
