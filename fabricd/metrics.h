/* Metrics in the Prometheus text exposition format (version 0.0.4), for
 * `fabricctl show metrics` and, when control.metrics-listen is set, for
 * HTTP GET /metrics (http.c). Names start with fabricd_, counters end in
 * _total; SPF durations are a histogram in seconds. Counters are never
 * reset while the daemon runs (`clear counters` only rebases `show
 * counters`). */
#ifndef FABRICD_METRICS_H
#define FABRICD_METRICS_H

#include "cli/ctl_buf.h"
#include "fabricd/daemon.h"

#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

int metrics_render(struct fabricd *d, struct ctl_buf *out);

#endif
