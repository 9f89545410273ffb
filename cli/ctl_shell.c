/* ctl_shell: interactive shell with libedit completion and '?' help. */
#include "cli/ctl_shell.h"

#include <histedit.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/ctl_client.h"
#include "cli/ctl_commands.h"
#include "cli/ctl_local.h"

#define SHELL_PROMPT "fabricd# "
#define MAX_CAND 32

/* Split text into words (spaces/tabs); overlong words are cut (they match
 * nothing anyway), extra words dropped.  *partial gets the word under the
 * cursor (the last one unless text ends in a blank), removed from w. */
static void split_words(const char *text, size_t len, struct ctl_request *w,
			char *partial, size_t plen)
{
	memset(w, 0, sizeof(*w));
	partial[0] = '\0';
	size_t i = 0;
	while (i < len) {
		if (text[i] == ' ' || text[i] == '\t') {
			i++;
			continue;
		}
		size_t start = i;
		while (i < len && text[i] != ' ' && text[i] != '\t')
			i++;
		if (w->argc < CTL_MAX_ARGS) {
			size_t n = i - start < CTL_MAX_WORD - 1
					   ? i - start : CTL_MAX_WORD - 1;
			memcpy(w->argv[w->argc], text + start, n);
			w->argv[w->argc][n] = '\0';
			w->argc++;
		}
	}
	if (w->argc > 0 && len > 0 && text[len - 1] != ' ' &&
	    text[len - 1] != '\t') {
		w->argc--;
		snprintf(partial, plen, "%s", w->argv[w->argc]);
	}
}

static void print_help(const char *text, size_t len, FILE *out)
{
	struct ctl_request w;
	char prefix[CTL_MAX_WORD];
	struct ctl_buf b;
	split_words(text, len, &w, prefix, sizeof(prefix));
	ctl_buf_init(&b);
	ctl_cmd_help(ctl_commands_root(true), w.argc,
		     (const char (*)[CTL_MAX_WORD])w.argv, prefix, &b);
	fputs(ctl_buf_str(&b), out);
	ctl_buf_free(&b);
}

int ctl_shell_line(const char *path, bool json, const char *line, FILE *out,
		   FILE *errf, bool *quit)
{
	size_t len = strcspn(line, "\r\n");
	struct ctl_request w;
	char partial[CTL_MAX_WORD];
	if (len > 0 && line[len - 1] == '?') {
		print_help(line, len - 1, out);
		fflush(out);
		return CTL_EXIT_OK;
	}
	split_words(line, len, &w, partial, sizeof(partial));
	if (partial[0])
		snprintf(w.argv[w.argc++], CTL_MAX_WORD, "%s", partial);
	if (w.argc == 0 || w.argv[0][0] == '#')
		return CTL_EXIT_OK;
	char err[160];
	if (len >= CTL_REQ_MAX) {
		fprintf(errf, "%% request too long (max %d bytes)\n",
			CTL_REQ_MAX);
		return CTL_EXIT_ERROR;
	}
	if (ctl_cmd_match(ctl_commands_root(true), w.argc,
			  (const char (*)[CTL_MAX_WORD])w.argv, err,
			  sizeof(err)) == CTL_CMD_EXIT) {
		*quit = true;
		return CTL_EXIT_OK;
	}
	/* Send the line as typed so that length and character checks see
	 * exactly what the operator wrote. */
	char copy[CTL_REQ_MAX + 1];
	const char *argv[CTL_MAX_ARGS + 1];
	int argc = 0;
	snprintf(copy, sizeof(copy), "%.*s", (int)len, line);
	for (char *save, *tok = strtok_r(copy, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (argc == CTL_MAX_ARGS) {
			fprintf(errf, "%% too many words (max %d)\n",
				CTL_MAX_ARGS);
			return CTL_EXIT_ERROR;
		}
		argv[argc++] = tok;
	}
	return ctl_local_run(path, json, true, argc, argv, out, errf, "% ");
}

/* Longest common prefix length of the candidates' words. */
static size_t common_prefix(const struct ctl_node **cand, int n)
{
	size_t len = strlen(cand[0]->word);
	for (int i = 1; i < n; i++) {
		size_t k = 0;
		while (k < len && cand[i]->word[k] == cand[0]->word[k])
			k++;
		len = k;
	}
	return len;
}

static unsigned char on_complete(EditLine *el, int ch)
{
	const LineInfo *li = el_line(el);
	struct ctl_request w;
	char prefix[CTL_MAX_WORD], err[160];
	const struct ctl_node *cand[MAX_CAND];
	bool can_end;
	split_words(li->buffer, (size_t)(li->cursor - li->buffer), &w, prefix,
		    sizeof(prefix));
	int n = ctl_cmd_complete(ctl_commands_root(true), w.argc,
				 (const char (*)[CTL_MAX_WORD])w.argv, prefix,
				 cand, MAX_CAND, &can_end, err, sizeof(err));
	if (n < 0) {
		printf("\n%% %s\n", err);
		return CC_REDISPLAY;
	}
	if (n == 0)
		return CC_REFRESH_BEEP;
	n = n > MAX_CAND ? MAX_CAND : n;
	size_t have = strlen(prefix), common = common_prefix(cand, n);
	if (n == 1 && !strcmp(cand[0]->word, "FILE"))
		return _el_fn_complete(el, ch);	/* libedit's file names */
	if (n == 1 && ctl_node_is_arg(cand[0])) {
		printf("\n%s  %s\n", cand[0]->word, cand[0]->help);
		return CC_REDISPLAY;	/* an argument: nothing to insert */
	}
	if (n == 1) {
		el_insertstr(el, cand[0]->word + have);
		el_insertstr(el, " ");
		return CC_REFRESH;
	}
	if (common > have) {
		char ext[CTL_MAX_WORD];
		snprintf(ext, sizeof(ext), "%.*s", (int)(common - have),
			 cand[0]->word + have);
		el_insertstr(el, ext);
		return CC_REFRESH;
	}
	putchar('\n');
	for (int i = 0; i < n; i++)
		printf("%s%s", i ? "  " : "", cand[i]->word);
	putchar('\n');
	return CC_REDISPLAY;
}

static unsigned char on_help(EditLine *el, int ch)
{
	const LineInfo *li = el_line(el);
	(void)ch;
	putchar('\n');
	print_help(li->buffer, (size_t)(li->cursor - li->buffer), stdout);
	return CC_REDISPLAY;
}

static char *prompt(EditLine *el)
{
	static char p[] = SHELL_PROMPT;
	(void)el;
	return p;
}

static int run_tty(const char *path, bool json)
{
	EditLine *el = el_init("fabricctl", stdin, stdout, stderr);
	History *hist = history_init();
	HistEvent ev;
	int worst = CTL_EXIT_OK, count;
	bool quit = false;
	if (!el || !hist) {
		fprintf(stderr, "fabricctl: cannot initialise libedit\n");
		return CTL_EXIT_UNREACHABLE;
	}
	history(hist, &ev, H_SETSIZE, 500);
	history(hist, &ev, H_SETUNIQUE, 1);
	el_set(el, EL_HIST, history, hist);
	el_set(el, EL_PROMPT, prompt);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_SIGNAL, 1);
	/* Wide-string EL_ADDFN: the narrow el_set() copies the name and help
	 * into wide strings that libedit never frees. */
	el_wset(el, EL_ADDFN, L"fabricctl-complete", L"Complete a command word",
		on_complete);
	el_wset(el, EL_ADDFN, L"fabricctl-help", L"List possible next words",
		on_help);
	el_set(el, EL_BIND, "^I", "fabricctl-complete", NULL);
	el_set(el, EL_BIND, "?", "fabricctl-help", NULL);
	el_source(el, NULL);	/* honour ~/.editrc like other tools */
	while (!quit) {
		const char *line = el_gets(el, &count);
		if (!line) {
			putchar('\n');
			break;
		}
		if (line[strspn(line, " \t\r\n")] != '\0')
			history(hist, &ev, H_ENTER, line);
		int st = ctl_shell_line(path, json, line, stdout, stderr, &quit);
		worst = st > worst ? st : worst;
	}
	history_end(hist);
	el_end(el);
	return worst;
}

static int run_script(const char *path, bool json)
{
	char *line = NULL;
	size_t cap = 0;
	int worst = CTL_EXIT_OK;
	bool quit = false;
	while (!quit && getline(&line, &cap, stdin) >= 0) {
		int st = ctl_shell_line(path, json, line, stdout, stderr, &quit);
		worst = st > worst ? st : worst;
	}
	free(line);
	return worst;
}

int ctl_shell_run(const char *path, bool json)
{
	return isatty(STDIN_FILENO) ? run_tty(path, json)
				    : run_script(path, json);
}
