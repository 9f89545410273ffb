/* Deadlines in proto/ are absolute times in ms on the caller's clock
 * (uint64_t). NEVER is the one "no deadline" value: a timer that is not
 * running, a next_deadline() with nothing pending. */
#ifndef PROTO_LIB_DEADLINE_H
#define PROTO_LIB_DEADLINE_H

#include <stdint.h>

#define NEVER UINT64_MAX

#endif
