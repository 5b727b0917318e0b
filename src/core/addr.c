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

#include "addr.h"

#define ADDR_LOCAL_MAX 64
#define ADDR_DOMAIN_MAX 253
#define ADDR_LABEL_MAX 63
#define ADDR_WORK_MAX 1024   /* bytes of input considered */

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}

static bool is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static unsigned char to_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Characters allowed in an unquoted local part (RFC 5322 atext and the
 * dot, plus UTF-8 for RFC 6531). */
static bool local_char(unsigned char c)
{
	if (is_alnum(c) || c >= 0x80)
		return true;
	return strchr("!#$%&'*+-/=?^_`{|}~.", c) != NULL && c != '\0';
}

/* Characters allowed in a domain name label (letters, digits, hyphen,
 * underscore as seen in real host names, UTF-8 for IDN U-labels). */
static bool domain_char(unsigned char c)
{
	return is_alnum(c) || c == '-' || c == '_' || c >= 0x80;
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
				if (i + 2 >= len || is_ctl((unsigned char)s[i + 1]))
					return false;
				i++;
				continue;
			}
			if (c == '"')
				return false;
		}
		return true;
	}
	for (i = 0; i < len; i++)
		if (!local_char((unsigned char)s[i]))
			return false;
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
	for (i = 0; i < llen; i++)
		out[i] = fold_local && s[0] != '"' ? (char)to_lower((unsigned char)s[i]) : s[i];
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
		if (!is_alnum(c) && c != '-' && c != '_')
			break;
	}
	len = strip_comments(s, len, work, sizeof(work));
	s = work;
	trim(&s, &len);

	/* angle brackets, outside quotes: take what is inside */
	lt = NULL;
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (s[i] == '<' && !quoted) {
			lt = s + i;
			break;
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
	/* stray punctuation from prose around the address */
	while (len > 0 && (s[len - 1] == ',' || s[len - 1] == ';' ||
	                   s[len - 1] == ':' || s[len - 1] == '>'))
		len--;
	while (len > 0 && (s[0] == '<' || s[0] == '\'' ))
		s++, len--;
	trim(&s, &len);
	return emit(s, len, out, outsz, fold_local);
}

bool addr_valid(const char *addr)
{
	char tmp[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 2];
	size_t len;

	if (addr == NULL)
		return false;
	len = strnlen(addr, sizeof(tmp) + 1);
	if (len == 0 || len > sizeof(tmp) - 1)
		return false;
	if (addr[len - 1] == '.')
		return false;
	return emit(addr, len, tmp, sizeof(tmp), false) == 0;
}

int addr_find(const char *text, size_t len, char *out, size_t outsz)
{
	size_t i;

	if (out != NULL && outsz > 0)
		out[0] = '\0';
	if (text == NULL || out == NULL || outsz == 0)
		return -1;
	for (i = 0; i < len; i++) {
		size_t start, end;

		if (text[i] != '@')
			continue;
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
			while (start > 0 && local_char((unsigned char)text[start - 1]) &&
			       i - start <= ADDR_LOCAL_MAX)
				start--;
			while (start < i && text[start] == '.')
				start++;
		}
		end = i + 1;
		if (end < len && text[end] == '[') {
			while (end < len && text[end] != ']' && end - i <= 64)
				end++;
			if (end < len && text[end] == ']')
				end++;
		} else {
			while (end < len && (domain_char((unsigned char)text[end]) ||
			                     text[end] == '.') &&
			       end - i <= ADDR_DOMAIN_MAX + 1)
				end++;
			while (end > i + 1 && text[end - 1] == '.')
				end--;
		}
		if (start == i || end == i + 1)
			continue;
		if (emit(text + start, end - start, out, outsz, false) == 0)
			return 0;
	}
	if (outsz > 0)
		out[0] = '\0';
	return -1;
}
