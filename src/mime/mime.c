/* SPDX-License-Identifier: BSD-2-Clause */
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
 * Each entity's header block goes to the field table (mime_field.c: raw
 * spans, unfolded on request), its Content-Type and
 * Content-Transfer-Encoding values to mime_ctype.c.  Decoded bodies are
 * allocated on first request and cached per part.  The part, field and
 * arena storage starts inside the mime_msg (mime_store.c), so a common
 * message costs one allocation.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mime/limits.h"
#include "mime/mime.h"
#include "mime/mime_ctype.h"
#include "mime/mime_field.h"
#include "mime/mime_store.h"
#include "util/text.h"

#define MIME_GUESS_SPAN (64u * 1024) /* where a lost boundary is looked for */
/* First storage, inside the mime_msg (and mime_parse()'s frame): most
 * messages need no other allocation than the mime_msg itself. */
#define MIME_PARTS_FIRST 8
#define MIME_STACK_FIRST 16

struct mime_info {
	struct mime_field_range fields; /* the part's header fields */
	char *dec;              /* decoded body, owned, NUL-terminated */
	size_t declen;
	bool done;
};

struct mime_msg {
	struct mime_part *parts;        /* parts0 or the heap */
	struct mime_info *info;         /* info0 or the heap */
	size_t nparts, pcap, icap;
	bool truncated;
	struct bounce_limits lim;
	struct mime_field_table fields; /* of all parts, in part order */
	struct mime_part parts0[MIME_PARTS_FIRST];
	struct mime_info info0[MIME_PARTS_FIRST];
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

/* ------------------------------------------------------------ type */

/* Fill type/boundary/charset/report_type/encoding of a part from its
 * Content-Type and Content-Transfer-Encoding fields.  -1 when out of
 * memory. */
static int
mime_content_type(struct mime_msg *m, struct mime_part *pt, bool digest)
{
	const struct mime_info *in = &m->info[pt - m->parts];
	struct mime_field_hdr *h;
	const char *v = NULL;
	size_t vlen = 0;

	if (in->fields.ctype != 0) {
		h = &m->fields.v[in->fields.ctype - 1];
		if (mime_field_span(&m->fields, h, &v, &vlen) < 0)
			return -1;
	}
	if (!mime_ctype_parse(pt, v, vlen, digest))
		m->truncated = true;
	if (in->fields.cte != 0) {
		h = &m->fields.v[in->fields.cte - 1];
		if (mime_field_span(&m->fields, h, &v, &vlen) < 0)
			return -1;
		mime_ctype_encoding(pt, v, vlen);
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
			while (r < e && (mime_field_wsp(*r) || *r == '\r'))
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
	if (mime_store_grow((void **)&kids->v, &kids->cap, kids->n + 1,
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
		while (ll > 0 && mime_field_wsp(line[ll - 1]))
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

	if (mime_store_grow((void **)&m->parts, &m->pcap, m->nparts + 1,
	    sizeof(*m->parts), m->parts0) < 0 ||
	    mime_store_grow((void **)&m->info, &m->icap, m->nparts + 1,
	    sizeof(*m->info), m->info0) < 0)
		return -1;
	pt = &m->parts[m->nparts];
	in = &m->info[m->nparts];
	memset(pt, 0, sizeof(*pt));
	memset(in, 0, sizeof(*in));
	pt->parent = en->parent;
	pt->depth = en->depth;
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
	if (mime_field_parse(&m->fields, en->start, en->end, en->is_msg,
	    &m->info[idx].fields, &body, &m->truncated) < 0)
		return -1;
	pt = &m->parts[idx];
	pt->nheaders = m->info[idx].fields.n;
	pt->body = body;
	pt->body_len = (size_t)(en->end - body);
	if (mime_content_type(m, pt, en->digest) < 0)
		return -1;

	room = m->lim.max_parts - m->nparts - stack->n;
	if (m->nparts + stack->n >= m->lim.max_parts)
		room = 0;
	if (pt->type[0] == 'm' && strncmp(pt->type, "multipart/", 10) == 0 &&
	    pt->boundary[0]) {
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
	} else if (mime_ctype_embeds_message(pt->type)) {
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
	m->truncated = false;
	stack.v = stack.first;
	kids.v = kids.first;
	stack.n = kids.n = 0;
	stack.cap = kids.cap = MIME_STACK_FIRST;
	if (lim != NULL) {
		m->lim = *lim;
	} else {
		bounce_limits_default(&m->lim);
	}
	if (m->lim.max_parts == 0)
		m->lim.max_parts = 1;
	mime_field_init(&m->fields, m->lim.max_header_bytes,
	    m->lim.max_headers);
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
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nparts; i++)
		free(m->info[i].dec);
	mime_field_free(&m->fields);
	if (m->parts != m->parts0)
		free(m->parts);
	if (m->info != m->info0)
		free(m->info);
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

const char *
mime_header(const struct mime_msg *m, size_t part, const char *name,
            size_t *value_len)
{
	struct mime_field_hdr *h;
	const char *v;

	if (m == NULL || part >= m->nparts ||
	    (h = mime_field_find(&m->fields, &m->info[part].fields,
	    name)) == NULL ||
	    mime_field_get(&m->fields, h, NULL, &v, value_len) < 0)
		return NULL;
	return v;
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
		/* first bytes before the calls: most parts are 7bit ("") */
		if (pt->encoding[0] == 'b' &&
		    strcmp(pt->encoding, "base64") == 0) {
			in->dec = malloc(pt->body_len / 4 * 3 + 4);
			if (in->dec == NULL)
				return -1;
			in->declen = text_b64_decode(pt->body, pt->body_len,
			    in->dec, pt->body_len / 4 * 3 + 3, &bad);
			in->dec[in->declen] = '\0';
			if (bad)
				m->truncated = true;
		} else if (pt->encoding[0] == 'q' &&
		    strcmp(pt->encoding, "quoted-printable") == 0) {
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

/* True when part i sits inside a returned or forwarded message. */
bool
mime_in_message(const struct mime_msg *m, size_t i)
{
	const struct mime_part *p = mime_get_part(m, i);

	while (p != NULL && p->parent >= 0) {
		p = mime_get_part(m, (size_t)p->parent);
		if (p != NULL && strncmp(p->type, "message/", 8) == 0)
			return true;
	}
	return false;
}
