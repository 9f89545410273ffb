/* ctl_commands: the fabricctl/fabricd command table (pure, libc only).
 *
 * One tree serves the daemon (which validates a request and turns it into a
 * command id) and the client (which completes words and prints '?' help).
 * Matching follows vtysh: a word selects the child it equals, otherwise the
 * only child it is a prefix of ("sh nei" == "show neighbors"). */
#ifndef FABRICD_CLI_CTL_COMMANDS_H
#define FABRICD_CLI_CTL_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/ctl_proto.h"

enum ctl_cmd_id {
	CTL_CMD_NONE = 0,
	CTL_CMD_SHOW_NEIGHBORS,		/* show neighbors */
	CTL_CMD_SHOW_INTERFACES,	/* show interfaces */
	CTL_CMD_SHOW_BFD,		/* show bfd */
	CTL_CMD_SHOW_ROUTES,		/* show routes */
	CTL_CMD_SHOW_FIB,		/* show fib */
	CTL_CMD_SHOW_DATABASE,		/* show database */
	CTL_CMD_SHOW_DATABASE_DETAIL,	/* show database detail */
	CTL_CMD_SHOW_SPF,		/* show spf */
	CTL_CMD_SHOW_COUNTERS,		/* show counters */
	CTL_CMD_SHOW_RUNNING_CONFIG,	/* show running-config */
	CTL_CMD_SHOW_RUNNING_CONFIG_SECRETS, /* show running-config secrets (root) */
	CTL_CMD_SHOW_VERSION,		/* show version */
	CTL_CMD_RELOAD,			/* reload */
	CTL_CMD_MAINTENANCE_ON,		/* maintenance on */
	CTL_CMD_MAINTENANCE_OFF,	/* maintenance off */
	CTL_CMD_SHOW_METRICS,		/* show metrics */
	CTL_CMD_SHOW_EVENTS,		/* show events [COUNT] */
	CTL_CMD_SHOW_TOPOLOGY,		/* show topology [--dot] */
	CTL_CMD_SHOW_PATHS,		/* show paths [A.B.C.D] */
	CTL_CMD_SHOW_ROUTE,		/* show route A.B.C.D[/M] */
	CTL_CMD_CLEAR_COUNTERS,		/* clear counters */
	CTL_CMD_CLEAR_NEIGHBOR,		/* clear neighbor [A.B.C.D] */
	CTL_CMD_MONITOR,		/* monitor: a stream of events */
	CTL_CMD_CHECK_TOPOLOGY,		/* check topology FILE: client only */
	CTL_CMD_EXIT,			/* exit | quit: shell tree only */
	CTL_CMD_COUNT
};

/* A word starting with an upper-case letter is a placeholder for an
 * argument (vtysh style): "A.B.C.D" takes an IPv4 address, "A.B.C.D/M" an
 * address or prefix, "COUNT" a number 1-1000000, "FILE" any word.  Literal words are matched first. */
struct ctl_node {
	const char *word;		/* NULL terminates a sibling array */
	const char *help;		/* one line, for '?' */
	int cmd;			/* command ending at this word, or 0 */
	const struct ctl_node *children;	/* NULL if none */
};

/* Children of the root: the daemon's commands, or (client) those plus the
 * commands fabricctl runs itself (check topology, exit/quit in the shell),
 * which never reach the daemon. */
const struct ctl_node *ctl_commands_root(bool shell);

/* Resolve words to a command id (> 0), or return -1 with err set to
 * "unknown command 'x'", "ambiguous command 'x'" or "incomplete command". */
int ctl_cmd_match(const struct ctl_node *root, int argc,
		  const char (*argv)[CTL_MAX_WORD], char *err, size_t errlen);

/* The same for a parsed request against the daemon tree. */
int ctl_cmd_match_request(const struct ctl_request *req, char *err,
			  size_t errlen);

/* Whether a node is an argument placeholder (see struct ctl_node). */
bool ctl_node_is_arg(const struct ctl_node *n);

/* The words of a matched request with abbreviations expanded: literal
 * words become the table's word, arguments stay as typed.  out needs
 * CTL_MAX_ARGS entries.  Returns argc, or -1 with err. */
int ctl_cmd_canonical(const struct ctl_node *root, int argc,
		      const char (*argv)[CTL_MAX_WORD],
		      char (*out)[CTL_MAX_WORD], char *err, size_t errlen);

/* Full words of a command id, e.g. "show database detail" ("" if unknown). */
const char *ctl_cmd_name(int cmd);

/* Completion: resolve argv[0..argc-1], then list in out[] (at most max) the
 * children whose word starts with prefix ("" lists all).  *can_end tells that
 * the resolved words already form a command ("<cr>" in '?' help).  Returns
 * the number of candidates (may exceed max: only max are stored) or -1 with
 * err when the preceding words do not resolve. */
int ctl_cmd_complete(const struct ctl_node *root, int argc,
		     const char (*argv)[CTL_MAX_WORD], const char *prefix,
		     const struct ctl_node **out, size_t max, bool *can_end,
		     char *err, size_t errlen);

/* '?' help like vtysh: for the word being typed (prefix, "" after a
 * space) list "  word  help" lines of the candidates, aligned, then "  <cr>"
 * when the words typed so far already form a command.  On words that do not
 * resolve, append "% <error>" instead.  Returns the number of candidates
 * (<cr> included) or -1. */
int ctl_cmd_help(const struct ctl_node *root, int argc,
		 const char (*argv)[CTL_MAX_WORD], const char *prefix,
		 struct ctl_buf *out);

#endif
