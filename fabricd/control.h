#ifndef FABRICD_CONTROL_H
#define FABRICD_CONTROL_H
#include "fabricd/daemon.h"
int control_start(struct fabricd *d, int gid, char *err, size_t errlen);
#endif
