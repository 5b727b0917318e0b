/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * addr.c - e-mail addresses as bounces write them: strip the address-type
 * prefix, display name, angle brackets and comments, validate, and lower
 * the case of the domain (ASCII only: internationalised domains stay in
 * UTF-8 as given).  Everything works on bounded spans; nothing allocates.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "classify/addr.h"
#include "util/text.h"

#define ADDR_LOCAL_MAX 64
#define ADDR_DOMAIN_MAX 253
#define ADDR_LABEL_MAX 63
#define ADDR_WORK_MAX 1024   /* bytes of input considered */
/* longest address emit() can write: local, '@', domain, NUL */
#define ADDR_OUT_MAX (ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 2)

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}

static bool is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* Byte classes, built at compile time: ASCII letter or digit, a byte of
 * an unquoted local part (RFC 5322 atext and the dot, plus UTF-8 for RFC
 * 6531), a byte of a domain name label (letters, digits, hyphen,
 * underscore as seen in real host names, UTF-8 for IDN U-labels). */
#define ADDR_ALNUM 1
#define ADDR_LOCAL 2
#define ADDR_DOMAIN 4
#define ADDR_TYPE 8     /* of an address-type prefix: ASCII alnum, '-', '_' */
#define ADDR_IS_ALNUM(c) (((c) >= '0' && (c) <= '9') || \
                          ((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))
#define ADDR_ATEXT_PUNCT(c) ((c) == '!' || (c) == '#' || (c) == '$' || \
	(c) == '%' || (c) == '&' || (c) == '\'' || (c) == '*' || (c) == '+' || \
	(c) == '-' || (c) == '/' || (c) == '=' || (c) == '?' || (c) == '^' || \
	(c) == '_' || (c) == '`' || (c) == '{' || (c) == '|' || (c) == '}' || \
	(c) == '~' || (c) == '.')
#define ADDR_CLASS(c) ((ADDR_IS_ALNUM(c) ? ADDR_ALNUM : 0) | \
	(ADDR_IS_ALNUM(c) || (c) >= 0x80 || ADDR_ATEXT_PUNCT(c) ? ADDR_LOCAL : 0) | \
	(ADDR_IS_ALNUM(c) || (c) >= 0x80 || (c) == '-' || (c) == '_' ? ADDR_DOMAIN : 0) | \
	(ADDR_IS_ALNUM(c) || (c) == '-' || (c) == '_' ? ADDR_TYPE : 0))
#define ADDR_C4(c) ADDR_CLASS(c), ADDR_CLASS((c) + 1), ADDR_CLASS((c) + 2), \
	ADDR_CLASS((c) + 3)
#define ADDR_C16(c) ADDR_C4(c), ADDR_C4((c) + 4), ADDR_C4((c) + 8), ADDR_C4((c) + 12)
#define ADDR_C64(c) ADDR_C16(c), ADDR_C16((c) + 16), ADDR_C16((c) + 32), \
	ADDR_C16((c) + 48)

static const unsigned char addr_class[256] = {
	ADDR_C64(0), ADDR_C64(64), ADDR_C64(128), ADDR_C64(192),
};

static bool is_alnum(unsigned char c)
{
	return (addr_class[c] & ADDR_ALNUM) != 0;
}

static unsigned char to_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

static bool local_char(unsigned char c)
{
	return (addr_class[c] & ADDR_LOCAL) != 0;
}

static bool domain_char(unsigned char c)
{
	return (addr_class[c] & ADDR_DOMAIN) != 0;
}

/* Quotation marks of prose that may touch an address without being part
 * of it ('a@b', `a@b'). */
static bool prose_quote(unsigned char c)
{
	return c == '\'' || c == '`';
}

/* Non-ASCII code points that are punctuation, spaces or symbols: never in
 * a domain name (IDNA disallows them), and where an address touches them
 * in prose they end it (Arabic comma, ideographic full stop, corner
 * brackets, no-break space, ...).  Sorted, inclusive ranges. */
static const struct { unsigned long lo, hi; } addr_punct[] = {
	{ 0x0080, 0x00a9 }, { 0x00ab, 0x00b4 }, { 0x00b6, 0x00b9 },
	{ 0x00bb, 0x00bf }, { 0x00d7, 0x00d7 }, { 0x00f7, 0x00f7 },
	{ 0x037e, 0x037e }, { 0x0387, 0x0387 }, { 0x055a, 0x055f },
	{ 0x0589, 0x058a }, { 0x05be, 0x05be }, { 0x05c0, 0x05c0 },
	{ 0x05c3, 0x05c3 }, { 0x05c6, 0x05c6 }, { 0x05f3, 0x05f4 },
	{ 0x0609, 0x060d }, { 0x061b, 0x061b }, { 0x061d, 0x061f },
	{ 0x066a, 0x066d }, { 0x06d4, 0x06d4 }, { 0x0964, 0x0965 },
	{ 0x0970, 0x0970 }, { 0x0e4f, 0x0e4f }, { 0x0e5a, 0x0e5b },
	{ 0x10fb, 0x10fb }, { 0x1360, 0x1368 }, { 0x1680, 0x1680 },
	{ 0x17d4, 0x17d6 }, { 0x17d8, 0x17da }, { 0x1800, 0x180a },
	{ 0x2000, 0x200b }, { 0x200e, 0x206f }, /* ZWNJ, ZWJ are IDN */
	{ 0x20a0, 0x20cf }, { 0x2190, 0x23ff }, { 0x2500, 0x27bf },
	{ 0x2900, 0x2bff }, { 0x2e00, 0x2e7f }, { 0x3000, 0x3004 },
	{ 0x3008, 0x3020 }, { 0x3030, 0x3030 }, { 0x303d, 0x303f },
	{ 0xfe10, 0xfe19 }, { 0xfe30, 0xfe6b }, { 0xfeff, 0xfeff },
	{ 0xff01, 0xff0f }, { 0xff1a, 0xff20 }, { 0xff3b, 0xff40 },
	{ 0xff5b, 0xff65 }, { 0xfff9, 0xfffd },
};

static bool utf8_punct(unsigned long cp)
{
	size_t lo = 0, hi = sizeof(addr_punct) / sizeof(addr_punct[0]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < addr_punct[mid].lo)
			hi = mid;
		else if (cp > addr_punct[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/* Length of the non-ASCII letter (a well-formed UTF-8 sequence that is not
 * punctuation) at s[0..len), or 0. */
static size_t utf8_letter(const char *s, size_t len)
{
	unsigned long cp = 0;
	size_t n = text_utf8(s, len, &cp);

	return n > 1 && !utf8_punct(cp) ? n : 0;
}

/* Start of the non-ASCII letter that ends at s[end) (s[0..end) scanned
 * backwards), or end when there is none. */
static size_t utf8_letter_before(const char *s, size_t end)
{
	size_t b = end, k;

	for (k = 0; k < 4 && b > 0; k++) {
		b--;
		if (((unsigned char)s[b] & 0xc0) != 0x80)
			return utf8_letter(s + b, end - b) == end - b ? b : end;
	}
	return end;
}

static bool valid_local(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > ADDR_LOCAL_MAX)
		return false;
	if (s[0] == '"') {
		/* quoted string: printable, escapes allowed, ends with quote */
		if (len < 2 || s[len - 1] != '"')
			return false;
		for (i = 1; i + 1 < len; i++) {
			unsigned char c = (unsigned char)s[i];

			if (is_ctl(c))
				return false;
			if (c == '\\') {
				/* quoted-pair: the next character stands for itself */
				if (i + 2 >= len || is_ctl((unsigned char)s[i + 1]))
					return false;
				c = (unsigned char)s[++i];
			} else if (c == '"') {
				return false;
			}
			if (c >= 0x80) {
				unsigned long cp;
				size_t n = text_utf8(s + i, len - 1 - i, &cp);

				if (n == 0)
					return false;
				i += n - 1;
			}
		}
		return true;
	}
	for (i = 0; i < len; i++) {
		unsigned long cp;
		size_t n;

		if (!local_char((unsigned char)s[i]))
			return false;
		if ((unsigned char)s[i] < 0x80)
			continue;
		n = text_utf8(s + i, len - i, &cp);
		if (n == 0)
			return false;
		i += n - 1;
	}
	return true;
}

static bool valid_domain(const char *s, size_t len)
{
	size_t i, label = 0;

	if (len == 0 || len > ADDR_DOMAIN_MAX)
		return false;
	if (s[0] == '[') {
		/* address literal: [192.0.2.1] or [IPv6:...] */
		if (len < 3 || s[len - 1] != ']')
			return false;
		for (i = 1; i + 1 < len; i++) {
			unsigned char c = (unsigned char)s[i];

			if (!is_alnum(c) && c != '.' && c != ':')
				return false;
		}
		return true;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!domain_char(c))
			return false;
		if (c >= 0x80) {
			size_t n = utf8_letter(s + i, len - i);

			if (n == 0)
				return false;
			i += n - 1;
			label += n - 1;
		}
		if (++label > ADDR_LABEL_MAX)
			return false;
	}
	return label > 0;
}

/* Index of the last '@' outside quotes in s[0..len), or -1; also -1 when
 * there is more than one unquoted '@'. */
static long find_at(const char *s, size_t len)
{
	size_t i;
	long at = -1;
	bool quoted = false;
	const char *a;

	if (memchr(s, '"', len) == NULL) {
		/* nothing quoted: the one '@' there is */
		a = memchr(s, '@', len);
		if (a == NULL || memchr(a + 1, '@', len - (size_t)(a - s) - 1) != NULL)
			return -1;
		return (long)(a - s);
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && quoted) {
			i++;
			continue;
		}
		if (s[i] == '"')
			quoted = !quoted;
		else if (s[i] == '@' && !quoted) {
			if (at >= 0)
				return -1;
			at = (long)i;
		}
	}
	return quoted ? -1 : at;
}

/* Validate local@domain in s[0..len) and write it, folded, to out. */
static int emit(const char *s, size_t len, char *out, size_t outsz,
                bool fold_local)
{
	long at = find_at(s, len);
	size_t i, llen, dlen;

	if (at <= 0 || (size_t)at + 1 >= len)
		return -1;
	llen = (size_t)at;
	dlen = len - llen - 1;
	/* a root dot at the end of the domain is not part of the name */
	if (dlen > 1 && s[len - 1] == '.')
		dlen--;
	if (!valid_local(s, llen) || !valid_domain(s + llen + 1, dlen))
		return -1;
	if (llen + 1 + dlen + 1 > outsz)
		return -1;
	if (fold_local && s[0] != '"')
		for (i = 0; i < llen; i++)
			out[i] = (char)to_lower((unsigned char)s[i]);
	else
		memcpy(out, s, llen);
	out[llen] = '@';
	for (i = 0; i < dlen; i++)
		out[llen + 1 + i] = (char)to_lower((unsigned char)s[llen + 1 + i]);
	out[llen + 1 + dlen] = '\0';
	return 0;
}

/* Copy in[0..len) to work without comments (parenthesised, outside
 * quotes, nested), returning the new length. */
static size_t strip_comments(const char *in, size_t len, char *work, size_t worksz)
{
	size_t i, n = 0;
	int depth = 0;
	bool quoted = false;

	if (len < worksz && memchr(in, '(', len) == NULL) {
		/* no comment: a plain copy */
		memcpy(work, in, len);
		work[len] = '\0';
		return len;
	}
	for (i = 0; i < len && n + 1 < worksz; i++) {
		char c = in[i];

		if (depth == 0 && c == '\\' && quoted && i + 1 < len) {
			work[n++] = c;
			if (n + 1 < worksz)
				work[n++] = in[++i];
			continue;
		}
		if (depth == 0 && c == '"') {
			quoted = !quoted;
			work[n++] = c;
			continue;
		}
		if (!quoted && c == '(') {
			depth++;
			continue;
		}
		if (!quoted && c == ')' && depth > 0) {
			depth--;
			continue;
		}
		if (depth == 0)
			work[n++] = c;
	}
	work[n] = '\0';
	return n;
}

static void trim(const char **s, size_t *len)
{
	while (*len > 0 && is_space((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_space((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

static bool starts_ci(const char *s, size_t len, const char *p)
{
	size_t i, pl = strlen(p);

	if (len < pl)
		return false;
	for (i = 0; i < pl; i++)
		if (to_lower((unsigned char)s[i]) != (unsigned char)p[i])
			return false;
	return true;
}

int addr_normalise(const char *in, size_t inlen, char *out, size_t outsz,
                   bool fold_local)
{
	char work[ADDR_WORK_MAX];
	const char *s, *nul, *lt;
	size_t len, i;
	bool quoted = false;

	if (out != NULL && outsz > 0)
		out[0] = '\0';
	if (in == NULL || out == NULL || outsz == 0)
		return -1;
	nul = memchr(in, '\0', inlen);
	if (nul != NULL)
		inlen = (size_t)(nul - in);
	if (inlen > ADDR_WORK_MAX - 1)
		return -1;

	s = in;
	len = inlen;
	trim(&s, &len);
	/* address-type prefix: "rfc822;", "utf-8;" */
	for (i = 0; i < len && i < 32; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ';') {
			s += i + 1;
			len -= i + 1;
			break;
		}
		if (!(addr_class[c] & ADDR_TYPE))
			break;
	}
	len = strip_comments(s, len, work, sizeof(work));
	s = work;
	trim(&s, &len);

	/* angle brackets, outside quotes: take what is inside */
	lt = NULL;
	if (memchr(s, '"', len) == NULL) {
		/* nothing quoted: the first '<' there is */
		lt = memchr(s, '<', len);
	} else {
		for (i = 0; i < len; i++) {
			if (s[i] == '\\' && quoted)
				i++;    /* quoted-pair */
			else if (s[i] == '"')
				quoted = !quoted;
			else if (s[i] == '<' && !quoted) {
				lt = s + i;
				break;
			}
		}
	}
	if (lt != NULL) {
		const char *gt = memchr(lt, '>', len - (size_t)(lt - s));

		len = gt != NULL ? (size_t)(gt - lt - 1) : len - (size_t)(lt - s) - 1;
		s = lt + 1;
		trim(&s, &len);
	}
	if (starts_ci(s, len, "mailto:")) {
		s += 7;
		len -= 7;
	}
	/* Exchange writes proxy addresses with their type, "SMTP:a@b" or
	 * "smtp=a@b" */
	if (starts_ci(s, len, "smtp:") || starts_ci(s, len, "smtp=")) {
		s += 5;
		len -= 5;
	}
	/* Exchange's IMCEA encapsulation of a foreign address in an X.400 or
	 * legacy DN: "IMCEASMTP-a+40b+2Eexample@org.example" is a@b.example
	 * ('+' and two hex digits stand for one byte) */
	if (starts_ci(s, len, "imceasmtp-")) {
		char dec[ADDR_OUT_MAX + 1];
		const char *at = NULL;
		size_t k, n = 0;

		for (k = len; k > 10; k--)
			if (s[k - 1] == '@') {
				at = s + k - 1;
				break;
			}
		for (k = 10; at != NULL && s + k < at && n + 1 < sizeof(dec); k++) {
			int hi, lo;

			if (s[k] == '+' && s + k + 2 < at &&
			    (hi = text_hexval((unsigned char)s[k + 1])) >= 0 &&
			    (lo = text_hexval((unsigned char)s[k + 2])) >= 0) {
				dec[n++] = (char)(hi * 16 + lo);
				k += 2;
			} else {
				dec[n++] = s[k];
			}
		}
		if (at != NULL && n > 0 && memchr(dec, '@', n) != NULL)
			return emit(dec, n, out, outsz, fold_local);
	}
	/* stray punctuation from prose around the address */
	for (;;) {
		size_t b;

		while (len > 0 && (s[len - 1] == ',' || s[len - 1] == ';' ||
		                   s[len - 1] == ':' || s[len - 1] == '>' ||
		                   prose_quote((unsigned char)s[len - 1]) ||
		                   is_space((unsigned char)s[len - 1])))
			len--;
		/* a non-ASCII comma, full stop, bracket or space */
		for (b = len; b > 0 && len - b < 4 &&
		     ((unsigned char)s[b - 1] & 0xc0) == 0x80; b--)
			;
		if (b > 0 && (unsigned char)s[b - 1] >= 0xc0) {
			unsigned long cp = 0;

			if (text_utf8(s + b - 1, len - b + 1, &cp) == len - b + 1 &&
			    utf8_punct(cp)) {
				len = b - 1;
				continue;
			}
		}
		break;
	}
	while (len > 0 && (s[0] == '<' || prose_quote((unsigned char)s[0]) ||
	                   is_space((unsigned char)s[0])))
		s++, len--;
	return emit(s, len, out, outsz, fold_local);
}

int addr_find(const char *text, size_t len, char *out, size_t outsz)
{
	char again[ADDR_OUT_MAX];
	size_t i;

	if (out != NULL && outsz > 0)
		out[0] = '\0';
	if (text == NULL || out == NULL || outsz == 0)
		return -1;
	for (i = 0; i < len; i++) {
		size_t start, end;
		const char *a = memchr(text + i, '@', len - i);

		if (a == NULL)
			break;
		i = (size_t)(a - text);
		start = i;
		if (i > 0 && text[i - 1] == '"') {
			/* quoted local part: back to the opening quote */
			size_t q = i - 1;

			while (q > 0 && text[q - 1] != '"' && i - q <= ADDR_LOCAL_MAX + 1 &&
			       !is_ctl((unsigned char)text[q - 1]))
				q--;
			if (q == 0 || text[q - 1] != '"')
				continue;
			start = q - 1;
		} else {
			/* back over atext; a non-ASCII character only when it is
			 * a letter (punctuation and bad UTF-8 end the address) */
			while (start > 0 && i - start <= ADDR_LOCAL_MAX) {
				unsigned char c = (unsigned char)text[start - 1];
				size_t b;

				if (c < 0x80) {
					if (!local_char(c))
						break;
					start--;
					continue;
				}
				b = utf8_letter_before(text, start);
				if (b == start)
					break;
				start = b;
			}
			/* prose quotes and dots before the local part */
			while (start < i && (text[start] == '.' ||
			                     prose_quote((unsigned char)text[start])))
				start++;
		}
		end = i + 1;
		if (end < len && text[end] == '[') {
			while (end < len && text[end] != ']' && end - i <= 64)
				end++;
			if (end < len && text[end] == ']')
				end++;
		} else {
			while (end < len && end - i <= ADDR_DOMAIN_MAX + 1) {
				unsigned char c = (unsigned char)text[end];
				size_t n;

				if (c < 0x80) {
					if (!domain_char(c) && c != '.')
						break;
					end++;
					continue;
				}
				n = utf8_letter(text + end, len - end);
				if (n == 0)
					break;
				end += n;
			}
			while (end > i + 1 && text[end - 1] == '.')
				end--;
		}
		if (start == i || end == i + 1)
			continue;
		if (emit(text + start, end - start, out, outsz, false) == 0 &&
		    addr_normalise(out, strlen(out), again, sizeof(again),
		                   false) == 0 && strcmp(again, out) == 0)
			return 0;
		out[0] = '\0';
	}
	if (outsz > 0)
		out[0] = '\0';
	return -1;
}
