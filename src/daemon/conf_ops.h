/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * conf_ops.h - the operations part of the daemon's configuration (control
 * socket, allowlist, event log, soft-bounce escalation, periodic syslog
 * summary): struct conf_ops, held by value in struct bm_config (conf.h).
 *
 * conf_ops.c fills it from the parsed file (the libconfuse side of it is
 * in conf_ops_schema.h, for conf*.c only) and conf_ops_free() releases
 * what it owns (strings, the allowlist); the struct is never written after
 * loading, so readers of a config need no lock.
 */
#ifndef BM_CONF_OPS_H
#define BM_CONF_OPS_H

#include <stdbool.h>

#include "classify/record.h"

struct allowlist;

/* Operations (issue 13; conf_ops.c): control socket, allowlist, event log,
 * soft-bounce escalation, periodic syslog summary. */
struct conf_ops {
	char *control_socket;            /* "" = no control socket */
	unsigned control_max_clients;
	unsigned control_rate;           /* requests per second, all clients */
	struct allowlist *allowlist;     /* never NULL after loading */
	char *eventlog_file;             /* "" = no event log */
	bool eventlog_fsync;
	bool escalate;
	unsigned escalate_days;          /* distinct days ... */
	unsigned escalate_window;        /* ... within this many days */
	bool escalate_reason[BM_REASON_COUNT];
	char *escalate_state_file;
	unsigned summary_minutes;        /* 0 = no syslog summary */
};

void conf_ops_free(struct conf_ops *o);

#endif
