/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arf.h - RFC 5965 Abuse Reporting Format (message/feedback-report) bodies.
 *
 * arf_parse() reads the machine-readable part of a feedback report
 * (Feedback-Type, Original-Rcpt-To, Reporting-MTA, folded or not, any
 * case) and appends one record per Original-Rcpt-To, or one record for
 * `fallback_rcpt` (the To: of the returned message, may be "" or NULL)
 * when the report names none.  Records get action "", reason feedback,
 * class feedback and the lower-cased feedback type; res->feedback_type and
 * res->reporting_mta are set too.  Bounded by lim->max_rcpt (result.h);
 * never reads past len.  Returns the number of records added.  Pure and
 * thread-safe.
 */
#ifndef BM_ARF_H
#define BM_ARF_H

#include <stddef.h>

struct bounce_result;
struct bounce_limits;

size_t arf_parse(const char *text, size_t len, const char *fallback_rcpt,
                 const struct bounce_limits *lim, struct bounce_result *res);

#endif
