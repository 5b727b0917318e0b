/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * classify.h - what the mailing software should do about one recipient.
 *
 * Classes (DESIGN section 3): hard (address dead: suppress), block (permanent
 * refusal about the sender, content or policy), soft (transient), and
 * undetermined (a bounce whose cause could not be read).  Non-failure
 * classes: none, auto-reply, feedback.  classify_rcpt() fills in status (from
 * the diagnostic, else inferred), reason and class of one record; it is pure
 * and thread-safe.  bm_class_worse() orders classes for the per-message
 * X-Bounce-Class: hard > block > soft > undetermined > feedback > auto-reply > none.
 */
#ifndef BM_CLASSIFY_H
#define BM_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "classify/record.h"

/* "hard", "block", ...; never NULL. */
const char *bm_class_name(enum bm_class cls);
/* -1 if unknown */
int bm_class_from_name(const char *name);
/* true for hard, block, soft, undetermined */
bool bm_class_is_failure(enum bm_class cls);
/* the worse of the two, by the order above */
enum bm_class bm_class_worse(enum bm_class a, enum bm_class b);

/* Fill status/replycode (if empty, from diagnostic), reason and cls. */
void classify_rcpt(struct bounce_rcpt *r);

/* A record classify_rcpt() called hard, looked at again with the phrase
 * groups (reason.h bits) found in the notice of a report that names only
 * this recipient: specific evidence of another cause there also blocks
 * hard.  Anything else is left as it is. */
void classify_reconsider(struct bounce_rcpt *r, uint64_t notice_groups);

#endif
