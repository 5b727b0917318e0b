/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_conf.c - conf.c: good files load with the right values, every bad
 * file fails with "file:line: what is wrong", references count, and the
 * option names match the sample config and the man page one for one.
 */
#include "config.h"

#include <pwd.h>
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

#include "daemon/conf.h"
#include "daemon/conf_schema.h"

#ifndef BM_SRCDIR
#define BM_SRCDIR "."
#endif

static char tmpdir[256];
static char listpath[300];

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Write `body` (with %LIST% replaced by the list path) to a config file. */
static void
write_conf(const char *path, const char *body)
{
	char out[8192];
	const char *p = body, *hit;
	size_t o = 0;

	while ((hit = strstr(p, "%LIST%")) != NULL) {
		size_t n = (size_t)(hit - p);

		assert_true(o + n + strlen(listpath) < sizeof out);
		memcpy(out + o, p, n);
		o += n;
		memcpy(out + o, listpath, strlen(listpath));
		o += strlen(listpath);
		p = hit + 6;
	}
	assert_true(o + strlen(p) < sizeof out);
	memcpy(out + o, p, strlen(p) + 1);
	write_file(path, out);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/bm-test-config.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(listpath, sizeof listpath, "%s/list.txt", tmpdir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[400];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------------ good */

static void
test_good_values(void **state)
{
	char path[300], errs[2048];
	struct bm_config *c;

	(void)state;
	snprintf(path, sizeof path, "%s/good.conf", tmpdir);
	write_conf(path,
	    "socket = \"unix:/tmp/x.sock\"\n"
	    "socket_mode = \"0600\"\n"
	    "max_message_bytes = 65536\n"
	    "bounce_address = {\"bounces@example.com\", \"bounces+*@example.com\"}\n"
	    "suppress {\n"
	    "  file = \"%LIST%\"\n"
	    "  format = \"csv\"\n"
	    "  classes = {\"hard\", \"block\"}\n"
	    "  reasons = {\"suspend\"}\n"
	    "  fsync = \"never\"\n"
	    "  on_error = \"accept\"\n"
	    "}\n"
	    "trust {\n"
	    "  spf = \"off\"\n"
	    "  origins = {\"trusted\"}\n"
	    "  relays = {\"192.0.2.0/24\", \"2001:db8::1\"}\n"
	    "}\n"
	    "verp { patterns = {\"bounces+{local}={domain}@example.com\"} }\n");
	c = conf_load(path, errs, sizeof errs);
	if (c == NULL)
		fail_msg("good config rejected: %s", errs);
	assert_string_equal(c->socket, "unix:/tmp/x.sock");
	assert_int_equal(c->socket_mode, 0600);
	assert_int_equal(c->max_message_bytes, 65536);
	assert_string_equal(c->bounce_address[1], "bounces+*@example.com");
	assert_null(c->bounce_address[2]);
	assert_string_equal(c->suppress_file, listpath);
	assert_int_equal(c->suppress.format, SUPPRESS_CSV);
	assert_false(c->suppress.fsync);
	assert_true(c->suppress_class[BM_CLASS_HARD]);
	assert_true(c->suppress_class[BM_CLASS_BLOCK]);
	assert_false(c->suppress_class[BM_CLASS_SOFT]);
	assert_true(c->suppress_reason[BM_REASON_SUSPEND]);
	assert_false(c->suppress_reason[BM_REASON_USERUNKNOWN]);
	assert_int_equal(c->on_error, BM_ON_ERROR_ACCEPT);
	assert_false(c->spf_on);
	assert_false(c->origin_ok[ORIGIN_UNALIGNED]);
	assert_false(c->origin_ok[ORIGIN_ALIGNED]);
	assert_true(c->origin_ok[ORIGIN_TRUSTED]);
	assert_true(c->origin_ok[ORIGIN_SIGNED]);   /* stronger levels too */
	assert_string_equal(c->relays[1], "2001:db8::1");
	assert_string_equal(c->verp_patterns[0], "bounces+{local}={domain}@example.com");
	conf_free(c);
}

static void
test_defaults(void **state)
{
	char path[300], errs[2048];
	struct bm_config *c;

	(void)state;
	snprintf(path, sizeof path, "%s/min.conf", tmpdir);
	write_conf(path, "suppress {\n  file = \"%LIST%\"\n}\n");
	c = conf_load(path, errs, sizeof errs);
	if (c == NULL)
		fail_msg("minimal config rejected: %s", errs);
	assert_string_equal(c->socket, "inet:9704@127.0.0.1");
	assert_string_equal(c->user, "");
	assert_int_equal(c->socket_mode, 0660);
	assert_string_equal(c->syslog_ident, "bounce-milter");
	assert_int_equal(c->max_message_bytes, 1048576);
	assert_null(c->bounce_address[0]);
	assert_int_equal(c->max_suppress_per_message, 10);
	assert_int_equal(c->max_suppress_per_hour, 1000);
	assert_int_equal(c->suppress.format, SUPPRESS_PLAIN);
	assert_true(c->suppress.fsync);
	assert_true(c->suppress.fold_local);
	assert_true(c->suppress_class[BM_CLASS_HARD]);
	assert_false(c->suppress_class[BM_CLASS_BLOCK]);
	assert_false(c->suppress_class[BM_CLASS_SOFT]);
	assert_int_equal(c->on_error, BM_ON_ERROR_TEMPFAIL);
	assert_false(c->suppress_complaints);
	assert_true(c->spf_on);
	/* the safe default: signed, trusted or aligned; unaligned never */
	assert_false(c->origin_ok[ORIGIN_UNALIGNED]);
	assert_true(c->origin_ok[ORIGIN_ALIGNED]);
	assert_true(c->origin_ok[ORIGIN_TRUSTED]);
	assert_true(c->origin_ok[ORIGIN_SIGNED]);
	assert_null(c->relays[0]);
	assert_int_equal(c->spf_timeout_ms, 2000);
	assert_string_equal(c->authserv_id, "");
	assert_null(c->verp_patterns[0]);
	assert_int_equal(c->verp_tag_len, 16);
	assert_int_equal(c->keys.n, 0);
	assert_int_equal(c->keys.valid_days, 7);
	conf_free(c);
}

/* The shipped sample loads once its list path points somewhere writable. */
static void
test_sample_loads(void **state)
{
	char path[300], errs[4096], text[16384];
	FILE *f;
	size_t n;
	char *p;
	struct bm_config *c;

	(void)state;
	f = fopen(BM_SRCDIR "/conf/bounce-milter.conf", "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	p = strstr(text, "/var/lib/bounce-milter/suppressed.txt");
	assert_non_null(p);
	memmove(p + 6, p + strlen("/var/lib/bounce-milter/suppressed.txt"),
	    strlen(p + strlen("/var/lib/bounce-milter/suppressed.txt")) + 1);
	memcpy(p, "%LIST%", 6);
	snprintf(path, sizeof path, "%s/sample.conf", tmpdir);
	write_conf(path, text);
	c = conf_load(path, errs, sizeof errs);
	if (c == NULL)
		fail_msg("the sample config does not load: %s", errs);
	conf_free(c);
}

/* ------------------------------------------------------------------ bad */

struct bad_case {
	const char *label;
	const char *body;
	int line;               /* 0: error without a line number */
	const char *needle;     /* part of the message */
};

static const struct bad_case bad_cases[] = {
	{ "unknown option", "socket = \"inet:1@127.0.0.1\"\nfrobnicate = 1\n", 2, "frobnicate" },
	{ "unknown section option", "suppress {\n  file = \"%LIST%\"\n  colour = \"red\"\n}\n", 3, "colour" },
	{ "bad socket", "\n\nsocket = \"tcp:1234\"\n", 3, "socket" },
	{ "relative unix socket", "socket = \"unix:x.sock\"\n", 1, "socket" },
	{ "bad socket mode", "socket_mode = \"0999\"\n", 1, "socket_mode" },
	{ "bad facility", "syslog_facility = \"kern\"\n", 1, "syslog_facility" },
	{ "bad ident", "syslog_ident = \"a b\"\n", 1, "syslog_ident" },
	{ "message bytes too small", "max_message_bytes = 10\n", 1, "max_message_bytes" },
	{ "message bytes not a number", "max_message_bytes = \"lots\"\n", 1, "max_message_bytes" },
	{ "per message zero", "max_suppress_per_message = 0\n", 1, "max_suppress_per_message" },
	{ "per hour negative", "max_suppress_per_hour = -5\n", 1, "max_suppress_per_hour" },
	{ "bounce address without @", "bounce_address = {\"bounces\"}\n", 1, "bounce_address" },
	{ "unknown user", "user = \"no-such-user-bm-test\"\n", 1, "no-such-user-bm-test" },
	{ "root user", "user = \"root\"\n", 1, "root" },
	{ "relative list", "suppress {\n  file = \"list.txt\"\n}\n", 2, "absolute" },
	{ "list directory missing", "suppress {\n\n  file = \"/nonexistent-bm-dir/list.txt\"\n}\n", 3, "nonexistent-bm-dir" },
	{ "bad format", "suppress {\n  file = \"%LIST%\"\n  format = \"xml\"\n}\n", 3, "suppress.format" },
	{ "bad class", "suppress {\n  file = \"%LIST%\"\n  classes = {\"hard\", \"bogus\"}\n}\n", 3, "bogus" },
	{ "non-failure class", "suppress {\n  file = \"%LIST%\"\n  classes = {\"auto-reply\"}\n}\n", 3, "auto-reply" },
	{ "bad reason", "suppress {\n  file = \"%LIST%\"\n  reasons = {\"sadness\"}\n}\n", 3, "sadness" },
	{ "bad fsync", "suppress {\n  file = \"%LIST%\"\n  fsync = \"sometimes\"\n}\n", 3, "suppress.fsync" },
	{ "bad on_error", "suppress {\n  file = \"%LIST%\"\n  on_error = \"reject\"\n}\n", 3, "suppress.on_error" },
	{ "bad bool", "suppress {\n  file = \"%LIST%\"\n  complaints = maybe\n}\n", 3, "complaints" },
	{ "bad spf policy", "suppress { file = \"%LIST%\" }\ntrust {\n  spf = \"maybe\"\n}\n", 3, "trust.spf" },
	{ "spf timeout zero", "suppress { file = \"%LIST%\" }\ntrust {\n  spf_timeout_ms = 0\n}\n", 3, "spf_timeout_ms" },
	{ "bad network", "suppress { file = \"%LIST%\" }\ntrust {\n  relays = {\"10.0.0.0/33\"}\n}\n", 3, "10.0.0.0/33" },
	{ "old spf policy", "suppress { file = \"%LIST%\" }\ntrust {\n  spf = \"pass\"\n}\n", 3, "trust.origins" },
	{ "bad origin", "suppress { file = \"%LIST%\" }\ntrust {\n  origins = {\"spf\"}\n}\n", 3, "trust.origins" },
	{ "bad authserv id", "suppress { file = \"%LIST%\" }\ntrust {\n  authserv_id = \"mx; evil\"\n}\n", 3, "authserv_id" },
	{ "bad verp pattern", "suppress { file = \"%LIST%\" }\nverp {\n  patterns = {\"bounces@example.com\"}\n}\n", 3, "verp.patterns" },
	{ "tag length", "suppress { file = \"%LIST%\" }\nverp {\n  tag_length = 4\n}\n", 3, "tag_length" },
	{ "missing key file", "suppress { file = \"%LIST%\" }\nsigning {\n  keys = {\"1:/nonexistent-bm-secret\"}\n}\n", 3, "signing.keys" },
	{ "key without id", "suppress { file = \"%LIST%\" }\nsigning {\n  keys = {\"/etc/bm-secret\"}\n}\n", 3, "KEYID" },
	{ "unterminated string", "suppress { file = \"%LIST%\" }\nsocket = \"inet:1@x\n", 3, "end of file" },
	/* issue 10: what libconfuse lets through, -t must not */
	{ "missing closing brace", "suppress {\n  file = \"%LIST%\"\n\ntrust {\n  spf = \"off\"\n}\n", 1, "never closed" },
	{ "stray closing brace", "suppress { file = \"%LIST%\" }\n}\n", 2, "without" },
	{ "duplicate option", "suppress { file = \"%LIST%\" }\nmax_suppress_per_hour = 5\n# comment\nmax_suppress_per_hour = 6\n", 4, "given twice (first at line 2)" },
	{ "duplicate option in a section", "suppress {\n  file = \"%LIST%\"\n  classes = {\"hard\"}\n  classes = {\"soft\"}\n}\n", 4, "\"classes\" is given twice" },
	{ "duplicate section", "suppress { file = \"%LIST%\" }\ntrust { spf = \"off\" }\ntrust {\n  relays = {\"192.0.2.1\"}\n}\n", 3, "section \"trust\" is given twice" },
};

static void
check_bad(const struct bad_case *bc, const char *path)
{
	char errs[2048], want[400];
	struct bm_config *c;

	write_conf(path, bc->body);
	c = conf_load(path, errs, sizeof errs);
	if (c != NULL) {
		conf_free(c);
		fail_msg("%s: accepted a bad config", bc->label);
	}
	if (bc->line > 0) {
		snprintf(want, sizeof want, "%s:%d: ", path, bc->line);
		if (strncmp(errs, want, strlen(want)) != 0)
			fail_msg("%s: want \"%s...\", got \"%s\"", bc->label, want, errs);
	} else if (strncmp(errs, path, strlen(path)) != 0 || errs[strlen(path)] != ':') {
		fail_msg("%s: error does not start with the file name: \"%s\"", bc->label, errs);
	}
	if (strstr(errs, bc->needle) == NULL)
		fail_msg("%s: \"%s\" not in \"%s\"", bc->label, bc->needle, errs);
}

static void
test_bad_configs(void **state)
{
	char path[300];

	(void)state;
	snprintf(path, sizeof path, "%s/bad.conf", tmpdir);
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++)
		check_bad(&bad_cases[i], path);
}

/* A failed reload must not stop the daemon: libconfuse's scanner exits
 * the process when it cannot read (a directory here); conf_lint refuses
 * first.  Reaching the assertion at all is the test. */
static void
test_directory_as_config_is_an_error_not_an_exit(void **state)
{
	char errs[512];

	(void)state;
	assert_null(conf_load(tmpdir, errs, sizeof errs));
	assert_non_null(strstr(errs, "not a regular file"));
}

/* -t runs the start-up checks of the list: folder and file modes, links. */
static void
test_list_path_checks_match_start_up(void **state)
{
	char dir[300], path[300], list[400], other[400], body[600], errs[2048];
	struct bm_config *c;

	(void)state;
	snprintf(dir, sizeof dir, "%s/ww", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(list, sizeof list, "%s/list.txt", dir);
	snprintf(path, sizeof path, "%s/ww.conf", tmpdir);
	snprintf(body, sizeof body, "suppress {\n  file = \"%s\"\n}\n", list);
	write_conf(path, body);
	c = conf_load(path, errs, sizeof errs);
	if (c == NULL)
		fail_msg("a 0755 folder was refused: %s", errs);
	conf_free(c);
	/* world-writable folder: refused, unless sticky and root-owned */
	assert_int_equal(chmod(dir, 0777), 0);
	assert_null(conf_load(path, errs, sizeof errs));
	assert_non_null(strstr(errs, "world-writable"));
	assert_int_equal(chmod(dir, 0775), 0);
	assert_null(conf_load(path, errs, sizeof errs));
	assert_int_equal(chmod(dir, 01777), 0);
	c = conf_load(path, errs, sizeof errs);
	if (geteuid() == 0) {
		if (c == NULL)
			fail_msg("a sticky root-owned folder was refused: %s", errs);
	} else {
		assert_null(c);                    /* sticky, but not root-owned */
	}
	conf_free(c);
	assert_int_equal(chmod(dir, 0755), 0);
	/* a hard-linked list, a group-writable list */
	{
		FILE *f = fopen(list, "w");

		assert_non_null(f);
		assert_int_equal(fclose(f), 0);
	}
	assert_int_equal(chmod(list, 0640), 0);
	snprintf(other, sizeof other, "%s/other", dir);
	assert_int_equal(link(list, other), 0);
	assert_null(conf_load(path, errs, sizeof errs));
	assert_non_null(strstr(errs, "hard links"));
	assert_int_equal(unlink(other), 0);
	assert_int_equal(chmod(list, 0660), 0);
	assert_null(conf_load(path, errs, sizeof errs));
	assert_non_null(strstr(errs, "group- or world-writable"));
	assert_int_equal(unlink(list), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* A root-owned 0600 key broke every reload after the privilege drop.  The
 * keys read at start-up are kept when signing.keys does not change; a
 * fresh load (or a changed list) reads the files again.  Here the key file
 * is removed after the first load: reuse works, a fresh load fails. */
static void
test_reload_keeps_keys_read_at_start(void **state)
{
	char key[300], path[300], body[700], errs[2048];
	struct bm_config *c1, *c2;
	FILE *f;

	(void)state;
	snprintf(key, sizeof key, "%s/key1", tmpdir);
	f = fopen(key, "w");
	assert_non_null(f);
	fputs("s3cret\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(key, 0600), 0);
	snprintf(path, sizeof path, "%s/keys.conf", tmpdir);
	snprintf(body, sizeof body, "suppress { file = \"%%LIST%%\" }\n"
	    "signing {\n  keys = {\"1:%s\"}\n  valid_days = 9\n}\n", key);
	write_conf(path, body);
	c1 = conf_load(path, errs, sizeof errs);
	if (c1 == NULL)
		fail_msg("%s", errs);
	assert_int_equal(c1->keys.n, 1);
	assert_int_equal(unlink(key), 0);
	assert_null(conf_load(path, errs, sizeof errs));         /* a fresh read fails */
	c2 = conf_load_reuse(path, c1, errs, sizeof errs);
	if (c2 == NULL)
		fail_msg("reload with the same keys: %s", errs);
	assert_int_equal(c2->keys.n, 1);
	assert_int_equal(c2->keys.k[0].id, 1);
	assert_int_equal(c2->keys.k[0].len, 6);
	assert_memory_equal(c2->keys.k[0].key, "s3cret", 6);
	assert_int_equal(c2->keys.valid_days, 9);
	conf_free(c2);
	/* a changed key list is read again */
	snprintf(body, sizeof body, "suppress { file = \"%%LIST%%\" }\n"
	    "signing {\n  keys = {\"2:%s\"}\n}\n", key);
	write_conf(path, body);
	assert_null(conf_load_reuse(path, c1, errs, sizeof errs));
	assert_non_null(strstr(errs, "signing.keys"));
	conf_free(c1);
}

static void
test_missing_file(void **state)
{
	char errs[512];

	(void)state;
	assert_null(conf_load("/nonexistent-bm-config.conf", errs, sizeof errs));
	assert_non_null(strstr(errs, "/nonexistent-bm-config.conf: "));
}

/* The list's directory must be writable by the run-time user: as root that
 * is `user` (nobody, against a root-owned 0755 directory); otherwise the
 * current user against a 0555 directory. */
static void
test_unwritable_dir(void **state)
{
	char path[300], dir[300], want[400], errs[2048];
	struct bm_config *c;
	FILE *f;
	bool root = geteuid() == 0;

	(void)state;
	snprintf(dir, sizeof dir, "%s/ro", tmpdir);
	assert_int_equal(mkdir(dir, root ? 0755 : 0555), 0);
	snprintf(path, sizeof path, "%s/ro.conf", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "user = \"%s\"\nsuppress {\n  file = \"%s/list.txt\"\n}\n",
	    root ? "nobody" : "", dir);
	assert_int_equal(fclose(f), 0);
	c = conf_load(path, errs, sizeof errs);
	if (c != NULL) {
		conf_free(c);
		fail_msg("a list directory the run-time user cannot write was accepted");
	}
	snprintf(want, sizeof want, "%s:3: ", path);
	if (strncmp(errs, want, strlen(want)) != 0 || strstr(errs, "not writable") == NULL)
		fail_msg("got \"%s\"", errs);
	if (root) {
		/* the same directory given to nobody is fine */
		struct passwd *pw = getpwnam("nobody");

		assert_non_null(pw);
		assert_int_equal(chown(dir, pw->pw_uid, pw->pw_gid), 0);
		c = conf_load(path, errs, sizeof errs);
		if (c == NULL)
			fail_msg("writable directory rejected: %s", errs);
		conf_free(c);
	}
	assert_int_equal(rmdir(dir), 0);
}

/* ------------------------------------------------------------------ refcount */

static void
test_refcount(void **state)
{
	char path[300], errs[1024];
	struct bm_config *a, *b, *g1, *g2;

	(void)state;
	snprintf(path, sizeof path, "%s/rc.conf", tmpdir);
	write_conf(path, "suppress { file = \"%LIST%\" }\nmax_suppress_per_message = 3\n");
	a = conf_load(path, errs, sizeof errs);
	b = conf_load(path, errs, sizeof errs);
	assert_non_null(a);
	assert_non_null(b);
	conf_install(a);
	g1 = conf_get();
	assert_ptr_equal(g1, a);
	conf_install(b);            /* a is retired but still held by g1 */
	g2 = conf_get();
	assert_ptr_equal(g2, b);
	assert_int_equal(g1->max_suppress_per_message, 3);   /* still readable */
	conf_put(g1);               /* frees a (valgrind/ASan would see misuse) */
	conf_put(g2);
	conf_install(NULL);         /* frees b */
	assert_null(conf_get());
}

/* ------------------------------------------------------------------ names */

static bool
name_known(const char *name)
{
	for (const char *const *n = conf_option_names; *n != NULL; n++)
		if (strcmp(*n, name) == 0)
			return true;
	return false;
}

/* Option names in the sample: "name =" lines, "section {" ... "}". */
static size_t
sample_names(char names[][64], size_t max)
{
	FILE *f = fopen(BM_SRCDIR "/conf/bounce-milter.conf", "r");
	char line[1024], section[64] = "";
	size_t n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		char *p = line, word[64];
		size_t w = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#' || *p == '\n' || *p == '\0')
			continue;
		if (*p == '}') {
			section[0] = '\0';
			continue;
		}
		while ((p[w] >= 'a' && p[w] <= 'z') || p[w] == '_' || (p[w] >= '0' && p[w] <= '9'))
			w++;
		assert_true(w > 0 && w < sizeof word);
		memcpy(word, p, w);
		word[w] = '\0';
		p += w;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '{') {
			snprintf(section, sizeof section, "%s", word);
			if (strchr(p, '}') == NULL)
				continue;
			fail_msg("sample: keep section \"%s\" on several lines", word);
		}
		assert_int_equal(*p, '=');
		assert_true(n < max);
		if (section[0] != '\0')
			snprintf(names[n++], 64, "%.31s.%.31s", section, word);
		else
			snprintf(names[n++], 64, "%s", word);
	}
	fclose(f);
	return n;
}

static void
test_names_in_sample(void **state)
{
	char names[128][64];
	size_t n = sample_names(names, 128);

	(void)state;
	for (size_t i = 0; i < n; i++)
		if (!name_known(names[i]))
			fail_msg("sample config sets \"%s\", which conf.c does not know", names[i]);
	for (const char *const *o = conf_option_names; *o != NULL; o++) {
		bool found = false;

		for (size_t i = 0; i < n && !found; i++)
			found = strcmp(names[i], *o) == 0;
		if (!found)
			fail_msg("option \"%s\" is missing from conf/bounce-milter.conf", *o);
	}
}

static void
test_names_in_man(void **state)
{
	FILE *f = fopen(BM_SRCDIR "/man/bounce-milter.conf.5", "r");
	char line[1024], seen[128][64];
	size_t n = 0;

	(void)state;
	assert_non_null(f);
	/* every option is a ".TP" paragraph whose tag line is ".B name" */
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, ".TP", 3) != 0)
			continue;
		if (fgets(line, sizeof line, f) == NULL || strncmp(line, ".B ", 3) != 0)
			continue;
		line[3 + strcspn(line + 3, " \n")] = '\0';
		if (strchr(line + 3, '\\') != NULL)
			continue;
		assert_true(n < 128);
		snprintf(seen[n++], 64, "%.63s", line + 3);
	}
	fclose(f);
	for (const char *const *o = conf_option_names; *o != NULL; o++) {
		bool found = false;

		for (size_t i = 0; i < n && !found; i++)
			found = strcmp(seen[i], *o) == 0;
		if (!found)
			fail_msg("option \"%s\" is not documented in bounce-milter.conf(5)", *o);
	}
	for (size_t i = 0; i < n; i++)
		if (!name_known(seen[i]))
			fail_msg("bounce-milter.conf(5) documents \"%s\", which conf.c does not know", seen[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_values),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_sample_loads),
		cmocka_unit_test(test_bad_configs),
		cmocka_unit_test(test_directory_as_config_is_an_error_not_an_exit),
		cmocka_unit_test(test_list_path_checks_match_start_up),
		cmocka_unit_test(test_reload_keeps_keys_read_at_start),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_unwritable_dir),
		cmocka_unit_test(test_refcount),
		cmocka_unit_test(test_names_in_sample),
		cmocka_unit_test(test_names_in_man),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
