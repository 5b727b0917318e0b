/*
 * recog.h - registry of recognisers for non-standard bounces.
 *
 * A recogniser knows one MTA or provider family (qmail, Exim, Exchange, ...)
 * and lives in recog/<family>.c.  Each is tried in registry order on a
 * message that has no usable delivery-status part; the first that returns
 * 1 wins.  A recogniser first checks cheap signatures (From, Subject,
 * a few fixed phrases), then extracts per-recipient records with
 * result_add_rcpt() (result.h).  It fills recipient, diagnostic, and where
 * it can status, replycode, action ("failed" or "delayed"), remote_mta and
 * reason_hint; classification happens later.  Recognisers may also be
 * "enrichers": for a DSN whose records lack a diagnostic or status, the
 * `enrich` hook fills the gaps from the human-readable text.
 * Recognisers read the message only through recog_ctx, keep no state of
 * their own, and are thread-safe.  The context is const, with one
 * exception: ctx->memo (when not NULL) points to a per-message memo that
 * recog_field_has() and recog/common.c fill lazily with answers about
 * this message's From, Subject and text (which phrases of all the lists
 * asked about they hold, found in one pass per field).  Whoever owns the
 * context owns the memo (bounce_parse(): on its stack), so it is never
 * shared between threads; a memo is valid for one from/subject/text only.
 * recog_bounce_signal() is the shared cheap signature: does From or
 * Subject announce an automatic bounce (MAILER-DAEMON, "Undelivered Mail
 * Returned to Sender", ...)?  The facade also uses it to keep bounces out
 * of the auto-reply path; it is asked many times per message, so the
 * facade computes it once into ctx->signal_cache.
 */
#ifndef BM_RECOG_H
#define BM_RECOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mime_msg;
struct bounce_result;
struct bounce_limits;
struct notice_spec;

/* Answers computed at most once per message (see above).  All zero (as
 * memset leaves it) means "nothing known yet"; a NULL ctx->memo means
 * every answer is computed afresh. */
#define RECOG_MEMO_PHRASES 192
enum recog_memo_field {  /* the fields recog_field_has() searches */
	RECOG_MEMO_TEXT = 0, RECOG_MEMO_FROM, RECOG_MEMO_SUBJECT,
	RECOG_MEMO_FIELDS
};
struct recog_memo_scan {
	bool scanned;    /* hits is filled */
	size_t indexed;  /* phrases of recog.c's per-thread index of this
	                    field that the scan covered (ids 0..indexed-1) */
	uint64_t hits[(RECOG_MEMO_PHRASES + 63) / 64];
};
struct recog_memo {
	struct recog_memo_scan scan[RECOG_MEMO_FIELDS];
	int daemon;      /* common_from_daemon(): 0 unknown, 1 no, 2 yes */
};

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
	/* recog_bounce_signal() computed once: 1 + its mask, or 0 when not
	 * yet known.  Zero (as a memset ctx has it) is always safe; whoever
	 * sets it must set it from the same from and subject. */
	int signal_cache;
	struct recog_memo *memo; /* per-message memo, may be NULL */
};

struct recog {
	const char *name;
	/* Non-standard bounce: add records and return 1, or return 0. */
	int (*match)(const struct recog_ctx *ctx, struct bounce_result *res);
	/* Optional: improve records parsed from a DSN; may be NULL. */
	void (*enrich)(const struct recog_ctx *ctx, struct bounce_result *res);
	/* A data-only family, a row of recog/notice_table.c: match and
	 * enrich are NULL, notice_match() reads the notice this describes
	 * (and notice_enrich() with NOTICE_ENRICH, recog/notice.h). */
	const struct notice_spec *notice;
};

/* NULL-terminated registry, in the order tried. */
extern const struct recog *const recog_registry[];

/* Try the registry; returns 1 and sets res->recogniser if one matched. */
int recog_run(const struct recog_ctx *ctx, struct bounce_result *res);
/* Run every enrich hook that applies to a DSN result. */
void recog_enrich(const struct recog_ctx *ctx, struct bounce_result *res);

/* common_has_any() (recog/common.h) of one field of the message
 * (ctx->text, ctx->from or ctx->subject) for a constant NULL-terminated
 * phrase list; through ctx->memo, one scan of the field per message
 * answers every list asked about. */
bool recog_field_has(const struct recog_ctx *ctx, enum recog_memo_field field,
                     const char *const *phrases);

#define RECOG_SIGNAL_FROM    1   /* From names a mailer daemon / postmaster */
#define RECOG_SIGNAL_SUBJECT 2   /* Subject is a typical bounce subject */
/* Bit mask of the bounce signals in ctx->from and ctx->subject (0: none). */
int recog_bounce_signal(const struct recog_ctx *ctx);

#endif
