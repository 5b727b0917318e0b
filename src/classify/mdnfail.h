/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mdnfail.h - a delivery failure reported as a disposition notification.
 *
 * Some stores refuse a message after they accepted it (a mailbox over its
 * quota, a mailbox closed) and say so in a message/disposition-notification
 * report (RFC 3798, RFC 2298 before it) instead of a DSN.  mdnfail_parse()
 * reads such a part: only a failure disposition counts (disposition-type
 * "failed", a modifier "error", "failed", "failure" or
 * "mailbox-terminated", or a Failure:/Error: field with a disposition
 * other than displayed/dispatched/processed); an ordinary read receipt
 * gives no record.  One record for Original-Recipient (else
 * Final-Recipient), action "failed", the Failure:/Error: text (else the
 * Disposition) as diagnostic.  Reads at most the part's first 200 lines;
 * allocates only through result_add_rcpt(); thread-safe (no state).
 */
#ifndef BM_MDNFAIL_H
#define BM_MDNFAIL_H

#include <stddef.h>

struct bounce_result;
struct bounce_limits;

/* Records added to res (0 or 1). */
size_t mdnfail_parse(const char *text, size_t len,
                     const struct bounce_limits *lim, struct bounce_result *res);

#endif
