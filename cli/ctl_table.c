/* ctl_table: aligned text tables from json-c rows (see ctl_table.h). */
#include "cli/ctl_table.h"

#include <stdlib.h>
#include <string.h>

/* Strings come from peers (interface names, config): never let a control
 * character reach the operator's terminal. */
static int append_clean(struct ctl_buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char ch = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
		if (ctl_buf_append(out, &ch, 1) < 0)
			return -1;
	}
	return 0;
}

static int append_joined(struct ctl_buf *out, struct json_object *val)
{
	size_t n = json_object_array_length(val);
	if (n == 0)
		return ctl_buf_puts(out, "-");
	for (size_t i = 0; i < n; i++) {
		if (i && ctl_buf_puts(out, ", ") < 0)
			return -1;
		if (ctl_table_cell(out, json_object_array_get_idx(val, i)) < 0)
			return -1;
	}
	return 0;
}

static int append_object(struct ctl_buf *out, struct json_object *val)
{
	bool first = true;
	json_object_object_foreach(val, key, member) {
		/* A flag member reads as its name when set ("... onlink"). */
		bool flag = json_object_is_type(member, json_type_boolean);
		if (flag && !json_object_get_boolean(member))
			continue;
		if (!first && ctl_buf_puts(out, " ") < 0)
			return -1;
		first = false;
		if ((flag ? ctl_buf_puts(out, key) : ctl_table_cell(out, member)) < 0)
			return -1;
	}
	return 0;
}

int ctl_table_cell(struct ctl_buf *out, struct json_object *val)
{
	switch (json_object_get_type(val)) {
	case json_type_null:
		return ctl_buf_puts(out, "-");
	case json_type_boolean:
		return ctl_buf_puts(out, json_object_get_boolean(val) ? "yes"
								       : "no");
	case json_type_string:
		return append_clean(out, json_object_get_string(val));
	case json_type_array:
		return append_joined(out, val);
	case json_type_object:
		return append_object(out, val);
	case json_type_int:
	case json_type_double:
	default:
		return ctl_buf_puts(out, json_object_to_json_string_ext(
						 val, JSON_C_TO_STRING_PLAIN));
	}
}

/* Display width of UTF-8 text: one column per code point (the tables hold
 * addresses, names and numbers, no wide characters). */
static size_t text_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static int pad(struct ctl_buf *out, size_t n)
{
	static const char spaces[] = "                                ";
	while (n > 0) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		if (ctl_buf_append(out, spaces, k) < 0)
			return -1;
		n -= k;
	}
	return 0;
}

/* Emit one line of cells; the last cell is not padded. */
static int emit_line(struct ctl_buf *out, char **cells, const size_t *width,
		     size_t ncols)
{
	size_t last = ncols;
	while (last > 0 && cells[last - 1][0] == '\0')
		last--;
	for (size_t c = 0; c < last; c++) {
		if (ctl_buf_puts(out, cells[c]) < 0)
			return -1;
		if (c + 1 < last && pad(out, width[c] - text_width(cells[c]) +
						     2) < 0)
			return -1;
	}
	return ctl_buf_puts(out, "\n");
}

/* Cell strings of every row, row-major: cells[r * ncols + c]. */
static char **format_cells(struct json_object *rows, size_t nrows,
			   const struct ctl_column *cols, size_t ncols)
{
	char **cells = calloc(nrows * ncols + 1, sizeof(*cells));
	if (!cells)
		return NULL;
	struct ctl_buf tmp;
	ctl_buf_init(&tmp);
	for (size_t r = 0; r < nrows; r++) {
		struct json_object *row = json_object_array_get_idx(rows, r);
		for (size_t c = 0; c < ncols; c++) {
			struct json_object *val = NULL;
			ctl_buf_reset(&tmp);
			if (!json_object_is_type(row, json_type_object) ||
			    !json_object_object_get_ex(row, cols[c].key, &val))
				val = NULL;
			if (ctl_table_cell(&tmp, val) < 0 ||
			    !(cells[r * ncols + c] = strdup(ctl_buf_str(&tmp))))
				goto fail;
		}
	}
	ctl_buf_free(&tmp);
	return cells;
fail:
	ctl_buf_free(&tmp);
	for (size_t i = 0; i < nrows * ncols; i++)
		free(cells[i]);
	free(cells);
	return NULL;
}

int ctl_table_render(struct ctl_buf *out, struct json_object *rows,
		     const struct ctl_column *cols, size_t ncols)
{
	size_t nrows = json_object_is_type(rows, json_type_array)
			       ? json_object_array_length(rows) : 0;
	char **cells = format_cells(rows, nrows, cols, ncols);
	size_t *width = calloc(ncols + 1, sizeof(*width));
	char **line = calloc(ncols + 1, sizeof(*line));
	int rc = -1;
	if (!cells || !width || !line)
		goto out;
	for (size_t c = 0; c < ncols; c++) {
		width[c] = text_width(cols[c].title);
		for (size_t r = 0; r < nrows; r++) {
			size_t w = text_width(cells[r * ncols + c]);
			if (w > width[c])
				width[c] = w;
		}
		line[c] = (char *)cols[c].title;
	}
	if (emit_line(out, line, width, ncols) < 0)
		goto out;
	for (size_t r = 0; r < nrows; r++)
		if (emit_line(out, cells + r * ncols, width, ncols) < 0)
			goto out;
	rc = 0;
out:
	if (cells)
		for (size_t i = 0; i < nrows * ncols; i++)
			free(cells[i]);
	free(cells);
	free(width);
	free(line);
	return rc;
}

int ctl_json_render(struct ctl_buf *out, struct json_object *obj, bool pretty)
{
	int flags = pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
			   : JSON_C_TO_STRING_PLAIN;
	flags |= JSON_C_TO_STRING_NOSLASHESCAPE;
	const char *s = json_object_to_json_string_ext(obj, flags);
	if (ctl_buf_puts(out, s) < 0)
		return -1;
	return ctl_buf_puts(out, "\n");
}
