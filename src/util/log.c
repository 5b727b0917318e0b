/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_ident[64] = "bounce-milter";
static bool log_stderr;         /* foreground: stderr only, no syslog */
static bool log_journal;        /* stderr is the journal: "<N>line" */
static bool log_opened;         /* openlog() is in effect */

/* systemd sets JOURNAL_STREAM="DEV:INO" for a service whose stderr is
 * connected to the journal (systemd.exec(5)); a child that inherited the
 * variable but writes elsewhere sees another device or inode. */
static bool
log_stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char tail;

	if (js == NULL || sscanf(js, "%llu:%llu%c", &dev, &ino, &tail) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) != 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void
log_open(const char *ident, int facility, bool to_stderr)
{
	pthread_mutex_lock(&log_lock);
	if (log_opened)
		closelog();
	log_opened = false;
	/* openlog() keeps the pointer: the copy stays in static storage */
	snprintf(log_ident, sizeof log_ident, "%s",
	    ident != NULL && *ident != '\0' ? ident : "bounce-milter");
	log_stderr = to_stderr;
	log_journal = to_stderr && log_stderr_is_journal();
	if (!to_stderr) {
		openlog(log_ident, LOG_PID | LOG_NDELAY, facility);
		log_opened = true;
	}
	pthread_mutex_unlock(&log_lock);
}

/* Replace CR, LF and other control characters so one call is one line. */
static void
log_clean(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

static void
log_emit(int prio, const char *prefix, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void
log_emit(int prio, const char *prefix, const char *fmt, va_list ap)
{
	char line[BM_LOG_LINE_MAX];
	size_t off = 0;
	int n;

	if (prefix != NULL) {
		n = snprintf(line, sizeof line, "%s: ", prefix);
		off = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
	}
	n = vsnprintf(line + off, sizeof line - off, fmt, ap);
	if (n >= 0 && (size_t)n >= sizeof line - off)
		memcpy(line + sizeof line - 4, "...", 4);
	log_clean(line);

	pthread_mutex_lock(&log_lock);
	if (log_journal)
		fprintf(stderr, "<%d>%s\n", LOG_PRI(prio), line);
	else if (log_stderr)
		fprintf(stderr, "%s[%ld]: %s\n", log_ident, (long)getpid(), line);
	else
		syslog(prio, "%s", line);
	pthread_mutex_unlock(&log_lock);
}

void
log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(prio, NULL, fmt, ap);
	va_end(ap);
}

void
log_qid(int prio, const char *qid, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(prio, qid != NULL && *qid != '\0' ? qid : "NOQUEUE", fmt, ap);
	va_end(ap);
}
