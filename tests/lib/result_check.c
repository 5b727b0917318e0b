/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "result_check.h"

/* A field must end inside its array and hold no control character. */
static int check_field(const char *field, size_t size, const char *name, size_t idx,
                       char *why, size_t whysz)
{
	const char *nul = memchr(field, '\0', size);

	if (nul == NULL) {
		snprintf(why, whysz, "rcpt %zu: %s not NUL-terminated", idx, name);
		return -1;
	}
	for (const char *p = field; p < nul; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f) {
			snprintf(why, whysz, "rcpt %zu: %s has control character 0x%02x at %zu", idx, name,
			         c, (size_t)(p - field));
			return -1;
		}
	}
	return 0;
}

#define CHECK_FIELD(s, f, i) check_field((s)->f, sizeof (s)->f, #f, (i), why, whysz)

int result_check(const struct bounce_result *res, const struct bounce_limits *lim,
                 char *why, size_t whysz)
{
	if ((unsigned)res->kind > (unsigned)BOUNCE_KIND_FEEDBACK) {
		snprintf(why, whysz, "kind %d out of range", (int)res->kind);
		return -1;
	}
	if ((unsigned)res->cls >= (unsigned)BM_CLASS_COUNT) {
		snprintf(why, whysz, "class %d out of range", (int)res->cls);
		return -1;
	}
	if (res->nrcpt > 0 && res->rcpt == NULL) {
		snprintf(why, whysz, "nrcpt %zu with no array", res->nrcpt);
		return -1;
	}
	if (res->nrcpt > res->rcpt_cap) {
		snprintf(why, whysz, "nrcpt %zu above capacity %zu", res->nrcpt, res->rcpt_cap);
		return -1;
	}
	if (lim != NULL && res->nrcpt > lim->max_rcpt) {
		snprintf(why, whysz, "nrcpt %zu above max_rcpt %zu", res->nrcpt, lim->max_rcpt);
		return -1;
	}
	if (CHECK_FIELD(res, recogniser, 0) || CHECK_FIELD(res, reporting_mta, 0) ||
	    CHECK_FIELD(res, feedback_type, 0))
		return -1;
	/* the returned message's fields (issue 12) */
	if (CHECK_FIELD(res, message_id, 0) || CHECK_FIELD(res, orig_from, 0) ||
	    CHECK_FIELD(res, orig_subject, 0) || CHECK_FIELD(res, orig_list_id, 0))
		return -1;
	for (size_t i = 0; i < res->nrcpt; i++) {
		const struct bounce_rcpt *r = &res->rcpt[i];
		if (CHECK_FIELD(r, recipient, i) || CHECK_FIELD(r, original_recipient, i) ||
		    CHECK_FIELD(r, action, i) || CHECK_FIELD(r, status, i) ||
		    CHECK_FIELD(r, diagnostic, i) || CHECK_FIELD(r, reporting_mta, i) ||
		    CHECK_FIELD(r, remote_mta, i) || CHECK_FIELD(r, feedback_type, i) ||
		    CHECK_FIELD(r, smtp_command, i))
			return -1;
		if ((unsigned)r->reason >= (unsigned)BM_REASON_COUNT ||
		    (unsigned)r->reason_hint >= (unsigned)BM_REASON_COUNT) {
			snprintf(why, whysz, "rcpt %zu: reason out of range", i);
			return -1;
		}
		if ((unsigned)r->cls >= (unsigned)BM_CLASS_COUNT) {
			snprintf(why, whysz, "rcpt %zu: class out of range", i);
			return -1;
		}
		if (r->replycode < 0 || r->replycode > 999) {
			snprintf(why, whysz, "rcpt %zu: reply code %d", i, r->replycode);
			return -1;
		}
		if (bm_class_worse(res->cls, r->cls) != res->cls) {
			snprintf(why, whysz, "rcpt %zu: class %s worse than the message's %s", i,
			         bm_class_name(r->cls), bm_class_name(res->cls));
			return -1;
		}
	}
	return 0;
}

void result_check_tight_limits(struct bounce_limits *lim)
{
	bounce_limits_default(lim);
	lim->max_bytes = 2048;
	lim->max_depth = 2;
	lim->max_parts = 4;
	lim->max_header_bytes = 128;
	lim->max_headers = 8;
	lim->max_rcpt = 2;
}
