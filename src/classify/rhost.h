/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rhost.h - what a remote host's own wording means, where it says more
 * than the SMTP step does: rules keyed by the recipient's domain or the
 * remote MTA's host name (KDDI, Orange and La Poste, Outlook.com), and
 * Amazon SES inbound, whose bounces are receipt rules.  Each rule says
 * where its knowledge comes from.  Pure functions over read-only tables;
 * thread-safe.
 */
#ifndef BM_RHOST_H
#define BM_RHOST_H

#include <stdbool.h>

#include "classify/record.h"

/* true, and *out set, when a rule for r's recipient domain or remote MTA
 * finds its phrase in r's diagnostic. */
bool rhost_reason(const struct bounce_rcpt *r, enum bm_reason *out);
/* true, and *out = filtered, when r is an address-dead reason that Amazon
 * SES inbound reported: a receipt rule's text, not a directory lookup. */
bool rhost_receipt_rule(const struct bounce_rcpt *r, enum bm_reason reason,
                        enum bm_reason *out);

#endif
