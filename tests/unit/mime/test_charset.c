/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_charset.c - mime/charset.c: each charset of the list converted to
 * UTF-8, the cap (never a cut sequence), a charset not on the list and a
 * wrong label refused.  The inputs are our own sentences, encoded.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mime/charset.h"

static const struct {
	const char *charset, *in, *utf8;
} conv_cases[] = {
	{ "iso-2022-jp", "\x1b""$B08@hITL@$N$?$aG[Aw$G$-$^$;$s\x1b""(B", "宛先不明のため配送できません" },
	{ "Shift_JIS", "\x83""\x86""\x81""[\x83""U\x82""\xaa""\x91""\xb6""\x8d""\xdd""\x82""\xb5""\x82""\xdc""\x82""\xb9""\x82""\xf1""", "ユーザが存在しません" },
	{ "euc-jp", "\xa5""\xe6""\xa1""\xbc""\xa5""\xb6""\xa1""\xbc""\xa4""\xcf""\xc2""\xb8""\xba""\xdf""\xa4""\xb7""\xa4""\xde""\xa4""\xbb""\xa4""\xf3""", "ユーザーは存在しません" },
	{ "gb2312", "\xca""\xd5""\xbc""\xfe""\xc8""\xcb""\xb2""\xbb""\xb4""\xe6""\xd4""\xda""", "收件人不存在" },
	{ "gbk", "\xd3""\xc3""\xbb""\xa7""\xb2""\xbb""\xb4""\xe6""\xd4""\xda""", "用户不存在" },
	{ "big5", "\xa5""\xce""\xa4""\xe1""\xa4""\xa3""\xa6""s\xa6""b", "用戶不存在" },
	{ "koi8-r", "\xf0""\xcf""\xcc""\xd8""\xda""\xcf""\xd7""\xc1""\xd4""\xc5""\xcc""\xd8"" \xce""\xc5"" \xce""\xc1""\xca""\xc4""\xc5""\xce""", "Пользователь не найден" },
	{ "windows-1251", "\xcf""\xee""\xf7""\xf2""\xee""\xe2""\xfb""\xe9"" \xff""\xf9""\xe8""\xea"" \xef""\xe5""\xf0""\xe5""\xef""\xee""\xeb""\xed""\xe5""\xed""", "Почтовый ящик переполнен" },
	{ "iso-8859-1", "Empf\xe4""nger unbekannt", "Empfänger unbekannt" },
	{ "iso-8859-15", "bo\xee""te aux lettres pleine \xa4""", "boîte aux lettres pleine €" },
	{ "windows-1252", "destinat\xe1""rio desconhecido", "destinatário desconhecido" },
};

static void test_convert(void **state)
{
	char out[256];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(conv_cases) / sizeof(conv_cases[0]); i++) {
		print_message("%s\n", conv_cases[i].charset);
		assert_true(charset_known(conv_cases[i].charset));
		assert_false(charset_is_utf8(conv_cases[i].charset));
		n = charset_to_utf8(conv_cases[i].charset, conv_cases[i].in,
		                    strlen(conv_cases[i].in), out, sizeof(out));
		assert_int_equal(n, strlen(conv_cases[i].utf8));
		assert_string_equal(out, conv_cases[i].utf8);
	}
}

static void test_cap(void **state)
{
	/* three characters of EUC-JP, three UTF-8 bytes each */
	static const char in[] = "\xa5\xe6\xa1\xbc\xa5\xb6";
	char out[8];
	size_t n, cap;

	(void)state;
	for (cap = 1; cap <= sizeof(out); cap++) {
		n = charset_to_utf8("EUC-JP", in, strlen(in), out, cap);
		assert_int_equal(n % 3, 0);     /* whole characters only */
		assert_true(n < cap);
		assert_int_equal(strlen(out), n);
	}
	assert_int_equal(charset_to_utf8("EUC-JP", in, strlen(in), out, 0), (size_t)-1);
}

/* ISO-8859-1, converted without iconv: every byte, and the cap never
 * cuts a two-byte character */
static void test_latin1(void **state)
{
	char in[256], out[600], ref[4];
	size_t i, n, cap;

	(void)state;
	for (i = 0; i < 255; i++)
		in[i] = (char)(i + 1);
	in[255] = '\0';
	n = charset_to_utf8("ISO-8859-1", in, 255, out, sizeof(out));
	assert_int_equal(n, 127 + 2 * 128);
	assert_int_equal(strlen(out), n);
	ref[0] = (char)0xc3;
	ref[1] = (char)0xbf;             /* U+00FF, the last byte */
	assert_memory_equal(out + n - 2, ref, 2);
	for (cap = 1; cap <= 6; cap++) {
		n = charset_to_utf8("latin1", "\xe4\xe4\xe4", 3, out, cap);
		assert_int_equal(n % 2, 0);
		assert_true(n < cap);
		assert_int_equal(strlen(out), n);
	}
}

static void test_refused(void **state)
{
	char out[64];

	(void)state;
	assert_true(charset_is_utf8(""));
	assert_true(charset_is_utf8("US-ASCII"));
	assert_true(charset_is_utf8("utf-8"));
	assert_false(charset_known("utf-7"));
	assert_false(charset_known("x-unknown"));
	assert_false(charset_known("../../tmp/evil"));
	assert_int_equal(charset_to_utf8("utf-7", "abc", 3, out, sizeof(out)), (size_t)-1);
	assert_string_equal(out, "");
	/* eight-bit bytes labelled ISO-2022-JP (a seven-bit charset) */
	assert_int_equal(charset_to_utf8("iso-2022-jp", "\xa5\xe6\xa1\xbc", 4, out,
	                                 sizeof(out)), (size_t)-1);
	assert_string_equal(out, "");
	/* a sequence cut at the end of the input: the whole part is kept */
	assert_int_equal(charset_to_utf8("euc-jp", "ab\xa5", 3, out, sizeof(out)), 2);
	assert_string_equal(out, "ab");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_convert),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_latin1),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
