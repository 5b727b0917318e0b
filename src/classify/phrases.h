/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * phrases.h - phrase groups of reason_rules[] that are not in
 * reason_phrases.c: the localised notices (German, French, Spanish,
 * Italian, Portuguese, Dutch, Russian, Japanese, Chinese) and the groups
 * that tell one cause from a neighbour (a DNS failure from a dead domain,
 * an attachment refusal from a domain that takes no mail).
 *
 * Each array is NULL-terminated; phrases follow reason_phrases.h's rules
 * (lower-case ASCII, single spaces, at least four bytes).  Non-ASCII text
 * is matched as UTF-8 bytes after the charset conversion of mime/charset.h;
 * only ASCII is case-folded, so a phrase in a cased script (Cyrillic)
 * leaves out a word's first letter where a capital may stand.  Read-only
 * data, safe to share between threads.
 */
#ifndef BM_PHRASES_H
#define BM_PHRASES_H

extern const char *const phrases_dnsfail[];
extern const char *const phrases_attachments[];
extern const char *const phrases_notauth[];
extern const char *const phrases_filter_products[];
extern const char *const phrases_intl_user[];
extern const char *const phrases_intl_host[];
extern const char *const phrases_intl_full[];
extern const char *const phrases_intl_big[];
extern const char *const phrases_intl_spam[];
extern const char *const phrases_challenge[];
/* Sentences with which a notice, in one of ten languages, says that a
 * message could not be delivered (generic.c's notice test). */
extern const char *const phrases_intl_notice[];
/* Subject prefixes with which a notice repeats the original Subject
 * ("Undeliverable: <subject>"). */
extern const char *const phrases_notice_subject_prefix[];
/* Delay-warning Subjects: the last, generic group ("delay-notice"), which
 * bounce.c looks for in a non-standard notice's Subject. */
extern const char *const phrases_delay_subject[];

#endif
