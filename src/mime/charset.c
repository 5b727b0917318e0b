/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * charset.c - declared charsets to UTF-8 through glibc's iconv(3), for a
 * fixed list of charsets (charset.h).
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "mime/charset.h"

static const char *const charset_utf8_names[] = {
	"us-ascii", "ascii", "utf-8", "utf8", "ansi_x3.4-1968", NULL,
};

/* Declared name -> iconv name.  Names are compared without case. */
static const struct {
	const char *name, *iconv;
} charset_table[] = {
	{ "iso-2022-jp", "ISO-2022-JP" }, { "csiso2022jp", "ISO-2022-JP" },
	{ "shift_jis", "CP932" }, { "shift-jis", "CP932" }, { "sjis", "CP932" },
	{ "x-sjis", "CP932" }, { "cp932", "CP932" }, { "windows-31j", "CP932" },
	{ "euc-jp", "EUC-JP" }, { "x-euc-jp", "EUC-JP" },
	{ "gb2312", "GB18030" }, { "gbk", "GB18030" }, { "gb18030", "GB18030" },
	{ "x-gbk", "GB18030" }, { "cp936", "GB18030" },
	{ "big5", "BIG5" }, { "big5-hkscs", "BIG5-HKSCS" },
	{ "koi8-r", "KOI8-R" }, { "koi8-u", "KOI8-U" },
	{ "windows-1250", "CP1250" }, { "windows-1251", "CP1251" },
	{ "windows-1252", "CP1252" }, { "windows-1253", "CP1253" },
	{ "windows-1254", "CP1254" }, { "windows-1255", "CP1255" },
	{ "windows-1256", "CP1256" }, { "windows-1257", "CP1257" },
	{ "windows-1258", "CP1258" }, { "cp1251", "CP1251" }, { "cp1252", "CP1252" },
	{ "iso-8859-1", "ISO-8859-1" }, { "iso-8859-2", "ISO-8859-2" },
	{ "iso-8859-3", "ISO-8859-3" }, { "iso-8859-4", "ISO-8859-4" },
	{ "iso-8859-5", "ISO-8859-5" }, { "iso-8859-6", "ISO-8859-6" },
	{ "iso-8859-7", "ISO-8859-7" }, { "iso-8859-8", "ISO-8859-8" },
	{ "iso-8859-9", "ISO-8859-9" }, { "iso-8859-10", "ISO-8859-10" },
	{ "iso-8859-13", "ISO-8859-13" }, { "iso-8859-14", "ISO-8859-14" },
	{ "iso-8859-15", "ISO-8859-15" }, { "iso-8859-16", "ISO-8859-16" },
	{ "latin1", "ISO-8859-1" }, { "iso8859-1", "ISO-8859-1" },
	{ "iso_8859-1", "ISO-8859-1" }, { "iso8859-15", "ISO-8859-15" },
};

bool charset_is_utf8(const char *name)
{
	size_t i;

	if (name == NULL || name[0] == '\0')
		return true;
	for (i = 0; charset_utf8_names[i] != NULL; i++)
		if (strcasecmp(name, charset_utf8_names[i]) == 0)
			return true;
	return false;
}

static const char *charset_iconv_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < sizeof(charset_table) / sizeof(charset_table[0]); i++)
		if (strcasecmp(name, charset_table[i].name) == 0)
			return charset_table[i].iconv;
	return NULL;
}

bool charset_known(const char *name)
{
	return charset_iconv_name(name) != NULL;
}

/* Length of the longest prefix of s[0..n) that ends on a whole UTF-8
 * sequence (iconv only writes whole ones; this guards the cap). */
static size_t charset_utf8_whole(const char *s, size_t n)
{
	size_t k = n;

	while (k > 0 && ((unsigned char)s[k - 1] & 0xc0) == 0x80)
		k--;
	if (k > 0 && ((unsigned char)s[k - 1] & 0x80) != 0) {
		unsigned char lead = (unsigned char)s[k - 1];
		size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;

		if (n - (k - 1) < need)
			return k - 1;
	}
	return n;
}

/* ISO-8859-1 is the first 256 code points: each byte above 0x7f becomes
 * two bytes, no converter needed (the commonest 8-bit label of notices;
 * iconv costs more to open than this costs to run). */
static size_t charset_latin1(const char *in, size_t len, char *out,
                             size_t outsz)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c < 0x80) {
			if (o + 1 >= outsz)
				break;
			out[o++] = (char)c;
		} else {
			if (o + 2 >= outsz)
				break;
			out[o++] = (char)(0xc0 | (c >> 6));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	out[o] = '\0';
	return o;
}

size_t charset_to_utf8(const char *name, const char *in, size_t len,
                       char *out, size_t outsz)
{
	const char *from = charset_iconv_name(name);
	iconv_t cd;
	char *src = (char *)(uintptr_t)in, *dst = out;
	size_t srcleft = len, dstleft, n;

	if (outsz == 0)
		return (size_t)-1;
	out[0] = '\0';
	if (from == NULL || in == NULL)
		return (size_t)-1;
	if (strcmp(from, "ISO-8859-1") == 0)
		return charset_latin1(in, len, out, outsz);
	cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return (size_t)-1;
	dstleft = outsz - 1;
	while (srcleft > 0 && dstleft > 0) {
		if (iconv(cd, &src, &srcleft, &dst, &dstleft) != (size_t)-1)
			break;
		if (errno == EILSEQ) {
			/* a byte the charset does not allow: the label is wrong
			 * (EUC-JP declared as ISO-2022-JP happens); the caller
			 * keeps the text as it is */
			iconv_close(cd);
			out[0] = '\0';
			return (size_t)-1;
		}
		break;          /* E2BIG: the cap; EINVAL: cut at the end */
	}
	/* back to the initial shift state (ISO-2022-JP), room permitting */
	if (dstleft > 0)
		(void)iconv(cd, NULL, NULL, &dst, &dstleft);
	iconv_close(cd);
	n = charset_utf8_whole(out, (size_t)(dst - out));
	out[n] = '\0';
	return n;
}
