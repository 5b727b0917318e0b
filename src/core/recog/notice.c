/*
 * notice.c - table-driven reader for provider notices (see notice.h).
 *
 * Every family asks whether the text holds one of its banner phrases (and
 * From and Subject one of its own), so each field of a message used to be
 * searched once per phrase of each family.  Instead a per-thread index per
 * field (struct common_scan) learns each phrase list the first time a
 * family asks about it, and the first question about a field of a message
 * searches the field once for all the phrases learnt so far; the answers
 * go to ctx->memo (recog.h).  A list learnt after that scan, a phrase the
 * index cannot hold (short, or spanning lines) and a context without a
 * memo are searched directly: the answer is always common_has_any()'s.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "bounce.h"
#include "recog.h"
#include "result.h"
#include "status.h"
#include "text.h"
#include "recog/common.h"
#include "recog/notice.h"

#define NOTICE_MAX_LINES 2000

/* Where the returned message starts in a one-part notice, whatever the
 * family: its headers or the usual separators. */
static const char *const notice_default_ends[] = {
	"--- Below this line is a copy of the message",
	"----- Original message",
	"--- Original message follows",
	"Original message follows",
	"------- Returned Message",
	"----- Message header follows",
	"Content-Type: message/rfc822",
	"Return-Path:",
	"Received:",
	NULL
};

/* Phrases shorter than their field's window are searched directly (a
 * longer window lets the one-pass search skip further): text and Subject
 * phrases are long, From ones are parts of addresses ("@gmx."). */
static const size_t notice_window[RECOG_MEMO_FIELDS] = {
	[RECOG_MEMO_TEXT] = 12, [RECOG_MEMO_FROM] = 5, [RECOG_MEMO_SUBJECT] = 12,
};
#define NOTICE_LISTS_MAX 64          /* lists a thread learns per field */
#define NOTICE_LIST_SLOTS 128        /* hash slots for them (> 2x lists) */

_Static_assert(sizeof(((struct recog_memo_scan *)0)->hits) ==
               COMMON_SCAN_WORDS * sizeof(uint64_t),
               "the memo holds one bit per indexed phrase");

/* A list the index has learnt: its phrases that fit the index have ids
 * first..first+count-1; `direct` when some phrase did not fit, `full`
 * when the index had no room for the list (all searched directly). */
struct notice_list {
	const char *const *phrases;
	unsigned char first, count;
	bool direct, full;
};

struct notice_index {
	bool ready;
	struct common_scan scan;
	size_t nlists;
	struct notice_list list[NOTICE_LISTS_MAX];
	unsigned char slot[NOTICE_LIST_SLOTS];  /* 1 + list, 0: empty */
};

static struct notice_index *
notice_index_get(enum recog_memo_field field)
{
	static _Thread_local struct notice_index x[RECOG_MEMO_FIELDS];

	if (!x[field].ready) {
		common_scan_init(&x[field].scan, notice_window[field]);
		x[field].ready = true;
	}
	return &x[field];
}

/* The index's entry for a phrase list, learnt now if it is new; NULL when
 * the index has no room for another list. */
static const struct notice_list *
notice_list_get(struct notice_index *x, const char *const *phrases)
{
	size_t h = ((uintptr_t)phrases / sizeof(void *)) % NOTICE_LIST_SLOTS;
	struct notice_list *l;
	size_t i, n = 0;

	while (x->slot[h] != 0) {
		if (x->list[x->slot[h] - 1].phrases == phrases)
			return &x->list[x->slot[h] - 1];
		h = (h + 1) % NOTICE_LIST_SLOTS;
	}
	if (x->nlists >= NOTICE_LISTS_MAX)
		return NULL;
	l = &x->list[x->nlists];
	l->phrases = phrases;
	l->first = (unsigned char)x->scan.n;
	l->direct = l->full = false;
	for (i = 0; phrases[i] != NULL; i++) {
		if (common_scan_fits(&x->scan, phrases[i]))
			n++;
		else
			l->direct = true;
	}
	/* all of the list's indexable phrases, or none of them */
	if (x->scan.n + n > COMMON_SCAN_MAX) {
		n = 0;
		l->full = true;
	} else {
		for (i = 0; phrases[i] != NULL; i++)
			if (common_scan_fits(&x->scan, phrases[i]))
				(void)common_scan_add(&x->scan, phrases[i]);
	}
	l->count = (unsigned char)n;
	x->slot[h] = (unsigned char)(++x->nlists);
	return l;
}

/* The field of the message and its length. */
static const char *
notice_field(const struct recog_ctx *ctx, enum recog_memo_field field,
             size_t *len)
{
	const char *s = field == RECOG_MEMO_TEXT ? ctx->text :
	                field == RECOG_MEMO_FROM ? ctx->from : ctx->subject;

	*len = field == RECOG_MEMO_TEXT ? ctx->text_len :
	       s != NULL ? strlen(s) : 0;
	return s;
}

bool
notice_has(const struct recog_ctx *ctx, enum recog_memo_field field,
           const char *const *phrases)
{
	struct recog_memo_scan *memo;
	struct notice_index *x;
	const struct notice_list *l;
	const char *s;
	size_t i, len;

	if (ctx->memo == NULL) {
		s = notice_field(ctx, field, &len);
		return common_has_any(s, len, phrases);
	}
	memo = &ctx->memo->scan[field];
	x = notice_index_get(field);
	l = notice_list_get(x, phrases);
	if (l == NULL || l->full ||
	    (memo->scanned && (size_t)l->first + l->count > memo->indexed)) {
		/* not in this message's scan */
		s = notice_field(ctx, field, &len);
		return common_has_any(s, len, phrases);
	}
	if (!memo->scanned) {
		s = notice_field(ctx, field, &len);
		common_scan_run(&x->scan, s, len, memo->hits);
		memo->indexed = x->scan.n;
		memo->scanned = true;
	}
	if (l->count > 0 && common_scan_any(memo->hits, l->first, l->count))
		return true;
	if (!l->direct)
		return false;
	s = notice_field(ctx, field, &len);
	for (i = 0; phrases[i] != NULL; i++)
		if (!common_scan_fits(&x->scan, phrases[i]) &&
		    text_find(s, len, phrases[i]) != NULL)
			return true;
	return false;
}

bool
notice_is_family(const struct recog_ctx *ctx, const struct notice_spec *spec)
{
	if (ctx->text == NULL || ctx->text_len == 0 || spec->banner == NULL)
		return false;
	if (spec->from != NULL && !notice_has(ctx, RECOG_MEMO_FROM, spec->from))
		return false;
	if (spec->subject != NULL &&
	    !notice_has(ctx, RECOG_MEMO_SUBJECT, spec->subject))
		return false;
	/* a family known by its banner alone still needs a bounce signal;
	 * one whose users share the daemon's domain needs the daemon */
	if (spec->from == NULL && spec->subject == NULL &&
	    !common_from_daemon(ctx) && recog_bounce_signal(ctx) == 0)
		return false;
	if ((spec->flags & NOTICE_DAEMON) && !common_from_daemon(ctx))
		return false;
	return notice_has(ctx, RECOG_MEMO_TEXT, spec->banner);
}

/* The span holding the records: after a start phrase, up to an end line. */
static bool
notice_section(const struct recog_ctx *ctx, const struct notice_spec *spec,
               const char **sec, size_t *len)
{
	size_t start = 0, end = 0, stop, n;
	const char *s;

	if (spec->starts != NULL) {
		if (!common_find_any(ctx->text, ctx->text_len, spec->starts,
		                     &start, &end))
			return false;
		start = end;
	}
	s = ctx->text + start;
	n = ctx->text_len - start;
	stop = common_until_line(s, n, notice_default_ends);
	if (spec->ends != NULL) {
		size_t own = common_until_line(s, n, spec->ends);

		if (own < stop)
			stop = own;
	}
	*sec = s;
	*len = stop;
	return true;
}

/* Is addr the notice's own sender or addressee (not a failed recipient)? */
static bool
notice_own_addr(const struct recog_ctx *ctx, const char *addr)
{
	size_t alen = strlen(addr), vlen = 0;
	const char *v;

	if (ctx->from != NULL &&
	    text_findn(ctx->from, strlen(ctx->from), addr, alen) != NULL)
		return true;
	v = common_header(ctx, "To", &vlen);
	return v != NULL && text_findn(v, vlen, addr, alen) != NULL;
}

/* A recipient worth a record: its domain ends in a label of letters
 * (bytes of a JIS-encoded text can look like "$F@h"). */
static bool
notice_plausible(const char *addr)
{
	const char *at = strrchr(addr, '@'), *dot;
	size_t n = 0;

	if (at == NULL || (dot = strrchr(at, '.')) == NULL)
		return false;
	if (at[1] == '[')
		return true;
	while (dot[1 + n] != '\0') {
		char c = dot[1 + n];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			return false;
		n++;
	}
	return n >= 2;
}

/* Is the line the address alone ("a@b", "<a@b>", "* a@b", "\"a@b\":")? */
static bool
notice_bare(const char *line, size_t len, const char *addr)
{
	const char *p = text_find(line, len, addr);
	size_t i, after;

	if (p == NULL)
		return false;
	for (i = 0; line + i < p; i++)
		if (strchr("<\"*-> \t", line[i]) == NULL)
			return false;
	for (after = (size_t)(p - line) + strlen(addr); after < len; after++)
		if (strchr(">\":;,. \t", line[after]) == NULL)
			return false;
	return true;
}

/* Is addr written as "<addr>" on the line? */
static bool
notice_bracketed(const char *line, size_t len, const char *addr)
{
	const char *p = text_find(line, len, addr);

	return p != NULL && p > line && p[-1] == '<';
}

/* A line that quotes a server's answer about another address ("550 5.7.1
 * <sender@example.org>... Access denied") continues the open record. */
static bool
notice_quoted(const char *line, size_t len, const char *addr)
{
	const char *p = text_find(line, len, addr);
	char st[BM_STATUS_MAX];
	int code = 0;

	return p != NULL && status_find(line, (size_t)(p - line), st, sizeof(st),
	                                &code);
}

static bool
notice_starts_any(const char *s, size_t len, const char *const *tab)
{
	size_t i;

	for (i = 0; tab != NULL && tab[i] != NULL; i++)
		if (common_starts(s, len, tab[i]))
			return true;
	return false;
}

/* Append a line to a diagnostic buffer, one space between lines. */
static void
notice_append(char *diag, size_t *dlen, size_t diagsz, const char *s,
              size_t len)
{
	if (*dlen + 2 >= diagsz)
		return;
	if (*dlen > 0)
		diag[(*dlen)++] = ' ';
	*dlen += text_collapse(s, len, diag + *dlen, diagsz - *dlen);
	diag[*dlen < diagsz ? *dlen : diagsz - 1] = '\0';
}

/* Address lines and the lines under them. */
static void
notice_lines(const struct recog_ctx *ctx, struct bounce_result *res,
             const struct notice_spec *spec, const char *sec, size_t len,
             const char *action)
{
	char diag[BM_DIAG_MAX], cur_addr[BM_ADDR_MAX];
	struct bounce_rcpt *cur = NULL;
	size_t pos = 0, dlen = 0, lines = 0;
	const char *line;
	size_t llen;

	diag[0] = cur_addr[0] = '\0';
	while (lines++ < NOTICE_MAX_LINES &&
	       text_next_line(sec, len, &pos, &line, &llen)) {
		char addr[BM_ADDR_MAX];

		text_trim(&line, &llen);
		if (llen == 0) {
			if ((spec->flags & NOTICE_BLANK_ENDS) && cur != NULL) {
				common_fill(cur, diag, dlen, action);
				cur = NULL;
			}
			continue;
		}
		if (notice_starts_any(line, llen, spec->skip))
			continue;
		if (addr_find(line, llen, addr, sizeof(addr)) == 0 &&
		    notice_plausible(addr) && !notice_own_addr(ctx, addr) &&
		    (!(spec->flags & NOTICE_BRACKETED) ||
		     notice_bracketed(line, llen, addr)) &&
		    (cur == NULL || !notice_quoted(line, llen, addr)) &&
		    (cur == NULL || strcasecmp(addr, cur_addr) != 0)) {
			struct bounce_rcpt *r;

			if (cur != NULL)
				common_fill(cur, diag, dlen, action);
			cur = NULL;
			r = common_rcpt(res, ctx->lim, addr, strlen(addr));
			if (r == NULL)
				continue;
			cur = r;
			memcpy(cur_addr, addr, sizeof(cur_addr));
			dlen = 0;
			diag[0] = '\0';
			/* a line that is the address alone says nothing more */
			if (notice_bare(line, llen, addr))
				continue;
		}
		if (cur != NULL)
			notice_append(diag, &dlen, sizeof(diag), line, llen);
	}
	if (cur != NULL)
		common_fill(cur, diag, dlen, action);
}

/* The returned message's recipient: its To: field, or the first "To:"
 * line of a copy quoted in the text. */
static void
notice_returned(const struct recog_ctx *ctx, struct bounce_result *res,
                const char *action)
{
	size_t pos = 0, lines = 0;
	const char *line;
	size_t llen;
	char addr[BM_ADDR_MAX];

	if (ctx->returned_to != NULL &&
	    addr_find(ctx->returned_to, strlen(ctx->returned_to), addr,
	              sizeof(addr)) == 0) {
		common_fill(common_rcpt(res, ctx->lim, addr, strlen(addr)),
		            NULL, 0, action);
		return;
	}
	while (lines++ < NOTICE_MAX_LINES &&
	       text_next_line(ctx->text, ctx->text_len, &pos, &line, &llen)) {
		text_trim(&line, &llen);
		if (!text_starts(line, llen, "To:") ||
		    addr_find(line + 3, llen - 3, addr, sizeof(addr)) != 0)
			continue;
		common_fill(common_rcpt(res, ctx->lim, addr, strlen(addr)),
		            NULL, 0, action);
		return;
	}
}

/* The error stated once for all records: after an `error` phrase, up to
 * the records (`starts`) or the end of the notice. */
static size_t
notice_error_text(const struct recog_ctx *ctx, const struct notice_spec *spec,
                  char *out, size_t outsz)
{
	size_t start, end, stop, n;
	const char *s;

	out[0] = '\0';
	if (spec->error == NULL ||
	    !common_find_any(ctx->text, ctx->text_len, spec->error, &start,
	                     &end))
		return 0;
	s = ctx->text + end;
	n = ctx->text_len - end;
	stop = common_until_line(s, n, notice_default_ends);
	if (spec->starts != NULL &&
	    common_find_any(s, stop, spec->starts, &start, NULL))
		stop = start;
	return common_join(s, stop, spec->skip, out, outsz);
}

int
notice_match(const struct recog_ctx *ctx, struct bounce_result *res,
             const struct notice_spec *spec)
{
	const char *sec, *action;
	size_t len, i, before = res->nrcpt;
	char whole[BM_DIAG_MAX];
	unsigned flags = spec->flags;

	if (!notice_is_family(ctx, spec) ||
	    !notice_section(ctx, spec, &sec, &len))
		return 0;
	action = spec->delayed != NULL &&
	         common_has_any(ctx->text, ctx->text_len, spec->delayed) ?
	         "delayed" : "failed";
	if (spec->shape == NOTICE_HEADER)
		common_rcpts_from_header(ctx, res, "X-Failed-Recipients",
		                         action);
	else if (spec->shape == NOTICE_RETURNED)
		notice_returned(ctx, res, action);
	else
		notice_lines(ctx, res, spec, sec, len, action);
	if (res->nrcpt == before)
		return 0;

	if (notice_error_text(ctx, spec, whole, sizeof(whole)) == 0)
		common_join(sec, len, spec->skip, whole, sizeof(whole));
	else
		flags |= NOTICE_SECTION_DIAG;
	for (i = before; i < res->nrcpt; i++) {
		struct bounce_rcpt *r = &res->rcpt[i];

		if (flags & NOTICE_SECTION_DIAG) {
			r->diagnostic[0] = '\0';
			r->status[0] = '\0';
			r->replycode = 0;
		}
		common_fill(r, whole, strlen(whole), action);
		if (r->reason_hint == BM_REASON_UNDEFINED)
			r->reason_hint = common_reason(spec->reasons,
			                               r->diagnostic,
			                               strlen(r->diagnostic));
		if (r->reason_hint == BM_REASON_UNDEFINED)
			r->reason_hint = common_reason(spec->reasons, sec, len);
	}
	return 1;
}

void
notice_enrich(const struct recog_ctx *ctx, struct bounce_result *res,
              const struct notice_spec *spec)
{
	struct bounce_result text;
	size_t i;

	memset(&text, 0, sizeof(text));
	if (notice_is_family(ctx, spec))
		(void)notice_match(ctx, &text, spec);
	for (i = 0; i < res->nrcpt; i++) {
		struct bounce_rcpt *r = &res->rcpt[i];
		const struct bounce_rcpt *t = result_find_rcpt(&text,
		                                               r->recipient);

		if (t == NULL && res->nrcpt == 1 && text.nrcpt == 1)
			t = &text.rcpt[0];
		if (t != NULL) {
			if (r->diagnostic[0] == '\0')
				memcpy(r->diagnostic, t->diagnostic,
				       sizeof(r->diagnostic));
			if (r->status[0] == '\0')
				memcpy(r->status, t->status, sizeof(r->status));
			if (r->replycode == 0)
				r->replycode = t->replycode;
		}
		if (r->reason_hint == BM_REASON_UNDEFINED)
			r->reason_hint = common_reason(spec->reasons,
			                               r->diagnostic,
			                               strlen(r->diagnostic));
	}
	bounce_result_free(&text);
}
