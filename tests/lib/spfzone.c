/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * spfzone.c - zone file reader for the tests' DNS seam (spfseam.c).
 */
#include "config.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spfzone.h"

#define BM_SPFZONE_LINE 4096
#define BM_SPFZONE_MAX  100000  /* records */

static void spfzone_free_rr(struct spfzone_rr *z, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(z[i].name);
		free(z[i].data);
	}
	free(z);
}

static const struct {
	const char *word;
	int type;
	int herrno;     /* NETDB_SUCCESS: a record with data */
} spfzone_types[] = {
	{ "A", ns_t_a, NETDB_SUCCESS },
	{ "AAAA", ns_t_aaaa, NETDB_SUCCESS },
	{ "MX", ns_t_mx, NETDB_SUCCESS },
	{ "PTR", ns_t_ptr, NETDB_SUCCESS },
	{ "TXT", ns_t_txt, NETDB_SUCCESS },
	{ "SPF", ns_t_spf, NETDB_SUCCESS },
	{ "NXDOMAIN", ns_t_any, HOST_NOT_FOUND },   /* "name NXDOMAIN" */
	{ "TEMPFAIL", ns_t_any, TRY_AGAIN },        /* "name TEMPFAIL" */
};

/* TXT data: either bare text, or one or more "quoted strings" that are
 * concatenated (as a resolver joins a TXT record's strings). */
static int spfzone_txt(const char *in, char *out, size_t outsz)
{
	size_t o = 0;

	if (*in != '"') {
		size_t n = strlen(in);
		if (n >= outsz)
			return -1;
		memcpy(out, in, n + 1);
		return 0;
	}
	while (*in) {
		if (*in == ' ' || *in == '\t') {
			in++;
			continue;
		}
		if (*in != '"')
			return -1;
		for (in++; *in && *in != '"'; in++) {
			if (*in == '\\' && in[1])
				in++;
			if (o + 1 >= outsz)
				return -1;
			out[o++] = *in;
		}
		if (*in != '"')
			return -1;
		in++;
	}
	out[o] = '\0';
	return 0;
}

static int spfzone_line(char *line, struct spfzone_rr *rr, char *err,
                         size_t errsz)
{
	char *name, *type, *data, *end;
	size_t i;

	name = line + strspn(line, " \t");
	type = name + strcspn(name, " \t");
	if (*type == '\0') {
		snprintf(err, errsz, "expected \"name TYPE data\"");
		return -1;
	}
	*type++ = '\0';
	type += strspn(type, " \t");
	data = type + strcspn(type, " \t");
	if (*data) {
		*data++ = '\0';
		data += strspn(data, " \t");
	}
	end = data + strlen(data);
	while (end > data && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	if (strlen(name) > 253 || strchr(name, '"')) {
		snprintf(err, errsz, "bad name");
		return -1;
	}
	for (i = 0; i < sizeof(spfzone_types) / sizeof(spfzone_types[0]); i++)
		if (strcasecmp(type, spfzone_types[i].word) == 0)
			break;
	if (i == sizeof(spfzone_types) / sizeof(spfzone_types[0])) {
		snprintf(err, errsz, "unknown type \"%.16s\"", type);
		return -1;
	}
	rr->type = spfzone_types[i].type;
	rr->herrno = spfzone_types[i].herrno;
	rr->data = NULL;
	if (rr->herrno != NETDB_SUCCESS) {
		if (*data) {
			snprintf(err, errsz, "%s takes no data", spfzone_types[i].word);
			return -1;
		}
	} else {
		char txt[BM_SPFZONE_LINE];
		unsigned char tmp[16];
		if (*data == '\0') {
			snprintf(err, errsz, "missing data");
			return -1;
		}
		if (rr->type == ns_t_txt || rr->type == ns_t_spf) {
			if (spfzone_txt(data, txt, sizeof(txt)) != 0) {
				snprintf(err, errsz, "bad quoted TXT data");
				return -1;
			}
			data = txt;
		} else if ((rr->type == ns_t_a && inet_pton(AF_INET, data, tmp) != 1)
		           || (rr->type == ns_t_aaaa
		               && inet_pton(AF_INET6, data, tmp) != 1)) {
			snprintf(err, errsz, "bad address \"%.64s\"", data);
			return -1;
		}
		rr->data = strdup(data);
		if (rr->data == NULL) {
			snprintf(err, errsz, "out of memory");
			return -1;
		}
	}
	rr->name = strdup(name);
	if (rr->name == NULL) {
		free(rr->data);
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

int spfzone_load(const char *path, struct spfzone *zone, char *err, size_t errsz)
{
	FILE *fp;
	char line[BM_SPFZONE_LINE + 2];
	struct spfzone_rr *z = NULL;
	size_t n = 0, cap = 0;
	unsigned lineno = 0;
	int rc = -1;

	zone->rr = NULL;
	zone->n = 0;
	fp = fopen(path, "re");
	if (fp == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		size_t len = strlen(line);
		char *p, lerr[128];

		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(fp)) {
			snprintf(err, errsz, "%s:%u: line too long", path, lineno);
			goto out;
		}
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		p = line + strspn(line, " \t");
		if (*p == '\0' || *p == '#')
			continue;
		if (n == BM_SPFZONE_MAX) {
			snprintf(err, errsz, "%s:%u: more than %d records", path,
			         lineno, BM_SPFZONE_MAX);
			goto out;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			struct spfzone_rr *nz = realloc(z, ncap * sizeof(*z));
			if (nz == NULL) {
				snprintf(err, errsz, "%s: out of memory", path);
				goto out;
			}
			z = nz;
			cap = ncap;
		}
		if (spfzone_line(p, &z[n], lerr, sizeof(lerr)) != 0) {
			snprintf(err, errsz, "%s:%u: %s", path, lineno, lerr);
			goto out;
		}
		n++;
	}
	if (ferror(fp)) {
		snprintf(err, errsz, "%s: read error", path);
		goto out;
	}
	rc = 0;
out:
	fclose(fp);
	if (rc == 0) {
		zone->rr = z;
		zone->n = n;
	} else {
		spfzone_free_rr(z, n);
	}
	return rc;
}

void spfzone_free(struct spfzone *z)
{
	if (z == NULL)
		return;
	spfzone_free_rr(z->rr, z->n);
	z->rr = NULL;
	z->n = 0;
}
