/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * noop-milter.c - the benchmark baseline: a libmilter program that does
 * nothing, set up the way bounce-milter is.
 *
 * It registers every callback (so libmilter asks the MTA for every step),
 * negotiates every step masked against what the MTA offers, asks for the
 * same actions the daemon uses (add and change headers) and SMFIP_SKIP,
 * sets TCP_NODELAY on its TCP listener after smfi_opensocket() (libmilter
 * has no socket-option API; Linux copies the option to accepted sockets),
 * keeps a small per-connection context like the daemon's, and answers
 * CONTINUE everywhere.  Usage: noop-milter -p SOCKET [-T TIMEOUT].
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "daemon/listener.h"

/* per connection: what a real milter would at least keep */
struct noop_conn {
	unsigned long messages;
	size_t body_bytes;
};

static struct noop_conn *noop_ctx(SMFICTX *ctx)
{
	struct noop_conn *c = smfi_getpriv(ctx);

	if (c == NULL) {
		c = calloc(1, sizeof *c);
		if (c != NULL && smfi_setpriv(ctx, c) != MI_SUCCESS) {
			free(c);
			c = NULL;
		}
	}
	return c;
}

static sfsistat noop_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
                               unsigned long f2, unsigned long f3, unsigned long *pf0,
                               unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	(void)ctx;
	(void)f2;
	(void)f3;
	/* as the daemon: every step (no SMFIP_NO* bits but NOUNKNOWN), SKIP
	 * when offered; never more than offered */
	*pf0 = f0 & (SMFIF_ADDHDRS | SMFIF_CHGHDRS);
	*pf1 = f1 & (SMFIP_SKIP | SMFIP_NOUNKNOWN);
	*pf2 = 0;
	*pf3 = 0;
	return SMFIS_CONTINUE;
}

static sfsistat noop_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *addr)
{
	(void)host;
	(void)addr;
	return noop_ctx(ctx) != NULL ? SMFIS_CONTINUE : SMFIS_TEMPFAIL;
}

static sfsistat noop_helo(SMFICTX *ctx, char *helo)
{
	(void)ctx;
	(void)helo;
	return SMFIS_CONTINUE;
}

static sfsistat noop_envfrom(SMFICTX *ctx, char **argv)
{
	struct noop_conn *c = noop_ctx(ctx);

	(void)argv;
	if (c == NULL)
		return SMFIS_TEMPFAIL;
	c->body_bytes = 0;
	return SMFIS_CONTINUE;
}

static sfsistat noop_envrcpt(SMFICTX *ctx, char **argv)
{
	(void)ctx;
	(void)argv;
	return SMFIS_CONTINUE;
}

static sfsistat noop_data(SMFICTX *ctx)
{
	(void)ctx;
	return SMFIS_CONTINUE;
}

static sfsistat noop_header(SMFICTX *ctx, char *name, char *value)
{
	(void)ctx;
	(void)name;
	(void)value;
	return SMFIS_CONTINUE;
}

static sfsistat noop_eoh(SMFICTX *ctx)
{
	(void)ctx;
	return SMFIS_CONTINUE;
}

static sfsistat noop_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	struct noop_conn *c = smfi_getpriv(ctx);

	(void)chunk;
	if (c != NULL)
		c->body_bytes += len;
	return SMFIS_CONTINUE;
}

static sfsistat noop_eom(SMFICTX *ctx)
{
	struct noop_conn *c = smfi_getpriv(ctx);

	if (c != NULL)
		c->messages++;
	return SMFIS_CONTINUE;
}

static sfsistat noop_abort(SMFICTX *ctx)
{
	struct noop_conn *c = smfi_getpriv(ctx);

	if (c != NULL)
		c->body_bytes = 0;
	return SMFIS_CONTINUE;
}

static sfsistat noop_close(SMFICTX *ctx)
{
	struct noop_conn *c = smfi_getpriv(ctx);

	if (c != NULL) {
		(void)smfi_setpriv(ctx, NULL);
		free(c);
	}
	return SMFIS_CONTINUE;
}


int main(int argc, char **argv)
{
	const char *sock = NULL;
	int timeout = 7210, ch;
	struct smfiDesc desc = {
		.xxfi_name = "noop-milter",
		.xxfi_version = SMFI_VERSION,
		.xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS,
		.xxfi_connect = noop_connect,
		.xxfi_helo = noop_helo,
		.xxfi_envfrom = noop_envfrom,
		.xxfi_envrcpt = noop_envrcpt,
		.xxfi_header = noop_header,
		.xxfi_eoh = noop_eoh,
		.xxfi_body = noop_body,
		.xxfi_eom = noop_eom,
		.xxfi_abort = noop_abort,
		.xxfi_close = noop_close,
		.xxfi_unknown = NULL,
		.xxfi_data = noop_data,
		.xxfi_negotiate = noop_negotiate,
	};

	while ((ch = getopt(argc, argv, "p:T:h")) != -1) {
		switch (ch) {
		case 'p': sock = optarg; break;
		case 'T': timeout = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: noop-milter -p inet:PORT@HOST|unix:PATH [-T TIMEOUT]\n");
			return 2;
		}
	}
	if (sock == NULL || timeout <= 0) {
		fprintf(stderr, "usage: noop-milter -p inet:PORT@HOST|unix:PATH [-T TIMEOUT]\n");
		return 2;
	}
	if (smfi_setconn((char *)sock) != MI_SUCCESS || smfi_settimeout(timeout) != MI_SUCCESS) {
		fprintf(stderr, "noop-milter: bad socket %s\n", sock);
		return 1;
	}
	if (smfi_register(desc) != MI_SUCCESS) {
		fprintf(stderr, "noop-milter: smfi_register failed\n");
		return 1;
	}
	if (smfi_opensocket(true) != MI_SUCCESS) {
		fprintf(stderr, "noop-milter: cannot open %s\n", sock);
		return 1;
	}
	if (strncmp(sock, "inet", 4) == 0) {
		char err[128] = "no TCP listener found";

		/* the same socket options as the daemon (src/daemon/listener.c) */
		if (listener_nodelay(err, sizeof err) <= 0) {
			fprintf(stderr, "noop-milter: %s\n", err);
			return 1;
		}
	}
	return smfi_main() == MI_SUCCESS ? 0 : 1;
}
