/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * generic.c - fall-back recogniser for bounces no specific family claims.
 *
 * Conservative by design: the message must announce itself as a bounce in
 * From (MAILER-DAEMON, postmaster, Mail Delivery System, ...) or Subject
 * ("Undelivered Mail Returned to Sender", "failure notice", ...), see
 * the analysis' signal (analysis.h); without it nothing matches.  When both
 * signals are there but no error line names a recipient, one record for
 * the returned message's To: is reported with the notice as diagnostic
 * (usually class undetermined: a bounce whose cause could not be read).  Then the notification text is read line by
 * line up to the start of the returned message: an "error line" carries an
 * SMTP reply code, an RFC 3463 code or a known failure phrase; its
 * recipient is an address on that line or on one of the few lines just
 * before it.  The diagnostic is the error line plus its indented
 * continuation lines.  The same scan fills gaps in DSN records (enrich).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "classify/addr.h"
#include "classify/analysis.h"
#include "classify/record.h"
#include "classify/dsn.h"
#include "classify/phrases.h"
#include "mime/hdr.h"
#include "mime/mime.h"
#include "classify/reason.h"
#include "classify/recog.h"
#include "classify/result.h"
#include "classify/status.h"
#include "util/text.h"

#define GENERIC_WINDOW 6        /* lines an address stays "just before" */
#define GENERIC_MAX_LINES 4000  /* lines of notification text looked at */

/* Start of the returned message: stop reading there.  Compared after
 * leading dashes, '=', '*' and blanks are skipped ("------ This is a copy
 * of the message" and "--- Below this line is a copy of the message"). */
static const char *const generic_stop[] = {
	"this is a copy of the message",
	"below this line is a copy of the message",
	"original message follows",
	"the header of the original message",
	"original message -",
	"original message:",
	"original message ----",
	"returned message -",
	"unsent message below",
	"unsent message follows",
	"the message was:",
	"content-type: message/rfc822",
	"content-type: text/rfc822-headers",
	"received: from",
	"return-path:",
	NULL,
};

/* Words of generic_stop long enough for the analysis' one scan of the
 * text (analysis.h): the cheap first test of a returned message quoted
 * in the text, before generic_has_stop() looks at line starts. */
static const char *const generic_stop_gate[] = {
	"this is a copy of the message", "original message", "returned message",
	"unsent message", "the message was:", "content-type: message/rfc822",
	"content-type: text/rfc822-headers", "received: from",
	NULL,
};

/* Sentences with which a notice says it reports failed deliveries; with
 * one of them, failure phrases without a code count as error lines. */
static const char *const generic_notice[] = {
	"did not reach the following recipient",
	"could not be delivered to",
	"could not deliver the message",
	"was not delivered to",
	"delivery to the following recipient",
	"following addresses had permanent fatal errors",
	"following recipients could not be reached",
	"following address(es) failed",
	"following recipient(s) could not be reached",
	"delivery has failed to these recipients",
	"message could not be delivered",
	"undeliverable to the following",
	"permanent error",
	"failed permanently",
	"i'm afraid i wasn't able to deliver",
	/* Gmail's and Yahoo's published notices */
	"wasn't delivered to", "unable to deliver your message to",
	NULL,
};

/* Header-like lines whose addresses are not recipients. */
static const char *const generic_skip_fields[] = {
	"from:", "to:", "cc:", "reply-to:", "sender:", "return-path:",
	"message-id:", "in-reply-to:", "references:", "received:",
	"envelope-from:", "x-", "subject:", "date:", "reporting-mta:",
	NULL,
};

/* Does the trimmed span start with a prefix of tab?  (text_starts()
 * says no at the first byte that differs: most lines match none.) */
static bool
generic_starts_any(const char *s, size_t len, const char *const *tab)
{
	size_t i;

	text_trim(&s, &len);
	if (len == 0)
		return false;
	for (i = 0; tab[i] != NULL; i++)
		if (text_starts(s, len, tab[i]))
			return true;
	return false;
}

static bool
generic_is_stop(const char *s, size_t len)
{
	while (len > 0 && (*s == '-' || *s == '=' || *s == '*' || *s == ' ' ||
	                   *s == '\t')) {
		s++;
		len--;
	}
	if (len == 0)
		return false;
	/* "-----Original Message-----" after the skip: "original message-----" */
	if (text_starts(s, len, "original message") && len >= 17 &&
	    (s[16] == '-' || s[16] == ' ' || s[16] == ':'))
		return true;
	return generic_starts_any(s, len, generic_stop);
}

/* Is this line an SMTP error report?  Fills status and reply code.  With
 * `phrases` false only a status or reply code counts, not a failure phrase
 * alone. */
static bool
generic_error_line(const char *line, size_t len, char *status, size_t statussz,
                   int *replycode, bool phrases)
{
	char c;

	status[0] = '\0';
	*replycode = 0;
	if (status_find(line, len, status, statussz, replycode)) {
		c = status_class(status);
		if (!status_valid(status) || (c != '4' && c != '5'))
			status[0] = '\0';
		if (*replycode < 400 || !status_replycode_valid(*replycode))
			*replycode = 0;
		if (status[0] != '\0' || *replycode != 0)
			return true;
	}
	return phrases && reason_from_text(line, len) != BM_REASON_UNDEFINED;
}

/* addr_find() on a line; a line without '@' names no address. */
static bool
generic_line_addr(const char *line, size_t len, char *addr, size_t addrsz)
{
	return memchr(line, '@', len) != NULL &&
	       addr_find(line, len, addr, addrsz) == 0;
}

#define GENERIC_LIST_MAX 16      /* addresses of one list kept */

/* A list of addresses at the start of a line ("a@b, c@d", "<a@b> <c@d>",
 * "a@b; c@d: 550 ..."): the addresses up to the end of the line or to a
 * token that ends in ':'.  Returns how many (at most max) when every
 * token before that is an address, else 0; *rest is where the line goes
 * on after the list (its error text, if any). */
static size_t
generic_addr_list(const char *line, size_t len, char (*out)[BM_ADDR_MAX],
                  size_t max, size_t *rest)
{
	size_t i = 0, n = 0;

	*rest = len;
	while (i < len) {
		size_t start, tl;
		bool last = false;

		while (i < len && (line[i] == ' ' || line[i] == '\t' ||
		                   line[i] == ',' || line[i] == ';'))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && line[i] != ' ' && line[i] != '\t' &&
		       line[i] != ',' && line[i] != ';')
			i++;
		tl = i - start;
		if (line[start + tl - 1] == ':') {
			tl--;
			last = true;
		}
		if (tl == 0 || memchr(line + start, '@', tl) == NULL ||
		    addr_normalise(line + start, tl, out[n < max ? n : max - 1],
		                   BM_ADDR_MAX, false) != 0)
			return 0;
		if (n < max)
			n++;
		if (last) {
			*rest = i;
			break;
		}
	}
	return n;
}

/* Addresses of the bounce's own From and To (the original sender), read
 * when the first address of the text is to be compared with them. */
struct generic_own {
	bool read;
	char from[BM_ADDR_MAX];
	char to[BM_ADDR_MAX];
};

static void
generic_own_addrs(const struct recog_ctx *ctx, char from[BM_ADDR_MAX],
                  char to[BM_ADDR_MAX])
{
	char val[1024];
	size_t vlen;
	const char *v;

	from[0] = to[0] = '\0';
	if (addr_find(ctx->from, strlen(ctx->from), from, BM_ADDR_MAX) != 0)
		from[0] = '\0';
	if (ctx->msg != NULL &&
	    (v = mime_header(ctx->msg, 0, "To", &vlen)) != NULL) {
		hdr_decode(v, vlen, val, sizeof(val));
		if (addr_find(val, strlen(val), to, BM_ADDR_MAX) != 0)
			to[0] = '\0';
	}
}

/* Is addr the bounce's own From or To? */
static bool
generic_excluded(const struct recog_ctx *ctx, struct generic_own *own,
                 const char *addr)
{
	if (!own->read) {
		generic_own_addrs(ctx, own->from, own->to);
		own->read = true;
	}
	return (own->from[0] != '\0' && strcasecmp(addr, own->from) == 0) ||
	       (own->to[0] != '\0' && strcasecmp(addr, own->to) == 0);
}

/* The error line plus its indented continuation lines, collapsed into
 * diag; *pos and *lineno move past the continuations used. */
static void
generic_diag(const struct recog_ctx *ctx, const char *line, size_t llen,
             size_t *pos, size_t *lineno, char *diag, size_t diagsz)
{
	char scratch[BM_ADDR_MAX];
	size_t dlen, next = *pos, clen;
	const char *cline;

	dlen = text_collapse(line, llen, diag, diagsz);
	while (dlen + 2 < diagsz &&
	       text_next_line(ctx->text, ctx->text_len, &next, &cline, &clen) &&
	       clen > 0 && (cline[0] == ' ' || cline[0] == '\t')) {
		const char *t = cline;
		size_t tl = clen;

		text_trim(&t, &tl);
		/* a bare address starts the next recipient */
		if (tl == 0 ||
		    addr_normalise(t, tl, scratch, sizeof(scratch), false) == 0)
			break;
		diag[dlen++] = ' ';
		dlen += text_collapse(t, tl, diag + dlen, diagsz - dlen);
		*pos = next;
		(*lineno)++;
	}
}

/* snprintf(dst, dstsz, "%s", src) without the formatting machinery:
 * copy, cut to dstsz - 1 bytes, NUL-terminate. */
static void
generic_copy(char *dst, size_t dstsz, const char *src)
{
	size_t n = strlen(src);

	if (dstsz == 0)
		return;
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* One record for rcpt (or fill the diagnostic of the existing one). */
static int
generic_add(const struct recog_ctx *ctx, struct bounce_result *res,
            const char *rcpt, const char *diag)
{
	struct bounce_rcpt *r;

	if ((r = result_find_rcpt(res, rcpt)) != NULL) {
		if (r->diagnostic[0] == '\0') {
			generic_copy(r->diagnostic, sizeof(r->diagnostic), diag);
			analysis_diag_forget(r);
		}
		return 0;
	}
	if ((r = result_add_rcpt(res, ctx->lim)) == NULL)
		return -1;
	generic_copy(r->recipient, sizeof(r->recipient), rcpt);
	generic_copy(r->diagnostic, sizeof(r->diagnostic), diag);
	analysis_diag_forget(r);
	generic_error_line(diag, strlen(diag), r->status, sizeof(r->status),
	                   &r->replycode, false);
	generic_copy(r->action, sizeof(r->action),
	             status_class(r->status) == '4' ||
	             (r->status[0] == '\0' && r->replycode / 100 == 4) ?
	             "delayed" : "failed");
	return 0;
}

/* An SMTP transcript line naming the recipient after the error:
 * "RCPT TO: <a@b>" (with or without brackets). */
static bool
generic_rcpt_to(const char *line, size_t llen, char *addr, size_t addrsz)
{
	const char *p = text_find(line, llen, "rcpt to:");

	if (p == NULL)
		return false;
	p += 8;
	return addr_find(p, llen - (size_t)(p - line), addr, addrsz) == 0;
}

/* Has res a record with a diagnostic for every recipient of want?
 * generic_add() changes such a record no more. */
static bool
generic_has_all(struct bounce_result *res, const struct bounce_result *want)
{
	size_t i;

	for (i = 0; i < want->nrcpt; i++) {
		const struct bounce_rcpt *t =
		    result_find_rcpt(res, want->rcpt[i].recipient);

		if (t == NULL || t->diagnostic[0] == '\0')
			return false;
	}
	return true;
}

/* Scan the notification text; one record per recipient with an error.
 * `phrases`: a failure phrase without a code makes an error line too (when
 * the Subject or a DSN already says this is a bounce; a From signal alone,
 * e.g. a postmaster's notice, needs SMTP codes).  With `want` (enrich),
 * the scan ends once res has a finished record for each of want's
 * recipients: the rest of the text could add only records nobody asks
 * for. */
static void
generic_scan(const struct recog_ctx *ctx, struct bounce_result *res,
             bool phrases, const struct bounce_result *want)
{
	struct generic_own own;
	char last_addr[BM_ADDR_MAX] = "";
	char pending[BM_DIAG_MAX] = "";      /* error still without address */
	char list[GENERIC_LIST_MAX][BM_ADDR_MAX]; /* a list of addresses */
	size_t nlist = 0, list_line = 0;
	size_t last_line = 0, pending_line = 0, lineno = 0, pos = 0;
	const char *line;
	size_t llen;

	own.read = false;
	while (lineno < GENERIC_MAX_LINES &&
	       text_next_line(ctx->text, ctx->text_len, &pos, &line, &llen)) {
		char addr[BM_ADDR_MAX], status[BM_STATUS_MAX];
		char diag[BM_DIAG_MAX];
		const char *rcpt = NULL;
		const char *t = line;
		size_t tl = llen;
		int code;

		lineno++;
		if (generic_is_stop(line, llen))
			break;
		text_trim(&t, &tl);
		/* an error seen first, its recipient in a transcript line after */
		if (pending[0] != '\0' && lineno - pending_line <= 2 * GENERIC_WINDOW &&
		    generic_rcpt_to(t, tl, addr, sizeof(addr)) &&
		    !generic_excluded(ctx, &own, addr)) {
			if (generic_add(ctx, res, addr, pending) != 0 ||
			    (want != NULL && generic_has_all(res, want)))
				break;
			pending[0] = '\0';
			continue;
		}
		if (generic_starts_any(line, llen, generic_skip_fields))
			continue;
		/* several addresses at the start of the line: one failed
		 * recipient each, with the error after them or on the lines
		 * that follow */
		if (memchr(t, '@', tl) != NULL) {
			char multi[GENERIC_LIST_MAX][BM_ADDR_MAX];
			size_t rest, k, n = generic_addr_list(t, tl, multi,
			                                      GENERIC_LIST_MAX, &rest);

			if (n >= 2 && rest < tl &&
			    generic_error_line(t + rest, tl - rest, status,
			                       sizeof(status), &code, phrases)) {
				generic_diag(ctx, t + rest, tl - rest, &pos, &lineno,
				             diag, sizeof(diag));
				for (k = 0; k < n; k++)
					if (!generic_excluded(ctx, &own, multi[k]) &&
					    generic_add(ctx, res, multi[k], diag) != 0)
						return;
				nlist = 0;
				last_addr[0] = '\0';
				continue;
			}
			if (n >= 1 && rest == tl) {
				/* consecutive list lines make one list */
				if (nlist == 0 || lineno != list_line + 1)
					nlist = 0;
				for (k = 0; k < n && nlist < GENERIC_LIST_MAX; k++)
					if (!generic_excluded(ctx, &own, multi[k]))
						memcpy(list[nlist++], multi[k], BM_ADDR_MAX);
				list_line = lineno;
			}
		}
		if (generic_line_addr(line, llen, addr, sizeof(addr)) &&
		    !generic_excluded(ctx, &own, addr)) {
			rcpt = addr;
		}
		if (!generic_error_line(line, llen, status, sizeof(status), &code,
		                        phrases)) {
			if (rcpt != NULL) {
				memcpy(last_addr, addr, sizeof(last_addr));
				last_line = lineno;
			}
			continue;
		}
		if (rcpt == NULL && last_addr[0] != '\0' &&
		    lineno - last_line <= GENERIC_WINDOW)
			rcpt = last_addr;
		generic_diag(ctx, line, llen, &pos, &lineno, diag, sizeof(diag));
		/* an error after a list of several addresses: each of them */
		if (rcpt == last_addr && nlist >= 2 && list_line == last_line) {
			size_t k;

			for (k = 0; k < nlist; k++)
				if (generic_add(ctx, res, list[k], diag) != 0)
					return;
			nlist = 0;
			last_addr[0] = '\0';
			if (want != NULL && generic_has_all(res, want))
				break;
			continue;
		}
		if (rcpt == NULL) {
			if (pending[0] == '\0') {
				memcpy(pending, diag, sizeof(pending));
				pending_line = lineno;
			}
			continue;
		}
		if (generic_add(ctx, res, rcpt, diag) != 0 ||
		    (want != NULL && generic_has_all(res, want)))
			break;
		last_addr[0] = '\0';
	}
}

/* The To: of a returned message quoted inline after a stop marker. */
static void
generic_inline_to(const struct recog_ctx *ctx, char *out, size_t outsz)
{
	size_t pos = 0, lineno = 0;
	const char *line;
	size_t llen;
	bool after = false;

	out[0] = '\0';
	while (lineno++ < GENERIC_MAX_LINES &&
	       text_next_line(ctx->text, ctx->text_len, &pos, &line, &llen)) {
		if (!after) {
			after = generic_is_stop(line, llen);
			if (!after)
				continue;
		}
		if (text_starts(line, llen, "to:")) {
			if (addr_find(line + 3, llen - 3, out, outsz) != 0)
				out[0] = '\0';
			return;
		}
	}
}

/* The one address the notice names (own From/To and header lines left
 * out), or "" when it names none or several. */
static void
generic_sole_addr(const struct recog_ctx *ctx, char *out, size_t outsz)
{
	struct generic_own own;
	char addr[BM_ADDR_MAX];
	size_t pos = 0, lineno = 0;
	const char *line;
	size_t llen;

	out[0] = '\0';
	own.read = false;
	while (lineno++ < GENERIC_MAX_LINES &&
	       text_next_line(ctx->text, ctx->text_len, &pos, &line, &llen)) {
		if (generic_is_stop(line, llen))
			break;
		if (generic_starts_any(line, llen, generic_skip_fields) ||
		    !generic_line_addr(line, llen, addr, sizeof(addr)) ||
		    generic_excluded(ctx, &own, addr))
			continue;
		if (out[0] == '\0')
			snprintf(out, outsz, "%s", addr);
		else if (strcasecmp(out, addr) != 0) {
			out[0] = '\0';
			return;
		}
	}
}

/* A notice that says plainly it is a bounce (bounce sender AND bounce
 * subject) but names no recipient next to an error: one record for the
 * returned message's recipient, cause unread (classified undetermined
 * unless the text says more). */
static void
generic_unread(const struct recog_ctx *ctx, struct bounce_result *res)
{
	struct bounce_rcpt *r;
	char addr[BM_ADDR_MAX];
	size_t pos = 0, lineno = 0, dlen = 0;
	const char *line;
	size_t llen;

	addr[0] = '\0';
	if (ctx->returned_to != NULL && ctx->returned_to[0] != '\0' &&
	    addr_find(ctx->returned_to, strlen(ctx->returned_to), addr,
	              sizeof(addr)) != 0)
		addr[0] = '\0';
	if (addr[0] == '\0')
		generic_sole_addr(ctx, addr, sizeof(addr));
	if (addr[0] == '\0')
		generic_inline_to(ctx, addr, sizeof(addr));
	if ((r = result_add_rcpt(res, ctx->lim)) == NULL)
		return;
	snprintf(r->recipient, sizeof(r->recipient), "%s", addr);
	snprintf(r->action, sizeof(r->action), "failed");
	/* the notice itself, up to the returned message, is the diagnostic */
	while (lineno++ < GENERIC_MAX_LINES && dlen + 2 < sizeof(r->diagnostic) &&
	       text_next_line(ctx->text, ctx->text_len, &pos, &line, &llen)) {
		if (generic_is_stop(line, llen))
			break;
		text_trim(&line, &llen);
		if (llen == 0)
			continue;
		if (dlen > 0)
			r->diagnostic[dlen++] = ' ';
		dlen += text_collapse(line, llen, r->diagnostic + dlen,
		                      sizeof(r->diagnostic) - dlen);
	}
	analysis_diag_forget(r);
}

/* Does the text say, in English or another language, that a delivery
 * failed (generic_notice, phrases_intl_notice)? */
static bool
generic_notice_text(const struct recog_ctx *ctx)
{
	/* searched directly, not through the analysis' index: asked only
	 * of the few texts that reach here, it would widen the one scan
	 * every message's text gets */
	return text_find_any(ctx->text, ctx->text_len, generic_notice) ||
	       text_find_any(ctx->text, ctx->text_len, phrases_intl_notice);
}

/* Does a line of the text mark the start of a returned message?  Looked
 * for in the first GENERIC_HEAD_LINES lines: a notice is short, and most
 * texts asked are ordinary mail's. */
#define GENERIC_HEAD_LINES 200
#define GENERIC_HEAD_BYTES 2048   /* where a notice says what failed */

static bool
generic_has_stop(const struct recog_ctx *ctx)
{
	size_t pos = 0, lineno = 0;
	const char *line;
	size_t llen;

	while (lineno++ < GENERIC_HEAD_LINES &&
	       text_next_line(ctx->text, ctx->text_len, &pos, &line, &llen))
		if (generic_is_stop(line, llen))
			return true;
	return false;
}

/* A bounce that announces itself in neither From nor Subject, read from
 * its structure: the text says a delivery failed (in one of the notice
 * languages) and the original message comes back with it, attached or
 * quoted after a marker, and no header says a person's mail program
 * wrote it.  An error line (a code or a failure phrase) must then name an
 * address or stand just after one, so a message that talks about bounces
 * without returning one, or a person's report of one, is not one. */
static bool
generic_structural(const struct recog_ctx *ctx)
{
	/* a person's mail program wrote it, or it answers a thread: a
	 * person telling of a bounce and attaching what they sent */
	static const char *const person[] = {
		"User-Agent", "In-Reply-To", "References", NULL
	};
	size_t i, vlen;

	size_t head = ctx->text_len < GENERIC_HEAD_BYTES ? ctx->text_len :
	              GENERIC_HEAD_BYTES;

	/* the returned message first: most texts asked are ordinary
	 * mail's, which seldom return one */
	if (ctx->returned_part < 0 &&
	    !(analysis_has(ctx->an, ANALYSIS_TEXT, generic_stop_gate) &&
	      generic_has_stop(ctx)))
		return false;
	for (i = 0; ctx->msg != NULL && person[i] != NULL; i++)
		if (mime_header(ctx->msg, 0, person[i], &vlen) != NULL)
			return false;
	/* the notice's sentence in the text's first bytes */
	return text_find_any(ctx->text, head, generic_notice) ||
	       text_find_any(ctx->text, head, phrases_intl_notice);
}

/* Does the Subject start with a notice word put before the original
 * Subject ("Undeliverable: ...", "Non remis : ...")? */
static bool
generic_subject_prefix(const struct recog_ctx *ctx)
{
	const char *s = ctx->subject;
	size_t i, len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	for (i = 0; phrases_notice_subject_prefix[i] != NULL; i++)
		if (text_starts(s, len, phrases_notice_subject_prefix[i]))
			return true;
	return false;
}

/* True when some line of the text starts with "Final-Recipient:": RFC 3464
 * fields written into the text instead of a delivery-status part. */
static bool
generic_inline_dsn(const struct recog_ctx *ctx)
{
	size_t pos = 0, lineno = 0;
	const char *line;
	size_t llen;

	while (lineno++ < GENERIC_MAX_LINES &&
	       text_next_line(ctx->text, ctx->text_len, &pos, &line, &llen))
		if (text_starts(line, llen, "final-recipient:"))
			return true;
	return false;
}

#define GENERIC_INTRO_LINES 20    /* lines of the text an intro is in */

/* The intro sentence names a failed address the error lines do not ("Your
 * message to a@b and c@d could not be delivered", then only a@b's error):
 * a record for it with the sentence as diagnostic.  Read only when the
 * scan found records: it is then a bounce, and the sentence speaks of its
 * failures.  Own From/To are left out as in the scan (the returned
 * message's sender is dropped later, bounce.c). */
static void
generic_intro_addrs(const struct recog_ctx *ctx, struct bounce_result *res)
{
	struct generic_own own;
	size_t pos = 0, lineno = 0, llen;
	const char *line;

	own.read = false;
	while (lineno++ < GENERIC_INTRO_LINES &&
	       text_next_line(ctx->text, ctx->text_len, &pos, &line, &llen)) {
		char addr[BM_ADDR_MAX], diag[BM_DIAG_MAX];
		const char *p = line, *hit;
		size_t left = llen, guard = 0;

		if (generic_is_stop(line, llen))
			break;
		if (memchr(line, '@', llen) == NULL ||
		    generic_starts_any(line, llen, generic_skip_fields) ||
		    !(text_find_any(line, llen, generic_notice) ||
		      text_find_any(line, llen, phrases_intl_notice)))
			continue;
		text_collapse(line, llen, diag, sizeof(diag));
		while (guard++ < GENERIC_LIST_MAX && left > 0 &&
		       addr_find(p, left, addr, sizeof(addr)) == 0 &&
		       (hit = text_find(p, left, addr)) != NULL) {
			if (!generic_excluded(ctx, &own, addr) &&
			    result_find_rcpt(res, addr) == NULL &&
			    generic_add(ctx, res, addr, diag) != 0)
				return;
			left -= (size_t)(hit - p) + strlen(addr);
			p = hit + strlen(addr);
		}
	}
}

static void generic_enrich(const struct recog_ctx *ctx, struct bounce_result *res);

static int
generic_match(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t before = res->nrcpt;
	int sig = ctx->an->signal;

	if (sig == 0) {
		if (ctx->text == NULL || ctx->text_len == 0 ||
		    !generic_structural(ctx))
			return 0;
		generic_scan(ctx, res, true, NULL);
		if (res->nrcpt > before)
			generic_intro_addrs(ctx, res);
		return res->nrcpt > before ? 1 : 0;
	}
	if (ctx->text != NULL && ctx->text_len > 0 && generic_inline_dsn(ctx) &&
	    dsn_parse(ctx->text, ctx->text_len, ctx->lim, res) > 0) {
		generic_enrich(ctx, res);
		return 1;
	}
	res->nrcpt = before;
	if (ctx->text != NULL && ctx->text_len > 0) {
		generic_scan(ctx, res, (sig & ANALYSIS_SIGNAL_SUBJECT) != 0 ||
		             generic_notice_text(ctx), NULL);
		if (res->nrcpt > before)
			generic_intro_addrs(ctx, res);
	}
	/* a notice saying plainly it is one: bounce sender and subject, or
	 * a notice word before the original Subject and a text that says a
	 * delivery failed */
	if (res->nrcpt == before &&
	    (sig == (ANALYSIS_SIGNAL_FROM | ANALYSIS_SIGNAL_SUBJECT) ||
	     (ctx->text != NULL && generic_subject_prefix(ctx) &&
	      generic_notice_text(ctx))))
		generic_unread(ctx, res);
	return res->nrcpt > before ? 1 : 0;
}

/* Fill missing diagnostics and status codes of DSN records. */
static void
generic_enrich(const struct recog_ctx *ctx, struct bounce_result *res)
{
	struct bounce_result tmp;
	size_t i, need = 0;

	if (ctx->text == NULL || ctx->text_len == 0)
		return;
	for (i = 0; i < res->nrcpt; i++)
		if (res->rcpt[i].diagnostic[0] == '\0' || res->rcpt[i].status[0] == '\0')
			need++;
	if (need == 0)
		return;
	memset(&tmp, 0, sizeof(tmp));
	generic_scan(ctx, &tmp, true, res);
	for (i = 0; i < res->nrcpt; i++) {
		struct bounce_rcpt *r = &res->rcpt[i];
		struct bounce_rcpt *t = result_find_rcpt(&tmp, r->recipient);

		/* a one-recipient report may name the address differently */
		if (t == NULL && res->nrcpt == 1 && tmp.nrcpt == 1)
			t = &tmp.rcpt[0];
		if (t == NULL)
			continue;
		if (r->diagnostic[0] == '\0') {
			memcpy(r->diagnostic, t->diagnostic, sizeof(r->diagnostic));
			r->diag_read = t->diag_read;   /* the same text */
		}
		if (r->status[0] == '\0' && t->status[0] != '\0')
			memcpy(r->status, t->status, sizeof(r->status));
		if (r->replycode == 0)
			r->replycode = t->replycode;
	}
	bounce_result_free(&tmp);
}

const struct recog recog_generic = {
	.name = "generic",
	.match = generic_match,
	.enrich = generic_enrich,
};
