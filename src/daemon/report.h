/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report.h - what an examined message says about itself: the X-Bounce-*
 * headers to add and one log line per recipient (DESIGN.md section 4).
 *
 * report_headers() fills plan->hdrs (allocated here; freed by
 * action_plan_free) with X-Bounce-Class, one X-Bounce-Recipient per
 * reported recipient (at most BM_ACTION_RCPT_HDRS) and X-Bounce-Origin;
 * report_log() writes the log lines.  Every sender-chosen value goes
 * through util/kv.h (quoted when it could add a key); headers are
 * sanitised and folded (mime/hdr.h).  Called by action.c only.
 */
#ifndef BM_REPORT_H
#define BM_REPORT_H

#include <stdbool.h>

#include "classify/bounce.h"
#include "daemon/action_ctx.h"

enum bm_class report_message_class(const struct bounce_result *res);
/* Does this record get a header and a log line as a reported recipient? */
bool report_reported(const struct bounce_result *res, const struct bounce_rcpt *r);
const char *report_reason_word(const struct bounce_result *res, const struct bounce_rcpt *r);
/* The strongest level any reported record reached. */
enum origin_level report_best_level(const struct action_ctx *a);
const char *report_kind_word(enum bounce_kind k);  /* "bounce", "auto-reply", "feedback" */
void report_headers(struct action_ctx *a, struct action_plan *plan);
void report_log(const struct action_ctx *a);

#endif
