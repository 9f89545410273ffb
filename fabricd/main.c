/* fabricd: command line, start-up and shutdown. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "config.h"
#include "fabricd/control.h"
#include "fabricd/daemon.h"
#include "fabricd/log.h"
#include "fabricd/notify.h"
#include "fabricd/privs.h"
#include "proto/lib/ipv4.h"

uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: fabricd [-c FILE] [-s SOCKET] [-d] [--check] [-V]\n"
		   "  -c, --config FILE   configuration (default %s)\n"
		   "  -s, --socket PATH   control socket (overrides the config)\n"
		   "  -d, --debug         debug logging\n"
		   "      --check         validate the configuration and exit (0 valid, 1 not)\n"
		   "  -V, --version       print the version\n",
		CONF_DEFAULT_FILE);
}

static void on_stop(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct fabricd *d = w->data;
	log_notice("signal %d: shutting down", w->signum);
	d->stopping = true;
	notify_stopping(d);
	ev_break(loop, EVBREAK_ALL);
}

static void on_hup(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct fabricd *d = w->data;
	char err[CONF_ERRLEN];
	control_reload(d, err, sizeof(err));
}

/* A raw OSPF socket per port and a UDP socket per BFD session: a spine
 * with 512 leaves needs more than the usual soft limit of 1,024 files. */
static void raise_file_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			log_warn("cannot raise the open-file limit: %s", strerror(errno));
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' }, { "socket", required_argument, NULL, 's' },
		{ "debug", no_argument, NULL, 'd' },        { "check", no_argument, NULL, 'C' },
		{ "version", no_argument, NULL, 'V' },      { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *conf_path = CONF_DEFAULT_FILE, *sock = NULL;
	bool debug = false, check = false;
	int c;
	while ((c = getopt_long(argc, argv, "c:s:dVh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': conf_path = optarg; break;
		case 's': sock = optarg; break;
		case 'd': debug = true; break;
		case 'C': check = true; break;
		case 'V': printf("fabricd %s\n", PACKAGE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}

	static struct fabricd d;
	char err[CONF_ERRLEN];
	if (conf_load(conf_path, &d.conf, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (check) {
		printf("%s: configuration is valid\n", conf_path);
		conf_free(&d.conf);
		return 0;
	}
	log_init("fabricd", debug ? LOG_DEBUG : LOG_INFO, !notify_stderr_is_journal());
	snprintf(d.conf_path, sizeof(d.conf_path), "%s", conf_path);
	snprintf(d.socket_path, sizeof(d.socket_path), "%s", sock ? sock : d.conf.socket);
	signal(SIGPIPE, SIG_IGN);
	raise_file_limit();

	/* An unknown user, or one this process cannot become, stops us
	 * before anything is opened or changed. */
	if (privs_check(d.conf.user, err, sizeof(err)) < 0) {
		log_err("%s: %s", conf_path, err);
		conf_free(&d.conf);
		return 1;
	}
	d.loop = EV_DEFAULT;
	if (daemon_start(&d) < 0 ||
	    privs_drop(d.conf.user, d.conf.rt_priority > 0, d.socket_path, err, sizeof(err)) < 0) {
		if (err[0])
			log_err("%s", err);
		daemon_stop(&d);
		return 1;
	}
	ev_signal_init(&d.sig_term, on_stop, SIGTERM);
	ev_signal_init(&d.sig_int, on_stop, SIGINT);
	ev_signal_init(&d.sig_hup, on_hup, SIGHUP);
	d.sig_term.data = d.sig_int.data = d.sig_hup.data = &d;
	ev_signal_start(d.loop, &d.sig_term);
	ev_signal_start(d.loop, &d.sig_int);
	ev_signal_start(d.loop, &d.sig_hup);

	char rid[IPV4_STRLEN];
	log_notice("fabricd %s started, router-id %s, control socket %s", PACKAGE_VERSION,
		   ipv4_str(d.conf.router_id, rid), d.socket_path);
	notify_ready(&d);
	ev_run(d.loop, 0);
	daemon_stop(&d);
	log_notice("fabricd stopped");
	return 0;
}
