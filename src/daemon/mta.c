/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libmilter/mfapi.h>

#include "util/log.h"
#include "daemon/mta.h"
#include "daemon/session.h"

int
mta_macro(struct smfi_str *ctx, const char *name, char *out, size_t outsz)
{
	const char *v;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	v = smfi_getsymval(ctx, (char *)name);
	if (v == NULL)
		return -1;
	snprintf(out, outsz, "%s", v);
	return 0;
}

int
mta_delete_forged(struct smfi_str *ctx, const struct session *s, const char *qid)
{
	const struct session_msg *m = &s->msg;
	int failed = 0;

	for (size_t i = 0; i < m->nforged; i++) {
		char name[BM_SESSION_NAME_MAX];

		snprintf(name, sizeof name, "%s", m->forged[i].name);
		for (unsigned idx = m->forged[i].count; idx >= 1; idx--) {
			if (smfi_chgheader(ctx, name, (int)idx, NULL) != MI_SUCCESS) {
				log_qid(LOG_WARNING, qid, "cannot delete forged header %s[%u]",
				    name, idx);
				failed++;
			}
		}
		if (m->forged[i].count > 0)
			log_qid(LOG_NOTICE, qid, "removed forged header=%s count=%u",
			    name, m->forged[i].count);
	}
	if (m->forged_overflow)
		log_qid(LOG_WARNING, qid, "more than %d distinct X-Bounce-* header names; only ours and the first ones were removed",
		    BM_SESSION_FORGED_MAX);
	return failed;
}

int
mta_add_header(struct smfi_str *ctx, const char *name, const char *value,
               const char *qid)
{
	if (smfi_addheader(ctx, (char *)name, (char *)value) != MI_SUCCESS) {
		log_qid(LOG_WARNING, qid, "cannot add header %s", name);
		return -1;
	}
	return 0;
}

int
mta_reply(struct smfi_str *ctx, const char *rcode, const char *xcode,
          const char *text)
{
	if (smfi_setreply(ctx, (char *)rcode, (char *)xcode, (char *)text) != MI_SUCCESS) {
		log_msg(LOG_WARNING, "cannot set reply %s %s", rcode, xcode);
		return -1;
	}
	return 0;
}
