/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_smtpcmd.c - smtpcmd.c: names, the command a diagnostic states (each
 * MTA's wording), the command a notification text states for one recipient
 * (transcripts, paragraphs, other recipients), hostile input, phrases
 * and addresses at every offset of the block-wise readers, and threads
 * that race to build the phrase tables (one set for the process).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include <cmocka.h>

#include "classify/smtpcmd.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Runs first: several threads race to build the phrase tables, then read
 * them at once; each must get every answer right. */
static int race_worker(void *arg)
{
	static const char diag[] = "host mx.example.org said: 550 5.1.1 user "
	                           "unknown (in reply to RCPT TO command)";
	static const char text[] = "<a@example.org>:\nSMTP error from remote "
	                           "mail server after end of data:\n554 spam";
	int i, bad = 0;

	(void)arg;
	for (i = 0; i < 2000; i++) {
		if (smtpcmd_find(diag, sizeof(diag) - 1) != SMTPCMD_RCPT)
			bad++;
		if (smtpcmd_find_for(text, sizeof(text) - 1, "a@example.org") !=
		    SMTPCMD_DATA)
			bad++;
	}
	return bad;
}

static void test_threads(void **state)
{
	thrd_t t[4];
	int i, rc;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(thrd_create(&t[i], race_worker, NULL), thrd_success);
	for (i = 0; i < 4; i++) {
		assert_int_equal(thrd_join(t[i], &rc), thrd_success);
		assert_int_equal(rc, 0);
	}
}

static void test_names(void **state)
{
	int i;
	char buf[8];

	(void)state;
	for (i = 1; i < SMTPCMD_COUNT; i++)
		assert_int_equal(smtpcmd_from_name(smtpcmd_name((enum smtpcmd)i)), i);
	assert_string_equal(smtpcmd_name(SMTPCMD_NONE), "");
	assert_string_equal(smtpcmd_name(SMTPCMD_RCPT), "RCPT");
	assert_string_equal(smtpcmd_name(SMTPCMD_COUNT), "");
	assert_int_equal(smtpcmd_from_name("data"), SMTPCMD_DATA);
	assert_int_equal(smtpcmd_from_name("QUIT"), SMTPCMD_NONE);
	assert_int_equal(smtpcmd_from_name(""), SMTPCMD_NONE);
	assert_int_equal(smtpcmd_from_name(NULL), SMTPCMD_NONE);

	buf[0] = '\0';
	assert_true(smtpcmd_store(buf, sizeof(buf), SMTPCMD_MAIL));
	assert_string_equal(buf, "MAIL");
	assert_false(smtpcmd_store(buf, sizeof(buf), SMTPCMD_RCPT));  /* kept */
	assert_string_equal(buf, "MAIL");
	buf[0] = '\0';
	assert_false(smtpcmd_store(buf, sizeof(buf), SMTPCMD_NONE));
	assert_string_equal(buf, "");
	assert_false(smtpcmd_store(buf, 4, SMTPCMD_DATA));          /* no room */
	assert_false(smtpcmd_store(NULL, 8, SMTPCMD_DATA));
}

struct dcase {
	const char *diag;
	enum smtpcmd want;
};

static void test_find(void **state)
{
	static const struct dcase cases[] = {
		/* Postfix smtp(8), folded over lines as its bounces are */
		{ "host mx.example.jp[192.0.2.1] said: 550 5.1.1 <a@example.jp>: "
		  "User unknown (in reply to RCPT TO command)", SMTPCMD_RCPT },
		{ "550 5.7.1 Message rejected (in reply to end of DATA\n    command)",
		  SMTPCMD_DATA },
		{ "553 sorry (in reply to MAIL FROM command)", SMTPCMD_MAIL },
		{ "554 go away (in reply to EHLO command)", SMTPCMD_HELO },
		{ "lost connection with mx[192.0.2.2] while sending RCPT TO",
		  SMTPCMD_RCPT },
		{ "conversation timed out while sending end of data -- message "
		  "may be sent more than once", SMTPCMD_DATA },
		{ "host mx[192.0.2.3] refused to talk to me: 554 no thanks",
		  SMTPCMD_CONN },
		/* Exim */
		{ "SMTP error from remote mail server after RCPT TO:<a@b.example>: "
		  "host mx.b.example [192.0.2.4]: 550 5.1.1 unknown", SMTPCMD_RCPT },
		{ "SMTP error from remote mail server after end of data: 550 spam",
		  SMTPCMD_DATA },
		{ "SMTP error from remote mail server after pipelined MAIL FROM:<s@x.example> "
		  "SIZE=1234: 550 sender rejected", SMTPCMD_MAIL },
		{ "SMTP error from remote mail server after initial connection: "
		  "554 blocked", SMTPCMD_CONN },
		{ "SMTP error from remote mail server after EHLO me.example: 550 no",
		  SMTPCMD_HELO },
		{ "SMTP error from remote server for TEXT command, host: smtp-in.example.fr "
		  "(192.0.2.65) reason: 550 5.2.0 Mail rejected", SMTPCMD_DATA },
		/* qmail-remote */
		{ "192.0.2.5 does not like recipient. Remote host said: 550 no such "
		  "user Giving up on 192.0.2.5.", SMTPCMD_RCPT },
		{ "Connected to 192.0.2.6 but sender was rejected. Remote host said: "
		  "553 bad sender", SMTPCMD_MAIL },
		{ "Connected to 192.0.2.7 but my name was rejected.", SMTPCMD_HELO },
		{ "192.0.2.8 failed after I sent the message. Remote host said: 554 "
		  "content rejected", SMTPCMD_DATA },
		{ "Sorry. Although I'm listed as a best-preference MX or A for that "
		  "host, ... 192.0.2.32 said 550 for RCPT TO response", SMTPCMD_RCPT },
		{ "validation failed: RCPT TO not accepted: 5.7.1 no", SMTPCMD_RCPT },
		/* DragonFly dma */
		{ "mx.example.com [192.0.2.9] did not like our RCPT TO: 550 5.1.1 "
		  "unknown", SMTPCMD_RCPT },
		{ "mx.example.com [192.0.2.9] did not like our final DATA: 554 5.7.9 "
		  "policy", SMTPCMD_DATA },
		/* transcripts collapsed into one line */
		{ ">>> DATA <<< 550 Unknown user a@example.jp", SMTPCMD_DATA },
		{ ">>> RCPT TO:<a@example.jp> <<< 550 5.1.1 <a@example.jp>... User "
		  "Unknown", SMTPCMD_RCPT },
		{ ">>> MAIL From:<s@x.example> <<< 250 ok >>> RCPT To:<a@y.example> "
		  "<<< 550-5.1.1 first line <<< 550 5.1.1 last line", SMTPCMD_RCPT },
		/* InterScan: the markers point the other way */
		{ "Sent <<< RCPT TO:<a@example.jp> Received >>> 550 5.1.1 "
		  "<a@example.jp>... user unknown", SMTPCMD_RCPT },
		/* no command stated */
		{ "550 5.1.1 <a@example.jp>... User unknown", SMTPCMD_NONE },
		{ "", SMTPCMD_NONE },
		/* command words inside other words or addresses are not commands */
		{ "550 5.1.1 <database@example.jp>: after dataloss", SMTPCMD_NONE },
		{ "550 rcpt.to@example.jp unknown", SMTPCMD_NONE },
		/* a transcript whose commands all succeeded states none */
		{ ">>> RCPT TO:<a@example.jp> <<< 250 ok", SMTPCMD_NONE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		enum smtpcmd got = smtpcmd_find(cases[i].diag, strlen(cases[i].diag));

		if (got != cases[i].want)
			fail_msg("case %zu \"%s\": got %s want %s", i, cases[i].diag,
			         smtpcmd_name(got), smtpcmd_name(cases[i].want));
	}
}

struct tcase {
	const char *text, *addr;
	enum smtpcmd want;
};

/* Postfix: the block of each recipient names its command */
#define POSTFIX_TWO \
	"This is the mail system at host mx.example.org.\n\n" \
	"<a@example.jp>: host mx.example.jp[192.0.2.1] said: 550\n" \
	"    <a@example.jp>: User unknown (in reply to RCPT TO\n" \
	"    command)\n\n" \
	"<b@example.jp>: host mx.example.jp[192.0.2.1] said: 550 5.7.1\n" \
	"    Message rejected (in reply to end of DATA command)\n"

#define SENDMAIL_HOSTS \
	"   ----- Transcript of session follows -----\n" \
	"While talking to example.edu:\n" \
	">>> DATA\n" \
	"<<< 550 You cannot send E-Mail to yourself (s@example.jp).\n" \
	"421 example.edu (smtp)... Deferred: Connection reset by peer\n" \
	"554 <a@example.edu>... Remote protocol error: Connection reset\n" \
	"550 example.org (smtp)... 550 Host unknown\n" \
	"554 <b@example.org>... 550 Host unknown\n" \
	"While talking to mail.example.co.jp:\n" \
	">>> RCPT To:<c@example.co.jp>\n" \
	"<<< 550 No such user here.\n" \
	"550 <c@example.co.jp>... User unknown\n"

static void test_find_for(void **state)
{
	static const struct tcase cases[] = {
		{ POSTFIX_TWO, "a@example.jp", SMTPCMD_RCPT },
		{ POSTFIX_TWO, "b@example.jp", SMTPCMD_DATA },
		/* Postfix alias expansion: the alias does not end the block */
		{ "<a@example.jp> (expanded from <list@example.org>): host\n"
		  "    mx.example.jp[192.0.2.1] said: 550 unknown (in reply to MAIL\n"
		  "    FROM command)\n", "a@example.jp", SMTPCMD_MAIL },
		/* sendmail transcript: DATA refused for the accepted recipient */
		{ "   ----- Transcript of session follows -----\n"
		  "... while talking to mx.example.jp.:\n"
		  ">>> DATA\n"
		  "<<< 550 5.7.1 <a@example.jp>: Recipient address rejected\n"
		  "550 5.1.1 <a@example.jp>... User unknown\n",
		  "a@example.jp", SMTPCMD_DATA },
		/* sendmail transcript: RCPT refused */
		{ "... while talking to mx.example.jp.:\n"
		  ">>> RCPT To:<a@example.jp>\n"
		  "<<< 550 5.1.1 <a@example.jp>... User unknown\n"
		  ">>> DATA\n"
		  "<<< 554 5.5.1 Error: no valid recipients\n",
		  "a@example.jp", SMTPCMD_RCPT },
		/* a pipelined transcript that shows every command */
		{ ">>> MAIL FROM:<s@example.org>\n>>> RCPT TO:<a@example.jp>\n"
		  ">>> DATA\n<<< 250 ok\n<<< 550 5.1.1 no such user\n"
		  "<<< 554 no valid recipients\n", "a@example.jp", SMTPCMD_RCPT },
		/* InterScan lines */
		{ "****** Message from InterScan Messaging Security Suite ******\n\n"
		  "Sent <<< RCPT TO:<a@example.jp>\n"
		  "Received >>> 550 5.1.1 <a@example.jp>... user unknown\n",
		  "a@example.jp", SMTPCMD_RCPT },
		/* Courier: a DATA refusal that does not name the address */
		{ "<a@example.jp>:\n    mx.example.jp [192.0.2.45]:\n>>> DATA\n"
		  "<<< 550 5.7.1 can't determine Purported Responsible Address\n",
		  "a@example.jp", SMTPCMD_DATA },
		/* sendmail, several hosts: a DATA failure is the recipient's whose
		 * verdict follows it, not that of recipients failed elsewhere */
		{ SENDMAIL_HOSTS, "a@example.edu", SMTPCMD_DATA },
		{ SENDMAIL_HOSTS, "b@example.org", SMTPCMD_NONE },
		{ SENDMAIL_HOSTS, "c@example.co.jp", SMTPCMD_RCPT },
		/* qmail: the paragraph under the address */
		{ "Hi. This is the qmail-send program at mx.example.org.\n\n"
		  "<a@example.jp>:\n192.0.2.5 does not like recipient.\n"
		  "Remote host said: 550 5.1.1 unknown\nGiving up on 192.0.2.5.\n",
		  "a@example.jp", SMTPCMD_RCPT },
		/* DragonFly: the command in the paragraph after the address */
		{ "There was an error delivering your mail to <a@example.jp>.\n\n"
		  "mx.example.jp [192.0.2.25] did not like our RCPT TO:\n"
		  "550 5.2.1 <a@example.jp>: Recipient address rejected\n",
		  "a@example.jp", SMTPCMD_RCPT },
		/* Exim blocks: the next address's command is not this one's */
		{ "  a@example.jp\n    Unrouteable address\n\n"
		  "  b@example.jp\n    SMTP error from remote mail server after end"
		  " of data:\n    550 spam\n", "a@example.jp", SMTPCMD_NONE },
		{ "  a@example.jp\n    Unrouteable address\n\n"
		  "  b@example.jp\n    SMTP error from remote mail server after end"
		  " of data:\n    550 spam\n", "b@example.jp", SMTPCMD_DATA },
		/* an address that only contains this one */
		{ "<xa@example.jp>: said 550 (in reply to RCPT TO command)\n",
		  "a@example.jp", SMTPCMD_NONE },
		/* the address is not in the text */
		{ "550 (in reply to RCPT TO command)\n", "a@example.jp", SMTPCMD_NONE },
		/* not an address */
		{ "a (in reply to RCPT TO command)\n", "a", SMTPCMD_NONE },
		{ "", "a@example.jp", SMTPCMD_NONE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		enum smtpcmd got = smtpcmd_find_for(cases[i].text, strlen(cases[i].text),
		                                    cases[i].addr);

		if (got != cases[i].want)
			fail_msg("case %zu (%s): got \"%s\" want \"%s\"", i, cases[i].addr,
			         smtpcmd_name(got), smtpcmd_name(cases[i].want));
	}
	assert_int_equal(smtpcmd_find_for(NULL, 10, "a@b.example"), SMTPCMD_NONE);
	assert_int_equal(smtpcmd_find_for("x", 1, NULL), SMTPCMD_NONE);
}

/* smtpcmd_find_for() reads an address's window in the raw text (white
 * space runs, line ends of any kind, upper case) as if it were folded;
 * these pin the edges where the two could part. */
#define FOR_CRLF \
	"This is the mail system at host mx.example.org.\r\n\r\n" \
	"<a@example.jp>: host mx.example.jp[192.0.2.1] said: 550\r\n" \
	"    <a@example.jp>: User unknown (in reply to RCPT TO\r\n" \
	"    command)\r\n\r\n" \
	"<b@example.jp>: host mx.example.jp[192.0.2.1] said: 550 5.7.1\r\n" \
	"    Message rejected (in reply to end of DATA command)\r\n"

static void test_find_for_raw(void **state)
{
	static const struct tcase cases[] = {
		/* CRLF line ends read as LF ones */
		{ FOR_CRLF, "a@example.jp", SMTPCMD_RCPT },
		{ FOR_CRLF, "b@example.jp", SMTPCMD_DATA },
		/* a CRLF blank line ends the first paragraph; the second
		 * one counts, a third does not */
		{ "a@b.example:\r\n\r\nmx did not like our RCPT TO:\r\n",
		  "a@b.example", SMTPCMD_RCPT },
		{ "a@b.example:\r\n\r\nno\r\n \r\nafter data\r\n", "a@b.example",
		  SMTPCMD_NONE },
		/* the address in upper case */
		{ "<A@B.EXAMPLE>: 550 unknown (in reply to RCPT TO command)\n",
		  "a@b.example", SMTPCMD_RCPT },
		/* the address at the very end of the text */
		{ "550 (in reply to RCPT TO command)\n<a@b.example>", "a@b.example",
		  SMTPCMD_NONE },
		{ "(in reply to RCPT TO command) a@b.example", "a@b.example",
		  SMTPCMD_NONE },
		/* a phrase's space is a white space run, control bytes and
		 * NUL included, but not a blank line */
		{ "a@b.example \t\x01 in\x7freply   to\tRCPT\n     TO command",
		  "a@b.example", SMTPCMD_RCPT },
		{ "a@b.example: after\n\nDATA\n", "a@b.example", SMTPCMD_NONE },
		{ "a@b.example: after\n   DATA\n", "a@b.example", SMTPCMD_DATA },
		/* an occurrence in the first paragraph of a window read in
		 * vain, and one in its second paragraph (its own window goes
		 * on) */
		{ "a@b.example x a@b.example y\n\nz\n\nafter data\n", "a@b.example",
		  SMTPCMD_NONE },
		{ "a@b.example x\n\nq a@b.example\n\nafter data\n", "a@b.example",
		  SMTPCMD_DATA },
		/* another address in the second paragraph ends the window */
		{ "a@b.example:\n\nc@d.example after data\n", "a@b.example",
		  SMTPCMD_NONE },
		{ "a@b.example:\n\nA@B.EXAMPLE. after data\n", "a@b.example",
		  SMTPCMD_DATA },
	};
	static const char nul[] = "a@b.example\0\0after\0\0DATA";
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		enum smtpcmd got = smtpcmd_find_for(cases[i].text, strlen(cases[i].text),
		                                    cases[i].addr);

		if (got != cases[i].want)
			fail_msg("case %zu (%s): got \"%s\" want \"%s\"", i, cases[i].addr,
			         smtpcmd_name(got), smtpcmd_name(cases[i].want));
	}
	assert_int_equal(smtpcmd_find_for(nul, sizeof(nul) - 1, "a@b.example"),
	                 SMTPCMD_DATA);
}

/* "a@b.example", filler, "after dataxyz ...": "after data" starts at
 * folded offset n + 13 of the window (n > 1800).  Each separator is a
 * five-byte white space run folded to one space, so the raw text is far
 * longer than the folded one. */
static char *cap_text(size_t n, size_t *len)
{
	static const char sep[] = " \t \n ";
	static const char tail[] = "after dataxyz and more text";
	char *s = malloc(11 + 600 * 7 + 5 + n + 5 + sizeof(tail));
	size_t k = 11, m;

	assert_non_null(s);
	memcpy(s, "a@b.example", 11);
	for (m = 0; m < 600; m++) {       /* " xx" folded: 1,800 bytes */
		memcpy(s + k, sep, 5);
		memcpy(s + k + 5, "xx", 2);
		k += 7;
	}
	memcpy(s + k, sep, 5);            /* " x...x": n - 1,799 bytes */
	k += 5;
	memset(s + k, 'x', n - 1800);
	k += n - 1800;
	memcpy(s + k, sep, 5);
	k += 5;
	memcpy(s + k, tail, sizeof(tail) - 1);
	*len = k + sizeof(tail) - 1;
	return s;
}

static void test_window_cap(void **state)
{
	static const struct {
		size_t n;
		enum smtpcmd want;
	} cases[] = {
		/* "dataxyz" is no whole word ... */
		{ 2000, SMTPCMD_NONE },
		/* ... unless the 2,048-byte window cuts it after "data" */
		{ 2025, SMTPCMD_DATA },
		/* a phrase that does not fit the window is not seen */
		{ 2026, SMTPCMD_NONE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		size_t len;
		char *s = cap_text(cases[i].n, &len);
		enum smtpcmd got = smtpcmd_find_for(s, len, "a@b.example");

		free(s);
		if (got != cases[i].want)
			fail_msg("n %zu: got \"%s\" want \"%s\"", cases[i].n,
			         smtpcmd_name(got), smtpcmd_name(cases[i].want));
	}
}

/* An address followed by a long white space run: folded, the phrase after
 * it is near; with a blank line in the run it is in the next paragraph. */
static void test_long_space(void **state)
{
	const size_t run = 70000;
	char *s = malloc(run + 64);
	size_t k;

	(void)state;
	assert_non_null(s);
	memcpy(s, "a@b.example", 11);
	memset(s + 11, ' ', run);
	k = 11 + run;
	memcpy(s + k, "after data", 10);
	k += 10;
	/* the text is cut at 64 KiB: no phrase */
	assert_int_equal(smtpcmd_find_for(s, k, "a@b.example"), SMTPCMD_NONE);
	memset(s + 11, ' ', 4000);
	memmove(s + 11 + 4000, "after data", 10);
	k = 11 + 4000 + 10;
	assert_int_equal(smtpcmd_find_for(s, k, "a@b.example"), SMTPCMD_DATA);
	s[100] = '\n';
	s[3000] = '\n';            /* a blank line: the next paragraph */
	assert_int_equal(smtpcmd_find_for(s, k, "a@b.example"), SMTPCMD_DATA);
	s[3500] = '\n';            /* the same run: still one paragraph mark */
	assert_int_equal(smtpcmd_find_for(s, k, "a@b.example"), SMTPCMD_DATA);
	s[3200] = 'y';             /* a word, then another blank line: the */
	s[3501] = '\n';            /* third paragraph is out of reach */
	assert_int_equal(smtpcmd_find_for(s, k, "a@b.example"), SMTPCMD_NONE);
	free(s);
}

/* smtpcmd_find(): raw diagnostics read as folded ones, and the fold's cut
 * of a 4,096-byte span without white space (its last byte) kept. */
static void test_find_raw(void **state)
{
	static const struct dcase cases[] = {
		{ "550 5.1.1 User unknown (in reply to RCPT TO\r\n    command)",
		  SMTPCMD_RCPT },
		{ "550 5.1.1 User unknown (in reply to RCPT TO\r\n\r\ncommand)",
		  SMTPCMD_RCPT },                    /* "rcpt to command" */
		{ "SMTP error from remote mail server after\r\n\r\nend of data",
		  SMTPCMD_DATA },                    /* "end of data" alone */
		{ "Remote host said: 554 ... AFTER\tEND\x01OF\x7f" "DATA", SMTPCMD_DATA },
		{ "   \n\n  after data   \n\n", SMTPCMD_DATA },
	};
	char *s;
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		enum smtpcmd got = smtpcmd_find(cases[i].diag, strlen(cases[i].diag));

		if (got != cases[i].want)
			fail_msg("case %zu \"%s\": got %s want %s", i, cases[i].diag,
			         smtpcmd_name(got), smtpcmd_name(cases[i].want));
	}
	s = malloc(4096);
	assert_non_null(s);
	for (i = 4093; i <= 4096; i++) {
		memset(s, 'x', i - 10);
		memcpy(s + i - 10, ";smtp:rcpt", 10);
		/* folded into 4,096 bytes, a span of 4,096 loses its last */
		assert_int_equal(smtpcmd_find(s, i),
		                 i < 4096 ? SMTPCMD_RCPT : SMTPCMD_NONE);
	}
	free(s);
}

static void test_hostile(void **state)
{
	static const char nul[] = "550 \0(in reply to RCPT TO\0command)";
	const size_t big = 300 * 1024;
	char *s;
	size_t i;

	(void)state;
	/* NUL bytes are white space, not the end */
	assert_int_equal(smtpcmd_find(nul, sizeof(nul) - 1), SMTPCMD_RCPT);
	/* no NUL terminator: only len bytes are read */
	assert_int_equal(smtpcmd_find("after data", 5), SMTPCMD_NONE);
	assert_int_equal(smtpcmd_find(NULL, 5), SMTPCMD_NONE);

	s = malloc(big + 1);
	assert_non_null(s);
	/* markers only: bounded, no command */
	memset(s, '>', big);
	s[big] = '\0';
	assert_int_equal(smtpcmd_find(s, big), SMTPCMD_NONE);
	assert_int_equal(smtpcmd_find_for(s, big, "a@b.example"), SMTPCMD_NONE);
	/* many commands, never answered, then one failure */
	for (i = 0; i + 12 < big; i += 12)
		memcpy(s + i, ">>> RCPT\n   ", 12);
	memcpy(s + big - 12, "<<< 550 no\n ", 12);
	assert_int_equal(smtpcmd_find(s, big), SMTPCMD_NONE);  /* past the span cap */
	/* one address repeated: occurrences and windows are capped */
	for (i = 0; i + 12 < big; i += 12)
		memcpy(s + i, "a@b.example ", 12);
	assert_int_equal(smtpcmd_find_for(s, big, "a@b.example"), SMTPCMD_NONE);
	/* a phrase past the bytes looked at is not seen */
	memset(s, ' ', big);
	memcpy(s, "<a@b.example>:", 14);
	memcpy(s + big - 40, "(in reply to RCPT TO command)", 29);
	assert_int_equal(smtpcmd_find_for(s, big, "a@b.example"), SMTPCMD_NONE);
	free(s);
}

/* The phrase scan reads 32 bytes a step and the address search compares
 * eight at a time: a phrase or an address at every offset around those
 * steps, each span exactly as long as its bytes (a sanitizer build sees
 * any read past it), is found the same; glued to a word byte, it is not. */
static void test_offsets(void **state)
{
	static const struct {
		const char *text;
		enum smtpcmd want, glued;     /* glued: a shorter phrase in it */
	} phrases[] = {
		{ "in reply to RCPT TO command", SMTPCMD_RCPT, SMTPCMD_RCPT },
		{ "After End Of Data", SMTPCMD_DATA, SMTPCMD_DATA },
		{ "in reply to EHLO command", SMTPCMD_HELO, SMTPCMD_NONE },
		{ "SMTP:MAIL", SMTPCMD_MAIL, SMTPCMD_NONE },
		{ "rcpt_to", SMTPCMD_RCPT, SMTPCMD_NONE },
		{ "did not like our EHLO", SMTPCMD_HELO, SMTPCMD_NONE },
	};
	size_t k, off, n;
	char *s;

	(void)state;
	for (k = 0; k < N(phrases); k++) {
		size_t plen = strlen(phrases[k].text);

		for (off = 0; off < 70; off++) {
			n = off + plen;
			s = malloc(n);
			assert_non_null(s);
			memset(s, ' ', off);
			if (off > 0)
				s[off - 1] = '(';
			memcpy(s + off, phrases[k].text, plen);
			if (smtpcmd_find(s, n) != phrases[k].want)
				fail_msg("\"%s\" at %zu not found", phrases[k].text, off);
			if (off > 0) {
				s[off - 1] = 'x';         /* inside a word now */
				if (smtpcmd_find(s, n) != phrases[k].glued)
					fail_msg("\"%s\" glued at %zu found", phrases[k].text, off);
			}
			free(s);
		}
	}
	/* the recipient's address in any case, at any offset, then a phrase */
	for (off = 0; off < 40; off++) {
		static const char tail[] = "<Some.User@Mail.Example.ORG>: 550 unknown "
		                           "(in reply to RCPT TO command)";

		n = off + sizeof(tail) - 1;
		s = malloc(n);
		assert_non_null(s);
		memset(s, 'q', off);
		if (off > 0)
			s[off - 1] = ' ';
		memcpy(s + off, tail, sizeof(tail) - 1);
		assert_int_equal(smtpcmd_find_for(s, n, "some.user@mail.example.org"),
		                 SMTPCMD_RCPT);
		assert_int_equal(smtpcmd_find_for(s, n, "some.user@mail.example.or"),
		                 SMTPCMD_NONE);     /* a longer address holds it */
		assert_int_equal(smtpcmd_find_for(s, n, "some.usex@mail.example.org"),
		                 SMTPCMD_NONE);
		free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_find_for),
		cmocka_unit_test(test_find_for_raw),
		cmocka_unit_test(test_window_cap),
		cmocka_unit_test(test_long_space),
		cmocka_unit_test(test_find_raw),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_offsets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
