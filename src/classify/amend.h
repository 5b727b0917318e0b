/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * amend.h - the steps of bounce_parse() between reading the records and
 * classifying them, each applied to the whole result:
 *   amend_prefer_original() puts the address the sender used first (a
 *     DSN's Original-Recipient, a Postfix notice's "expanded from <...>"),
 *     the expanded one in final_recipient;
 *   amend_to_utf8() converts non-standard diagnostics written in the
 *     notice's declared charset (mime/charset.h), before the records are
 *     scrubbed of control characters;
 *   amend_delay_notice() marks the records of a delay warning "delayed";
 *   amend_notice_evidence() reads the notice of a one-recipient DSN that
 *     was called hard for a cause that contradicts it.
 * They change only the result's records; the context and its text are
 * read, never written.  No allocation; thread-safe.
 */
#ifndef BM_AMEND_H
#define BM_AMEND_H

#include "classify/recog.h"
#include "classify/record.h"

void amend_prefer_original(struct bounce_result *res, const struct recog_ctx *ctx);
void amend_to_utf8(struct bounce_result *res, const char *charset);
void amend_delay_notice(struct bounce_result *res, const char *subject);
void amend_notice_evidence(struct bounce_result *res, const struct recog_ctx *ctx,
                           const char *charset);

#endif
