/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ctlproto.c - the control socket's request parser and answer-line reader
 * (see ctlproto.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "control/ctlproto.h"

#define CTL_MAX_WORDS 5

const char *const ctlproto_help[] = {
	"stats                      counters since start",
	"stats prometheus           the same as Prometheus text exposition",
	"list query ADDR            is ADDR on the suppression list?",
	"list add ADDR [REASON]     list ADDR (REASON defaults to manual)",
	"list remove ADDR           take ADDR off the list",
	"list count                 number of listed addresses",
	"list export                every listed address, sorted",
	"reload                     reload the configuration (as SIGUSR1)",
	"help                       this text",
	NULL
};

struct ctl_word {
	const char *p;
	size_t n;
};

static int
ctl_err(char *err, size_t errsz, const char *msg)
{
	if (err != NULL && errsz > 0)
		(void)snprintf(err, errsz, "%s", msg);
	return -1;
}

static bool
ctl_is(const struct ctl_word *w, const char *kw)
{
	return w->n == strlen(kw) && strncasecmp(w->p, kw, w->n) == 0;
}

static bool
ctl_reason_ok(const struct ctl_word *w)
{
	if (w->n == 0 || w->n > CTLPROTO_REASON_MAX)
		return false;
	for (size_t i = 0; i < w->n; i++) {
		unsigned char c = (unsigned char)w->p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' || c == '-'))
			return false;
	}
	return true;
}

int
ctlproto_parse(const char *line, size_t len, struct ctlproto_req *req,
               char *err, size_t errsz)
{
	struct ctl_word w[CTL_MAX_WORDS];
	size_t nw = 0, i = 0;

	memset(req, 0, sizeof(*req));
	if (line == NULL)
		return ctl_err(err, errsz, "empty request");
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > CTLPROTO_LINE_MAX)
		return ctl_err(err, errsz, "request too long");
	while (i < len) {
		unsigned char c = (unsigned char)line[i];

		if (c == ' ' || c == '\t') {
			i++;
			continue;
		}
		if (nw == CTL_MAX_WORDS)
			return ctl_err(err, errsz, "too many arguments");
		w[nw].p = line + i;
		while (i < len && line[i] != ' ' && line[i] != '\t') {
			c = (unsigned char)line[i];
			if (c < 0x20 || c == 0x7f)
				return ctl_err(err, errsz, "control character in request");
			i++;
		}
		w[nw].n = (size_t)(line + i - w[nw].p);
		nw++;
	}
	if (nw == 0)
		return ctl_err(err, errsz, "empty request");
	if (ctl_is(&w[0], "stats")) {
		if (nw == 1) {
			req->cmd = CTLPROTO_STATS;
			return 0;
		}
		if (nw == 2 && ctl_is(&w[1], "prometheus")) {
			req->cmd = CTLPROTO_STATS_PROM;
			return 0;
		}
		return ctl_err(err, errsz, "usage: stats [prometheus]");
	}
	if (ctl_is(&w[0], "reload") || ctl_is(&w[0], "help")) {
		if (nw != 1)
			return ctl_err(err, errsz, "this command takes no argument");
		req->cmd = ctl_is(&w[0], "reload") ? CTLPROTO_RELOAD : CTLPROTO_HELP;
		return 0;
	}
	if (!ctl_is(&w[0], "list"))
		return ctl_err(err, errsz, "unknown command (try help)");
	if (nw < 2)
		return ctl_err(err, errsz, "usage: list query|add|remove|count|export");
	if (ctl_is(&w[1], "count") || ctl_is(&w[1], "export")) {
		if (nw != 2)
			return ctl_err(err, errsz, "this command takes no argument");
		req->cmd = ctl_is(&w[1], "count") ? CTLPROTO_LIST_COUNT : CTLPROTO_LIST_EXPORT;
		return 0;
	}
	if (ctl_is(&w[1], "query"))
		req->cmd = CTLPROTO_LIST_QUERY;
	else if (ctl_is(&w[1], "add"))
		req->cmd = CTLPROTO_LIST_ADD;
	else if (ctl_is(&w[1], "remove"))
		req->cmd = CTLPROTO_LIST_REMOVE;
	else
		return ctl_err(err, errsz, "usage: list query|add|remove|count|export");
	if (nw < 3)
		return ctl_err(err, errsz, "an address is required");
	if (nw > (req->cmd == CTLPROTO_LIST_ADD ? 4u : 3u))
		return ctl_err(err, errsz, "too many arguments");
	if (w[2].n > CTLPROTO_ADDR_MAX)
		return ctl_err(err, errsz, "address too long");
	memcpy(req->addr, w[2].p, w[2].n);
	req->addr[w[2].n] = '\0';
	if (nw == 4) {
		if (!ctl_reason_ok(&w[3]))
			return ctl_err(err, errsz, "reason must be 1-63 of A-Z a-z 0-9 . _ : -");
		memcpy(req->reason, w[3].p, w[3].n);
		req->reason[w[3].n] = '\0';
	}
	return 0;
}

int
ctlproto_parse_status(const char *line, bool *ok, size_t *nlines,
                      const char **text)
{
	char *end;
	unsigned long long n;

	*ok = false;
	*nlines = 0;
	*text = "";
	if (strncmp(line, "ERR", 3) == 0 && (line[3] == ' ' || line[3] == '\0')) {
		*text = line[3] == ' ' ? line + 4 : line + 3;
		return 0;
	}
	if (strncmp(line, "OK ", 3) != 0 || line[3] < '0' || line[3] > '9')
		return -1;
	errno = 0;
	n = strtoull(line + 3, &end, 10);
	if (errno != 0 || (*end != ' ' && *end != '\0') || n > (size_t)-1 / 2)
		return -1;
	*ok = true;
	*nlines = (size_t)n;
	*text = *end == ' ' ? end + 1 : end;
	return 0;
}
