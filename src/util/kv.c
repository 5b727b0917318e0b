/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kv.c - quoting of sender-chosen values in key=value text.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "util/kv.h"

static bool
kv_special(unsigned char c)
{
	return c == ';' || c == '=' || c == '"' || c == '\\' || c == ' ' || c == '\t';
}

static char
kv_safe(unsigned char c)
{
	return c < 0x20 || c == 0x7f ? '?' : (char)c;
}

size_t
kv_quote(const char *value, char *out, size_t outsz)
{
	const unsigned char *v = (const unsigned char *)(value != NULL ? value : "");
	bool quote = *v == '\0';
	size_t o = 0;

	if (out == NULL || outsz == 0)
		return 0;
	for (const unsigned char *p = v; *p != '\0' && !quote; p++)
		quote = kv_special(*p);
	if (!quote) {
		for (; *v != '\0' && o + 1 < outsz; v++)
			out[o++] = kv_safe(*v);
		out[o] = '\0';
		return o;
	}
	if (outsz < 3) {
		out[0] = '\0';
		return 0;
	}
	out[o++] = '"';
	for (; *v != '\0'; v++) {
		bool esc = *v == '"' || *v == '\\';

		if (o + (esc ? 2 : 1) + 1 >= outsz)    /* keep room for '"' and NUL */
			break;
		if (esc)
			out[o++] = '\\';
		out[o++] = kv_safe(*v);
	}
	out[o++] = '"';
	out[o] = '\0';
	return o;
}

void
kv_append(char *buf, size_t bufsz, const char *sep, const char *key,
          const char *value)
{
	size_t len = strnlen(buf, bufsz), klen = strlen(key), slen = strlen(sep);
	char q[1024];
	size_t qlen = kv_quote(value, q, sizeof q);

	if (len + slen + klen + 1 + qlen + 1 > bufsz)
		return;
	memcpy(buf + len, sep, slen);
	len += slen;
	memcpy(buf + len, key, klen);
	len += klen;
	buf[len++] = '=';
	memcpy(buf + len, q, qlen + 1);
}
