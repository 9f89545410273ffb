/* The kernel's interfaces and addresses (fib/ link monitor) feeding the
 * interface table. */
#ifndef FABRICD_LINKS_H
#define FABRICD_LINKS_H
#include "fabricd/daemon.h"
int links_start(struct fabricd *d);
void links_stop(struct fabricd *d);
#endif
