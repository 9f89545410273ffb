/* sd_notify (notify.h). The watchdog keep-alive comes from a timer on the
 * daemon's own event loop, at half the interval systemd asks for
 * (sd_watchdog_enabled(3)): if the loop stalls, the pings stop and systemd
 * restarts fabricd. STATUS is recounted a moment after a state change, so
 * that a burst of changes (a spine going away) costs one message. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "fabricd/bfd_io.h"
#include "fabricd/daemon.h"
#include "fabricd/log.h"
#include "fabricd/notify.h"

#define STATUS_DELAY_S 0.05

struct notify {
	ev_timer watchdog;
	ev_timer status;
	char last[128];          /* the STATUS last sent */
};

static void status_text(struct fabricd *d, char *buf, size_t len)
{
	size_t full = 0, up = 0;
	struct ospf_iter it;
	struct ospf_nbr_info nb;
	if (d->ospf)
		for (ospf_iter_init(&it, d->ospf); ospf_nbr_next(&it, &nb);) {
			full += nb.state == NSM_FULL;
			enum bfd_state st;
			up += d->bfd && bfd_io_session_state(d->bfd, nb.ifindex, nb.addr, &st) &&
			      st == BFD_STATE_UP;
		}
	snprintf(buf, len, "%zu neighbor%s Full, %zu BFD up", full, full == 1 ? "" : "s", up);
}

static void send_status(struct fabricd *d, bool always)
{
	char s[sizeof(d->notify->last)];
	status_text(d, s, sizeof(s));
	if (!always && strcmp(s, d->notify->last) == 0)
		return;
	snprintf(d->notify->last, sizeof(d->notify->last), "%s", s);
	sd_notifyf(0, "STATUS=%s", s);
}

static void on_status(struct ev_loop *loop, ev_timer *w, int revents)
{
	send_status(w->data, false);
}

static void on_watchdog(struct ev_loop *loop, ev_timer *w, int revents)
{
	sd_notify(0, "WATCHDOG=1");
}

void notify_ready(struct fabricd *d)
{
	uint64_t usec = 0;
	if (!getenv("NOTIFY_SOCKET") || d->notify)
		return;
	d->notify = calloc(1, sizeof(*d->notify));
	if (!d->notify) {
		sd_notify(0, "READY=1");
		return;
	}
	ev_timer_init(&d->notify->status, on_status, STATUS_DELAY_S, 0);
	d->notify->status.data = d;
	send_status(d, true);
	sd_notify(0, "READY=1");
	if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
		double every = (double)usec / 2e6;
		ev_timer_init(&d->notify->watchdog, on_watchdog, every, every);
		ev_timer_start(d->loop, &d->notify->watchdog);
		sd_notify(0, "WATCHDOG=1");
		log_info("systemd watchdog: a keep-alive every %.3f s", every);
	}
}

void notify_changed(struct fabricd *d)
{
	if (d->notify && !ev_is_active(&d->notify->status))
		ev_timer_start(d->loop, &d->notify->status);
}

void notify_reloading(struct fabricd *d, bool begin)
{
	struct timespec ts;
	if (!d->notify)
		return;
	if (begin) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
			   (unsigned long long)ts.tv_sec * 1000000ULL +
				   (unsigned long long)ts.tv_nsec / 1000);
		return;
	}
	sd_notify(0, "READY=1");
	notify_changed(d);
}

void notify_stopping(struct fabricd *d)
{
	if (!d->notify)
		return;
	sd_notify(0, "STOPPING=1");
	ev_timer_stop(d->loop, &d->notify->watchdog);
	ev_timer_stop(d->loop, &d->notify->status);
	free(d->notify);
	d->notify = NULL;
}

bool notify_stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	return e && sscanf(e, "%llu:%llu", &dev, &ino) == 2 && fstat(2, &st) == 0 &&
	       (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}
