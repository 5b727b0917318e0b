/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dsn.h - RFC 3464 message/delivery-status and RFC 6533
 * message/global-delivery-status bodies.
 *
 * dsn_parse() reads the per-message block (Reporting-MTA, Arrival-Date, ...)
 * and every per-recipient block (Final-Recipient, Original-Recipient,
 * Action, Status, Remote-MTA, Diagnostic-Code, Last-Attempt-Date,
 * Will-Retry-Until), unfolding continuation lines, and appends one record
 * per recipient whose Action is failed or delayed (delivered, relayed and
 * expanded are reported with their action but never as failures: the caller
 * decides).  Tolerates missing blank lines, odd case, CRLF, and a missing
 * per-message block.  Returns the number of records added.
 */
#ifndef BM_DSN_H
#define BM_DSN_H

#include <stddef.h>

struct bounce_result;
struct bounce_limits;

size_t dsn_parse(const char *text, size_t len, const struct bounce_limits *lim,
                 struct bounce_result *res);

#endif
