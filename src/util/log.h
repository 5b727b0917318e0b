/*
 * log.h - the daemon's one logging API: syslog, plus stderr in the foreground.
 *
 * log_open() opens syslog with the configured ident and facility (LOG_PID, so
 * lines read "bounce-milter[pid]: ..."); with `to_stderr` every line is also
 * written to stderr in the same form.  log_msg() logs one line; log_qid()
 * prefixes it Postfix-style with the queue id ("4Xyz1: key=value ...").
 * Lines are bounded (longer ones are cut and end in "..."), never contain
 * CR or LF, and every format string is checked by the compiler.
 * Thread-safe; log_open() may be called again on reload (new ident/facility).
 */
#ifndef BM_LOG_H
#define BM_LOG_H

#include <stdbool.h>
#include <syslog.h>

#define BM_LOG_LINE_MAX 2048

void log_open(const char *ident, int facility, bool to_stderr);
void log_close(void);

void log_msg(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_qid(int prio, const char *qid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
