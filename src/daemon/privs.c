/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon/privs.h"

int
privs_lookup(const char *user, uid_t *uid, gid_t *gid, char *err, size_t errsz)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	int rc;

	rc = getpwnam_r(user, &pw, buf, sizeof buf, &res);
	if (rc != 0 || res == NULL) {
		snprintf(err, errsz, "unknown user \"%s\"%s%s", user,
		    rc != 0 ? ": " : "", rc != 0 ? strerror(rc) : "");
		return -1;
	}
	*uid = pw.pw_uid;
	*gid = pw.pw_gid;
	return 0;
}

int
privs_drop(const char *user, char *err, size_t errsz)
{
	uid_t uid;
	gid_t gid;

	if (geteuid() != 0 && getuid() != 0) {
		if (user == NULL || *user == '\0')
			return 0;
		if (privs_lookup(user, &uid, &gid, err, errsz) != 0)
			return -1;
		if (uid != geteuid()) {
			snprintf(err, errsz, "cannot switch to user \"%s\" without root", user);
			return -1;
		}
		return 0;
	}
	if (user == NULL || *user == '\0') {
		snprintf(err, errsz, "refusing to run as root: set \"user\" in the configuration");
		return -1;
	}
	if (privs_lookup(user, &uid, &gid, err, errsz) != 0)
		return -1;
	if (uid == 0) {
		snprintf(err, errsz, "refusing to run as root: user \"%s\" has uid 0", user);
		return -1;
	}
	if (setgroups(1, &gid) != 0) {
		snprintf(err, errsz, "setgroups(%lu): %s", (unsigned long)gid, strerror(errno));
		return -1;
	}
	if (setgid(gid) != 0) {
		snprintf(err, errsz, "setgid(%lu): %s", (unsigned long)gid, strerror(errno));
		return -1;
	}
	if (setuid(uid) != 0) {
		snprintf(err, errsz, "setuid(%lu): %s", (unsigned long)uid, strerror(errno));
		return -1;
	}
	if (getuid() != uid || geteuid() != uid || getgid() != gid || getegid() != gid) {
		snprintf(err, errsz, "privilege drop to \"%s\" did not take effect", user);
		return -1;
	}
	if (setuid(0) == 0) {
		snprintf(err, errsz, "root could be regained after dropping to \"%s\"", user);
		return -1;
	}
	return 0;
}
