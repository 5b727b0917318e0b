/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sendmail.c - plain-text bounces written by sendmail: the old V5/V8
 * texts with no delivery-status part, and newer ones whose status block
 * arrives as plain text because the MIME structure was lost.
 *
 *      ----- The following addresses had permanent fatal errors -----
 *   <kijitora@example.org>
 *       (reason: 550 5.1.1 User unknown)
 *
 *      ----- Transcript of session follows -----
 *   ... while talking to mx.example.org.:
 *   >>> RCPT To:<kijitora@example.org>
 *   <<< 550 5.1.1 <kijitora@example.org>... User unknown
 *   550 5.1.1 <kijitora@example.org>... User unknown
 *
 *      ----- Unsent message follows -----
 *
 * Recipients come from the "permanent fatal errors" list, from the
 * transcript lines "NNN <address>... text" (sendmail's verdict, to which
 * the remote server's "<<<" reply is added), or from a status block in
 * the text (parsed by dsn.c).  When only the host is named ("NNN host
 * (smtp)... Deferred: ..."), the recipient is the To of the returned
 * message, if it names exactly one address.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "classify/addr.h"
#include "classify/analysis.h"
#include "classify/recog.h"
#include "classify/result.h"
#include "classify/status.h"
#include "util/text.h"
#include "classify/recognisers/common.h"

static const char *const sm_banner[] = {
	"----- Transcript of session follows -----",
	"----- The following addresses had permanent fatal errors -----",
	"----- The following addresses had transient non-fatal errors -----",
	NULL
};

/* The lists of recipients, and what happened to those on them. */
struct sm_list {
	const char *marker;
	const char *action;
};

static const struct sm_list sm_lists[] = {
	{ "----- The following addresses had permanent fatal errors -----",
	  "failed" },
	{ "----- The following addresses had transient non-fatal errors -----",
	  "delayed" },
	{ NULL, NULL }
};

static const char *const sm_transcript[] = {
	"----- Transcript of session follows -----",
	NULL
};

/* Lines that end a section of the text. */
static const char *const sm_section_end[] = {
	"-----", "--", "Reporting-MTA:", "Final-Recipient:",
	"Content-Type:", NULL
};

/* Where the returned message begins. */
static const char *const sm_returned[] = {
	"----- Unsent message follows -----",
	"----- Original message follows -----",
	"----- Message header follows -----",
	"----- Message body suppressed -----",
	NULL
};

/* sendmail's own verdicts, after "<address>... ". */
static const struct common_phrase sm_reasons[] = {
	{ "User unknown", BM_REASON_USERUNKNOWN },
	{ "Host unknown", BM_REASON_HOSTUNKNOWN },
	{ "Unknown mailer error", BM_REASON_MAILERERROR },
	{ "Message could not be delivered for", BM_REASON_EXPIRED },
	{ "Cannot send message for", BM_REASON_EXPIRED },
	{ NULL, BM_REASON_UNDEFINED }
};

/* The whole bounce says it gave up after the queue lifetime. */
static const char *const sm_expired[] = {
	"Message could not be delivered for",
	"Cannot send message for",
	NULL
};

struct sm_state {
	char pending[BM_DIAG_MAX];   /* remote replies of the current session */
	char rhost[BM_HOST_MAX];
	char hostdiag[BM_DIAG_MAX];  /* last "host (mailer)... text" verdict */
	int hostcode;
	char codeline[BM_DIAG_MAX];  /* last other line with a reply code */
};

/* A fresh state; only the string heads need clearing (every writer
 * NUL-terminates), which spares zeroing some 3 KiB per message. */
static struct sm_state *
sm_state_new(void)
{
	struct sm_state *st = malloc(sizeof(*st));

	if (st == NULL)
		return NULL;
	st->pending[0] = st->rhost[0] = st->hostdiag[0] = '\0';
	st->codeline[0] = '\0';
	st->hostcode = 0;
	return st;
}

static void
sm_append(char *dst, size_t dstsz, const char *s, size_t len)
{
	size_t n = strlen(dst);

	if (n > 0 && n + 2 < dstsz) {
		dst[n++] = ' ';
		dst[n] = '\0';
	}
	if (n + 1 < dstsz)
		text_collapse(s, len, dst + n, dstsz - n);
}

/* "550 5.1.1 <a@b>... text": code, then the address before "... ". */
static bool
sm_verdict(const char *line, size_t len, int *code, const char **who,
           size_t *who_len, const char **text, size_t *text_len)
{
	const char *dots;
	size_t i = 0;

	if (len < 8 || line[0] < '2' || line[0] > '5')
		return false;
	if (!(line[1] >= '0' && line[1] <= '9' && line[2] >= '0' &&
	      line[2] <= '9' && line[3] == ' '))
		return false;
	*code = atoi(line);
	i = 4;
	/* an enhanced code may follow */
	if (i < len && line[i] >= '2' && line[i] <= '5' && i + 1 < len &&
	    line[i + 1] == '.') {
		while (i < len && line[i] != ' ')
			i++;
		while (i < len && line[i] == ' ')
			i++;
	}
	dots = text_find(line + i, len - i, "... ");
	if (dots == NULL) {
		if (len >= 3 && text_find(line + i, len - i, "...") ==
		    line + len - 3)
			dots = line + len - 3;
		else
			return false;
	}
	*who = line + i;
	*who_len = (size_t)(dots - (line + i));
	*text = dots + 3;
	*text_len = len - (size_t)(*text - line);
	text_trim(text, text_len);
	return true;
}

static void
sm_add(const struct recog_ctx *ctx, struct bounce_result *res,
       struct sm_state *st, const char *addr, size_t addr_len, int code,
       const char *text, size_t text_len)
{
	char diag[BM_DIAG_MAX];
	struct bounce_rcpt *r;
	enum bm_reason hint;

	r = common_rcpt(res, ctx->lim, addr, addr_len);
	if (r == NULL)
		return;
	hint = common_reason(sm_reasons, text, text_len);
	text_collapse(text, text_len, diag, sizeof(diag));
	if (st->pending[0] != '\0') {
		size_t n = strlen(diag);

		if (n > 0 && n + 2 < sizeof(diag))
			memcpy(diag + n, ": ", 3);
		sm_append(diag, sizeof(diag), st->pending, strlen(st->pending));
		st->pending[0] = '\0';
	}
	common_fill(r, diag, strlen(diag),
	            code >= 500 ? "failed" : code >= 400 ? "delayed" : NULL);
	if (r->replycode == 0 && code >= 400)
		r->replycode = code;
	if (r->remote_mta[0] == '\0' && st->rhost[0] != '\0')
		memcpy(r->remote_mta, st->rhost, strlen(st->rhost) + 1);
	if (r->reason_hint == BM_REASON_UNDEFINED)
		r->reason_hint = hint;
}

#define SM_TALKING "while talking to "
#define SM_TALKING_AT 8   /* farthest start of SM_TALKING on the line */

/* "... while talking to mx.example.org.:" / "While talking to mx:" */
static bool
sm_talking(const char *line, size_t len, struct sm_state *st)
{
	/* the first occurrence counts only if it starts by SM_TALKING_AT,
	 * so no farther than that need be searched */
	size_t win = SM_TALKING_AT + strlen(SM_TALKING);
	const char *p = text_find(line, len < win ? len : win, SM_TALKING);
	size_t at, n = 0;

	if (p == NULL || p - line > SM_TALKING_AT)
		return false;
	at = (size_t)(p - line) + strlen(SM_TALKING);
	/* the host name ends at ':', white space or any control character */
	while (at + n < len && line[at + n] != ':' &&
	       (unsigned char)line[at + n] > ' ' && line[at + n] != 0x7f)
		n++;
	while (n > 0 && line[at + n - 1] == '.')
		n--;
	st->rhost[0] = '\0';
	if (n > 0 && n < sizeof(st->rhost))
		text_lower_copy(line + at, n, st->rhost, sizeof(st->rhost));
	st->pending[0] = '\0';
	return true;
}

static void
sm_transcript_scan(const struct recog_ctx *ctx, struct bounce_result *res,
                   const char *s, size_t len, struct sm_state *st)
{
	size_t pos = 0;
	const char *line;
	size_t line_len;

	while (text_next_line(s, len, &pos, &line, &line_len)) {
		const char *who, *text;
		size_t who_len, text_len;
		int code = 0;
		char addr[BM_ADDR_MAX];

		text_trim(&line, &line_len);
		if (line_len == 0 || sm_talking(line, line_len, st))
			continue;
		if (text_starts(line, line_len, ">>>"))
			continue;
		if (text_starts(line, line_len, "<<<")) {
			sm_append(st->pending, sizeof(st->pending), line + 3,
			          line_len - 3);
			continue;
		}
		if (!sm_verdict(line, line_len, &code, &who, &who_len, &text,
		                &text_len)) {
			/* a local delivery agent's or the queue's words */
			sm_append(st->pending, sizeof(st->pending), line,
			          line_len);
			if (line_len > 4 && (line[0] == '4' || line[0] == '5') &&
			    line[3] == ' ')
				text_collapse(line, line_len, st->codeline,
				              sizeof(st->codeline));
			continue;
		}
		if (addr_normalise(who, who_len, addr, sizeof(addr), false) == 0) {
			sm_add(ctx, res, st, addr, strlen(addr), code, text,
			       text_len);
		} else if (code >= 400) {
			/* "421 example.org (smtp)... Deferred: ..." */
			text_collapse(text, text_len, st->hostdiag,
			              sizeof(st->hostdiag));
			st->hostcode = code;
		}
	}
}

/* "<a@b>" lines of the fatal-errors list, each maybe followed by an
 * indented "(reason: ...)". */
static void
sm_list_scan(const struct recog_ctx *ctx, struct bounce_result *res,
             const char *s, size_t len, const char *action)
{
	size_t pos = 0;
	const char *line;
	size_t line_len;
	struct bounce_rcpt *last = NULL;

	while (text_next_line(s, len, &pos, &line, &line_len)) {
		char addr[BM_ADDR_MAX];
		const char *p;

		text_trim(&line, &line_len);
		if (line_len == 0)
			continue;
		p = text_find(line, line_len, "(reason:");
		if (p != NULL && last != NULL) {
			size_t at = (size_t)(p - line) + strlen("(reason:");
			size_t n = line_len - at;

			while (n > 0 && line[at + n - 1] == ')')
				n--;
			common_fill(last, line + at, n, NULL);
			continue;
		}
		if (line[0] == '(')
			continue;
		if (addr_find(line, line_len, addr, sizeof(addr)) != 0)
			continue;
		last = common_rcpt(res, ctx->lim, addr, strlen(addr));
		common_fill(last, NULL, 0, action);
	}
}

/* The one address in the To of the returned message, or -1. */
static int
sm_returned_to(const struct recog_ctx *ctx, char *out, size_t outsz)
{
	size_t start, end, pos, line_len, vlen = 0;
	const char *line, *v = NULL;

	if (common_find_any(ctx->text, ctx->text_len, sm_returned, &start,
	                    &end)) {
		pos = end;
		while (text_next_line(ctx->text, ctx->text_len, &pos, &line,
		                      &line_len)) {
			if (text_starts(line, line_len, "To:")) {
				v = line + 3;
				vlen = line_len - 3;
				break;
			}
			if (pos - end > 8192)
				break;
		}
	}
	if (v == NULL && ctx->returned_to != NULL) {
		v = ctx->returned_to;
		vlen = strlen(v);
	}
	if (v == NULL || memchr(v, ',', vlen) != NULL)
		return -1;
	return addr_find(v, vlen, out, outsz);
}

static int
sm_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t start, end, stop, i, before = res->nrcpt;
	struct sm_state *st;
	bool expired;

	if (ctx->text == NULL || ctx->text_len == 0)
		return 0;
	if (!ctx->an->daemon ||
	    !analysis_has(ctx->an, ANALYSIS_TEXT, sm_banner))
		return 0;
	st = sm_state_new();
	if (st == NULL)
		return 0;

	for (i = 0; sm_lists[i].marker != NULL; i++) {
		const char *p = text_find(ctx->text, ctx->text_len,
		                          sm_lists[i].marker);

		if (p == NULL)
			continue;
		end = (size_t)(p - ctx->text) + strlen(sm_lists[i].marker);
		stop = common_until_line(ctx->text + end, ctx->text_len - end,
		                         sm_section_end);
		sm_list_scan(ctx, res, ctx->text + end, stop,
		             sm_lists[i].action);
	}
	if (common_find_any(ctx->text, ctx->text_len, sm_transcript, &start,
	                    &end)) {
		stop = common_until_line(ctx->text + end, ctx->text_len - end,
		                         sm_section_end);
		sm_transcript_scan(ctx, res, ctx->text + end, stop, st);
	}
	common_dsn_text(ctx, res);

	if (res->nrcpt == before && st->hostdiag[0] != '\0') {
		char addr[BM_ADDR_MAX];

		if (sm_returned_to(ctx, addr, sizeof(addr)) == 0) {
			struct bounce_rcpt *r = common_rcpt(res, ctx->lim, addr,
			                                    strlen(addr));

			common_fill(r, st->hostdiag, strlen(st->hostdiag),
			            st->hostcode >= 500 ? "failed" : "delayed");
			if (r != NULL && r->replycode == 0)
				r->replycode = st->hostcode;
		}
	}
	/* replies nobody claimed belong to a lone recipient */
	if (res->nrcpt == before + 1 && st->pending[0] != '\0')
		common_fill(&res->rcpt[before], st->pending,
		            strlen(st->pending), NULL);

	expired = analysis_has(ctx->an, ANALYSIS_TEXT, sm_expired) ||
	          text_find_any(ctx->subject, strlen(ctx->subject),
	                         sm_expired);
	for (i = before; i < res->nrcpt; i++) {
		struct bounce_rcpt *r = &res->rcpt[i];

		if (r->action[0] == '\0')
			common_fill(r, NULL, 0, "failed");
		if (expired && r->reason_hint == BM_REASON_UNDEFINED &&
		    (r->diagnostic[0] == '\0' ||
		     text_find(r->diagnostic, strlen(r->diagnostic),
		               "Deferred") != NULL))
			r->reason_hint = BM_REASON_EXPIRED;
	}
	free(st);
	return res->nrcpt > before;
}

/* The SMTP reply code in a record's diagnostic (0: none), read once for
 * the record (analysis.h). */
static int
sm_diag_code(struct bounce_rcpt *r)
{
	char old[BM_STATUS_MAX];
	int oldcode = 0;

	old[0] = '\0';
	(void)analysis_diag_status(r, old, sizeof(old), &oldcode);
	return oldcode;
}

/* Can sm_improve() change the record at all?  Only when its diagnostic
 * lacks a failure reply or its status is a bare X.0.0. */
static bool
sm_improvable(struct bounce_rcpt *r)
{
	return sm_diag_code(r) < 400 || strcmp(r->status + 1, ".0.0") == 0;
}

/* A DSN record whose diagnostic carries no SMTP failure reply ("X-Unix;
 * 255": a program's exit status) takes the transcript's verdict; a
 * generic X.0.0 status takes the transcript's more specific one of the
 * same class. */
static void
sm_improve(struct bounce_rcpt *r, const char *diag)
{
	char st[BM_STATUS_MAX];
	int code = 0;

	st[0] = '\0';
	if (!status_find(diag, strlen(diag), st, sizeof(st), &code) ||
	    code < 400)
		return;
	if (sm_diag_code(r) < 400) {
		result_set_str(r->diagnostic, sizeof(r->diagnostic), diag,
		               strlen(diag));
		analysis_diag_forget(r);
		r->replycode = code;
	}
	if (st[0] != '\0' && status_class(st) == status_class(r->status) &&
	    strcmp(r->status + 1, ".0.0") == 0 && strcmp(st + 1, ".0.0") != 0)
		memcpy(r->status, st, strlen(st) + 1);
}

static void
sm_enrich(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t start, end, stop, i;
	struct sm_state *st;
	struct bounce_result tmp;

	if (res->nrcpt == 0 || ctx->text == NULL || !ctx->an->daemon)
		return;
	/* the transcript is read only if it can improve a record (asked
	 * first: a look at the records costs less than the text search) */
	for (i = 0; i < res->nrcpt && !sm_improvable(&res->rcpt[i]); i++)
		;
	if (i == res->nrcpt ||
	    !common_find_any(ctx->text, ctx->text_len, sm_transcript, &start,
	                     &end))
		return;
	st = sm_state_new();
	if (st == NULL)
		return;
	memset(&tmp, 0, sizeof(tmp));
	stop = common_until_line(ctx->text + end, ctx->text_len - end,
	                         sm_section_end);
	sm_transcript_scan(ctx, &tmp, ctx->text + end, stop, st);
	for (i = 0; i < res->nrcpt; i++) {
		struct bounce_rcpt *r = &res->rcpt[i];
		const struct bounce_rcpt *t = result_find_rcpt(&tmp, r->recipient);

		if (t != NULL && t->diagnostic[0] != '\0')
			sm_improve(r, t->diagnostic);
		else if (res->nrcpt == 1 && tmp.nrcpt == 0 &&
		         st->codeline[0] != '\0')
			sm_improve(r, st->codeline);
	}
	bounce_result_free(&tmp);
	free(st);
}

const struct recog recog_sendmail = {
	.name = "sendmail",
	.match = sm_match,
	.enrich = sm_enrich,
};
