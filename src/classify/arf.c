/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arf.c - RFC 5965 feedback reports -> feedback records.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "classify/addr.h"
#include "classify/arf.h"
#include "classify/record.h"
#include "classify/result.h"
#include "util/text.h"

static void
arf_value(const char *line, size_t len, const char *name, const char **v,
          size_t *vlen)
{
	size_t n = strlen(name);

	*v = NULL;
	*vlen = 0;
	if (len <= n || !text_starts(line, len, name) || line[n] != ':')
		return;
	*v = line + n + 1;
	*vlen = len - n - 1;
	text_trim(v, vlen);
}

static struct bounce_rcpt *
arf_add(const char *addr, const struct bounce_limits *lim,
        struct bounce_result *res)
{
	struct bounce_rcpt *r;

	if (addr[0] != '\0' && result_find_rcpt(res, addr) != NULL)
		return NULL;
	r = result_add_rcpt(res, lim);
	if (r == NULL)
		return NULL;
	snprintf(r->recipient, sizeof(r->recipient), "%s", addr);
	r->reason = BM_REASON_FEEDBACK;
	r->reason_hint = BM_REASON_FEEDBACK;
	r->cls = BM_CLASS_FEEDBACK;
	return r;
}

size_t
arf_parse(const char *text, size_t len, const char *fallback_rcpt,
          const struct bounce_limits *lim, struct bounce_result *res)
{
	size_t pos = 0, start = res->nrcpt, i;
	const char *line, *v;
	size_t llen, vlen;
	char addr[BM_ADDR_MAX];

	while (text != NULL && text_next_line(text, len, &pos, &line, &llen)) {
		arf_value(line, llen, "Feedback-Type", &v, &vlen);
		if (v != NULL && res->feedback_type[0] == '\0') {
			text_token_lower(v, vlen, res->feedback_type,
			                 sizeof(res->feedback_type));
			continue;
		}
		arf_value(line, llen, "Reporting-MTA", &v, &vlen);
		if (v != NULL) {
			const char *semi = memchr(v, ';', vlen);

			if (semi != NULL) {
				vlen -= (size_t)(semi + 1 - v);
				v = semi + 1;
				text_trim(&v, &vlen);
			}
			result_set_str(res->reporting_mta, sizeof(res->reporting_mta),
			               v, vlen);
			continue;
		}
		arf_value(line, llen, "Original-Rcpt-To", &v, &vlen);
		if (v == NULL)
			arf_value(line, llen, "Removal-Recipient", &v, &vlen);
		if (v != NULL && addr_normalise(v, vlen, addr, sizeof(addr), false) == 0)
			arf_add(addr, lim, res);
	}
	if (res->nrcpt == start) {
		addr[0] = '\0';
		if (fallback_rcpt != NULL && fallback_rcpt[0] != '\0' &&
		    addr_find(fallback_rcpt, strlen(fallback_rcpt), addr,
		              sizeof(addr)) != 0)
			addr[0] = '\0';
		arf_add(addr, lim, res);
	}
	for (i = start; i < res->nrcpt; i++) {
		memcpy(res->rcpt[i].feedback_type, res->feedback_type,
		       sizeof(res->rcpt[i].feedback_type));
		memcpy(res->rcpt[i].reporting_mta, res->reporting_mta,
		       sizeof(res->rcpt[i].reporting_mta));
	}
	return res->nrcpt - start;
}
