/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ctlproto.h - the control socket's line protocol, shared by the daemon
 * and bounce-milterctl (util only; no I/O here).
 *
 * A request is one line of at most CTLPROTO_LINE_MAX octets ending in LF
 * (a CR before it is ignored): a command and its arguments separated by
 * blanks.  Commands: "stats", "stats prometheus", "list query ADDR",
 * "list add ADDR [REASON]", "list remove ADDR", "list count",
 * "list export", "reload", "help".  Keywords are case-insensitive; ADDR is
 * 1-254 octets with no blank or control character (the daemon validates it
 * further, as it does a bounced address); REASON is 1-63 of [A-Za-z0-9._:-].
 * An answer is "OK <n> <text>" followed by exactly n data lines, or
 * "ERR <text>"; text never holds CR or LF.  ctlproto_parse() never reads
 * past len and fails with a message for anything else.  Pure, thread-safe.
 */
#ifndef BM_CTLPROTO_H
#define BM_CTLPROTO_H

#include <stdbool.h>
#include <stddef.h>

#define CTLPROTO_LINE_MAX   1024
#define CTLPROTO_ADDR_MAX   254
#define CTLPROTO_REASON_MAX 63

enum ctlproto_cmd {
	CTLPROTO_STATS = 0,
	CTLPROTO_STATS_PROM,
	CTLPROTO_LIST_QUERY,
	CTLPROTO_LIST_ADD,
	CTLPROTO_LIST_REMOVE,
	CTLPROTO_LIST_COUNT,
	CTLPROTO_LIST_EXPORT,
	CTLPROTO_RELOAD,
	CTLPROTO_HELP,
};

struct ctlproto_req {
	enum ctlproto_cmd cmd;
	char addr[CTLPROTO_ADDR_MAX + 1];      /* list query/add/remove */
	char reason[CTLPROTO_REASON_MAX + 1];  /* list add; "" if not given */
};

/* line: the request without its LF (a trailing CR is allowed).  0, or -1
 * with a one-line message in err. */
int ctlproto_parse(const char *line, size_t len, struct ctlproto_req *req,
                   char *err, size_t errsz);

/* The first line of an answer: 0 with *ok, *nlines and *text (pointing
 * into line) set, or -1 if it is not "OK <n> ..." or "ERR ...". */
int ctlproto_parse_status(const char *line, bool *ok, size_t *nlines,
                          const char **text);

/* The commands, one per line, for "help" and the man page. */
extern const char *const ctlproto_help[];

#endif
