/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * drive.c - the libmilter seam and the helpers of the callback tests.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cmocka.h>

#include <libmilter/mfapi.h>

#include "daemon/action.h"
#include "daemon/conf.h"
#include "util/log.h"
#include "daemon/milter.h"
#include "daemon/session.h"
#include "trust/spf.h"
#include "drive.h"

/* ------------------------------------------------------------------ the seam */

void *fake_priv;
int fake_ctx_storage;

struct drive_added added[MAX_ADDED];
size_t nadded;
size_t ndeleted;

void *__wrap_smfi_getpriv(SMFICTX *ctx);
int __wrap_smfi_setpriv(SMFICTX *ctx, void *data);
char *__wrap_smfi_getsymval(SMFICTX *ctx, char *name);
int __wrap_smfi_addheader(SMFICTX *ctx, char *name, char *value);
int __wrap_smfi_chgheader(SMFICTX *ctx, char *name, int idx, char *value);
int __wrap_smfi_setreply(SMFICTX *ctx, char *rcode, char *xcode, char *msg);

void *
__wrap_smfi_getpriv(SMFICTX *ctx)
{
	(void)ctx;
	return fake_priv;
}

int
__wrap_smfi_setpriv(SMFICTX *ctx, void *data)
{
	(void)ctx;
	fake_priv = data;
	return MI_SUCCESS;
}

char *
__wrap_smfi_getsymval(SMFICTX *ctx, char *name)
{
	static char qid[] = "4XTESTQ1";

	(void)ctx;
	if (strcmp(name, "i") == 0 || strcmp(name, "{i}") == 0)
		return qid;
	return NULL;
}

int
__wrap_smfi_addheader(SMFICTX *ctx, char *name, char *value)
{
	(void)ctx;
	assert_true(nadded < MAX_ADDED);
	size_t line = strlen(name) + 2, o = 0;

	/* no CR anywhere; folds are LF + white space; lines of at most 78
	 * octets (RFC 5322 2.1.1) unless a line is one word that cannot be
	 * folded (a 255-octet address), and never more than 998 */
	assert_null(strchr(value, '\r'));
	bool blank = false;
	for (const char *p = value; *p != '\0'; p++) {
		if (*p == '\n') {
			assert_true(p[1] == ' ' || p[1] == '\t');
			line = 0;
			blank = false;
			continue;   /* unfold: drop the LF, keep the white space */
		}
		if ((*p == ' ' || *p == '\t') && line > 1)
			blank = true;
		++line;
		assert_true(line <= 998);
		assert_true(line <= 78 || !blank);
		if (o + 1 < sizeof added[nadded].value)
			added[nadded].value[o++] = *p;
	}
	added[nadded].value[o] = '\0';
	snprintf(added[nadded].name, sizeof added[nadded].name, "%s", name);
	nadded++;
	return MI_SUCCESS;
}

int
__wrap_smfi_chgheader(SMFICTX *ctx, char *name, int idx, char *value)
{
	(void)ctx;
	check_expected(name);
	check_expected(idx);
	assert_null(value);    /* we only ever delete */
	ndeleted++;
	return MI_SUCCESS;
}

int
__wrap_smfi_setreply(SMFICTX *ctx, char *rcode, char *xcode, char *msg)
{
	(void)ctx;
	(void)msg;
	check_expected(rcode);
	check_expected(xcode);
	return MI_SUCCESS;
}

void
expect_delete(const char *name, int idx)
{
	expect_string(__wrap_smfi_chgheader, name, name);
	expect_value(__wrap_smfi_chgheader, idx, idx);
}

char tmpdir[128];
char zonepath[192];
char listpath[320];
char confpath[192];
unsigned nlists;

void
write_conf(const char *extra)
{
	FILE *f = fopen(confpath, "w");

	assert_non_null(f);
	fprintf(f, "max_message_bytes = 4096\n"
	    "suppress {\n  file = \"%s\"\n}\n"
	    "trust {\n  spf = \"off\"\n  relays = {\"192.0.2.10\", \"198.51.100.0/24\", \"203.0.113.0/24\"}\n}\n%s",
	    listpath, extra);
	assert_int_equal(fclose(f), 0);
}

void
load_conf(void)
{
	char errs[2048], err[256];
	struct bm_config *c = conf_load(confpath, errs, sizeof errs);

	if (c == NULL)
		fail_msg("config: %s", errs);
	if (action_list_open(c, err, sizeof err) != 0)
		fail_msg("list: %s", err);
	conf_install(c);
}

int
drive_group_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/bm-test-callbacks.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(confpath, sizeof confpath, "%s/bm.conf", tmpdir);
	log_open("test_callbacks", LOG_MAIL, getenv("BM_TEST_VERBOSE") != NULL);
	/* SPF from a zone: mx.far.test may send only from 198.51.100.1 */
	snprintf(zonepath, sizeof zonepath, "%s/zone", tmpdir);
	{
		FILE *f = fopen(zonepath, "w");
		char err[256];

		if (f == NULL)
			return -1;
		fputs(DRIVE_ZONE, f);
		if (fclose(f) != 0 || setenv("BM_TEST_DNS_ZONE", zonepath, 1) != 0 || spf_init(err, sizeof err) != 0)
			return -1;
	}
	return action_init();
}

int
drive_group_teardown(void **state)
{
	char cmd[256];

	(void)state;
	conf_install(NULL);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A fresh list and config before each test. */
int
drive_setup(void **state)
{
	(void)state;
	snprintf(listpath, sizeof listpath, "%s/list-%u.txt", tmpdir, ++nlists);
	write_conf("");
	load_conf();
	fake_priv = NULL;
	nadded = 0;
	ndeleted = 0;
	return 0;
}

int
drive_teardown(void **state)
{
	(void)state;
	if (fake_priv != NULL)
		MILTER->xxfi_close(CTX);
	assert_null(fake_priv);
	return 0;
}

/* ------------------------------------------------------------------ driving */

void
connect_as(const char *ip, const char *helo)
{
	struct sockaddr_storage ss;
	unsigned long pf0, pf1, pf2, pf3;

	memset(&ss, 0, sizeof ss);
	if (ip != NULL && strchr(ip, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, ip, &s6->sin6_addr), 1);
	} else if (ip != NULL) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, ip, &s4->sin_addr), 1);
	}
	assert_int_equal(MILTER->xxfi_negotiate(CTX, SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT,
	    SMFIP_SKIP | SMFIP_NOUNKNOWN | SMFIP_NODATA | SMFIP_NOHDRS,
	    0, 0, &pf0, &pf1, &pf2, &pf3), SMFIS_CONTINUE);
	assert_int_equal(MILTER->xxfi_connect(CTX, ip != NULL ? "client.test" : "localhost",
	    ip != NULL ? (struct sockaddr *)&ss : NULL), SMFIS_CONTINUE);
	if (helo != NULL)
		assert_int_equal(MILTER->xxfi_helo(CTX, (char *)helo), SMFIS_CONTINUE);
}

void
start_connection_from(const char *ip)
{
	connect_as(ip, "mx.far.test");
}

void
start_connection(void)
{
	start_connection_from("192.0.2.10");
}

void
envelope(const char *from, const char *rcpt)
{
	char *fa[] = { (char *)from, NULL };
	char *ra[] = { (char *)rcpt, NULL };

	assert_int_equal(MILTER->xxfi_envfrom(CTX, fa), SMFIS_CONTINUE);
	assert_int_equal(MILTER->xxfi_envrcpt(CTX, ra), SMFIS_CONTINUE);
}

/* Send the header block as the MTA does: folded lines joined by LF, the one
 * space after the colon removed, no final CRLF.  Returns the body offset. */
size_t
send_headers(const char *msg, size_t stop_after)
{
	const char *p = msg;
	size_t n = 0;

	while (strncmp(p, "\r\n", 2) != 0) {
		char name[128], value[2048];
		const char *colon = strchr(p, ':'), *end = p;
		size_t v = 0;

		assert_non_null(colon);
		snprintf(name, sizeof name, "%.*s", (int)(colon - p), p);
		end = colon + 1;
		if (*end == ' ')
			end++;
		for (;;) {
			const char *eol = strstr(end, "\r\n");

			memcpy(value + v, end, (size_t)(eol - end));
			v += (size_t)(eol - end);
			end = eol + 2;
			if (*end != ' ' && *end != '\t')
				break;
			value[v++] = '\n';
		}
		value[v] = '\0';
		assert_int_equal(MILTER->xxfi_header(CTX, name, value), SMFIS_CONTINUE);
		p = end;
		if (++n == stop_after)
			return 0;
	}
	assert_int_equal(MILTER->xxfi_eoh(CTX), SMFIS_CONTINUE);
	return (size_t)(p + 2 - msg);
}

/* The body in chunks of `chunk` bytes; returns the last reply. */
sfsistat
send_body(const char *body, size_t len, size_t chunk)
{
	sfsistat r = SMFIS_CONTINUE;

	for (size_t off = 0; off < len && r == SMFIS_CONTINUE; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;

		r = MILTER->xxfi_body(CTX, (unsigned char *)body + off, n);
	}
	return r;
}

sfsistat
send_message(const char *from, const char *rcpt, const char *msg, size_t chunk)
{
	size_t off;

	envelope(from, rcpt);
	off = send_headers(msg, 0);
	(void)send_body(msg + off, strlen(msg) - off, chunk);
	return MILTER->xxfi_eom(CTX);
}

const char *
added_value(const char *name, size_t nth)
{
	for (size_t i = 0; i < nadded; i++)
		if (strcmp(added[i].name, name) == 0 && nth-- == 0)
			return added[i].value;
	return NULL;
}

int
list_count(const char *addr)
{
	FILE *f = fopen(listpath, "r");
	char line[512];
	int n = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strcmp(line, addr) == 0)
			n++;
	}
	fclose(f);
	return n;
}

void
write_conf_trust(const char *trust, const char *extra)
{
	FILE *f = fopen(confpath, "w");

	assert_non_null(f);
	fprintf(f, "max_message_bytes = 4096\n"
	    "suppress {\n  file = \"%s\"\n}\n"
	    "trust {\n%s\n}\n%s", listpath, trust, extra);
	assert_int_equal(fclose(f), 0);
}

/* ------------------------------------------------------------------ bounces */

const char *
dsn(const char *rcpt, const char *reporting_mta, const char *extra)
{
	static char buf[4096];

	snprintf(buf, sizeof buf,
	    "%s"
	    "From: MAILER-DAEMON@mx.far.test\r\n"
	    "Subject: Undelivered Mail Returned to Sender\r\n"
	    "To: bounces@lists.near.test\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/report; report-type=delivery-status;\r\n"
	    "\tboundary=\"FB\"\r\n"
	    "\r\n"
	    "--FB\r\n"
	    "Content-Type: text/plain\r\n"
	    "\r\n"
	    "<%s>: 550 5.1.1 user unknown\r\n"
	    "\r\n"
	    "--FB\r\n"
	    "Content-Type: message/delivery-status\r\n"
	    "\r\n"
	    "Reporting-MTA: dns; %s\r\n"
	    "\r\n"
	    "Final-Recipient: rfc822; %s\r\n"
	    "Action: failed\r\n"
	    "Status: 5.1.1\r\n"
	    "Diagnostic-Code: smtp; 550 5.1.1 <%s>: Recipient address rejected: User unknown\r\n"
	    "\r\n"
	    "--FB--\r\n", extra != NULL ? extra : "", rcpt, reporting_mta, rcpt, rcpt);
	return buf;
}

sfsistat
bounce(const char *rcpt_to, const char *victim)
{
	nadded = 0;
	return send_message("<>", rcpt_to, dsn(victim, "mx.far.test", NULL), 65535);
}

const char *
origin_hdr(void)
{
	const char *v = added_value("X-Bounce-Origin", 0);

	assert_non_null(v);
	return v;
}

void
assert_origin_has(const char *want)
{
	if (strstr(origin_hdr(), want) == NULL)
		fail_msg("X-Bounce-Origin: %s (wanted %s)", origin_hdr(), want);
}

/* The safe default policy with SPF on and no relays. */
void
conf_default(const char *extra)
{
	write_conf_trust("  spf = \"on\"", extra);
	load_conf();
}

