/* fib/nlbatch.h: pipelined rtnetlink requests on one libnl socket.
 *
 * Requests are completed by libnl (port id, sequence number, NLM_F_ACK),
 * packed into one send buffer and pushed with one sendmsg per chunk; the
 * kernel handles each message of a chunk in turn and acks each one.  The
 * acks are read back later (non-blocking) and matched to the tag saved with
 * the sequence number, so the caller learns per request success or errno.
 */
#ifndef FIB_NLBATCH_H
#define FIB_NLBATCH_H

#include <stddef.h>
#include <stdint.h>

struct nl_msg;

/* What a request was about, handed back with its ack. */
struct nl_tag {
	uint8_t kind;
	uint8_t plen;
	uint32_t prefix;
	uint32_t id;
	uint32_t metric;
};

struct nlbatch;

/* ack(ctx, tag, err): err is 0 or a positive errno (ENOBUFS when the ack
 * was lost to a receive-buffer overrun, ETIMEDOUT from nlbatch_wait). */
struct nlbatch *nlbatch_new(void (*ack)(void *ctx, const struct nl_tag *tag, int err), void *ctx);
void nlbatch_free(struct nlbatch *b);
int nlbatch_fd(const struct nlbatch *b);

/* Queue msg (the caller still owns and frees it).  Sent at once unless a
 * hold is active (nlbatch_hold), or when the chunk is full. */
int nlbatch_add(struct nlbatch *b, struct nl_msg *msg, const struct nl_tag *tag);
void nlbatch_hold(struct nlbatch *b);	/* nestable */
int nlbatch_release(struct nlbatch *b);	/* drops one hold; flushes at 0 */
int nlbatch_flush(struct nlbatch *b);	/* send what is queued now */

/* Read every ack available now, without blocking. Returns acks read. */
int nlbatch_process(struct nlbatch *b);
/* Flush, then wait up to timeout_ms for every outstanding ack; on timeout
 * the rest are reported ETIMEDOUT. 0, or -ETIMEDOUT. */
int nlbatch_wait(struct nlbatch *b, int timeout_ms);

size_t nlbatch_inflight(const struct nlbatch *b);
uint64_t nlbatch_msgs(const struct nlbatch *b);	/* messages sent so far */

#endif
