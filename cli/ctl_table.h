/* ctl_table: render JSON state as text for the daemon's show commands.
 *
 * Show handlers build one json-c object per command (the --json body, see
 * docs/design.md) and, for text, hand its row array to ctl_table_render with the
 * columns to print, so text and JSON never drift apart. */
#ifndef FABRICD_CLI_CTL_TABLE_H
#define FABRICD_CLI_CTL_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "cli/ctl_buf.h"

struct ctl_column {
	const char *key;	/* member of each row object */
	const char *title;	/* column heading */
};

/* Append to out a table: a heading line, then one line per element of rows
 * (a json array of objects), columns left-aligned and separated by two
 * spaces, no trailing blanks.  Cells: missing/null -> "-", booleans ->
 * "yes"/"no", numbers as JSON writes them, strings as is (control characters
 * shown as '?'), arrays -> elements joined by ", " ("-" if empty), objects -> their values
 * joined by " ".  Widths count UTF-8 characters.  A rows value that is not an
 * array renders as the heading only.  Returns 0, or -1 if out is full. */
int ctl_table_render(struct ctl_buf *out, struct json_object *rows,
		     const struct ctl_column *cols, size_t ncols);

/* Format one cell value as ctl_table_render does. */
int ctl_table_cell(struct ctl_buf *out, struct json_object *val);

/* Append a JSON document (pretty-printed or compact) and a final '\n'. */
int ctl_json_render(struct ctl_buf *out, struct json_object *obj, bool pretty);

#endif
