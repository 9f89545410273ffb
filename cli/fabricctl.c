/* fabricctl: operator CLI of fabricd.
 *
 *   fabricctl [-s SOCKET] [--json] COMMAND...   run one command
 *   fabricctl [-s SOCKET] [--json]              interactive shell
 *
 * --json and -s may also follow the command ("fabricctl monitor --json");
 * other words after the command that start with '-' are command words
 * ("show topology --dot").
 *
 * Exit status: 0 ok, 1 error reply or invalid command, 2 daemon unreachable
 * (check topology: 1 the fabric differs from the plan, 2 unreadable plan). */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/ctl_client.h"
#include "cli/ctl_commands.h"
#include "cli/ctl_local.h"
#include "cli/ctl_proto.h"
#include "cli/ctl_shell.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: fabricctl [-s SOCKET] [--json] [COMMAND...]\n"
		"  -s, --socket SOCKET  control socket (default %s)\n"
		"  -j, --json           JSON output\n"
		"  -h, --help           this help\n"
		"  -V, --version        print the version\n"
		"Without a command, an interactive shell starts "
		"(TAB completes, ? lists).\n"
		"Commands:\n", CTL_DEFAULT_SOCKET);
	for (int id = 1; id < CTL_CMD_EXIT; id++)
		fprintf(f, "  %s\n", ctl_cmd_name(id));
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = CTL_DEFAULT_SOCKET;
	bool json = false;
	int c;
	while ((c = getopt_long(argc, argv, "+s:jhV", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("fabricctl %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return CTL_EXIT_ERROR;
		}
	}
	/* --json and -s SOCKET may also follow the command words */
	int n = 0;
	for (int k = optind; k < argc; k++) {
		if (!strcmp(argv[k], "--json") || !strcmp(argv[k], "-j"))
			json = true;
		else if ((!strcmp(argv[k], "-s") || !strcmp(argv[k], "--socket")) && k + 1 < argc)
			path = argv[++k];
		else if (!strncmp(argv[k], "--socket=", 9))
			path = argv[k] + 9;
		else
			argv[optind + n++] = argv[k];
	}
	if (n == 0)
		return ctl_shell_run(path, json);
	return ctl_local_run(path, json, false, n,
			     (const char *const *)argv + optind, stdout, stderr,
			     "fabricctl: ");
}
