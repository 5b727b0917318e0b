/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_mime_date.c - mime_date: RFC 5322 dates to UTC seconds and RFC 3339.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mime/mime_date.h"

struct date_case {
	const char *label;
	const char *in;
	int want_rc;
	const char *want_utc;   /* RFC 3339 of the result */
	int want_offset;        /* minutes east of UTC */
};

static const struct date_case date_cases[] = {
	{ "RFC 5322 example", "Fri, 21 Nov 1997 09:55:06 -0600", 0,
	  "1997-11-21T15:55:06Z", -360 },
	{ "east of UTC crosses midnight", "Tue, 1 Jul 2003 10:52:37 +0200", 0,
	  "2003-07-01T08:52:37Z", 120 },
	{ "no day name, no seconds", "29 Apr 2013 23:45 +0900", 0,
	  "2013-04-29T14:45:00Z", 540 },
	{ "comment after zone", "Thu, 29 Apr 2010 23:34:45 +0900 (JST)", 0,
	  "2010-04-29T14:34:45Z", 540 },
	{ "obsolete zone EST", "Mon, 1 Jan 2001 00:00:00 EST", 0,
	  "2001-01-01T05:00:00Z", -300 },
	{ "GMT", "Wed, 26 Feb 2014 06:05:48 GMT", 0, "2014-02-26T06:05:48Z", 0 },
	{ "military letter reads -0000", "Wed, 26 Feb 2014 06:05:48 A", 0,
	  "2014-02-26T06:05:48Z", 0 },
	{ "no zone at all", "Wed, 26 Feb 2014 06:05:48", 0, "2014-02-26T06:05:48Z", 0 },
	{ "two-digit year before 50", "1 Mar 04 12:00:00 +0000", 0,
	  "2004-03-01T12:00:00Z", 0 },
	{ "two-digit year from 50", "1 Mar 99 12:00:00 +0000", 0,
	  "1999-03-01T12:00:00Z", 0 },
	{ "three-digit year", "1 Mar 103 12:00:00 +0000", 0,
	  "2003-03-01T12:00:00Z", 0 },
	{ "leap day", "29 Feb 2024 00:00:00 +0000", 0, "2024-02-29T00:00:00Z", 0 },
	{ "leap second", "31 Dec 2016 23:59:60 +0000", 0, "2017-01-01T00:00:00Z", 0 },
	{ "full names and folding white space", " Thursday,\r\n 29  April 2010 01:02:03 -0000", 0,
	  "2010-04-29T01:02:03Z", 0 },
	{ "before 1970", "1 Jan 1960 00:00:00 +0000", 0, "1960-01-01T00:00:00Z", 0 },
	{ "no leap day in 2023", "29 Feb 2023 00:00:00 +0000", -1, NULL, 0 },
	{ "hour 24", "1 Jan 2020 24:00:00 +0000", -1, NULL, 0 },
	{ "minute 60", "1 Jan 2020 23:60:00 +0000", -1, NULL, 0 },
	{ "unknown month", "1 Foo 2020 10:00:00 +0000", -1, NULL, 0 },
	{ "not a day name", "Xyz, 1 Jan 2020 10:00:00 +0000", -1, NULL, 0 },
	{ "bad numeric zone", "1 Jan 2020 10:00:00 +09", -1, NULL, 0 },
	{ "zone minutes 60", "1 Jan 2020 10:00:00 +0960", -1, NULL, 0 },
	{ "no time", "1 Jan 2020", -1, NULL, 0 },
	{ "empty", "", -1, NULL, 0 },
	{ "ISO form is not RFC 5322", "2020-01-01T10:00:00Z", -1, NULL, 0 },
	{ "five-digit year", "1 Jan 20201 10:00:00 +0000", -1, NULL, 0 },
};

static void
test_parse_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(date_cases) / sizeof(date_cases[0]); i++) {
		const struct date_case *c = &date_cases[i];
		int64_t epoch = 12345;
		int off = 777, rc;
		char out[MIME_DATE_RFC3339_MAX];

		rc = mime_date_parse(c->in, strlen(c->in), &epoch, &off);
		if (rc != c->want_rc)
			fail_msg("%s: rc %d, want %d", c->label, rc, c->want_rc);
		if (rc != 0) {
			/* outputs untouched on failure */
			if (epoch != 12345 || off != 777)
				fail_msg("%s: outputs changed on failure", c->label);
			continue;
		}
		assert_int_equal(mime_date_rfc3339(epoch, out), 0);
		if (strcmp(out, c->want_utc) != 0 || off != c->want_offset)
			fail_msg("%s: got %s offset %d, want %s offset %d", c->label,
			    out, off, c->want_utc, c->want_offset);
	}
}

/* The length bounds the read: a valid date cut short is no date. */
static void
test_parse_reads_only_len(void **state)
{
	const char *s = "1 Jan 2020 10:00:00 +0000";
	int64_t epoch;
	int off;

	(void)state;
	assert_int_equal(mime_date_parse(s, 10, &epoch, &off), -1);
	assert_int_equal(mime_date_parse(NULL, 5, &epoch, &off), -1);
	/* zone cut to "+00" */
	assert_int_equal(mime_date_parse(s, strlen(s) - 2, &epoch, &off), -1);
}

static void
test_rfc3339_range(void **state)
{
	char out[MIME_DATE_RFC3339_MAX];

	(void)state;
	assert_int_equal(mime_date_rfc3339(0, out), 0);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	assert_int_equal(mime_date_rfc3339(-1, out), 0);
	assert_string_equal(out, "1969-12-31T23:59:59Z");
	assert_int_equal(mime_date_rfc3339(253402300799LL, out), 0);
	assert_string_equal(out, "9999-12-31T23:59:59Z");
	assert_int_equal(mime_date_rfc3339(253402300800LL, out), -1);
	assert_string_equal(out, "");
	assert_int_equal(mime_date_rfc3339(-62167219201LL, out), -1);
}

/* Every day of four centuries goes there and back. */
static void
test_round_trip(void **state)
{
	int64_t t;

	(void)state;
	for (t = -2208988800LL; t < 10413792000LL; t += 86400 + 3661) {
		char iso[MIME_DATE_RFC3339_MAX], rfc[64];
		static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
		    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
		int y, m, d, hh, mm, ss, off;
		int64_t back;

		assert_int_equal(mime_date_rfc3339(t, iso), 0);
		assert_int_equal(sscanf(iso, "%d-%d-%dT%d:%d:%dZ", &y, &m, &d, &hh,
		    &mm, &ss), 6);
		snprintf(rfc, sizeof(rfc), "%d %s %d %02d:%02d:%02d +0000", d,
		    mon[m - 1], y, hh, mm, ss);
		assert_int_equal(mime_date_parse(rfc, strlen(rfc), &back, &off), 0);
		if (back != t)
			fail_msg("%s: %lld, want %lld", rfc, (long long)back, (long long)t);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_reads_only_len),
		cmocka_unit_test(test_rfc3339_range),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
