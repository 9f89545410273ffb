/* ctl_server: the daemon side of the control socket (libev).
 *
 * Listens on a unix stream socket and serves any number of clients at once
 * without ever blocking the loop.  Each request line is parsed
 * (ctl_request_parse) and matched against the command table
 * (ctl_cmd_match_request); only valid commands reach the handler, with their
 * command id.  Errors in the request are answered by the server itself.
 *
 * Per connection: requests are served one after the other; the next request
 * is read only once the previous reply has been written in full, so a client
 * that does not read cannot make the daemon buffer more than one reply.  A
 * request longer than CTL_REQ_MAX gets an error reply and the connection is
 * closed; so is a connection that has not sent a complete request within the
 * request timeout (2 s) of connecting or of its last reply, or whose reply
 * makes no write progress for the timeout (10 s).  A client that vanishes
 * mid-reply costs nothing (MSG_NOSIGNAL, EPIPE).
 *
 * Against clients that hold slots or memory (issue 11): when every slot is
 * taken, a new connection evicts the client that has waited longest (and at
 * least CTL_SERVER_EVICT_AFTER_S) without a complete request; complete requests are served one per loop pass (so
 * the protocols on the loop run between two big renderings); a reply of
 * CTL_SERVER_CACHE_MIN or more to a `show` is kept for CTL_SERVER_CACHE_S
 * and given as is to the same request (same words, same uid) meanwhile, so
 * that many clients asking for it cost one rendering; and when the
 * replies not yet read by their clients exceed CTL_SERVER_OUT_BUDGET in
 * total, the client with the longest-stalled reply is disconnected. */
#ifndef FABRICD_CLI_CTL_SERVER_H
#define FABRICD_CLI_CTL_SERVER_H

#include <stddef.h>

#include <ev.h>

#include "cli/ctl_buf.h"
#include "cli/ctl_proto.h"

#define CTL_SERVER_MAX_CLIENTS 64
#define CTL_SERVER_TIMEOUT_S 10.0
#define CTL_SERVER_REQ_TIMEOUT_S 2.0
#define CTL_SERVER_EVICT_AFTER_S 0.25
#define CTL_SERVER_CACHE_S 1.0
#define CTL_SERVER_CACHE_MIN (256u * 1024u)
#define CTL_SERVER_OUT_BUDGET (16u * 1024u * 1024u)

/* Handle one valid command.  cmd_id is an enum ctl_cmd_id (> 0, never
 * CTL_CMD_EXIT); req holds the words as typed (abbreviations included) and
 * req->json.  Append the body to out (text, or one JSON object when
 * req->json) and return 0; or append a message and return -1 for an error
 * reply (a final '\n' is added when missing). */
/* A handler may instead return CTL_HANDLER_SUBSCRIBE: the client gets an ok
 * reply with the body, then every message given to ctl_server_publish(),
 * each framed as an ok reply, until it disconnects; what it sends after
 * that is ignored.  Pushes never block: at most CTL_SERVER_SUB_MAX bytes
 * wait per subscriber; beyond that its events are dropped and counted, and
 * it is told how many in a message {"event":"events_dropped","count":N}
 * once it reads again.  A subscriber that takes nothing for the timeout
 * while events wait is disconnected. */
#define CTL_HANDLER_SUBSCRIBE 1
#define CTL_SERVER_SUB_MAX (1u << 20)

typedef int (*ctl_handler_fn)(void *ctx, int cmd_id,
			      const struct ctl_request *req,
			      struct ctl_buf *out);

struct ctl_server;

/* Create the socket at path (parent directories made 0755 if missing) and
 * start serving on loop.  A stale socket file is replaced only when nothing
 * answers on it; if a daemon is live there, or path is not a socket, fail.
 * Mode 0600, or 0660 with group gid when gid >= 0.  Returns NULL with err
 * on failure. */
struct ctl_server *ctl_server_new(struct ev_loop *loop, const char *path,
				  int gid, ctl_handler_fn handler, void *ctx,
				  char *err, size_t errlen);

/* Close every client and the listener and unlink the socket file. */
void ctl_server_free(struct ctl_server *srv);

/* Change the idle/stall timeout (tests use short ones). */
void ctl_server_set_timeout(struct ctl_server *srv, double seconds);

/* The time a client has to send a complete request. */
void ctl_server_set_request_timeout(struct ctl_server *srv, double seconds);

/* Number of connected clients (tests, "show counters"). */
size_t ctl_server_clients(const struct ctl_server *srv);

struct ctl_server_stats {
	size_t clients;		/* connected now */
	size_t out_bytes;	/* reply bytes rendered, not yet written */
	unsigned long long accepted;
	unsigned long long evicted;	/* idle/half-sent, to make room */
	unsigned long long timed_out;	/* no request / no write progress in time */
	unsigned long long dropped_slow; /* not reading, past the output budget */
	unsigned long long cached;	/* replies given from the cache */
};
void ctl_server_stats(const struct ctl_server *srv, struct ctl_server_stats *out);

/* Push one message (e.g. a JSON line) to every subscriber. */
void ctl_server_publish(struct ctl_server *srv, const char *msg, size_t len);

/* Subscribers now, and messages dropped for slow ones since the start. */
size_t ctl_server_subscribers(const struct ctl_server *srv);
unsigned long long ctl_server_dropped(const struct ctl_server *srv);

#endif
