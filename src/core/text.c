/*
 * text.c - bounded span helpers (see text.h).
 *
 * text_findn() is the hot path of every recogniser: it finds candidate
 * positions of the needle's rarest byte with memchr (both cases, each
 * position remembered so no byte is scanned twice), then compares the
 * whole needle case-insensitively.  A needle that spans lines ("address\nfailed:")
 * matches the hay with LF or with CRLF line ends.  No allocation anywhere.
 */
#include "config.h"

#include <string.h>

#include "text.h"

static inline unsigned char
text_lc(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static inline bool
text_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\v' || c == '\f';
}

static bool
text_eq(const unsigned char *a, const unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i] && text_lc(a[i]) != text_lc(b[i]))
			return false;
	return true;
}

/* Match needle n[0..nlen) at h (hay ends at end), a '\n' of the needle
 * also matching "\r\n": the same phrase then matches text with LF and
 * with CRLF line ends.  Returns the length matched in the hay, 0 if none. */
static size_t
text_eq_lines(const unsigned char *h, const unsigned char *end,
              const unsigned char *n, size_t nlen)
{
	size_t i, j = 0;

	for (i = 0; i < nlen; i++, j++) {
		if (n[i] == '\n' && (size_t)(end - h) - j >= 2 && h[j] == '\r' &&
		    h[j + 1] == '\n')
			j++;
		if (j >= (size_t)(end - h))
			return 0;
		if (h[j] != n[i] && text_lc(h[j]) != text_lc(n[i]))
			return 0;
	}
	return j;
}

/* How often a byte turns up in bounce text, roughly (0: rare; a letter
 * counts both cases).  The search anchors on the needle's rarest byte:
 * anchoring on the first one stopped memchr at every 'a' or 'e' of the
 * text. */
static const unsigned char text_commonness[256] = {
	[' '] = 8, ['e'] = 8, ['E'] = 8, ['t'] = 8, ['T'] = 8, ['a'] = 8,
	['A'] = 8, ['o'] = 8, ['O'] = 8, ['i'] = 8, ['I'] = 8, ['n'] = 8,
	['N'] = 8, ['s'] = 8, ['S'] = 8, ['r'] = 8, ['R'] = 8,
	['h'] = 6, ['H'] = 6, ['l'] = 6, ['L'] = 6, ['d'] = 6, ['D'] = 6,
	['c'] = 6, ['C'] = 6, ['u'] = 6, ['U'] = 6, ['m'] = 6, ['M'] = 6,
	['\n'] = 6, ['\r'] = 6,
	['f'] = 4, ['F'] = 4, ['p'] = 4, ['P'] = 4, ['g'] = 4, ['G'] = 4,
	['w'] = 4, ['W'] = 4, ['y'] = 4, ['Y'] = 4, ['b'] = 4, ['B'] = 4,
	['.'] = 4, [','] = 4, ['='] = 4, ['0'] = 4,
	['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2, ['5'] = 2, ['6'] = 2,
	['7'] = 2, ['8'] = 2, ['9'] = 2, ['v'] = 2, ['V'] = 2, ['k'] = 2,
	['K'] = 2, ['-'] = 2, ['\t'] = 2, ['/'] = 2, [':'] = 2,
	['x'] = 1, ['X'] = 1, ['j'] = 1, ['J'] = 1, ['q'] = 1, ['Q'] = 1,
	['z'] = 1, ['Z'] = 1,
};

/* text_findn_span() for a needle without line breaks: the first start
 * whose nlen bytes equal the needle, found through the candidates of its
 * rarest byte (both cases), in increasing order. */
static const char *
text_findn_anchored(const unsigned char *h, size_t len,
                    const unsigned char *n, size_t nlen)
{
	const unsigned char *last = h + len - nlen, *lo_end, *pl, *pu, *c;
	size_t j = 0, k, w, best = 255;
	unsigned char lo, up;

	for (k = 0; k < nlen && best > 0; k++) {
		w = text_commonness[n[k]];
		if (w < best) {
			best = w;
			j = k;
		}
	}
	lo = text_lc(n[j]);
	up = (lo >= 'a' && lo <= 'z') ? (unsigned char)(lo - 32) : lo;
	/* anchor positions h + j .. last + j */
	lo_end = last + j;
	if (lo == up) {
		c = h + j;
		while (c <= lo_end) {
			c = memchr(c, lo, (size_t)(lo_end - c) + 1);
			if (c == NULL)
				return NULL;
			if (text_eq(c - j, n, nlen))
				return (const char *)(c - j);
			c++;
		}
		return NULL;
	}
	pl = memchr(h + j, lo, (size_t)(lo_end - (h + j)) + 1);
	pu = memchr(h + j, up, (size_t)(lo_end - (h + j)) + 1);
	while (pl != NULL || pu != NULL) {
		if (pu == NULL || (pl != NULL && pl < pu)) {
			c = pl;
			pl = c < lo_end ? memchr(c + 1, lo, (size_t)(lo_end - c)) : NULL;
		} else {
			c = pu;
			pu = c < lo_end ? memchr(c + 1, up, (size_t)(lo_end - c)) : NULL;
		}
		if (text_eq(c - j, n, nlen))
			return (const char *)(c - j);
	}
	return NULL;
}

const char *
text_findn_span(const char *hay, size_t len, const char *needle, size_t nlen,
                size_t *span)
{
	const unsigned char *h = (const unsigned char *)hay;
	const unsigned char *n = (const unsigned char *)needle;
	const unsigned char *end, *last, *c;
	unsigned char lo, up;
	bool lines;
	size_t m;

	if (span != NULL)
		*span = 0;
	if (nlen == 0)
		return hay;
	if (hay == NULL || nlen > len)
		return NULL;
	end = h + len;
	last = end - nlen;      /* last possible start */
	lo = text_lc(n[0]);
	up = (lo >= 'a' && lo <= 'z') ? (unsigned char)(lo - 32) : lo;
	/* a needle spanning lines is compared CRLF-tolerantly */
	lines = nlen > 1 && memchr(n + 1, '\n', nlen - 1) != NULL;
	if (!lines) {
		c = (const unsigned char *)text_findn_anchored(h, len, n, nlen);
		if (c != NULL && span != NULL)
			*span = nlen;
		return (const char *)c;
	}

	/* rare: test each start whose byte is the needle's first (either
	 * case) CRLF-tolerantly */
	for (c = h; c <= last; c++) {
		if (*c != lo && *c != up)
			continue;
		m = text_eq_lines(c, end, n, nlen);
		if (m > 0) {
			if (span != NULL)
				*span = m;
			return (const char *)c;
		}
	}
	return NULL;
}

const char *
text_findn(const char *hay, size_t len, const char *needle, size_t nlen)
{
	return text_findn_span(hay, len, needle, nlen, NULL);
}

const char *
text_find(const char *hay, size_t len, const char *needle)
{
	if (needle == NULL)
		return NULL;
	return text_findn(hay, len, needle, strlen(needle));
}

bool
text_starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	if (n > len)
		return false;
	if (memchr(prefix, '\n', n) != NULL)
		return text_eq_lines((const unsigned char *)s,
		                     (const unsigned char *)s + len,
		                     (const unsigned char *)prefix, n) > 0;
	return text_eq((const unsigned char *)s, (const unsigned char *)prefix, n);
}

bool
text_next_line(const char *s, size_t len, size_t *pos,
               const char **line, size_t *line_len)
{
	const char *start, *nl;
	size_t n;

	if (*pos >= len)
		return false;
	start = s + *pos;
	nl = memchr(start, '\n', len - *pos);
	if (nl != NULL) {
		n = (size_t)(nl - start);
		*pos += n + 1;
	} else {
		n = len - *pos;
		*pos = len;
	}
	if (n > 0 && start[n - 1] == '\r')
		n--;
	*line = start;
	*line_len = n;
	return true;
}

void
text_trim(const char **s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)*s;
	size_t n = *len;

	while (n > 0 && text_space(p[0])) {
		p++;
		n--;
	}
	while (n > 0 && text_space(p[n - 1]))
		n--;
	*s = (const char *)p;
	*len = n;
}

size_t
text_collapse(const char *s, size_t len, char *out, size_t outsz)
{
	size_t i, o = 0;
	bool pending = false;
	unsigned char c;

	if (outsz == 0)
		return 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c <= 0x20 || c == 0x7f) {
			pending = o > 0;
			continue;
		}
		if (pending) {
			if (o + 2 >= outsz)     /* room for ' ' and c */
				break;
			out[o++] = ' ';
			pending = false;
		}
		if (o + 1 >= outsz)
			break;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return o;
}

void
text_lower_copy(const char *s, size_t len, char *out, size_t outsz)
{
	size_t i;

	if (outsz == 0)
		return;
	if (len > outsz - 1)
		len = outsz - 1;
	for (i = 0; i < len; i++)
		out[i] = (char)text_lc((unsigned char)s[i]);
	out[len] = '\0';
}

void
text_token_lower(const char *s, size_t len, char *out, size_t outsz)
{
	size_t n = 0;

	while (n < len && (unsigned char)s[n] > ' ' && s[n] != 0x7f &&
	       s[n] != '(' && s[n] != ';')
		n++;
	text_lower_copy(s, n, out, outsz);
}

size_t
text_utf8(const char *str, size_t len, unsigned long *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;
	unsigned long v, min;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		n = 1;
		v = s[0];
		min = 0;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		v = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		v = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		v = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	if (cp != NULL)
		*cp = v;
	return n;
}

/* ------------------------------------------------------------ decoders */

static const signed char text_b64val[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6,
	['G'] = 7, ['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12,
	['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18,
	['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
	['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30,
	['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36,
	['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
	['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
	['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54,
	['2'] = 55, ['3'] = 56, ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60,
	['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
	/* URL-safe alphabet, seen in the wild */
	['-'] = 63, ['_'] = 64,
};

size_t
text_b64_decode(const char *s, size_t len, char *out, size_t outsz, bool *bad)
{
	unsigned long acc = 0;
	unsigned nbits = 0, nchars = 0;
	size_t i, o = 0;
	unsigned char c;
	int v;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		v = text_b64val[c];
		if (v == 0) {
			if (c == '=') {
				/* padding ends this quantum */
				if (nchars % 4 == 1 && bad)
					*bad = true;
				acc = 0;
				nbits = 0;
				nchars = 0;
			} else if (!text_space(c) && bad) {
				*bad = true;
			}
			continue;
		}
		acc = (acc << 6) | (unsigned long)(v - 1);
		nbits += 6;
		nchars++;
		if (nbits >= 8) {
			nbits -= 8;
			if (o < outsz)
				out[o++] = (char)((acc >> nbits) & 0xff);
			else if (bad)
				*bad = true;
		}
		acc &= (1UL << nbits) - 1;
	}
	if (nchars % 4 == 1 && bad)
		*bad = true;
	return o;
}

static int
text_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = text_lc(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Index of the first c in s[from..len), or len. */
static size_t
text_next_byte(const char *s, size_t from, size_t len, char c)
{
	const char *p = memchr(s + from, c, len - from);

	return p != NULL ? (size_t)(p - s) : len;
}

/*
 * Works a line at a time: the only white space ever dropped is the run at
 * the end of a line (before LF or CRLF), found once per line from its end;
 * inside the line the bytes up to the next '=' (or '_' standing for a
 * space) are copied as one block.  Every byte is looked at a bounded
 * number of times, most of them only by memchr and memcpy.
 */
size_t
text_qp_decode(const char *s, size_t len, char *out, size_t outsz,
               bool underscore_space)
{
	size_t i = 0, o = 0, j, n, stop;
	size_t le, ke, te;      /* line end (LF or len), CR of CRLF or le, text end */
	size_t eq, us;          /* next '=' / '_' at or after i, len if none */
	const char *nl;
	int h, l;

	if (s == NULL || len == 0)
		return 0;
	eq = text_next_byte(s, 0, len, '=');
	us = underscore_space ? text_next_byte(s, 0, len, '_') : len;
	while (i < len && o < outsz) {
		/* i starts a line: its text is [i, te), then the white space
		 * that is dropped [te, ke), then the line end [ke, le] */
		nl = memchr(s + i, '\n', len - i);
		if (nl == NULL) {
			te = ke = le = len;     /* white space at the very end is kept */
		} else {
			le = (size_t)(nl - s);
			ke = le > i && s[le - 1] == '\r' ? le - 1 : le;
			te = ke;
			while (te > i && (s[te - 1] == ' ' || s[te - 1] == '\t'))
				te--;
		}
		while (i < te && o < outsz) {
			if (eq < i)
				eq = text_next_byte(s, i, len, '=');
			if (us < i)
				us = text_next_byte(s, i, len, '_');
			stop = eq < us ? eq : us;
			if (stop > te)
				stop = te;
			if (stop > i) {         /* bytes that stand for themselves */
				n = stop - i;
				if (n > outsz - o)
					n = outsz - o;
				memcpy(out + o, s + i, n);
				o += n;
				i += n;
				continue;
			}
			if (i == us) {
				out[o++] = ' ';
				i++;
				continue;
			}
			/* i == eq: an escape never reaches past te (hex digits
			 * are no white space) */
			if (i + 2 < len && (h = text_hexval((unsigned char)s[i + 1])) >= 0 &&
			    (l = text_hexval((unsigned char)s[i + 2])) >= 0) {
				out[o++] = (char)(h * 16 + l);
				i += 3;
				continue;
			}
			/* soft line break: '=' [WSP] [CR] LF, or '=' at the end */
			j = i + 1;
			while (j < len && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (j < len && s[j] == '\r')
				j++;
			if (j >= len)
				return o;
			if (s[j] == '\n') {
				i = j + 1;      /* j == le: on to the next line */
				break;
			}
			out[o++] = '=';
			i++;
		}
		if (i < te || i > le)
			continue;       /* output full, or after a soft break */
		i = ke;                 /* trailing white space dropped */
		while (i <= le && i < len && o < outsz)
			out[o++] = s[i++];      /* CR LF or LF, kept */
	}
	return o;
}
