/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * eventlog.h - the optional event log: one JSON line per examined
 * recipient of every class (schema: bounce-milterctl(8)).
 *
 * eventlog_configure() opens the configured file at start-up and on reload
 * ("" closes it), as the list is opened: no symbolic link, a regular file
 * with one link, not group- or world-writable, created 0640.
 * eventlog_append() writes one message's lines with one write(2) under
 * flock(2), then fsyncs (eventlog.fsync); under the lock it checks that the
 * path still names its file and reopens after a consumer's rename.  0, or
 * -1 with err and nothing written (a short write is cut back).
 * eventlog_format() appends one line: JSON-escaped, invalid UTF-8 as
 * U+FFFD, the diagnostic cut at EVENTLOG_DIAG_MAX.  Thread-safe.
 */
#ifndef BM_EVENTLOG_H
#define BM_EVENTLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util/buf.h"

#define EVENTLOG_DIAG_MAX 512
#define EVENTLOG_HDR_MAX  256         /* Message-ID, List-Id values kept */

struct bm_config;

struct eventlog_event {
	time_t when;
	const char *queue_id;
	const char *kind;              /* bounce, auto-reply, feedback */
	const char *cls;
	const char *reason;
	const char *status;
	const char *action;
	const char *recipient;
	const char *original_recipient;
	const char *reporting_mta;
	const char *spf;               /* origin: SPF result */
	bool trusted;                  /* origin level may suppress (trust.origins, tag) */
	bool listed;                   /* on the list after this message */
	const char *why;               /* new, already, escalated, or why not */
	const char *message_id;        /* of the returned message, "" unknown */
	const char *list_id;
	const char *diagnostic;
};

int eventlog_configure(const struct bm_config *cfg, char *err, size_t errsz);
bool eventlog_enabled(void);
int eventlog_append(const char *lines, size_t len, char *err, size_t errsz);
int eventlog_format(struct buf *b, const struct eventlog_event *ev);


#endif
