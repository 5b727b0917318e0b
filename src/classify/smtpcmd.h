/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * smtpcmd.h - which SMTP command a remote server's failure answered.
 *
 * A bounce often says at which step of the SMTP session the remote server
 * refused: Postfix "(in reply to RCPT TO command)", Exim "SMTP error from
 * remote mail server after end of data:", qmail "does not like recipient.",
 * sendmail and Courier transcripts (">>> DATA" then "<<< 550 ...").  The
 * step changes what an answer means: "user unknown" at RCPT TO is a dead
 * address, after DATA a content filter, at MAIL FROM a sender refusal.
 * smtpcmd_find() reads one diagnostic span; smtpcmd_find_for() reads a
 * whole notification text for one recipient (transcript replies that name
 * it, else the wording near its address).  Both match fixed phrases of a
 * table (ASCII case and white space folded, whole words), look at a bounded
 * prefix of their input and never read past it.  Thread-safe: their only
 * state is the phrase tables, built once for the process and read-only
 * after; an answer depends on the input alone.  Names are the upper-case command
 * words ("RCPT", "DATA", "MAIL", "HELO", "CONN" for the greeting), ""
 * when unknown.
 */
#ifndef BM_SMTPCMD_H
#define BM_SMTPCMD_H

#include <stdbool.h>
#include <stddef.h>

#include "classify/smtpcmd_step.h"

/* "CONN", "HELO", "MAIL", "RCPT", "DATA"; "" for SMTPCMD_NONE; never NULL. */
const char *smtpcmd_name(enum smtpcmd c);
/* Inverse of smtpcmd_name() (case-insensitive); SMTPCMD_NONE if unknown. */
enum smtpcmd smtpcmd_from_name(const char *name);

/* The command one diagnostic span states (s need not be NUL-terminated). */
enum smtpcmd smtpcmd_find(const char *s, size_t len);

/* The command a notification text states for recipient `addr` (a bare
 * address, "a@b"): a failing "<<<" reply of a transcript that names the
 * address or answers the ">>>" command that did; else a DATA failure whose
 * nearest address line (the last before its session, else the first after
 * it in its block) names the address, or that no address line follows in
 * its block; else the first phrase after an occurrence of the
 * address, in its paragraph or the next one (up to another address). */
enum smtpcmd smtpcmd_find_for(const char *text, size_t len, const char *addr);

/* Copy the name of c into dst unless dst already holds one or c is
 * SMTPCMD_NONE.  Returns true when dst was written. */
bool smtpcmd_store(char *dst, size_t dstsz, enum smtpcmd c);

#endif
