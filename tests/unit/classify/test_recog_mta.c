/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_recog_mta.c - the MTA-family recognisers (recognisers/exim.c, qmail.c,
 * dragonfly.c, sendmail.c, postfix.c, opensmtpd.c, courier.c,
 * apachejames.c, and the reason hints of exchange2007.c's enrich hook)
 * and their shared helpers (recognisers/common.c), on fixtures in
 * tests/data/recog written for these tests: each family's fixture must be
 * claimed by that family with the right recipients, status codes, actions
 * and reason hints, must be chosen by the registry through bounce_parse(),
 * and ordinary mail (also mail that quotes bounce texts) must be claimed
 * by none of them.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classify/analysis.h"
#include "classify/bounce.h"
#include "fixture.h"
#include "mime/mime.h"
#include "classify/reason.h"
#include "classify/recog.h"
#include "classify/result.h"
#include "classify/recognisers/common.h"

#ifndef BM_TEST_DATA
#define BM_TEST_DATA "tests/data"
#endif

extern const struct recog recog_exim, recog_qmail, recog_dragonfly,
       recog_sendmail, recog_postfix, recog_opensmtpd, recog_courier,
       recog_apachejames, recog_exchange2007;

static const struct recog *const mta_recogs[] = {
	&recog_exim, &recog_qmail, &recog_dragonfly, &recog_sendmail,
	&recog_postfix, &recog_opensmtpd, &recog_courier, &recog_apachejames,
	NULL
};

#define MAXR 3

struct mta_case {
	const char *file;
	const struct recog *family;
	size_t nrcpt;
	const char *rcpt[MAXR];
	const char *status[MAXR];     /* "" = none written in the text */
	int replycode[MAXR];
	const char *action[MAXR];
	enum bm_reason hint[MAXR];
	const char *remote[MAXR];     /* NULL = not checked */
};

static const struct mta_case cases[] = {
	{ "recog/exim.eml", &recog_exim, 2,
	  { "alice@example.net", "bob@example.com" }, { "5.1.1", "" },
	  { 550, 0 }, { "failed", "failed" },
	  { BM_REASON_UNDEFINED, BM_REASON_EXPIRED },
	  { "mx1.example.net", NULL } },
	{ "recog/exim-delay.eml", &recog_exim, 1,
	  { "carol@example.net" }, { "4.7.1" }, { 451 }, { "delayed" },
	  { BM_REASON_UNDEFINED }, { "mx.example.net" } },
	{ "recog/exim-margin.eml", &recog_exim, 1,
	  { "sam@example.fr" }, { "5.1.1" }, { 550 }, { "failed" },
	  { BM_REASON_UNDEFINED }, { NULL } },
	{ "recog/exim-pipe.eml", &recog_exim, 1,
	  { "tina@host.example.org" }, { "" }, { 0 }, { "failed" },
	  { BM_REASON_MAILERERROR }, { NULL } },
	{ "recog/qmail.eml", &recog_qmail, 3,
	  { "dave@example.org", "erin@example.com", "frank@example.invalid" },
	  { "5.1.1", "5.2.2", "5.1.2" }, { 0, 552, 0 },
	  { "failed", "failed", "failed" },
	  { BM_REASON_USERUNKNOWN, BM_REASON_UNDEFINED, BM_REASON_HOSTUNKNOWN },
	  { NULL, "192.0.2.30", NULL } },
	{ "recog/dragonfly.eml", &recog_dragonfly, 1,
	  { "grace@example.net" }, { "5.1.1" }, { 550 }, { "failed" },
	  { BM_REASON_UNDEFINED }, { "mx.example.net" } },
	{ "recog/sendmail-v5.eml", &recog_sendmail, 2,
	  { "heidi@example.net", "ivan@nowhere.example" }, { "", "" },
	  { 550, 550 }, { "failed", "failed" },
	  { BM_REASON_USERUNKNOWN, BM_REASON_HOSTUNKNOWN },
	  { "mail.example.net", NULL } },
	{ "recog/sendmail.eml", &recog_sendmail, 1,
	  { "judy@example.com" }, { "5.1.1" }, { 550 }, { "failed" },
	  { BM_REASON_USERUNKNOWN }, { "mx.example.com" } },
	{ "recog/sendmail-warning.eml", &recog_sendmail, 1,
	  { "rita@slow.example.net" }, { "" }, { 0 }, { "delayed" },
	  { BM_REASON_UNDEFINED }, { NULL } },
	{ "recog/postfix.eml", &recog_postfix, 2,
	  { "kim@example.net", "lee@example.com" }, { "5.1.1", "" },
	  { 550, 0 }, { "failed", "failed" },
	  { BM_REASON_UNDEFINED, BM_REASON_HOSTUNKNOWN },
	  { "mx.example.net", NULL } },
	{ "recog/opensmtpd.eml", &recog_opensmtpd, 2,
	  { "mike@example.net", "nina@example.invalid" }, { "5.1.1", "" },
	  { 550, 0 }, { "failed", "failed" },
	  { BM_REASON_UNDEFINED, BM_REASON_HOSTUNKNOWN }, { NULL, NULL } },
	{ "recog/courier.eml", &recog_courier, 1,
	  { "oscar@example.net" }, { "5.1.1" }, { 550 }, { "failed" },
	  { BM_REASON_UNDEFINED }, { "mx.example.net" } },
	{ "recog/apachejames.eml", &recog_apachejames, 2,
	  { "pat@example.net", "quinn@example.com" }, { "5.1.1", "5.1.1" },
	  { 550, 550 }, { "failed", "failed" },
	  { BM_REASON_UNDEFINED, BM_REASON_UNDEFINED }, { NULL, NULL } },
};

/* Ordinary mail, mail quoting bounce texts, a daemon's non-bounce notice. */
static const char *const hams[] = {
	"ordinary.eml", "forwarded-bounce.eml", "recog/discussion.eml",
	"recog/daemon-notice.eml", NULL
};

static char *
read_fixture(const char *name, size_t *len)
{
	char *data = fixture_read(BM_TEST_DATA, name, len);

	if (data == NULL)
		fail_msg("cannot read fixture %s/%s", BM_TEST_DATA, name);
	return data;
}

/* A recog_ctx as the facade builds it, for plain ASCII fixtures. */
struct mta_msg {
	struct mime_msg *m;
	struct bounce_limits lim;
	struct recog_ctx ctx;
	struct analysis an;
	char from[512], subject[512];
};

static void
copy_header(struct mime_msg *m, const char *name, char *out, size_t outsz)
{
	size_t len = 0;
	const char *v = mime_header(m, 0, name, &len);

	if (v == NULL)
		len = 0;
	if (len >= outsz)
		len = outsz - 1;
	memcpy(out, v != NULL ? v : "", len);
	out[len] = '\0';
}

static void
mta_open(struct mta_msg *mm, const char *data, size_t len)
{
	int part;

	memset(mm, 0, sizeof(*mm));
	bounce_limits_default(&mm->lim);
	mm->m = mime_parse(data, len, &mm->lim);
	assert_non_null(mm->m);
	copy_header(mm->m, "From", mm->from, sizeof(mm->from));
	copy_header(mm->m, "Subject", mm->subject, sizeof(mm->subject));
	mm->ctx.msg = mm->m;
	mm->ctx.lim = &mm->lim;
	mm->ctx.from = mm->from;
	mm->ctx.subject = mm->subject;
	mm->ctx.returned_to = "";
	mm->ctx.returned_part = mime_find_type(mm->m, "message/rfc822", 0);
	part = mime_find_type(mm->m, "text/plain", 0);
	if (part < 0)
		part = 0;
	assert_int_equal(mime_body_decoded(mm->m, (size_t)part, &mm->ctx.text,
	                                   &mm->ctx.text_len), 0);
	analysis_init(&mm->an, mm->from, mm->subject, mm->ctx.text,
	              mm->ctx.text_len);
	mm->ctx.an = &mm->an;
}

static void
test_families(void **state)
{
	size_t c, i;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct mta_case *t = &cases[c];
		struct bounce_result res;
		struct mta_msg mm;
		size_t len;
		char *data = read_fixture(t->file, &len);

		print_message("fixture: %s\n", t->file);
		mta_open(&mm, data, len);
		memset(&res, 0, sizeof(res));
		assert_int_equal(t->family->match(&mm.ctx, &res), 1);
		assert_int_equal(res.nrcpt, t->nrcpt);
		for (i = 0; i < t->nrcpt; i++) {
			const struct bounce_rcpt *r = &res.rcpt[i];

			assert_string_equal(r->recipient, t->rcpt[i]);
			assert_string_equal(r->status, t->status[i]);
			assert_int_equal(r->replycode, t->replycode[i]);
			assert_string_equal(r->action, t->action[i]);
			assert_string_equal(reason_name(r->reason_hint),
			                    reason_name(t->hint[i]));
			assert_true(r->diagnostic[0] != '\0');
			if (t->remote[i] != NULL)
				assert_string_equal(r->remote_mta, t->remote[i]);
		}
		bounce_result_free(&res);
		mime_free(mm.m);

		/* the registry picks the same family */
		assert_int_equal(bounce_parse(data, len, NULL, &res), 0);
		assert_int_equal(res.kind, BOUNCE_KIND_NONSTANDARD);
		assert_string_equal(res.recogniser, t->family->name);
		assert_int_equal(res.nrcpt, t->nrcpt);
		assert_true(bm_class_is_failure(res.cls));
		bounce_result_free(&res);
		free(data);
	}
}

static void
test_ham_not_claimed(void **state)
{
	size_t h, f;

	(void)state;
	for (h = 0; hams[h] != NULL; h++) {
		size_t len;
		char *data = read_fixture(hams[h], &len);
		struct mta_msg mm;

		print_message("ham: %s\n", hams[h]);
		mta_open(&mm, data, len);
		for (f = 0; mta_recogs[f] != NULL; f++) {
			struct bounce_result res;

			memset(&res, 0, sizeof(res));
			assert_int_equal(mta_recogs[f]->match(&mm.ctx, &res), 0);
			bounce_result_free(&res);
		}
		mime_free(mm.m);
		free(data);
	}
}

/* Each family's fixture is claimed by that family only. */
static void
test_families_exclusive(void **state)
{
	size_t c, f;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t len;
		char *data = read_fixture(cases[c].file, &len);
		struct mta_msg mm;

		mta_open(&mm, data, len);
		for (f = 0; mta_recogs[f] != NULL; f++) {
			struct bounce_result res;

			if (mta_recogs[f] == cases[c].family)
				continue;
			memset(&res, 0, sizeof(res));
			if (mta_recogs[f]->match(&mm.ctx, &res) != 0)
				fail_msg("%s also claimed by %s", cases[c].file,
				         mta_recogs[f]->name);
			bounce_result_free(&res);
		}
		mime_free(mm.m);
		free(data);
	}
}

/* Truncated copies of every fixture: no crash, bounded results. */
static void
test_truncated(void **state)
{
	size_t c, cut, f;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t len;
		char *data = read_fixture(cases[c].file, &len);

		for (cut = 0; cut < len; cut += 7) {
			struct mta_msg mm;
			char *copy = malloc(cut + 1);

			assert_non_null(copy);
			memcpy(copy, data, cut);
			mta_open(&mm, copy, cut);
			for (f = 0; mta_recogs[f] != NULL; f++) {
				struct bounce_result res;

				memset(&res, 0, sizeof(res));
				(void)mta_recogs[f]->match(&mm.ctx, &res);
				assert_true(res.nrcpt <= 3);
				bounce_result_free(&res);
			}
			mime_free(mm.m);
			free(copy);
		}
		free(data);
	}
}

/* sendmail's enrich hook: a DSN with a program's exit status as its
 * diagnostic gets the transcript's verdict and its specific status. */
static void
test_sendmail_enrich(void **state)
{
	struct bounce_result res;
	size_t len;
	char *data = read_fixture("recog/sendmail-dsn-pipe.eml", &len);

	(void)state;
	assert_int_equal(bounce_parse(data, len, NULL, &res), 0);
	assert_int_equal(res.kind, BOUNCE_KIND_DSN);
	assert_int_equal(res.nrcpt, 1);
	assert_string_equal(res.rcpt[0].recipient, "tickets@example.org");
	assert_string_equal(res.rcpt[0].status, "5.3.0");
	assert_int_equal(res.rcpt[0].replycode, 554);
	assert_string_equal(res.rcpt[0].diagnostic,
	                    "554 5.3.0 unknown mailer error 67");
	bounce_result_free(&res);
	free(data);
}

/* Each phrase of a family's reason table, as the error under an address,
 * gives its reason hint (the recognisers look for a few short words of
 * the phrases first: a phrase left out of them would fail here). */
struct phrase_case {
	const struct recog *family;
	const char *error;
	enum bm_reason hint;
};

static const char exim_text[] =
	"From: Mail Delivery System <Mailer-Daemon@mx.example.org>\n"
	"To: sender@example.org\n"
	"Subject: Mail delivery failed: returning message to sender\n"
	"Content-Type: text/plain\n"
	"\n"
	"This message was created automatically by mail delivery software.\n"
	"\n"
	"A message that you sent could not be delivered to one or more of\n"
	"its recipients. This is a permanent error. The following%s"
	"failed:\n"
	"\n"
	"  rcpt@example.net\n"
	"    %s\n"
	"\n"
	"------ This is a copy of the message, including all the headers.\n";

static const char qmail_text[] =
	"From: MAILER-DAEMON@mx.example.org\n"
	"To: sender@example.org\n"
	"Subject: failure notice\n"
	"\n"
	"Hi. This is the qmail-send program at mx.example.org.\n"
	"I'm afraid I wasn't able to deliver your message to the following"
	" addresses.\n"
	"This is a permanent error; I've given up. Sorry it didn't work out.\n"
	"\n"
	"<rcpt@example.net>:\n"
	"%s\n"
	"\n"
	"--- Below this line is a copy of the message.\n";

static const struct phrase_case phrases[] = {
	{ &recog_exim, "mailbox is full", BM_REASON_MAILBOXFULL },
	{ &recog_exim, "quota exceeded while writing to file",
	  BM_REASON_MAILBOXFULL },
	{ &recog_exim, "all relevant MX records point to non-existent hosts",
	  BM_REASON_HOSTUNKNOWN },
	{ &recog_exim, "all host address lookups failed permanently",
	  BM_REASON_HOSTUNKNOWN },
	{ &recog_exim, "Unrouteable address", BM_REASON_HOSTUNKNOWN },
	{ &recog_exim, "an MX or SRV record indicated no SMTP service",
	  BM_REASON_NOTACCEPT },
	{ &recog_exim, "no host found for existing SMTP connection",
	  BM_REASON_NOTACCEPT },
	{ &recog_exim, "malformed address: x", BM_REASON_SYNTAXERROR },
	{ &recog_exim, "angle-brackets nested too deep",
	  BM_REASON_SYNTAXERROR },
	{ &recog_exim, "domain missing in source-routed address",
	  BM_REASON_SYNTAXERROR },
	{ &recog_exim, "delivery to file forbidden", BM_REASON_SYSTEMERROR },
	{ &recog_exim, "delivery to pipe forbidden", BM_REASON_SYSTEMERROR },
	{ &recog_exim, "Too many \"Received\" headers - suspected mail loop",
	  BM_REASON_CONTENTERROR },
	{ &recog_exim, "retry timeout exceeded", BM_REASON_EXPIRED },
	{ &recog_exim, "retry time not reached for any host after a long "
	  "failure period", BM_REASON_EXPIRED },
	{ &recog_exim, "all hosts have been failing for a long time",
	  BM_REASON_EXPIRED },
	{ &recog_exim, "SMTP error from remote mail server after RCPT TO: "
	  "550 5.1.1 unknown", BM_REASON_UNDEFINED },
	{ &recog_qmail, "Sorry, I couldn't find any host named example.net.",
	  BM_REASON_HOSTUNKNOWN },
	{ &recog_qmail, "Sorry, I couldn't find any host by that name.",
	  BM_REASON_HOSTUNKNOWN },
	{ &recog_qmail, "Sorry, no mailbox here by that name. (#5.1.1)",
	  BM_REASON_USERUNKNOWN },
	{ &recog_qmail, "Sorry, I wasn't able to establish an SMTP connection.",
	  BM_REASON_NETWORKERROR },
	{ &recog_qmail, "Connected to 192.0.2.1 but my name was rejected.",
	  BM_REASON_BLOCKED },
	{ &recog_qmail, "Mailaddress is administratively disabled.",
	  BM_REASON_SUSPEND },
	{ &recog_qmail, "account is locked email bounced", BM_REASON_SUSPEND },
	{ &recog_qmail, "The message exeeded the maximum size the user "
	  "accepts", BM_REASON_EXCEEDLIMIT },
	{ &recog_qmail, "Unable to contact LDAP server", BM_REASON_SYSTEMERROR },
	{ &recog_qmail, "Temporary failure in LDAP lookup",
	  BM_REASON_SYSTEMERROR },
	{ &recog_qmail, "Timeout while performing search on LDAP server",
	  BM_REASON_SYSTEMERROR },
	{ &recog_qmail, "Although I'm listed as a best-preference MX or A for "
	  "that host,", BM_REASON_SYSTEMERROR },
	{ &recog_qmail, "Remote host said: 550 5.1.1 user unknown",
	  BM_REASON_UNDEFINED },
};

/* Claim a message built from a template; the one record's hint. */
static enum bm_reason
phrase_hint(const struct recog *family, const char *msg)
{
	struct bounce_result res;
	struct mta_msg mm;
	enum bm_reason hint;

	mta_open(&mm, msg, strlen(msg));
	memset(&res, 0, sizeof(res));
	assert_int_equal(family->match(&mm.ctx, &res), 1);
	assert_int_equal(res.nrcpt, 1);
	assert_string_equal(res.rcpt[0].recipient, "rcpt@example.net");
	hint = res.rcpt[0].reason_hint;
	bounce_result_free(&res);
	mime_free(mm.m);
	return hint;
}

static void
test_reason_phrases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++) {
		char msg[2048];

		if (phrases[i].family == &recog_exim)
			snprintf(msg, sizeof(msg), exim_text, " address(es) ",
			         phrases[i].error);
		else
			snprintf(msg, sizeof(msg), qmail_text,
			         phrases[i].error);
		print_message("phrase: %s\n", phrases[i].error);
		assert_string_equal(reason_name(phrase_hint(phrases[i].family,
		                                             msg)),
		                    reason_name(phrases[i].hint));
	}
}

/* Exim's start phrase may wrap after "address(es)", with LF or CRLF, and
 * the earliest start phrase opens the list even when another follows. */
static void
test_exim_wrapped_start(void **state)
{
	static const char *const joins[] = {
		" address(es)\n", " address(es)\r\n",
		"\naddress(es)\n", " address(es)\nincorrectly constructed:\n"
		"address(es)\n"
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(joins) / sizeof(joins[0]); i++) {
		char msg[2048];

		snprintf(msg, sizeof(msg), exim_text, joins[i],
		         "retry timeout exceeded");
		assert_string_equal(reason_name(phrase_hint(&recog_exim, msg)),
		                    reason_name(BM_REASON_EXPIRED));
	}
}

/* Exchange's enrich hook on a DSN of another MTA: each component code or
 * wording of exchange2007_reasons in a record's diagnostic gives the
 * record its reason hint, whether the record is complete (the notice is
 * not read) or not (the text is no Exchange notice). */
static void
test_exchange2007_hints(void **state)
{
	static const struct {
		const char *diag;
		enum bm_reason hint;
	} hints[] = {
		{ "smtp; 550 5.1.1 RESOLVER.ADR.RecipNotFound; not found",
		  BM_REASON_USERUNKNOWN },
		{ "smtp; 550 5.1.1 RESOLVER.ADR.RecipientNotFound",
		  BM_REASON_USERUNKNOWN },
		{ "smtp; 550 5.1.1 RESOLVER.ADR.ExRecipNotFound",
		  BM_REASON_USERUNKNOWN },
		{ "smtp; 550 5.7.1 RESOLVER.RST.AuthRequired",
		  BM_REASON_SECURITYERROR },
		{ "smtp; 550 5.7.1 RESOLVER.RST.NotAuthorized",
		  BM_REASON_REJECTED },
		{ "smtp; 550 5.2.3 RESOLVER.RST.RecipSizeLimit",
		  BM_REASON_MESGTOOBIG },
		{ "smtp; 500 4.4.7 QUEUE.Expired; message expired",
		  BM_REASON_EXPIRED },
		{ "smtp; 554 5.4.4 SMTPSEND.DNS.NonExistentDomain",
		  BM_REASON_HOSTUNKNOWN },
		{ "smtp; 554 5.4.4 SMTPSEND.DNS.MxLoopback",
		  BM_REASON_NETWORKERROR },
		{ "smtp; 554 5.2.2 STOREDRV.Deliver: mailbox full",
		  BM_REASON_MAILBOXFULL },
		{ "The email address you entered couldn't be found.",
		  BM_REASON_USERUNKNOWN },
		{ "550 5.1.1 not found at the destination domain",
		  BM_REASON_USERUNKNOWN },
		{ "The recipient's mailbox is full", BM_REASON_MAILBOXFULL },
		{ "smtp; 550 5.1.1 <a@example.net>: user unknown",
		  BM_REASON_UNDEFINED },
		{ "", BM_REASON_UNDEFINED },
	};
	static const char text[] =
	    "From: MAILER-DAEMON@mx.example.org\n"
	    "Subject: Undelivered Mail Returned to Sender\n"
	    "\n"
	    "This is the mail system at host mx.example.org.\n";
	size_t i, complete;

	(void)state;
	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		for (complete = 0; complete < 2; complete++) {
			struct bounce_result res;
			struct bounce_rcpt *r;
			struct mta_msg mm;

			mta_open(&mm, text, strlen(text));
			memset(&res, 0, sizeof(res));
			r = result_add_rcpt(&res, &mm.lim);
			assert_non_null(r);
			memcpy(r->recipient, "a@example.net", 14);
			memcpy(r->diagnostic, hints[i].diag,
			       strlen(hints[i].diag) + 1);
			if (complete) {
				memcpy(r->status, "5.1.1", 6);
				r->replycode = 550;
			}
			recog_exchange2007.enrich(&mm.ctx, &res);
			print_message("diag: %s\n", hints[i].diag);
			assert_string_equal(reason_name(res.rcpt[0].reason_hint),
			                    reason_name(hints[i].hint));
			bounce_result_free(&res);
			mime_free(mm.m);
		}
}

struct head_case {
	const char *head;
	int ret;
	const char *addr;
	const char *rest;
};

static void
test_head_addr(void **state)
{
	static const struct head_case heads[] = {
		{ "<a@Example.ORG>:", 0, "a@example.org", "" },
		{ "b@example.net: forced freeze", 0, "b@example.net",
		  "forced freeze" },
		{ "  c@example.com", 0, "c@example.com", "" },
		{ "pipe to |/usr/bin/x", -1, NULL, NULL },
		{ "", -1, NULL, NULL },
		{ "<broken@", -1, NULL, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		char out[BM_ADDR_MAX];
		const char *rest = NULL;
		size_t rest_len = 0;
		int ret = common_head_addr(heads[i].head, strlen(heads[i].head),
		                           out, sizeof(out), &rest, &rest_len);

		assert_int_equal(ret, heads[i].ret);
		if (ret != 0)
			continue;
		assert_string_equal(out, heads[i].addr);
		assert_int_equal(rest_len, strlen(heads[i].rest));
		assert_memory_equal(rest, heads[i].rest, rest_len);
	}
}

static void
test_remote_mta(void **state)
{
	static const char *const in[][2] = {
		{ "host mx.example.net [192.0.2.1]: 550 no", "mx.example.net" },
		{ "Remote host said: 550 x Giving up on 192.0.2.9.", "192.0.2.9" },
		{ "connect to localhost [127.0.0.1]: refused", "" },
		{ "no host here", "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		char out[BM_HOST_MAX];

		common_remote_mta(in[i][0], strlen(in[i][0]), out, sizeof(out));
		assert_string_equal(out, in[i][1]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_ham_not_claimed),
		cmocka_unit_test(test_families_exclusive),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_sendmail_enrich),
		cmocka_unit_test(test_reason_phrases),
		cmocka_unit_test(test_exim_wrapped_start),
		cmocka_unit_test(test_exchange2007_hints),
		cmocka_unit_test(test_head_addr),
		cmocka_unit_test(test_remote_mta),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
