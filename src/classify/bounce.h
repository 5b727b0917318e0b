/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bounce.h - the classifier's facade: bytes of one message in, a classified
 * result out.
 *
 * The classifier's entry point for the daemon, the CLI, the fuzz targets
 * and the benchmarks; it brings the record types (record.h), the class
 * and reason names (classify.h, reason.h) and the caps (mime/limits.h)
 * with it, and owns none of them.  bounce_parse() never reads past `len`,
 * needs no NUL terminator, accepts CRLF or LF line ends and an mbox "From "
 * line, and always yields a result: malformed or truncated input degrades to
 * kind not-bounce or class undetermined, never to a crash.  Every buffer is
 * bounded by struct bounce_limits; hitting a cap sets result->truncated.
 *
 * Memory: the result owns its recipient array; release it with
 * bounce_result_free().  Thread safety: bounce_parse() keeps no global
 * mutable state, so any number of threads may call it at once.
 */
#ifndef BM_BOUNCE_H
#define BM_BOUNCE_H

#include <stdbool.h>
#include <stddef.h>

#include "classify/classify.h"
#include "classify/reason.h"
#include "classify/record.h"
#include "mime/limits.h"

/* Parse and classify one message.  `lim` may be NULL for the defaults.
 * Returns 0, or -1 only when memory runs out (result is then not-bounce). */
int bounce_parse(const char *data, size_t len, const struct bounce_limits *lim,
                 struct bounce_result *out);

#endif
