/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * common.c - shapes shared by the MTA recognisers (see common.h).
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "classify/addr.h"
#include "classify/analysis.h"
#include "classify/dsn.h"
#include "mime/mime.h"
#include "classify/recog.h"
#include "classify/result.h"
#include "classify/smtpcmd.h"
#include "classify/status.h"
#include "util/tcache.h"
#include "util/text.h"
#include "classify/recognisers/common.h"

#define COMMON_HEAD_INDENT_MAX 8

bool
common_find_any(const char *s, size_t len, const char *const *phrases,
                size_t *start, size_t *end)
{
	const char *best = NULL;
	size_t best_len = 0, i;

	if (s == NULL || phrases == NULL)
		return false;
	for (i = 0; phrases[i] != NULL; i++) {
		size_t plen = strlen(phrases[i]), span;
		/* a match with CRLF line ends is up to twice the phrase */
		size_t lim = best ? (size_t)(best - s) + 2 * plen : len;
		const char *p;

		if (lim > len)
			lim = len;
		p = text_findn_span(s, lim, phrases[i], plen, &span);
		if (p != NULL && (best == NULL || p < best)) {
			best = p;
			best_len = span;
		}
	}
	if (best == NULL)
		return false;
	if (start != NULL)
		*start = (size_t)(best - s);
	if (end != NULL)
		*end = (size_t)(best - s) + best_len;
	return true;
}

/* A list's per-thread index of its phrases of at least the window;
 * `direct` when some are shorter (searched one by one), `ok` false when a
 * phrase does not fit otherwise (the list is searched phrase by phrase). */
struct common_list {
	const char *const *phrases;
	bool ok, direct;
	struct phrasescan scan;
};

/* The shortest window of a list's index: a window of w bytes lets the
 * scan skip at most w - 2 bytes a step, so a phrase shorter than this is
 * cheaper to search alone ("MX " among Exim's reason words). */
#define COMMON_LIST_WINDOW_MIN 4  /* measured best of 3-5 */

/* This thread's indexed lists (tcache.h: about 50 KB, on the heap). */
struct common_lists {
	size_t n;
	struct common_list list[COMMON_LISTS_MAX];
};

bool
common_has_any_indexed(const char *s, size_t len, const char *const *phrases)
{
	struct common_lists *t;
	struct common_list *l = NULL;
	uint64_t hits[PHRASESCAN_WORDS];
	size_t i, w;

	if (s == NULL || phrases == NULL)
		return false;
	t = tcache_get(TCACHE_COMMON_LISTS, sizeof(*t));
	if (t == NULL)
		return text_find_any(s, len, phrases);
	for (i = 0; i < t->n; i++)
		if (t->list[i].phrases == phrases) {
			l = &t->list[i];
			break;
		}
	if (l == NULL) {
		if (t->n >= COMMON_LISTS_MAX)
			return text_find_any(s, len, phrases);
		l = &t->list[t->n++];
		l->phrases = phrases;
		w = SIZE_MAX;
		for (i = 0; phrases[i] != NULL; i++)
			if (strlen(phrases[i]) >= COMMON_LIST_WINDOW_MIN &&
			    strlen(phrases[i]) < w)
				w = strlen(phrases[i]);
		phrasescan_init(&l->scan, w == SIZE_MAX ? 3 : w);
		l->ok = true;
		l->direct = false;
		for (i = 0; phrases[i] != NULL && l->ok; i++) {
			if (strlen(phrases[i]) < l->scan.window)
				l->direct = true;
			else
				l->ok = phrasescan_add(&l->scan, phrases[i]) >= 0;
		}
	}
	if (!l->ok)
		return text_find_any(s, len, phrases);
	if (l->direct)
		for (i = 0; phrases[i] != NULL; i++)
			if (strlen(phrases[i]) < l->scan.window &&
			    text_find(s, len, phrases[i]) != NULL)
				return true;
	if (l->scan.n == 0)
		return false;
	phrasescan_run(&l->scan, s, len, hits);
	for (i = 0; i < PHRASESCAN_WORDS; i++)
		if (hits[i] != 0)
			return true;
	return false;
}

size_t
common_until_either(const char *s, size_t len, const char *const *markers,
                    const char *const *more)
{
	size_t pos = 0, at = 0, i;
	const char *line;
	size_t line_len;

	while (at = pos, text_next_line(s, len, &pos, &line, &line_len)) {
		text_trim(&line, &line_len);
		if (line_len == 0)
			continue;
		for (i = 0; markers[i] != NULL; i++)
			if (text_starts(line, line_len, markers[i]))
				return at;
		for (i = 0; more != NULL && more[i] != NULL; i++)
			if (text_starts(line, line_len, more[i]))
				return at;
	}
	return len;
}

size_t
common_until_line(const char *s, size_t len, const char *const *markers)
{
	return common_until_either(s, len, markers, NULL);
}

enum bm_reason
common_reason(const struct common_phrase *tab, const char *s, size_t len)
{
	size_t i;

	if (s == NULL || tab == NULL)
		return BM_REASON_UNDEFINED;
	for (i = 0; tab[i].phrase != NULL; i++)
		if (text_find(s, len, tab[i].phrase) != NULL)
			return tab[i].reason;
	return BM_REASON_UNDEFINED;
}

const char *
common_header(const struct recog_ctx *ctx, const char *name, size_t *len)
{
	if (ctx == NULL || ctx->msg == NULL)
		return NULL;
	return mime_header(ctx->msg, 0, name, len);
}

/* Columns of leading white space (a tab counts as 8); -1 for a blank line. */
static int
common_indent(const char *line, size_t len)
{
	size_t i;
	int col = 0;

	for (i = 0; i < len; i++) {
		if (line[i] == ' ')
			col++;
		else if (line[i] == '\t')
			col += 8;
		else if (line[i] == '\r')
			continue;
		else
			return col > 1000 ? 1000 : col;
	}
	return -1;
}

/* How a block shape tells its lines apart.  is_head() says whether a line
 * opens a block (and gives the head's indentation); in_body() whether a
 * following line still belongs to it. */
struct common_shape {
	bool (*is_head)(const char *line, size_t len, int *ind);
	bool (*in_body)(const char *line, size_t len, int head_ind);
};

static bool
common_next_block(const char *s, size_t len, size_t *pos,
                  struct common_block *b, const struct common_shape *shape)
{
	const char *line;
	size_t line_len;

	while (text_next_line(s, len, pos, &line, &line_len)) {
		size_t body_start = *pos, body_end = *pos, peek = *pos;
		const char *next;
		size_t next_len;
		int ind = 0;

		if (!shape->is_head(line, line_len, &ind))
			continue;
		while (text_next_line(s, len, &peek, &next, &next_len) &&
		       shape->in_body(next, next_len, ind))
			body_end = peek;
		b->head = line;
		b->head_len = line_len;
		text_trim(&b->head, &b->head_len);
		b->body = s + body_start;
		b->body_len = body_end - body_start;
		*pos = body_end;
		return true;
	}
	return false;
}

/* Indented shape (Exim): head indented 1-8 columns, body deeper. */
static bool
common_indented_head(const char *line, size_t len, int *ind)
{
	*ind = common_indent(line, len);
	return *ind >= 1 && *ind <= COMMON_HEAD_INDENT_MAX;
}

static bool
common_indented_body(const char *line, size_t len, int head_ind)
{
	return common_indent(line, len) > head_ind;
}

static const struct common_shape common_indented_shape = {
	common_indented_head, common_indented_body
};

bool
common_next_indented(const char *s, size_t len, size_t *pos,
                     struct common_block *b)
{
	return common_next_block(s, len, pos, b, &common_indented_shape);
}

size_t
common_angle_end(const char *line, size_t len)
{
	const char *gt;

	if (len < 5 || line[0] != '<')
		return 0;
	gt = memchr(line, '>', len);
	if (gt == NULL || memchr(line, '@', (size_t)(gt - line)) == NULL)
		return 0;
	return (size_t)(gt - line) + 1;
}

/* "<...@...>:" at the very start of a line, optionally followed by text. */
static bool
common_angle_head(const char *line, size_t len, int *ind)
{
	size_t end = common_angle_end(line, len);

	*ind = 0;
	return end > 0 && end < len && line[end] == ':';
}

/* "a@b:" alone on a line, at its very start. */
static bool
common_colon_head(const char *line, size_t len, int *ind)
{
	char addr[BM_ADDR_MAX];
	const char *rest;
	size_t rest_len;

	*ind = 0;
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\r'))
		len--;
	if (len < 4 || line[len - 1] != ':' || line[0] == ' ' ||
	    line[0] == '\t' || memchr(line, '@', len) == NULL)
		return false;
	return common_head_addr(line, len, addr, sizeof(addr), &rest,
	                        &rest_len) == 0 && rest_len == 0;
}

/* A paragraph: up to a blank line or the next head. */
static bool
common_angle_body(const char *line, size_t len, int head_ind)
{
	int ind;

	(void)head_ind;
	return common_indent(line, len) >= 0 && !common_angle_head(line, len, &ind);
}

static bool
common_colon_body(const char *line, size_t len, int head_ind)
{
	int ind;

	(void)head_ind;
	return common_indent(line, len) >= 0 && !common_colon_head(line, len, &ind);
}

static const struct common_shape common_angle_shape = {
	common_angle_head, common_angle_body
};

static const struct common_shape common_colon_shape = {
	common_colon_head, common_colon_body
};

bool
common_next_angle(const char *s, size_t len, size_t *pos,
                  struct common_block *b)
{
	return common_next_block(s, len, pos, b, &common_angle_shape);
}

bool
common_next_colon(const char *s, size_t len, size_t *pos,
                  struct common_block *b)
{
	return common_next_block(s, len, pos, b, &common_colon_shape);
}

int
common_head_addr(const char *head, size_t len, char *out, size_t outsz,
                 const char **rest, size_t *rest_len)
{
	size_t tok = 0, after;

	text_trim(&head, &len);
	if (len == 0)
		return -1;
	if (head[0] == '<') {
		const char *gt = memchr(head, '>', len);

		if (gt == NULL)
			return -1;
		tok = (size_t)(gt - head) + 1;
	} else {
		while (tok < len && head[tok] != ' ' && head[tok] != '\t')
			tok++;
	}
	after = tok;
	while (tok > 0 && (head[tok - 1] == ':' || head[tok - 1] == ',' ||
	                   head[tok - 1] == ';'))
		tok--;
	if (addr_normalise(head, tok, out, outsz, false) != 0)
		return -1;
	while (after < len && (head[after] == ':' || head[after] == ' ' ||
	                       head[after] == '\t'))
		after++;
	if (rest != NULL)
		*rest = head + after;
	if (rest_len != NULL)
		*rest_len = len - after;
	return 0;
}

size_t
common_join(const char *s, size_t len, const char *const *skip, char *out,
            size_t outsz)
{
	size_t pos = 0, n = 0, i;
	const char *line;
	size_t line_len;

	if (outsz == 0)
		return 0;
	out[0] = '\0';
	while (text_next_line(s, len, &pos, &line, &line_len)) {
		bool drop = false;

		text_trim(&line, &line_len);
		if (line_len == 0)
			continue;
		for (i = 0; skip != NULL && skip[i] != NULL; i++)
			if (text_starts(line, line_len, skip[i]))
				drop = true;
		if (drop)
			continue;
		if (n > 0 && n + 1 < outsz)
			out[n++] = ' ';
		n += text_collapse(line, line_len, out + n, outsz - n);
		if (n + 1 >= outsz)
			break;
	}
	out[n < outsz ? n : outsz - 1] = '\0';
	return n < outsz ? n : outsz - 1;
}

struct bounce_rcpt *
common_rcpt(struct bounce_result *res, const struct bounce_limits *lim,
            const char *addr, size_t addr_len)
{
	char norm[BM_ADDR_MAX];
	struct bounce_rcpt *r;

	if (addr == NULL || addr_normalise(addr, addr_len, norm, sizeof(norm),
	                                   false) != 0)
		return NULL;
	r = result_find_rcpt(res, norm);
	if (r != NULL)
		return r;
	r = result_add_rcpt(res, lim);
	if (r == NULL)
		return NULL;
	memcpy(r->recipient, norm, strlen(norm) + 1);
	return r;
}

/* result_set_str(dst, dstsz, src, len).  The diagnostics the recognisers
 * pass are mostly collapsed already (common_join(), text_collapse()):
 * when src is (no control byte, no white space but single spaces between
 * words) and fits, collapsing it again would copy it unchanged, and a
 * check of the bytes costs less than the collapse.  true when dst holds
 * src[0..len) as it is (known only on that fast path). */
static bool
common_set_diag(char *dst, size_t dstsz, const char *src, size_t len)
{
	const unsigned char *u = (const unsigned char *)src;
	size_t i;

	if (len == 0 || len >= dstsz || u[0] == ' ' || u[len - 1] == ' ') {
		result_set_str(dst, dstsz, src, len);
		return false;
	}
	for (i = 0; i < len; i++) {
		if (u[i] > 0x20 && u[i] != 0x7f)
			continue;
		/* i + 1 < len: the last byte is no space */
		if (u[i] != ' ' || u[i + 1] == ' ') {
			result_set_str(dst, dstsz, src, len);
			return false;
		}
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
	return true;
}

/* common_fill_more(); `same` when r->diagnostic is diag[0..len) as it is,
 * so that the record's own reading of its command (analysis.h) serves the
 * command pass and classify as well. */
static void
common_fill_tail(struct bounce_rcpt *r, const char *diag, size_t len,
                 const char *action, bool same)
{
	/* smtpcmd_store() never overwrites: look only when it would store */
	if (r->smtp_command[0] == '\0' && diag != NULL && len > 0)
		(void)smtpcmd_store(r->smtp_command, sizeof(r->smtp_command),
		                    same ? analysis_diag_command(r) :
		                    smtpcmd_find(diag, len));
	if (r->action[0] == '\0' && action != NULL)
		result_set_str(r->action, sizeof(r->action), action,
		               strlen(action));
}

void
common_fill(struct bounce_rcpt *r, const char *diag, size_t len,
            const char *action)
{
	bool same = false;

	if (r == NULL)
		return;
	if (r->diagnostic[0] == '\0' && diag != NULL && len > 0) {
		same = common_set_diag(r->diagnostic, sizeof(r->diagnostic),
		                       diag, len);
		analysis_diag_forget(r);
	}
	if ((r->status[0] == '\0' || r->replycode == 0) && r->diagnostic[0]) {
		char st[BM_STATUS_MAX];
		int code = 0;

		st[0] = '\0';
		if (analysis_diag_status(r, st, sizeof(st), &code)) {
			if (r->status[0] == '\0')
				memcpy(r->status, st, strlen(st) + 1);
			if (r->replycode == 0)
				r->replycode = code;
		}
	}
	if (r->remote_mta[0] == '\0' && r->diagnostic[0])
		common_remote_mta(r->diagnostic, strlen(r->diagnostic),
		                  r->remote_mta, sizeof(r->remote_mta));
	common_fill_tail(r, diag, len, action, same);
}

void
common_fill_more(struct bounce_rcpt *r, const char *diag, size_t len,
                 const char *action)
{
	common_fill_tail(r, diag, len, action, false);
}

/* Where a diagnostic names the remote host: the phrase before the name and
 * the characters that end the name. */
struct common_rhost {
	const char *before;
	const char *stops;
	bool host;          /* `before` contains COMMON_RHOST_WORD */
};

/* A word two of the phrases contain: a text without it holds neither,
 * which one search says (most diagnostics name no host). */
#define COMMON_RHOST_WORD "host "

static const struct common_rhost common_rhosts[] = {
	{ "remote host ", " :[],", true },
	{ "while talking to ", " :", false },
	{ "Connected to ", " :,", false },
	{ "SMTP Server <", "> ", false },
	{ "Giving up on ", " :,", false },
	{ "host ", " :[],", true },
	{ NULL, NULL, false }
};

static bool
common_hostchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
	       c == ':';
}

/* text_find() of a phrase that starts a word (not "localhost " for "host "). */
static const char *
common_word_find(const char *s, size_t len, const char *phrase)
{
	size_t at = 0;

	while (at < len) {
		const char *p = text_find(s + at, len - at, phrase);

		if (p == NULL)
			return NULL;
		if (p == s || !common_hostchar((unsigned char)p[-1]))
			return p;
		at = (size_t)(p - s) + 1;
	}
	return NULL;
}

void
common_remote_mta(const char *s, size_t len, char *out, size_t outsz)
{
	size_t i;
	bool host;

	if (outsz == 0)
		return;
	out[0] = '\0';
	host = text_find(s, len, COMMON_RHOST_WORD) != NULL;
	for (i = 0; common_rhosts[i].before != NULL; i++) {
		const char *p = common_rhosts[i].host && !host ? NULL :
		                common_word_find(s, len, common_rhosts[i].before);
		size_t n = 0, at, dots = 0;

		if (p == NULL)
			continue;
		at = (size_t)(p - s) + strlen(common_rhosts[i].before);
		while (at + n < len &&
		       strchr(common_rhosts[i].stops, s[at + n]) == NULL) {
			if (!common_hostchar((unsigned char)s[at + n]))
				break;
			if (s[at + n] == '.')
				dots++;
			n++;
		}
		/* a host name or address ends at a stop and has a dot */
		if (at + n < len &&
		    strchr(common_rhosts[i].stops, s[at + n]) == NULL)
			continue;
		while (n > 0 && s[at + n - 1] == '.') {
			n--;
			dots--;
		}
		if (n == 0 || dots == 0 || n >= outsz)
			continue;
		text_lower_copy(s + at, n, out, outsz);
		return;
	}
}

size_t
common_rcpts_from_header(const struct recog_ctx *ctx,
                         struct bounce_result *res, const char *name,
                         const char *action)
{
	const char *v;
	size_t vlen = 0, i = 0, n = 0;

	v = common_header(ctx, name, &vlen);
	if (v == NULL)
		return 0;
	while (i < vlen) {
		size_t j = i;
		struct bounce_rcpt *r;

		while (j < vlen && v[j] != ',')
			j++;
		r = common_rcpt(res, ctx->lim, v + i, j - i);
		if (r != NULL) {
			n++;
			common_fill(r, NULL, 0, action);
		}
		i = j + 1;
	}
	return n;
}

static const char *const common_dsn_fields[] = {
	"Reporting-MTA:", "Final-Recipient:", NULL
};

static const char *const common_dsn_end[] = {
	"--", "Content-Type:", "Return-Path:", "Received:", NULL
};

/* Offset of the first DSN field that starts a line, or len. */
static size_t
common_dsn_start(const char *s, size_t len)
{
	size_t pos = 0, at = 0, i;
	const char *line;
	size_t line_len;

	while (at = pos, text_next_line(s, len, &pos, &line, &line_len))
		for (i = 0; common_dsn_fields[i] != NULL; i++)
			if (text_starts(line, line_len, common_dsn_fields[i]))
				return at;
	return len;
}

size_t
common_dsn_text(const struct recog_ctx *ctx, struct bounce_result *res)
{
	size_t start, stop, i, n = 0;
	const char *s;
	struct bounce_result tmp;

	if (ctx->text == NULL)
		return 0;
	start = common_dsn_start(ctx->text, ctx->text_len);
	if (start >= ctx->text_len)
		return 0;
	s = ctx->text + start;
	/* the block runs to a boundary or to the returned headers */
	stop = 1 + common_until_line(s + 1, ctx->text_len - start - 1,
	                             common_dsn_end);
	memset(&tmp, 0, sizeof(tmp));
	(void)dsn_parse(s, stop, ctx->lim, &tmp);
	for (i = 0; i < tmp.nrcpt; i++) {
		const struct bounce_rcpt *d = &tmp.rcpt[i];
		struct bounce_rcpt *r = common_rcpt(res, ctx->lim, d->recipient,
		                                    strlen(d->recipient));

		if (r == NULL)
			continue;
		n++;
		/* the status block is authoritative for status and action */
		if (d->status[0] != '\0')
			memcpy(r->status, d->status, sizeof(r->status));
		if (d->action[0] != '\0')
			memcpy(r->action, d->action, sizeof(r->action));
		if (r->replycode == 0)
			r->replycode = d->replycode;
		if (r->diagnostic[0] == '\0') {
			memcpy(r->diagnostic, d->diagnostic,
			       sizeof(r->diagnostic));
			r->diag_read = d->diag_read;   /* the same text */
		}
		if (r->remote_mta[0] == '\0')
			memcpy(r->remote_mta, d->remote_mta,
			       sizeof(r->remote_mta));
		if (r->reporting_mta[0] == '\0')
			memcpy(r->reporting_mta, d->reporting_mta,
			       sizeof(r->reporting_mta));
		if (r->original_recipient[0] == '\0')
			memcpy(r->original_recipient, d->original_recipient,
			       sizeof(r->original_recipient));
		if (r->smtp_command[0] == '\0')
			memcpy(r->smtp_command, d->smtp_command,
			       sizeof(r->smtp_command));
	}
	bounce_result_free(&tmp);
	return n;
}
