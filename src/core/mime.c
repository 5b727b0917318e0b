/*
 * mime.c - MIME tree of one message (see mime.h).
 *
 * One pass per nesting level: an explicit stack of pending entities (a span
 * of bytes plus its parent) replaces recursion, so hostile nesting costs a
 * bounded amount of memory and never the C stack.  Entities are taken off
 * the stack in document order (children are pushed in reverse), which gives
 * the flat, depth-first part array the header promises.  A multipart body
 * is scanned once for its delimiter (a Horspool search, one table per
 * body); levels past max_depth are kept as leaves and never scanned, so
 * the total work is at most O(len * max_depth).
 *
 * Header fields are recorded where they stand (name and raw value span in
 * the parsed bytes); a field is unfolded into the arena only when it is
 * asked for, since a caller reads a handful of the dozens a message has.
 * The arena is a list of blocks that never move, so a value handed out
 * stays valid until mime_free().  Decoded bodies are allocated on first
 * request and cached per part.  The part, field and arena storage starts
 * inside the mime_msg, so a common message costs one allocation.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bounce.h"
#include "mime.h"
#include "text.h"

/* Used when the caller passes no limits (mime.c must not need bounce.c). */
#define MIME_DEF_MAX_BYTES   (4u * 1024 * 1024)
#define MIME_DEF_MAX_DEPTH   16
#define MIME_DEF_MAX_PARTS   256
#define MIME_DEF_MAX_HDRBYTES (16u * 1024)
#define MIME_DEF_MAX_HEADERS 512

#define MIME_NAME_MAX   256     /* longest header field name we accept */
#define MIME_SEGS_MAX   32      /* RFC 2231 continuation segments */
#define MIME_GUESS_SPAN (64u * 1024) /* where a lost boundary is looked for */
/* First storage, inside the mime_msg (and mime_parse()'s frame): most
 * messages need no other allocation than the mime_msg itself. */
#define MIME_PARTS_FIRST 8
#define MIME_HDRS_FIRST 64
#define MIME_ARENA_FIRST 1024
#define MIME_STACK_FIRST 16

/* A header field as it stands in the parsed bytes: the caller's buffer, or
 * a decoded message/rfc822 body the mime_msg owns. */
struct mime_hdr {
	const char *name;       /* nlen bytes */
	const char *raw;        /* value from after the colon and its white */
	size_t rawlen;          /* space to the end of its last line (no EOL) */
	char *copy;             /* once asked for: "name\0value\0" in the arena */
	size_t vlen;            /* unfolded value length, once copy is set */
	size_t nlen;
	bool folded;            /* more than one line */
};

/* Arena block for unfolded fields; blocks never move. */
struct mime_block {
	struct mime_block *next;
	size_t used, cap;
	char data[];
};

struct mime_arena {
	struct mime_block *head;        /* heap blocks, newest first */
	size_t used;                    /* of first[] */
	char first[MIME_ARENA_FIRST];
};

struct mime_info {
	size_t hfirst;          /* index of the part's first header */
	size_t ctype, cte;      /* 1 + index of its first Content-Type and
	                           Content-Transfer-Encoding field; 0: none */
	char *dec;              /* decoded body, owned, NUL-terminated */
	size_t declen;
	bool done;
};

struct mime_msg {
	struct mime_part *parts;        /* parts0 or the heap */
	struct mime_info *info;         /* info0 or the heap */
	size_t nparts, pcap, icap;
	struct mime_hdr *hdrs;          /* hdrs0 or the heap */
	size_t nhdrs, hcap;
	bool truncated;
	struct bounce_limits lim;
	/* The lookups take a const mime_msg and still unfold into the arena:
	 * they reach it through this pointer (to arena0 below). */
	struct mime_arena *arena;
	struct mime_arena arena0;
	struct mime_part parts0[MIME_PARTS_FIRST];
	struct mime_info info0[MIME_PARTS_FIRST];
	struct mime_hdr hdrs0[MIME_HDRS_FIRST];
};

/* A span still to be parsed into a part. */
struct mime_ent {
	const char *start, *end;
	int parent;
	unsigned depth;
	bool is_msg;            /* a whole message: skip an mbox From line */
	bool digest;            /* child of multipart/digest */
};

struct mime_stack {
	struct mime_ent *v;             /* first or the heap */
	size_t n, cap;
	struct mime_ent first[MIME_STACK_FIRST];
};

/* Multipart subtypes we know; any other multipart/x is taken as mixed. */
static const char *const mime_multipart_known[] = {
	"multipart/mixed", "multipart/alternative", "multipart/related",
	"multipart/report", "multipart/digest", "multipart/signed",
	"multipart/encrypted", "multipart/parallel", "multipart/form-data",
	"multipart/byteranges", "multipart/appledouble", "multipart/header-set",
	"multipart/x-mixed-replace", "multipart/voice-message", NULL
};

/* Types whose body is one embedded message, parsed as a child part. */
static const char *const mime_message_types[] = {
	"message/rfc822", "message/global", NULL
};

static bool
mime_in_list(const char *s, const char *const *list)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static inline bool
mime_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* ------------------------------------------------------------ growth */

/* Make room for `need` elements in *v; `first` is the array's first
 * storage (not from the heap: copied out, never realloc'd or freed). */
static int
mime_grow(void **v, size_t *cap, size_t need, size_t elem, void *first)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return -1;
		ncap *= 2;
	}
	if (*v == first) {
		p = malloc(ncap * elem);
		if (p != NULL && *cap > 0)
			memcpy(p, first, *cap * elem);
	} else {
		p = realloc(*v, ncap * elem);
	}
	if (p == NULL)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

#define MIME_BLOCK_SIZE 4000     /* arena block payload (a malloc of ~4 KiB) */

/* n bytes from the arena, or NULL when out of memory. */
static char *
mime_arena_alloc(struct mime_arena *a, size_t n)
{
	struct mime_block **head = &a->head, *b = *head;
	size_t cap;
	char *p;

	if (b == NULL && sizeof(a->first) - a->used >= n) {
		p = a->first + a->used;
		a->used += n;
		return p;
	}
	if (b == NULL || b->cap - b->used < n) {
		cap = n > MIME_BLOCK_SIZE ? n : MIME_BLOCK_SIZE;
		if (cap > SIZE_MAX - sizeof(*b))
			return NULL;
		b = malloc(sizeof(*b) + cap);
		if (b == NULL)
			return NULL;
		b->used = 0;
		b->cap = cap;
		if (*head != NULL && n > MIME_BLOCK_SIZE) {
			/* a big field gets a block of its own; the current
			 * block keeps serving small ones */
			b->next = (*head)->next;
			(*head)->next = b;
		} else {
			b->next = *head;
			*head = b;
		}
	}
	p = b->data + b->used;
	b->used += n;
	return p;
}

/* One piece of a value, within *budget bytes (the rest is cut: the parse
 * already marked the message truncated), appended to v[o..) when v is
 * non-NULL with NUL and bare CR made spaces; *last gets the piece's last
 * byte that stays non-blank, if any.  Returns the new length. */
static size_t
mime_piece(char *v, size_t o, const char *s, size_t n, size_t *budget,
           char *last)
{
	char *q, *end;
	size_t k;

	if (n > *budget)
		n = *budget;
	*budget -= n;
	for (k = n; k > 0; k--) {
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
 * The pieces of a field's value as mime_headers() collected them: the
 * first line's value, then each further line whole (a fold starts with
 * white space; a line that does not is a broken fold after a ';' and gets
 * one space before it), all bounded by max_header_bytes together.  Copied
 * to v when non-NULL; returns their length; *last gets the last byte that
 * stays non-blank (0 if none).
 */
static size_t
mime_pieces(const struct mime_msg *m, const struct mime_hdr *h, char *v,
            char *last)
{
	size_t budget = m->lim.max_header_bytes, o = 0;
	const char *p = h->raw, *e = h->raw + h->rawlen, *nl, *cend;

	*last = '\0';
	for (;;) {
		nl = memchr(p, '\n', (size_t)(e - p));
		cend = nl != NULL ? nl : e;
		if (nl != NULL && nl > p && nl[-1] == '\r')
			cend--;
		if (p != h->raw && p < e && !mime_wsp(*p))
			o = mime_piece(v, o, " ", 1, &budget, last);
		o = mime_piece(v, o, p, (size_t)(cend - p), &budget, last);
		if (nl == NULL)
			return o;
		p = nl + 1;
	}
}

/* Unfold a field into the arena once, trailing white space dropped.  -1
 * when out of memory. */
static int
mime_unfold(const struct mime_msg *m, struct mime_hdr *h)
{
	size_t budget = m->lim.max_header_bytes, cap, o;
	char *out, *v, last;

	if (h->copy != NULL)
		return 0;
	/* pieces never exceed the raw span: a broken fold's space stands
	 * in for at least a LF */
	cap = h->rawlen < budget ? h->rawlen : budget;
	out = mime_arena_alloc(m->arena, h->nlen + 1 + cap + 1);
	if (out == NULL)
		return -1;
	memcpy(out, h->name, h->nlen);
	out[h->nlen] = '\0';
	v = out + h->nlen + 1;
	o = mime_pieces(m, h, v, &last);
	while (o > 0 && mime_wsp(v[o - 1]))
		o--;
	v[o] = '\0';
	h->vlen = o;
	h->copy = out;
	return 0;
}

/* ------------------------------------------------------------ headers */

/* Bytes of a header field name: printable ASCII except ':' (a table: the
 * name loop runs over every header line of every part). */
static const unsigned char mime_namechar[256] = {
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

/* If [p, e) starts with a header field name and colon (white space allowed
 * before the colon, obsolete syntax), return the name's length and set
 * *colon to the colon's offset; else return 0.  The colon must lie within
 * MIME_NAME_MAX bytes. */
static size_t
mime_field_name(const char *p, const char *e, size_t *colon)
{
	size_t i = 0, n = (size_t)(e - p), name;

	if (n > MIME_NAME_MAX)
		n = MIME_NAME_MAX;
	/* four bytes a step first: most names are longer than that */
	while (i + 4 <= n && (mime_namechar[(unsigned char)p[i]] &
	    mime_namechar[(unsigned char)p[i + 1]] &
	    mime_namechar[(unsigned char)p[i + 2]] &
	    mime_namechar[(unsigned char)p[i + 3]]))
		i += 4;
	while (i < n && mime_namechar[(unsigned char)p[i]])
		i++;
	name = i;
	if (name == 0)
		return 0;
	while (i < n && mime_wsp(p[i]))
		i++;
	if (i < n && p[i] == ':') {
		*colon = i;
		return name;
	}
	return 0;
}

struct mime_hstate {
	bool open;              /* hdrs[cur] is collecting lines */
	size_t cur;
	size_t total;           /* bytes of its pieces so far */
};

/* A piece joins the open field's value: mime_pieces() will cut what passes
 * max_header_bytes, so the message is truncated. */
static inline void
mime_hdr_piece(struct mime_msg *m, struct mime_hstate *hs, size_t n)
{
	hs->total += n;
	if (hs->total > m->lim.max_header_bytes)
		m->truncated = true;
}

/* Remember where the fields mime_content_type() reads are. */
static void
mime_note_field(struct mime_info *in, const char *name, size_t nlen,
                size_t idx)
{
	if (nlen == 12 && in->ctype == 0 &&
	    strncasecmp(name, "Content-Type", 12) == 0)
		in->ctype = idx + 1;
	else if (nlen == 25 && in->cte == 0 &&
	    strncasecmp(name, "Content-Transfer-Encoding", 25) == 0)
		in->cte = idx + 1;
}

/* Whether the value so far ends with ';' (white space aside). */
static bool
mime_ends_semicolon(const struct mime_msg *m, const struct mime_hdr *h)
{
	char last;

	(void)mime_pieces(m, h, NULL, &last);
	return last == ';';
}

static bool
mime_blank(const char *p, const char *e)
{
	for (; p < e; p++)
		if (!mime_wsp(*p))
			return false;
	return true;
}

/* Parse the header block of [p, e) into part `part`; *body gets the start
 * of the body.  Returns -1 on memory exhaustion. */
static int
mime_headers(struct mime_msg *m, size_t part, const char *p, const char *e,
             bool is_msg, const char **body)
{
	struct mime_hstate hs = { .open = false };
	struct mime_hdr *h;
	const char *nl, *lend, *next, *cend, *v;
	size_t colon, nlen;
	bool any = false;

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
		if (mime_blank(p, cend)) {
			*body = next;
			return 0;
		}
		if (mime_wsp(*p)) {
			if (!any)
				break;          /* no header at all: body starts here */
			if (hs.open) {
				h = &m->hdrs[hs.cur];
				mime_hdr_piece(m, &hs, (size_t)(cend - p));
				h->rawlen = (size_t)(cend - h->raw);
				h->folded = true;
			}
			p = next;
			continue;
		}
		nlen = mime_field_name(p, cend, &colon);
		if (nlen == 0 && hs.open && mime_ends_semicolon(m, &m->hdrs[hs.cur])) {
			/* "Content-Type: multipart/x;" then an unindented
			 * "boundary=..." line: a broken fold, taken as one */
			h = &m->hdrs[hs.cur];
			mime_hdr_piece(m, &hs, 1 + (size_t)(cend - p));
			h->rawlen = (size_t)(cend - h->raw);
			h->folded = true;
			p = next;
			continue;
		}
		if (nlen == 0)
			break;                  /* no separator: body starts here */
		hs.open = false;
		any = true;
		if (m->parts[part].nheaders >= m->lim.max_headers) {
			m->truncated = true;
			p = next;
			continue;
		}
		if (m->nhdrs == m->hcap && mime_grow((void **)&m->hdrs,
		    &m->hcap, m->nhdrs + 1, sizeof(*m->hdrs), m->hdrs0) < 0)
			return -1;
		v = p + colon + 1;
		while (v < cend && mime_wsp(*v))
			v++;
		hs.cur = m->nhdrs++;
		m->parts[part].nheaders++;
		mime_note_field(&m->info[part], p, nlen, hs.cur);
		m->hdrs[hs.cur] = (struct mime_hdr){ .name = p, .nlen = nlen,
		    .raw = v, .rawlen = (size_t)(cend - v) };
		hs.total = 0;
		hs.open = true;
		mime_hdr_piece(m, &hs, (size_t)(cend - v));
		p = next;
	}
	*body = p;
	return 0;
}

/* First field of that name (case-insensitive) in a part, or NULL. */
static struct mime_hdr *
mime_find_hdr(const struct mime_msg *m, size_t part, const char *name)
{
	struct mime_hdr *h, *end;
	size_t wl;

	if (m->parts[part].nheaders == 0)
		return NULL;
	wl = strlen(name);
	h = &m->hdrs[m->info[part].hfirst];
	end = h + m->parts[part].nheaders;
	for (; h < end; h++)
		if (h->nlen == wl && strncasecmp(h->name, name, wl) == 0)
			return h;
	return NULL;
}

/* A field's value as a span (not NUL-terminated): the raw bytes when
 * unfolding would leave them as they are (one line, no NUL or CR, within
 * max_header_bytes; trailing white space left out), else the unfolded
 * copy.  -1 when out of memory. */
static int
mime_value_span(const struct mime_msg *m, struct mime_hdr *h, const char **v,
                size_t *vlen)
{
	size_t n = h->rawlen;

	if (h->copy == NULL && !h->folded && n <= m->lim.max_header_bytes &&
	    memchr(h->raw, '\0', n) == NULL && memchr(h->raw, '\r', n) == NULL) {
		while (n > 0 && mime_wsp(h->raw[n - 1]))
			n--;
		*v = h->raw;
		*vlen = n;
		return 0;
	}
	if (mime_unfold(m, h) < 0)
		return -1;
	*v = h->copy + h->nlen + 1;
	*vlen = h->vlen;
	return 0;
}

/* ------------------------------------------------------------ parameters */

struct mime_seg {
	const char *s;
	size_t n;
	bool quoted, ext, set;
};

/* The Content-Type parameters a part keeps, found in one pass. */
enum { MIME_P_BOUNDARY, MIME_P_CHARSET, MIME_P_REPORT_TYPE, MIME_P_N };

static const struct {
	const char *name;
	size_t len;
} mime_pwant[MIME_P_N] = {
	[MIME_P_BOUNDARY] = { "boundary", 8 },
	[MIME_P_CHARSET] = { "charset", 7 },
	[MIME_P_REPORT_TYPE] = { "report-type", 11 },
};

/* What the pass saw of one wanted parameter. */
struct mime_pfound {
	struct mime_seg plain;                  /* name=value */
	struct mime_seg segs[MIME_SEGS_MAX];    /* name*, name*N, name*N* */
	uint32_t segset;                        /* bit k: segs[k] is set */
	size_t nsegs;
};

_Static_assert(MIME_SEGS_MAX <= 32, "segset has a bit per segment");

static int
mime_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Copy a parameter value to out[o..): quoted-pair escapes undone, and for
 * RFC 2231 extended values %XX decoded.  Sets *over when out is full. */
static size_t
mime_unquote(const char *s, size_t n, bool quoted, bool ext, char *out,
             size_t o, size_t outsz, bool *over)
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
		    (h = mime_hex(s[i + 1])) >= 0 && (l = mime_hex(s[i + 2])) >= 0) {
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
mime_param_seen(struct mime_pfound *found, const char *name, size_t nl,
                const char *val, size_t vl, bool quoted)
{
	struct mime_pfound *f;
	const char *q;
	size_t w, wl, k;

	for (w = 0; w < MIME_P_N; w++) {
		wl = mime_pwant[w].len;
		if (nl < wl || strncasecmp(name, mime_pwant[w].name, wl) != 0)
			continue;
		f = &found[w];
		if (nl == wl) {
			f->plain = (struct mime_seg){ val, vl, quoted, false, true };
			return;
		}
		if (name[wl] != '*')
			continue;
		q = name + wl + 1;
		if (q == name + nl) {           /* name*=charset'lang'value */
			f->segs[0] = (struct mime_seg){ val, vl, quoted, true, true };
			f->segset |= 1u;
			if (f->nsegs < 1)
				f->nsegs = 1;
			return;
		}
		k = 0;
		while (q < name + nl && *q >= '0' && *q <= '9' && k < MIME_SEGS_MAX)
			k = k * 10 + (size_t)(*q++ - '0');
		if (k >= MIME_SEGS_MAX)
			continue;
		f->segs[k] = (struct mime_seg){ val, vl, quoted,
		    q < name + nl && *q == '*', true };
		f->segset |= 1u << k;
		if (k + 1 > f->nsegs)
			f->nsegs = k + 1;
		return;
	}
}

/* One pass over the parameters of a Content-Type value (after the type
 * token), filling found[MIME_P_N]. */
static void
mime_params(const char *p, const char *e, struct mime_pfound *found)
{
	const char *name, *val;
	size_t nl, vl, w;
	bool quoted;

	for (w = 0; w < MIME_P_N; w++) {
		found[w].plain.set = false;
		found[w].segset = 0;
		found[w].nsegs = 0;
	}
	while (p < e) {
		while (p < e && (mime_wsp(*p) || *p == ';' || *p == '\r' ||
		    *p == '\n'))
			p++;
		if (p >= e)
			break;
		name = p;
		while (p < e && *p != '=' && *p != ';' && !mime_wsp(*p))
			p++;
		nl = (size_t)(p - name);
		while (p < e && mime_wsp(*p))
			p++;
		if (p >= e || *p != '=')
			continue;
		p++;
		while (p < e && mime_wsp(*p))
			p++;
		quoted = false;
		if (p < e && *p == '"') {
			quoted = true;
			val = ++p;
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
			while (p < e && *p != ';' && !mime_wsp(*p))
				p++;
			vl = (size_t)(p - val);
		}
		mime_param_seen(found, name, nl, val, vl, quoted);
	}
}

/* A wanted parameter's value into out: segments joined in order (up to the
 * first missing one), else the plain value.  Returns 1 and fills out, 0
 * if absent, -1 if the value does not fit in outsz. */
static int
mime_param_value(const struct mime_pfound *f, char *out, size_t outsz)
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
			o = mime_unquote(s, n, f->segs[i].quoted, f->segs[i].ext,
			    out, o, outsz, &over);
		}
	} else if (f->plain.set) {
		o = mime_unquote(f->plain.s, f->plain.n, f->plain.quoted, false,
		    out, o, outsz, &over);
	} else {
		out[0] = '\0';
		return 0;
	}
	out[o] = '\0';
	return over ? -1 : 1;
}

/* Fill type/boundary/charset/report_type/encoding of a part from its
 * headers.  -1 when out of memory. */
static int
mime_content_type(struct mime_msg *m, struct mime_part *pt, bool digest)
{
	const char *v, *e, *t;
	size_t vlen;
	char type[sizeof(pt->type)];
	struct mime_pfound found[MIME_P_N];
	const struct mime_info *in;
	struct mime_hdr *h;

	strcpy(pt->type, digest ? "message/rfc822" : "text/plain");
	in = &m->info[pt - m->parts];
	h = in->ctype ? &m->hdrs[in->ctype - 1] : NULL;
	if (h != NULL && mime_value_span(m, h, &v, &vlen) < 0)
		return -1;
	if (h != NULL) {
		e = v + vlen;
		while (v < e && mime_wsp(*v))
			v++;
		t = v;
		while (v < e && *v != ';' && !mime_wsp(*v) && *v != '(')
			v++;
		if (v > t && (size_t)(v - t) < sizeof(type) &&
		    memchr(t, '/', (size_t)(v - t)) != NULL && t[0] != '/' &&
		    v[-1] != '/') {
			text_lower_copy(t, (size_t)(v - t), type, sizeof(type));
			strcpy(pt->type, type);
		}
		if (strncmp(pt->type, "multipart/", 10) == 0 &&
		    !mime_in_list(pt->type, mime_multipart_known))
			strcpy(pt->type, "multipart/mixed");
		mime_params(v, e, found);
		if (mime_param_value(&found[MIME_P_BOUNDARY], pt->boundary,
		    sizeof(pt->boundary)) < 0) {
			pt->boundary[0] = '\0';
			m->truncated = true;
		}
		if (mime_param_value(&found[MIME_P_CHARSET], pt->charset,
		    sizeof(pt->charset)) < 0)
			pt->charset[0] = '\0';
		if (pt->charset[0] != '\0')
			text_lower_copy(pt->charset, strlen(pt->charset),
			    pt->charset, sizeof(pt->charset));
		if (mime_param_value(&found[MIME_P_REPORT_TYPE], pt->report_type,
		    sizeof(pt->report_type)) < 0)
			pt->report_type[0] = '\0';
		if (pt->report_type[0] != '\0')
			text_lower_copy(pt->report_type,
			    strlen(pt->report_type), pt->report_type,
			    sizeof(pt->report_type));
	}
	h = in->cte ? &m->hdrs[in->cte - 1] : NULL;
	if (h != NULL && mime_value_span(m, h, &v, &vlen) < 0)
		return -1;
	if (h != NULL) {
		e = v + vlen;
		while (v < e && (mime_wsp(*v) || *v == '"'))
			v++;
		t = v;
		while (v < e && *v != ';' && *v != '"' && !mime_wsp(*v) &&
		    *v != '(')
			v++;
		text_lower_copy(t, (size_t)(v - t), pt->encoding,
		    sizeof(pt->encoding));
		if (strcmp(pt->encoding, "7bit") == 0)
			pt->encoding[0] = '\0';
	}
	return 0;
}

/* ------------------------------------------------------------ multipart */

/*
 * Search for one delimiter string "--boundary" with its skip table built
 * once per multipart body (memmem() builds one on every call, that is for
 * every delimiter): Horspool's algorithm on the byte pair that ends the
 * window.  skip[] holds, for each pair hash, how far the window may move
 * without passing an occurrence: dl - 1 - j for the last position j in
 * [1, dl - 2] where the delimiter's pair hashes the same, else dl - 1.
 */
struct mime_finder {
	const unsigned char *d;
	size_t dl;                      /* 3 .. sizeof(boundary) + 1 */
	unsigned char skip[256];
};

static inline unsigned
mime_pair_hash(unsigned char a, unsigned char b)
{
	return ((unsigned)a << 3 ^ b) & 255u;
}

static void
mime_finder_init(struct mime_finder *f, const char *d, size_t dl)
{
	size_t j;

	f->d = (const unsigned char *)d;
	f->dl = dl;
	memset(f->skip, (int)(dl - 1), sizeof(f->skip));
	for (j = 1; j + 1 < dl; j++)
		f->skip[mime_pair_hash(f->d[j - 1], f->d[j])] =
		    (unsigned char)(dl - 1 - j);
}

/* First occurrence of the delimiter string in [p, e), or NULL. */
static const char *
mime_finder_find(const struct mime_finder *f, const char *p, const char *e)
{
	const unsigned char *s = (const unsigned char *)p, *w, *last;
	size_t dl = f->dl;

	if ((size_t)(e - p) < dl)
		return NULL;
	last = (const unsigned char *)e - dl;
	while (s <= last) {             /* s never passes e - 1 */
		w = s + dl - 1;
		if (w[0] == f->d[dl - 1] && w[-1] == f->d[dl - 2] &&
		    memcmp(s, f->d, dl - 2) == 0)
			return (const char *)s;
		s += f->skip[mime_pair_hash(w[-1], w[0])];
	}
	return NULL;
}

/* Next delimiter line "--boundary" or "--boundary--" (trailing white space
 * allowed) at a line start in [p, e); b is the body start. */
static const char *
mime_delim(const char *p, const char *b, const char *e,
           const struct mime_finder *f, bool *close, const char **after)
{
	const char *q, *r;
	bool c;

	while (p < e && (q = mime_finder_find(f, p, e)) != NULL) {
		if (q == b || q[-1] == '\n') {
			r = q + f->dl;
			c = false;
			if (e - r >= 2 && r[0] == '-' && r[1] == '-') {
				c = true;
				r += 2;
			}
			while (r < e && (mime_wsp(*r) || *r == '\r'))
				r++;
			if (r == e || *r == '\n') {
				*close = c;
				*after = r < e ? r + 1 : e;
				return q;
			}
		}
		p = q + 1;
	}
	return NULL;
}

static int
mime_push_child(struct mime_stack *kids, const char *s, const char *e,
                int parent, unsigned depth, bool is_msg, bool digest)
{
	if (mime_grow((void **)&kids->v, &kids->cap, kids->n + 1,
	    sizeof(*kids->v), kids->first) < 0)
		return -1;
	kids->v[kids->n++] = (struct mime_ent){ s, e, parent, depth, is_msg,
	    digest };
	return 0;
}

/* Split a multipart body into child spans (in order) appended to kids,
 * stopping at `room` children. */
static int
mime_split(struct mime_msg *m, const struct mime_part *pt, int idx,
           struct mime_stack *kids, size_t room, size_t *ndelim)
{
	char d[sizeof(pt->boundary) + 2];
	const char *b = pt->body, *e = pt->body + pt->body_len;
	const char *p = b, *q, *after, *cs = NULL, *ce;
	struct mime_finder f;
	size_t dl;
	bool close, digest = strcmp(pt->type, "multipart/digest") == 0;

	d[0] = '-';
	d[1] = '-';
	dl = strlen(pt->boundary);
	memcpy(d + 2, pt->boundary, dl);
	dl += 2;
	mime_finder_init(&f, d, dl);    /* dl >= 3: the boundary is not "" */
	*ndelim = 0;
	while ((q = mime_delim(p, b, e, &f, &close, &after)) != NULL) {
		(*ndelim)++;
		if (cs != NULL) {
			ce = q;
			if (ce > cs && ce[-1] == '\n')
				ce--;
			if (ce > cs && ce[-1] == '\r')
				ce--;
			if (kids->n >= room) {
				m->truncated = true;
				return 0;
			}
			if (mime_push_child(kids, cs, ce, idx, pt->depth + 1,
			    false, digest) < 0)
				return -1;
		}
		cs = NULL;
		if (close)
			return 0;
		cs = after;
		p = after;
	}
	if (cs != NULL) {               /* boundary never closed */
		if (kids->n >= room) {
			m->truncated = true;
			return 0;
		}
		if (mime_push_child(kids, cs, e, idx, pt->depth + 1, false,
		    digest) < 0)
			return -1;
	}
	return 0;
}

/*
 * The boundary parameter matched no delimiter line (a gateway rewrote one
 * of them): take the first "--token" line near the start of the body as
 * the boundary if that line, or its closing form, occurs again.
 */
static bool
mime_guess_boundary(struct mime_part *pt)
{
	const char *b = pt->body, *e, *line, *q, *t;
	size_t pos = 0, ll, blen, span;
	bool dash_only;

	span = pt->body_len < MIME_GUESS_SPAN ? pt->body_len : MIME_GUESS_SPAN;
	while (text_next_line(b, span, &pos, &line, &ll)) {
		while (ll > 0 && mime_wsp(line[ll - 1]))
			ll--;
		if (ll < 3 || ll - 2 >= sizeof(pt->boundary) ||
		    line[0] != '-' || line[1] != '-')
			continue;
		dash_only = true;
		for (t = line + 2; t < line + ll; t++) {
			if (*t <= ' ' || *t == 0x7f)
				break;
			if (*t != '-')
				dash_only = false;
		}
		if (t != line + ll || dash_only)
			continue;
		blen = ll - 2;
		if (blen > 2 && line[ll - 1] == '-' && line[ll - 2] == '-')
			continue;       /* a closing line first: not a start */
		e = b + pt->body_len;
		q = line + ll;
		q = memmem(q, (size_t)(e - q), line, ll);
		if (q == NULL)
			return false;
		memcpy(pt->boundary, line + 2, blen);
		pt->boundary[blen] = '\0';
		return true;
	}
	return false;
}

/* ------------------------------------------------------------ parse */

static int
mime_new_part(struct mime_msg *m, const struct mime_ent *en)
{
	struct mime_part *pt;
	struct mime_info *in;

	if (mime_grow((void **)&m->parts, &m->pcap, m->nparts + 1,
	    sizeof(*m->parts), m->parts0) < 0 ||
	    mime_grow((void **)&m->info, &m->icap, m->nparts + 1,
	    sizeof(*m->info), m->info0) < 0)
		return -1;
	pt = &m->parts[m->nparts];
	in = &m->info[m->nparts];
	memset(pt, 0, sizeof(*pt));
	memset(in, 0, sizeof(*in));
	pt->parent = en->parent;
	pt->depth = en->depth;
	in->hfirst = m->nhdrs;
	m->nparts++;
	return 0;
}

static int
mime_entity(struct mime_msg *m, const struct mime_ent *en,
            struct mime_stack *stack, struct mime_stack *kids)
{
	struct mime_part *pt;
	const char *body;
	size_t idx = m->nparts, room, i, nd;
	const char *dec;
	size_t declen;

	if (mime_new_part(m, en) < 0)
		return -1;
	if (mime_headers(m, idx, en->start, en->end, en->is_msg, &body) < 0)
		return -1;
	pt = &m->parts[idx];
	pt->body = body;
	pt->body_len = (size_t)(en->end - body);
	if (mime_content_type(m, pt, en->digest) < 0)
		return -1;

	room = m->lim.max_parts - m->nparts - stack->n;
	if (m->nparts + stack->n >= m->lim.max_parts)
		room = 0;
	if (strncmp(pt->type, "multipart/", 10) == 0 && pt->boundary[0]) {
		if (pt->depth >= m->lim.max_depth) {
			m->truncated = true;
			return 0;
		}
		kids->n = 0;
		if (mime_split(m, pt, (int)idx, kids, room, &nd) < 0)
			return -1;
		if (nd == 0 && mime_guess_boundary(pt)) {
			kids->n = 0;
			if (mime_split(m, pt, (int)idx, kids, room, &nd) < 0)
				return -1;
		}
		for (i = kids->n; i > 0; i--)
			if (mime_push_child(stack, kids->v[i - 1].start,
			    kids->v[i - 1].end, kids->v[i - 1].parent,
			    kids->v[i - 1].depth, false, kids->v[i - 1].digest) < 0)
				return -1;
	} else if (mime_in_list(pt->type, mime_message_types)) {
		if (pt->depth >= m->lim.max_depth || room == 0) {
			m->truncated = true;
			return 0;
		}
		if (mime_body_decoded(m, idx, &dec, &declen) < 0)
			return -1;
		if (mime_push_child(stack, dec, dec + declen, (int)idx,
		    pt->depth + 1, true, false) < 0)
			return -1;
	}
	return 0;
}

struct mime_msg *
mime_parse(const char *data, size_t len, const struct bounce_limits *lim)
{
	struct mime_msg *m;
	struct mime_stack stack, kids;
	struct mime_ent en;
	int rc = 0;

	/* field by field: the first-storage arrays need no zeroing */
	m = malloc(sizeof(*m));
	if (m == NULL)
		return NULL;
	m->parts = m->parts0;
	m->info = m->info0;
	m->nparts = 0;
	m->pcap = m->icap = MIME_PARTS_FIRST;
	m->hdrs = m->hdrs0;
	m->nhdrs = 0;
	m->hcap = MIME_HDRS_FIRST;
	m->truncated = false;
	m->arena = &m->arena0;
	m->arena0.head = NULL;
	m->arena0.used = 0;
	stack.v = stack.first;
	kids.v = kids.first;
	stack.n = kids.n = 0;
	stack.cap = kids.cap = MIME_STACK_FIRST;
	if (lim != NULL) {
		m->lim = *lim;
	} else {
		memset(&m->lim, 0, sizeof(m->lim));
		m->lim.max_bytes = MIME_DEF_MAX_BYTES;
		m->lim.max_depth = MIME_DEF_MAX_DEPTH;
		m->lim.max_parts = MIME_DEF_MAX_PARTS;
		m->lim.max_header_bytes = MIME_DEF_MAX_HDRBYTES;
		m->lim.max_headers = MIME_DEF_MAX_HEADERS;
	}
	if (m->lim.max_parts == 0)
		m->lim.max_parts = 1;
	if (data == NULL)
		len = 0;
	if (len > m->lim.max_bytes) {
		len = m->lim.max_bytes;
		m->truncated = true;
	}
	if (data == NULL)
		data = "";
	en = (struct mime_ent){ data, data + len, -1, 0, true, false };
	if (mime_push_child(&stack, en.start, en.end, -1, 0, true, false) < 0)
		rc = -1;
	while (rc == 0 && stack.n > 0) {
		en = stack.v[--stack.n];
		if (m->nparts >= m->lim.max_parts) {
			m->truncated = true;
			break;
		}
		rc = mime_entity(m, &en, &stack, &kids);
	}
	if (stack.v != stack.first)
		free(stack.v);
	if (kids.v != kids.first)
		free(kids.v);
	if (rc < 0) {
		mime_free(m);
		return NULL;
	}
	return m;
}

void
mime_free(struct mime_msg *m)
{
	struct mime_block *b;
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nparts; i++)
		free(m->info[i].dec);
	while (m->arena0.head != NULL) {
		b = m->arena0.head;
		m->arena0.head = b->next;
		free(b);
	}
	if (m->parts != m->parts0)
		free(m->parts);
	if (m->info != m->info0)
		free(m->info);
	if (m->hdrs != m->hdrs0)
		free(m->hdrs);
	free(m);
}

size_t
mime_nparts(const struct mime_msg *m)
{
	return m ? m->nparts : 0;
}

const struct mime_part *
mime_get_part(const struct mime_msg *m, size_t i)
{
	if (m == NULL || i >= m->nparts)
		return NULL;
	return &m->parts[i];
}

bool
mime_truncated(const struct mime_msg *m)
{
	return m ? m->truncated : false;
}

bool
mime_header_at(const struct mime_msg *m, size_t part, size_t i,
               const char **name, const char **value, size_t *value_len)
{
	struct mime_hdr *h;

	if (m == NULL || part >= m->nparts || i >= m->parts[part].nheaders)
		return false;
	h = &m->hdrs[m->info[part].hfirst + i];
	if (mime_unfold(m, h) < 0)
		return false;
	if (name)
		*name = h->copy;
	if (value)
		*value = h->copy + h->nlen + 1;
	if (value_len)
		*value_len = h->vlen;
	return true;
}

const char *
mime_header(const struct mime_msg *m, size_t part, const char *name,
            size_t *value_len)
{
	struct mime_hdr *h;

	if (m == NULL || part >= m->nparts ||
	    (h = mime_find_hdr(m, part, name)) == NULL ||
	    mime_unfold(m, h) < 0)
		return NULL;
	if (value_len)
		*value_len = h->vlen;
	return h->copy + h->nlen + 1;
}

int
mime_body_decoded(struct mime_msg *m, size_t part, const char **out,
                  size_t *outlen)
{
	struct mime_part *pt;
	struct mime_info *in;
	bool bad = false;

	if (m == NULL || part >= m->nparts)
		return -1;
	pt = &m->parts[part];
	in = &m->info[part];
	if (!in->done) {
		if (strcmp(pt->encoding, "base64") == 0) {
			in->dec = malloc(pt->body_len / 4 * 3 + 4);
			if (in->dec == NULL)
				return -1;
			in->declen = text_b64_decode(pt->body, pt->body_len,
			    in->dec, pt->body_len / 4 * 3 + 3, &bad);
			in->dec[in->declen] = '\0';
			if (bad)
				m->truncated = true;
		} else if (strcmp(pt->encoding, "quoted-printable") == 0) {
			in->dec = malloc(pt->body_len + 1);
			if (in->dec == NULL)
				return -1;
			in->declen = text_qp_decode(pt->body, pt->body_len,
			    in->dec, pt->body_len, false);
			in->dec[in->declen] = '\0';
		}
		in->done = true;
	}
	if (in->dec != NULL) {
		*out = in->dec;
		*outlen = in->declen;
	} else {
		*out = pt->body;
		*outlen = pt->body_len;
	}
	return 0;
}

int
mime_find_type(const struct mime_msg *m, const char *type, size_t from)
{
	size_t i;

	if (m == NULL)
		return -1;
	for (i = from; i < m->nparts; i++)
		if (strcmp(m->parts[i].type, type) == 0)
			return (int)i;
	return -1;
}
