/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * log.h - the daemon's one logging API: syslog when daemonised, stderr only
 * in the foreground.
 *
 * log_open(ident, facility, false) opens syslog with that ident and facility
 * (LOG_PID, so lines read "bounce-milter[pid]: ..."), and every line goes to
 * syslog only.  log_open(..., true), for -f, never touches syslog: every line
 * goes to stderr only, so that a supervisor which keeps stderr (systemd's
 * journal) holds each line once.  There it is written "ident[pid]: line",
 * or "<N>line" when stderr is the journal's stream (JOURNAL_STREAM names its
 * device and inode), so the journal keeps the priority and adds ident and pid
 * itself.  log_msg() logs one line; log_qid() prefixes it Postfix-style with
 * the queue id ("4Xyz1: key=value ...").  Lines are bounded (longer ones are
 * cut and end in "..."), never contain CR or LF, and every format string is
 * checked by the compiler.  Thread-safe; log_open() may be called again on
 * reload (new ident/facility, or the other destination).
 */
#ifndef BM_LOG_H
#define BM_LOG_H

#include <stdbool.h>
#include <syslog.h>

#define BM_LOG_LINE_MAX 2048

void log_open(const char *ident, int facility, bool to_stderr);

void log_msg(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_qid(int prio, const char *qid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
