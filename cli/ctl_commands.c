/* ctl_commands: command table and vtysh-style word matching. */
#include "cli/ctl_commands.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/ctl_buf.h"

static const struct ctl_node lsid_arg[] = {
	{ "A.B.C.D", "Link State ID", CTL_CMD_SHOW_DATABASE_DETAIL, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node detail_args[] = {
	{ "router", "Router-LSAs", CTL_CMD_SHOW_DATABASE_DETAIL, lsid_arg },
	{ "network", "Network-LSAs", CTL_CMD_SHOW_DATABASE_DETAIL, lsid_arg },
	{ "summary", "Summary-LSAs (type 3)", CTL_CMD_SHOW_DATABASE_DETAIL,
	  lsid_arg },
	{ "asbr-summary", "ASBR-summary-LSAs (type 4)",
	  CTL_CMD_SHOW_DATABASE_DETAIL, lsid_arg },
	{ "external", "AS-external-LSAs", CTL_CMD_SHOW_DATABASE_DETAIL,
	  lsid_arg },
	{ "A.B.C.D", "Link State ID (any type)", CTL_CMD_SHOW_DATABASE_DETAIL,
	  NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node database_args[] = {
	{ "detail", "Every LSA with its full contents",
	  CTL_CMD_SHOW_DATABASE_DETAIL, detail_args },
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node topology_args[] = {
	{ "--dot", "Graphviz DOT instead of a table", CTL_CMD_SHOW_TOPOLOGY,
	  NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node events_args[] = {
	{ "COUNT", "Only the last COUNT events (1-1000000)", CTL_CMD_SHOW_EVENTS,
	  NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node paths_args[] = {
	{ "A.B.C.D", "From this router only", CTL_CMD_SHOW_PATHS, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node route_args[] = {
	{ "A.B.C.D/M", "Address or prefix (longest match)", CTL_CMD_SHOW_ROUTE,
	  NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node running_config_args[] = {
	{ "secrets", "With key secrets in clear (root only)",
	  CTL_CMD_SHOW_RUNNING_CONFIG_SECRETS, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node show_args[] = {
	{ "neighbors", "OSPF neighbors and their BFD state",
	  CTL_CMD_SHOW_NEIGHBORS, NULL },
	{ "interfaces", "OSPF interfaces", CTL_CMD_SHOW_INTERFACES, NULL },
	{ "bfd", "BFD sessions", CTL_CMD_SHOW_BFD, NULL },
	{ "route", "The route to an address, with its SPF paths", 0,
	  route_args },
	{ "routes", "Routes computed by SPF", CTL_CMD_SHOW_ROUTES, NULL },
	{ "fib", "Routes installed in the kernel", CTL_CMD_SHOW_FIB, NULL },
	{ "database", "Link-state database summary", CTL_CMD_SHOW_DATABASE,
	  database_args },
	{ "spf", "SPF runs and throttling state", CTL_CMD_SHOW_SPF, NULL },
	{ "counters", "Packet and event counters", CTL_CMD_SHOW_COUNTERS,
	  NULL },
	{ "running-config", "Configuration in effect (secrets redacted)",
	  CTL_CMD_SHOW_RUNNING_CONFIG, running_config_args },
	{ "version", "Daemon version", CTL_CMD_SHOW_VERSION, NULL },
	{ "metrics", "Metrics in the Prometheus text format",
	  CTL_CMD_SHOW_METRICS, NULL },
	{ "events", "The most recent events", CTL_CMD_SHOW_EVENTS,
	  events_args },
	{ "topology", "Routers and links of the area (from the LSDB)",
	  CTL_CMD_SHOW_TOPOLOGY, topology_args },
	{ "paths", "Equal-cost paths between every pair of leaves",
	  CTL_CMD_SHOW_PATHS, paths_args },
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node maintenance_args[] = {
	{ "on", "Drain traffic: advertise maximum metric",
	  CTL_CMD_MAINTENANCE_ON, NULL },
	{ "off", "Return to normal metrics", CTL_CMD_MAINTENANCE_OFF, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node neighbor_arg[] = {
	{ "A.B.C.D", "Router ID of the neighbor", CTL_CMD_CLEAR_NEIGHBOR,
	  NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node clear_args[] = {
	{ "counters", "Zero the counters of show counters",
	  CTL_CMD_CLEAR_COUNTERS, NULL },
	{ "neighbor", "Reset adjacencies (all, or one router's)",
	  CTL_CMD_CLEAR_NEIGHBOR, neighbor_arg },
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node file_arg[] = {
	{ "FILE", "Cabling plan (Graphviz DOT)", CTL_CMD_CHECK_TOPOLOGY, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node check_args[] = {
	{ "topology", "Compare the fabric with a cabling plan", 0, file_arg },
	{ NULL, NULL, 0, NULL },
};

#define DAEMON_TOP \
	{ "show", "Show running state", 0, show_args }, \
	{ "clear", "Reset counters or adjacencies", 0, clear_args }, \
	{ "monitor", "Stream events as they happen", CTL_CMD_MONITOR, NULL }, \
	{ "reload", "Re-read the configuration file", CTL_CMD_RELOAD, NULL }, \
	{ "maintenance", "Maintenance mode (drain the switch)", 0, \
	  maintenance_args }

static const struct ctl_node daemon_top[] = {
	DAEMON_TOP,
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node shell_top[] = {
	DAEMON_TOP,
	{ "check", "Check the fabric against a plan", 0, check_args },
	{ "exit", "Leave the shell", CTL_CMD_EXIT, NULL },
	{ "quit", "Leave the shell", CTL_CMD_EXIT, NULL },
	{ NULL, NULL, 0, NULL },
};

static const char *const cmd_names[CTL_CMD_COUNT] = {
	[CTL_CMD_SHOW_NEIGHBORS] = "show neighbors",
	[CTL_CMD_SHOW_INTERFACES] = "show interfaces",
	[CTL_CMD_SHOW_BFD] = "show bfd",
	[CTL_CMD_SHOW_ROUTES] = "show routes",
	[CTL_CMD_SHOW_FIB] = "show fib",
	[CTL_CMD_SHOW_DATABASE] = "show database",
	[CTL_CMD_SHOW_DATABASE_DETAIL] = "show database detail [TYPE] [ID]",
	[CTL_CMD_SHOW_SPF] = "show spf",
	[CTL_CMD_SHOW_COUNTERS] = "show counters",
	[CTL_CMD_SHOW_RUNNING_CONFIG] = "show running-config",
	[CTL_CMD_SHOW_RUNNING_CONFIG_SECRETS] = "show running-config secrets",
	[CTL_CMD_SHOW_VERSION] = "show version",
	[CTL_CMD_RELOAD] = "reload",
	[CTL_CMD_MAINTENANCE_ON] = "maintenance on",
	[CTL_CMD_MAINTENANCE_OFF] = "maintenance off",
	[CTL_CMD_SHOW_METRICS] = "show metrics",
	[CTL_CMD_SHOW_EVENTS] = "show events [COUNT]",
	[CTL_CMD_SHOW_TOPOLOGY] = "show topology [--dot]",
	[CTL_CMD_SHOW_PATHS] = "show paths [ROUTER-ID]",
	[CTL_CMD_SHOW_ROUTE] = "show route A.B.C.D[/M]",
	[CTL_CMD_CLEAR_COUNTERS] = "clear counters",
	[CTL_CMD_CLEAR_NEIGHBOR] = "clear neighbor [ROUTER-ID]",
	[CTL_CMD_MONITOR] = "monitor",
	[CTL_CMD_CHECK_TOPOLOGY] = "check topology FILE.dot",
	[CTL_CMD_EXIT] = "exit",
};

bool ctl_node_is_arg(const struct ctl_node *n)
{
	return n->word[0] >= 'A' && n->word[0] <= 'Z';
}

static bool valid_ipv4(const char *s, size_t len)
{
	char buf[16];
	struct in_addr a;
	if (len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET, buf, &a) == 1;
}

/* Does a typed word fit the placeholder? */
static bool arg_fits(const char *placeholder, const char *word)
{
	if (!strcmp(placeholder, "A.B.C.D"))
		return valid_ipv4(word, strlen(word));
	if (!strcmp(placeholder, "A.B.C.D/M")) {
		const char *slash = strchr(word, '/');
		if (!slash)
			return valid_ipv4(word, strlen(word));
		char *end;
		long plen = strtol(slash + 1, &end, 10);
		return valid_ipv4(word, (size_t)(slash - word)) &&
		       slash[1] >= '0' && slash[1] <= '9' && !*end &&
		       plen >= 0 && plen <= 32;
	}
	if (!strcmp(placeholder, "COUNT")) {
		char *end;
		long v = strtol(word, &end, 10);
		return word[0] >= '0' && word[0] <= '9' && !*end && v >= 1 &&
		       v <= 1000000;
	}
	return true;	/* FILE and other free-form words */
}

const struct ctl_node *ctl_commands_root(bool shell)
{
	return shell ? shell_top : daemon_top;
}

const char *ctl_cmd_name(int cmd)
{
	if (cmd <= 0 || cmd >= CTL_CMD_COUNT || !cmd_names[cmd])
		return "";
	return cmd_names[cmd];
}

/* Pick the child a word designates: exact match first, else the unique
 * child it is a prefix of.  Sets err and returns NULL otherwise. */
static const struct ctl_node *match_word(const struct ctl_node *nodes,
					 const char *word, char *err,
					 size_t errlen)
{
	const struct ctl_node *found = NULL;
	size_t n = strlen(word), hits = 0;
	for (const struct ctl_node *c = nodes; c && c->word; c++) {
		if (ctl_node_is_arg(c))
			continue;
		if (!strcmp(c->word, word))
			return c;
		if (!strncmp(c->word, word, n)) {
			found = c;
			hits++;
		}
	}
	if (hits == 1)
		return found;
	if (hits == 0) {
		/* No literal word: an argument, if this level takes one. */
		const struct ctl_node *arg = NULL;
		for (const struct ctl_node *c = nodes; c && c->word; c++)
			if (ctl_node_is_arg(c) && !arg) {
				arg = c;
				if (arg_fits(c->word, word))
					return c;
			}
		if (arg) {
			snprintf(err, errlen, "invalid argument '%s' (expected %s)",
				 word, arg->word);
			return NULL;
		}
	}
	snprintf(err, errlen, "%s command '%s'",
		 hits ? "ambiguous" : "unknown", word);
	return NULL;
}

/* Walk the words down the tree; returns the last node reached (NULL with
 * err on failure) or, when argc == 0, a NULL node with *ok true. */
static int walk(const struct ctl_node *root, int argc,
		const char (*argv)[CTL_MAX_WORD], const struct ctl_node **last,
		char *err, size_t errlen, const struct ctl_node **path)
{
	const struct ctl_node *level = root, *node = NULL;
	for (int i = 0; i < argc; i++) {
		if (!level) {
			snprintf(err, errlen, "unknown command '%s'", argv[i]);
			return -1;
		}
		node = match_word(level, argv[i], err, errlen);
		if (!node)
			return -1;
		if (path)
			path[i] = node;
		level = node->children;
	}
	*last = node;
	return 0;
}

int ctl_cmd_match(const struct ctl_node *root, int argc,
		  const char (*argv)[CTL_MAX_WORD], char *err, size_t errlen)
{
	const struct ctl_node *node = NULL;
	if (walk(root, argc, argv, &node, err, errlen, NULL) < 0)
		return -1;
	if (!node || node->cmd == 0) {
		snprintf(err, errlen, "incomplete command");
		return -1;
	}
	return node->cmd;
}

int ctl_cmd_match_request(const struct ctl_request *req, char *err,
			  size_t errlen)
{
	return ctl_cmd_match(ctl_commands_root(false), req->argc,
			     (const char (*)[CTL_MAX_WORD])req->argv, err,
			     errlen);
}

int ctl_cmd_canonical(const struct ctl_node *root, int argc,
		      const char (*argv)[CTL_MAX_WORD],
		      char (*out)[CTL_MAX_WORD], char *err, size_t errlen)
{
	const struct ctl_node *node = NULL, *path[CTL_MAX_ARGS];
	if (argc > CTL_MAX_ARGS ||
	    walk(root, argc, argv, &node, err, errlen, path) < 0)
		return -1;
	for (int i = 0; i < argc; i++)
		snprintf(out[i], CTL_MAX_WORD, "%s",
			 ctl_node_is_arg(path[i]) ? argv[i] : path[i]->word);
	return argc;
}

int ctl_cmd_complete(const struct ctl_node *root, int argc,
		     const char (*argv)[CTL_MAX_WORD], const char *prefix,
		     const struct ctl_node **out, size_t max, bool *can_end,
		     char *err, size_t errlen)
{
	const struct ctl_node *node = NULL;
	if (walk(root, argc, argv, &node, err, errlen, NULL) < 0)
		return -1;
	const struct ctl_node *level = node ? node->children : root;
	*can_end = node && node->cmd != 0;
	size_t n = strlen(prefix), count = 0;
	for (const struct ctl_node *c = level; c && c->word; c++) {
		if (!ctl_node_is_arg(c) && strncmp(c->word, prefix, n))
			continue;
		if (count < max)
			out[count] = c;
		count++;
	}
	return (int)count;
}

int ctl_cmd_help(const struct ctl_node *root, int argc,
		 const char (*argv)[CTL_MAX_WORD], const char *prefix,
		 struct ctl_buf *out)
{
	const struct ctl_node *cand[32];
	char err[160];
	bool can_end;
	int n = ctl_cmd_complete(root, argc, argv, prefix, cand, 32, &can_end,
				 err, sizeof(err));
	if (n < 0) {
		(void)ctl_buf_printf(out, "%% %s\n", err);
		return -1;
	}
	if (n > 32)
		n = 32;
	int width = 4;	/* "<cr>" */
	for (int i = 0; i < n; i++)
		if ((int)strlen(cand[i]->word) > width)
			width = (int)strlen(cand[i]->word);
	for (int i = 0; i < n; i++)
		(void)ctl_buf_printf(out, "  %-*s  %s\n", width, cand[i]->word,
				     cand[i]->help);
	/* <cr> only when nothing is being typed: "show database d?" offers
	 * "detail", not the end of the line. */
	if (can_end && prefix[0] == '\0') {
		(void)ctl_buf_puts(out, "  <cr>\n");
		n++;
	}
	return n;
}
