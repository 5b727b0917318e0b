/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * result.c - building a bounce_result: bounded recipient array, bounded
 * string copies, lookup by recipient.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify/analysis.h"
#include "classify/result.h"
#include "util/swar.h"
#include "util/text.h"

#define RESULT_FIRST_CAP 4

struct bounce_rcpt *
result_add_rcpt(struct bounce_result *res, const struct bounce_limits *lim)
{
	struct bounce_limits def;
	struct bounce_rcpt *r;

	if (lim == NULL) {
		bounce_limits_default(&def);
		lim = &def;
	}
	if (res->nrcpt >= lim->max_rcpt) {
		res->rcpt_capped = true;
		res->truncated = true;
		return NULL;
	}
	if (res->nrcpt == res->rcpt_cap) {
		size_t ncap = res->rcpt_cap ? res->rcpt_cap * 2 : RESULT_FIRST_CAP;
		struct bounce_rcpt *n;

		if (ncap > lim->max_rcpt)
			ncap = lim->max_rcpt;
		if (ncap <= res->nrcpt)
			return NULL;
		n = realloc(res->rcpt, ncap * sizeof(*n));
		if (n == NULL)
			return NULL;
		res->rcpt = n;
		res->rcpt_cap = ncap;
	}
	r = &res->rcpt[res->nrcpt++];
	memset(r, 0, sizeof(*r));
	r->reason_hint = BM_REASON_UNDEFINED;
	r->reason = BM_REASON_UNDEFINED;
	r->cls = BM_CLASS_NONE;
	return r;
}

void
result_set_str(char *dst, size_t dstsz, const char *src, size_t len)
{
	if (dstsz == 0)
		return;
	if (src == NULL) {
		dst[0] = '\0';
		return;
	}
	text_collapse(src, len, dst, dstsz);
}

struct bounce_rcpt *
result_find_rcpt(struct bounce_result *res, const char *addr)
{
	size_t i;

	if (addr == NULL || addr[0] == '\0')
		return NULL;
	for (i = 0; i < res->nrcpt; i++)
		if (strcasecmp(res->rcpt[i].recipient, addr) == 0)
			return &res->rcpt[i];
	return NULL;
}

static bool
result_is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* Length of the leading run of s[0..n) that holds no control character
 * (NUL included), eight bytes at a time: a word with no byte below 0x20
 * and none equal to 0x7f is skipped whole (exact tests, so no byte is
 * misjudged).  The string's NUL ends the run too, so no strnlen() is
 * needed; the bytes after it that a word may load lie inside the array. */
static size_t
result_clean_run(const char *s, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		if (swar_has_control(swar_load(s + i)))
			break;
	while (i < n && !result_is_ctl((unsigned char)s[i]))
		i++;
	return i;
}

/* Free text: each control character becomes a space.  true when one did. */
static bool
result_scrub_text(char *s, size_t sz)
{
	size_t i = 0;
	bool changed = false;

	while ((i += result_clean_run(s + i, sz - i)) < sz && s[i] != '\0') {
		s[i++] = ' ';
		changed = true;
	}
	return changed;
}

/* A word or a host name: it ends at the first control character. */
static void
result_scrub_word(char *s, size_t sz)
{
	size_t i;

	if (sz == 0 || s[0] == '\0')
		return;         /* empty, as most optional fields are */
	i = result_clean_run(s, sz);
	if (i < sz)
		s[i] = '\0';
}

void
result_scrub(struct bounce_result *res)
{
	result_scrub_word(res->recogniser, sizeof(res->recogniser));
	result_scrub_word(res->reporting_mta, sizeof(res->reporting_mta));
	result_scrub_word(res->feedback_type, sizeof(res->feedback_type));
	result_scrub_word(res->message_id, sizeof(res->message_id));
	result_scrub_text(res->orig_from, sizeof(res->orig_from));
	result_scrub_text(res->orig_subject, sizeof(res->orig_subject));
	result_scrub_text(res->orig_list_id, sizeof(res->orig_list_id));
	for (size_t i = 0; i < res->nrcpt; i++) {
		struct bounce_rcpt *r = &res->rcpt[i];

		result_scrub_word(r->recipient, sizeof(r->recipient));
		result_scrub_word(r->original_recipient, sizeof(r->original_recipient));
		result_scrub_word(r->final_recipient, sizeof(r->final_recipient));
		result_scrub_word(r->action, sizeof(r->action));
		result_scrub_word(r->status, sizeof(r->status));
		if (result_scrub_text(r->diagnostic, sizeof(r->diagnostic)))
			analysis_diag_forget(r);
		result_scrub_word(r->reporting_mta, sizeof(r->reporting_mta));
		result_scrub_word(r->remote_mta, sizeof(r->remote_mta));
		result_scrub_word(r->feedback_type, sizeof(r->feedback_type));
		result_scrub_word(r->smtp_command, sizeof(r->smtp_command));
	}
}

bool
result_action_is_success(const char *a)
{
	/* the first byte picks the one word worth comparing */
	switch (a[0]) {
	case 'd':
		return strcmp(a, "delivered") == 0;
	case 'r':
		return strcmp(a, "relayed") == 0;
	case 'e':
		return strcmp(a, "expanded") == 0;
	default:
		return false;
	}
}
