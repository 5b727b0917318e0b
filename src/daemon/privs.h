/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * privs.h - dropping root for good, after the socket is bound.
 *
 * privs_lookup() resolves a user name to its uid and primary gid.
 * privs_drop() switches to `user` when running as root: supplementary groups
 * first (setgroups to the primary group only), then setgid, then setuid, each
 * checked, then verifies that root cannot be regained.  It refuses to leave
 * the process running as root (an empty user while root, or a user whose uid
 * is 0).  Not running as root and `user` empty or naming the current user is
 * fine; naming another user without root is an error.  Returns 0, or -1 with
 * a message in err.  Call once, from main, before any thread starts.
 */
#ifndef BM_PRIVS_H
#define BM_PRIVS_H

#include <stddef.h>
#include <sys/types.h>

int privs_lookup(const char *user, uid_t *uid, gid_t *gid, char *err, size_t errsz);
int privs_drop(const char *user, char *err, size_t errsz);

#endif
