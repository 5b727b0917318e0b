/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * record.h - the records the classifier produces: one per reported
 * recipient (struct bounce_rcpt), gathered in one struct bounce_result.
 *
 * These are the types that the DSN and ARF parsers, the recognisers, the
 * reason tables, the class rules and the facade (bounce.h) share; they
 * live here, below all of them, so no module depends on a module that
 * depends on it.  All strings
 * are NUL-terminated, bounded by their array size and free of control
 * characters (result_scrub() is the last guard).  The result owns its
 * recipient array: bounce_result_free() releases it.
 */
#ifndef BM_RECORD_H
#define BM_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Why a recipient failed: Sisimai 5.1's reason words, so results compare
 * with it; the names and the rules that find them are reason.h's. */
enum bm_reason {
	BM_REASON_UNDEFINED = 0,
	BM_REASON_USERUNKNOWN,
	BM_REASON_HOSTUNKNOWN,
	BM_REASON_HASMOVED,
	BM_REASON_NOTACCEPT,
	BM_REASON_MAILBOXFULL,
	BM_REASON_SUSPEND,
	BM_REASON_EXCEEDLIMIT,
	BM_REASON_MESGTOOBIG,
	BM_REASON_SYSTEMERROR,
	BM_REASON_SYSTEMFULL,
	BM_REASON_NETWORKERROR,
	BM_REASON_EXPIRED,
	BM_REASON_TOOMANYCONN,
	BM_REASON_RATELIMITED,
	BM_REASON_SPEEDING,
	BM_REASON_BLOCKED,
	BM_REASON_SPAMDETECTED,
	BM_REASON_VIRUSDETECTED,
	BM_REASON_POLICYVIOLATION,
	BM_REASON_SECURITYERROR,
	BM_REASON_AUTHFAILURE,
	BM_REASON_BADREPUTATION,
	BM_REASON_REQUIREPTR,
	BM_REASON_REJECTED,
	BM_REASON_NORELAYING,
	BM_REASON_FILTERED,
	BM_REASON_CONTENTERROR,
	BM_REASON_SYNTAXERROR,
	BM_REASON_MAILERERROR,
	BM_REASON_NOTCOMPLIANTRFC,
	BM_REASON_FAILEDSTARTTLS,
	BM_REASON_SUPPRESSED,
	BM_REASON_ONHOLD,
	BM_REASON_DELIVERED,
	BM_REASON_VACATION,
	BM_REASON_FEEDBACK,
	BM_REASON_COUNT
};

/* What the mailing software should do about one recipient (DESIGN 3);
 * the rules and the name table are classify.h's. */
enum bm_class {
	BM_CLASS_NONE = 0,
	BM_CLASS_AUTO_REPLY,
	BM_CLASS_FEEDBACK,
	BM_CLASS_UNDETERMINED,
	BM_CLASS_SOFT,
	BM_CLASS_BLOCK,
	BM_CLASS_HARD,
	BM_CLASS_COUNT
};

#define BM_ADDR_MAX 320   /* an RFC 5321 path is at most 256 octets */
#define BM_STATUS_MAX 16  /* "5.123.123" plus slack */
#define BM_DIAG_MAX 1024  /* diagnostic text, whitespace collapsed */
#define BM_HOST_MAX 256
#define BM_WORD_MAX 64    /* action, feedback type, recogniser name */

/* Where a record's status code came from (DESIGN 3, "Evidence"). */
enum bm_status_source {
	BM_STATUS_SRC_NONE = 0,
	BM_STATUS_SRC_FIELD,      /* the DSN's Status field */
	BM_STATUS_SRC_TEXT,       /* read from the notice by a recogniser */
	BM_STATUS_SRC_DIAGNOSTIC, /* found in the diagnostic text */
	BM_STATUS_SRC_INFERRED,   /* made up from the reason */
};

/* The evidence a record's class was decided on, and the rule that decided
 * it (classify/rules.h).  Filled by classify_rcpt(); printed by
 * bounce-classify --explain, logged by the daemon at debug level. */
struct bounce_evidence {
	enum bm_status_source status_src;
	uint64_t groups;          /* phrase groups in the diagnostic (reason.h bits) */
	uint64_t notice_groups;   /* ... in the notice of a one-recipient DSN */
	enum bm_reason text;      /* the reason the diagnostic's phrases name */
	enum bm_reason code;      /* the reason the status code names */
	enum bm_reason dead;      /* address-dead cause found, else UNDEFINED */
	enum bm_reason other;     /* specific other cause found, else UNDEFINED */
	char dead_by;             /* 'c' code, 't' text, 'h' recogniser, 0 */
	char other_by;            /* 'c' code, 't' text, 'n' notice, 0 */
	char digit;               /* '4' or '5': transient or permanent */
	bool delayed;             /* Action delayed (or the non-standard expired) */
	const char *step;         /* a reason rewrite applied, static text, or NULL */
	unsigned rule;            /* rules.c row that decided the class */
};

enum bounce_kind {
	BOUNCE_KIND_NOT_BOUNCE = 0,
	BOUNCE_KIND_DSN,         /* RFC 3464 / RFC 6533 delivery-status part */
	BOUNCE_KIND_NONSTANDARD, /* recognised from text by a recogniser */
	BOUNCE_KIND_AUTO_REPLY,  /* RFC 3834, vacation texts */
	BOUNCE_KIND_FEEDBACK,    /* ARF, RFC 5965 */
};

/* What analysis.h has read of a record's diagnostic, kept in the record
 * so that it moves with it; all zero: nothing read.  Only analysis.c
 * reads or writes it (a copy of a record, or of a diagnostic together
 * with it, keeps it true). */
struct record_diag {
	unsigned char read;        /* RECORD_DIAG_* parts that are known */
	unsigned char command;     /* enum smtpcmd (smtpcmd.h), when read */
	bool found;                /* status_find()'s answer, when read */
	int replycode;
	char status[BM_STATUS_MAX];
};
#define RECORD_DIAG_STATUS  1u
#define RECORD_DIAG_COMMAND 2u

/* One failed (or reported) recipient. All strings are NUL-terminated,
 * bounded by their array size, and free of control characters. */
struct bounce_rcpt {
	char recipient[BM_ADDR_MAX];   /* normalised (addr.h), "" if unknown */
	char original_recipient[BM_ADDR_MAX]; /* Original-Recipient, if any */
	char action[BM_WORD_MAX];      /* failed, delayed, delivered, ... lower case */
	char status[BM_STATUS_MAX];    /* RFC 3463 code, "" if none could be found */
	int replycode;                 /* SMTP reply code (e.g. 550), 0 if none */
	char diagnostic[BM_DIAG_MAX];  /* diagnostic text as the bounce gives it */
	char reporting_mta[BM_HOST_MAX];
	char remote_mta[BM_HOST_MAX];
	char feedback_type[BM_WORD_MAX]; /* ARF only */
	enum bm_reason reason_hint;    /* set by a recogniser that knows better, else UNDEFINED */
	enum bm_reason reason;         /* filled in by classify */
	enum bm_class cls;             /* filled in by classify */
	bool status_inferred;          /* status was made up from the reason */
	/* SMTP command the remote server's failure answered (smtpcmd.h):
	 * "CONN", "HELO", "MAIL", "RCPT", "DATA", or "" when no part of the
	 * bounce says.  Set by the parsers, read by classify. */
	char smtp_command[BM_WORD_MAX];
	/* The address the MTA delivered to after alias expansion, when the
	 * bounce names both it and the one the sender used (recipient). */
	char final_recipient[BM_ADDR_MAX];
	struct bounce_evidence ev;
	/* Internal: what `diagnostic` says, read once (analysis.h); whoever
	 * writes into `diagnostic` calls analysis_diag_forget(). */
	struct record_diag diag_read;
};

struct bounce_result {
	enum bounce_kind kind;
	enum bm_class cls;             /* worst class over all recipients */
	char recogniser[BM_WORD_MAX];  /* "rfc3464", "qmail", "exim", ... or "" */
	char reporting_mta[BM_HOST_MAX];
	char feedback_type[BM_WORD_MAX];
	size_t nrcpt;
	struct bounce_rcpt *rcpt;      /* nrcpt entries, owned by the result */
	size_t rcpt_cap;               /* allocated entries (internal) */
	bool truncated;                /* a cap was hit; the result may be partial */
	bool rcpt_capped;              /* more recipients than limits.max_rcpt */

	/* When and about what (bounce.c, from header fields; "" or 0 when a
	 * field is absent or unreadable): the bounce's own Date:, and the
	 * fields of the returned message (its message/rfc822 or
	 * text/rfc822-headers part; a Message-ID: line of the notification
	 * text when there is no such part). */
	bool has_date;                 /* Date: was there and readable */
	int64_t timestamp;             /* Date: in seconds since the epoch (UTC) */
	int tz_offset;                 /* Date:'s zone, minutes east of UTC */
	char message_id[BM_ADDR_MAX];  /* returned Message-ID, without <> */
	/* returned From: as written (decoded), else the bounce's To:; the
	 * address in it is left to the reader (addr_find()), which only
	 * some outputs need */
	char orig_from[BM_ADDR_MAX];
	char orig_subject[BM_HOST_MAX]; /* returned Subject:, decoded */
	char orig_list_id[BM_HOST_MAX]; /* returned List-Id: */
};

void bounce_result_free(struct bounce_result *res);

const char *bounce_kind_name(enum bounce_kind kind);

#endif
