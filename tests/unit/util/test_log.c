/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_log.c - log: -f writes each line to stderr only, never to syslog;
 * the daemonised case writes to syslog only; under systemd's journal
 * (JOURNAL_STREAM naming stderr) lines carry a "<N>" priority prefix.
 *
 * openlog() and syslog() are replaced at link time (-Wl,--wrap) so the test
 * counts what reaches syslog without a syslog daemon; glibc's fortified
 * builds call __syslog_chk instead of syslog, so that is wrapped too.
 * Standard error is pointed at a temporary file and read back.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/log.h"

void __wrap_openlog(const char *ident, int option, int facility);
void __wrap_syslog(int prio, const char *fmt, ...);
void __wrap___syslog_chk(int prio, int flag, const char *fmt, ...);

static int openlog_calls;
static int syslog_calls;
static int syslog_last_facility;
static int syslog_last_prio;
static char syslog_last[256];

void
__wrap_openlog(const char *ident, int option, int facility)
{
	(void)ident;
	(void)option;
	openlog_calls++;
	syslog_last_facility = facility;
}

static void
syslog_record(int prio, const char *fmt, va_list ap)
{
	syslog_calls++;
	syslog_last_prio = prio;
	vsnprintf(syslog_last, sizeof syslog_last, fmt, ap);
}

void
__wrap_syslog(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	syslog_record(prio, fmt, ap);
	va_end(ap);
}

void
__wrap___syslog_chk(int prio, int flag, const char *fmt, ...)
{
	va_list ap;

	(void)flag;
	va_start(ap, fmt);
	syslog_record(prio, fmt, ap);
	va_end(ap);
}

/* stderr goes to a fresh temporary file for each case */
static int saved_stderr = -1;
static FILE *capture;

static int
setup(void **state)
{
	(void)state;
	openlog_calls = syslog_calls = 0;
	syslog_last[0] = '\0';
	unsetenv("JOURNAL_STREAM");
	capture = tmpfile();
	if (capture == NULL)
		return -1;
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	if (saved_stderr < 0 || dup2(fileno(capture), STDERR_FILENO) < 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	/* foreground mode closes any syslog a test opened (log.h has no
	 * log_close: the daemon never closes its log) */
	log_open("bm-test", LOG_MAIL, true);
	fflush(stderr);
	if (saved_stderr >= 0) {
		dup2(saved_stderr, STDERR_FILENO);
		close(saved_stderr);
		saved_stderr = -1;
	}
	if (capture != NULL)
		fclose(capture);
	capture = NULL;
	unsetenv("JOURNAL_STREAM");
	return 0;
}

/* What was written to stderr so far. */
static const char *
captured(void)
{
	static char text[4096];
	size_t n;

	fflush(stderr);
	rewind(capture);
	n = fread(text, 1, sizeof text - 1, capture);
	text[n] = '\0';
	return text;
}

/* JOURNAL_STREAM as systemd sets it, naming the file stderr points at */
static void
set_journal_stream(bool matching)
{
	struct stat st;
	char val[64];

	assert_int_equal(fstat(STDERR_FILENO, &st), 0);
	snprintf(val, sizeof val, "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino + (matching ? 0 : 1));
	assert_int_equal(setenv("JOURNAL_STREAM", val, 1), 0);
}

static void
test_foreground_stderr_only(void **state)
{
	char want[128];

	(void)state;
	log_open("bm-test", LOG_MAIL, true);
	log_msg(LOG_INFO, "starting %s", "now");
	log_qid(LOG_WARNING, "4Xyz1", "bounce class=%s", "hard");
	assert_int_equal(openlog_calls, 0);
	assert_int_equal(syslog_calls, 0);
	snprintf(want, sizeof want, "bm-test[%ld]: starting now\nbm-test[%ld]: 4Xyz1: bounce class=hard\n",
	    (long)getpid(), (long)getpid());
	assert_string_equal(captured(), want);
}

static void
test_daemon_syslog_only(void **state)
{
	(void)state;
	log_open("bm-test", LOG_LOCAL3, false);
	log_qid(LOG_ERR, NULL, "write error on %s", "list");
	assert_int_equal(openlog_calls, 1);
	assert_int_equal(syslog_last_facility, LOG_LOCAL3);
	assert_int_equal(syslog_calls, 1);
	assert_int_equal(syslog_last_prio, LOG_ERR);
	assert_string_equal(syslog_last, "NOQUEUE: write error on list");
	assert_string_equal(captured(), "");
}

/* SIGUSR1 reloads call log_open again: switching sides leaves no copy */
static void
test_reopen_switches(void **state)
{
	(void)state;
	log_open("bm-test", LOG_MAIL, false);
	log_msg(LOG_INFO, "one");
	log_open("bm-test", LOG_MAIL, true);
	log_msg(LOG_INFO, "two");
	assert_int_equal(syslog_calls, 1);
	assert_string_equal(syslog_last, "one");
	assert_non_null(strstr(captured(), "]: two\n"));
	assert_null(strstr(captured(), "one"));
}

static void
test_journal_priority_prefix(void **state)
{
	(void)state;
	set_journal_stream(true);
	log_open("bm-test", LOG_MAIL, true);
	log_msg(LOG_WARNING, "reload: socket changed");
	log_qid(LOG_INFO, "4Xyz2", "bounce\r\nclass=soft");
	assert_int_equal(syslog_calls, 0);
	assert_string_equal(captured(),
	    "<4>reload: socket changed\n<6>4Xyz2: bounce  class=soft\n");
}

/* an inherited JOURNAL_STREAM that names another file is not the journal */
static void
test_journal_stream_elsewhere(void **state)
{
	char want[64];

	(void)state;
	set_journal_stream(false);
	log_open("bm-test", LOG_MAIL, true);
	log_msg(LOG_ERR, "x");
	snprintf(want, sizeof want, "bm-test[%ld]: x\n", (long)getpid());
	assert_string_equal(captured(), want);
	assert_int_equal(syslog_calls, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_foreground_stderr_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_daemon_syslog_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_switches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_priority_prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_stream_elsewhere, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
