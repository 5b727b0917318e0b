/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bounce-milterctl - talk to bounce-milter's control socket.
 *
 * Sends one request line (control/ctlproto.h), reads the answer and prints
 * its data lines (or, for answers without data, its text) on stdout;
 * "ERR ..." goes to stderr.  --textfile PATH writes "stats prometheus" for
 * node_exporter's textfile collector atomically: a temporary file in the
 * same directory, fsync, mode 0644, rename.  Exit: 0 OK (for "list query":
 * listed), 1 ERR (or not listed), 2 usage, 3 cannot talk to the daemon.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "control/ctlproto.h"

#define CTL_DEFAULT_SOCKET "/run/bounce-milter/control.sock"
#define CTL_ANSWER_LINE_MAX 65536

static void
ctl_usage(FILE *f)
{
	fprintf(f,
	    "usage: bounce-milterctl [-s SOCKET] COMMAND [ARGS...]\n"
	    "       bounce-milterctl [-s SOCKET] --textfile PATH\n"
	    "  -s, --socket PATH   control socket (default %s)\n"
	    "  --textfile PATH     write \"stats prometheus\" to PATH atomically\n"
	    "  -h, --help          this text\n"
	    "commands:\n", CTL_DEFAULT_SOCKET);
	for (size_t i = 0; ctlproto_help[i] != NULL; i++)
		fprintf(f, "  %s\n", ctlproto_help[i]);
}

static int
ctl_connect(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "bounce-milterctl: %s: path too long\n", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		fprintf(stderr, "bounce-milterctl: socket: %s\n", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		fprintf(stderr, "bounce-milterctl: %s: %s\n", path, strerror(errno));
		(void)close(fd);
		return -1;
	}
	return fd;
}

/* One answer line without its LF into line; -1 on EOF, error or overlong. */
static int
ctl_getline(FILE *in, char *line, size_t sz)
{
	size_t n;

	if (fgets(line, (int)sz, in) == NULL)
		return -1;
	n = strlen(line);
	if (n == 0 || line[n - 1] != '\n')
		return -1;
	line[n - 1] = '\0';
	return 0;
}

/* Send req, copy the answer's data lines to out.  Returns 0 (OK), 1 (ERR),
 * 3 (transport); *text gets the status text. */
static int
ctl_call(const char *sock, const char *req, FILE *out, char *text, size_t textsz,
         size_t *nlines)
{
	char *line = malloc(CTL_ANSWER_LINE_MAX);
	const char *t;
	size_t n;
	bool ok;
	FILE *in;
	int fd, rc = 3;

	text[0] = '\0';
	*nlines = 0;
	if (line == NULL || (fd = ctl_connect(sock)) < 0) {
		free(line);
		return 3;
	}
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req) || write(fd, "\n", 1) != 1) {
		fprintf(stderr, "bounce-milterctl: %s: write: %s\n", sock, strerror(errno));
		(void)close(fd);
		free(line);
		return 3;
	}
	(void)shutdown(fd, SHUT_WR);
	if ((in = fdopen(fd, "r")) == NULL) {
		(void)close(fd);
		free(line);
		return 3;
	}
	if (ctl_getline(in, line, CTL_ANSWER_LINE_MAX) != 0 ||
	    ctlproto_parse_status(line, &ok, &n, &t) != 0) {
		fprintf(stderr, "bounce-milterctl: %s: no valid answer\n", sock);
		goto out;
	}
	snprintf(text, textsz, "%s", t);
	*nlines = n;
	for (size_t i = 0; i < n; i++) {
		if (ctl_getline(in, line, CTL_ANSWER_LINE_MAX) != 0) {
			fprintf(stderr, "bounce-milterctl: %s: answer cut short (%zu of %zu lines)\n",
			    sock, i, n);
			goto out;
		}
		if (fprintf(out, "%s\n", line) < 0)
			goto out;
	}
	rc = ok ? 0 : 1;
out:
	(void)fclose(in);
	free(line);
	return rc;
}

static int
ctl_textfile(const char *sock, const char *path)
{
	char tmp[4096], text[512];
	size_t n;
	FILE *f;
	int fd, rc;

	if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
		fprintf(stderr, "bounce-milterctl: %s: path too long\n", path);
		return 2;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0 || (f = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "bounce-milterctl: %s: %s\n", tmp, strerror(errno));
		if (fd >= 0) {
			(void)close(fd);
			(void)unlink(tmp);
		}
		return 3;
	}
	rc = ctl_call(sock, "stats prometheus", f, text, sizeof text, &n);
	if (rc == 1)
		fprintf(stderr, "bounce-milterctl: ERR %s\n", text);
	if (rc == 0 && (fflush(f) != 0 || fsync(fd) != 0 || fchmod(fd, 0644) != 0)) {
		fprintf(stderr, "bounce-milterctl: %s: %s\n", tmp, strerror(errno));
		rc = 3;
	}
	if (fclose(f) != 0 && rc == 0)
		rc = 3;
	if (rc == 0 && rename(tmp, path) != 0) {
		fprintf(stderr, "bounce-milterctl: rename to %s: %s\n", path, strerror(errno));
		rc = 3;
	}
	if (rc != 0)
		(void)unlink(tmp);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "textfile", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sock = CTL_DEFAULT_SOCKET, *textfile = NULL;
	char req[CTLPROTO_LINE_MAX + 1], text[512];
	size_t len = 0, n;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "+s:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			sock = optarg;
			break;
		case 'T':
			textfile = optarg;
			break;
		case 'h':
			ctl_usage(stdout);
			return 0;
		default:
			ctl_usage(stderr);
			return 2;
		}
	}
	if (textfile != NULL) {
		if (optind != argc) {
			ctl_usage(stderr);
			return 2;
		}
		return ctl_textfile(sock, textfile);
	}
	if (optind == argc) {
		ctl_usage(stderr);
		return 2;
	}
	req[0] = '\0';
	for (int i = optind; i < argc; i++) {
		/* "stats --prometheus" is the same as "stats prometheus" */
		const char *w = strcmp(argv[i], "--prometheus") == 0 ? "prometheus" : argv[i];
		int k = snprintf(req + len, sizeof req - len, "%s%s", len > 0 ? " " : "", w);

		if (k < 0 || (size_t)k >= sizeof req - len || strpbrk(w, "\r\n") != NULL) {
			fprintf(stderr, "bounce-milterctl: request too long or holds a line break\n");
			return 2;
		}
		len += (size_t)k;
	}
	rc = ctl_call(sock, req, stdout, text, sizeof text, &n);
	if (rc == 1)
		fprintf(stderr, "bounce-milterctl: ERR %s\n", text);
	else if (rc == 0) {
		if (strncmp(text, "not-listed", 10) == 0 && strncasecmp(req, "list query", 10) == 0)
			rc = 1;
		if (n == 0 && strcmp(text, "export") != 0)
			printf("%s\n", text);
	}
	if (fflush(stdout) != 0)
		return 3;
	return rc;
}
