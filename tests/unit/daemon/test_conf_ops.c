/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_conf_ops.c - the operations options of bounce-milter.conf: defaults,
 * good values, and each refusal with its file:line (control socket path,
 * caps out of range, a bad allowlist entry, an allowlist file that is
 * missing or has a bad line, eventlog.fsync, escalation without a state
 * file or with more days than its window, an unknown reason word).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/allowlist.h"
#include "daemon/conf.h"

static char t_dir[] = "/tmp/test_conf_ops.XXXXXX";
static char t_conf[300];

/* A config with the list in the temp dir plus extra text. */
static struct bm_config *
t_load(const char *extra, char *errs, size_t errsz)
{
	FILE *f = fopen(t_conf, "w");

	assert_non_null(f);
	fprintf(f, "suppress {\n  file = \"%s/list.txt\"\n}\n%s", t_dir, extra);
	assert_int_equal(fclose(f), 0);
	return conf_load(t_conf, errs, errsz);
}

static int
t_setup(void **state)
{
	(void)state;
	if (mkdtemp(t_dir) == NULL)
		return -1;
	snprintf(t_conf, sizeof t_conf, "%s/bm.conf", t_dir);
	return 0;
}

static int
t_teardown(void **state)
{
	char cmd[320];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_defaults(void **state)
{
	char errs[2048];
	struct bm_config *c = t_load("", errs, sizeof errs);

	(void)state;
	if (c == NULL)
		fail_msg("%s", errs);
	assert_string_equal(c->ops.control_socket, "");
	assert_int_equal(c->ops.control_max_clients, 8);
	assert_int_equal(c->ops.control_rate, 50);
	assert_int_equal(allowlist_size(c->ops.allowlist), 0);
	assert_string_equal(c->ops.eventlog_file, "");
	assert_true(c->ops.eventlog_fsync);
	assert_false(c->ops.escalate);
	assert_int_equal(c->ops.escalate_days, 3);
	assert_int_equal(c->ops.escalate_window, 7);
	assert_true(c->ops.escalate_reason[BM_REASON_MAILBOXFULL]);
	assert_true(c->ops.escalate_reason[BM_REASON_SUSPEND]);
	assert_false(c->ops.escalate_reason[BM_REASON_USERUNKNOWN]);
	assert_int_equal(c->ops.summary_minutes, 0);
	conf_free(c);
}

static void
test_good(void **state)
{
	char errs[2048], extra[1024], allow[320];
	struct bm_config *c;
	FILE *f;

	(void)state;
	snprintf(allow, sizeof allow, "%s/allow", t_dir);
	assert_non_null(f = fopen(allow, "w"));
	fputs("# partners\n*.partner.example\n", f);
	assert_int_equal(fclose(f), 0);
	snprintf(extra, sizeof extra,
	    "summary_minutes = 15\n"
	    "control { socket = \"/run/bm/control.sock\"  max_clients = 2 "
	    " max_requests_per_second = 9 }\n"
	    "allowlist { entries = {\"postmaster@*\", \"example.com\"}  file = \"%s\" }\n"
	    "eventlog { file = \"%s/events.jsonl\"  fsync = \"never\" }\n"
	    "escalate { enabled = true  days = 2  window_days = 30 "
	    " reasons = {\"mailboxfull\", \"expired\"}  state_file = \"%s/esc\" }\n",
	    allow, t_dir, t_dir);
	if ((c = t_load(extra, errs, sizeof errs)) == NULL)
		fail_msg("%s", errs);
	assert_string_equal(c->ops.control_socket, "/run/bm/control.sock");
	assert_int_equal(c->ops.control_max_clients, 2);
	assert_int_equal(c->ops.control_rate, 9);
	assert_int_equal(allowlist_size(c->ops.allowlist), 3);
	assert_true(allowlist_match(c->ops.allowlist, "a@eu.partner.example"));
	assert_false(c->ops.eventlog_fsync);
	assert_true(c->ops.escalate);
	assert_int_equal(c->ops.escalate_days, 2);
	assert_int_equal(c->ops.escalate_window, 30);
	assert_true(c->ops.escalate_reason[BM_REASON_EXPIRED]);
	assert_false(c->ops.escalate_reason[BM_REASON_SUSPEND]);
	assert_int_equal(c->ops.summary_minutes, 15);
	conf_free(c);
}

static void
test_refusals(void **state)
{
	static const struct {
		const char *extra;
		const char *err;
	} t[] = {
		{ "control { socket = \"relative.sock\" }\n", ":4: control.socket" },
		{ "control { socket = \"/a/very/long/path/that/does/not/fit/into/a/unix/"
		  "socket/address/because/sun_path/is/only/108/octets/long.sock\" }\n",
		  "control.socket" },
		{ "control { max_clients = 0 }\n", "control.max_clients: 0 is out of range" },
		{ "control { max_requests_per_second = 100000 }\n", "max_requests_per_second" },
		{ "allowlist { entries = {\"two words\"} }\n", "allowlist.entries" },
		{ "allowlist { file = \"/nonexistent/allow\" }\n", "No such file" },
		{ "eventlog { fsync = \"sometimes\" }\n", "eventlog.fsync" },
		{ "eventlog { file = \"events.jsonl\" }\n", "eventlog.file" },
		{ "escalate { enabled = true }\n", "escalate.state_file is required" },
		{ "escalate { enabled = true  days = 9  window_days = 7  state_file = \"/x\" }\n",
		  "more than escalate.window_days" },
		{ "escalate { days = 1 }\n", "escalate.days: 1 is out of range" },
		{ "escalate { reasons = {\"nosuchreason\"} }\n", "escalate.reasons" },
		{ "summary_minutes = -1\n", "summary_minutes" },
	};
	char errs[2048];

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct bm_config *c = t_load(t[i].extra, errs, sizeof errs);

		if (c != NULL) {
			conf_free(c);
			fail_msg("accepted: %s", t[i].extra);
		}
		if (strstr(errs, t[i].err) == NULL)
			fail_msg("%s: error \"%s\" lacks \"%s\"", t[i].extra, errs, t[i].err);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, t_setup, t_teardown);
}
