/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * common.h - shapes shared by the MTA recognisers in recognisers/<family>.c.
 *
 * Most plain-text bounces written by MTA software name each failed
 * recipient on a line of its own and put the error under it: Exim and
 * its derivatives indent the error ("  a@b" then "    SMTP error ..."),
 * qmail and its variants write a "<a@b>:" line then a paragraph.  This
 * module walks those blocks, cuts the notification out of the body
 * (between a start phrase and the marker of the returned message), adds
 * or merges per-recipient records (normalised address, collapsed
 * diagnostic, status and reply code read from the diagnostic, remote MTA
 * where the text names it), maps a family's own wording to a reason
 * through a phrase table, and merges a status block quoted as plain text.
 * Everything works on (pointer, length) spans, never reads past them and
 * keeps no state: pure and thread-safe, but for common_has_any_indexed(),
 * whose per-thread indexes (phrasescan.h) live in tcache.h blocks.
 */
#ifndef BM_RECOG_COMMON_H
#define BM_RECOG_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classify/record.h"
#include "classify/reason.h"
#include "classify/recognisers/phrasescan.h"

struct bounce_limits;
struct recog_ctx;

/* A phrase of an MTA's own wording and the reason it states. */
struct common_phrase {
	const char *phrase;
	enum bm_reason reason;
};

/* One recipient block: the line naming the recipient (trimmed) and the
 * lines that belong to it (raw span, may be empty). */
struct common_block {
	const char *head;
	size_t head_len;
	const char *body;
	size_t body_len;
};

/* text_find_any() for a list asked about many short spans (the reason
 * words recognisers test each diagnostic for): the first question builds
 * a per-thread index of the list (struct phrasescan, its window the
 * shortest phrase of at least four bytes; shorter ones are searched
 * alone), then each span is read once for all the phrases.
 * Up to COMMON_LISTS_MAX lists per thread; others, and lists with a
 * phrase the index cannot hold, are searched phrase by phrase.  The
 * answer is always text_find_any()'s. */
#define COMMON_LISTS_MAX 4
bool common_has_any_indexed(const char *s, size_t len,
                            const char *const *phrases);

/* The first phrase of the list found in s; *end gets the offset just past
 * it.  Returns false if none occurs.  The earliest occurrence wins. */
bool common_find_any(const char *s, size_t len, const char *const *phrases,
                     size_t *start, size_t *end);

/* Offset of the first line of s[0..len) that starts (after leading white
 * space) with one of `markers`, or len when there is none. */
size_t common_until_line(const char *s, size_t len, const char *const *markers);
/* The earlier of common_until_line() of two marker lists (`more` may be
 * NULL), in one walk over the lines. */
size_t common_until_either(const char *s, size_t len,
                           const char *const *markers,
                           const char *const *more);

/* The reason of the first table entry (in table order) whose phrase occurs
 * in s; BM_REASON_UNDEFINED when none does.  The table ends with a NULL
 * phrase. */
enum bm_reason common_reason(const struct common_phrase *tab, const char *s,
                             size_t len);

/* Value of a top-level header of the message, or NULL (ctx->msg may be
 * NULL). */
const char *common_header(const struct recog_ctx *ctx, const char *name,
                          size_t *len);

/* Blocks of "address line, then more deeply indented error lines" (Exim).
 * A head is a line indented by 1-8 columns; its body is the following
 * lines indented deeper, up to a blank or a less indented line.  A lone
 * indented line is a block with an empty body.  *pos starts at 0. */
bool common_next_indented(const char *s, size_t len, size_t *pos,
                          struct common_block *b);

/* Length of a "<...@...>" that opens line[0..len) (0 when it does not). */
size_t common_angle_end(const char *line, size_t len);

/* Blocks of "<a@b>:" at the start of a line followed by a paragraph that
 * runs to a blank line or to the next such line (qmail). */
bool common_next_angle(const char *s, size_t len, size_t *pos,
                       struct common_block *b);

/* Blocks of "a@b:" alone at the start of a line followed by a paragraph
 * (Exim as some providers configure it). */
bool common_next_colon(const char *s, size_t len, size_t *pos,
                       struct common_block *b);

/* Split a head such as "<a@b>:", "a@b: text" or "a@b (text)" into the
 * normalised address (0 returned) and the text after it (*rest, may be
 * empty).  -1 when the first word is no valid address. */
int common_head_addr(const char *head, size_t len, char *out, size_t outsz,
                     const char **rest, size_t *rest_len);

/* Join the lines of s[0..len) into out (bounded, NUL-terminated), white
 * space collapsed, leaving out lines that start (after leading white
 * space) with one of `skip` (may be NULL).  Returns the length written. */
size_t common_join(const char *s, size_t len, const char *const *skip,
                   char *out, size_t outsz);

/* The record for `addr` (raw form, normalised here): the existing one if
 * the result already has it, else a new one.  NULL when the address is
 * not valid or the recipient cap is reached. */
struct bounce_rcpt *common_rcpt(struct bounce_result *res,
                                const struct bounce_limits *lim,
                                const char *addr, size_t addr_len);

/* Fill the empty fields of a record from a diagnostic span: diagnostic
 * (collapsed), status and reply code (status_find), remote MTA, action
 * (when `action` is not NULL). */
void common_fill(struct bounce_rcpt *r, const char *diag, size_t len,
                 const char *action);

/* common_fill(r, diag, len, action) for a record whose diagnostic an
 * earlier common_fill() stored (r->diagnostic not empty): that call read
 * status, reply code and remote MTA from this same diagnostic, so only
 * the SMTP command and the action are left to fill. */
void common_fill_more(struct bounce_rcpt *r, const char *diag, size_t len,
                      const char *action);

/* Host named as the remote side in a diagnostic ("host mx.example.org [",
 * "remote host 192.0.2.1 said", "while talking to mx.example.org:"),
 * copied to out; "" when none. */
void common_remote_mta(const char *s, size_t len, char *out, size_t outsz);

/* Recipients of a top-level header such as X-Failed-Recipients
 * ("a@b, c@d"): adds a record for each valid address not yet in the
 * result, with `action`.  Returns the number of addresses named. */
size_t common_rcpts_from_header(const struct recog_ctx *ctx,
                                struct bounce_result *res, const char *name,
                                const char *action);

/* A delivery-status block written as plain text in the notification
 * (the MIME structure was lost, or a notice quotes a whole bounce):
 * parsed with dsn_parse() and merged into the records by recipient; its
 * Status and Action win over what the text gave.  Returns the number of
 * recipients it named. */
size_t common_dsn_text(const struct recog_ctx *ctx, struct bounce_result *res);

#endif
