#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "daemon/action.h"
#include "daemon/allowlist.h"
#include "daemon/escalate.h"
#include "daemon/eventlog.h"
#include "daemon/stats.h"
#include "classify/addr.h"
#include "classify/bounce.h"
#include "classify/evidence.h"
#include "daemon/conf.h"
#include "mime/hdr.h"
#include "util/log.h"
#include "trust/ratecap.h"
#include "daemon/session.h"
#include "trust/spf.h"
#include "suppress/suppress.h"

#define ACTION_RATECAP_SLOTS 4096

/* ------------------------------------------------------------------ shared state */

static pthread_rwlock_t action_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct suppress_list *action_list;      /* under action_lock */
static char *action_list_path;
static struct suppress_opts action_list_opts;
static struct ratecap *action_rate;

int
action_init(void)
{
	if (action_rate == NULL)
		action_rate = ratecap_new(ACTION_RATECAP_SLOTS);
	return action_rate != NULL ? 0 : -1;
}

void
action_shutdown(void)
{
	pthread_rwlock_wrlock(&action_lock);
	if (action_list != NULL)
		suppress_close(action_list);
	action_list = NULL;
	free(action_list_path);
	action_list_path = NULL;
	pthread_rwlock_unlock(&action_lock);
	if (action_rate != NULL)
		ratecap_free(action_rate);
	action_rate = NULL;
}

/* suppress.h leaves it to the caller to say what a (re)open repaired: a
 * torn last line (a crash in the middle of a write) that was cut, and lines
 * with no valid address that were skipped. */
static void
action_list_report(struct suppress_list *l, const char *path)
{
	size_t cut = suppress_repaired_bytes(l), skipped = suppress_skipped_lines(l);

	if (cut > 0)
		log_msg(LOG_WARNING, "suppression list %s: cut a torn last line (%zu bytes, "
		    "no newline)", path, cut);
	if (skipped > 0)
		log_msg(LOG_WARNING, "suppression list %s: skipped %zu lines with no valid "
		    "address", path, skipped);
}

int
action_list_open(const struct bm_config *cfg, char *err, size_t errsz)
{
	struct suppress_list *nl, *old;
	char *path;
	int rc = 0;

	pthread_rwlock_rdlock(&action_lock);
	if (action_list != NULL && action_list_path != NULL &&
	    strcmp(action_list_path, cfg->suppress_file) == 0 &&
	    action_list_opts.format == cfg->suppress.format &&
	    action_list_opts.fsync == cfg->suppress.fsync &&
	    action_list_opts.fold_local == cfg->suppress.fold_local) {
		rc = suppress_reopen(action_list, err, errsz);
		if (rc == 0)
			action_list_report(action_list, cfg->suppress_file);
		pthread_rwlock_unlock(&action_lock);
		return rc;
	}
	pthread_rwlock_unlock(&action_lock);

	if ((path = strdup(cfg->suppress_file)) == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	nl = suppress_open(cfg->suppress_file, &cfg->suppress, err, errsz);
	if (nl == NULL) {
		free(path);
		return -1;
	}
	action_list_report(nl, cfg->suppress_file);
	pthread_rwlock_wrlock(&action_lock);
	old = action_list;
	action_list = nl;
	free(action_list_path);
	action_list_path = path;
	action_list_opts = cfg->suppress;
	pthread_rwlock_unlock(&action_lock);
	if (old != NULL)
		suppress_close(old);
	return 0;
}

struct suppress_list *
action_list_hold(void)
{
	pthread_rwlock_rdlock(&action_lock);
	return action_list;
}

void
action_list_release(void)
{
	pthread_rwlock_unlock(&action_lock);
}

/* ------------------------------------------------------------------ decisions */

enum action_state {
	ACTION_NOT_CANDIDATE = 0,  /* class/reason not configured to suppress */
	ACTION_NEW,                /* appended by this message */
	ACTION_LISTED,             /* already on the list */
	ACTION_REFUSED,            /* a candidate, not listed: see why */
};

struct action_rcpt {
	const struct bounce_rcpt *r;
	char target[BM_ADDR_MAX];  /* the address that is (or would be) listed */
	enum action_state state;
	const char *why;
	bool verp_mismatch;
	bool escalated;            /* a soft bounce listed by escalation */
	char word[80];             /* the listed reason when escalated */
};

struct action_ctx {
	struct session *s;
	const struct bm_config *cfg;
	const struct bounce_result *res;
	const char *qid;
	enum spf_res spf;
	bool spf_from_authres;
	bool trusted;
	struct action_rcpt *rc;
	size_t nrc;
	unsigned added;            /* new entries chosen for this message */
};

static bool
action_is_bounce(const struct bounce_result *res)
{
	switch (res->kind) {
	case BOUNCE_KIND_DSN:
	case BOUNCE_KIND_NONSTANDARD:
		return bm_class_is_failure(res->cls);
	case BOUNCE_KIND_AUTO_REPLY:
	case BOUNCE_KIND_FEEDBACK:
		return true;
	default:
		return false;
	}
}

static enum bm_class
action_message_class(const struct bounce_result *res)
{
	if (res->kind == BOUNCE_KIND_AUTO_REPLY && !bm_class_is_failure(res->cls))
		return BM_CLASS_AUTO_REPLY;
	if (res->kind == BOUNCE_KIND_FEEDBACK && !bm_class_is_failure(res->cls))
		return BM_CLASS_FEEDBACK;
	return res->cls;
}

/* Does this record get a header and a log line as a reported recipient? */
static bool
action_reported(const struct bounce_result *res, const struct bounce_rcpt *r)
{
	if (res->kind == BOUNCE_KIND_AUTO_REPLY || res->kind == BOUNCE_KIND_FEEDBACK)
		return true;
	return bm_class_is_failure(r->cls);
}

static const char *
action_reason_word(const struct bounce_result *res, const struct bounce_rcpt *r)
{
	if (res->kind == BOUNCE_KIND_FEEDBACK && r->reason == BM_REASON_UNDEFINED)
		return "feedback";
	return reason_name(r->reason);
}

static bool
action_candidate(const struct action_ctx *a, const struct bounce_rcpt *r)
{
	const struct bm_config *cfg = a->cfg;

	switch (a->res->kind) {
	case BOUNCE_KIND_FEEDBACK:
		return cfg->suppress_complaints;
	case BOUNCE_KIND_AUTO_REPLY:
		return r->reason < BM_REASON_COUNT && cfg->suppress_reason[r->reason];
	default:
		if (!bm_class_is_failure(r->cls))
			return false;
		return (r->cls < BM_CLASS_COUNT && cfg->suppress_class[r->cls]) ||
		    (r->reason < BM_REASON_COUNT && cfg->suppress_reason[r->reason]);
	}
}

/* A soft bounce for a persistent reason, with escalation on? */
static bool
action_escalation_candidate(const struct action_ctx *a, const struct bounce_rcpt *r)
{
	const struct conf_ops *o = &a->cfg->ops;

	return o->escalate && a->res->kind != BOUNCE_KIND_FEEDBACK &&
	    a->res->kind != BOUNCE_KIND_AUTO_REPLY && r->cls == BM_CLASS_SOFT &&
	    r->reason < BM_REASON_COUNT && o->escalate_reason[r->reason];
}

/* Note the soft bounce's day; true when the address reached the threshold.
 * A state file that cannot be written counts nothing (logged): the bounce
 * is soft, so nothing is lost by accepting it. */
static bool
action_escalate(const struct action_ctx *a, struct action_rcpt *x)
{
	const struct conf_ops *o = &a->cfg->ops;
	const char *reason = reason_name(x->r->reason);
	char err[256];
	bool reached = false;

	if (escalate_note(x->target, reason, o->escalate_days, o->escalate_window,
	    &reached, err, sizeof err) != 0) {
		log_qid(LOG_ERR, a->qid, "escalation: %s", err);
		return false;
	}
	if (reached) {
		x->escalated = true;
		snprintf(x->word, sizeof x->word, "escalated:%s", reason);
	}
	return reached;
}

static enum spf_res
action_spf(struct session *s, const struct bm_config *cfg, bool *from_authres)
{
	struct session_msg *m = &s->msg;
	enum spf_res res = SPF_RES_NONE;

	*from_authres = false;
	if (cfg->spf_policy == BM_SPF_POLICY_OFF)
		return SPF_RES_OFF;
	if (m->spf != NULL)
		res = spf_wait(m->spf, cfg->spf_timeout_ms);
	if (res != SPF_RES_PASS && m->authres == AUTHRES_SPF &&
	    m->authres_spf == SPF_RES_PASS) {
		*from_authres = true;
		res = SPF_RES_PASS;
	}
	return res;
}

static bool
action_policy_ok(enum bm_spf_policy p, enum spf_res r)
{
	switch (p) {
	case BM_SPF_POLICY_PASS:
		return r == SPF_RES_PASS;
	case BM_SPF_POLICY_NOT_FAIL:
		return r != SPF_RES_FAIL;
	default:
		return true;
	}
}

/* Decide one record; the caller holds the list lock (read). */
static void
action_decide(struct action_ctx *a, struct suppress_list *list, size_t i)
{
	struct action_rcpt *x = &a->rc[i];
	struct session_msg *m = &a->s->msg;
	const struct bounce_rcpt *r = x->r;
	const char *src;
	bool esc = false;

	if (!action_candidate(a, r)) {
		x->state = ACTION_NOT_CANDIDATE;
		if (!action_escalation_candidate(a, r))
			return;
		esc = true;   /* counts towards escalation only when trusted */
		if (!a->trusted || m->verp == VERP_BAD_TAG)
			return;
	}
	x->state = ACTION_REFUSED;
	if (!a->trusted) {
		x->why = "spf-policy";
		return;
	}
	if (m->verp == VERP_BAD_TAG) {
		x->why = "verp-tag";
		return;
	}
	src = m->verp == VERP_OK ? m->verp_addr : r->recipient;
	if (addr_normalise(src, strlen(src), x->target, sizeof x->target,
	    a->cfg->suppress.fold_local) != 0) {
		x->target[0] = '\0';
		x->why = "no-address";
		return;
	}
	if (m->verp == VERP_OK && r->recipient[0] != '\0' &&
	    strcasecmp(r->recipient, x->target) != 0)
		x->verp_mismatch = true;
	if (esc && !action_escalate(a, x)) {
		x->state = ACTION_NOT_CANDIDATE;
		return;
	}
	for (size_t j = 0; j < i; j++) {
		if ((a->rc[j].state == ACTION_NEW || a->rc[j].state == ACTION_LISTED) &&
		    strcmp(a->rc[j].target, x->target) == 0) {
			x->state = ACTION_LISTED;   /* same address earlier in this message */
			return;
		}
	}
	if (allowlist_match(a->cfg->ops.allowlist, x->target)) {
		x->why = "allowlist";
		return;
	}
	if (list != NULL && suppress_contains(list, x->target)) {
		x->state = ACTION_LISTED;
		return;
	}
	if (a->added >= a->cfg->max_suppress_per_message) {
		x->why = "message-cap";
		return;
	}
	if (action_rate != NULL && !ratecap_take(action_rate,
	    a->s->ip[0] != '\0' ? a->s->ip : "unknown",
	    a->cfg->max_suppress_per_hour, time(NULL))) {
		x->why = "rate-cap";
		return;
	}
	x->state = ACTION_NEW;
	a->added++;
}

/* The write failed: give back the hourly-cap take of every new entry that
 * is not on the list, so that the MTA's retries of a refused bounce are not
 * capped by their own failed attempts (and listed once the list works). */
static void
action_refund(struct action_ctx *a, struct suppress_list *list)
{
	time_t now = time(NULL);

	if (action_rate == NULL)
		return;
	for (size_t i = 0; i < a->nrc; i++) {
		struct action_rcpt *x = &a->rc[i];

		if (x->state == ACTION_NEW &&
		    (list == NULL || !suppress_contains(list, x->target)))
			ratecap_give(action_rate, a->s->ip[0] != '\0' ? a->s->ip : "unknown", now);
	}
}

/* Append the ACTION_NEW entries; false when the write failed and the message
 * must be tempfailed. */
static bool
action_write(struct action_ctx *a, struct suppress_list *list)
{
	struct suppress_entry *e;
	size_t n = 0, added = 0;
	char err[256] = "";
	int rc;

	if (a->added == 0)
		return true;
	e = calloc(a->added, sizeof *e);
	if (e == NULL) {
		snprintf(err, sizeof err, "out of memory");
		rc = -1;
	} else if (list == NULL) {
		snprintf(err, sizeof err, "suppression list is not open");
		rc = -1;
	} else {
		time_t now = time(NULL);

		for (size_t i = 0; i < a->nrc; i++) {
			struct action_rcpt *x = &a->rc[i];

			if (x->state != ACTION_NEW)
				continue;
			e[n].addr = x->target;
			e[n].status = x->r->status;
			e[n].reason = x->escalated ? x->word : action_reason_word(a->res, x->r);
			e[n].reporting_mta = x->r->reporting_mta[0] != '\0'
			    ? x->r->reporting_mta : a->res->reporting_mta;
			e[n].queue_id = a->qid;
			e[n].when = now;
			n++;
		}
		rc = suppress_append(list, e, n, &added, err, sizeof err);
	}
	free(e);
	if (rc == 0)
		return true;
	stats_inc(STATS_LIST_WRITE_ERRORS);
	action_refund(a, list);
	if (a->cfg->on_error == BM_ON_ERROR_TEMPFAIL) {
		log_qid(LOG_ERR, a->qid, "suppression list write failed: %s; answering 451 4.3.0",
		    err);
		return false;
	}
	log_qid(LOG_ERR, a->qid, "suppression list write failed: %s; accepting (on_error = accept)",
	    err);
	for (size_t i = 0; i < a->nrc; i++) {
		struct action_rcpt *x = &a->rc[i];

		if (x->state == ACTION_NEW &&
		    (list == NULL || !suppress_contains(list, x->target))) {
			x->state = ACTION_REFUSED;
			x->why = "write-error";
		}
	}
	return true;
}

/* ------------------------------------------------------------------ headers, log */

static int
action_add_header(struct action_plan *plan, size_t cap, const char *name,
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

static void
action_field(char *buf, size_t sz, const char *key, const char *val)
{
	size_t len = strlen(buf);

	if (val == NULL || *val == '\0' || len + 1 >= sz)
		return;
	snprintf(buf + len, sz - len, "; %s=%s", key, val);
}

static bool
action_any_listed(const struct action_ctx *a)
{
	for (size_t i = 0; i < a->nrc; i++)
		if (a->rc[i].state == ACTION_NEW || a->rc[i].state == ACTION_LISTED)
			return true;
	return false;
}

static void
action_headers(struct action_ctx *a, struct action_plan *plan)
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
	(void)action_add_header(plan, cap, "X-Bounce-Class",
	    bm_class_name(action_message_class(res)));
	for (size_t i = 0; i < a->nrc; i++) {
		const struct bounce_rcpt *r = a->rc[i].r;

		if (!action_reported(res, r))
			continue;
		if (nrcpt_hdrs >= BM_ACTION_RCPT_HDRS) {
			log_qid(LOG_INFO, a->qid, "more than %d recipients: X-Bounce-Recipient headers capped",
			    BM_ACTION_RCPT_HDRS);
			break;
		}
		snprintf(raw, sizeof raw, "%s",
		    r->recipient[0] != '\0' ? r->recipient : "unknown");
		action_field(raw, sizeof raw, "class", bm_class_name(r->cls));
		action_field(raw, sizeof raw, "status", r->status);
		action_field(raw, sizeof raw, "reason", action_reason_word(res, r));
		action_field(raw, sizeof raw, "action", r->action);
		action_field(raw, sizeof raw, "reporting-mta",
		    r->reporting_mta[0] != '\0' ? r->reporting_mta : res->reporting_mta);
		if (res->kind == BOUNCE_KIND_FEEDBACK)
			action_field(raw, sizeof raw, "feedback-type",
			    r->feedback_type[0] != '\0' ? r->feedback_type : res->feedback_type);
		if (action_add_header(plan, cap, "X-Bounce-Recipient", raw) == 0)
			nrcpt_hdrs++;
	}
	snprintf(raw, sizeof raw, "spf=%s; helo=%s; ip=%s; suppressed=%s",
	    spf_res_name(a->spf), s->helo[0] != '\0' ? s->helo : "unknown",
	    s->ip[0] != '\0' ? s->ip : "unknown", action_any_listed(a) ? "yes" : "no");
	(void)action_add_header(plan, cap, "X-Bounce-Origin", raw);
}

static const char *
action_kind_word(enum bounce_kind k)
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

static void
action_log_one(const struct action_ctx *a, const struct action_rcpt *x)
{
	const struct bounce_result *res = a->res;
	const struct session *s = a->s;
	const struct bounce_rcpt *r = x != NULL ? x->r : NULL;
	char extra[BM_ADDR_MAX + 128] = "";
	const char *sup;

	if (x == NULL || x->state == ACTION_NOT_CANDIDATE || x->state == ACTION_REFUSED)
		sup = "no";
	else
		sup = "yes";
	if (x != NULL && x->state == ACTION_REFUSED && x->why != NULL)
		snprintf(extra, sizeof extra, " why=%s", x->why);
	else if (x != NULL && x->state == ACTION_LISTED)
		snprintf(extra, sizeof extra, " already=yes");
	if (x != NULL && x->escalated) {
		size_t len = strlen(extra);

		snprintf(extra + len, sizeof extra - len, " escalated=%s", x->word + 10);
	}
	if (s->msg.verp == VERP_OK && x != NULL) {
		size_t len = strlen(extra);

		snprintf(extra + len, sizeof extra - len, " verp=<%s>%s", s->msg.verp_addr,
		    x->verp_mismatch ? " verp_mismatch=yes" : "");
	}
	log_qid(LOG_INFO, a->qid,
	    "%s class=%s rcpt=<%s>%s%s reason=%s spf=%s suppressed=%s%s%s helo=%s ip=%s",
	    action_kind_word(res->kind),
	    bm_class_name(r != NULL ? r->cls : action_message_class(res)),
	    r != NULL ? r->recipient : "",
	    r != NULL && r->status[0] != '\0' ? " status=" : "",
	    r != NULL ? r->status : "",
	    r != NULL ? action_reason_word(res, r) : "undefined",
	    spf_res_name(a->spf), sup, extra,
	    a->spf_from_authres ? " spf_source=authres" : "",
	    s->helo[0] != '\0' ? s->helo : "unknown",
	    s->ip[0] != '\0' ? s->ip : "unknown");
	/* the evidence behind the class (DESIGN 3), at debug level; group
	 * and rule names are our own words, without spaces */
	if (r != NULL) {
		char groups[512];

		(void)evidence_groups(r->ev.groups | r->ev.notice_groups, groups,
		                      sizeof(groups));
		log_qid(LOG_DEBUG, a->qid,
		    "evidence rcpt=<%s> rule=%s status_source=%s groups=%s",
		    r->recipient, evidence_rule(r),
		    r->ev.status_src != BM_STATUS_SRC_NONE ?
		        evidence_status_source(r->ev.status_src) : "none",
		    groups[0] != '\0' ? groups : "none");
	}
}

/* The counters of one reported recipient (stats.h). */
static void
action_count(const struct action_rcpt *x)
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

static void
action_log(const struct action_ctx *a)
{
	size_t logged = 0;

	for (size_t i = 0; i < a->nrc; i++) {
		if (!action_reported(a->res, a->rc[i].r))
			continue;
		action_count(&a->rc[i]);
		action_log_one(a, &a->rc[i]);
		logged++;
	}
	if (logged == 0)
		action_log_one(a, NULL);
	if (a->res->rcpt_capped)
		log_qid(LOG_WARNING, a->qid, "more recipients than the parser keeps; the rest were ignored");
}

/* ------------------------------------------------------------------ event log */

static const char *
action_event_why(const struct action_rcpt *x)
{
	switch (x->state) {
	case ACTION_NEW:
		return x->escalated ? "escalated" : "new";
	case ACTION_LISTED:
		return "already";
	case ACTION_REFUSED:
		return x->why != NULL ? x->why : "refused";
	default:
		return "not-candidate";
	}
}

/* One JSON line per reported recipient, saved before the MTA is answered;
 * false when that failed and on_error says tempfail. */
static bool
action_events(const struct action_ctx *a)
{
	char err[256];
	time_t now = time(NULL);
	struct buf b;
	bool ok = true;

	if (!eventlog_enabled())
		return true;
	buf_init(&b, 4u << 20);
	for (size_t i = 0; i < a->nrc; i++) {
		const struct action_rcpt *x = &a->rc[i];
		const struct bounce_rcpt *r = x->r;
		struct eventlog_event ev = {
			.when = now, .queue_id = a->qid, .kind = action_kind_word(a->res->kind),
			.cls = bm_class_name(r->cls), .reason = action_reason_word(a->res, r),
			.status = r->status, .action = r->action, .recipient = r->recipient,
			.original_recipient = r->original_recipient,
			.reporting_mta = r->reporting_mta[0] != '\0' ? r->reporting_mta
			    : a->res->reporting_mta,
			.spf = spf_res_name(a->spf), .trusted = a->trusted,
			.listed = x->state == ACTION_NEW || x->state == ACTION_LISTED,
			.why = action_event_why(x),
			/* the returned message's, as the classifier read them */
			.message_id = a->res->message_id, .list_id = a->res->orig_list_id,
			.diagnostic = r->diagnostic,
		};

		if (action_reported(a->res, r))
			(void)eventlog_format(&b, &ev);
	}
	if (b.truncated || eventlog_append(b.data, b.len, err, sizeof err) != 0) {
		if (b.truncated)
			snprintf(err, sizeof err, "more events than fit in one write");
		stats_inc(STATS_EVENTLOG_WRITE_ERRORS);
		ok = a->cfg->on_error != BM_ON_ERROR_TEMPFAIL;
		log_qid(LOG_ERR, a->qid, "event log write failed: %s; %s", err,
		    ok ? "accepting (on_error = accept)" : "answering 451 4.3.0");
	}
	buf_free(&b);
	return ok;
}

/* ------------------------------------------------------------------ eom */

void
action_eom(struct session *s, struct action_plan *plan)
{
	struct session_msg *m = &s->msg;
	struct bounce_limits lim;
	struct bounce_result res;
	struct action_ctx a;
	struct suppress_list *list;

	memset(plan, 0, sizeof *plan);
	memset(&res, 0, sizeof res);
	if (m->cfg == NULL)
		return;
	memset(&a, 0, sizeof a);
	a.s = s;
	a.cfg = m->cfg;
	a.res = &res;
	a.qid = m->qid[0] != '\0' ? m->qid : "NOQUEUE";

	bounce_limits_default(&lim);
	lim.max_bytes = m->data.len;
	if (bounce_parse(m->data.data != NULL ? m->data.data : "", m->data.len,
	    &lim, &res) != 0) {
		log_qid(LOG_ERR, a.qid, "out of memory while parsing; answering 451 4.3.0");
		plan->tempfail = true;
		goto out;
	}
	if (m->hdr_truncated || m->body_truncated || res.truncated)
		log_qid(LOG_INFO, a.qid, "examined the first %zu bytes only (truncated=yes)",
		    m->data.len);
	if (!action_is_bounce(&res)) {
		log_qid(LOG_INFO, a.qid, "examined kind=%s from=<%s>: not tagged",
		    bounce_kind_name(res.kind), m->mail_from);
		goto out;
	}

	a.spf = action_spf(s, a.cfg, &a.spf_from_authres);
	a.trusted = action_policy_ok(a.cfg->spf_policy, a.spf);
	stats_spf(a.spf);
	a.nrc = res.nrcpt;
	a.rc = calloc(a.nrc > 0 ? a.nrc : 1, sizeof *a.rc);
	if (a.rc == NULL) {
		log_qid(LOG_ERR, a.qid, "out of memory; answering 451 4.3.0");
		plan->tempfail = true;
		goto out;
	}
	for (size_t i = 0; i < a.nrc; i++)
		a.rc[i].r = &res.rcpt[i];

	pthread_rwlock_rdlock(&action_lock);
	list = action_list;
	for (size_t i = 0; i < a.nrc; i++)
		action_decide(&a, list, i);
	if (!action_write(&a, list)) {
		pthread_rwlock_unlock(&action_lock);
		plan->tempfail = true;
		goto out;
	}
	pthread_rwlock_unlock(&action_lock);
	if (!action_events(&a)) {
		plan->tempfail = true;
		goto out;
	}

	action_headers(&a, plan);
	action_log(&a);
out:
	free(a.rc);
	bounce_result_free(&res);
}

void
action_plan_free(struct action_plan *plan)
{
	if (plan == NULL)
		return;
	free(plan->hdrs);
	plan->hdrs = NULL;
	plan->nhdrs = 0;
}
