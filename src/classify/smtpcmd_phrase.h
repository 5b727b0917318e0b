/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * smtpcmd_phrase.h - private to smtpcmd.c and smtpcmd_phrase.c: the
 * phrase reader, which finds the MTAs' own wording for a failed SMTP step
 * ("in reply to RCPT TO command", "after end of data", ...).
 *
 * It promises: the earliest whole-word phrase of its fixed table in a
 * span wins; the span is read as folded (ASCII lower case, a run of white
 * space or control bytes one space, or a paragraph mark when it holds two
 * line ends), whether it is folded already or raw; no byte outside the
 * span (or past an output buffer's size) is read or written (the block
 * scanners of util/scan.h read only inside it); nothing is allocated.
 * Thread-safety: the only state is one set of tables for the process,
 * built once (call_once) from the constant phrase table and only read
 * after, so any number of threads may call it at once.
 */
#ifndef BM_SMTPCMD_PHRASE_H
#define BM_SMTPCMD_PHRASE_H

#include <stdbool.h>
#include <stddef.h>

#include "classify/smtpcmd_step.h"

/* How smtpcmd_phrase_scan() finds paragraph marks: in folded text a '\n'
 * is one; in raw text, a white space run that holds two line ends. */
#define SMTPCMD_PHRASE_FOLDED 1
#define SMTPCMD_PHRASE_RAW 2

/* Folding: ASCII lower case; a run of white space or control characters
 * becomes one space, or one '\n' when it holds a blank line (two line
 * ends); none before the first byte written or after the last.  The state
 * lets a caller fold a text piece by piece; it starts as { 0, 0, -1 }. */
struct smtpcmd_phrase_fold_state {
	size_t i;      /* next input byte */
	size_t n;      /* bytes written */
	int nl;        /* -1: not in a run; else line ends seen in the run */
};

/* A word byte of whole-word matching: an ASCII letter or digit. */
bool smtpcmd_phrase_alnum(unsigned char c);

/* Each byte as folded: lower case, 0 for white space and control bytes
 * (256 entries, this thread's copy). */
const unsigned char *smtpcmd_phrase_fold_map(void);

/* Fold s[st->i..len) on into out until want bytes are written (more may
 * be, up to want + 1: a separator and the byte it precedes), the input
 * ends, or only one byte of outsz is left (then a separator that would
 * fill the last-but-one byte is dropped); with para, also right after a
 * paragraph mark ('\n') is written.  Does not NUL-terminate. */
void smtpcmd_phrase_fold_run(struct smtpcmd_phrase_fold_state *st,
                             const unsigned char *s, size_t len, char *out,
                             size_t want, size_t outsz, bool para);

/* Where the first max folded bytes of u[0..len) (its first byte no white
 * space) end in it: the raw start of what folded byte max is made of (a
 * byte, or the white space run of a separator); len if the fold is no
 * longer.  Counts a block of bytes at a time. */
size_t smtpcmd_phrase_fold_reach(const unsigned char *u, size_t len,
                                 size_t max);

/* Fold s[0..len) into out (outsz bytes).  Returns the length written (out
 * NUL-terminated when outsz > 0). */
size_t smtpcmd_phrase_fold(const char *s, size_t len, char *out,
                           size_t outsz);

/* The command of the earliest phrase of the table in s[0..len), or
 * SMTPCMD_NONE.  The text is folded (para SMTPCMD_PHRASE_FOLDED) or raw
 * (SMTPCMD_PHRASE_RAW). */
enum smtpcmd smtpcmd_phrase_scan(const char *s, size_t len, int para);

#endif
