/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * text.h - small, bounded helpers for scanning bounce text.
 *
 * Everything works on (pointer, length) spans and never reads past them;
 * nothing allocates: output goes to the caller's bounded arrays.  Used by
 * the DSN parser, the recognisers and the reason rules, so that each of
 * them stays a table plus a few calls.  The searches (text_find,
 * text_findn, text_starts) give the same answer for text with LF and with
 * CRLF line ends.  Thread-safe, and the same
 * answer for the same input (the search keeps a per-thread memo of needle
 * anchors, a cache only).
 * The two transfer decoders (shared by mime.c and hdr.c) write at most
 * outsz bytes, never NUL-terminate, and return the number of bytes written.
 */
#ifndef BM_TEXT_H
#define BM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Case-insensitive (ASCII) search of needle in hay[0..len); NULL if absent.
 * A '\n' in the needle matches "\n" or "\r\n" in the hay, so a phrase
 * that spans lines is found in text with either line end. */
const char *text_find(const char *hay, size_t len, const char *needle);
/* Same, needle given with a length. */
const char *text_findn(const char *hay, size_t len, const char *needle, size_t nlen);
/* Same, and *span (if given) is set to the length of the match in the hay,
 * which exceeds nlen by the CRs of CRLF line ends inside the match. */
const char *text_findn_span(const char *hay, size_t len, const char *needle,
                            size_t nlen, size_t *span);
/* Does text_find() find any needle of the NULL-terminated list in
 * hay[0..len)?  false for a NULL hay or list. */
bool text_find_any(const char *hay, size_t len, const char *const *needles);
/* Case-insensitive prefix test of s[0..len) (line ends as text_find). */
bool text_starts(const char *s, size_t len, const char *prefix);

/* Line iteration: *pos is the offset of the next line.  Returns false at the
 * end; otherwise sets *line and *line_len to the line without its CR/LF.
 * Inline: every parser walks its text a line at a time, and the call cost
 * as much as the work on short lines. */
static inline bool
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

/* Trim ASCII white space at both ends of a span. */
void text_trim(const char **s, size_t *len);

/* Copy span to out (bounded by outsz), collapsing runs of white space and
 * control characters to one space and trimming; returns the length written. */
size_t text_collapse(const char *s, size_t len, char *out, size_t outsz);

/* Copy span to out, bounded, NUL-terminated, lower-cased. */
void text_lower_copy(const char *s, size_t len, char *out, size_t outsz);

/* Copy the first token of a field value (up to white space, a control
 * character, '(' or ';'), lower-cased and bounded: "Failed (bad)" -> "failed". */
void text_token_lower(const char *s, size_t len, char *out, size_t outsz);

/* Length of the well-formed UTF-8 sequence at s[0..len) and (if cp is
 * given) its code point; 0 for a malformed one: a stray continuation byte,
 * a cut sequence, an overlong form, a surrogate, above U+10FFFF. */
size_t text_utf8(const char *s, size_t len, unsigned long *cp);

/* Base64 (standard or URL-safe alphabet): white space skipped, missing
 * padding accepted, garbage skipped; *bad (if given) is set when garbage,
 * a dangling character or an overflow of out was seen. */
size_t text_b64_decode(const char *s, size_t len, char *out, size_t outsz,
                       bool *bad);
/* Quoted-printable: =XX (either case), soft line breaks, trailing white
 * space dropped, a stray '=' kept; with underscore_space, '_' is a space
 * (RFC 2047 Q encoding). */
size_t text_qp_decode(const char *s, size_t len, char *out, size_t outsz,
                      bool underscore_space);
/* Value of a hexadecimal digit (either case), or -1. */
int text_hexval(unsigned char c);

#endif
