/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * amend.c - what bounce_parse() does to the records between reading them
 * and classifying them (amend.h): the recipient the sender used, delay
 * warnings, diagnostics in other charsets, and the notice as evidence.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "classify/addr.h"
#include "classify/amend.h"
#include "classify/analysis.h"
#include "classify/classify.h"
#include "classify/reason.h"
#include "mime/charset.h"
#include "util/text.h"

#define AMEND_NOTICE_MAX 512

/* s[0..n) holds a byte that is not 7-bit ASCII text: an 8-bit byte or
 * ESC (ISO-2022-JP's shifts); pure ASCII reads the same in any charset. */
static bool
amend_has_8bit_or_esc(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == 0x1b)
			return true;
	return false;
}

/* a and b are one address, quotes around the local part aside. */
static bool
amend_same_addr(const char *a, const char *b)
{
	while (*a != '\0' || *b != '\0') {
		if (*a == '"') {
			a++;
			continue;
		}
		if (*b == '"') {
			b++;
			continue;
		}
		if (*a == '\0' || *b == '\0' ||
		    (*a | 0x20) != (*b | 0x20))
			return false;
		a++;
		b++;
	}
	return true;
}

/* The address the sender used comes first: the mailing software knows it,
 * not the one an alias expanded to.  A DSN's Original-Recipient (when it
 * is a valid address other than the final one), or in a Postfix notice
 * "<final> (expanded from <original>)".  The final address moves to
 * final_recipient. */
void
amend_prefer_original(struct bounce_result *res, const struct recog_ctx *ctx)
{
	static const char expanded[] = " (expanded from <";
	bool postfix_text = res->kind == BOUNCE_KIND_NONSTANDARD &&
	    strcmp(res->recogniser, "postfix") == 0 && ctx->text != NULL &&
	    text_find(ctx->text, ctx->text_len, expanded) != NULL;
	size_t i;

	if (res->kind != BOUNCE_KIND_DSN && !postfix_text)
		return;
	for (i = 0; i < res->nrcpt; i++) {
		struct bounce_rcpt *r = &res->rcpt[i];
		char orig[BM_ADDR_MAX], needle[BM_ADDR_MAX + sizeof(expanded) + 2];
		const char *src = r->original_recipient, *hit;
		size_t slen = strnlen(src, sizeof(r->original_recipient));

		if (r->recipient[0] == '\0')
			continue;
		if (!postfix_text) {
			/* most DSNs repeat the final address: "rfc822; a@b" */
			const char *semi = memchr(src, ';', slen);
			const char *q = semi != NULL ? semi + 1 : src;

			while (*q == ' ' || *q == '\t')
				q++;
			if (amend_same_addr(q, r->recipient))
				continue;
		}
		if (postfix_text) {
			snprintf(needle, sizeof(needle), "<%s>%s", r->recipient, expanded);
			hit = text_find(ctx->text, ctx->text_len, needle);
			if (hit == NULL)
				continue;
			src = hit + strlen(needle) - 1;     /* at the '<' */
			slen = strcspn(src, ">\n");
			if (src[slen] == '>')
				slen++;
		}
		if (slen == 0 ||
		    addr_normalise(src, slen, orig, sizeof(orig), false) != 0 ||
		    amend_same_addr(orig, r->recipient))
			continue;
		memcpy(r->final_recipient, r->recipient, sizeof(r->final_recipient));
		memcpy(r->recipient, orig, sizeof(r->recipient));
	}
}


/* A non-standard notice whose Subject says it is a delay warning reports
 * records that have not failed yet: their action becomes "delayed"
 * (soft, DESIGN 3), unless the text gave a permanent (5.x.x) code. */
void
amend_delay_notice(struct bounce_result *res, const char *subject)
{
	size_t i, slen = strlen(subject);
	uint64_t groups = 0;
	bool candidate = false;

	if (res->kind != BOUNCE_KIND_NONSTANDARD || slen == 0)
		return;
	for (i = 0; i < res->nrcpt && !candidate; i++)
		candidate = res->rcpt[i].status[0] != '5';
	if (!candidate)
		return;
	(void)reason_scan(subject, slen, NULL, &groups);
	if ((groups & reason_group_bit("delay-notice")) == 0)
		return;
	for (i = 0; i < res->nrcpt; i++) {
		struct bounce_rcpt *r = &res->rcpt[i];

		if (r->status[0] == '5' ||
		    (r->action[0] != '\0' && strcasecmp(r->action, "failed") != 0))
			continue;
		snprintf(r->action, sizeof(r->action), "delayed");
	}
}

/* ISO-2022-JP switches character sets with ESC $ B, ESC $ @ (JIS X 0208)
 * and ESC ( B, ESC ( J (back to ASCII); a recogniser that collapses
 * control characters leaves a space where each ESC was.  For that charset
 * the designations after a space (or at the start) get their ESC back, in
 * out (as long as s); else s itself.  A "$B" in ASCII text would turn what
 * follows into JIS pairs: iconv then finds an invalid pair or the text
 * reads as nonsense, and no phrase matches it. */
static const char *
amend_jis_escapes(const char *s, char *out, const char *charset)
{
	size_t i, n = strnlen(s, BM_DIAG_MAX - 1);

	if (strcasecmp(charset, "iso-2022-jp") != 0 || memchr(s, 0x1b, n) != NULL)
		return s;
	memcpy(out, s, n + 1);
	for (i = 0; i + 2 < n + 1; i++) {
		bool designation = (out[i + 1] == '$' && (out[i + 2] == 'B' || out[i + 2] == '@')) ||
		                   (out[i + 1] == '(' && (out[i + 2] == 'B' || out[i + 2] == 'J'));

		if (out[i] == ' ' && designation)
			out[i] = 0x1b;
	}
	if (n >= 2 && out[0] == '$' && (out[1] == 'B' || out[1] == '@')) {
		if (n + 1 >= BM_DIAG_MAX)
			return s;
		memmove(out + 1, out, n + 1);
		out[0] = 0x1b;
	}
	return out;
}

/* A recogniser copies its diagnostic from the notice as it is written; in
 * a charset other than UTF-8 (ISO-2022-JP, KOI8-R, windows-1251, ...) the
 * phrase tables could match only its ASCII parts.  Such diagnostics are
 * converted (mime/charset.h) before the records are scrubbed of control
 * characters (ISO-2022-JP's escapes are ESC bytes).  A charset we do not
 * convert leaves the text as it is. */
void
amend_to_utf8(struct bounce_result *res, const char *charset)
{
	char buf[BM_DIAG_MAX], jis[BM_DIAG_MAX];
	size_t i, n;

	if (res->kind != BOUNCE_KIND_NONSTANDARD || charset_is_utf8(charset) ||
	    !charset_known(charset))
		return;
	for (i = 0; i < res->nrcpt; i++) {
		struct bounce_rcpt *r = &res->rcpt[i];
		const unsigned char *p;
		const char *src;
		bool plain = true;

		for (p = (const unsigned char *)r->diagnostic; *p != '\0'; p++)
			if (*p >= 0x80 || *p == 0x1b ||
			    (*p == '$' && (p[1] == 'B' || p[1] == '@'))) {
				plain = false;
				break;
			}
		if (plain)
			continue;
		src = amend_jis_escapes(r->diagnostic, jis, charset);
		n = charset_to_utf8(charset, src, strlen(src), buf, sizeof(buf));
		if (n != (size_t)-1 && n > 0) {
			memcpy(r->diagnostic, buf, n + 1);
			analysis_diag_forget(r);
		}
	}
}

/* The notice of a DSN that reports one failed recipient speaks about that
 * recipient: a cause it names precisely ("Not enough disk space") is
 * evidence too, and blocks a hard verdict that rests on a contradicting
 * code or phrase.  The notice is read only when that can matter. */
void
amend_notice_evidence(struct bounce_result *res, const struct recog_ctx *ctx,
                       const char *charset)
{
	char utf8[AMEND_NOTICE_MAX * 3 + 1];
	/* where a notice starts quoting the returned message's header or a
	 * transcript: what follows speaks of that message or session */
	static const char *const quoted[] = {
		"received: ", "authentication-results:", "return-path:",
		"received-spf:", "dkim-signature:", "original message headers",
		"   ----- transcript of session follows",
	};
	uint64_t groups = 0;
	size_t k, len;
	const char *line, *end;

	if (res->kind != BOUNCE_KIND_DSN || res->nrcpt != 1 ||
	    res->rcpt[0].cls != BM_CLASS_HARD || ctx->text == NULL ||
	    ctx->text_len == 0)
		return;
	/* the cause a notice names is in its first lines; the rest is
	 * transcripts and quoted text */
	len = ctx->text_len < AMEND_NOTICE_MAX ? ctx->text_len : AMEND_NOTICE_MAX;
	for (line = ctx->text, end = ctx->text + len; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t left = (size_t)(end - line);

		for (k = 0; k < sizeof(quoted) / sizeof(quoted[0]); k++) {
			size_t ql = strlen(quoted[k]);

			if (left >= ql && (line[0] | 0x20) == quoted[k][0] &&
			    strncasecmp(line, quoted[k], ql) == 0) {
				end = line;
				break;
			}
		}
		if (nl == NULL || end == line)
			break;
		line = nl + 1;
	}
	len = (size_t)(end - ctx->text);
	if (!charset_is_utf8(charset) && amend_has_8bit_or_esc(ctx->text, len)) {
		size_t n = charset_to_utf8(charset, ctx->text, len, utf8, sizeof(utf8));

		if (n != (size_t)-1) {
			(void)reason_scan(utf8, n, NULL, &groups);
			classify_reconsider(&res->rcpt[0], groups);
			res->cls = res->rcpt[0].cls;
			return;
		}
	}
	(void)reason_scan(ctx->text, len, NULL, &groups);
	classify_reconsider(&res->rcpt[0], groups);
	res->cls = res->rcpt[0].cls;
}

