/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/listener.h"

int
listener_nodelay(char *err, size_t errsz)
{
	long max = sysconf(_SC_OPEN_MAX);
	int found = 0;

	/* libmilter opens its listener early: it sits among the low descriptors */
	if (max < 0 || max > 1024)
		max = 1024;
	for (int fd = 3; fd < max; fd++) {
		int acc = 0, dom = 0, one = 1;
		socklen_t l1 = sizeof acc, l2 = sizeof dom;

		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &l1) != 0 || !acc)
			continue;
		if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &l2) != 0)
			continue;
		if (dom != AF_INET && dom != AF_INET6)
			continue;
		if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) {
			snprintf(err, errsz, "TCP_NODELAY on the listener: %s", strerror(errno));
			return -1;
		}
		found++;
	}
	return found;
}
