/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dsn.c - RFC 3464 / RFC 6533 delivery-status bodies -> recipient records.
 *
 * The body is a sequence of header-style fields in blocks separated by
 * blank lines: first the per-message block, then one block per recipient.
 * Real MTAs drop blank lines, repeat fields, fold long Diagnostic-Code
 * values and use any case, so a block also ends when a recipient field
 * repeats, and the per-message fields are accepted wherever they appear.
 * Field values are unfolded into a bounded local buffer; every copy into a
 * record is bounded by the record's arrays.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "classify/addr.h"
#include "classify/analysis.h"
#include "classify/record.h"
#include "classify/dsn.h"
#include "classify/result.h"
#include "classify/smtpcmd.h"
#include "classify/status.h"
#include "util/text.h"

#define DSN_FIELD_MAX 4096

enum dsn_field {
	F_OTHER = 0,
	F_REPORTING_MTA,
	F_FINAL_RCPT,
	F_ORIG_RCPT,
	F_ACTUAL_RCPT,
	F_ACTION,
	F_STATUS,
	F_REMOTE_MTA,
	F_DIAG,
	F_CATEGORY,
};

/* a field name and its length */
#define DSN_NAME(s) s, sizeof(s) - 1

static const struct {
	const char *name;
	size_t len;
	enum dsn_field field;
} dsn_fields[] = {
	{ DSN_NAME("reporting-mta"), F_REPORTING_MTA },
	{ DSN_NAME("final-recipient"), F_FINAL_RCPT },
	{ DSN_NAME("original-recipient"), F_ORIG_RCPT },
	{ DSN_NAME("x-actual-recipient"), F_ACTUAL_RCPT },
	{ DSN_NAME("action"), F_ACTION },
	{ DSN_NAME("status"), F_STATUS },
	{ DSN_NAME("remote-mta"), F_REMOTE_MTA },
	{ DSN_NAME("diagnostic-code"), F_DIAG },
	{ DSN_NAME("x-powermta-bouncecategory"), F_CATEGORY },
	{ NULL, 0, F_OTHER },
};

/* Extension fields that name the sending MTA's own verdict on a recipient:
 * PowerMTA's bounce categories ("X-PowerMTA-BounceCategory: bad-mailbox").
 * Only the categories that state one reason are listed. */
static const struct {
	const char *category;
	enum bm_reason reason;
} dsn_categories[] = {
	{ "bad-mailbox", BM_REASON_USERUNKNOWN },
	{ "bad-domain", BM_REASON_HOSTUNKNOWN },
	{ "inactive-mailbox", BM_REASON_SUSPEND },
	{ "quota-issues", BM_REASON_MAILBOXFULL },
	{ "message-expired", BM_REASON_EXPIRED },
	{ "no-answer-from-host", BM_REASON_NETWORKERROR },
	{ "spam-related", BM_REASON_SPAMDETECTED },
	{ "virus-related", BM_REASON_VIRUSDETECTED },
	{ "policy-related", BM_REASON_POLICYVIOLATION },
	{ "relaying-issues", BM_REASON_NORELAYING },
	{ NULL, BM_REASON_UNDEFINED },
};

/* One recipient block while it is being read. */
struct dsn_block {
	bool any;                    /* some per-recipient field seen */
	bool has_final, has_orig;
	char final_rcpt[BM_ADDR_MAX];
	char orig_rcpt[BM_ADDR_MAX];
	char actual_rcpt[BM_ADDR_MAX];
	char action[BM_WORD_MAX];
	char status[BM_STATUS_MAX];
	char status_raw[BM_DIAG_MAX];
	char remote_mta[BM_HOST_MAX];
	char diag[BM_DIAG_MAX];
	char diag_type[BM_WORD_MAX];   /* "smtp", "x-unix", ... lower case */
	enum bm_reason category;       /* from an extension field, or UNDEFINED */
};

_Static_assert(sizeof(((struct dsn_block *)0)->diag) ==
               sizeof(((struct bounce_rcpt *)0)->diagnostic),
               "a record's diagnostic holds a block's whole");

struct dsn_state {
	const struct bounce_limits *lim;
	struct bounce_result *res;
	char reporting_mta[BM_HOST_MAX];
	struct dsn_block blk;
	size_t added;
	size_t first;                /* index of the first record we added */
};

/* ASCII case-insensitive equality of name[0..len) and a lower-case word
 * made of letters, digits and '-' (the field names above), eight bytes a
 * step: the bytes may differ only in bit 0x20, and only where the word
 * holds a letter (its bit 0x40 set), so "A" matches "a" but a CR never
 * matches '-'.  The last step overlaps the one before it. */
static uint64_t
dsn_word(const char *s)
{
	uint64_t w;

	memcpy(&w, s, sizeof(w));
	return w;
}

static bool
dsn_name_eq(const char *name, const char *lower, size_t len)
{
	const uint64_t b40 = 0x4040404040404040u;
	uint64_t l;
	size_t i;

	if (len < 8) {
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)name[i];

			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + ('a' - 'A'));
			if (c != (unsigned char)lower[i])
				return false;
		}
		return true;
	}
	for (i = 0;; i += 8) {
		if (i + 8 > len)
			i = len - 8;
		l = dsn_word(lower + i);
		if (((dsn_word(name + i) ^ l) & ~((l & b40) >> 1)) != 0)
			return false;
		if (i + 8 == len)
			return true;
	}
}

static enum dsn_field
dsn_field_of(const char *name, size_t len)
{
	size_t i;

	for (i = 0; dsn_fields[i].name != NULL; i++)
		if (dsn_fields[i].len == len &&
		    dsn_name_eq(name, dsn_fields[i].name, len))
			return dsn_fields[i].field;
	return F_OTHER;
}

/* "type; value" -> value (the whole span when there is no type). */
static void
dsn_strip_type(const char **s, size_t *len, char *type, size_t typesz)
{
	const char *semi = memchr(*s, ';', *len);
	size_t i;

	if (typesz)
		type[0] = '\0';
	if (semi == NULL)
		return;
	/* an address-type / diagnostic-type / mta-name-type is an atom */
	for (i = 0; *s + i < semi; i++) {
		unsigned char c = (unsigned char)(*s)[i];
		if (c == ' ' || c == '\t' || c == '<' || c == '@' || c == '"')
			return;
	}
	text_lower_copy(*s, (size_t)(semi - *s), type, typesz);
	*len -= (size_t)(semi - *s) + 1;
	*s = semi + 1;
	text_trim(s, len);
}

static size_t
dsn_put_utf8(uint32_t cp, char *out, size_t room)
{
	if (cp < 0x80 && room >= 1) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800 && room >= 2) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000 && room >= 3) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			return 0;
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	if (cp < 0x110000 && cp >= 0x10000 && room >= 4) {
		out[0] = (char)(0xf0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[3] = (char)(0x80 | (cp & 0x3f));
		return 4;
	}
	return 0;
}

/* RFC 6533 utf-8-addr-xtext / unitext: "\x{HEX}" stands for one code point. */
static size_t
dsn_unescape_utf8(const char *s, size_t len, char *out, size_t outsz)
{
	size_t i = 0, o = 0;

	if (outsz == 0)
		return 0;
	if (memchr(s, '\\', len) == NULL) {
		/* no escape: a plain copy */
		o = len < outsz - 1 ? len : outsz - 1;
		memcpy(out, s, o);
		out[o] = '\0';
		return o;
	}
	while (i < len && o + 1 < outsz) {
		if (s[i] == '\\' && i + 3 < len && s[i + 1] == 'x' && s[i + 2] == '{') {
			size_t j = i + 3, nd = 0, n;
			uint32_t cp = 0;

			while (j < len && nd < 6 && strchr("0123456789abcdefABCDEF", s[j]) != NULL &&
			       s[j] != '\0') {
				char c = s[j];
				cp = cp * 16 + (uint32_t)(c <= '9' ? c - '0' :
				                          (c | 0x20) - 'a' + 10);
				j++;
				nd++;
			}
			if (nd > 0 && j < len && s[j] == '}') {
				n = dsn_put_utf8(cp, out + o, outsz - 1 - o);
				if (n > 0) {
					o += n;
					i = j + 1;
					continue;
				}
			}
		}
		out[o++] = s[i++];
	}
	out[o] = '\0';
	return o;
}

/* A recipient field value -> normalised address ("" when none is valid). */
static void
dsn_address(const char *v, size_t len, char *out, size_t outsz)
{
	char type[BM_WORD_MAX];
	char tmp[BM_ADDR_MAX * 2];
	size_t n;

	out[0] = '\0';
	dsn_strip_type(&v, &len, type, sizeof(type));
	if (len == 0)
		return;
	n = dsn_unescape_utf8(v, len, tmp, sizeof(tmp));
	if (addr_normalise(tmp, n, out, outsz, false) == 0)
		return;
	if (addr_find(tmp, n, out, outsz) == 0)
		return;
	out[0] = '\0';
}

/* Empty every field: each string is read only up to its NUL (and copied
 * into a record that way), so clearing its first byte is enough; the
 * 4 KB block is not zeroed for each record. */
static void
dsn_block_reset(struct dsn_block *b)
{
	b->any = b->has_final = b->has_orig = false;
	b->final_rcpt[0] = b->orig_rcpt[0] = b->actual_rcpt[0] = '\0';
	b->action[0] = b->status[0] = b->status_raw[0] = '\0';
	b->remote_mta[0] = b->diag[0] = b->diag_type[0] = '\0';
	b->category = BM_REASON_UNDEFINED;
}

/* The SMTP reply code of a record's diagnostic such as "550 5.1.1 ...",
 * or 0 (read once for the record, analysis.h). */
static int
dsn_replycode(struct bounce_rcpt *r)
{
	char sbuf[BM_STATUS_MAX];
	int code = 0;

	if (r->diagnostic[0] == '\0')
		return 0;
	if (analysis_diag_status(r, sbuf, sizeof(sbuf), &code) &&
	    status_replycode_valid(code))
		return code;
	return 0;
}

/* Bounded copy of a string, cut to fit (as snprintf "%s" does). */
static void
dsn_copy(char *dst, size_t dstsz, const char *src)
{
	size_t n = strnlen(src, dstsz - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Merge a finished block into an existing record of the same recipient. */
static void
dsn_merge(struct bounce_rcpt *r, const struct dsn_block *b)
{
	if (r->status[0] == '\0' && b->status[0] != '\0')
		dsn_copy(r->status, sizeof(r->status), b->status);
	if (r->diagnostic[0] == '\0' && b->diag[0] != '\0') {
		dsn_copy(r->diagnostic, sizeof(r->diagnostic), b->diag);
		analysis_diag_forget(r);
		r->replycode = dsn_replycode(r);
	}
	(void)smtpcmd_store(r->smtp_command, sizeof(r->smtp_command),
	                    smtpcmd_find(b->diag, strlen(b->diag)));
	if (r->remote_mta[0] == '\0' && b->remote_mta[0] != '\0')
		dsn_copy(r->remote_mta, sizeof(r->remote_mta), b->remote_mta);
	/* a failure wins over a success report for the same address */
	if (result_action_is_success(r->action) && b->action[0] != '\0' &&
	    !result_action_is_success(b->action))
		dsn_copy(r->action, sizeof(r->action), b->action);
}

static void
dsn_flush(struct dsn_state *st)
{
	struct dsn_block *b = &st->blk;
	struct bounce_rcpt *r;
	const char *rcpt;
	char c;
	size_t i;

	if (!b->any)
		return;         /* nothing was stored since the last reset */
	rcpt = b->final_rcpt[0] ? b->final_rcpt :
	       b->actual_rcpt[0] ? b->actual_rcpt : b->orig_rcpt;
	/* a final address on a bare host name ("user@server", a local
	 * rewrite) says less than the address the sender used */
	if (rcpt == b->final_rcpt && b->orig_rcpt[0] != '\0' &&
	    strchr(strchr(rcpt, '@') ? strchr(rcpt, '@') : rcpt, '.') == NULL)
		rcpt = b->orig_rcpt;
	/* A block with neither recipient, action, status nor diagnostic is
	 * noise (e.g. only Remote-MTA). */
	if (rcpt[0] == '\0' && b->action[0] == '\0' && b->status[0] == '\0' &&
	    b->diag[0] == '\0') {
		dsn_block_reset(b);
		return;
	}
	/* Missing or unknown action: infer from the status class. */
	if (b->action[0] == '\0') {
		c = status_class(b->status);
		dsn_copy(b->action, sizeof(b->action),
		         c == '2' ? "delivered" : c == '4' ? "delayed" : "failed");
	}
	if (rcpt[0] != '\0') {
		for (i = st->first; i < st->res->nrcpt; i++) {
			if (strcasecmp(st->res->rcpt[i].recipient, rcpt) == 0) {
				dsn_merge(&st->res->rcpt[i], b);
				dsn_block_reset(b);
				return;
			}
		}
	}
	r = result_add_rcpt(st->res, st->lim);
	if (r == NULL) {
		dsn_block_reset(b);
		return;
	}
	dsn_copy(r->recipient, sizeof(r->recipient), rcpt);
	dsn_copy(r->original_recipient, sizeof(r->original_recipient),
	         b->orig_rcpt);
	dsn_copy(r->action, sizeof(r->action), b->action);
	dsn_copy(r->status, sizeof(r->status), b->status);
	dsn_copy(r->diagnostic, sizeof(r->diagnostic), b->diag);
	analysis_diag_forget(r);
	dsn_copy(r->remote_mta, sizeof(r->remote_mta), b->remote_mta);
	dsn_copy(r->reporting_mta, sizeof(r->reporting_mta), st->reporting_mta);
	r->replycode = dsn_replycode(r);
	/* the diagnostic is b->diag whole (arrays of one size): its command
	 * is read once for the record, and the command pass and classify
	 * find it there */
	(void)smtpcmd_store(r->smtp_command, sizeof(r->smtp_command),
	                    analysis_diag_command(r));
	/* diagnostic-type X-Unix: the local delivery program (a pipe, procmail,
	 * a mailer) failed, whatever generic status the MTA put on it */
	if (strcmp(b->diag_type, "x-unix") == 0) {
		r->replycode = 0;      /* an exit status, not an SMTP reply */
		if (r->status[0] == '\0' || strcmp(r->status + 1, ".0.0") == 0)
			r->reason_hint = BM_REASON_MAILERERROR;
	}
	if (r->reason_hint == BM_REASON_UNDEFINED)
		r->reason_hint = b->category;
	st->added++;
	dsn_block_reset(b);
}

static void
dsn_status(struct dsn_block *b, const char *v, size_t len)
{
	char word[BM_STATUS_MAX];
	size_t n = 0;
	int code = 0;

	result_set_str(b->status_raw, sizeof(b->status_raw), v, len);
	while (n < len && n + 1 < sizeof(word) && v[n] != ' ' && v[n] != '\t' &&
	       v[n] != '(' && v[n] != ';') {
		word[n] = v[n];
		n++;
	}
	word[n] = '\0';
	if (status_normalise(word, b->status, sizeof(b->status)))
		return;
	b->status[0] = '\0';
	/* "Status: 550 5.1.1" or other noise: look for a code in the value */
	if (!status_find(b->status_raw, strlen(b->status_raw), b->status,
	                 sizeof(b->status), &code) || !status_valid(b->status))
		b->status[0] = '\0';
}

static void
dsn_field(struct dsn_state *st, enum dsn_field f, const char *v, size_t vlen)
{
	struct dsn_block *b = &st->blk;
	char type[BM_WORD_MAX];
	char addr[BM_ADDR_MAX];

	text_trim(&v, &vlen);
	switch (f) {
	case F_OTHER:
		return;
	case F_REPORTING_MTA:
		dsn_strip_type(&v, &vlen, type, sizeof(type));
		result_set_str(st->reporting_mta, sizeof(st->reporting_mta), v, vlen);
		if (st->res->reporting_mta[0] == '\0')
			dsn_copy(st->res->reporting_mta,
			         sizeof(st->res->reporting_mta), st->reporting_mta);
		return;
	case F_FINAL_RCPT:
		if (b->has_final)
			dsn_flush(st);
		dsn_address(v, vlen, addr, sizeof(addr));
		dsn_copy(b->final_rcpt, sizeof(b->final_rcpt), addr);
		b->has_final = true;
		break;
	case F_ORIG_RCPT:
		/* Original-Recipient usually precedes Final-Recipient but may
		 * follow it; it opens a new block only after other fields */
		if (b->has_orig || (b->has_final &&
		    (b->action[0] != '\0' || b->status[0] != '\0' ||
		     b->diag[0] != '\0')))
			dsn_flush(st);
		dsn_address(v, vlen, addr, sizeof(addr));
		dsn_copy(b->orig_rcpt, sizeof(b->orig_rcpt), addr);
		b->has_orig = true;
		break;
	case F_ACTUAL_RCPT:
		dsn_address(v, vlen, addr, sizeof(addr));
		dsn_copy(b->actual_rcpt, sizeof(b->actual_rcpt), addr);
		break;
	case F_ACTION:
		if (b->action[0] != '\0' && (b->has_final || b->has_orig))
			dsn_flush(st);
		text_token_lower(v, vlen, b->action, sizeof(b->action));
		break;
	case F_STATUS:
		if (b->status[0] != '\0' && (b->has_final || b->has_orig))
			dsn_flush(st);
		dsn_status(b, v, vlen);
		break;
	case F_REMOTE_MTA:
		dsn_strip_type(&v, &vlen, type, sizeof(type));
		result_set_str(b->remote_mta, sizeof(b->remote_mta), v, vlen);
		break;
	case F_DIAG:
		dsn_strip_type(&v, &vlen, b->diag_type, sizeof(b->diag_type));
		result_set_str(b->diag, sizeof(b->diag), v, vlen);
		break;
	case F_CATEGORY: {
		size_t k;

		for (k = 0; dsn_categories[k].category != NULL; k++)
			if (vlen == strlen(dsn_categories[k].category) &&
			    strncasecmp(v, dsn_categories[k].category, vlen) == 0)
				b->category = dsn_categories[k].reason;
		break;
	}
	}
	b->any = true;
}

/* Hand one unfolded "Name: value" line to dsn_field(). */
static void
dsn_line(struct dsn_state *st, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	enum dsn_field f;
	size_t nlen;

	if (colon == NULL)
		return;
	nlen = (size_t)(colon - line);
	while (nlen > 0 && (line[nlen - 1] == ' ' || line[nlen - 1] == '\t'))
		nlen--;
	if (nlen == 0 || nlen > 64)
		return;
	/* only the known names count, and they hold no space, control or
	 * 8-bit byte: a name that does is simply not found */
	f = dsn_field_of(line, nlen);
	if (f == F_OTHER)
		return;
	dsn_field(st, f, colon + 1, len - (size_t)(colon + 1 - line));
}

size_t
dsn_parse(const char *text, size_t len, const struct bounce_limits *lim,
          struct bounce_result *res)
{
	static char dummy;
	struct dsn_state st;
	char field[DSN_FIELD_MAX];
	const char *cur = field;     /* the field being read: a line of text,
	                              * or field[] once a continuation came */
	size_t flen = 0, pos = 0;
	const char *line;
	size_t llen;
	bool have = false;

	if (res == NULL)
		return 0;
	if (text == NULL) {
		text = &dummy;
		len = 0;
	}
	st.lim = lim;
	st.res = res;
	st.reporting_mta[0] = '\0';
	dsn_block_reset(&st.blk);
	st.added = 0;
	st.first = res->nrcpt;

	while (text_next_line(text, len, &pos, &line, &llen)) {
		bool blank = true;
		size_t i;

		for (i = 0; i < llen; i++)
			if (line[i] != ' ' && line[i] != '\t') {
				blank = false;
				break;
			}
		if (!blank && (line[0] == ' ' || line[0] == '\t') && have) {
			/* continuation: append with one space */
			if (cur != field) {
				memcpy(field, cur, flen);
				cur = field;
			}
			if (flen + 1 < sizeof(field)) {
				size_t n = llen;

				field[flen++] = ' ';
				if (n > sizeof(field) - 1 - flen)
					n = sizeof(field) - 1 - flen;
				memcpy(field + flen, line, n);
				flen += n;
			}
			continue;
		}
		if (have) {
			dsn_line(&st, cur, flen);
			have = false;
			flen = 0;
		}
		if (blank) {
			dsn_flush(&st);
			continue;
		}
		/* read in place; copied only if a continuation follows */
		flen = llen < sizeof(field) - 1 ? llen : sizeof(field) - 1;
		cur = line;
		have = true;
	}
	if (have)
		dsn_line(&st, cur, flen);
	dsn_flush(&st);
	return st.added;
}
