/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mime_field.c - header fields of MIME entities (see mime_field.h).
 *
 * Fields are recorded where they stand (name and raw value span); a field
 * is unfolded into the arena only when it is asked for, since a caller
 * reads a handful of the dozens a message has.  The parse still measures
 * each value as it goes, so a value that the cap will cut marks the
 * message truncated at parse time, as an eager unfold would.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/mime_field.h"
#include "mime/mime_store.h"
#include "util/swar.h"

#define MIME_FIELD_NAME_MAX 256 /* longest header field name we accept */

void
mime_field_init(struct mime_field_table *t, size_t max_bytes,
                size_t max_fields)
{
	/* field by field: first[] needs no zeroing */
	t->v = t->first;
	t->n = 0;
	t->cap = MIME_FIELD_FIRST;
	t->max_bytes = max_bytes;
	t->max_fields = max_fields;
	t->arena = &t->arena0;
	mime_store_arena_init(&t->arena0);
}

void
mime_field_free(struct mime_field_table *t)
{
	mime_store_arena_free(&t->arena0);
	if (t->v != t->first)
		free(t->v);
	t->v = t->first;
	t->n = 0;
	t->cap = MIME_FIELD_FIRST;
}

/* ------------------------------------------------------------ unfolding */

/* One piece of a value, within *budget bytes (the rest is cut: the parse
 * already marked the message truncated), appended to v[o..) when v is
 * non-NULL with NUL and bare CR made spaces; *last (when last is
 * non-NULL) gets the piece's last byte that stays non-blank, if any.
 * Returns the new length. */
static size_t
mime_field_piece(char *v, size_t o, const char *s, size_t n, size_t *budget,
                 char *last)
{
	char *q, *end;
	size_t k;

	if (n > *budget)
		n = *budget;
	*budget -= n;
	for (k = last != NULL ? n : 0; k > 0; k--) {
		if (s[k - 1] != ' ' && s[k - 1] != '\t' && s[k - 1] != '\0' &&
		    s[k - 1] != '\r') {
			*last = s[k - 1];
			break;
		}
	}
	if (v == NULL)
		return o + n;
	memcpy(v + o, s, n);
	end = v + o + n;
	for (q = v + o; (q = memchr(q, '\0', (size_t)(end - q))) != NULL; q++)
		*q = ' ';
	for (q = v + o; (q = memchr(q, '\r', (size_t)(end - q))) != NULL; q++)
		*q = ' ';
	return o + n;
}

/*
 * The pieces of a field's value as mime_field_parse() collected them: the
 * first line's value, then each further line whole (a fold starts with
 * white space; a line that does not is a broken fold after a ';' and gets
 * one space before it), all bounded by max_bytes together.  Copied to v
 * when non-NULL; returns their length; *last, when last is non-NULL, gets
 * the last byte that stays non-blank (0 if none).
 */
static size_t
mime_field_pieces(const struct mime_field_table *t,
                  const struct mime_field_hdr *h, char *v, char *last)
{
	size_t budget = t->max_bytes, o = 0;
	const char *p = h->raw, *e = h->raw + h->rawlen, *nl, *cend;

	if (last != NULL)
		*last = '\0';
	if (!h->folded)         /* one line: no LF inside the span */
		return mime_field_piece(v, o, p, h->rawlen, &budget, last);
	for (;;) {
		nl = memchr(p, '\n', (size_t)(e - p));
		cend = nl != NULL ? nl : e;
		if (nl != NULL && nl > p && nl[-1] == '\r')
			cend--;
		if (p != h->raw && p < e && !mime_field_wsp(*p))
			o = mime_field_piece(v, o, " ", 1, &budget, last);
		o = mime_field_piece(v, o, p, (size_t)(cend - p), &budget,
		    last);
		if (nl == NULL)
			return o;
		p = nl + 1;
	}
}

/* Unfold a field into the arena once, trailing white space dropped. */
static int
mime_field_unfold(const struct mime_field_table *t, struct mime_field_hdr *h)
{
	size_t budget = t->max_bytes, cap, o;
	char *out, *v;

	if (h->copy != NULL)
		return 0;
	/* pieces never exceed the raw span: a broken fold's space stands
	 * in for at least a LF */
	cap = h->rawlen < budget ? h->rawlen : budget;
	out = mime_store_alloc(t->arena, h->nlen + 1 + cap + 1);
	if (out == NULL)
		return -1;
	memcpy(out, h->name, h->nlen);
	out[h->nlen] = '\0';
	v = out + h->nlen + 1;
	o = mime_field_pieces(t, h, v, NULL);
	while (o > 0 && mime_field_wsp(v[o - 1]))
		o--;
	v[o] = '\0';
	h->vlen = o;
	h->copy = out;
	return 0;
}

/* ------------------------------------------------------------ parsing */

/* Bytes of a header field name: printable ASCII except ':' (a table: the
 * name loop runs over every header line of every part). */
static const unsigned char mime_field_namechar[256] = {
	/* 0x00 - 0x1f: controls */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x20 - 0x3f: space, then '!' .. '?' without ':' (0x3a) */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1,
	/* 0x40 - 0x7f: '@' .. '~', then DEL */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	/* 0x80 - 0xff: none */
};

/* Bytes of x that end a name (not ASCII, below '!', DEL, ':'), marked;
 * a plain mask (swar.h): its lowest mark is exact. */
static inline uint64_t
mime_field_nameends(uint64_t x)
{
	return swar_mark_nonascii(x) | swar_mark_below(x, '!') |
	       swar_mark_byte(x, 0x7f) | swar_mark_byte(x, ':');
}

/* If [p, e) starts with a header field name and colon (white space allowed
 * before the colon, obsolete syntax), return the name's length and set
 * *colon to the colon's offset; else return 0.  The colon must lie within
 * MIME_FIELD_NAME_MAX bytes. */
static size_t
mime_field_name(const char *p, const char *e, size_t *colon)
{
	size_t i = 0, n = (size_t)(e - p), name;

	if (n > MIME_FIELD_NAME_MAX)
		n = MIME_FIELD_NAME_MAX;
	/* eight bytes a step while they lie within the line: the first
	 * byte that ends the name is the lowest mark of its word */
	while (i + 8 <= n) {
		uint64_t m = mime_field_nameends(swar_load(p + i));

		if (m != 0) {
			i += swar_first_marked_byte(m);
			goto named;
		}
		i += 8;
	}
	while (i < n && mime_field_namechar[(unsigned char)p[i]])
		i++;
named:
	name = i;
	if (name == 0)
		return 0;
	if (i < n && p[i] == ':') {     /* the common case: no white space */
		*colon = i;
		return name;
	}
	while (i < n && mime_field_wsp(p[i]))
		i++;
	if (i < n && p[i] == ':') {
		*colon = i;
		return name;
	}
	return 0;
}

struct mime_field_hstate {
	bool open;              /* v[cur] is collecting lines */
	size_t cur;
	size_t total;           /* bytes of its pieces so far */
	size_t max_bytes;
	bool *truncated;
};

/* A piece joins the open field's value: mime_field_pieces() will cut what
 * passes max_bytes, so the message is truncated. */
static inline void
mime_field_addpiece(struct mime_field_hstate *hs, size_t n)
{
	hs->total += n;
	if (hs->total > hs->max_bytes)
		*hs->truncated = true;
}

/* Remember where the fields a part's type is read from are. */
static void
mime_field_note(struct mime_field_range *r, const char *name, size_t nlen,
                size_t idx)
{
	/* the byte after "Content-" first: other 12-byte names
	 * ("In-Reply-To", "Content-Base") mostly differ there */
	if (nlen == 12 && r->ctype == 0 && (name[8] | 0x20) == 't' &&
	    strncasecmp(name, "Content-Type", 12) == 0)
		r->ctype = idx + 1;
	else if (nlen == 25 && r->cte == 0 && (name[8] | 0x20) == 't' &&
	    strncasecmp(name, "Content-Transfer-Encoding", 25) == 0)
		r->cte = idx + 1;
}

/* Whether the value so far ends with ';' (white space aside). */
static bool
mime_field_ends_semicolon(const struct mime_field_table *t,
                          const struct mime_field_hdr *h)
{
	char last;

	(void)mime_field_pieces(t, h, NULL, &last);
	return last == ';';
}

static bool
mime_field_blank(const char *p, const char *e)
{
	for (; p < e; p++)
		if (!mime_field_wsp(*p))
			return false;
	return true;
}

int
mime_field_parse(struct mime_field_table *t, const char *p, const char *e,
                 bool is_msg, struct mime_field_range *r, const char **body,
                 bool *truncated)
{
	struct mime_field_hstate hs = { .open = false,
	    .max_bytes = t->max_bytes, .truncated = truncated };
	struct mime_field_hdr *h;
	const char *nl, *lend, *next, *cend, *v;
	size_t colon, nlen;
	bool any = false;

	*r = (struct mime_field_range){ .first = t->n };
	if (is_msg && (e - p >= 5 && memcmp(p, "From ", 5) == 0)) {
		nl = memchr(p, '\n', (size_t)(e - p));
		p = nl ? nl + 1 : e;
	} else if (is_msg && e - p >= 6 && memcmp(p, ">From ", 6) == 0) {
		nl = memchr(p, '\n', (size_t)(e - p));
		p = nl ? nl + 1 : e;
	}
	while (p < e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		lend = nl ? nl : e;
		next = nl ? nl + 1 : e;
		cend = lend;
		if (cend > p && cend[-1] == '\r')
			cend--;
		/* a blank line is empty or starts with white space */
		if (p == cend) {
			*body = next;
			return 0;
		}
		if (mime_field_wsp(*p)) {
			if (mime_field_blank(p + 1, cend)) {
				*body = next;
				return 0;
			}
			if (!any)
				break;          /* no header at all: body starts here */
			if (hs.open) {
				h = &t->v[hs.cur];
				mime_field_addpiece(&hs, (size_t)(cend - p));
				h->rawlen = (size_t)(cend - h->raw);
				h->folded = true;
			}
			p = next;
			continue;
		}
		nlen = mime_field_name(p, cend, &colon);
		if (nlen == 0 && hs.open &&
		    mime_field_ends_semicolon(t, &t->v[hs.cur])) {
			/* "Content-Type: multipart/x;" then an unindented
			 * "boundary=..." line: a broken fold, taken as one */
			h = &t->v[hs.cur];
			mime_field_addpiece(&hs, 1 + (size_t)(cend - p));
			h->rawlen = (size_t)(cend - h->raw);
			h->folded = true;
			p = next;
			continue;
		}
		if (nlen == 0)
			break;                  /* no separator: body starts here */
		hs.open = false;
		any = true;
		if (r->n >= t->max_fields) {
			*truncated = true;
			p = next;
			continue;
		}
		if (t->n == t->cap && mime_store_grow((void **)&t->v, &t->cap,
		    t->n + 1, sizeof(*t->v), t->first) < 0)
			return -1;
		v = p + colon + 1;
		while (v < cend && mime_field_wsp(*v))
			v++;
		hs.cur = t->n++;
		r->n++;
		mime_field_note(r, p, nlen, hs.cur);
		t->v[hs.cur] = (struct mime_field_hdr){ .name = p, .nlen = nlen,
		    .raw = v, .rawlen = (size_t)(cend - v) };
		hs.total = 0;
		hs.open = true;
		mime_field_addpiece(&hs, (size_t)(cend - v));
		p = next;
	}
	*body = p;
	return 0;
}

/* ------------------------------------------------------------ lookups */

struct mime_field_hdr *
mime_field_find(const struct mime_field_table *t,
                const struct mime_field_range *r, const char *name)
{
	struct mime_field_hdr *h, *end;
	size_t wl;

	if (r->n == 0)
		return NULL;
	wl = strlen(name);
	h = &t->v[r->first];
	end = h + r->n;
	/* first bytes compared with case folded before the call: a name
	 * of the same length mostly differs there already */
	for (; h < end; h++)
		if (h->nlen == wl && (h->name[0] | 0x20) == (name[0] | 0x20) &&
		    strncasecmp(h->name, name, wl) == 0)
			return h;
	return NULL;
}

int
mime_field_get(const struct mime_field_table *t, struct mime_field_hdr *h,
               const char **name, const char **value, size_t *vlen)
{
	if (mime_field_unfold(t, h) < 0)
		return -1;
	if (name)
		*name = h->copy;
	if (value)
		*value = h->copy + h->nlen + 1;
	if (vlen)
		*vlen = h->vlen;
	return 0;
}

int
mime_field_span(const struct mime_field_table *t, struct mime_field_hdr *h,
                const char **v, size_t *vlen)
{
	size_t n = h->rawlen;

	if (h->copy == NULL && !h->folded && n <= t->max_bytes &&
	    memchr(h->raw, '\0', n) == NULL && memchr(h->raw, '\r', n) == NULL) {
		while (n > 0 && mime_field_wsp(h->raw[n - 1]))
			n--;
		*v = h->raw;
		*vlen = n;
		return 0;
	}
	return mime_field_get(t, h, NULL, v, vlen);
}
