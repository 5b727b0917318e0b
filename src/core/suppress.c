/*
 * suppress.c - the durable suppression list: formats, dedupe set, safe open,
 * torn-line repair, group-committed appends, reopen on a new inode.
 *
 * Layout: address validation and line formatting (pure), the dedupe set
 * (open addressing, linear probing, 8-byte slots, strings in one arena), the
 * loader (one bounded read buffer, whatever format the file holds), the safe
 * open, and the append path.  Appends queue a request; whichever waiting
 * caller finds no batch in progress becomes the leader, takes the whole
 * queue, writes every new line with one write(2) under flock(2), fsyncs once
 * and wakes everybody (group commit).  The set is only changed by the leader
 * (or by reopen, which waits for the leader), always under the mutex.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "suppress.h"

#define SUP_ADDR_MAX     254           /* RFC 5321 path limit minus brackets */
#define SUP_LINE_MAX     4096          /* one formatted entry, worst case fits */
#define SUP_STATUS_MAX   16
#define SUP_REASON_MAX   64
#define SUP_MTA_MAX      255
#define SUP_QID_MAX      64
#define SUP_READ_CHUNK   (1u << 20)    /* loader buffer; longer lines skipped */
#define SUP_TAIL_CHUNK   65536
#define SUP_ERR_MAX      512
#define SUP_PENDING      0x80000000u   /* slot flag: written, not yet durable */
#define SUP_HASH_MASK    0x7fffffffu
#define SUP_REOPEN_TRIES 3

static const char sup_csv_header[] =
	"address,first_seen,status,reason,reporting_mta,queue_id\n";

/* ------------------------------------------------------------ error text */

static void sup_err(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
sup_err(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* strerror() is not guaranteed thread-safe; hide the two strerror_r flavours */
static const char *
sup_strerror(int errnum, char *buf, size_t bufsz)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
	return strerror_r(errnum, buf, bufsz);
#else
	if (strerror_r(errnum, buf, bufsz) != 0)
		(void)snprintf(buf, bufsz, "error %d", errnum);
	return buf;
#endif
}

#define SUP_ESTR(e) sup_strerror((e), ebuf, sizeof(ebuf))

/* ------------------------------------------------------------ format names */

static const char *const sup_format_names[] = {
	[SUPPRESS_PLAIN] = "plain",
	[SUPPRESS_CSV] = "csv",
	[SUPPRESS_JSONL] = "jsonl",
	[SUPPRESS_POSTFIX] = "postfix",
};
#define SUP_NFORMATS (sizeof(sup_format_names) / sizeof(sup_format_names[0]))

int
suppress_format_from_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return -1;
	for (i = 0; i < SUP_NFORMATS; i++)
		if (strcmp(name, sup_format_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
suppress_format_name(enum suppress_format f)
{
	if ((size_t)f >= SUP_NFORMATS)
		return "unknown";
	return sup_format_names[f];
}

/* ------------------------------------------------------------ addresses */

static unsigned char
sup_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Length of the valid UTF-8 sequence at p (n bytes left), 0 if invalid. */
static size_t
sup_utf8_len(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/*
 * Validate in[0..len) and write the stored form to out (SUP_ADDR_MAX + 1):
 * one '@' with text on both sides, no whitespace or control characters,
 * valid UTF-8, at most SUP_ADDR_MAX octets, not starting with '#' (a comment
 * line in every format).  Domain lower-cased; local part too when fold.
 */
static int
sup_addr_normalise(const char *in, size_t len, bool fold, char *out)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i, at = len, k;

	if (len < 3 || len > SUP_ADDR_MAX || p[0] == '#')
		return -1;
	for (i = 0; i < len; i += k) {
		if (p[i] <= 0x20 || p[i] == 0x7f)
			return -1;
		if ((k = sup_utf8_len(p + i, len - i)) == 0)
			return -1;
		if (p[i] == '@') {
			if (at != len)
				return -1;
			at = i;
		}
	}
	if (at == len || at == 0 || at == len - 1)
		return -1;
	for (i = 0; i < len; i++)
		out[i] = (char)((i > at || fold) ? sup_lower(p[i]) : p[i]);
	out[len] = '\0';
	return (int)len;
}

/* ------------------------------------------------------------ field text */

/* Copy a field: control characters become spaces, invalid UTF-8 becomes
 * '?', at most max octets (cut at a character boundary), ends trimmed. */
static void
sup_clean(const char *in, size_t max, char *out)
{
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	size_t n = strlen((const char *)p), i = 0, o = 0, k;

	while (i < n) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			k = 1;
			if (o + 1 > max)
				break;
			out[o++] = ' ';
		} else if ((k = sup_utf8_len(p + i, n - i)) == 0) {
			k = 1;
			if (o + 1 > max)
				break;
			out[o++] = '?';
		} else {
			if (o + k > max)
				break;
			memcpy(out + o, p + i, k);
			o += k;
		}
		i += k;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	i = 0;
	while (out[i] == ' ')
		i++;
	if (i > 0)
		memmove(out, out + i, o - i + 1);
}

/* Status for a REJECT line: a class-5 code; "4.x.y" becomes "5.x.y"
 * (REJECT is permanent), anything else "5.1.1". */
static void
sup_reject_status(const char *st, char *out, size_t outsz)
{
	size_t i, digits = 0, dots = 0;

	for (i = 0; st[i] != '\0'; i++) {
		if (st[i] == '.') {
			if (digits == 0 || ++dots > 2)
				break;
			digits = 0;
		} else if (st[i] >= '0' && st[i] <= '9' && digits < 3) {
			digits++;
		} else {
			break;
		}
	}
	if (st[i] != '\0' || dots != 2 || digits == 0 ||
	    (st[0] != '4' && st[0] != '5') || st[1] != '.') {
		(void)snprintf(out, outsz, "5.1.1");
		return;
	}
	(void)snprintf(out, outsz, "5%s", st + 1);
}

struct sup_out {
	char *p;
	size_t len, cap;
	bool over;
};

static void
sup_put(struct sup_out *o, const char *s, size_t n)
{
	if (o->over || n > o->cap - o->len) {
		o->over = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void
sup_puts(struct sup_out *o, const char *s)
{
	sup_put(o, s, strlen(s));
}

/* RFC 4180: quote when the field holds a comma or a double quote (CR and
 * LF never survive sup_clean), double the quotes inside. */
static void
sup_put_csv(struct sup_out *o, const char *s)
{
	const char *q;

	if (strpbrk(s, ",\"") == NULL) {
		sup_puts(o, s);
		return;
	}
	sup_put(o, "\"", 1);
	while ((q = strchr(s, '"')) != NULL) {
		sup_put(o, s, (size_t)(q - s) + 1);
		sup_put(o, "\"", 1);
		s = q + 1;
	}
	sup_puts(o, s);
	sup_put(o, "\"", 1);
}

static void
sup_put_json(struct sup_out *o, const char *s)
{
	char u[8];

	sup_put(o, "\"", 1);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			sup_put(o, "\\", 1);
			sup_put(o, s, 1);
		} else if (c < 0x20 || c == 0x7f) {
			(void)snprintf(u, sizeof(u), "\\u%04x", c);
			sup_puts(o, u);
		} else {
			sup_put(o, s, 1);
		}
	}
	sup_put(o, "\"", 1);
}

/* One whole line (with '\n') for a normalised address; length or 0. */
static size_t
sup_format_line(enum suppress_format f, const char *addr,
                const struct suppress_entry *e, time_t now, char *buf,
                size_t bufsz)
{
	char status[SUP_STATUS_MAX + 1], reason[SUP_REASON_MAX + 1];
	char mta[SUP_MTA_MAX + 1], qid[SUP_QID_MAX + 1], when[32], rej[24];
	struct sup_out o = { buf, 0, bufsz, false };
	time_t t = e->when != 0 ? e->when : now;
	struct tm tm;

	sup_clean(e->status, SUP_STATUS_MAX, status);
	sup_clean(e->reason, SUP_REASON_MAX, reason);
	sup_clean(e->reporting_mta, SUP_MTA_MAX, mta);
	sup_clean(e->queue_id, SUP_QID_MAX, qid);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(when, sizeof(when), "1970-01-01T00:00:00Z");

	switch (f) {
	case SUPPRESS_PLAIN:
		sup_puts(&o, addr);
		break;
	case SUPPRESS_CSV:
		sup_put_csv(&o, addr);
		sup_put(&o, ",", 1);
		sup_puts(&o, when);
		sup_put(&o, ",", 1);
		sup_put_csv(&o, status);
		sup_put(&o, ",", 1);
		sup_put_csv(&o, reason);
		sup_put(&o, ",", 1);
		sup_put_csv(&o, mta);
		sup_put(&o, ",", 1);
		sup_put_csv(&o, qid);
		break;
	case SUPPRESS_JSONL:
		sup_puts(&o, "{\"address\":");
		sup_put_json(&o, addr);
		sup_puts(&o, ",\"first_seen\":");
		sup_put_json(&o, when);
		sup_puts(&o, ",\"status\":");
		sup_put_json(&o, status);
		sup_puts(&o, ",\"reason\":");
		sup_put_json(&o, reason);
		sup_puts(&o, ",\"reporting_mta\":");
		sup_put_json(&o, mta);
		sup_puts(&o, ",\"queue_id\":");
		sup_put_json(&o, qid);
		sup_puts(&o, "}");
		break;
	case SUPPRESS_POSTFIX:
		sup_reject_status(status, rej, sizeof(rej));
		sup_puts(&o, addr);
		sup_puts(&o, " REJECT ");
		sup_puts(&o, rej);
		sup_puts(&o, " bounce-milter: ");
		sup_puts(&o, reason[0] != '\0' ? reason : "suppressed");
		break;
	default:
		return 0;
	}
	sup_put(&o, "\n", 1);
	return o.over ? 0 : o.len;
}

/* ------------------------------------------------------------ dedupe set */

/* slot: hash (31 bits) | SUP_PENDING, and the arena offset (0 = empty).
 * Arena entry: one length octet, then the address octets. */
struct sup_slot {
	uint32_t hash;
	uint32_t off;
};

struct sup_set {
	struct sup_slot *slots;
	size_t cap;                /* power of two */
	size_t used;               /* occupied slots, pending included */
	size_t pending;
	unsigned char *arena;
	size_t alen, acap;
};

static uint32_t
sup_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (uint32_t)h & SUP_HASH_MASK;
}

static int
sup_set_init(struct sup_set *s, size_t cap)
{
	memset(s, 0, sizeof(*s));
	s->cap = cap;
	if ((s->slots = calloc(cap, sizeof(*s->slots))) == NULL)
		return -1;
	s->acap = (size_t)1 << 20;  /* mmap-backed: realloc grows by mremap */
	if ((s->arena = malloc(s->acap)) == NULL) {
		free(s->slots);
		s->slots = NULL;
		return -1;
	}
	s->alen = 1;               /* offset 0 means "empty slot" */
	return 0;
}

static void
sup_set_free(struct sup_set *s)
{
	free(s->slots);
	free(s->arena);
	memset(s, 0, sizeof(*s));
}

/* Slot index holding the key, or (size_t)-1. */
static size_t
sup_set_find(const struct sup_set *s, const char *k, size_t n, uint32_t h)
{
	size_t mask = s->cap - 1, i = h & mask;

	for (;;) {
		const struct sup_slot *sl = &s->slots[i];

		if (sl->off == 0)
			return (size_t)-1;
		if ((sl->hash & SUP_HASH_MASK) == h && s->arena[sl->off] == n &&
		    memcmp(s->arena + sl->off + 1, k, n) == 0)
			return i;
		i = (i + 1) & mask;
	}
}

static int
sup_set_grow(struct sup_set *s)
{
	size_t ncap = s->cap * 2, i, j, mask = ncap - 1;
	struct sup_slot *ns;

	if ((ns = calloc(ncap, sizeof(*ns))) == NULL)
		return -1;
	for (i = 0; i < s->cap; i++) {
		if (s->slots[i].off == 0)
			continue;
		j = (s->slots[i].hash & SUP_HASH_MASK) & mask;
		while (ns[j].off != 0)
			j = (j + 1) & mask;
		ns[j] = s->slots[i];
	}
	free(s->slots);
	s->slots = ns;
	s->cap = ncap;
	return 0;
}

/* Find the key, or insert it (pending or durable) when absent: one probe
 * sequence either way.  Slot index, *existed telling which; -1 no memory. */
static long
sup_set_add(struct sup_set *s, const char *k, size_t n, uint32_t h,
            bool pending, bool *existed)
{
	size_t mask, i;

	if ((s->used + 1) * 4 > s->cap * 3 && sup_set_grow(s) < 0)
		return -1;
	mask = s->cap - 1;
	for (i = h & mask; s->slots[i].off != 0; i = (i + 1) & mask) {
		const struct sup_slot *sl = &s->slots[i];

		if ((sl->hash & SUP_HASH_MASK) == h && s->arena[sl->off] == n &&
		    memcmp(s->arena + sl->off + 1, k, n) == 0) {
			*existed = true;
			return (long)i;
		}
	}
	*existed = false;
	if (n + 1 > s->acap - s->alen) {
		size_t ncap = s->acap * 2;
		unsigned char *na;

		if (ncap > UINT32_MAX)
			return -1;
		if ((na = realloc(s->arena, ncap)) == NULL)
			return -1;
		s->arena = na;
		s->acap = ncap;
	}
	s->slots[i].hash = h | (pending ? SUP_PENDING : 0);
	s->slots[i].off = (uint32_t)s->alen;
	s->arena[s->alen] = (unsigned char)n;
	memcpy(s->arena + s->alen + 1, k, n);
	s->alen += n + 1;
	s->used++;
	if (pending)
		s->pending++;
	return (long)i;
}

/* Remove slot i (backward-shift deletion); pops the arena tail if it is
 * this key's text (rollbacks remove in reverse order of insertion). */
static void
sup_set_remove(struct sup_set *s, size_t i)
{
	size_t mask = s->cap - 1, j = i, home;
	uint32_t off = s->slots[i].off;

	if (s->slots[i].hash & SUP_PENDING)
		s->pending--;
	if ((size_t)off + 1 + s->arena[off] == s->alen)
		s->alen = off;
	s->used--;
	for (;;) {
		s->slots[i].off = 0;
		s->slots[i].hash = 0;
		for (;;) {
			j = (j + 1) & mask;
			if (s->slots[j].off == 0)
				return;
			home = (s->slots[j].hash & SUP_HASH_MASK) & mask;
			/* move j back to i unless its home lies in (i, j] */
			if (i <= j ? (home <= i || home > j) : (home <= i && home > j))
				break;
		}
		s->slots[i] = s->slots[j];
		i = j;
	}
}

/* ------------------------------------------------------------ loading */

/* JSON string at *pp (after the opening quote), unescaped into out. */
static int
sup_json_string(const char **pp, const char *end, char *out, size_t outsz,
                size_t *outlen)
{
	const char *p = *pp;
	size_t o = 0;

	while (p < end && *p != '"') {
		uint32_t cp;
		char c = *p++;

		if (c != '\\') {
			if (o + 1 >= outsz)
				return -1;
			out[o++] = c;
			continue;
		}
		if (p >= end)
			return -1;
		c = *p++;
		switch (c) {
		case '"': case '\\': case '/': cp = (unsigned char)c; break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u': {
			int i;

			if (end - p < 4)
				return -1;
			for (cp = 0, i = 0; i < 4; i++, p++) {
				char h = *p;

				cp <<= 4;
				if (h >= '0' && h <= '9') cp |= (uint32_t)(h - '0');
				else if (h >= 'a' && h <= 'f') cp |= (uint32_t)(h - 'a' + 10);
				else if (h >= 'A' && h <= 'F') cp |= (uint32_t)(h - 'A' + 10);
				else return -1;
			}
			if (cp >= 0xd800 && cp <= 0xdfff)
				return -1;  /* addresses never need surrogates here */
			break;
		}
		default:
			return -1;
		}
		if (o + 4 >= outsz)
			return -1;
		if (cp < 0x80) {
			out[o++] = (char)cp;
		} else if (cp < 0x800) {
			out[o++] = (char)(0xc0 | (cp >> 6));
			out[o++] = (char)(0x80 | (cp & 0x3f));
		} else {
			out[o++] = (char)(0xe0 | (cp >> 12));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (cp & 0x3f));
		}
	}
	if (p >= end)
		return -1;
	*pp = p + 1;
	*outlen = o;
	return 0;
}

static const char *
sup_skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

/* Skip one JSON value (string, object, array or scalar). */
static const char *
sup_json_skip(const char *p, const char *end)
{
	int depth = 0;

	while (p < end) {
		char c = *p;

		if (c == '"') {
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\')
					p++;
			if (p >= end)
				return NULL;
			p++;
		} else if (c == '{' || c == '[') {
			depth++;
			p++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				return p;
			depth--;
			p++;
		} else if (c == ',' && depth == 0) {
			return p;
		} else {
			p++;
		}
		if (depth == 0 && c == '"')
			return p;
	}
	return depth == 0 ? p : NULL;
}

/* The "address" member of a one-line JSON object. */
static int
sup_parse_jsonl(const char *p, const char *end, char *out, size_t outsz,
                size_t *n)
{
	char key[16];
	size_t klen;

	p = sup_skip_ws(p, end);
	if (p >= end || *p++ != '{')
		return -1;
	for (;;) {
		p = sup_skip_ws(p, end);
		if (p >= end || *p != '"')
			return -1;
		p++;
		if (sup_json_string(&p, end, key, sizeof(key), &klen) < 0) {
			/* a long key: skip it, it is not "address" */
			while (p < end && *p != '"')
				p += (*p == '\\') ? 2 : 1;
			if (p >= end)
				return -1;
			p++;
			klen = 0;
		}
		p = sup_skip_ws(p, end);
		if (p >= end || *p++ != ':')
			return -1;
		p = sup_skip_ws(p, end);
		if (klen == 7 && memcmp(key, "address", 7) == 0) {
			if (p >= end || *p++ != '"')
				return -1;
			return sup_json_string(&p, end, out, outsz, n);
		}
		if ((p = sup_json_skip(p, end)) == NULL)
			return -1;
		p = sup_skip_ws(p, end);
		if (p >= end || *p++ != ',')
			return -1;
	}
}

/* First field of an RFC 4180 record. */
static int
sup_parse_csv(const char *p, const char *end, char *out, size_t outsz,
              size_t *n)
{
	size_t o = 0;

	if (p < end && *p == '"') {
		for (p++;; p++) {
			if (p >= end)
				return -1;
			if (*p == '"') {
				if (p + 1 < end && p[1] == '"')
					p++;
				else
					break;
			}
			if (o + 1 >= outsz)
				return -1;
			out[o++] = *p;
		}
	} else {
		for (; p < end && *p != ','; p++) {
			if (o + 1 >= outsz)
				return -1;
			out[o++] = *p;
		}
	}
	*n = o;
	return 0;
}

/* First whitespace-delimited token (plain: the whole line; postfix: key). */
static int
sup_parse_token(const char *p, const char *end, char *out, size_t outsz,
                size_t *n)
{
	const char *q = p;

	while (q < end && *q != ' ' && *q != '\t' && *q != '\r')
		q++;
	if ((size_t)(q - p) >= outsz)
		return -1;
	memcpy(out, p, (size_t)(q - p));
	*n = (size_t)(q - p);
	return 0;
}

static bool
sup_is_csv_header(const char *p, const char *end)
{
	return end - p >= 8 && memcmp(p, "address,", 8) == 0;
}

/* Commas outside RFC 4180 quotes. */
static size_t
sup_csv_commas(const char *p, const char *end)
{
	bool quoted = false;
	size_t n = 0;

	for (; p < end; p++) {
		if (*p == '"')
			quoted = !quoted;     /* "" toggles twice */
		else if (*p == ',' && !quoted)
			n++;
	}
	return n;
}

/* The format a meaningful line looks like: a csv record has five commas
 * outside quotes; a postfix line has text after the key; plain is one
 * token. */
static enum suppress_format
sup_guess_format(const char *p, const char *end)
{
	const char *q;

	if (*p == '{')
		return SUPPRESS_JSONL;
	if (sup_is_csv_header(p, end) || sup_csv_commas(p, end) >= 5)
		return SUPPRESS_CSV;
	for (q = p; q < end && *q != ' ' && *q != '\t'; q++)
		;
	if (sup_skip_ws(q, end) < end)
		return SUPPRESS_POSTFIX;
	return SUPPRESS_PLAIN;
}

struct sup_loader {
	struct sup_set *set;
	bool fold;
	int format;                /* -1 until the first meaningful line */
	enum suppress_format want;
	size_t skipped;
};

static int
sup_load_line(struct sup_loader *ld, const char *p, const char *end)
{
	char raw[SUP_ADDR_MAX * 2 + 8], addr[SUP_ADDR_MAX + 1];
	size_t n = 0;
	int alen, rc;
	uint32_t h;
	bool existed;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p == end || *p == '#')
		return 0;
	if (ld->format < 0) {
		ld->format = (int)sup_guess_format(p, end);
		if ((enum suppress_format)ld->format != ld->want)
			return -1;
	}
	switch ((enum suppress_format)ld->format) {
	case SUPPRESS_CSV:
		if (sup_is_csv_header(p, end))
			return 0;
		rc = sup_parse_csv(p, end, raw, sizeof(raw), &n);
		break;
	case SUPPRESS_JSONL:
		rc = sup_parse_jsonl(p, end, raw, sizeof(raw), &n);
		break;
	default:
		rc = sup_parse_token(p, end, raw, sizeof(raw), &n);
		break;
	}
	if (rc < 0 || (alen = sup_addr_normalise(raw, n, ld->fold, addr)) < 0) {
		ld->skipped++;
		return 0;
	}
	h = sup_hash(addr, (size_t)alen);
	return sup_set_add(ld->set, addr, (size_t)alen, h, false, &existed) < 0 ?
	       -2 : 0;
}

/* Read the whole file from offset 0 into the set.  -1 format mismatch (with
 * *found set), -2 out of memory, -3 read error (errno). */
static int
sup_load(int fd, struct sup_loader *ld, int *found)
{
	char *buf;
	size_t have = 0;
	off_t off = 0;
	bool skipping = false;
	int rc = 0;

	if ((buf = malloc(SUP_READ_CHUNK)) == NULL)
		return -2;
	for (;;) {
		ssize_t r = pread(fd, buf + have, SUP_READ_CHUNK - have, off);
		char *p, *nl, *end;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -3;
			break;
		}
		off += r;
		end = buf + have + r;
		p = buf;
		while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			if (!skipping && (rc = sup_load_line(ld, p, nl)) < 0)
				goto out;
			skipping = false;
			p = nl + 1;
		}
		if (r == 0) {
			/* unterminated tail (only if repair could not run) */
			if (!skipping && p < end)
				rc = sup_load_line(ld, p, end);
			break;
		}
		have = (size_t)(end - p);
		if (have == SUP_READ_CHUNK) {   /* absurd line: skip it */
			skipping = true;
			ld->skipped++;
			have = 0;
		} else if (have > 0) {
			memmove(buf, p, have);
		}
	}
out:
	if (rc == -1)
		*found = ld->format;
	free(buf);
	return rc;
}

/* ------------------------------------------------------------ safe open */

static int
sup_flock(int fd, int op)
{
	while (flock(fd, op) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

/* Cut an unterminated last line (crash mid-write); bytes removed or -1. */
static off_t
sup_repair_tail(int fd, off_t size)
{
	char buf[SUP_TAIL_CHUNK];
	off_t pos = size;
	ssize_t r;

	if (size == 0)
		return 0;
	while (pos > 0) {
		size_t want = pos > (off_t)sizeof(buf) ? sizeof(buf) : (size_t)pos;
		ssize_t i;

		r = pread(fd, buf, want, pos - (off_t)want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r != (ssize_t)want)
			return -1;
		for (i = r - 1; i >= 0; i--) {
			if (buf[i] == '\n') {
				off_t keep = pos - (off_t)want + i + 1;

				if (keep == size)
					return 0;
				return ftruncate(fd, keep) < 0 ? -1 : size - keep;
			}
		}
		pos -= (off_t)want;
	}
	return ftruncate(fd, 0) < 0 ? -1 : size;
}

static int
sup_dirname(const char *path, char *dir, size_t dirsz)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash == NULL) {
		(void)snprintf(dir, dirsz, ".");
		return 0;
	}
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= dirsz)
		return -1;
	memcpy(dir, path, n);
	dir[n] = '\0';
	return 0;
}

/* Make a new directory entry durable (the file was just created). */
static int
sup_sync_dir(const char *path)
{
	char dir[4096];
	int fd, rc;

	if (sup_dirname(path, dir, sizeof(dir)) < 0)
		return -1;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	(void)close(fd);
	return rc;
}

static int
sup_check_dir(const char *path, char *err, size_t errsz)
{
	char dir[4096], ebuf[128];
	struct stat st;

	if (sup_dirname(path, dir, sizeof(dir)) < 0) {
		sup_err(err, errsz, "suppression list %s: path too long", path);
		return -1;
	}
	if (stat(dir, &st) < 0) {
		if (errno == ENOENT)
			sup_err(err, errsz, "suppression list %s: directory %s does not exist",
			        path, dir);
		else
			sup_err(err, errsz, "suppression list %s: directory %s: %s",
			        path, dir, SUP_ESTR(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		sup_err(err, errsz, "suppression list %s: %s is not a directory",
		        path, dir);
		return -1;
	}
	return 0;
}

/* Refusals shared by lstat (before open) and fstat (after). */
static int
sup_check_stat(const char *path, const struct stat *st, char *err,
               size_t errsz)
{
	if (S_ISLNK(st->st_mode)) {
		sup_err(err, errsz, "suppression list %s: is a symbolic link", path);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		sup_err(err, errsz, "suppression list %s: is not a regular file", path);
		return -1;
	}
	if (st->st_nlink != 1) {
		sup_err(err, errsz, "suppression list %s: has %lu hard links (must be 1)",
		        path, (unsigned long)st->st_nlink);
		return -1;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		sup_err(err, errsz,
		        "suppression list %s: is group- or world-writable (mode %04o)",
		        path, (unsigned)(st->st_mode & 07777));
		return -1;
	}
	return 0;
}

struct sup_file {
	int fd;
	dev_t dev;
	ino_t ino;
	struct sup_set set;
	size_t repaired;
	size_t skipped;
};

static int
sup_open_file(const char *path, const struct suppress_opts *o,
              struct sup_file *f, char *err, size_t errsz)
{
	struct stat lst, st;
	bool existed;
	char ebuf[128];
	off_t cut;
	int fl, found = -1, rc;
	struct sup_loader ld;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	if (sup_check_dir(path, err, errsz) < 0)
		return -1;
	existed = lstat(path, &lst) == 0;
	if (!existed && errno != ENOENT) {
		sup_err(err, errsz, "suppression list %s: %s", path, SUP_ESTR(errno));
		return -1;
	}
	if (existed && sup_check_stat(path, &lst, err, errsz) < 0)
		return -1;
	f->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
	             O_NONBLOCK, 0640);
	if (f->fd < 0) {
		if (errno == ELOOP)
			sup_err(err, errsz, "suppression list %s: is a symbolic link", path);
		else
			sup_err(err, errsz, "suppression list %s: %s", path, SUP_ESTR(errno));
		return -1;
	}
	if (fstat(f->fd, &st) < 0) {
		sup_err(err, errsz, "suppression list %s: fstat: %s", path, SUP_ESTR(errno));
		goto fail;
	}
	if (sup_check_stat(path, &st, err, errsz) < 0)
		goto fail;
	if (existed && (lst.st_dev != st.st_dev || lst.st_ino != st.st_ino)) {
		sup_err(err, errsz, "suppression list %s: replaced while being opened", path);
		goto fail;
	}
	if ((fl = fcntl(f->fd, F_GETFL)) < 0 ||
	    fcntl(f->fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		sup_err(err, errsz, "suppression list %s: fcntl: %s", path, SUP_ESTR(errno));
		goto fail;
	}
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	if (sup_flock(f->fd, LOCK_EX) < 0) {
		sup_err(err, errsz, "suppression list %s: flock: %s", path, SUP_ESTR(errno));
		goto fail;
	}
	/* size again under the lock: another writer may have appended */
	if (fstat(f->fd, &st) < 0 || (cut = sup_repair_tail(f->fd, st.st_size)) < 0) {
		sup_err(err, errsz, "suppression list %s: repairing the last line: %s",
		        path, SUP_ESTR(errno));
		goto fail;
	}
	f->repaired = (size_t)cut;
	if (st.st_size - cut == 0 && o->format == SUPPRESS_CSV) {
		ssize_t w = write(f->fd, sup_csv_header, sizeof(sup_csv_header) - 1);

		if (w != (ssize_t)(sizeof(sup_csv_header) - 1)) {
			sup_err(err, errsz, "suppression list %s: writing the csv header: %s",
			        path, w < 0 ? SUP_ESTR(errno) : "short write");
			if (ftruncate(f->fd, 0) < 0) { /* nothing more to do */ }
			goto fail;
		}
	}
	if ((cut > 0 || st.st_size == 0) && o->fsync && fsync(f->fd) < 0) {
		sup_err(err, errsz, "suppression list %s: fsync: %s", path, SUP_ESTR(errno));
		goto fail;
	}
	if (!existed && o->fsync && sup_sync_dir(path) < 0) {
		sup_err(err, errsz, "suppression list %s: fsync of the directory: %s",
		        path, SUP_ESTR(errno));
		goto fail;
	}
	if (sup_set_init(&f->set, 1024) < 0) {
		sup_err(err, errsz, "suppression list %s: out of memory", path);
		goto fail;
	}
	ld.set = &f->set;
	ld.fold = o->fold_local;
	ld.format = -1;
	ld.want = o->format;
	ld.skipped = 0;
	rc = sup_load(f->fd, &ld, &found);
	if (rc == -1) {
		sup_err(err, errsz, "suppression list %s: file holds %s entries, "
		        "format is %s", path,
		        suppress_format_name((enum suppress_format)found),
		        suppress_format_name(o->format));
		goto fail;
	}
	if (rc < 0) {
		sup_err(err, errsz, "suppression list %s: loading: %s", path,
		        rc == -2 ? "out of memory" : SUP_ESTR(errno));
		goto fail;
	}
	f->skipped = ld.skipped;
	(void)sup_flock(f->fd, LOCK_UN);
	return 0;
fail:
	sup_set_free(&f->set);
	(void)close(f->fd);    /* also drops the lock */
	f->fd = -1;
	return -1;
}

/* ------------------------------------------------------------ the list */

enum sup_state { SUP_BAD, SUP_NEW, SUP_WRITE, SUP_DUP, SUP_SKIP };

struct sup_item {
	char addr[SUP_ADDR_MAX + 1];
	size_t alen;
	uint32_t hash;
	char *line;
	size_t llen;
	enum sup_state state;
};

struct sup_req {
	struct sup_req *next;
	struct sup_item *items;
	size_t n;
	bool done;
	int rc;
	size_t added;
	char err[SUP_ERR_MAX];
};

struct suppress_list {
	char *path;
	struct suppress_opts opts;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool busy;                 /* a leader is writing, or a reopen runs */
	int fd;                    /* -1 after a failed reopen */
	dev_t dev;
	ino_t ino;
	bool need_reopen;
	struct sup_set set;
	size_t repaired;
	size_t skipped;
	struct sup_req *qhead, **qtail;
	char *wbuf;                /* leader only */
	size_t wcap;
};

static void
sup_install(struct suppress_list *l, struct sup_file *f)
{
	if (l->fd >= 0)
		(void)close(l->fd);
	sup_set_free(&l->set);
	l->fd = f->fd;
	l->dev = f->dev;
	l->ino = f->ino;
	l->set = f->set;
	l->repaired = f->repaired;
	l->skipped = f->skipped;
	l->need_reopen = false;
}

/* Mutex held and busy set (or not yet shared). */
static int
sup_reopen_locked(struct suppress_list *l, char *err, size_t errsz)
{
	struct sup_file f;

	if (sup_open_file(l->path, &l->opts, &f, err, errsz) < 0) {
		if (l->fd >= 0)
			(void)close(l->fd);
		l->fd = -1;
		l->need_reopen = true;
		return -1;
	}
	sup_install(l, &f);
	return 0;
}

struct suppress_list *
suppress_open(const char *path, const struct suppress_opts *o, char *err,
              size_t errsz)
{
	struct suppress_list *l;
	struct sup_file f;

	if (path == NULL || *path == '\0' || o == NULL ||
	    (size_t)o->format >= SUP_NFORMATS) {
		sup_err(err, errsz, "suppression list: no path or bad format");
		return NULL;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL || (l->path = strdup(path)) == NULL) {
		free(l);
		sup_err(err, errsz, "suppression list %s: out of memory", path);
		return NULL;
	}
	l->opts = *o;
	l->fd = -1;
	if (sup_open_file(path, o, &f, err, errsz) < 0) {
		free(l->path);
		free(l);
		return NULL;
	}
	if (pthread_mutex_init(&l->mu, NULL) != 0) {
		sup_err(err, errsz, "suppression list %s: mutex init failed", path);
		goto fail;
	}
	if (pthread_cond_init(&l->cv, NULL) != 0) {
		(void)pthread_mutex_destroy(&l->mu);
		sup_err(err, errsz, "suppression list %s: cond init failed", path);
		goto fail;
	}
	sup_install(l, &f);
	l->qtail = &l->qhead;
	return l;
fail:
	sup_set_free(&f.set);
	(void)close(f.fd);
	free(l->path);
	free(l);
	return NULL;
}

void
suppress_close(struct suppress_list *l)
{
	if (l == NULL)
		return;
	if (l->fd >= 0)
		(void)close(l->fd);
	sup_set_free(&l->set);
	(void)pthread_cond_destroy(&l->cv);
	(void)pthread_mutex_destroy(&l->mu);
	free(l->wbuf);
	free(l->path);
	free(l);
}

bool
suppress_contains(struct suppress_list *l, const char *addr)
{
	char a[SUP_ADDR_MAX + 1];
	size_t i;
	int n;
	bool yes;
	uint32_t h;

	if (l == NULL || addr == NULL)
		return false;
	if ((n = sup_addr_normalise(addr, strnlen(addr, SUP_ADDR_MAX + 1),
	                            l->opts.fold_local, a)) < 0)
		return false;
	h = sup_hash(a, (size_t)n);
	(void)pthread_mutex_lock(&l->mu);
	i = sup_set_find(&l->set, a, (size_t)n, h);
	yes = i != (size_t)-1 && !(l->set.slots[i].hash & SUP_PENDING);
	(void)pthread_mutex_unlock(&l->mu);
	return yes;
}

size_t
suppress_count(struct suppress_list *l)
{
	size_t n;

	if (l == NULL)
		return 0;
	(void)pthread_mutex_lock(&l->mu);
	n = l->set.used - l->set.pending;
	(void)pthread_mutex_unlock(&l->mu);
	return n;
}

size_t
suppress_repaired_bytes(struct suppress_list *l)
{
	size_t n;

	if (l == NULL)
		return 0;
	(void)pthread_mutex_lock(&l->mu);
	n = l->repaired;
	(void)pthread_mutex_unlock(&l->mu);
	return n;
}

size_t
suppress_skipped_lines(struct suppress_list *l)
{
	size_t n;

	if (l == NULL)
		return 0;
	(void)pthread_mutex_lock(&l->mu);
	n = l->skipped;
	(void)pthread_mutex_unlock(&l->mu);
	return n;
}

/* Does the path still name our open file?  1 yes, 0 no (renamed, removed,
 * replaced), -1 cannot tell (errno). */
static int
sup_same_file(const char *path, dev_t dev, ino_t ino)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	return st.st_dev == dev && st.st_ino == ino;
}

/* ------------------------------------------------------------ batches */

struct sup_batch {
	struct sup_req **reqs;
	size_t nreqs;
	size_t len;                /* bytes in l->wbuf */
};

/* Decide every item against the set (mutex held): SKIP when durable
 * already, WRITE (inserted as pending) for the first copy, DUP for later
 * copies in the same batch.  Fills l->wbuf. */
static int
sup_build(struct suppress_list *l, struct sup_batch *b)
{
	size_t r, i;
	long idx;
	bool existed;

	b->len = 0;
	for (r = 0; r < b->nreqs; r++) {
		struct sup_req *q = b->reqs[r];

		for (i = 0; i < q->n; i++) {
			struct sup_item *it = &q->items[i];

			if (it->state == SUP_BAD)
				continue;
			if (it->llen > l->wcap - b->len) {
				size_t ncap = (l->wcap + it->llen) * 2;
				char *nb = realloc(l->wbuf, ncap);

				if (nb == NULL)
					return -1;
				l->wbuf = nb;
				l->wcap = ncap;
			}
			idx = sup_set_add(&l->set, it->addr, it->alen, it->hash, true,
			                  &existed);
			if (idx < 0)
				return -1;
			if (existed) {
				it->state = (l->set.slots[idx].hash & SUP_PENDING) ?
				            SUP_DUP : SUP_SKIP;
				continue;
			}
			memcpy(l->wbuf + b->len, it->line, it->llen);
			b->len += it->llen;
			it->state = SUP_WRITE;
		}
	}
	return 0;
}

/* Commit (ok) or roll back every pending insertion, newest first. */
static void
sup_settle(struct suppress_list *l, struct sup_batch *b, bool ok)
{
	size_t r, i, idx;

	for (r = b->nreqs; r-- > 0;) {
		struct sup_req *q = b->reqs[r];

		for (i = q->n; i-- > 0;) {
			struct sup_item *it = &q->items[i];

			if (it->state != SUP_WRITE)
				continue;
			idx = sup_set_find(&l->set, it->addr, it->alen, it->hash);
			if (idx == (size_t)-1)
				continue;
			if (ok) {
				l->set.slots[idx].hash &= SUP_HASH_MASK;
				l->set.pending--;
			} else {
				sup_set_remove(&l->set, idx);
				it->state = SUP_NEW;
			}
		}
	}
}

struct sup_io {
	bool stale;                /* path names another file now: reopen */
	bool broken;               /* a torn line could not be cut: reopen */
};

/* Write and sync the batch, no mutex held (busy is set). */
static int
sup_write_batch(struct suppress_list *l, const char *buf, size_t len,
                struct sup_io *io, char *err, size_t errsz)
{
	struct stat st;
	char ebuf[128];
	ssize_t w;
	int same, e;

	io->stale = io->broken = false;
	if (sup_flock(l->fd, LOCK_EX) < 0) {
		sup_err(err, errsz, "suppression list %s: flock: %s", l->path,
		        SUP_ESTR(errno));
		return -1;
	}
	/* under the lock: a consumer that renames, then locks, sees our line */
	if ((same = sup_same_file(l->path, l->dev, l->ino)) <= 0) {
		if (same < 0)
			sup_err(err, errsz, "suppression list %s: %s", l->path,
			        SUP_ESTR(errno));
		io->stale = same == 0;
		(void)sup_flock(l->fd, LOCK_UN);
		return -1;
	}
	if (fstat(l->fd, &st) < 0) {
		sup_err(err, errsz, "suppression list %s: fstat: %s", l->path,
		        SUP_ESTR(errno));
		(void)sup_flock(l->fd, LOCK_UN);
		return -1;
	}
	/* another process died mid-line: cut it before we append after it */
	if (st.st_size > 0) {
		char last;

		if (pread(l->fd, &last, 1, st.st_size - 1) != 1 || last != '\n') {
			io->stale = true;   /* reopen repairs and reloads */
			(void)sup_flock(l->fd, LOCK_UN);
			return -1;
		}
	}
	do
		w = write(l->fd, buf, len);
	while (w < 0 && errno == EINTR);
	if (w != (ssize_t)len) {
		e = errno;
		if (w >= 0)
			sup_err(err, errsz, "suppression list %s: short write (%zd of %zu "
			        "bytes)", l->path, w, len);
		else
			sup_err(err, errsz, "suppression list %s: write: %s", l->path,
			        SUP_ESTR(e));
		goto undo;
	}
	if (l->opts.fsync && fsync(l->fd) < 0) {
		sup_err(err, errsz, "suppression list %s: fsync: %s", l->path,
		        SUP_ESTR(errno));
		goto undo;
	}
	(void)sup_flock(l->fd, LOCK_UN);
	return 0;
undo:
	if (ftruncate(l->fd, st.st_size) < 0)
		io->broken = true;
	(void)sup_flock(l->fd, LOCK_UN);
	return -1;
}

/* The leader: mutex held, busy set.  Takes the whole queue. */
static void
sup_run_batch(struct suppress_list *l)
{
	struct sup_batch b = { NULL, 0, 0 };
	struct sup_req *q;
	struct sup_io io;
	char err[SUP_ERR_MAX];
	size_t r, i, n = 0;
	int rc = -1, tries, same = 1;

	err[0] = '\0';
	for (q = l->qhead; q != NULL; q = q->next)
		n++;
	if ((b.reqs = malloc(n * sizeof(*b.reqs))) == NULL) {
		sup_err(err, sizeof(err), "suppression list %s: out of memory", l->path);
	}
	for (q = l->qhead; q != NULL; q = q->next) {
		if (b.reqs != NULL)
			b.reqs[b.nreqs++] = q;
	}
	if (b.reqs == NULL) {
		for (q = l->qhead; q != NULL; q = q->next) {
			q->rc = -1;
			(void)snprintf(q->err, sizeof(q->err), "%s", err);
			q->done = true;
		}
		l->qhead = NULL;
		l->qtail = &l->qhead;
		return;
	}
	l->qhead = NULL;
	l->qtail = &l->qhead;

	for (tries = 0; tries < SUP_REOPEN_TRIES; tries++) {
		if (l->fd < 0 || l->need_reopen ||
		    (same = sup_same_file(l->path, l->dev, l->ino)) == 0) {
			if (sup_reopen_locked(l, err, sizeof(err)) < 0)
				break;
		} else if (same < 0) {
			char ebuf[128];

			sup_err(err, sizeof(err), "suppression list %s: %s", l->path,
			        SUP_ESTR(errno));
			break;
		}
		if (sup_build(l, &b) < 0) {
			sup_settle(l, &b, false);
			sup_err(err, sizeof(err), "suppression list %s: out of memory",
			        l->path);
			break;
		}
		if (b.len == 0) {
			rc = 0;
			break;
		}
		(void)pthread_mutex_unlock(&l->mu);
		rc = sup_write_batch(l, l->wbuf, b.len, &io, err, sizeof(err));
		(void)pthread_mutex_lock(&l->mu);
		sup_settle(l, &b, rc == 0);
		if (rc == 0)
			break;
		if (io.broken)
			l->need_reopen = true;
		if (!io.stale)
			break;
		l->need_reopen = true;
		sup_err(err, sizeof(err), "suppression list %s: file keeps changing",
		        l->path);
	}

	for (r = 0; r < b.nreqs; r++) {
		bool depends = false;
		size_t added = 0;

		q = b.reqs[r];
		for (i = 0; i < q->n; i++) {
			if (q->items[i].state == SUP_WRITE)
				added++;
			if (q->items[i].state == SUP_WRITE ||
			    q->items[i].state == SUP_DUP ||
			    q->items[i].state == SUP_NEW)
				depends = true;
		}
		if (rc == 0 || !depends) {
			q->rc = 0;
			q->added = rc == 0 ? added : 0;
		} else {
			q->rc = -1;
			q->added = 0;
			(void)snprintf(q->err, sizeof(q->err), "%s", err);
		}
		q->done = true;
	}
	free(b.reqs);
}

int
suppress_reopen(struct suppress_list *l, char *err, size_t errsz)
{
	int rc;

	if (l == NULL)
		return -1;
	(void)pthread_mutex_lock(&l->mu);
	while (l->busy)
		(void)pthread_cond_wait(&l->cv, &l->mu);
	l->busy = true;
	rc = sup_reopen_locked(l, err, errsz);
	l->busy = false;
	(void)pthread_cond_broadcast(&l->cv);
	(void)pthread_mutex_unlock(&l->mu);
	return rc;
}

/* Validate and format every entry outside the lock. */
static size_t
sup_prepare(struct suppress_list *l, const struct suppress_entry *e, size_t n,
            struct sup_item *items)
{
	char line[SUP_LINE_MAX];
	time_t now = time(NULL);
	size_t i, bad = 0;
	int alen;

	for (i = 0; i < n; i++) {
		struct sup_item *it = &items[i];

		it->state = SUP_BAD;
		if (e[i].addr == NULL ||
		    (alen = sup_addr_normalise(e[i].addr,
		                               strnlen(e[i].addr, SUP_ADDR_MAX + 1),
		                               l->opts.fold_local, it->addr)) < 0) {
			bad++;
			continue;
		}
		it->alen = (size_t)alen;
		it->hash = sup_hash(it->addr, it->alen);
		it->llen = sup_format_line(l->opts.format, it->addr, &e[i], now,
		                           line, sizeof(line));
		if (it->llen == 0 || (it->line = malloc(it->llen)) == NULL) {
			bad++;
			continue;
		}
		memcpy(it->line, line, it->llen);
		it->state = SUP_NEW;
	}
	return bad;
}

int
suppress_append(struct suppress_list *l, const struct suppress_entry *e,
                size_t n, size_t *added, char *err, size_t errsz)
{
	struct sup_item *items;
	struct sup_req req;
	struct stat st;
	size_t i, bad;
	bool stat_ok, fast;
	int rc;

	if (added != NULL)
		*added = 0;
	if (l == NULL || (e == NULL && n > 0)) {
		sup_err(err, errsz, "suppression list: bad arguments");
		return -1;
	}
	if (n == 0)
		return 0;
	if ((items = calloc(n, sizeof(*items))) == NULL) {
		sup_err(err, errsz, "suppression list %s: out of memory", l->path);
		return -1;
	}
	bad = sup_prepare(l, e, n, items);
	stat_ok = stat(l->path, &st) == 0;

	memset(&req, 0, sizeof(req));
	req.items = items;
	req.n = n;
	(void)pthread_mutex_lock(&l->mu);
	/* fast path: same file, every address durable already */
	fast = stat_ok && l->fd >= 0 && !l->need_reopen &&
	       st.st_dev == l->dev && st.st_ino == l->ino;
	for (i = 0; fast && i < n; i++) {
		size_t idx;

		if (items[i].state == SUP_BAD)
			continue;
		idx = sup_set_find(&l->set, items[i].addr, items[i].alen,
		                   items[i].hash);
		if (idx == (size_t)-1 || (l->set.slots[idx].hash & SUP_PENDING))
			fast = false;
	}
	if (fast) {
		req.rc = 0;
	} else {
		*l->qtail = &req;
		l->qtail = &req.next;
		while (!req.done) {
			if (!l->busy) {
				l->busy = true;
				sup_run_batch(l);
				l->busy = false;
				(void)pthread_cond_broadcast(&l->cv);
			} else {
				(void)pthread_cond_wait(&l->cv, &l->mu);
			}
		}
	}
	(void)pthread_mutex_unlock(&l->mu);

	rc = req.rc;
	if (added != NULL)
		*added = req.added;
	if (rc < 0)
		sup_err(err, errsz, "%s", req.err);
	else if (bad > 0) {
		rc = -1;
		sup_err(err, errsz, "suppression list %s: %zu of %zu addresses refused "
		        "(invalid)", l->path, bad, n);
	}
	for (i = 0; i < n; i++)
		free(items[i].line);
	free(items);
	return rc;
}
