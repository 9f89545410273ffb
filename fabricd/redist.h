/* ospf.redistribute's policy, apart from the daemon's state so that it can
 * be unit-tested (redist_select.c); the monitoring is redistribute.c. */
#ifndef FABRICD_REDIST_H
#define FABRICD_REDIST_H

#include <stdbool.h>
#include "conf/config.h"
#include "fib/rtmon.h"
#include "proto/ospf/ospf.h"

#define REDIST_RTPROT_OURS 188 /* the routes fabricd installs (fib/) */

/* The source (enum conf_redist_from) a kernel route belongs to, or -1 for
 * our own routes. */
int redist_source(const struct fib_rt_info *r);
/* The AS-external route this kernel route becomes under config c, or
 * false. (Subnets OSPF carries already are the caller's to leave out.) */
bool redist_select(const struct conf *c, const struct fib_rt_info *r, struct ospf_ext_route *out);

#endif
