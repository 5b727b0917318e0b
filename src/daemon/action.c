/* SPDX-License-Identifier: BSD-2-Clause */
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
#include "daemon/action_ctx.h"
#include "daemon/report.h"
#include "classify/addr.h"
#include "classify/bounce.h"
#include "daemon/conf.h"
#include "util/log.h"
#include "trust/origin.h"
#include "trust/ratecap.h"
#include "daemon/session.h"
#include "trust/spf.h"
#include "suppress/suppress.h"

#define ACTION_RATECAP_SLOTS 4096
#define ACTION_ALIGN_MAX 16        /* recipient domains checked per message */

/* ------------------------------------------------------------------ shared state */

static pthread_rwlock_t action_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct suppress_list *action_list;      /* under action_lock */
static char *action_list_path;
static struct suppress_opts action_list_opts;
static struct ratecap *action_rate;            /* per client network */
static struct ratecap *action_domrate;         /* per recipient domain ("@domain") */

int
action_init(void)
{
	if (action_rate == NULL)
		action_rate = ratecap_new(ACTION_RATECAP_SLOTS);
	if (action_domrate == NULL)
		action_domrate = ratecap_new(ACTION_RATECAP_SLOTS);
	return action_rate != NULL && action_domrate != NULL ? 0 : -1;
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

/* Our MTA's Authentication-Results spf=pass, when it can be believed:
 * exactly one header with our authserv-id (attack 4: a sender adds one on
 * top of ours), an spf result of pass, and an identity it names. */
static const struct authres_spf *
action_authres_pass(const struct session_msg *m)
{
	if (m->authres_ours != 1 || m->authres != AUTHRES_SPF ||
	    m->authres_spf.res != SPF_RES_PASS || m->authres_spf.ident == AUTHRES_ID_NONE)
		return NULL;
	return &m->authres_spf;
}

static bool
action_name_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && la > 0 && strncasecmp(a, b, la) == 0;
}

/* The SPF result of the session's own identity (HELO for the null sender,
 * else the MAIL FROM domain): information for the header and the log.  An
 * A-R pass counts only when it names that same identity. */
static enum spf_res
action_spf(struct session *s, const struct bm_config *cfg, bool *from_authres)
{
	struct session_msg *m = &s->msg;
	const struct authres_spf *ar = action_authres_pass(m);
	const char *at = strrchr(m->mail_from, '@');
	const char *ident = m->null_sender ? s->helo : at != NULL ? at + 1 : "";
	enum spf_res res = SPF_RES_NONE;

	*from_authres = false;
	if (!cfg->spf_on)
		return SPF_RES_OFF;
	if (m->spf != NULL)
		res = spf_wait(m->spf, cfg->spf_timeout_ms);
	if (res != SPF_RES_PASS && ar != NULL && action_name_eq(ar->domain, ident)) {
		*from_authres = true;
		res = SPF_RES_PASS;
	}
	return res;
}

/* What the envelope recipient's tags prove.  A VERP address names the
 * address to list; a valid tag on it (its own, or a BATV tag around it)
 * makes the bounce signed.  A BATV tag around a plain return path proves
 * only that the bounce answers mail we sent: it names no recipient, so it
 * opens the keyed gate but the records must reach another level. */
static void
action_tags(struct action_ctx *a)
{
	const struct session_msg *m = &a->s->msg;

	a->keyed = a->cfg->keys.n > 0;
	if (!a->keyed)
		return;
	a->tag_word = "valid";
	if (m->batv == SIGN_BAD || m->verp == VERP_BAD_TAG) {
		a->tag_why = "bad-tag";
		a->tag_word = "bad";
	} else if (m->batv == SIGN_EXPIRED || m->verp == VERP_EXPIRED) {
		a->tag_why = "expired-tag";
		a->tag_word = "expired";
	} else if (m->verp == VERP_OK) {
		a->signed_ok = true;
	} else if (m->batv == SIGN_OK) {
		a->tagged_ok = true;
	} else {
		a->tag_why = "unsigned";
		a->tag_word = "none";
	}
}

/* The address a record would list (the signed one when the envelope
 * recipient is signed) and the origin level known without DNS. */
static void
action_prepare(struct action_ctx *a, size_t i)
{
	struct action_rcpt *x = &a->rc[i];
	struct session_msg *m = &a->s->msg;
	const struct bounce_rcpt *r = x->r;
	const char *src = a->signed_ok || (!a->keyed && m->verp == VERP_OK)
	    ? m->verp_addr : r->recipient;

	if (addr_normalise(src, strlen(src), x->target, sizeof x->target,
	    a->cfg->suppress.fold_local) != 0)
		x->target[0] = '\0';
	else if (!suppress_addr_ok(x->target))
		x->unlistable = true;        /* the parser took it, the list cannot */
	else if (src == m->verp_addr && r->recipient[0] != '\0' &&
	    strcasecmp(r->recipient, x->target) != 0)
		x->verp_mismatch = true;
	x->level = a->signed_ok ? ORIGIN_SIGNED : a->relay ? ORIGIN_TRUSTED
	    : ORIGIN_UNALIGNED;
}

static long
action_ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long ms;

	if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
		return 0;
	ms = (long)(deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? ms : 0;
}

/* Aligned origin: the client IP passes SPF check_host() for the domain of
 * the address a record would list.  One lookup per distinct domain (at
 * most ACTION_ALIGN_MAX; the rest stay unaligned), all started before any
 * is waited for, the whole wait bounded by trust.spf_timeout_ms. */
static void
action_align(struct action_ctx *a)
{
	struct {
		const char *dom;
		struct spf_check *c;
		enum spf_res res;
	} d[ACTION_ALIGN_MAX];
	const struct sockaddr *ip = a->s->has_addr
	    ? (const struct sockaddr *)&a->s->addr : NULL;
	struct timespec deadline;
	size_t nd = 0;

	const struct authres_spf *ar = action_authres_pass(&a->s->msg);

	if (!a->cfg->spf_on || ip == NULL)
		return;
	for (size_t i = 0; i < a->nrc; i++) {
		struct action_rcpt *x = &a->rc[i];
		const char *at = strrchr(x->target, '@');
		size_t k;

		if (x->level != ORIGIN_UNALIGNED || at == NULL ||
		    !report_reported(a->res, x->r))
			continue;
		/* our MTA checked SPF for this very domain: no lookup */
		if (ar != NULL && action_name_eq(ar->domain, at + 1)) {
			x->level = ORIGIN_ALIGNED;
			continue;
		}
		for (k = 0; k < nd; k++)
			if (strcasecmp(d[k].dom, at + 1) == 0)
				break;
		if (k < nd || nd == ACTION_ALIGN_MAX)
			continue;
		d[nd].dom = at + 1;
		d[nd].c = spf_start_host(ip, at + 1);
		d[nd].res = SPF_RES_TEMPERROR;
		nd++;
	}
	if (nd == 0)
		return;
	if (clock_gettime(CLOCK_MONOTONIC, &deadline) != 0)
		memset(&deadline, 0, sizeof deadline);
	deadline.tv_sec += a->cfg->spf_timeout_ms / 1000;
	deadline.tv_nsec += (long)(a->cfg->spf_timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	for (size_t k = 0; k < nd; k++) {
		d[k].res = spf_wait(d[k].c, (unsigned)action_ms_left(&deadline));
		spf_free(d[k].c);
	}
	for (size_t i = 0; i < a->nrc; i++) {
		struct action_rcpt *x = &a->rc[i];
		const char *at = strrchr(x->target, '@');

		if (x->level != ORIGIN_UNALIGNED || at == NULL)
			continue;
		for (size_t k = 0; k < nd; k++)
			if (strcasecmp(d[k].dom, at + 1) == 0 && d[k].res == SPF_RES_PASS)
				x->level = ORIGIN_ALIGNED;
	}
}

/* Decide one record; the caller holds the list lock (read). */
static void
action_decide(struct action_ctx *a, struct suppress_list *list, size_t i)
{
	struct action_rcpt *x = &a->rc[i];
	const struct bounce_rcpt *r = x->r;
	bool esc = false;

	if (!action_candidate(a, r)) {
		x->state = ACTION_NOT_CANDIDATE;
		if (!action_escalation_candidate(a, r))
			return;
		/* counts towards escalation only from an origin that may suppress */
		esc = true;
		if (a->tag_why != NULL || x->target[0] == '\0' || x->unlistable ||
		    !a->cfg->origin_ok[x->level])
			return;
	}
	x->state = ACTION_REFUSED;
	/* With a secret configured only a valid tag may suppress: the same
	 * DSN sent to a plain bounce address must not get around it. */
	if (a->tag_why != NULL) {
		x->why = a->tag_why;
		return;
	}
	if (x->target[0] == '\0') {
		x->why = "no-address";
		return;
	}
	if (x->unlistable) {
		x->why = "unlistable";     /* logged and skipped: never a 451 */
		return;
	}
	if (!a->cfg->origin_ok[x->level]) {
		x->why = "origin";
		return;
	}
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
	if (action_rate != NULL && !ratecap_take(action_rate, a->net,
	    a->cfg->max_suppress_per_hour, time(NULL))) {
		x->why = "rate-cap";
		return;
	}
	if (action_domrate != NULL && !ratecap_take(action_domrate,
	    strrchr(x->target, '@'), a->cfg->max_suppress_per_domain, time(NULL))) {
		if (action_rate != NULL)
			ratecap_give(action_rate, a->net, time(NULL));
		x->why = "domain-cap";
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
		    (list == NULL || !suppress_contains(list, x->target))) {
			ratecap_give(action_rate, a->net, now);
			if (action_domrate != NULL)
				ratecap_give(action_domrate, strrchr(x->target, '@'), now);
		}
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
			e[n].reason = x->escalated ? x->word : report_reason_word(a->res, x->r);
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
			.when = now, .queue_id = a->qid, .kind = report_kind_word(a->res->kind),
			.cls = bm_class_name(r->cls), .reason = report_reason_word(a->res, r),
			.status = r->status, .action = r->action, .recipient = r->recipient,
			.original_recipient = r->original_recipient,
			.reporting_mta = r->reporting_mta[0] != '\0' ? r->reporting_mta
			    : a->res->reporting_mta,
			.spf = spf_res_name(a->spf),
			.trusted = a->tag_why == NULL && a->cfg->origin_ok[x->level],
			.listed = x->state == ACTION_NEW || x->state == ACTION_LISTED,
			.why = action_event_why(x),
			/* the returned message's, as the classifier read them */
			.message_id = a->res->message_id, .list_id = a->res->orig_list_id,
			.diagnostic = r->diagnostic,
		};

		if (report_reported(a->res, r))
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

	if (m->mem_capped) {
		/* the global memory cap: a partial bounce could be misread, and
		 * the sending MTA retries a 451 when we are less busy */
		log_qid(LOG_WARNING, a.qid, "max_total_message_bytes reached (%zu bytes held by "
		    "all messages); answering 451 4.3.0", session_held_bytes());
		plan->tempfail = true;
		return;
	}
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
	action_tags(&a);
	if (ratecap_net_key(s->ip, a.net, sizeof a.net) != 0)
		snprintf(a.net, sizeof a.net, "unknown");
	a.relay = s->has_addr && origin_relay((const struct sockaddr *)&s->addr,
	    (const char *const *)a.cfg->relays);
	stats_spf(a.spf);
	a.nrc = res.nrcpt;
	a.rc = calloc(a.nrc > 0 ? a.nrc : 1, sizeof *a.rc);
	if (a.rc == NULL) {
		log_qid(LOG_ERR, a.qid, "out of memory; answering 451 4.3.0");
		plan->tempfail = true;
		goto out;
	}
	for (size_t i = 0; i < a.nrc; i++) {
		a.rc[i].r = &res.rcpt[i];
		action_prepare(&a, i);
	}
	action_align(&a);

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

	report_headers(&a, plan);
	report_log(&a);
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
