/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * milter-load-msg.c - small helpers every part of milter-load uses, and the
 * messages read from files (see milter-load.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "milter-load.h"

/* ------------------------------------------------------------ helpers */
void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("milter-load: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

void warnx_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	flockfile(stderr);
	fputs("milter-load: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
	va_end(ap);
}

uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory (%zu bytes)", n);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		die("out of memory (%zu bytes)", n);
	return q;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

uint32_t rd32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

void wr32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* xorshift32: reproducible garbage */
uint32_t rnd(uint32_t *s)
{
	uint32_t x = *s ? *s : 0x9e3779b9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

/* ------------------------------------------------------------ loading files */
static int read_file(const char *path, char **data, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (fp == NULL)
		return -1;
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 131072;
			buf = xrealloc(buf, cap);
		}
		size_t got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	*data = buf;
	*len = n;
	return 0;
}

/* One line of [p, end): returns its length without the line end and sets
 * *next past the line end. */
static size_t line_at(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t len;

	if (nl == NULL) {
		*next = end;
		len = (size_t)(end - p);
	} else {
		*next = nl + 1;
		len = (size_t)(nl - p);
	}
	if (len > 0 && p[len - 1] == '\r')
		len--;
	return len;
}

static bool ci_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

static void parse_message(struct message *m, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *next;
	size_t cap = 0;

	/* an mbox separator line */
	if (len >= 5 && memcmp(p, "From ", 5) == 0) {
		(void)line_at(p, end, &next);
		p = next;
	}
	/* header block: up to the first empty line, or to a line that is
	 * neither a field nor a continuation (that line starts the body) */
	while (p < end) {
		size_t l = line_at(p, end, &next);
		if (l == 0) {
			p = next;
			break;
		}
		if ((p[0] == ' ' || p[0] == '\t') && m->nhdr > 0) {
			struct header *h = &m->hdr[m->nhdr - 1];
			size_t old = strlen(h->value);
			h->value = xrealloc(h->value, old + 1 + l + 1);
			h->value[old] = '\n';
			memcpy(h->value + old + 1, p, l);
			h->value[old + 1 + l] = '\0';
			p = next;
			continue;
		}
		const char *colon = memchr(p, ':', l);
		if (colon == NULL || colon == p)
			break;
		if (m->nhdr == cap) {
			cap = cap ? cap * 2 : 16;
			m->hdr = xrealloc(m->hdr, cap * sizeof *m->hdr);
		}
		size_t nl = (size_t)(colon - p);
		while (nl > 0 && (p[nl - 1] == ' ' || p[nl - 1] == '\t'))
			nl--;
		m->hdr[m->nhdr].name = xstrndup(p, nl);
		m->hdr[m->nhdr].value = xstrndup(colon + 1, l - (size_t)(colon + 1 - p));
		m->nhdr++;
		p = next;
	}
	/* body with CRLF line ends */
	size_t rest = (size_t)(end - p), lf = 0;
	for (size_t i = 0; i < rest; i++)
		if (p[i] == '\n')
			lf++;
	m->body = xmalloc(rest + lf + 1);
	size_t o = 0;
	for (size_t i = 0; i < rest; i++) {
		if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
			m->body[o++] = '\r';
		m->body[o++] = p[i];
	}
	m->bodylen = o;

	/* libmilter refuses packets of more than 65,535 data bytes
	 * (MILTER_MAX_DATA_SIZE): cut longer header fields to fit */
	for (size_t i = 0; i < m->nhdr; i++) {
		struct header *h = &m->hdr[i];
		size_t nl = strlen(h->name), vl = strlen(h->value);
		if (nl + vl + 2 > ML_MAX_DATA) {
			size_t keep = nl + 2 < ML_MAX_DATA ? ML_MAX_DATA - nl - 2 : 0;
			h->value[keep] = '\0';
			if (nl > ML_MAX_DATA / 2)
				h->name[ML_MAX_DATA / 2] = '\0';
			headers_cut++;
		}
	}
	for (size_t i = 0; i < m->nhdr; i++) {
		const struct header *h = &m->hdr[i];
		if ((strcasecmp(h->name, "Content-Type") == 0 && ci_contains(h->value, "multipart/report")) ||
		    (strcasecmp(h->name, "From") == 0 &&
		     (ci_contains(h->value, "mailer-daemon") || ci_contains(h->value, "postmaster"))) ||
		    (strcasecmp(h->name, "Return-Path") == 0 && ci_contains(h->value, "<>")))
			m->looks_bounce = true;
	}
}

void load_path(const char *path);

static void load_dir(const char *path)
{
	char cmd[PATH_MAX + 64];
	/* sorted, regular files only: a stable order makes runs comparable */
	int n = snprintf(cmd, sizeof cmd, "find '%s' -maxdepth 1 -type f | LC_ALL=C sort", path);

	if (n < 0 || (size_t)n >= sizeof cmd || strchr(path, '\'') != NULL)
		die("%s: unusable folder name", path);
	FILE *fp = popen(cmd, "r");
	if (fp == NULL)
		die("%s: cannot list: %s", path, strerror(errno));
	char line[PATH_MAX];
	while (fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '\0')
			load_path(line);
	}
	pclose(fp);
}

void load_path(const char *path)
{
	struct stat st;
	char *data;
	size_t len;

	if (stat(path, &st) != 0)
		die("%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		load_dir(path);
		return;
	}
	if (read_file(path, &data, &len) != 0)
		die("%s: cannot read: %s", path, strerror(errno));
	messages = xrealloc(messages, (nmessages + 1) * sizeof *messages);
	struct message *m = &messages[nmessages++];
	memset(m, 0, sizeof *m);
	m->path = xstrndup(path, strlen(path));
	parse_message(m, data, len);
	free(data);
}
