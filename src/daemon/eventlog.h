/*
 * eventlog.h - the optional event log: one JSON line per examined
 * recipient of every class, for mailing software that keeps its own bounce
 * scores (schema: bounce-milterctl(8)).
 *
 * eventlog_configure() opens the file named by the config at start-up and
 * on reload (a changed path closes the old one; "" closes it).  The file is
 * opened as the list is (no symbolic link, a regular file with one link, not
 * group- or world-writable, created 0640).  eventlog_append() writes the
 * lines of one message with one write(2) on an O_APPEND descriptor under
 * flock(2), then fsyncs (eventlog.fsync = always); before writing it checks
 * under the lock that the path still names its file and reopens when a
 * consumer renamed it away (rename, then flock the renamed file before
 * reading it, as for the list).  0, or -1 with err: nothing written (a
 * short write is cut back).  eventlog_format() appends one line to a buf;
 * every string is JSON-escaped, invalid UTF-8 becomes U+FFFD and the
 * diagnostic is cut at EVENTLOG_DIAG_MAX octets.  Thread-safe (one mutex).
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
	bool trusted;                  /* origin: passed the trust policy */
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

/* The returned message's Message-ID and List-Id, from the first such
 * header lines after the bounce's own header block (the returned part's
 * headers): bounded copies, "" when absent. */
void eventlog_orig_headers(const char *data, size_t len, size_t hdr_bytes,
                           char *msgid, char *listid);

#endif
