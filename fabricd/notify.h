/* systemd's service notification protocol (sd_notify(3)) for Type=notify:
 * READY once the control socket listens, STATUS with the neighbor and BFD
 * counts, WATCHDOG from the event loop, RELOADING/READY around a reload and
 * STOPPING at shutdown. Without $NOTIFY_SOCKET all of it does nothing. */
#ifndef FABRICD_NOTIFY_H
#define FABRICD_NOTIFY_H

#include <stdbool.h>

struct fabricd;

void notify_ready(struct fabricd *d);      /* READY=1, starts the watchdog timer */
void notify_changed(struct fabricd *d);    /* a neighbor or BFD session changed state */
void notify_reloading(struct fabricd *d, bool begin);
void notify_stopping(struct fabricd *d);   /* STOPPING=1, stops the timers */

/* True when stderr is systemd's journal ($JOURNAL_STREAM names its device
 * and inode, systemd.exec(5)): syslog would then log every line twice. */
bool notify_stderr_is_journal(void);

#endif
