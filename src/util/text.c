/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * text.c - bounded span helpers (see text.h).
 *
 * text_findn() is the hot path of every recogniser: it finds candidate
 * positions of the needle's rarest byte in one pass over both cases
 * (scan_find_either_case(); no byte is scanned twice), then compares the
 * whole needle case-insensitively.  Which byte is rarest is picked once
 * per needle and thread (a small memo keyed by the needle's address).  A
 * needle that spans lines ("address\nfailed:") matches the hay with LF or
 * with CRLF line ends.  No allocation anywhere.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "util/scan.h"
#include "util/swar.h"
#include "util/text.h"

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

/* How often a byte turns up in the text the recognisers search, per
 * mille (a letter counts both cases; 0: rarer than 0.5 per mille),
 * measured over the bounce corpus.  The search anchors on the needle's
 * rarest byte: anchoring on the first one stopped memchr at every 'a' or
 * 'e' of the text. */
static const unsigned char text_commonness[256] = {
	[' '] = 117, ['e'] = 77, ['E'] = 77, ['a'] = 50, ['A'] = 50,
	['o'] = 47, ['O'] = 47, ['t'] = 45, ['T'] = 45, ['i'] = 41,
	['I'] = 41, ['r'] = 41, ['R'] = 41, ['s'] = 37, ['S'] = 37,
	['n'] = 36, ['N'] = 36, ['.'] = 31, ['m'] = 31, ['M'] = 31,
	['l'] = 29, ['L'] = 29, ['0'] = 23, ['p'] = 23, ['P'] = 23,
	['d'] = 22, ['D'] = 22, ['\n'] = 20, ['c'] = 20, ['C'] = 20,
	['-'] = 19, ['2'] = 16, [':'] = 15, ['u'] = 15, ['U'] = 15,
	['f'] = 14, ['F'] = 14, ['h'] = 14, ['H'] = 14, ['1'] = 12,
	['x'] = 12, ['X'] = 12, ['g'] = 11, ['G'] = 11, ['y'] = 11,
	['Y'] = 11, ['5'] = 10, ['b'] = 10, ['B'] = 10, ['k'] = 10,
	['K'] = 10, ['j'] = 9, ['J'] = 9, ['v'] = 8, ['V'] = 8, ['3'] = 7,
	['4'] = 7, ['w'] = 7, ['W'] = 7, [0xd0] = 7, ['9'] = 6, ['6'] = 5,
	['8'] = 5, ['@'] = 5, ['7'] = 4, ['<'] = 4, ['='] = 4, ['>'] = 4,
	['\r'] = 3, ['('] = 3, [')'] = 3, [','] = 3, ['/'] = 3, [';'] = 3,
	['"'] = 2, ['$'] = 2, ['*'] = 2, ['+'] = 2, ['q'] = 2, ['Q'] = 2,
	['z'] = 2, ['Z'] = 2, [0xd1] = 2, ['\t'] = 1, ['!'] = 1, ['#'] = 1,
	['%'] = 1, ['\''] = 1, ['?'] = 1, ['['] = 1, [']'] = 1, ['_'] = 1,
	[0x81] = 1, [0x82] = 1, [0xa4] = 1, [0xb0] = 1, [0xb5] = 1,
	[0xb8] = 1, [0xbc] = 1, [0xbd] = 1, [0xbe] = 1,
};

/* The anchor of a needle: the index of its rarest byte among those before
 * its first line break (a '\n' past the first byte may match "\r\n", so
 * bytes after it have no fixed offset from the start of a match).  Only
 * speed depends on the choice: every anchor finds the same first match. */
static size_t
text_anchor_pick(const unsigned char *n, size_t nlen)
{
	size_t j = 0, k, w, best = (size_t)-1;

	for (k = 0; k < nlen; k++) {
		unsigned char c = n[k];

		if (c == '\n' && k > 0)
			break;
		w = text_commonness[c];
		if (w < best) {
			best = w;
			j = k;
			if (w == 0)
				break;
		}
	}
	return j;
}

/* A per-thread memo of needles and their anchors: the recognisers ask for
 * the same few hundred phrases (string constants) over and over, and
 * picking the anchor cost more than the search itself on the short lines
 * they search.  Keyed by a hash of the needle's address and its length,
 * four ways per set (the last one used first).  The memo may be wrong -
 * another needle with the same hash and length, or a reused buffer whose
 * bytes changed - and the search stays right: any anchor finds the same
 * first match, as long as it lies inside the needle (the length is
 * exact) and no '\n' precedes it, which is checked on every use. */
#define TEXT_ANCHOR_SETS 512
#define TEXT_ANCHOR_WAYS 4

struct text_anchor {
	uint32_t tag;       /* address hash */
	uint16_t nlen;      /* 0: empty */
	uint16_t at;
};

static _Thread_local struct text_anchor
    text_anchors[TEXT_ANCHOR_SETS][TEXT_ANCHOR_WAYS];

static size_t
text_anchor(const unsigned char *n, size_t nlen)
{
	uint64_t key = ((uint64_t)(uintptr_t)n + nlen) * 0x9e3779b97f4a7c15u;
	struct text_anchor *set, hit;
	uint32_t tag = (uint32_t)(key >> 32);
	size_t k;

	if (nlen > UINT16_MAX)
		return text_anchor_pick(n, nlen);
	set = text_anchors[(key >> 23) % TEXT_ANCHOR_SETS];
	for (k = 0; k < TEXT_ANCHOR_WAYS; k++)
		if (set[k].tag == tag && set[k].nlen == nlen)
			break;
	if (k < TEXT_ANCHOR_WAYS && (set[k].at == 0 ||
	    memchr(n + 1, '\n', set[k].at) == NULL)) {
		hit = set[k];
	} else {
		hit.tag = tag;
		hit.nlen = (uint16_t)nlen;
		hit.at = (uint16_t)text_anchor_pick(n, nlen);
		if (k == TEXT_ANCHOR_WAYS)
			k--;    /* the least recently used way makes room */
	}
	/* to the front */
	for (; k > 0; k--)
		set[k] = set[k - 1];
	set[0] = hit;
	return hit.at;
}

/* Length matched in the hay when the needle n[0..nlen) starts at h (hay
 * ends at end, at least nlen bytes on), 0 if it does not.  Bytes compare
 * case-insensitively; a '\n' of the needle past its first byte also
 * matches "\r\n", so a phrase that spans lines matches text with LF and
 * with CRLF line ends. */
static size_t
text_match_at(const unsigned char *h, const unsigned char *end,
              const unsigned char *n, size_t nlen)
{
	size_t i, m;

	for (i = 0; i < nlen; i++) {
		if (h[i] == n[i] || text_lc(h[i]) == text_lc(n[i]))
			continue;
		if (i == 0 || n[i] != '\n' || h[i] != '\r')
			return 0;
		/* a CR before the LF: the rest is compared CRLF-tolerantly */
		m = text_eq_lines(h + i, end, n + i, nlen - i);
		return m > 0 ? i + m : 0;
	}
	return nlen;
}

/* Searches the candidates of the needle's anchor byte (both cases) in
 * increasing order, so the first match found is the first in the hay;
 * each position is scanned once.  One pass over both cases: two memchr
 * calls per letter, each restarted after every candidate, cost more
 * set-up than scanning on the short lines the recognisers search. */
const char *
text_findn_span(const char *hay, size_t len, const char *needle, size_t nlen,
                size_t *span)
{
	const unsigned char *h = (const unsigned char *)hay;
	const unsigned char *n = (const unsigned char *)needle;
	const unsigned char *end, *stop, *c;
	size_t j, m;

	if (span != NULL)
		*span = 0;
	if (nlen == 0)
		return hay;
	if (hay == NULL || nlen > len)
		return NULL;
	end = h + len;
	j = text_anchor(n, nlen);
	/* anchor positions: h + j .. the last start + j */
	stop = end - nlen + j + 1;
	for (c = h + j;; c++) {
		if ((c = scan_find_either_case(c, stop, h, end, n[j])) == NULL)
			return NULL;
		if ((m = text_match_at(c - j, end, n, nlen)) > 0)
			break;
	}
	if (span != NULL)
		*span = m;
	return (const char *)(c - j);
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
text_find_any(const char *hay, size_t len, const char *const *needles)
{
	size_t i;

	if (hay == NULL || needles == NULL)
		return false;
	for (i = 0; needles[i] != NULL; i++)
		if (text_find(hay, len, needles[i]) != NULL)
			return true;
	return false;
}

/* text_starts() of a prefix holding a line break: compared CRLF-tolerantly
 * from the start, as text_findn does.  Kept out of line so that the hot
 * loop of text_starts() saves no registers. */
static bool __attribute__((noinline))
text_starts_lines(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return n <= len &&
	       text_eq_lines((const unsigned char *)s, (const unsigned char *)s + len,
	                     (const unsigned char *)prefix, n) > 0;
}

/* One pass over the prefix: most calls fail on the first byte, so its
 * length is not measured up front; at a line break the rest is left to
 * text_starts_lines(). */
bool
text_starts(const char *s, size_t len, const char *prefix)
{
	const unsigned char *a = (const unsigned char *)s;
	const unsigned char *p = (const unsigned char *)prefix;
	size_t i;

	for (i = 0; p[i] != '\0'; i++) {
		if (p[i] == '\n')
			return text_starts_lines(s, len, prefix);
		if (i >= len || (a[i] != p[i] && text_lc(a[i]) != text_lc(p[i])))
			return false;
	}
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

/* Length of the leading run of s[0..n) (s[0] is no separator) that
 * text_collapse() copies as it is: no control character, no 0x7f, no two
 * spaces in a row, and it ends on a byte other than a space.  Eight bytes
 * are tested at a time: the word tests say exactly whether the word holds
 * a control byte, a 0x7f or two adjacent spaces; a word that does is then
 * walked byte by byte to find where the run stops. */
static size_t
text_plain_run(const unsigned char *s, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w = swar_load(s + i);

		if (swar_has_control(w) || swar_has_byte_pair(w, ' ') ||
		    (i > 0 && s[i] == ' ' && s[i - 1] == ' '))
			break;
	}
	for (; i < n; i++) {
		unsigned char c = s[i];

		if (c < 0x20 || c == 0x7f || (c == ' ' && s[i - 1] == ' '))
			break;
	}
	if (i > 0 && s[i - 1] == ' ')
		i--;
	return i;
}

/* Runs of plain bytes are copied whole (memcpy); the scan stops once out
 * is full, so a huge span costs no more than the bytes that fit. */
size_t
text_collapse(const char *str, size_t len, char *out, size_t outsz)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, o = 0, room, run;
	bool pending = false;

	if (outsz == 0)
		return 0;
	while (i < len && o + 1 < outsz) {
		if (s[i] <= 0x20 || s[i] == 0x7f) {
			pending = o > 0;
			i++;
			continue;
		}
		if (pending) {
			if (o + 2 >= outsz)     /* room for ' ' and a byte */
				break;
			out[o++] = ' ';
			pending = false;
		}
		room = outsz - 1 - o;
		run = text_plain_run(s + i, len - i < room ? len - i : room);
		memcpy(out + o, s + i, run);
		o += run;
		i += run;
	}
	out[o] = '\0';
	return o;
}

/* Eight bytes at a time (swar_ascii_lower()), the tail byte by byte. */
void
text_lower_copy(const char *s, size_t len, char *out, size_t outsz)
{
	size_t i = 0;

	if (outsz == 0)
		return;
	if (len > outsz - 1)
		len = outsz - 1;
	for (; i + 8 <= len; i += 8)
		swar_store(out + i, swar_ascii_lower(swar_load(s + i)));
	for (; i < len; i++)
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

int
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
			if (eq < i)
				eq = text_next_byte(s, i, len, '=');
			if (us < i)
				us = text_next_byte(s, i, len, '_');
			/* the two common lines in one step each: text ending in
			 * a soft break ('=' right before the line end, so te ==
			 * ke), and text with no '=' and no '_' to map, then its
			 * line end; the loop below would do just the same */
			if (eq + 1 == ke && us > eq) {
				n = eq - i;
				if (n > outsz - o)
					n = outsz - o;
				memcpy(out + o, s + i, n);
				o += n;
				i = le + 1;
				continue;
			}
			if (eq > le && us >= te) {
				n = te - i;
				if (n > outsz - o)
					n = outsz - o;
				memcpy(out + o, s + i, n);
				o += n;
				for (i = ke; i <= le && o < outsz; )
					out[o++] = s[i++];
				continue;
			}
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
