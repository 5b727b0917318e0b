/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bounce.c - the facade: one message in, a classified result out.
 *
 * Pipeline (first step that applies wins):
 *   1. a multipart/report whose report-type is neither delivery-status nor
 *      feedback-report (MDN, TLS report, ...) is not a bounce;
 *   2. ARF (RFC 5965): kind feedback;
 *   3. a delivery-status part (RFC 3464 / 6533): kind dsn, then the
 *      recognisers' enrich hooks fill gaps from the text;
 *   4. the non-standard recognisers (recog.h): kind nonstandard;
 *   5. RFC 3834 auto-replies and vacation notices: kind auto-reply;
 *   6. otherwise not-bounce.
 * Report parts and notification text inside a returned or forwarded
 * message (anything under a message/ part) are not used, so a bounce
 * forwarded inside a human message is not taken for one; the exception is
 * a notice from a mailer daemon that wraps the bounce it received.  Then
 * every failed record is classified and the worst class is kept.  A report
 * with failures keeps only its failed and delayed recipients; a success-only
 * report keeps its records with reason delivered and class none.  Between
 * reading the records and classifying them, amend.h's steps put the
 * address the sender used first, convert diagnostics in other charsets and
 * mark delay warnings; a recogniser's record that names the bounce's own
 * addressee or the returned message's sender is corrected here.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify/addr.h"
#include "classify/amend.h"
#include "classify/analysis.h"
#include "classify/arf.h"
#include "classify/bounce.h"
#include "classify/classify.h"
#include "classify/dsn.h"
#include "classify/mdnfail.h"
#include "classify/notice_text.h"
#include "mime/charset.h"
#include "mime/hdr.h"
#include "mime/mime.h"
#include "mime/mime_date.h"
#include "classify/recog.h"
#include "classify/recognisers/registry.h"
#include "classify/result.h"
#include "classify/smtpcmd.h"
#include "util/text.h"

#define BOUNCE_HDR_MAX 1024

/* Subject prefixes of a message a human forwarded or answered: lower-case
 * ASCII letters ending in ':', the ':' at most BOUNCE_FWD_MAX - 1 bytes in. */
#define BOUNCE_FWD_MAX 8
static const char *const forward_prefixes[] = {
	"fwd:", "fw:", "re:", "aw:", "wg:", "tr:", "rv:", "sv:", "vs:",
	"antw:", "doorst:", "rif:", "enc:", "i:", NULL,
};

/* RFC 3834 and the de-facto vacation signals.  `value` NULL: the field's
 * presence is enough; else a case-insensitive substring of its value. */
static const struct {
	const char *field;
	const char *value;
} autoreply_headers[] = {
	{ "Auto-Submitted", "auto-replied" },
	{ "X-Autoreply", NULL },
	{ "X-Autorespond", NULL },
	{ "X-Autoresponder", NULL },
	{ "X-Apple-Action", "vacation" },
	{ "Precedence", "auto_reply" },
	{ "X-Precedence", "auto_reply" },
	{ "X-Vacation", NULL },
	{ NULL, NULL },
};

/* Subjects of vacation / out-of-office notices (prefix match). */
static const char *const autoreply_subjects[] = {
	"auto reply", "auto-reply", "autoreply", "automatic reply",
	"auto response", "autoresponse", "auto-response", "out of office",
	"out of the office", "abwesenheitsnotiz", "automatische antwort",
	"r\xc3\xa9ponse automatique", "risposta automatica",
	"respuesta autom\xc3\xa1tica", NULL,
};

/* First part of one of `types` outside any returned message; -1 if none. */
static int
bounce_find_part(const struct mime_msg *m, const char *const *types)
{
	size_t i, n = mime_nparts(m);
	size_t t;

	for (i = 0; i < n; i++) {
		const struct mime_part *p = mime_get_part(m, i);

		if (p == NULL)
			continue;
		/* the first two bytes tell "multipart/" from "message/" and
		 * "text/" without a call (no type is empty, so equal first
		 * bytes are no NUL and both strings have a second byte) */
		for (t = 0; types[t] != NULL; t++)
			if (p->type[0] == types[t][0] && p->type[1] == types[t][1] &&
			    strcmp(p->type, types[t]) == 0 && !mime_in_message(m, i))
				return (int)i;
	}
	return -1;
}

static void
bounce_header(const struct mime_msg *m, size_t part, const char *name,
              char *out, size_t outsz)
{
	size_t vlen;
	const char *v = mime_header(m, part, name, &vlen);

	out[0] = '\0';
	if (v != NULL)
		hdr_decode(v, vlen, out, outsz);
}

/* One header field to copy out of the returned message. */
struct bounce_field {
	const char *name;
	char *out;
	size_t outsz;
};

/* Header fields of the returned message (the message/rfc822 child, or the
 * fields of a text/rfc822-headers part, parsed once for all of them);
 * each out is "" when the field is absent. */
static void
bounce_returned_fields(struct mime_msg *m, int returned,
                       const struct bounce_limits *lim,
                       const struct bounce_field *f, size_t nf)
{
	const struct mime_part *p;
	size_t i, k, n = mime_nparts(m);

	for (k = 0; k < nf; k++)
		f[k].out[0] = '\0';
	if (returned < 0 || (p = mime_get_part(m, (size_t)returned)) == NULL)
		return;
	if (strncmp(p->type, "message/", 8) == 0) {
		for (i = (size_t)returned + 1; i < n; i++) {
			const struct mime_part *c = mime_get_part(m, i);

			if (c != NULL && c->parent == returned) {
				for (k = 0; k < nf; k++)
					bounce_header(m, i, f[k].name, f[k].out, f[k].outsz);
				return;
			}
		}
		return;
	} else {
		const char *body;
		size_t blen;
		struct mime_msg *sub;

		if (mime_body_decoded(m, (size_t)returned, &body, &blen) != 0)
			return;
		sub = mime_parse(body, blen, lim);
		if (sub == NULL)
			return;
		for (k = 0; k < nf; k++)
			bounce_header(sub, 0, f[k].name, f[k].out, f[k].outsz);
		mime_free(sub);
	}
}

/* A Message-ID value without its angle brackets and comments: the text
 * inside the first <...>, else the first word. */
static void
bounce_msgid(const char *v, char *out, size_t outsz)
{
	const char *lt = strchr(v, '<'), *gt = lt != NULL ? strchr(lt, '>') : NULL;
	size_t n;

	if (lt != NULL && gt != NULL) {
		v = lt + 1;
		n = (size_t)(gt - v);
	} else {
		v += strspn(v, " \t");
		n = strcspn(v, " \t(");
	}
	if (n >= outsz)
		n = 0;          /* cut short it would name another message */
	memcpy(out, v, n);
	out[n] = '\0';
}

/* A text bounce that quotes the returned message inline: its first line
 * that starts with "Message-ID:" (any case) names the returned message;
 * the bounce's own Message-ID is a header, never in the text. */
static void
bounce_text_msgid(const char *text, size_t len, char *out, size_t outsz)
{
	char line[BOUNCE_HDR_MAX];
	const char *l;
	size_t pos = 0, ll;

	while (text_next_line(text, len, &pos, &l, &ll)) {
		if (ll <= 11 || !text_starts(l, ll, "message-id:"))
			continue;
		if (ll - 11 >= sizeof(line))
			return;
		memcpy(line, l + 11, ll - 11);
		line[ll - 11] = '\0';
		bounce_msgid(line, out, outsz);
		return;
	}
}

/* The result's date and returned-message fields (record.h). */
static void
bounce_fill_about(struct mime_msg *m, const struct recog_ctx *ctx,
                  const char *msgid, struct bounce_result *out)
{
	const char *date;
	size_t dlen;
	int64_t epoch;
	int off;

	/* read as it stands: a date has no encoded words, and the parser
	 * skips folding white space */
	date = mime_header(m, 0, "Date", &dlen);
	if (date != NULL && mime_date_parse(date, dlen, &epoch, &off) == 0) {
		out->has_date = true;
		out->timestamp = epoch;
		out->tz_offset = off;
	}
	if (out->kind == BOUNCE_KIND_NOT_BOUNCE) {
		/* an ordinary message that carries one is not about it */
		out->orig_from[0] = '\0';
		out->orig_subject[0] = '\0';
		out->orig_list_id[0] = '\0';
		return;
	}
	if (msgid[0] != '\0')
		bounce_msgid(msgid, out->message_id, sizeof(out->message_id));
	else if (ctx->returned_part < 0 && ctx->text != NULL)
		bounce_text_msgid(ctx->text, ctx->text_len, out->message_id,
		                  sizeof(out->message_id));
	if (out->orig_from[0] == '\0') /* a bounce goes back to its sender */
		bounce_header(m, 0, "To", out->orig_from, sizeof(out->orig_from));
}

static bool
bounce_is_forward(const char *subject)
{
	size_t i, n;

	for (;;) {
		while (*subject == ' ' || *subject == '\t')
			subject++;
		/* a list tag "[name]" may come first */
		if (*subject != '[' || strchr(subject, ']') == NULL)
			break;
		subject = strchr(subject, ']') + 1;
	}
	/* every prefix is ASCII letters and one ':' at its end, so only a
	 * prefix as long as the subject's first word up to ':' can match */
	for (n = 0; n < BOUNCE_FWD_MAX && subject[n] != '\0' && subject[n] != ':'; n++)
		;
	if (n == BOUNCE_FWD_MAX || subject[n] != ':')
		return false;
	for (i = 0; forward_prefixes[i] != NULL; i++) {
		const char *p = forward_prefixes[i];
		size_t k;

		for (k = 0; k < n; k++)
			if (p[k] == ':' || p[k] == '\0' ||
			    (unsigned char)(subject[k] | 0x20) != (unsigned char)p[k])
				break;
		if (k == n && p[n] == ':')
			return true;
	}
	return false;
}

static bool
bounce_is_autoreply(const struct mime_msg *m, const char *subject)
{
	char val[BOUNCE_HDR_MAX];
	size_t i, vlen;
	const char *v;

	for (i = 0; autoreply_headers[i].field != NULL; i++) {
		v = mime_header(m, 0, autoreply_headers[i].field, &vlen);
		if (v == NULL)
			continue;
		hdr_decode(v, vlen, val, sizeof(val));
		if (autoreply_headers[i].value != NULL) {
			if (text_find(val, strlen(val), autoreply_headers[i].value) != NULL)
				return true;
		} else if (strcasecmp(val, "no") != 0 && strcasecmp(val, "false") != 0 &&
		           strcmp(val, "0") != 0) {
			return true;     /* the field alone says it, unless it denies */
		}
	}
	while (*subject == ' ' || *subject == '\t')
		subject++;
	for (i = 0; autoreply_subjects[i] != NULL; i++)
		if (text_starts(subject, strlen(subject), autoreply_subjects[i]))
			return true;
	return false;
}

/* Keep only failure records when the report has any; true if it has. */
static bool
bounce_drop_successes(struct bounce_result *res)
{
	size_t i, o = 0;
	bool failure = false;

	for (i = 0; i < res->nrcpt; i++)
		if (!result_action_is_success(res->rcpt[i].action))
			failure = true;
	if (!failure)
		return false;
	for (i = 0; i < res->nrcpt; i++) {
		if (result_action_is_success(res->rcpt[i].action))
			continue;
		if (o != i)
			res->rcpt[o] = res->rcpt[i];
		o++;
	}
	res->nrcpt = o;
	return true;
}

/* A failed recipient is never the bounce's own addressee nor the sender
 * of the returned message, unless that message was sent to that address
 * (a test message to oneself): when the returned message's To: names
 * someone else, a recogniser that took one of those read the wrong line.
 * With one record, that To: is the recipient it meant; with more, the
 * address is dropped (the record stays, with no address, so nothing is
 * suppressed).  Without a returned To: nothing says it was wrong. */
static void
bounce_not_self(struct bounce_result *res, struct mime_msg *m,
                const struct recog_ctx *ctx, const char *rfrom)
{
	char self[2][BM_ADDR_MAX], rto[BM_ADDR_MAX], hdr[BOUNCE_HDR_MAX];
	size_t i, k;
	bool looked = false;

	if (res->kind != BOUNCE_KIND_NONSTANDARD || ctx->returned_to[0] == '\0' ||
	    addr_find(ctx->returned_to, strlen(ctx->returned_to), rto, sizeof(rto)) != 0)
		return;
	for (i = 0; i < res->nrcpt; i++) {
		struct bounce_rcpt *r = &res->rcpt[i];

		if (r->recipient[0] == '\0' || strcasecmp(r->recipient, rto) == 0)
			continue;
		if (!looked) {  /* the headers only when a record may need them */
			looked = true;
			bounce_header(m, 0, "To", hdr, sizeof(hdr));
			if (addr_find(hdr, strlen(hdr), self[0], sizeof(self[0])) != 0)
				self[0][0] = '\0';
			if (addr_find(rfrom, strlen(rfrom), self[1], sizeof(self[1])) != 0)
				self[1][0] = '\0';
		}
		for (k = 0; k < 2; k++) {
			if (self[k][0] == '\0' || strcasecmp(r->recipient, self[k]) != 0 ||
			    strcasecmp(rto, self[k]) == 0)
				continue;
			if (res->nrcpt == 1)
				memcpy(r->recipient, rto, sizeof(r->recipient));
			else
				r->recipient[0] = '\0';
			break;
		}
	}
}

static void
bounce_classify_all(struct bounce_result *res)
{
	size_t i;

	res->cls = BM_CLASS_NONE;
	result_scrub(res);
	for (i = 0; i < res->nrcpt; i++) {
		struct bounce_rcpt *r = &res->rcpt[i];

		if (res->kind == BOUNCE_KIND_FEEDBACK) {
			r->reason = BM_REASON_FEEDBACK;
			r->cls = BM_CLASS_FEEDBACK;
		} else if (res->kind == BOUNCE_KIND_AUTO_REPLY) {
			r->reason = BM_REASON_VACATION;
			r->cls = BM_CLASS_AUTO_REPLY;
		} else if (result_action_is_success(r->action)) {
			r->reason = BM_REASON_DELIVERED;
			r->cls = BM_CLASS_NONE;
		} else {
			if (r->action[0] == '\0')
				snprintf(r->action, sizeof(r->action), "failed");
			classify_rcpt(r);
			/* a recogniser's status was read from the notice text */
			if (res->kind == BOUNCE_KIND_NONSTANDARD &&
			    r->ev.status_src == BM_STATUS_SRC_FIELD)
				r->ev.status_src = BM_STATUS_SRC_TEXT;
		}
		res->cls = bm_class_worse(res->cls, r->cls);
	}
	if (res->kind == BOUNCE_KIND_FEEDBACK)
		res->cls = bm_class_worse(res->cls, BM_CLASS_FEEDBACK);
	else if (res->kind == BOUNCE_KIND_AUTO_REPLY)
		res->cls = bm_class_worse(res->cls, BM_CLASS_AUTO_REPLY);
}

/* Records whose SMTP command is looked for in the notification text (each
 * look reads up to 64 KiB of it); the rest use their diagnostic only. */
#define BOUNCE_CMD_TEXT_MAX 64

/* The SMTP command each failed record answered: what its diagnostic says,
 * else what the notification text says near its address. */
static void
bounce_commands(struct bounce_result *res, const struct recog_ctx *ctx)
{
	size_t i, looked = 0;

	if (res->kind != BOUNCE_KIND_DSN && res->kind != BOUNCE_KIND_NONSTANDARD)
		return;
	for (i = 0; i < res->nrcpt; i++) {
		struct bounce_rcpt *r = &res->rcpt[i];

		if (r->smtp_command[0] != '\0' || result_action_is_success(r->action))
			continue;
		if (smtpcmd_store(r->smtp_command, sizeof(r->smtp_command),
		                  analysis_diag_command(r)))
			continue;
		if (r->recipient[0] != '\0' && ctx->text != NULL &&
		    looked++ < BOUNCE_CMD_TEXT_MAX)
			(void)smtpcmd_store(r->smtp_command, sizeof(r->smtp_command),
			                    smtpcmd_find_for(ctx->text, ctx->text_len,
			                                     r->recipient));
	}
}

/* Give a DSN record without a recipient the returned message's To:, when
 * the report has exactly one record. */
static void
bounce_fill_recipient(struct bounce_result *res, const char *to)
{
	if (res->nrcpt != 1 || res->rcpt[0].recipient[0] != '\0' || to[0] == '\0')
		return;
	if (addr_find(to, strlen(to), res->rcpt[0].recipient,
	              sizeof(res->rcpt[0].recipient)) != 0)
		res->rcpt[0].recipient[0] = '\0';
}

static const char *const dsn_types[] = {
	"message/delivery-status", "message/global-delivery-status", NULL,
};
static const char *const arf_types[] = { "message/feedback-report", NULL };
static const char *const returned_types[] = {
	"message/rfc822", "message/global", "text/rfc822-headers",
	"message/global-headers", NULL,
};

/* Steps 1-6 of the pipeline on a parsed message. */
static void
bounce_pipeline(struct mime_msg *m, const struct recog_ctx *ctx,
                const struct bounce_limits *lim, struct bounce_result *out)
{
	const struct mime_part *top = mime_get_part(m, 0);
	const char *body;
	size_t blen;
	int part;

	if (top == NULL)
		return;
	/* a store's refusal (a mailbox over quota) reported as a disposition
	 * notification; a read receipt gives no record and is no bounce */
	if (strcmp(top->type, "multipart/report") == 0 &&
	    strcmp(top->report_type, "disposition-notification") == 0) {
		part = mime_find_type(m, "message/disposition-notification", 0);
		if (part >= 0 &&
		    mime_body_decoded(m, (size_t)part, &body, &blen) == 0 &&
		    mdnfail_parse(body, blen, lim, out) > 0) {
			out->kind = BOUNCE_KIND_DSN;
			snprintf(out->recogniser, sizeof(out->recogniser), "rfc3798");
		}
		return;
	}
	if (strcmp(top->type, "multipart/report") == 0 &&
	    top->report_type[0] != '\0' &&
	    strcmp(top->report_type, "delivery-status") != 0 &&
	    strcmp(top->report_type, "global-delivery-status") != 0 &&
	    strcmp(top->report_type, "feedback-report") != 0)
		return;

	part = bounce_find_part(m, arf_types);
	if (part >= 0 || (strcmp(top->type, "multipart/report") == 0 &&
	                  strcmp(top->report_type, "feedback-report") == 0)) {
		body = NULL;
		blen = 0;
		if (part >= 0 && mime_body_decoded(m, (size_t)part, &body, &blen) != 0)
			body = NULL;
		out->kind = BOUNCE_KIND_FEEDBACK;
		snprintf(out->recogniser, sizeof(out->recogniser), "arf");
		arf_parse(body, blen, ctx->returned_to, lim, out);
		return;
	}

	part = bounce_find_part(m, dsn_types);
	/* a mailer daemon that wraps the bounce it got in its own notice */
	if (part < 0 && (ctx->an->signal & ANALYSIS_SIGNAL_FROM) &&
	    !bounce_is_forward(ctx->subject))
		part = mime_find_type(m, dsn_types[0], 0);
	if (part >= 0 && mime_body_decoded(m, (size_t)part, &body, &blen) == 0 &&
	    dsn_parse(body, blen, lim, out) > 0) {
		const struct mime_part *p = mime_get_part(m, (size_t)part);

		out->kind = BOUNCE_KIND_DSN;
		snprintf(out->recogniser, sizeof(out->recogniser), "%s",
		         p != NULL && strstr(p->type, "global") ? "rfc6533" : "rfc3464");
		bounce_drop_successes(out);
		bounce_fill_recipient(out, ctx->returned_to);
		registry_enrich(ctx, out);
		return;
	}
	out->nrcpt = 0;

	/* "Fwd:"/"Re:" from a person: a bounce shown to someone, not one */
	if (bounce_is_forward(ctx->subject) &&
	    !(ctx->an->signal & ANALYSIS_SIGNAL_FROM))
		return;
	if (registry_run(ctx, out)) {
		out->kind = BOUNCE_KIND_NONSTANDARD;
		bounce_drop_successes(out);
		return;
	}
	out->nrcpt = 0;
	out->recogniser[0] = '\0';

	/* a mailer daemon's notice that no recogniser could read is not a
	 * vacation message, whatever its Auto-Submitted says */
	if (ctx->an->signal == 0 && bounce_is_autoreply(m, ctx->subject)) {
		struct bounce_rcpt *r = result_add_rcpt(out, lim);

		out->kind = BOUNCE_KIND_AUTO_REPLY;
		snprintf(out->recogniser, sizeof(out->recogniser), "rfc3834");
		if (r != NULL && addr_find(ctx->from, strlen(ctx->from), r->recipient,
		                           sizeof(r->recipient)) != 0)
			r->recipient[0] = '\0';
	}
}

int
bounce_parse(const char *data, size_t len, const struct bounce_limits *lim,
             struct bounce_result *out)
{
	struct bounce_limits def;
	struct mime_msg *m;
	struct recog_ctx ctx;
	struct analysis an;
	char from[BOUNCE_HDR_MAX], subject[BOUNCE_HDR_MAX], to[BOUNCE_HDR_MAX];
	char rmsgid[BOUNCE_HDR_MAX];
	char *owned = NULL;
	const char *charset = "";

	memset(out, 0, sizeof(*out));
	if (lim == NULL) {
		bounce_limits_default(&def);
		lim = &def;
	}
	if (data == NULL)
		len = 0;
	if (len > lim->max_bytes) {
		len = lim->max_bytes;
		out->truncated = true;
	}
	m = mime_parse(data != NULL ? data : "", len, lim);
	if (m == NULL)
		return -1;
	if (mime_truncated(m))
		out->truncated = true;

	memset(&ctx, 0, sizeof(ctx));
	ctx.msg = m;
	ctx.lim = lim;
	bounce_header(m, 0, "From", from, sizeof(from));
	bounce_header(m, 0, "Subject", subject, sizeof(subject));
	ctx.from = from;
	ctx.subject = subject;
	notice_text_find(m, &ctx.text, &ctx.text_len, &owned, &charset);
	ctx.returned_part = bounce_find_part(m, returned_types);
	{
		const struct bounce_field fields[] = {
			{ "To", to, sizeof(to) },
			{ "Message-ID", rmsgid, sizeof(rmsgid) },
			{ "From", out->orig_from, sizeof(out->orig_from) },
			{ "Subject", out->orig_subject, sizeof(out->orig_subject) },
			{ "List-Id", out->orig_list_id, sizeof(out->orig_list_id) },
		};

		bounce_returned_fields(m, ctx.returned_part, lim, fields,
		                       sizeof(fields) / sizeof(fields[0]));
	}
	ctx.returned_to = to;
	/* what every reader asks of From, Subject and the text, found once */
	analysis_init(&an, from, subject, ctx.text, ctx.text_len);
	ctx.an = &an;
	/* a report's records come from its delivery-status or feedback
	 * part, and amend.c converts what they take from the text; only a
	 * notice read from its text alone needs the text in UTF-8, and only
	 * one that says it is a bounce or returns a message can be one
	 * (ordinary mail is not converted); the analysis has not read the
	 * text yet (analysis_init() reads From and Subject only) */
	if ((an.signal != 0 || ctx.returned_part >= 0) &&
	    mime_get_part(m, 0) != NULL &&
	    strcmp(mime_get_part(m, 0)->type, "multipart/report") != 0) {
		notice_text_to_utf8(&ctx.text, &ctx.text_len, &owned, &charset);
		an.field[ANALYSIS_TEXT] = ctx.text;
		an.len[ANALYSIS_TEXT] = ctx.text_len;
	}

	bounce_pipeline(m, &ctx, lim, out);
	if (out->kind == BOUNCE_KIND_NOT_BOUNCE) {
		out->nrcpt = 0;
		out->recogniser[0] = '\0';
	}
	bounce_commands(out, &ctx);
	amend_prefer_original(out, &ctx);
	bounce_not_self(out, m, &ctx, out->orig_from);
	amend_to_utf8(out, charset);
	amend_delay_notice(out, subject);
	bounce_fill_about(m, &ctx, rmsgid, out);
	bounce_classify_all(out);
	amend_notice_evidence(out, &ctx, charset);

	free(owned);
	mime_free(m);
	return 0;
}
