/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * recog.h - what a recogniser of non-standard bounces is, and what it reads.
 *
 * A recogniser knows one MTA or provider family (qmail, Exim, Exchange, ...)
 * and is a file recognisers/<family>.c, or a row of
 * recognisers/notice_table.c when its notice is read from data alone.
 * Each is tried in the order of recognisers/registry.c on a message that
 * has no usable delivery-status part; the first that returns 1 wins.  A recogniser first checks cheap signatures (From, Subject,
 * a few fixed phrases), then extracts per-recipient records with
 * result_add_rcpt() (result.h).  It fills recipient, diagnostic, and where
 * it can status, replycode, action ("failed" or "delayed"), remote_mta and
 * reason_hint; classification happens later.  Recognisers may also be
 * "enrichers": for a DSN whose records lack a diagnostic or status, the
 * `enrich` hook fills the gaps from the human-readable text.
 * Recognisers read the message only through recog_ctx, keep no state of
 * their own, and are thread-safe.  The context is const; what is learnt
 * about the message once for all readers (the bounce signal, the daemon
 * sender, which phrases From, Subject and the text hold) is its analysis,
 * ctx->an (analysis.h), which fills as it is asked.  The facade also uses
 * the bounce signal (does From or Subject announce an automatic bounce:
 * MAILER-DAEMON, "Undelivered Mail Returned to Sender", ...) to keep
 * bounces out of the auto-reply path.
 */
#ifndef BM_RECOG_H
#define BM_RECOG_H

#include <stddef.h>

struct analysis;
struct mime_msg;
struct bounce_result;
struct bounce_limits;
struct notice_spec;

struct recog_ctx {
	struct mime_msg *msg;
	const struct bounce_limits *lim;
	const char *from;        /* top-level From, RFC 2047-decoded, "" if none */
	const char *subject;     /* top-level Subject, decoded, "" if none */
	const char *text;        /* the notification text: first text/plain part
	                            (decoded) or the whole body of a one-part message */
	size_t text_len;
	int returned_part;       /* index of the returned message part
	                            (message/rfc822 or text/rfc822-headers), -1 if none */
	const char *returned_to; /* To: of that returned message, decoded, "" if none */
	struct analysis *an;     /* this message's analysis (analysis.h), set
	                            up from from, subject and text */
};

struct recog {
	const char *name;
	/* Non-standard bounce: add records and return 1, or return 0. */
	int (*match)(const struct recog_ctx *ctx, struct bounce_result *res);
	/* Optional: improve records parsed from a DSN; may be NULL. */
	void (*enrich)(const struct recog_ctx *ctx, struct bounce_result *res);
	/* A data-only family, a row of recognisers/notice_table.c: match
	 * and enrich are NULL, notice_match() reads the notice this
	 * describes (and notice_enrich() with NOTICE_ENRICH, notice.h). */
	const struct notice_spec *notice;
};

#endif
