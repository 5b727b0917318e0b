/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * smtpcmd_step.h - the steps of an SMTP session a remote server's failure
 * can answer (enum smtpcmd).
 *
 * The names, and the readers that find a step in a bounce, are
 * smtpcmd.h's; the phrase reader beneath them (smtpcmd_phrase.h) returns
 * these values too, so the enum lives here, below both.  Constants only.
 */
#ifndef BM_SMTPCMD_STEP_H
#define BM_SMTPCMD_STEP_H

enum smtpcmd {
	SMTPCMD_NONE = 0,
	SMTPCMD_CONN,   /* the greeting, before any command */
	SMTPCMD_HELO,   /* HELO / EHLO (and the session set-up after it) */
	SMTPCMD_MAIL,   /* MAIL FROM */
	SMTPCMD_RCPT,   /* RCPT TO */
	SMTPCMD_DATA,   /* DATA or the end of data (".") */
	SMTPCMD_COUNT
};

#endif
