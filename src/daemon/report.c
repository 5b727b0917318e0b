/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report.c - X-Bounce-* headers and log lines of an examined message.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/bounce.h"
#include "classify/evidence.h"
#include "daemon/report.h"
#include "daemon/session.h"
#include "daemon/stats.h"
#include "mime/hdr.h"
#include "util/kv.h"
#include "util/log.h"

enum bm_class
report_message_class(const struct bounce_result *res)
{
	if (res->kind == BOUNCE_KIND_AUTO_REPLY && !bm_class_is_failure(res->cls))
		return BM_CLASS_AUTO_REPLY;
	if (res->kind == BOUNCE_KIND_FEEDBACK && !bm_class_is_failure(res->cls))
		return BM_CLASS_FEEDBACK;
	return res->cls;
}

/* Does this record get a header and a log line as a reported recipient? */
bool
report_reported(const struct bounce_result *res, const struct bounce_rcpt *r)
{
	if (res->kind == BOUNCE_KIND_AUTO_REPLY || res->kind == BOUNCE_KIND_FEEDBACK)
		return true;
	return bm_class_is_failure(r->cls);
}

const char *
report_reason_word(const struct bounce_result *res, const struct bounce_rcpt *r)
{
	if (res->kind == BOUNCE_KIND_FEEDBACK && r->reason == BM_REASON_UNDEFINED)
		return "feedback";
	return reason_name(r->reason);
}


static int
report_add_header(struct action_plan *plan, size_t cap, const char *name,
                  const char *raw)
{
	struct action_header *h;
	char clean[BM_ACTION_VALUE_MAX * 3 / 4];

	if (plan->nhdrs >= cap)
		return -1;
	h = &plan->hdrs[plan->nhdrs];
	h->name = name;
	(void)hdr_sanitise(raw, strlen(raw), clean, sizeof clean);
	/* Folded at white space per RFC 5322 (78 octets where possible, never
	 * 998); consumers must unfold, as for any header. */
	if (hdr_fold(name, clean, h->value, sizeof h->value) == (size_t)-1)
		snprintf(h->value, sizeof h->value, "%.*s", 900, clean);
	plan->nhdrs++;
	return 0;
}

/* "; key=value", the value quoted when a sender could add a key with it;
 * nothing for an empty value. */
static void
report_field(char *buf, size_t sz, const char *key, const char *val)
{
	if (val == NULL || *val == '\0')
		return;
	kv_append(buf, sz, "; ", key, val);
}

static bool
report_any_listed(const struct action_ctx *a)
{
	for (size_t i = 0; i < a->nrc; i++)
		if (a->rc[i].state == ACTION_NEW || a->rc[i].state == ACTION_LISTED)
			return true;
	return false;
}

/* The strongest level any reported record reached. */
enum origin_level
report_best_level(const struct action_ctx *a)
{
	enum origin_level best = a->signed_ok ? ORIGIN_SIGNED : a->relay
	    ? ORIGIN_TRUSTED : ORIGIN_UNALIGNED;

	for (size_t i = 0; i < a->nrc; i++)
		if (report_reported(a->res, a->rc[i].r) && a->rc[i].level > best)
			best = a->rc[i].level;
	return best;
}

void
report_headers(struct action_ctx *a, struct action_plan *plan)
{
	const struct bounce_result *res = a->res;
	const struct session *s = a->s;
	size_t cap = BM_ACTION_RCPT_HDRS + 2, nrcpt_hdrs = 0;
	char raw[BM_ACTION_VALUE_MAX];

	plan->hdrs = calloc(cap, sizeof *plan->hdrs);
	if (plan->hdrs == NULL) {
		log_qid(LOG_ERR, a->qid, "out of memory: message not tagged");
		return;
	}
	(void)report_add_header(plan, cap, "X-Bounce-Class",
	    bm_class_name(report_message_class(res)));
	for (size_t i = 0; i < a->nrc; i++) {
		const struct bounce_rcpt *r = a->rc[i].r;

		if (!report_reported(res, r))
			continue;
		if (nrcpt_hdrs >= BM_ACTION_RCPT_HDRS) {
			log_qid(LOG_INFO, a->qid, "more than %d recipients: X-Bounce-Recipient headers capped",
			    BM_ACTION_RCPT_HDRS);
			break;
		}
		(void)kv_quote(r->recipient[0] != '\0' ? r->recipient : "unknown", raw, sizeof raw);
		report_field(raw, sizeof raw, "class", bm_class_name(r->cls));
		report_field(raw, sizeof raw, "status", r->status);
		report_field(raw, sizeof raw, "reason", report_reason_word(res, r));
		report_field(raw, sizeof raw, "action", r->action);
		report_field(raw, sizeof raw, "origin", origin_name(a->rc[i].level));
		report_field(raw, sizeof raw, "reporting-mta",
		    r->reporting_mta[0] != '\0' ? r->reporting_mta : res->reporting_mta);
		if (res->kind == BOUNCE_KIND_FEEDBACK)
			report_field(raw, sizeof raw, "feedback-type",
			    r->feedback_type[0] != '\0' ? r->feedback_type : res->feedback_type);
		if (report_add_header(plan, cap, "X-Bounce-Recipient", raw) == 0)
			nrcpt_hdrs++;
	}
	raw[0] = '\0';
	kv_append(raw, sizeof raw, "", "origin", origin_name(report_best_level(a)));
	report_field(raw, sizeof raw, "tag", a->tag_word);
	report_field(raw, sizeof raw, "spf", spf_res_name(a->spf));
	report_field(raw, sizeof raw, "helo", s->helo[0] != '\0' ? s->helo : "unknown");
	report_field(raw, sizeof raw, "ip", s->ip[0] != '\0' ? s->ip : "unknown");
	report_field(raw, sizeof raw, "suppressed", report_any_listed(a) ? "yes" : "no");
	(void)report_add_header(plan, cap, "X-Bounce-Origin", raw);
}

const char *
report_kind_word(enum bounce_kind k)
{
	switch (k) {
	case BOUNCE_KIND_AUTO_REPLY:
		return "auto-reply";
	case BOUNCE_KIND_FEEDBACK:
		return "feedback";
	default:
		return "bounce";
	}
}

/* One line per recipient, Postfix style: every value through kv_append,
 * so a sender-chosen one (rcpt, status, helo, verp) is quoted when it
 * could add a key; each key appears once (why= says why not listed). */
static void
report_log_one(const struct action_ctx *a, const struct action_rcpt *x)
{
	const struct bounce_result *res = a->res;
	const struct session *s = a->s;
	const struct bounce_rcpt *r = x != NULL ? x->r : NULL;
	char line[2048] = "", v[BM_ADDR_MAX + 3];
	bool listed = x != NULL && (x->state == ACTION_NEW || x->state == ACTION_LISTED);

	kv_append(line, sizeof line, "", "class",
	    bm_class_name(r != NULL ? r->cls : report_message_class(res)));
	snprintf(v, sizeof v, "<%s>", r != NULL ? r->recipient : "");
	kv_append(line, sizeof line, " ", "rcpt", v);
	if (r != NULL && r->status[0] != '\0')
		kv_append(line, sizeof line, " ", "status", r->status);
	kv_append(line, sizeof line, " ", "reason",
	    r != NULL ? report_reason_word(res, r) : "undefined");
	kv_append(line, sizeof line, " ", "origin",
	    origin_name(x != NULL ? x->level : report_best_level(a)));
	if (a->tag_word != NULL)
		kv_append(line, sizeof line, " ", "tag", a->tag_word);
	kv_append(line, sizeof line, " ", "spf", spf_res_name(a->spf));
	if (a->spf_from_authres)
		kv_append(line, sizeof line, " ", "spf_source", "authres");
	kv_append(line, sizeof line, " ", "suppressed", listed ? "yes" : "no");
	if (x != NULL && x->state == ACTION_REFUSED && x->why != NULL)
		kv_append(line, sizeof line, " ", "why", x->why);
	else if (x != NULL && x->state == ACTION_LISTED)
		kv_append(line, sizeof line, " ", "already", "yes");
	if (x != NULL && x->escalated)
		kv_append(line, sizeof line, " ", "escalated", x->word + 10);
	if (x != NULL && s->msg.verp != VERP_NO_MATCH && s->msg.verp_addr[0] != '\0') {
		snprintf(v, sizeof v, "<%s>", s->msg.verp_addr);
		kv_append(line, sizeof line, " ", "verp", v);
		if (x->verp_mismatch)
			kv_append(line, sizeof line, " ", "verp_mismatch", "yes");
	}
	kv_append(line, sizeof line, " ", "helo", s->helo[0] != '\0' ? s->helo : "unknown");
	kv_append(line, sizeof line, " ", "ip", s->ip[0] != '\0' ? s->ip : "unknown");
	log_qid(LOG_INFO, a->qid, "%s %s", report_kind_word(res->kind), line);
	/* the evidence behind the class (DESIGN 3), at debug level; group
	 * and rule names are our own words, without spaces */
	if (r != NULL) {
		char groups[512];

		(void)evidence_groups(r->ev.groups | r->ev.notice_groups, groups,
		                      sizeof(groups));
		line[0] = '\0';
		snprintf(v, sizeof v, "<%s>", r->recipient);
		kv_append(line, sizeof line, "", "rcpt", v);
		kv_append(line, sizeof line, " ", "rule", evidence_rule(r));
		kv_append(line, sizeof line, " ", "status_source",
		    r->ev.status_src != BM_STATUS_SRC_NONE ?
		        evidence_status_source(r->ev.status_src) : "none");
		kv_append(line, sizeof line, " ", "groups", groups[0] != '\0' ? groups : "none");
		log_qid(LOG_DEBUG, a->qid, "evidence %s", line);
	}
}

/* The counters of one reported recipient (stats.h). */
static void
report_count(const struct action_rcpt *x)
{
	stats_rcpt(x->r->cls, x->r->reason);
	if (x->state == ACTION_NEW)
		stats_inc(STATS_LISTED);
	if (x->state == ACTION_NEW && x->escalated)
		stats_inc(STATS_ESCALATED);
	else if (x->state == ACTION_LISTED)
		stats_not_listed(STATS_CAUSE_ALREADY);
	else if (x->state == ACTION_REFUSED)
		stats_not_listed(stats_cause_from_why(x->why));
}

void
report_log(const struct action_ctx *a)
{
	size_t logged = 0;

	for (size_t i = 0; i < a->nrc; i++) {
		if (!report_reported(a->res, a->rc[i].r))
			continue;
		report_count(&a->rc[i]);
		report_log_one(a, &a->rc[i]);
		logged++;
	}
	if (logged == 0)
		report_log_one(a, NULL);
	if (a->res->rcpt_capped)
		log_qid(LOG_WARNING, a->qid, "more recipients than the parser keeps; the rest were ignored");
}
