/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * notice.c - table-driven reader for provider notices (see notice.h).
 *
 * Every family asks whether the text holds one of its banner phrases (and
 * From and Subject one of its own): the message's analysis (analysis.h)
 * answers all of them from one scan of each field per message.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "classify/addr.h"
#include "classify/analysis.h"
#include "classify/record.h"
#include "classify/recog.h"
#include "classify/result.h"
#include "classify/status.h"
#include "util/text.h"
#include "classify/recognisers/common.h"
#include "classify/recognisers/notice.h"

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

bool
notice_is_family(const struct recog_ctx *ctx, const struct notice_spec *spec)
{
	if (ctx->text == NULL || ctx->text_len == 0 || spec->banner == NULL)
		return false;
	if (spec->from != NULL &&
	    !analysis_has(ctx->an, ANALYSIS_FROM, spec->from))
		return false;
	if (spec->subject != NULL &&
	    !analysis_has(ctx->an, ANALYSIS_SUBJECT, spec->subject))
		return false;
	/* a family known by its banner alone still needs a bounce signal;
	 * one whose users share the daemon's domain needs the daemon */
	if (spec->from == NULL && spec->subject == NULL &&
	    !ctx->an->daemon && ctx->an->signal == 0)
		return false;
	if ((spec->flags & NOTICE_DAEMON) && !ctx->an->daemon)
		return false;
	return analysis_has(ctx->an, ANALYSIS_TEXT, spec->banner);
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
	stop = common_until_either(s, n, notice_default_ends, spec->ends);
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
		if (text_starts(s, len, tab[i]))
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
	bool joined;

	if (!notice_is_family(ctx, spec) ||
	    !notice_section(ctx, spec, &sec, &len))
		return 0;
	action = spec->delayed != NULL &&
	         analysis_has(ctx->an, ANALYSIS_TEXT, spec->delayed) ?
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

	/* the error stated once, else the whole section (joined only when
	 * a record can still take something from it) */
	joined = notice_error_text(ctx, spec, whole, sizeof(whole)) != 0;
	if (joined)
		flags |= NOTICE_SECTION_DIAG;
	for (i = before; i < res->nrcpt; i++) {
		struct bounce_rcpt *r = &res->rcpt[i];

		if (flags & NOTICE_SECTION_DIAG) {
			r->diagnostic[0] = '\0';
			analysis_diag_forget(r);
			r->status[0] = '\0';
			r->replycode = 0;
		}
		/* every record of this notice had its common_fill() above:
		 * with a diagnostic, only an SMTP command or the action is
		 * left to fill, and with both common_fill_more() does nothing */
		if (r->diagnostic[0] == '\0' || r->smtp_command[0] == '\0' ||
		    r->action[0] == '\0') {
			if (!joined) {
				common_join(sec, len, spec->skip, whole,
				            sizeof(whole));
				joined = true;
			}
			if (r->diagnostic[0] != '\0')
				common_fill_more(r, whole, strlen(whole), action);
			else
				common_fill(r, whole, strlen(whole), action);
		}
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
			if (r->diagnostic[0] == '\0') {
				memcpy(r->diagnostic, t->diagnostic,
				       sizeof(r->diagnostic));
				r->diag_read = t->diag_read; /* same text */
			}
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
