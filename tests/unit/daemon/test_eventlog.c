/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_eventlog.c - the event log: the JSON line (escaping, invalid UTF-8,
 * the diagnostic's bound, a line per event), the returned message's
 * Message-ID and List-Id, appends that follow a consumer's rename, and the
 * safe-open refusals (symbolic link, group-writable, two links).
 */
#include "config.h"

#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/conf.h"
#include "daemon/eventlog.h"

static char t_dir[] = "/tmp/test_eventlog.XXXXXX";
static char t_path[300];
static struct bm_config t_cfg;

static char *
t_read(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);

	if (f == NULL || buf == NULL) {
		if (f != NULL)
			fclose(f);
		free(buf);
		return NULL;
	}
	(void)fread(buf, 1, (1 << 16) - 1, f);
	fclose(f);
	return buf;
}

static void
test_format(void **state)
{
	char diag[2000];
	struct eventlog_event ev = {
		.when = 1764288000, .queue_id = "4Xyz1", .kind = "bounce", .cls = "soft",
		.reason = "mailboxfull", .status = "4.2.2", .action = "delayed",
		.recipient = "a\"b\\c@example.com", .original_recipient = "x\x01y@example.com",
		.reporting_mta = "mx.example", .spf = "pass", .trusted = true, .listed = false,
		.why = "not-candidate", .message_id = "<m1@example>", .list_id = "bad\xff utf8",
		.diagnostic = diag,
	};
	struct buf b;

	(void)state;
	memset(diag, 'd', sizeof diag - 1);
	diag[sizeof diag - 1] = '\0';
	buf_init(&b, 1 << 16);
	assert_int_equal(eventlog_format(&b, &ev), 0);
	static const char want[] = "{\"time\":\"2025-11-28T00:00:00Z\",\"queue_id\":\"4Xyz1\","
	    "\"kind\":\"bounce\",\"class\":\"soft\",\"reason\":\"mailboxfull\",\"status\":\"4.2.2\","
	    "\"action\":\"delayed\",\"recipient\":\"a\\\"b\\\\c@example.com\","
	    "\"original_recipient\":\"x\\u0001y@example.com\",\"reporting_mta\":\"mx.example\","
	    "\"origin_spf\":\"pass\",\"origin_trusted\":true,\"listed\":false,"
	    "\"why\":\"not-candidate\",\"message_id\":\"<m1@example>\","
	    "\"list_id\":\"bad\xef\xbf\xbd utf8\",\"diagnostic\":\"ddd";

	assert_true(strncmp(b.data, want, sizeof want - 1) == 0);
	/* the diagnostic is cut at its bound; one line, ending in "}\n" */
	assert_non_null(strstr(b.data, "\"diagnostic\":\""));
	assert_int_equal(strlen(strstr(b.data, "\"diagnostic\":\"")),
	    strlen("\"diagnostic\":\"") + EVENTLOG_DIAG_MAX + 3);
	assert_int_equal(b.data[b.len - 1], '\n');
	assert_int_equal(strchr(b.data, '\n') - b.data, (long)b.len - 1);
	buf_free(&b);
}


static void
test_append_rename(void **state)
{
	char err[256], taken[320], *text;

	(void)state;
	assert_non_null(mkdtemp(t_dir));
	snprintf(t_path, sizeof t_path, "%s/events.jsonl", t_dir);
	t_cfg.ops.eventlog_file = t_path;
	t_cfg.ops.eventlog_fsync = true;
	assert_int_equal(eventlog_configure(&t_cfg, err, sizeof err), 0);
	assert_true(eventlog_enabled());
	assert_int_equal(eventlog_append("{\"n\":1}\n", 8, err, sizeof err), 0);
	snprintf(taken, sizeof taken, "%s.taken", t_path);
	assert_int_equal(rename(t_path, taken), 0);
	assert_int_equal(eventlog_append("{\"n\":2}\n", 8, err, sizeof err), 0);
	assert_non_null(text = t_read(taken));
	assert_string_equal(text, "{\"n\":1}\n");
	free(text);
	assert_non_null(text = t_read(t_path));
	assert_string_equal(text, "{\"n\":2}\n");
	free(text);

	/* refusals: a symbolic link, a group-writable file, a second link */
	assert_int_equal(unlink(t_path), 0);
	assert_int_equal(symlink(taken, t_path), 0);
	assert_int_equal(eventlog_configure(&t_cfg, err, sizeof err), -1);
	assert_non_null(strstr(err, "symbolic link"));
	assert_int_equal(unlink(t_path), 0);
	assert_int_equal(chmod(taken, 0660), 0);
	assert_int_equal(rename(taken, t_path), 0);
	assert_int_equal(eventlog_configure(&t_cfg, err, sizeof err), -1);
	assert_int_equal(chmod(t_path, 0640), 0);
	assert_int_equal(link(t_path, taken), 0);
	assert_int_equal(eventlog_configure(&t_cfg, err, sizeof err), -1);
	assert_int_equal(unlink(taken), 0);
	assert_int_equal(eventlog_configure(&t_cfg, err, sizeof err), 0);

	t_cfg.ops.eventlog_file = "";
	assert_int_equal(eventlog_configure(&t_cfg, err, sizeof err), 0);
	assert_false(eventlog_enabled());
	assert_int_equal(unlink(t_path), 0);
	assert_int_equal(rmdir(t_dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_append_rename),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
