/* control.metrics-listen: GET /metrics over HTTP (libmicrohttpd), on the
 * daemon's libev loop: MHD runs without threads of its own (epoll mode);
 * its epoll descriptor is watched by an ev_io and its timeout by an
 * ev_timer, so requests are served between the loop's other work and
 * never touch daemon state from another thread. */
#ifndef FABRICD_HTTP_H
#define FABRICD_HTTP_H

#include <stddef.h>
#include "fabricd/daemon.h"

struct http;

/* Listen on addr:port (host order). NULL with err ("127.0.0.1:9342:
 * Address already in use") when the socket cannot be had. */
struct http *http_start(struct fabricd *d, uint32_t addr, uint16_t port, char *err, size_t errlen);
void http_stop(struct http *h);

/* Start, stop or move the listener to d->conf's / nc's metrics-listen:
 * the new one is opened before the old one is closed, so a failure (err)
 * leaves the running one as it was. */
int http_apply(struct fabricd *d, const struct conf *nc, char *err, size_t errlen);
void http_shutdown(void);

#endif
