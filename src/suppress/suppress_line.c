/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress_line.c - one line of the suppression list: address validation,
 * field sanitising, formatting in each format, and reading the address back
 * out of a line written by us or by hand.  Pure functions.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "suppress/suppress_line.h"
#include "util/text.h"

#define SUP_STATUS_MAX   16
#define SUP_REASON_MAX   64
#define SUP_MTA_MAX      255
#define SUP_QID_MAX      64

/* ------------------------------------------------------------ addresses */

static unsigned char
sup_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/*
 * Validate in[0..len) and write the stored form to out (SUPPRESS_ADDR_MAX + 1):
 * one '@' with text on both sides, no whitespace or control characters,
 * valid UTF-8, at most SUPPRESS_ADDR_MAX octets, not starting with '#' (a comment
 * line in every format).  Domain lower-cased; local part too when fold.
 */
int
suppress_line_addr(const char *in, size_t len, bool fold, char *out)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i, at = len, k;

	if (len < 3 || len > SUPPRESS_ADDR_MAX || p[0] == '#')
		return -1;
	for (i = 0; i < len; i += k) {
		if (p[i] <= 0x20 || p[i] == 0x7f)
			return -1;
		if ((k = text_utf8((const char *)p + i, len - i, NULL)) == 0)
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
		} else if ((k = text_utf8((const char *)p + i, n - i, NULL)) == 0) {
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

/* The csv columns and jsonl members, in order (SUPPRESS_CSV_HEADER). */
static const char *const sup_fields[] = {
	"address", "first_seen", "status", "reason", "reporting_mta", "queue_id",
};
#define SUP_NFIELDS (sizeof(sup_fields) / sizeof(sup_fields[0]))

/* One whole line (with '\n') for a normalised address; length or 0. */
size_t
suppress_line_format(enum suppress_format f, const char *addr,
                const struct suppress_entry *e, time_t now, char *buf,
                size_t bufsz)
{
	char status[SUP_STATUS_MAX + 1], reason[SUP_REASON_MAX + 1];
	char mta[SUP_MTA_MAX + 1], qid[SUP_QID_MAX + 1], when[32], rej[24];
	struct sup_out o = { buf, 0, bufsz, false };
	const char *val[SUP_NFIELDS] = { addr, when, status, reason, mta, qid };
	time_t t = e->when != 0 ? e->when : now;
	struct tm tm;
	size_t i;

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
		for (i = 0; i < SUP_NFIELDS; i++) {
			if (i > 0)
				sup_put(&o, ",", 1);
			sup_put_csv(&o, val[i]);
		}
		break;
	case SUPPRESS_JSONL:
		for (i = 0; i < SUP_NFIELDS; i++) {
			sup_puts(&o, i == 0 ? "{\"" : ",\"");
			sup_puts(&o, sup_fields[i]);
			sup_puts(&o, "\":");
			sup_put_json(&o, val[i]);
		}
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

/* ------------------------------------------------------------ parsing */

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

/* The string member `want` of a one-line JSON object: 0, 1 when the
 * object has no such member, -1 if unparsable. */
static int
sup_json_member(const char *p, const char *end, const char *want,
                char *out, size_t outsz, size_t *n)
{
	size_t wlen = strlen(want);
	char key[16];
	size_t klen;

	p = sup_skip_ws(p, end);
	if (p >= end || *p++ != '{')
		return -1;
	p = sup_skip_ws(p, end);
	if (p < end && *p == '}')
		return 1;
	for (;;) {
		p = sup_skip_ws(p, end);
		if (p >= end || *p != '"')
			return -1;
		p++;
		if (sup_json_string(&p, end, key, sizeof(key), &klen) < 0) {
			/* a long key: skip it, it is not one we read */
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
		if (klen == wlen && memcmp(key, want, wlen) == 0) {
			if (p >= end || *p++ != '"')
				return -1;
			return sup_json_string(&p, end, out, outsz, n);
		}
		if ((p = sup_json_skip(p, end)) == NULL)
			return -1;
		p = sup_skip_ws(p, end);
		if (p < end && *p == '}')
			return 1;
		if (p >= end || *p++ != ',')
			return -1;
	}
}

/* The "address" member of a one-line JSON object. */
static int
sup_parse_jsonl(const char *p, const char *end, char *out, size_t outsz,
                size_t *n)
{
	return sup_json_member(p, end, "address", out, outsz, n) == 0 ? 0 : -1;
}

/* Field `idx` (0 = first) of an RFC 4180 record: 0, 1 when the record
 * has fewer fields, -1 if unparsable or too long for out. */
static int
sup_csv_field(const char *p, const char *end, unsigned idx, char *out,
              size_t outsz, size_t *n)
{
	for (;;) {
		bool last = false;
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
				if (idx == 0) {
					if (o + 1 >= outsz)
						return -1;
					out[o++] = *p;
				}
			}
			p++;        /* the closing quote */
		} else {
			for (; p < end && *p != ','; p++) {
				if (idx == 0) {
					if (o + 1 >= outsz)
						return -1;
					out[o++] = *p;
				}
			}
		}
		if (p >= end || *p != ',')
			last = true;
		if (idx == 0) {
			*n = o;
			return 0;
		}
		if (last)
			return 1;
		p++;            /* the comma */
		idx--;
	}
}

/* First field of an RFC 4180 record. */
static int
sup_parse_csv(const char *p, const char *end, char *out, size_t outsz,
              size_t *n)
{
	return sup_csv_field(p, end, 0, out, outsz, n) == 0 ? 0 : -1;
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
enum suppress_format
suppress_line_guess(const char *p, const char *end)
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


int
suppress_line_parse(enum suppress_format f, const char *p, const char *end,
                    char *out, size_t outsz, size_t *n)
{
	switch (f) {
	case SUPPRESS_CSV:
		if (sup_is_csv_header(p, end))
			return 1;
		return sup_parse_csv(p, end, out, outsz, n) < 0 ? -1 : 0;
	case SUPPRESS_JSONL:
		return sup_parse_jsonl(p, end, out, outsz, n) < 0 ? -1 : 0;
	default:
		return sup_parse_token(p, end, out, outsz, n) < 0 ? -1 : 0;
	}
}

/* ------------------------------------------------------------ all fields */

/* One optional string field into dst (cleared when absent or too long:
 * a journal reader ships what it can read, the address is what counts). */
static void
sup_field_json(const char *p, const char *end, const char *key, char *dst,
               size_t dstsz)
{
	size_t n = 0;

	if (sup_json_member(p, end, key, dst, dstsz, &n) != 0)
		n = 0;
	dst[n] = '\0';
}

static void
sup_field_csv(const char *p, const char *end, unsigned idx, char *dst,
              size_t dstsz)
{
	size_t n = 0;

	if (sup_csv_field(p, end, idx, dst, dstsz, &n) != 0)
		n = 0;
	dst[n] = '\0';
}

/* "addr REJECT 5.1.1 bounce-milter: reason": the status and the reason. */
static void
sup_fields_postfix(const char *p, const char *end,
                   struct suppress_line_fields *f)
{
	static const char tag[] = "bounce-milter:";
	const char *tok[3];
	size_t len[3], i;

	for (i = 0; i < 3; i++) {
		p = sup_skip_ws(p, end);
		tok[i] = p;
		while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		len[i] = (size_t)(p - tok[i]);
	}
	if (len[2] > 0 && len[2] < sizeof(f->status)) {
		memcpy(f->status, tok[2], len[2]);
		f->status[len[2]] = '\0';
	}
	p = sup_skip_ws(p, end);
	if ((size_t)(end - p) > sizeof(tag) - 1 && memcmp(p, tag, sizeof(tag) - 1) == 0) {
		const char *r = sup_skip_ws(p + sizeof(tag) - 1, end), *re = r;

		while (re < end && *re != ' ' && *re != '\t' && *re != '\r')
			re++;
		if ((size_t)(re - r) < sizeof(f->reason)) {
			memcpy(f->reason, r, (size_t)(re - r));
			f->reason[re - r] = '\0';
		}
	}
}

int
suppress_line_fields(enum suppress_format fmt, const char *p, const char *end,
                     bool fold, struct suppress_line_fields *f)
{
	char raw[SUPPRESS_ADDR_MAX + 2];
	size_t n = 0;
	int rc;

	memset(f, 0, sizeof(*f));
	rc = suppress_line_parse(fmt, p, end, raw, sizeof(raw), &n);
	if (rc != 0)
		return rc;
	if (suppress_line_addr(raw, n, fold, f->addr) < 0)
		return -1;
	switch (fmt) {
	case SUPPRESS_CSV:
		sup_field_csv(p, end, 1, f->first_seen, sizeof(f->first_seen));
		sup_field_csv(p, end, 2, f->status, sizeof(f->status));
		sup_field_csv(p, end, 3, f->reason, sizeof(f->reason));
		sup_field_csv(p, end, 4, f->reporting_mta, sizeof(f->reporting_mta));
		sup_field_csv(p, end, 5, f->queue_id, sizeof(f->queue_id));
		break;
	case SUPPRESS_JSONL:
		sup_field_json(p, end, "first_seen", f->first_seen, sizeof(f->first_seen));
		sup_field_json(p, end, "status", f->status, sizeof(f->status));
		sup_field_json(p, end, "reason", f->reason, sizeof(f->reason));
		sup_field_json(p, end, "reporting_mta", f->reporting_mta,
		    sizeof(f->reporting_mta));
		sup_field_json(p, end, "queue_id", f->queue_id, sizeof(f->queue_id));
		sup_field_json(p, end, "origin", f->origin, sizeof(f->origin));
		break;
	case SUPPRESS_POSTFIX:
		sup_fields_postfix(p, end, f);
		break;
	default:
		break;
	}
	return 0;
}
