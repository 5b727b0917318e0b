/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_escalate.c - the escalation window on a fake clock (the seam:
 * escalate_clock_now is wrapped at link time): N distinct days within D,
 * several bounces on one day count once, days leave the window, reasons
 * count apart, the state survives a restart (and is compacted then), and
 * a state file that cannot be written counts nothing.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/conf.h"
#include "daemon/escalate.h"

static time_t t_now = 20000L * ESCALATE_DAY + 3600;   /* day 20000, 01:00 */

time_t __wrap_escalate_clock_now(void);
time_t
__wrap_escalate_clock_now(void)
{
	return t_now;
}

static char t_dir[] = "/tmp/test_escalate.XXXXXX";
static char t_state[300];
static struct bm_config t_cfg;

static void
t_day(long day, int hour)
{
	t_now = day * ESCALATE_DAY + hour * 3600;
}

static bool
t_note(const char *addr, const char *reason)
{
	char err[256];
	bool reached = false;

	if (escalate_note(addr, reason, t_cfg.ops.escalate_days, t_cfg.ops.escalate_window,
	    &reached, err, sizeof err) != 0)
		fail_msg("note %s: %s", addr, err);
	return reached;
}

static int
t_setup(void **state)
{
	char err[256];

	(void)state;
	if (mkdtemp(t_dir) == NULL)
		return -1;
	snprintf(t_state, sizeof t_state, "%s/escalate.state", t_dir);
	t_cfg.ops.escalate = true;
	t_cfg.ops.escalate_days = 3;
	t_cfg.ops.escalate_window = 7;
	t_cfg.ops.escalate_state_file = t_state;
	escalate_reset();
	(void)unlink(t_state);
	t_day(20000, 1);
	return escalate_configure(&t_cfg, err, sizeof err);
}

static int
t_teardown(void **state)
{
	char cmd[320];

	(void)state;
	escalate_reset();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_three_days(void **state)
{
	(void)state;
	t_day(20000, 1);
	assert_false(t_note("a@example.com", "mailboxfull"));
	t_day(20000, 23);
	assert_false(t_note("a@example.com", "mailboxfull"));   /* same day: once */
	t_day(20001, 0);
	assert_false(t_note("a@example.com", "mailboxfull"));
	assert_false(t_note("a@example.com", "suspend"));       /* another reason */
	t_day(20003, 12);
	assert_true(t_note("a@example.com", "mailboxfull"));
	assert_false(t_note("a@example.com", "suspend"));
	/* still over the threshold while the days are in the window */
	assert_true(t_note("a@example.com", "mailboxfull"));
}

static void
test_window_slides(void **state)
{
	(void)state;
	t_day(30000, 5);
	assert_false(t_note("b@example.com", "mailboxfull"));
	t_day(30003, 5);
	assert_false(t_note("b@example.com", "mailboxfull"));
	/* window 7: at day 30007 the first day (30000) has left it */
	t_day(30007, 5);
	assert_false(t_note("b@example.com", "mailboxfull"));
	t_day(30008, 5);
	assert_true(t_note("b@example.com", "mailboxfull"));
	/* at exactly the edge: days 40000 and 40006 are both inside a 7-day window */
	t_day(40000, 0);
	assert_false(t_note("c@example.com", "mailboxfull"));
	t_day(40006, 0);
	assert_false(t_note("c@example.com", "mailboxfull"));
	t_day(40006, 23);
	assert_false(t_note("c@example.com", "mailboxfull"));
	t_day(40005, 0);   /* a clock that steps back: another distinct day */
	assert_true(t_note("c@example.com", "mailboxfull"));
}

static void
test_restart(void **state)
{
	char err[256], line[512];
	FILE *f;
	int lines = 0;

	(void)state;
	t_day(50000, 1);
	assert_false(t_note("d@example.com", "suspend"));
	t_day(50001, 1);
	assert_false(t_note("d@example.com", "suspend"));
	assert_false(t_note("old@example.com", "suspend"));
	/* restart ten days later for old@, two days later for d@ */
	escalate_reset();
	t_day(50002, 1);
	assert_int_equal(escalate_configure(&t_cfg, err, sizeof err), 0);
	assert_true(t_note("d@example.com", "suspend"));
	escalate_reset();
	t_day(50012, 1);
	assert_int_equal(escalate_configure(&t_cfg, err, sizeof err), 0);
	/* compacted: nothing left inside the window */
	assert_non_null(f = fopen(t_state, "r"));
	while (fgets(line, sizeof line, f) != NULL)
		lines++;
	fclose(f);
	assert_int_equal(lines, 0);
	assert_int_equal(escalate_tracked(), 0);
	assert_false(t_note("old@example.com", "suspend"));
	assert_int_equal(escalate_tracked(), 1);

	/* torn and malformed lines are skipped at start-up */
	assert_non_null(f = fopen(t_state, "a"));
	fprintf(f, "x\tsuspend\tbad@example.com\n50012\tsuspend\n50012\tsuspend\ttorn@example");
	fclose(f);
	escalate_reset();
	assert_int_equal(escalate_configure(&t_cfg, err, sizeof err), 0);
	assert_int_equal(escalate_tracked(), 1);
}

static void
test_unwritable(void **state)
{
	struct rlimit old, lim;
	struct stat st;
	char err[256];
	bool reached;

	(void)state;
	escalate_reset();
	t_day(60000, 1);
	assert_int_equal(escalate_configure(&t_cfg, err, sizeof err), 0);
	assert_false(t_note("e@example.com", "suspend"));
	/* the file may not grow: the next new day cannot be saved */
	assert_int_equal(stat(t_state, &st), 0);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = (rlim_t)st.st_size;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	t_day(60001, 1);
	assert_int_equal(escalate_note("e@example.com", "suspend", 2, 7, &reached, err,
	    sizeof err), -1);
	assert_false(reached);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	/* that day did not count: with 2 days needed, it still takes another */
	assert_int_equal(escalate_note("e@example.com", "suspend", 2, 7, &reached, err,
	    sizeof err), 0);
	assert_true(reached);

	/* a state directory that does not exist: configure fails, nothing counts */
	escalate_reset();
	t_cfg.ops.escalate_state_file = "/nonexistent-dir/escalate.state";
	assert_int_equal(escalate_configure(&t_cfg, err, sizeof err), -1);
	assert_int_equal(escalate_note("e@example.com", "suspend", 3, 7, &reached, err,
	    sizeof err), -1);
	assert_int_equal(escalate_tracked(), 0);
	t_cfg.ops.escalate_state_file = t_state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_three_days, t_setup, NULL),
		cmocka_unit_test_setup_teardown(test_window_slides, NULL, NULL),
		cmocka_unit_test_setup_teardown(test_restart, NULL, NULL),
		cmocka_unit_test_setup_teardown(test_unwritable, NULL, t_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
