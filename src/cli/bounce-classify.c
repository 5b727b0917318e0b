/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bounce-classify - classify bounce messages offline, with the same classifier
 * the milter uses.
 *
 * bounce-classify [-o tsv|json|sisimai] [--explain] FILE|DIR...
 *                                                  ('-' reads standard input)
 *
 * One output row per recipient result (TSV with a header row, or one JSON
 * object per line; -o sisimai: one JSON array of Sisimai-shaped records,
 * cli_sisimai.h).  Inputs are single messages, mbox files (one row set per
 * message, numbered in the `message` column) and directory trees such as
 * Maildirs, walked recursively (cli_input.h).  The file column is the path
 * as given, or for a file found in a directory its path below that
 * directory.  Only the first max_bytes (the milter's default) of each
 * message are parsed.  An unreadable file is reported on stderr and the
 * others are still processed; the exit status is then 1.  The evidence
 * columns (status_source, evidence, rule, final_recipient) come after the
 * older ones, then remote_mta, original_recipient, date, message_id and
 * message; --explain adds, under each row, the evidence and the
 * decision-table row that decided its class (with -o json, an array
 * "explain" inside the row's object).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify/bounce.h"
#include "classify/classify.h"
#include "classify/evidence.h"
#include "classify/reason.h"
#include "cli/cli_input.h"
#include "cli/cli_json.h"
#include "cli/cli_sisimai.h"
#include "mime/mime_date.h"

enum cli_format { CLI_TSV, CLI_JSON, CLI_SISIMAI };

static const char *const cli_columns[] = {
	"file", "rcpt_index", "recipient", "status", "reason", "class", "action",
	"replycode", "kind", "diagnostic", "recogniser", "reporting_mta",
	"feedback_type", "smtp_command", "status_source", "evidence", "rule",
	"final_recipient",
	/* issue 12: what the parser had but did not print, and mbox numbers */
	"remote_mta", "original_recipient", "date", "message_id", "message",
	NULL,
};

#define CLI_NCOLUMNS 23
#define CLI_EXPLAIN_MAX 8192

static bool cli_explain;

static void
cli_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: bounce-classify [-o tsv|json|sisimai] [--explain] FILE|MBOX|DIR...\n"
	    "       bounce-classify -h | -V\n"
	    "Classify bounce messages (files, mbox files, Maildir trees);\n"
	    "'-' reads standard input.\n"
	    "  -o tsv   tab-separated rows with a header row (default)\n"
	    "  -o json  one JSON object per line\n"
	    "  -o sisimai  a JSON array of records with Sisimai's field names\n"
	    "  -x, --explain  under each row, the evidence and the rule that\n"
	    "           decided its class\n"
	    "  -h       this help\n"
	    "  -V       print the version\n");
}

static void
cli_tsv_field(const char *s, bool last)
{
	char *c = cli_clean(s);

	fputs(c != NULL ? c : "", stdout);
	putchar(last ? '\n' : '\t');
	free(c);
}

/* --explain: the evidence of a failed record, indented under its row. */
static void
cli_explain_row(const struct bounce_rcpt *r)
{
	char *text;

	if (!cli_explain || r == NULL)
		return;
	text = malloc(CLI_EXPLAIN_MAX);
	if (text == NULL)
		return;
	(void)evidence_explain(r, text, CLI_EXPLAIN_MAX);
	fputs(text, stdout);
	free(text);
}

/* --explain with -o json: the same lines as an array "explain" of
 * strings, inside the row's object (one object per line stays valid). */
static void
cli_explain_json(const struct bounce_rcpt *r)
{
	char *text, *line, *next;
	bool first = true;

	if (!cli_explain || r == NULL)
		return;
	text = malloc(CLI_EXPLAIN_MAX);
	if (text == NULL)
		return;
	(void)evidence_explain(r, text, CLI_EXPLAIN_MAX);
	fputs(",\"explain\":[", stdout);
	for (line = text; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		while (*line == ' ')
			line++;
		if (*line == '\0')
			continue;
		if (!first)
			putchar(',');
		first = false;
		cli_json_string(line);
	}
	putchar(']');
	free(text);
}

static void
cli_row(enum cli_format fmt, const char *file, size_t msgno, size_t index,
        const struct bounce_result *res, const struct bounce_rcpt *r)
{
	char idx[32], code[16], groups[1024], msg[32], date[MIME_DATE_RFC3339_MAX] = "";
	const char *vals[CLI_NCOLUMNS];
	size_t i;

	snprintf(idx, sizeof(idx), "%zu", index);
	code[0] = '\0';
	if (r != NULL && r->replycode > 0)
		snprintf(code, sizeof(code), "%d", r->replycode);
	vals[0] = file;
	vals[1] = idx;
	vals[2] = r ? r->recipient : "";
	vals[3] = r ? r->status : "";
	vals[4] = r ? reason_name(r->reason) : "";
	vals[5] = bm_class_name(r ? r->cls : res->cls);
	vals[6] = r ? r->action : "";
	vals[7] = code;
	vals[8] = bounce_kind_name(res->kind);
	vals[9] = r ? r->diagnostic : "";
	vals[10] = res->recogniser;
	vals[11] = r && r->reporting_mta[0] ? r->reporting_mta : res->reporting_mta;
	vals[12] = r && r->feedback_type[0] ? r->feedback_type : res->feedback_type;
	vals[13] = r ? r->smtp_command : "";
	groups[0] = '\0';
	if (r != NULL)
		(void)evidence_groups(r->ev.groups | r->ev.notice_groups, groups,
		                      sizeof(groups));
	vals[14] = r ? evidence_status_source(r->ev.status_src) : "";
	vals[15] = groups;
	vals[16] = r ? evidence_rule(r) : "";
	vals[17] = r ? r->final_recipient : "";
	snprintf(msg, sizeof(msg), "%zu", msgno);
	vals[18] = r ? r->remote_mta : "";
	vals[19] = r ? r->original_recipient : "";
	if (res->has_date)
		(void)mime_date_rfc3339(res->timestamp, date);
	vals[20] = date;
	vals[21] = res->message_id;
	vals[22] = msg;
	if (fmt == CLI_TSV) {
		for (i = 0; i < CLI_NCOLUMNS; i++)
			cli_tsv_field(vals[i], i == CLI_NCOLUMNS - 1);
		cli_explain_row(r);
		return;
	}
	putchar('{');
	for (i = 0; i < CLI_NCOLUMNS; i++) {
		if (i > 0)
			putchar(',');
		cli_json_string(cli_columns[i]);
		putchar(':');
		if (i == 1 || i == 22 || (i == 7 && code[0] != '\0'))
			fputs(vals[i], stdout);
		else if (i == 7)
			fputs("null", stdout);
		else
			cli_json_string(vals[i]);
	}
	cli_explain_json(r);
	puts("}");
}

struct cli_run {
	enum cli_format fmt;
	struct bounce_limits lim;
};

/* One message from cli_input_path(). */
static int
cli_message(void *arg, const char *name, size_t msgno, const char *data,
            size_t len)
{
	const struct cli_run *run = arg;
	struct bounce_result res;
	size_t i;

	if (bounce_parse(data, len, &run->lim, &res) != 0) {
		fprintf(stderr, "bounce-classify: %s: %s\n", name, strerror(ENOMEM));
		return -1;
	}
	if (run->fmt == CLI_SISIMAI) {
		for (i = 0; i < res.nrcpt; i++)
			if (cli_sisimai_wants(&res, &res.rcpt[i]))
				cli_sisimai_row(name, &res, &res.rcpt[i]);
		bounce_result_free(&res);
		return 0;
	}
	if (res.kind == BOUNCE_KIND_NOT_BOUNCE || res.nrcpt == 0)
		cli_row(run->fmt, name, msgno, 0, &res, NULL);
	for (i = 0; i < res.nrcpt; i++)
		cli_row(run->fmt, name, msgno, i + 1, &res, &res.rcpt[i]);
	bounce_result_free(&res);
	return 0;
}

int
main(int argc, char **argv)
{
	struct cli_run run = { .fmt = CLI_TSV };
	int c, i, status = 0;
	static const struct option longopts[] = {
		{ "explain", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	while ((c = getopt_long(argc, argv, "ho:Vx", longopts, NULL)) != -1) {
		switch (c) {
		case 'x':
			cli_explain = true;
			break;
		case 'h':
			cli_usage(stdout);
			return 0;
		case 'V':
			printf("bounce-classify (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return 0;
		case 'o':
			if (strcmp(optarg, "tsv") == 0)
				run.fmt = CLI_TSV;
			else if (strcmp(optarg, "json") == 0)
				run.fmt = CLI_JSON;
			else if (strcmp(optarg, "sisimai") == 0)
				run.fmt = CLI_SISIMAI;
			else {
				fprintf(stderr, "bounce-classify: unknown output format "
				        "'%s' (tsv, json or sisimai)\n", optarg);
				return 2;
			}
			break;
		default:
			cli_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		cli_usage(stderr);
		return 2;
	}
	bounce_limits_default(&run.lim);
	if (run.fmt == CLI_TSV)
		for (i = 0; cli_columns[i] != NULL; i++)
			cli_tsv_field(cli_columns[i], cli_columns[i + 1] == NULL);
	if (run.fmt == CLI_SISIMAI)
		cli_sisimai_begin();
	for (i = optind; i < argc; i++)
		if (cli_input_path(argv[i], run.lim.max_bytes, cli_message, &run) != 0)
			status = 1;
	if (run.fmt == CLI_SISIMAI)
		cli_sisimai_end();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "bounce-classify: standard output: %s\n", strerror(errno));
		status = 1;
	}
	return status;
}
