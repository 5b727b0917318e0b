/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

#include <libmilter/mfapi.h>

#include "daemon/action.h"
#include "daemon/conf.h"
#include "util/log.h"
#include "daemon/milter.h"
#include "daemon/mta.h"
#include "daemon/session.h"
#include "daemon/stats.h"

#define MILTER_ACTIONS (SMFIF_ADDHDRS | SMFIF_CHGHDRS)

/* The session of this connection, created on first use (negotiate, or
 * connect when a connection starts without negotiate); NULL only when
 * memory runs out. */
static struct session *
milter_session(SMFICTX *ctx)
{
	struct session *s = smfi_getpriv(ctx);

	if (s != NULL)
		return s;
	if ((s = session_new()) == NULL) {
		log_msg(LOG_ERR, "out of memory for a new connection");
		return NULL;
	}
	if (smfi_setpriv(ctx, s) != MI_SUCCESS) {
		session_free(s);
		return NULL;
	}
	stats_connection(1);
	return s;
}

static sfsistat
bm_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2,
             unsigned long f3, unsigned long *pf0, unsigned long *pf1,
             unsigned long *pf2, unsigned long *pf3)
{
	struct session *s = milter_session(ctx);

	if ((f0 & MILTER_ACTIONS) != MILTER_ACTIONS)
		log_msg(LOG_WARNING, "the MTA does not offer adding and changing headers; messages will not be tagged");
	*pf0 = MILTER_ACTIONS & f0;
	/* every step stays on (no SMFIP_NO*): only SKIP, and no unknown commands */
	*pf1 = (SMFIP_SKIP | SMFIP_NOUNKNOWN) & f1;
	*pf2 = 0;
	*pf3 = 0;
	if (s != NULL)
		s->skip_ok = (f1 & SMFIP_SKIP) != 0;
	return SMFIS_CONTINUE;
}

static sfsistat
bm_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *hostaddr)
{
	struct session *s = milter_session(ctx);

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	session_connect(s, hostname, hostaddr);
	return SMFIS_CONTINUE;
}

static sfsistat
bm_helo(SMFICTX *ctx, char *helohost)
{
	struct session *s = milter_session(ctx);

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	session_helo(s, helohost);
	return SMFIS_CONTINUE;
}

static sfsistat
bm_envfrom(SMFICTX *ctx, char **argv)
{
	struct session *s = milter_session(ctx);

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	/* resets any earlier message: the previous one may have ended without
	 * abort (an early return) */
	session_mail(s, conf_get(), argv != NULL ? argv[0] : NULL);
	stats_inc(STATS_MSG_SEEN);
	if (s->msg.cfg == NULL) {
		log_msg(LOG_ERR, "no configuration loaded");
		session_msg_reset(s);
		return SMFIS_TEMPFAIL;
	}
	return SMFIS_CONTINUE;
}

static sfsistat
bm_envrcpt(SMFICTX *ctx, char **argv)
{
	struct session *s = smfi_getpriv(ctx);

	if (s != NULL && argv != NULL)
		session_rcpt(s, argv[0]);
	return SMFIS_CONTINUE;
}

static sfsistat
bm_data(SMFICTX *ctx)
{
	return SMFIS_CONTINUE;
}

static sfsistat
bm_header(SMFICTX *ctx, char *name, char *value)
{
	struct session *s = smfi_getpriv(ctx);

	if (s != NULL)
		session_header(s, name, value);
	return SMFIS_CONTINUE;
}

static void
milter_qid(SMFICTX *ctx, struct session *s)
{
	char qid[BM_SESSION_QID_MAX];

	if (s->msg.qid[0] == '\0' && mta_macro(ctx, "i", qid, sizeof qid) == 0)
		session_set_qid(s, qid);
}

static sfsistat
bm_eoh(SMFICTX *ctx)
{
	struct session *s = smfi_getpriv(ctx);

	if (s == NULL)
		return SMFIS_CONTINUE;
	milter_qid(ctx, s);
	session_eoh(s);
	return SMFIS_CONTINUE;
}

static sfsistat
bm_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	struct session *s = smfi_getpriv(ctx);

	if (s == NULL)
		return SMFIS_CONTINUE;
	if (session_body(s, chunk, len) && s->skip_ok)
		return SMFIS_SKIP;
	return SMFIS_CONTINUE;
}

static sfsistat
bm_eom(SMFICTX *ctx)
{
	struct session *s = smfi_getpriv(ctx);
	struct action_plan plan;
	const char *qid;

	if (s == NULL || !s->msg.active)
		return SMFIS_CONTINUE;
	milter_qid(ctx, s);
	if (!s->msg.in_body)
		session_eoh(s);
	qid = s->msg.qid;
	memset(&plan, 0, sizeof plan);
	if (session_examined(s)) {
		struct timespec t0, t1;

		stats_inc(STATS_MSG_EXAMINED);
		stats_eom_begin();
		(void)clock_gettime(CLOCK_MONOTONIC, &t0);
		action_eom(s, &plan);
		(void)clock_gettime(CLOCK_MONOTONIC, &t1);
		stats_eom_end((uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000L +
		    (t1.tv_nsec - t0.tv_nsec) / 1000));
	}
	if (plan.tempfail) {
		stats_inc(STATS_TEMPFAILS);
		(void)mta_reply(ctx, "451", "4.3.0",
		    "Bounce not recorded, please try again later");
		action_plan_free(&plan);
		session_msg_reset(s);
		return SMFIS_TEMPFAIL;
	}
	(void)mta_delete_forged(ctx, s, qid);
	for (size_t i = 0; i < plan.nhdrs; i++)
		(void)mta_add_header(ctx, plan.hdrs[i].name, plan.hdrs[i].value, qid);
	action_plan_free(&plan);
	session_msg_reset(s);
	return SMFIS_CONTINUE;
}

static sfsistat
bm_abort(SMFICTX *ctx)
{
	session_msg_reset(smfi_getpriv(ctx));
	return SMFIS_CONTINUE;
}

static sfsistat
bm_close(SMFICTX *ctx)
{
	struct session *s = smfi_getpriv(ctx);

	if (s != NULL) {
		(void)smfi_setpriv(ctx, NULL);
		session_free(s);
		stats_connection(-1);
	}
	return SMFIS_CONTINUE;
}

static struct smfiDesc milter_description = {
	.xxfi_name = "bounce-milter",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = MILTER_ACTIONS,
	.xxfi_connect = bm_connect,
	.xxfi_helo = bm_helo,
	.xxfi_envfrom = bm_envfrom,
	.xxfi_envrcpt = bm_envrcpt,
	.xxfi_header = bm_header,
	.xxfi_eoh = bm_eoh,
	.xxfi_body = bm_body,
	.xxfi_eom = bm_eom,
	.xxfi_abort = bm_abort,
	.xxfi_close = bm_close,
	.xxfi_unknown = NULL,
	.xxfi_data = bm_data,
	.xxfi_negotiate = bm_negotiate,
};

struct smfiDesc *
milter_desc(void)
{
	return &milter_description;
}
