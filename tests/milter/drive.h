/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * drive.h - driving the milter callbacks without an MTA (callback tests).
 *
 * drive.c replaces libmilter's smfi_getpriv, smfi_setpriv, smfi_getsymval,
 * smfi_addheader, smfi_chgheader and smfi_setreply (the test programs are
 * linked with -Wl,--wrap for each): the private pointer lives in a
 * variable, added headers are recorded (unfolded) in added[], deletions and
 * the reply are checked with cmocka expectations.  It also owns the
 * per-test temporary folder, config and list, and the SPF zone (DRIVE_ZONE,
 * through the tests' DNS seam).  Shared by test_callbacks.c (odd callback
 * sequences) and test_forged.c (issue 10's attacks).
 */
#ifndef BM_TEST_DRIVE_H
#define BM_TEST_DRIVE_H

#include <stdbool.h>
#include <stddef.h>

#include <libmilter/mfapi.h>

/* The SPF zone every callback test sees (198.51.100.1 sends for
 * mx.far.test; the forged-bounce tests add the rest). */
#define DRIVE_ZONE \
	"mx.far.test TXT v=spf1 ip4:198.51.100.1 -all\n" \
	"far.test TXT v=spf1 ip4:198.51.100.1 -all\n" \
	"bigbank.example TXT v=spf1 ip4:198.51.100.25 ip6:2001:db8:bb::/48 -all\n" \
	"attacker.example TXT v=spf1 ip4:203.0.113.66 -all\n" \
	"mx.attacker.example TXT v=spf1 ip4:203.0.113.66 -all\n" \
	"mx.neutral.example TXT v=spf1 ?all\n" \
	"mx.slow.example TEMPFAIL\n"

#define MAX_ADDED 64
struct drive_added {
	char name[64];
	char value[2048];
};

extern void *fake_priv;
extern int fake_ctx_storage;
#define CTX ((SMFICTX *)(void *)&fake_ctx_storage)
/* The callbacks are static in milter.c: call them as the MTA does,
 * through the descriptor smfi_register() would get (daemon/milter.h). */
#define MILTER (milter_desc())
extern struct drive_added added[MAX_ADDED];
extern size_t nadded, ndeleted;
extern char tmpdir[128], zonepath[192], listpath[320], confpath[192];
extern unsigned nlists;

void *__wrap_smfi_getpriv(SMFICTX *ctx);
int __wrap_smfi_setpriv(SMFICTX *ctx, void *data);
char *__wrap_smfi_getsymval(SMFICTX *ctx, char *name);
int __wrap_smfi_addheader(SMFICTX *ctx, char *name, char *value);
int __wrap_smfi_chgheader(SMFICTX *ctx, char *name, int idx, char *value);
int __wrap_smfi_setreply(SMFICTX *ctx, char *rcode, char *xcode, char *msg);

void expect_delete(const char *name, int idx);
/* The test config: max_message_bytes 4096, the list, trust { spf off,
 * relays 192.0.2.10, 198.51.100.0/24, 203.0.113.0/24 }, then extra. */
void write_conf(const char *extra);
/* The same with the given trust { } body (lines), then extra. */
void write_conf_trust(const char *trust, const char *extra);
void load_conf(void);
int drive_group_setup(void **state);
int drive_group_teardown(void **state);
int drive_setup(void **state);
int drive_teardown(void **state);
/* A connection from ip (IPv4 or IPv6; NULL: no client address, as for
 * local submission) saying HELO helo (NULL: none). */
void connect_as(const char *ip, const char *helo);
void start_connection_from(const char *ip);   /* HELO mx.far.test */
void start_connection(void);                  /* from 192.0.2.10 */
void envelope(const char *from, const char *rcpt);
size_t send_headers(const char *msg, size_t stop_after);
sfsistat send_body(const char *body, size_t len, size_t chunk);
sfsistat send_message(const char *from, const char *rcpt, const char *msg, size_t chunk);
const char *added_value(const char *name, size_t nth);
int list_count(const char *addr);

/* A DSN about rcpt from reporting_mta; extra header lines (CRLF-ended)
 * go on top.  One static buffer. */
const char *dsn(const char *rcpt, const char *reporting_mta, const char *extra);
/* Send dsn(victim) with MAIL FROM:<> to rcpt_to; nadded is reset first. */
sfsistat bounce(const char *rcpt_to, const char *victim);
const char *origin_hdr(void);                 /* the added X-Bounce-Origin */
void assert_origin_has(const char *want);
/* The safe default policy with SPF on and no relays, then extra. */
void conf_default(const char *extra);

#endif
