/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mime_date.h - RFC 5322 date-time values (a Date: field) to UTC.
 *
 * mime_date_parse() reads an unfolded field value: an optional day name
 * and comma, day, month name, year (two- and three-digit years as RFC 5322
 * section 4.3 reads them), hh:mm[:ss], then a numeric zone (+hhmm) or one
 * of the obsolete names (UT, GMT, Z, EST ... PDT; other military letters
 * count as -0000, RFC 5322 4.3).  Comments and white space around tokens
 * are skipped; anything left after the zone is ignored.  A value that does
 * not have that shape, or names a day, month or time out of range, gives
 * -1 and leaves the outputs alone.  Seconds since 1970-01-01T00:00:00Z and
 * the zone's offset in minutes east of UTC are returned through pointers.
 * mime_date_rfc3339() writes "YYYY-MM-DDThh:mm:ssZ" for years 0 to 9999.
 * Pure, no locale, no libc time zone: safe in any thread.
 */
#ifndef BM_MIME_DATE_H
#define BM_MIME_DATE_H

#include <stddef.h>
#include <stdint.h>

#define MIME_DATE_RFC3339_MAX 21   /* "2026-11-28T10:00:00Z" and NUL */

int mime_date_parse(const char *s, size_t len, int64_t *epoch, int *offset_min);

/* Returns 0, or -1 (out set to "") when the year is outside 0..9999. */
int mime_date_rfc3339(int64_t epoch, char out[MIME_DATE_RFC3339_MAX]);

#endif
