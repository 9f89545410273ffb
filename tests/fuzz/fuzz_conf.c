/* libFuzzer harness for the config loader: any bytes must be rejected
 * with a message or accepted, never crash or leak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct conf c;
	char err[CONF_ERRLEN];
	if (conf_load_string("fuzz.conf", text, &c, err, sizeof(err)) == 0) {
		/* A config that loads must write out and load back. */
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);
		if (f) {
			conf_write(&c, f);
			fclose(f);
			struct conf again;
			if (conf_load_string("written.conf", out, &again, err, sizeof(err)) != 0)
				abort();
			struct conf_diff d;
			conf_diff(&c, &again, &d);
			if (d.n_added || d.n_removed || d.n_changed || d.router_id || d.area ||
			    d.spf || d.bfd_timers || d.control || d.max_metric)
				abort();
			conf_diff_free(&d);
			conf_free(&again);
			free(out);
		}
		conf_free(&c);
	}
	free(text);
	return 0;
}
