/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mime_ctype.c - a part's type from its Content-Type and
 * Content-Transfer-Encoding values (see mime_ctype.h).
 *
 * The parameters a part keeps (boundary, charset, report-type) are picked
 * out in one pass over the value: each wanted one remembers where its
 * plain value and its RFC 2231 segments are, and only the survivors are
 * copied (escapes undone) into the part's arrays.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "mime/mime_ctype.h"
#include "mime/mime_field.h"
#include "mime/mime_part.h"
#include "util/text.h"

#define MIME_CTYPE_SEGS_MAX 32  /* RFC 2231 continuation segments */

/* Multipart subtypes we know; any other multipart/x is taken as mixed. */
static const char *const mime_ctype_multipart_known[] = {
	"multipart/mixed", "multipart/alternative", "multipart/related",
	"multipart/report", "multipart/digest", "multipart/signed",
	"multipart/encrypted", "multipart/parallel", "multipart/form-data",
	"multipart/byteranges", "multipart/appledouble", "multipart/header-set",
	"multipart/x-mixed-replace", "multipart/voice-message", NULL
};

/* Types whose body is one embedded message, parsed as a child part. */
static const char *const mime_ctype_message_types[] = {
	"message/rfc822", "message/global", NULL
};

static bool
mime_ctype_in_list(const char *s, const char *const *list)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (s[0] == list[i][0] && strcmp(s, list[i]) == 0)
			return true;
	return false;
}

bool
mime_ctype_embeds_message(const char *type)
{
	return mime_ctype_in_list(type, mime_ctype_message_types);
}

/* Classes of the bytes that end tokens in a Content-Type value (a table
 * built at compile time: the token loops run over every byte of it). */
enum {
	MIME_CTYPE_WSP = 1,             /* ' ', '\t' */
	MIME_CTYPE_SEMI = 2,            /* ';' */
	MIME_CTYPE_PAREN = 4,           /* '(' */
	MIME_CTYPE_EQ = 8               /* '=' */
};

static const unsigned char mime_ctype_class[256] = {
	['\t'] = MIME_CTYPE_WSP, [' '] = MIME_CTYPE_WSP,
	[';'] = MIME_CTYPE_SEMI, ['('] = MIME_CTYPE_PAREN,
	['='] = MIME_CTYPE_EQ,
};

/* The first byte of [p, e) in one of the classes of mask, or e. */
static inline const char *
mime_ctype_upto(const char *p, const char *e, unsigned mask)
{
	while (p < e && !(mime_ctype_class[(unsigned char)*p] & mask))
		p++;
	return p;
}

/* ------------------------------------------------------------ parameters */

struct mime_ctype_seg {
	const char *s;
	size_t n;
	bool quoted, ext, set;
};

/* The Content-Type parameters a part keeps, found in one pass. */
enum { MIME_CTYPE_BOUNDARY, MIME_CTYPE_CHARSET, MIME_CTYPE_REPORT_TYPE,
       MIME_CTYPE_NWANT };

static const struct {
	const char *name;
	size_t len;
} mime_ctype_want[MIME_CTYPE_NWANT] = {
	[MIME_CTYPE_BOUNDARY] = { "boundary", 8 },
	[MIME_CTYPE_CHARSET] = { "charset", 7 },
	[MIME_CTYPE_REPORT_TYPE] = { "report-type", 11 },
};

/* What the pass saw of one wanted parameter. */
struct mime_ctype_found {
	struct mime_ctype_seg plain;            /* name=value */
	/* name*, name*N, name*N* */
	struct mime_ctype_seg segs[MIME_CTYPE_SEGS_MAX];
	uint32_t segset;                        /* bit k: segs[k] is set */
	size_t nsegs;
};

_Static_assert(MIME_CTYPE_SEGS_MAX <= 32, "segset has a bit per segment");

/* Copy a parameter value to out[o..): quoted-pair escapes undone, and for
 * RFC 2231 extended values %XX decoded.  Sets *over when out is full. */
static size_t
mime_ctype_unquote(const char *s, size_t n, bool quoted, bool ext,
                   char *out, size_t o, size_t outsz, bool *over)
{
	size_t i;
	int h, l;
	char c;

	if (!ext && (!quoted || memchr(s, '\\', n) == NULL)) {
		/* nothing to undo: one copy (o < outsz always holds) */
		if (n > outsz - 1 - o) {
			n = outsz - 1 - o;
			*over = true;
		}
		memcpy(out + o, s, n);
		return o + n;
	}
	for (i = 0; i < n; i++) {
		c = s[i];
		if (quoted && c == '\\' && i + 1 < n) {
			c = s[++i];
		} else if (ext && c == '%' && i + 2 < n &&
		    (h = text_hexval((unsigned char)s[i + 1])) >= 0 &&
		    (l = text_hexval((unsigned char)s[i + 2])) >= 0) {
			c = (char)(h * 16 + l);
			i += 2;
		}
		if (o + 1 >= outsz) {
			*over = true;
			break;
		}
		out[o++] = c;
	}
	return o;
}

/* One parameter name=value (nl, vl bytes) seen: keep it if it is one of
 * the wanted ones (plain, RFC 2231 extended name*=cs'lang'v, or continued
 * name*0=, name*1*=, ...); a later one replaces an earlier one. */
static void
mime_ctype_param_seen(struct mime_ctype_found *found, const char *name,
                      size_t nl, const char *val, size_t vl, bool quoted)
{
	struct mime_ctype_found *f;
	const char *q;
	size_t w, wl, k;

	for (w = 0; w < MIME_CTYPE_NWANT; w++) {
		wl = mime_ctype_want[w].len;
		if (nl < wl || (name[0] | 0x20) != mime_ctype_want[w].name[0] ||
		    strncasecmp(name, mime_ctype_want[w].name, wl) != 0)
			continue;
		f = &found[w];
		if (nl == wl) {
			f->plain = (struct mime_ctype_seg){ val, vl, quoted,
			    false, true };
			return;
		}
		if (name[wl] != '*')
			continue;
		q = name + wl + 1;
		if (q == name + nl) {           /* name*=charset'lang'value */
			f->segs[0] = (struct mime_ctype_seg){ val, vl, quoted,
			    true, true };
			f->segset |= 1u;
			if (f->nsegs < 1)
				f->nsegs = 1;
			return;
		}
		k = 0;
		while (q < name + nl && *q >= '0' && *q <= '9' &&
		    k < MIME_CTYPE_SEGS_MAX)
			k = k * 10 + (size_t)(*q++ - '0');
		if (k >= MIME_CTYPE_SEGS_MAX)
			continue;
		f->segs[k] = (struct mime_ctype_seg){ val, vl, quoted,
		    q < name + nl && *q == '*', true };
		f->segset |= 1u << k;
		if (k + 1 > f->nsegs)
			f->nsegs = k + 1;
		return;
	}
}

/* One pass over the parameters of a Content-Type value (after the type
 * token), filling found[MIME_CTYPE_NWANT]. */
static void
mime_ctype_params(const char *p, const char *e,
                  struct mime_ctype_found *found)
{
	const char *name, *val, *q;
	size_t nl, vl, w;
	bool quoted;

	for (w = 0; w < MIME_CTYPE_NWANT; w++) {
		found[w].plain.set = false;
		found[w].segset = 0;
		found[w].nsegs = 0;
	}
	while (p < e) {
		while (p < e && (mime_field_wsp(*p) || *p == ';' ||
		    *p == '\r' || *p == '\n'))
			p++;
		if (p >= e)
			break;
		name = p;
		p = mime_ctype_upto(p, e,
		    MIME_CTYPE_EQ | MIME_CTYPE_SEMI | MIME_CTYPE_WSP);
		nl = (size_t)(p - name);
		while (p < e && mime_field_wsp(*p))
			p++;
		if (p >= e || *p != '=')
			continue;
		p++;
		while (p < e && mime_field_wsp(*p))
			p++;
		quoted = false;
		if (p < e && *p == '"') {
			quoted = true;
			val = ++p;
			/* without a backslash before it the first '"' (or
			 * the end) closes the value */
			q = memchr(p, '"', (size_t)(e - p));
			if (q == NULL)
				q = e;
			if (memchr(p, '\\', (size_t)(q - p)) == NULL)
				p = q;
			while (p < e && *p != '"') {
				if (*p == '\\' && p + 1 < e)
					p++;
				p++;
			}
			vl = (size_t)(p - val);
			if (p < e)
				p++;
		} else {
			val = p;
			p = mime_ctype_upto(p, e, MIME_CTYPE_SEMI |
			    MIME_CTYPE_WSP);
			vl = (size_t)(p - val);
		}
		mime_ctype_param_seen(found, name, nl, val, vl, quoted);
	}
}

/* A wanted parameter's value into out: segments joined in order (up to the
 * first missing one), else the plain value.  Returns 1 and fills out, 0
 * if absent, -1 if the value does not fit in outsz. */
static int
mime_ctype_param_value(const struct mime_ctype_found *f, char *out,
                       size_t outsz)
{
	size_t i, o = 0;
	bool over = false;

	if (outsz == 0)
		return -1;
	if (f->nsegs > 0 && (f->segset & 1u)) {
		for (i = 0; i < f->nsegs && (f->segset >> i & 1u); i++) {
			const char *s = f->segs[i].s;
			size_t n = f->segs[i].n;

			if (i == 0 && f->segs[i].ext) {
				/* drop charset'language' */
				const char *a = memchr(s, '\'', n);
				const char *b = a ? memchr(a + 1, '\'',
				    (size_t)(s + n - a - 1)) : NULL;
				if (b) {
					n -= (size_t)(b + 1 - s);
					s = b + 1;
				}
			}
			o = mime_ctype_unquote(s, n, f->segs[i].quoted,
			    f->segs[i].ext, out, o, outsz, &over);
		}
	} else if (f->plain.set) {
		o = mime_ctype_unquote(f->plain.s, f->plain.n,
		    f->plain.quoted, false, out, o, outsz, &over);
	} else {
		out[0] = '\0';
		return 0;
	}
	out[o] = '\0';
	return over ? -1 : 1;
}


/* ------------------------------------------------------------ fields */

bool
mime_ctype_parse(struct mime_part *pt, const char *v, size_t vlen,
                 bool digest)
{
	const char *e, *t;
	struct mime_ctype_found found[MIME_CTYPE_NWANT];
	bool fits = true;

	if (v == NULL) {
		strcpy(pt->type, digest ? "message/rfc822" : "text/plain");
		return true;
	}
	e = v + vlen;
	while (v < e && mime_field_wsp(*v))
		v++;
	t = v;
	v = mime_ctype_upto(v, e, MIME_CTYPE_SEMI | MIME_CTYPE_WSP |
	    MIME_CTYPE_PAREN);
	if (v > t && (size_t)(v - t) < sizeof(pt->type) &&
	    memchr(t, '/', (size_t)(v - t)) != NULL && t[0] != '/' &&
	    v[-1] != '/')
		text_lower_copy(t, (size_t)(v - t), pt->type, sizeof(pt->type));
	else
		strcpy(pt->type, digest ? "message/rfc822" : "text/plain");
	if (pt->type[0] == 'm' && strncmp(pt->type, "multipart/", 10) == 0 &&
	    !mime_ctype_in_list(pt->type, mime_ctype_multipart_known))
		strcpy(pt->type, "multipart/mixed");
	mime_ctype_params(v, e, found);
	if (mime_ctype_param_value(&found[MIME_CTYPE_BOUNDARY], pt->boundary,
	    sizeof(pt->boundary)) < 0) {
		pt->boundary[0] = '\0';
		fits = false;
	}
	if (mime_ctype_param_value(&found[MIME_CTYPE_CHARSET], pt->charset,
	    sizeof(pt->charset)) < 0)
		pt->charset[0] = '\0';
	if (pt->charset[0] != '\0')
		text_lower_copy(pt->charset, strlen(pt->charset),
		    pt->charset, sizeof(pt->charset));
	if (mime_ctype_param_value(&found[MIME_CTYPE_REPORT_TYPE],
	    pt->report_type, sizeof(pt->report_type)) < 0)
		pt->report_type[0] = '\0';
	if (pt->report_type[0] != '\0')
		text_lower_copy(pt->report_type, strlen(pt->report_type),
		    pt->report_type, sizeof(pt->report_type));
	return fits;
}

void
mime_ctype_encoding(struct mime_part *pt, const char *v, size_t vlen)
{
	const char *e = v + vlen, *t;

	while (v < e && (mime_field_wsp(*v) || *v == '"'))
		v++;
	t = v;
	while (v < e && *v != ';' && *v != '"' && !mime_field_wsp(*v) &&
	    *v != '(')
		v++;
	text_lower_copy(t, (size_t)(v - t), pt->encoding, sizeof(pt->encoding));
	if (strcmp(pt->encoding, "7bit") == 0)
		pt->encoding[0] = '\0';
}
