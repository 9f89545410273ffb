/* Dotted-quad text of an IPv4 address or router ID (host byte order), the
 * one formatter for logs, show output and config writing. */
#ifndef PROTO_LIB_IPV4_H
#define PROTO_LIB_IPV4_H

#include <stdint.h>
#include <stdio.h>

#define IPV4_STRLEN 16        /* "255.255.255.255" */
#define IPV4_PREFIX_STRLEN 19 /* "255.255.255.255/32" */

static inline const char *ipv4_str(uint32_t a, char buf[static IPV4_STRLEN])
{
	snprintf(buf, IPV4_STRLEN, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
		 a & 255);
	return buf;
}

static inline const char *ipv4_prefix_str(uint32_t a, unsigned len,
					  char buf[static IPV4_PREFIX_STRLEN])
{
	char s[IPV4_STRLEN];
	snprintf(buf, IPV4_PREFIX_STRLEN, "%s/%u", ipv4_str(a, s), len & 63);
	return buf;
}

#endif
