/*
 * control.h - the control socket: a unix stream socket speaking the line
 * protocol of control/ctlproto.h, served by one thread.
 *
 * control_open() runs before privileges are dropped: it refuses a path that
 * exists and is not a socket, or a socket a running daemon answers on (a
 * stale socket is removed), binds with mode
 * 0600 (umask 0177 around bind, so the socket is never reachable by others,
 * not even for a moment), and hands it to uid/gid when running as root.
 * Each accepted peer must be that uid or root (SO_PEERCRED), in addition to
 * the file mode.  control_start() starts the thread: at most
 * control.max_clients connections (one more is told "ERR too many clients"
 * and closed), a global budget of control.max_requests_per_second (a request
 * over it is answered "ERR busy"), requests of at most CTLPROTO_LINE_MAX
 * octets (a longer one is answered with an error and the client closed),
 * idle clients closed after 60 s, answers sent with a 10 s send timeout.
 * The list commands work on the milter's own list object (action.h), so
 * they share its lock and dedupe set; "reload" calls the function given.
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
