/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * evidence.c - struct bounce_evidence in words, for --explain, the JSON
 * output and the daemon's debug log.
 */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "classify/classify.h"
#include "classify/evidence.h"
#include "classify/reason.h"
#include "classify/rules.h"

const char *evidence_status_source(enum bm_status_source src)
{
	switch (src) {
	case BM_STATUS_SRC_FIELD:
		return "field";
	case BM_STATUS_SRC_TEXT:
		return "text";
	case BM_STATUS_SRC_DIAGNOSTIC:
		return "diagnostic";
	case BM_STATUS_SRC_INFERRED:
		return "inferred";
	case BM_STATUS_SRC_NONE:
		break;
	}
	return "";
}

const char *evidence_rule(const struct bounce_rcpt *r)
{
	const struct rules_row *row = rules_row(r->ev.rule);

	return row != NULL ? row->name : "";
}

/* Append to buf[*len..size) like snprintf; *len counts what would have
 * been written. */
static void ev_put(char *buf, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void ev_put(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*len < size ? buf + *len : NULL, *len < size ? size - *len : 0,
	              fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n;
}

size_t evidence_groups(uint64_t set, char *buf, size_t size)
{
	size_t g, n = reason_group_count(), len = 0;

	if (size > 0)
		buf[0] = '\0';
	for (g = 0; g < n; g++)
		if ((set & ((uint64_t)1 << g)) != 0)
			ev_put(buf, size, &len, "%s%s", len > 0 ? "," : "",
			       reason_group_name(g));
	return len;
}

static const char *ev_by(char by)
{
	switch (by) {
	case 'c':
		return "status code";
	case 't':
		return "diagnostic phrase";
	case 'n':
		return "notice phrase";
	case 'h':
		return "recogniser";
	default:
		return "";
	}
}

static void ev_group_lines(uint64_t set, const char *where, char *buf,
                           size_t size, size_t *len)
{
	size_t g, n = reason_group_count();

	for (g = 0; g < n; g++)
		if ((set & ((uint64_t)1 << g)) != 0)
			ev_put(buf, size, len, "    phrase group %s in %s: %s, %s (%s)\n",
			       reason_group_name(g), where,
			       reason_name(reason_group_reason(g)),
			       reason_group_specific(g) ? "specific" : "generic",
			       reason_group_source(g));
}

size_t evidence_explain(const struct bounce_rcpt *r, char *buf, size_t size)
{
	const struct bounce_evidence *ev = &r->ev;
	const struct rules_row *row = rules_row(ev->rule);
	size_t len = 0;

	if (size > 0)
		buf[0] = '\0';
	ev_put(buf, size, &len, "    status %s (%s)%s%s\n",
	       r->status[0] ? r->status : "-",
	       ev->status_src != BM_STATUS_SRC_NONE ?
	           evidence_status_source(ev->status_src) : "none",
	       ev->code != BM_REASON_UNDEFINED ? ", names " : "",
	       ev->code != BM_REASON_UNDEFINED ? reason_name(ev->code) : "");
	if (r->replycode != 0)
		ev_put(buf, size, &len, "    reply code %d\n", r->replycode);
	ev_put(buf, size, &len, "    action %s, smtp command %s\n",
	       r->action[0] ? r->action : "-",
	       r->smtp_command[0] ? r->smtp_command : "unknown");
	ev_group_lines(ev->groups, "diagnostic", buf, size, &len);
	ev_group_lines(ev->notice_groups, "notice", buf, size, &len);
	if (ev->groups == 0 && ev->notice_groups == 0)
		ev_put(buf, size, &len, "    no cause phrase found\n");
	if (r->reason_hint != BM_REASON_UNDEFINED)
		ev_put(buf, size, &len, "    recogniser says %s\n",
		       reason_name(r->reason_hint));
	if (ev->step != NULL)
		ev_put(buf, size, &len, "    reason rewritten: %s\n", ev->step);
	if (ev->dead != BM_REASON_UNDEFINED)
		ev_put(buf, size, &len, "    address-dead evidence: %s, from the %s\n",
		       reason_name(ev->dead), ev_by(ev->dead_by));
	if (ev->other != BM_REASON_UNDEFINED)
		ev_put(buf, size, &len, "    specific other cause: %s, from the %s\n",
		       reason_name(ev->other), ev_by(ev->other_by));
	if (row != NULL)
		ev_put(buf, size, &len, "    rule %s: %s -> %s (%s)\n", row->name,
		       row->why, bm_class_name(r->cls), reason_name(r->reason));
	return len;
}
