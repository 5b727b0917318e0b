/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_journal.c - the suppression list read back as a journal: whole lines
 * only, fields per format, positions that survive a restart only once
 * committed, a rename drained before it is followed.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "suppress/journal.h"

struct fx {
	char dir[64], list[128], pos[128];
};

static int
fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_journal.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->list, sizeof f->list, "%s/list", f->dir);
	snprintf(f->pos, sizeof f->pos, "%s/list.pos", f->dir);
	*state = f;
	return 0;
}

static int
fx_teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void
put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "a");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static struct journal *
jopen(struct fx *f, enum suppress_format fmt)
{
	char err[256];
	struct journal *j = journal_open(f->list, f->pos, fmt, true, err, sizeof err);

	assert_non_null(j);
	return j;
}

/* Read one batch of at most max; returns the count. */
static size_t
jread(struct journal *j, struct suppress_line_fields *out, size_t max)
{
	char err[256];
	size_t n = 99;

	assert_int_equal(journal_read(j, out, max, &n, err, sizeof err), 0);
	return n;
}

static void
test_no_list_yet(void **state)
{
	struct fx *f = *state;
	struct suppress_line_fields r[4];
	struct journal *j = jopen(f, SUPPRESS_PLAIN);

	assert_int_equal(jread(j, r, 4), 0);
	assert_int_equal(journal_backlog(j), 0);
	journal_close(j);
}

static void
test_fields_per_format(void **state)
{
	static const struct {
		enum suppress_format fmt;
		const char *line;
		const char *addr, *status, *reason, *mta, *qid, *first;
	} rows[] = {
		{ SUPPRESS_PLAIN, "Alice@Example.COM\n", "alice@example.com", "", "", "", "", "" },
		{ SUPPRESS_CSV, "address,first_seen,status,reason,reporting_mta,queue_id\n"
		  "bob@example.org,2026-11-28T10:00:00Z,5.1.1,userunknown,\"mx,1.example.net\",4Xyz1\n",
		  "bob@example.org", "5.1.1", "userunknown", "mx,1.example.net", "4Xyz1",
		  "2026-11-28T10:00:00Z" },
		{ SUPPRESS_JSONL, "{\"address\":\"carol@example.net\",\"first_seen\":\"2026-11-28T10:00:00Z\","
		  "\"status\":\"5.1.2\",\"reason\":\"hostunknown\",\"reporting_mta\":\"mx.example.net\","
		  "\"queue_id\":\"4Q\"}\n",
		  "carol@example.net", "5.1.2", "hostunknown", "mx.example.net", "4Q",
		  "2026-11-28T10:00:00Z" },
		{ SUPPRESS_POSTFIX, "dave@example.com REJECT 5.1.1 bounce-milter: userunknown\n",
		  "dave@example.com", "5.1.1", "userunknown", "", "", "" },
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct suppress_line_fields r[4];
		struct journal *j;

		(void)unlink(f->list);
		(void)unlink(f->pos);
		put(f->list, rows[i].line);
		j = jopen(f, rows[i].fmt);
		assert_int_equal(jread(j, r, 4), 1);
		assert_string_equal(r[0].addr, rows[i].addr);
		assert_string_equal(r[0].status, rows[i].status);
		assert_string_equal(r[0].reason, rows[i].reason);
		assert_string_equal(r[0].reporting_mta, rows[i].mta);
		assert_string_equal(r[0].queue_id, rows[i].qid);
		assert_string_equal(r[0].first_seen, rows[i].first);
		journal_close(j);
	}
}

static void
test_partial_line_waits(void **state)
{
	struct fx *f = *state;
	struct suppress_line_fields r[4];
	struct journal *j;

	put(f->list, "a@example.com\nb@exam");
	j = jopen(f, SUPPRESS_PLAIN);
	assert_int_equal(jread(j, r, 4), 1);
	assert_string_equal(r[0].addr, "a@example.com");
	assert_int_equal(journal_commit(j, NULL, 0), 0);
	assert_int_equal(jread(j, r, 4), 0);
	put(f->list, "ple.com\n");
	assert_int_equal(jread(j, r, 4), 1);
	assert_string_equal(r[0].addr, "b@example.com");
	journal_close(j);
}

static void
test_position_survives_only_when_committed(void **state)
{
	struct fx *f = *state;
	struct suppress_line_fields r[4];
	struct journal *j;

	put(f->list, "a@example.com\nb@example.com\nc@example.com\n");
	j = jopen(f, SUPPRESS_PLAIN);
	assert_int_equal(jread(j, r, 2), 2);
	assert_int_equal(journal_commit(j, NULL, 0), 0);
	assert_int_equal(jread(j, r, 2), 1);       /* c, not committed */
	assert_string_equal(r[0].addr, "c@example.com");
	journal_close(j);                          /* a crash before the commit */

	j = jopen(f, SUPPRESS_PLAIN);
	assert_int_equal(jread(j, r, 4), 1);       /* c again: sent twice, never lost */
	assert_string_equal(r[0].addr, "c@example.com");
	journal_rewind(j);                         /* a failed batch */
	assert_int_equal(jread(j, r, 4), 1);
	assert_string_equal(r[0].addr, "c@example.com");
	assert_int_equal(journal_commit(j, NULL, 0), 0);
	assert_int_equal(journal_backlog(j), 0);
	journal_close(j);

	j = jopen(f, SUPPRESS_PLAIN);
	assert_int_equal(jread(j, r, 4), 0);
	assert_false(journal_take_replaced(j));
	journal_close(j);
}

static void
test_rename_drained_before_followed(void **state)
{
	struct fx *f = *state;
	struct suppress_line_fields r[8];
	char taken[160];
	struct journal *j;

	snprintf(taken, sizeof taken, "%s.taken", f->list);
	put(f->list, "a@example.com\n");
	j = jopen(f, SUPPRESS_PLAIN);
	assert_int_equal(jread(j, r, 8), 1);
	assert_int_equal(journal_commit(j, NULL, 0), 0);
	/* more lines land in the old file, then a consumer takes it away and
	 * the writer starts a new one */
	put(f->list, "b@example.com\nc@example.com\n");
	assert_int_equal(rename(f->list, taken), 0);
	put(f->list, "d@example.com\n");
	assert_int_equal(jread(j, r, 8), 2);       /* the old file first, alone */
	assert_string_equal(r[0].addr, "b@example.com");
	assert_string_equal(r[1].addr, "c@example.com");
	assert_int_equal(journal_commit(j, NULL, 0), 0);
	assert_int_equal(unlink(taken), 0);        /* the consumer is done */
	assert_int_equal(jread(j, r, 8), 1);
	assert_string_equal(r[0].addr, "d@example.com");
	assert_int_equal(journal_commit(j, NULL, 0), 0);
	journal_close(j);

	j = jopen(f, SUPPRESS_PLAIN);              /* a restart: nothing again */
	assert_int_equal(jread(j, r, 8), 0);
	assert_false(journal_take_replaced(j));
	journal_close(j);
}

static void
test_replaced_while_stopped(void **state)
{
	struct fx *f = *state;
	struct suppress_line_fields r[4];
	char taken[160];
	struct journal *j;

	snprintf(taken, sizeof taken, "%s.taken", f->list);
	put(f->list, "a@example.com\n");
	j = jopen(f, SUPPRESS_PLAIN);
	assert_int_equal(jread(j, r, 4), 1);
	assert_int_equal(journal_commit(j, NULL, 0), 0);
	journal_close(j);
	assert_int_equal(rename(f->list, taken), 0);
	put(f->list, "b@example.com\n");
	j = jopen(f, SUPPRESS_PLAIN);
	assert_int_equal(jread(j, r, 4), 1);       /* the new file, from its start */
	assert_string_equal(r[0].addr, "b@example.com");
	assert_true(journal_take_replaced(j));
	assert_false(journal_take_replaced(j));
	journal_close(j);
}

static void
test_bad_lines_passed_over(void **state)
{
	struct fx *f = *state;
	struct suppress_line_fields r[4];
	struct journal *j;
	char *big = malloc(300 * 1024 + 2);

	assert_non_null(big);
	memset(big, 'x', 300 * 1024);
	big[300 * 1024] = '\n';
	big[300 * 1024 + 1] = '\0';
	put(f->list, "# a comment\n\nnot-an-address\n");
	put(f->list, big);
	put(f->list, "ok@example.com\n");
	free(big);
	j = jopen(f, SUPPRESS_PLAIN);
	assert_int_equal(jread(j, r, 4), 1);
	assert_string_equal(r[0].addr, "ok@example.com");
	assert_true(journal_skipped(j) >= 2);
	journal_close(j);
}

static void
test_bad_position_file(void **state)
{
	struct fx *f = *state;
	char err[256];

	put(f->pos, "garbage\n");
	assert_null(journal_open(f->list, f->pos, SUPPRESS_PLAIN, true, err, sizeof err));
	assert_non_null(strstr(err, "not a position file"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_list_yet, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_fields_per_format, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_partial_line_waits, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_position_survives_only_when_committed,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rename_drained_before_followed,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_replaced_while_stopped, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_lines_passed_over, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_position_file, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
