/*
 * bounce-classify - classify bounce messages offline, with the same core
 * the milter uses.
 *
 * bounce-classify [-o tsv|json] [--explain] FILE|DIR...   ('-' reads standard input)
 *
 * One output row per recipient result (TSV with a header row, or one JSON
 * object per line).  The file column is the path as given, or for a file
 * found in a directory its name in that directory.  Directories are read non-recursively, in name order,
 * skipping dotfiles.  Each file is read whole in chunks; only the first
 * max_bytes (the milter's default) are parsed.  An unreadable file is
 * reported on stderr and the others are still processed; the exit status
 * is then 1.  The evidence columns (status_source, evidence, rule,
 * final_recipient) come after the older ones; --explain adds, under each
 * row, the evidence and the decision-table row that decided its class
 * (with -o json, an array "explain" inside the row's object).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classify/bounce.h"
#include "classify/classify.h"
#include "classify/evidence.h"
#include "mime/hdr.h"
#include "classify/reason.h"

#define CLI_CHUNK 65536

enum cli_format { CLI_TSV, CLI_JSON };

static const char *const cli_columns[] = {
	"file", "rcpt_index", "recipient", "status", "reason", "class", "action",
	"replycode", "kind", "diagnostic", "recogniser", "reporting_mta",
	"feedback_type", "smtp_command", "status_source", "evidence", "rule",
	"final_recipient", NULL,
};

#define CLI_NCOLUMNS 18
#define CLI_EXPLAIN_MAX 8192

static bool cli_explain;

static void
cli_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: bounce-classify [-o tsv|json] [--explain] FILE|DIR...\n"
	    "       bounce-classify -h | -V\n"
	    "Classify bounce messages; '-' reads standard input.\n"
	    "  -o tsv   tab-separated rows with a header row (default)\n"
	    "  -o json  one JSON object per line\n"
	    "  -x, --explain  under each row, the evidence and the rule that\n"
	    "           decided its class\n"
	    "  -h       this help\n"
	    "  -V       print the version\n");
}

/* Read a whole descriptor; keep at most `keep` bytes.  0 or -1 (errno). */
static int
cli_slurp(int fd, size_t keep, char **out, size_t *outlen)
{
	char chunk[CLI_CHUNK];
	char *data = NULL;
	size_t len = 0, alloc = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(data);
			return -1;
		}
		if (n == 0)
			break;
		if (len < keep) {
			size_t take = (size_t)n;

			if (take > keep - len)
				take = keep - len;
			if (len + take > alloc) {
				size_t na = alloc ? alloc : CLI_CHUNK;
				char *nd;

				while (na < len + take)
					na *= 2;
				if (na > keep)
					na = keep;
				nd = realloc(data, na);
				if (nd == NULL) {
					free(data);
					errno = ENOMEM;
					return -1;
				}
				data = nd;
				alloc = na;
			}
			memcpy(data + len, chunk, take);
			len += take;
		}
	}
	*out = data;
	*outlen = len;
	return 0;
}

/* A field as printed: hdr_sanitise() turns tabs, CR, LF and other control
 * characters into spaces and bytes that are not UTF-8 into '?', so TSV
 * columns stay aligned and JSON stays valid.  NULL when out of memory. */
static char *
cli_clean(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1);

	if (out != NULL)
		hdr_sanitise(s, n, out, n + 1);
	return out;
}

static void
cli_tsv_field(const char *s, bool last)
{
	char *c = cli_clean(s);

	fputs(c != NULL ? c : "", stdout);
	putchar(last ? '\n' : '\t');
	free(c);
}

static void
cli_json_string(const char *s)
{
	char *c = cli_clean(s);
	const char *p;

	putchar('"');
	for (p = c != NULL ? c : ""; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			putchar('\\');
		putchar(*p);
	}
	putchar('"');
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
cli_row(enum cli_format fmt, const char *file, size_t index,
        const struct bounce_result *res, const struct bounce_rcpt *r)
{
	char idx[32], code[16], groups[1024];
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
		if (i == 1 || (i == 7 && code[0] != '\0'))
			fputs(vals[i], stdout);
		else if (i == 7)
			fputs("null", stdout);
		else
			cli_json_string(vals[i]);
	}
	cli_explain_json(r);
	puts("}");
}

static int
cli_classify_fd(enum cli_format fmt, const char *name, int fd,
                const struct bounce_limits *lim)
{
	struct bounce_result res;
	char *data = NULL;
	size_t len = 0, i;

	if (cli_slurp(fd, lim->max_bytes, &data, &len) != 0) {
		fprintf(stderr, "bounce-classify: %s: %s\n", name, strerror(errno));
		return -1;
	}
	if (bounce_parse(data, len, lim, &res) != 0) {
		fprintf(stderr, "bounce-classify: %s: %s\n", name, strerror(ENOMEM));
		free(data);
		return -1;
	}
	if (res.kind == BOUNCE_KIND_NOT_BOUNCE || res.nrcpt == 0)
		cli_row(fmt, name, 0, &res, NULL);
	for (i = 0; i < res.nrcpt; i++)
		cli_row(fmt, name, i + 1, &res, &res.rcpt[i]);
	bounce_result_free(&res);
	free(data);
	return 0;
}

/* `name` is what the file column shows: the path as given, or the entry
 * name for a file found in a directory. */
static int
cli_classify_file(enum cli_format fmt, const char *path, const char *name,
                  const struct bounce_limits *lim)
{
	int fd, rc;

	if (strcmp(path, "-") == 0)
		return cli_classify_fd(fmt, "-", STDIN_FILENO, lim);
	fd = open(path, O_RDONLY | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "bounce-classify: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = cli_classify_fd(fmt, name, fd, lim);
	close(fd);
	return rc;
}

static int
cli_skip_dot(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int
cli_name_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
cli_classify_dir(enum cli_format fmt, const char *dir,
                 const struct bounce_limits *lim)
{
	struct dirent **names;
	int n, i, rc = 0;

	n = scandir(dir, &names, cli_skip_dot, cli_name_order);
	if (n < 0) {
		fprintf(stderr, "bounce-classify: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct stat st;
		size_t plen = strlen(dir) + strlen(names[i]->d_name) + 2;
		char *path = malloc(plen);

		if (path == NULL) {
			fprintf(stderr, "bounce-classify: %s: %s\n", dir, strerror(ENOMEM));
			rc = -1;
		} else {
			snprintf(path, plen, "%s/%s", dir, names[i]->d_name);
			if (stat(path, &st) != 0) {
				fprintf(stderr, "bounce-classify: %s: %s\n", path,
				        strerror(errno));
				rc = -1;
			} else if (S_ISREG(st.st_mode) &&
			           cli_classify_file(fmt, path, names[i]->d_name,
			                             lim) != 0) {
				rc = -1;
			}
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	enum cli_format fmt = CLI_TSV;
	struct bounce_limits lim;
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
				fmt = CLI_TSV;
			else if (strcmp(optarg, "json") == 0)
				fmt = CLI_JSON;
			else {
				fprintf(stderr, "bounce-classify: unknown output format "
				        "'%s' (tsv or json)\n", optarg);
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
	bounce_limits_default(&lim);
	if (fmt == CLI_TSV)
		for (i = 0; cli_columns[i] != NULL; i++)
			cli_tsv_field(cli_columns[i], cli_columns[i + 1] == NULL);
	for (i = optind; i < argc; i++) {
		struct stat st;

		if (strcmp(argv[i], "-") != 0 && stat(argv[i], &st) == 0 &&
		    S_ISDIR(st.st_mode)) {
			if (cli_classify_dir(fmt, argv[i], &lim) != 0)
				status = 1;
		} else if (cli_classify_file(fmt, argv[i], argv[i], &lim) != 0) {
			status = 1;
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "bounce-classify: standard output: %s\n", strerror(errno));
		status = 1;
	}
	return status;
}
