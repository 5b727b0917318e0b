/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * result.h - building a bounce_result (for the parsers inside the classifier).
 *
 * result_add_rcpt() appends a zeroed record, growing the array up to
 * lim->max_rcpt; past that it sets res->rcpt_capped and returns NULL, so a
 * message naming thousands of recipients costs bounded memory.  It also
 * returns NULL when memory runs out.  result_set_str() copies a span into
 * one of the record's fixed arrays with white space collapsed.
 * result_scrub() is the last guard of record.h's promise that no string in
 * a result holds a control character, whatever a parser copied: free text
 * gets a space for each, single words and host names end at the first one.
 */
#ifndef BM_RESULT_H
#define BM_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#include "classify/record.h"
#include "mime/limits.h"

struct bounce_rcpt *result_add_rcpt(struct bounce_result *res,
                                    const struct bounce_limits *lim);
void result_set_str(char *dst, size_t dstsz, const char *src, size_t len);
void result_scrub(struct bounce_result *res);
/* Find a record by normalised recipient, or NULL. */
struct bounce_rcpt *result_find_rcpt(struct bounce_result *res, const char *addr);
/* Is a DSN Action one that is not a failure ("delivered", "relayed",
 * "expanded"; RFC 3464 2.3.3)? */
bool result_action_is_success(const char *action);

#endif
