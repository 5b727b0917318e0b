/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * notice_text.c - the human-readable notice of a bounce (see notice_text.h).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify/notice_text.h"
#include "mime/charset.h"
#include "mime/mime.h"
#include "util/text.h"

/* Offset of the first byte c in s[from..len), or len. */
static size_t
nt_next_byte(const char *s, size_t from, size_t len, char c)
{
	const char *p = memchr(s + from, c, len - from);

	return p != NULL ? (size_t)(p - s) : len;
}

/* Copy HTML to plain text: tags dropped (block tags become a newline),
 * script and style bodies dropped, a few entities decoded.  Returns a
 * malloc'd NUL-terminated buffer or NULL. */
static char *
nt_strip_html(const char *s, size_t len, size_t *outlen)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&nbsp;", ' ' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&amp;", '&' }, { "&quot;", '"' }, { "&#39;", '\'' },
		{ NULL, 0 },
	};
	char *out = malloc(len + 1);
	size_t i = 0, o = 0, e, lt, amp, stop;

	if (out == NULL)
		return NULL;
	lt = nt_next_byte(s, 0, len, '<');
	amp = nt_next_byte(s, 0, len, '&');
	while (i < len) {
		/* text up to the next '<' or '&' is copied whole; each of the
		 * two is looked for again only once i has passed it */
		if (lt < i)
			lt = nt_next_byte(s, i, len, '<');
		if (amp < i)
			amp = nt_next_byte(s, i, len, '&');
		stop = lt < amp ? lt : amp;
		if (stop > i) {
			memcpy(out + o, s + i, stop - i);
			o += stop - i;
			i = stop;
			continue;
		}
		if (s[i] == '<') {
			const char *end = memchr(s + i, '>', len - i);
			size_t tl = end ? (size_t)(end - (s + i)) : len - i;
			const char *skip_to = NULL;
			/* the byte after '<' picks the tags worth testing */
			unsigned char c1 = i + 1 < len ? (unsigned char)(s[i + 1] | 0x20) : 0;

			if (c1 == 's') {
				if (text_starts(s + i, len - i, "<script"))
					skip_to = "</script";
				else if (text_starts(s + i, len - i, "<style"))
					skip_to = "</style";
			}
			if (skip_to != NULL) {
				const char *close = text_find(s + i, len - i, skip_to);

				if (close == NULL)
					break;
				end = memchr(close, '>', len - (size_t)(close - s));
				tl = end ? (size_t)(end - (s + i)) : len - i;
			}
			if (c1 != 's' && c1 != 0 && memchr("bp/dtl", c1, 6) != NULL &&
			    (text_starts(s + i, len - i, "<br") ||
			    text_starts(s + i, len - i, "<p") ||
			    text_starts(s + i, len - i, "</p") ||
			    text_starts(s + i, len - i, "<div") ||
			    text_starts(s + i, len - i, "</div") ||
			    text_starts(s + i, len - i, "<tr") ||
			    text_starts(s + i, len - i, "<li")))
				out[o++] = '\n';
			i += tl + 1;
			continue;
		}
		if (s[i] == '&') {
			for (e = 0; ents[e].ent != NULL; e++)
				if (text_starts(s + i, len - i, ents[e].ent))
					break;
			if (ents[e].ent != NULL) {
				out[o++] = ents[e].c;
				i += strlen(ents[e].ent);
				continue;
			}
		}
		out[o++] = s[i++];
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* The notification text: first text/plain part outside the returned
 * message; else the first other text part (HTML stripped); else the body
 * of a one-part message.  *owned is set when the text was allocated. */
void
notice_text_find(struct mime_msg *m, const char **text, size_t *len,
                 char **owned, const char **charset)
{
	size_t i, n = mime_nparts(m);
	int html = -1;
	const char *body;
	size_t blen;

	*text = "";
	*len = 0;
	*owned = NULL;
	*charset = "";
	for (i = 0; i < n; i++) {
		const struct mime_part *p = mime_get_part(m, i);

		if (p == NULL || strncmp(p->type, "text/", 5) != 0 ||
		    mime_in_message(m, i))
			continue;
		if (strcmp(p->type, "text/plain") == 0) {
			if (mime_body_decoded(m, i, &body, &blen) == 0) {
				*text = body;
				*len = blen;
				*charset = p->charset;
			}
			return;
		}
		if (html < 0 && strcmp(p->type, "text/rfc822-headers") != 0)
			html = (int)i;
	}
	if (html >= 0 && mime_body_decoded(m, (size_t)html, &body, &blen) == 0) {
		*charset = mime_get_part(m, (size_t)html)->charset;
		*owned = nt_strip_html(body, blen, len);
		if (*owned != NULL)
			*text = *owned;
		else
			*len = 0;
		return;
	}
	if (n == 1 && mime_body_decoded(m, 0, &body, &blen) == 0) {
		*text = body;
		*len = blen;
		*charset = mime_get_part(m, 0)->charset;
	}
}

/* The notification text in UTF-8, so that the recognisers' phrase tables
 * (written in UTF-8) match a KOI8-R, GB2312 or ISO-2022-JP notice as they
 * match a UTF-8 one.  Only a text in a charset charset_known() lists and
 * with a byte above 0x7f or an ESC is converted; a text the charset does
 * not fit stays as it is.  Only the first NOTICE_TEXT_CONVERT_MAX bytes, up to
 * a line end, are converted (a notice says what failed in its first
 * lines, and a multibyte charset returns to ASCII at each line end, RFC
 * 1468); the rest is copied as it is.  The copy is at most 3 bytes per
 * converted byte (no listed charset needs more) and replaces *owned;
 * *charset becomes "", so later steps do not convert twice. */
#define NOTICE_TEXT_CONVERT_MAX 2048

void
notice_text_to_utf8(const char **text, size_t *len, char **owned,
                    const char **charset)
{
	size_t i, n, head, cap;
	const char *nl;
	char *u;

	if (*len == 0 || charset_is_utf8(*charset) || !charset_known(*charset))
		return;
	head = *len;
	if (head > NOTICE_TEXT_CONVERT_MAX) {
		nl = memchr(*text + NOTICE_TEXT_CONVERT_MAX, '\n',
		            *len - NOTICE_TEXT_CONVERT_MAX);
		head = nl != NULL ? (size_t)(nl - *text) + 1 : *len;
	}
	for (i = 0; i < head; i++)
		if ((unsigned char)(*text)[i] >= 0x80 || (*text)[i] == 0x1b)
			break;
	if (i == head || head > (SIZE_MAX - 1) / 3 ||
	    *len - head > SIZE_MAX - 1 - head * 3)
		return;
	cap = head * 3 + (*len - head) + 1;
	if ((u = malloc(cap)) == NULL)
		return;
	n = charset_to_utf8(*charset, *text, head, u, head * 3 + 1);
	if (n == (size_t)-1) {
		free(u);
		return;
	}
	memcpy(u + n, *text + head, *len - head);
	n += *len - head;
	u[n] = '\0';
	free(*owned);
	*owned = u;
	*text = u;
	*len = n;
	*charset = "";
}
