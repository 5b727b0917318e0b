/*
 * bounce.h - the core facade: bytes of one message in, a classified result out.
 *
 * This is the only header the daemon, the CLI, the fuzz targets and the
 * benchmarks include from the core.  bounce_parse() never reads past `len`,
 * needs no NUL terminator, accepts CRLF or LF line ends and an mbox "From "
 * line, and always yields a result: malformed or truncated input degrades to
 * kind not-bounce or class undetermined, never to a crash.  Every buffer is
 * bounded by struct bounce_limits; hitting a cap sets result->truncated.
 *
 * Memory: the result owns its recipient array; release it with
 * bounce_result_free().  Thread safety: bounce_parse() keeps no global
 * mutable state, so any number of threads may call it at once.
 */
#ifndef BM_BOUNCE_H
#define BM_BOUNCE_H

#include <stdbool.h>
#include <stddef.h>

#include "classify.h"
#include "reason.h"

#define BM_ADDR_MAX 320   /* an RFC 5321 path is at most 256 octets */
#define BM_STATUS_MAX 16  /* "5.123.123" plus slack */
#define BM_DIAG_MAX 1024  /* diagnostic text, whitespace collapsed */
#define BM_HOST_MAX 256
#define BM_WORD_MAX 64    /* action, feedback type, recogniser name */

enum bounce_kind {
	BOUNCE_KIND_NOT_BOUNCE = 0,
	BOUNCE_KIND_DSN,         /* RFC 3464 / RFC 6533 delivery-status part */
	BOUNCE_KIND_NONSTANDARD, /* recognised from text by a recogniser */
	BOUNCE_KIND_AUTO_REPLY,  /* RFC 3834, vacation texts */
	BOUNCE_KIND_FEEDBACK,    /* ARF, RFC 5965 */
};

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
};

struct bounce_limits {
	size_t max_bytes;        /* bytes of input looked at */
	size_t max_depth;        /* MIME nesting depth */
	size_t max_parts;        /* MIME parts in all */
	size_t max_header_bytes; /* one unfolded header field */
	size_t max_headers;      /* header fields per part */
	size_t max_rcpt;         /* recipient results kept */
};

/* Sane defaults: 4 MiB, depth 16, 256 parts, 16 KiB headers, 512 fields, 1000 rcpts. */
void bounce_limits_default(struct bounce_limits *lim);

/* Parse and classify one message.  `lim` may be NULL for the defaults.
 * Returns 0, or -1 only when memory runs out (result is then not-bounce). */
int bounce_parse(const char *data, size_t len, const struct bounce_limits *lim,
                 struct bounce_result *out);

void bounce_result_free(struct bounce_result *res);

const char *bounce_kind_name(enum bounce_kind kind);

#endif
