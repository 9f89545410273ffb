/* ctl_commands: command table and vtysh-style word matching. */
#include "cli/ctl_commands.h"

#include <stdio.h>
#include <string.h>

#include "cli/ctl_buf.h"

static const struct ctl_node database_args[] = {
	{ "detail", "Every LSA with its full contents",
	  CTL_CMD_SHOW_DATABASE_DETAIL, NULL },
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
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node maintenance_args[] = {
	{ "on", "Drain traffic: advertise maximum metric",
	  CTL_CMD_MAINTENANCE_ON, NULL },
	{ "off", "Return to normal metrics", CTL_CMD_MAINTENANCE_OFF, NULL },
	{ NULL, NULL, 0, NULL },
};

#define DAEMON_TOP \
	{ "show", "Show running state", 0, show_args }, \
	{ "reload", "Re-read the configuration file", CTL_CMD_RELOAD, NULL }, \
	{ "maintenance", "Maintenance mode (drain the switch)", 0, \
	  maintenance_args }

static const struct ctl_node daemon_top[] = {
	DAEMON_TOP,
	{ NULL, NULL, 0, NULL },
};

static const struct ctl_node shell_top[] = {
	DAEMON_TOP,
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
	[CTL_CMD_SHOW_DATABASE_DETAIL] = "show database detail",
	[CTL_CMD_SHOW_SPF] = "show spf",
	[CTL_CMD_SHOW_COUNTERS] = "show counters",
	[CTL_CMD_SHOW_RUNNING_CONFIG] = "show running-config",
	[CTL_CMD_SHOW_RUNNING_CONFIG_SECRETS] = "show running-config secrets",
	[CTL_CMD_SHOW_VERSION] = "show version",
	[CTL_CMD_RELOAD] = "reload",
	[CTL_CMD_MAINTENANCE_ON] = "maintenance on",
	[CTL_CMD_MAINTENANCE_OFF] = "maintenance off",
	[CTL_CMD_EXIT] = "exit",
};

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
		if (!strcmp(c->word, word))
			return c;
		if (!strncmp(c->word, word, n)) {
			found = c;
			hits++;
		}
	}
	if (hits == 1)
		return found;
	snprintf(err, errlen, "%s command '%s'",
		 hits ? "ambiguous" : "unknown", word);
	return NULL;
}

/* Walk the words down the tree; returns the last node reached (NULL with
 * err on failure) or, when argc == 0, a NULL node with *ok true. */
static int walk(const struct ctl_node *root, int argc,
		const char (*argv)[CTL_MAX_WORD], const struct ctl_node **last,
		char *err, size_t errlen)
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
		level = node->children;
	}
	*last = node;
	return 0;
}

int ctl_cmd_match(const struct ctl_node *root, int argc,
		  const char (*argv)[CTL_MAX_WORD], char *err, size_t errlen)
{
	const struct ctl_node *node = NULL;
	if (walk(root, argc, argv, &node, err, errlen) < 0)
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

int ctl_cmd_complete(const struct ctl_node *root, int argc,
		     const char (*argv)[CTL_MAX_WORD], const char *prefix,
		     const struct ctl_node **out, size_t max, bool *can_end,
		     char *err, size_t errlen)
{
	const struct ctl_node *node = NULL;
	if (walk(root, argc, argv, &node, err, errlen) < 0)
		return -1;
	const struct ctl_node *level = node ? node->children : root;
	*can_end = node && node->cmd != 0;
	size_t n = strlen(prefix), count = 0;
	for (const struct ctl_node *c = level; c && c->word; c++) {
		if (strncmp(c->word, prefix, n))
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
