#ifndef FABRICD_CONTROL_H
#define FABRICD_CONTROL_H
#include "fabricd/daemon.h"
int control_start(struct fabricd *d, int gid, char *err, size_t errlen);
/* reload (fabricctl reload, SIGHUP): daemon_reload, logged, and an event */
int control_reload(struct fabricd *d, char *err, size_t errlen);
#endif
