/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * control.h - the control socket: a unix stream socket speaking
 * control/ctlproto.h, served by one thread.
 *
 * control_open() runs before privileges are dropped: it refuses a path that
 * is not a socket or a socket a running daemon answers on (a stale one is
 * removed), binds under umask 0177 (mode 0600 from the first moment) and
 * hands the socket to uid/gid when root.  Peers must also be that uid or
 * root (SO_PEERCRED).  control_start() starts the thread.  Caps:
 * control.max_clients connections ("ERR too many clients"), a budget of
 * control.max_requests_per_second over all clients ("ERR busy"), requests
 * of CTLPROTO_LINE_MAX octets, 60 s idle, 10 s to send an answer.  The list
 * commands use the milter's own list object (action.h): its lock and dedupe
 * set.  "reload" calls the function given.
 */
#ifndef BM_CONTROL_H
#define BM_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "control/ctlproto.h"
#include "util/buf.h"

/* reload: 0 or -1, with a one-line result in msg either way */
typedef int (*control_reload_fn)(char *msg, size_t msgsz);

int control_open(const char *path, uid_t uid, gid_t gid, bool give, char *err,
                 size_t errsz);
int control_start(control_reload_fn reload, char *err, size_t errsz);

/* Execute one parsed request: the answer (status line and data lines)
 * appended to out.  Used by the server thread; exposed for tests. */
void control_execute(const struct ctlproto_req *req, struct buf *out);

#endif
