/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mdnfail.c - a delivery failure reported as a disposition notification
 * (see mdnfail.h).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "classify/addr.h"
#include "classify/analysis.h"
#include "classify/mdnfail.h"
#include "classify/record.h"
#include "classify/result.h"
#include "util/text.h"

#define MDNFAIL_MAX_LINES 200   /* a disposition report is a few fields */

/* The value of field `name` ("disposition:") on this line, trimmed. */
static bool
mdnfail_field(const char *line, size_t len, const char *name,
              const char **val, size_t *vlen)
{
	size_t n = strlen(name);

	if (!text_starts(line, len, name))
		return false;
	*val = line + n;
	*vlen = len - n;
	text_trim(val, vlen);
	return true;
}

/* Does the Disposition value say the message was not delivered? */
static bool
mdnfail_failed(const char *v, size_t n, bool has_failure_field)
{
	static const char *const fail[] = {
		"; failed", ";failed", "/error", "/failed", "/failure",
		"/mailbox-terminated", ",error", ",failed", ",failure",
		",mailbox-terminated", NULL
	};
	static const char *const shown[] = {
		"displayed", "dispatched", "processed", NULL
	};

	if (text_find_any(v, n, fail))
		return true;
	return has_failure_field && !text_find_any(v, n, shown);
}

size_t
mdnfail_parse(const char *text, size_t len, const struct bounce_limits *lim,
              struct bounce_result *res)
{
	char orig[BM_ADDR_MAX] = "", final[BM_ADDR_MAX] = "";
	char disp[BM_DIAG_MAX] = "", why[BM_DIAG_MAX] = "";
	size_t pos = 0, lineno = 0, llen, vlen;
	const char *line, *v;
	struct bounce_rcpt *r;

	if (text == NULL)
		return 0;
	while (lineno++ < MDNFAIL_MAX_LINES &&
	       text_next_line(text, len, &pos, &line, &llen)) {
		if (mdnfail_field(line, llen, "original-recipient:", &v, &vlen)) {
			if (addr_find(v, vlen, orig, sizeof(orig)) != 0)
				orig[0] = '\0';
		} else if (mdnfail_field(line, llen, "final-recipient:", &v, &vlen)) {
			if (addr_find(v, vlen, final, sizeof(final)) != 0)
				final[0] = '\0';
		} else if (mdnfail_field(line, llen, "disposition:", &v, &vlen)) {
			text_collapse(v, vlen, disp, sizeof(disp));
		} else if (why[0] == '\0' &&
		           (mdnfail_field(line, llen, "failure:", &v, &vlen) ||
		            mdnfail_field(line, llen, "error:", &v, &vlen))) {
			text_collapse(v, vlen, why, sizeof(why));
		}
	}
	if (disp[0] == '\0' ||
	    !mdnfail_failed(disp, strlen(disp), why[0] != '\0') ||
	    (orig[0] == '\0' && final[0] == '\0'))
		return 0;
	if ((r = result_add_rcpt(res, lim)) == NULL)
		return 0;
	snprintf(r->recipient, sizeof(r->recipient), "%s",
	         orig[0] != '\0' ? orig : final);
	if (orig[0] != '\0' && final[0] != '\0' && strcmp(orig, final) != 0)
		snprintf(r->final_recipient, sizeof(r->final_recipient), "%s", final);
	snprintf(r->action, sizeof(r->action), "failed");
	snprintf(r->diagnostic, sizeof(r->diagnostic), "%s",
	         why[0] != '\0' ? why : disp);
	analysis_diag_forget(r);
	return 1;
}
