/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * listener.h - socket options libmilter gives no API for.
 *
 * listener_nodelay() finds the process's listening TCP sockets (libmilter's
 * listener, after smfi_opensocket) and sets TCP_NODELAY on them; Linux copies
 * it to every accepted socket.  Without it, each message through an inet
 * socket waits twice for a delayed ACK (~40 ms: e2e-postfix.md section 6).
 * Shared by the daemon and the no-op benchmark milter so both negotiate the
 * network the same way.  Returns how many listeners were set, or -1 with err
 * set when a setsockopt failed.  Call once, before serving.
 */
#ifndef BM_LISTENER_H
#define BM_LISTENER_H

#include <stddef.h>

int listener_nodelay(char *err, size_t errsz);

#endif
