/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mime_date.c - RFC 5322 date-time to UTC seconds, and RFC 3339 out.
 *
 * The calendar arithmetic is the proleptic Gregorian days-from-civil
 * formula, so no call depends on the process's time zone or locale
 * (timegm() is not C11, mktime() reads TZ).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mime/mime_date.h"

struct date_cur {
	const char *s;
	size_t len;
	size_t pos;
};

static bool
date_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
date_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* White space and (nested) comments: RFC 5322 CFWS. */
static void
date_skip_cfws(struct date_cur *c)
{
	int depth = 0;

	while (c->pos < c->len) {
		char ch = c->s[c->pos];

		if (ch == '(')
			depth++;
		else if (ch == ')' && depth > 0)
			depth--;
		else if (depth == 0 && ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n')
			return;
		else if (depth > 0 && ch == '\\' && c->pos + 1 < c->len)
			c->pos++;
		c->pos++;
	}
}

/* A run of letters; returns its length (0 if none). */
static size_t
date_word(struct date_cur *c, const char **w)
{
	size_t start = c->pos;

	while (c->pos < c->len && date_alpha(c->s[c->pos]))
		c->pos++;
	*w = c->s + start;
	return c->pos - start;
}

/* A run of at most `max` digits; -1 if none or too many. */
static long
date_number(struct date_cur *c, size_t min, size_t max)
{
	size_t start = c->pos;
	long v = 0;

	while (c->pos < c->len && date_digit(c->s[c->pos])) {
		if (c->pos - start == max)
			return -1;
		v = v * 10 + (c->s[c->pos] - '0');
		c->pos++;
	}
	return c->pos - start < min ? -1 : v;
}

static bool
date_word_is(const char *w, size_t n, const char *name)
{
	size_t i;

	if (n < 3)
		return false;
	for (i = 0; i < 3; i++)
		if ((w[i] | 0x20) != name[i])
			return false;
	return true;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t
date_days(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
date_month_days(long y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* The zone after the time: minutes east of UTC, or -9999 when unreadable. */
static int
date_zone(struct date_cur *c)
{
	static const struct { const char *name; int minutes; } names[] = {
		{ "ut", 0 }, { "gmt", 0 }, { "utc", 0 }, { "z", 0 },
		{ "est", -300 }, { "edt", -240 }, { "cst", -360 }, { "cdt", -300 },
		{ "mst", -420 }, { "mdt", -360 }, { "pst", -480 }, { "pdt", -420 },
		{ NULL, 0 },
	};
	const char *w;
	size_t n, i, k;

	if (c->pos >= c->len)
		return 0;       /* no zone at all: read as -0000, unknown local */
	if (c->s[c->pos] == '+' || c->s[c->pos] == '-') {
		int sign = c->s[c->pos] == '-' ? -1 : 1;
		long hhmm;

		c->pos++;
		hhmm = date_number(c, 4, 4);
		if (hhmm < 0 || hhmm % 100 > 59 || hhmm / 100 > 99)
			return -9999;
		return sign * (int)((hhmm / 100) * 60 + hhmm % 100);
	}
	n = date_word(c, &w);
	if (n == 0)
		return 0;
	for (i = 0; names[i].name != NULL; i++) {
		if (strlen(names[i].name) != n)
			continue;
		for (k = 0; k < n; k++)
			if ((w[k] | 0x20) != names[i].name[k])
				break;
		if (k == n)
			return names[i].minutes;
	}
	return 0;               /* military letters and the rest: -0000 */
}

int
mime_date_parse(const char *s, size_t len, int64_t *epoch, int *offset_min)
{
	static const char *const months[12] = {
		"jan", "feb", "mar", "apr", "may", "jun",
		"jul", "aug", "sep", "oct", "nov", "dec",
	};
	static const char *const wdays[7] = {
		"mon", "tue", "wed", "thu", "fri", "sat", "sun",
	};
	struct date_cur c = { s, s != NULL ? len : 0, 0 };
	const char *w;
	size_t n, i;
	long day, year, hh, mm, ss = 0;
	int mon = 0, zone;

	date_skip_cfws(&c);
	if (c.pos < c.len && date_alpha(c.s[c.pos])) {
		n = date_word(&c, &w);
		for (i = 0; i < 7; i++)
			if (date_word_is(w, n, wdays[i]))
				break;
		if (i == 7)
			return -1;
		date_skip_cfws(&c);
		if (c.pos < c.len && c.s[c.pos] == ',')
			c.pos++;
		date_skip_cfws(&c);
	}
	if ((day = date_number(&c, 1, 2)) < 1)
		return -1;
	date_skip_cfws(&c);
	n = date_word(&c, &w);
	for (i = 0; i < 12; i++)
		if (date_word_is(w, n, months[i]))
			mon = (int)i + 1;
	if (mon == 0)
		return -1;
	date_skip_cfws(&c);
	n = c.pos;
	if ((year = date_number(&c, 2, 4)) < 0)
		return -1;
	if (c.pos - n == 2)             /* obs-year, RFC 5322 section 4.3 */
		year += year < 50 ? 2000 : 1900;
	else if (c.pos - n == 3)
		year += 1900;
	if (day > date_month_days(year, mon))
		return -1;
	date_skip_cfws(&c);
	if ((hh = date_number(&c, 1, 2)) < 0 || hh > 23)
		return -1;
	date_skip_cfws(&c);
	if (c.pos >= c.len || c.s[c.pos] != ':')
		return -1;
	c.pos++;
	date_skip_cfws(&c);
	if ((mm = date_number(&c, 2, 2)) < 0 || mm > 59)
		return -1;
	date_skip_cfws(&c);
	if (c.pos < c.len && c.s[c.pos] == ':') {
		c.pos++;
		date_skip_cfws(&c);
		if ((ss = date_number(&c, 2, 2)) < 0 || ss > 60)
			return -1;
	}
	date_skip_cfws(&c);
	if ((zone = date_zone(&c)) == -9999)
		return -1;
	*epoch = date_days(year, mon, (int)day) * 86400 + hh * 3600 + mm * 60 + ss -
	    (int64_t)zone * 60;
	*offset_min = zone;
	return 0;
}

int
mime_date_rfc3339(int64_t epoch, char out[MIME_DATE_RFC3339_MAX])
{
	int64_t days = epoch / 86400, secs = epoch % 86400;
	int64_t z, era, doe, yoe, y, doy, mp, d, m;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* civil-from-days, the inverse of date_days() */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y < 0 || y > 9999) {
		out[0] = '\0';
		return -1;
	}
	snprintf(out, MIME_DATE_RFC3339_MAX, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	         (int)y, (int)m, (int)d, (int)(secs / 3600), (int)(secs / 60 % 60),
	         (int)(secs % 60));
	return 0;
}
