/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * result_check.h - checks that a bounce_result keeps the promises of
 * record.h and bounce.h, for the fuzz targets and the regression replay
 * test.
 *
 * result_check() returns 0 when every string field is NUL-terminated inside
 * its array and free of control characters, every enum is in range, the
 * recipient count respects the limits, and the array pointer is consistent
 * with the count; otherwise -1 with a short reason written to why (bounded
 * by whysz).  It only reads the result.  Pure and thread-safe.
 * result_check_tight_limits() gives the small limits both callers also try.
 */
#ifndef BM_RESULT_CHECK_H
#define BM_RESULT_CHECK_H

#include <stddef.h>

#include "classify/bounce.h"

int result_check(const struct bounce_result *res, const struct bounce_limits *lim,
                 char *why, size_t whysz);

/* Limits small enough that ordinary inputs reach every cap (fuzzing and the
 * regression replay use the same ones). */
void result_check_tight_limits(struct bounce_limits *lim);

#endif
