/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * smtpcmd.c - which SMTP command a remote server's failure answered
 * (see smtpcmd.h).
 *
 * Two readers answer in the same command names.  The transcript reader
 * (here) follows ">>> command" / "<<< reply" pairs (sendmail, Courier,
 * and the same pairs collapsed into one diagnostic line); replies are
 * matched to commands in order, so a pipelined session ("MAIL, RCPT,
 * DATA, then three replies") is read right.  The phrase reader
 * (smtpcmd_phrase.c) looks for the MTAs' own wording in the text as
 * folded.  This file picks the span it reads: a whole diagnostic, or for
 * one recipient the window after each occurrence of its address, read in
 * the raw text in place; it folds into a buffer only where the raw bytes
 * cannot stand for the folded ones (a cut at a folded length).
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "classify/smtpcmd.h"
#include "classify/smtpcmd_phrase.h"
#include "util/swar.h"
#include "util/text.h"

/* Bytes of a diagnostic, and of a notification text, looked at. */
#define SMTPCMD_SPAN_MAX 4096
#define SMTPCMD_TEXT_MAX (64u * 1024)
/* Folded bytes after an address that its window may cover. */
#define SMTPCMD_WINDOW_MAX 2048
/* Occurrences of one address looked at. */
#define SMTPCMD_OCCUR_MAX 16
/* Commands sent and not yet answered (pipelining). */
#define SMTPCMD_QUEUE_MAX 8

static const char *const smtpcmd_names[SMTPCMD_COUNT] = {
	[SMTPCMD_NONE] = "",
	[SMTPCMD_CONN] = "CONN",
	[SMTPCMD_HELO] = "HELO",
	[SMTPCMD_MAIL] = "MAIL",
	[SMTPCMD_RCPT] = "RCPT",
	[SMTPCMD_DATA] = "DATA",
};


/* Command words as a transcript sends them (after ">>> "). */
static const struct {
	const char *word;
	enum smtpcmd cmd;
} smtpcmd_words[] = {
	{ "rcpt", SMTPCMD_RCPT }, { "mail", SMTPCMD_MAIL },
	{ "data", SMTPCMD_DATA }, { "bdat", SMTPCMD_DATA },
	{ ".", SMTPCMD_DATA }, { "ehlo", SMTPCMD_HELO },
	{ "helo", SMTPCMD_HELO }, { "lhlo", SMTPCMD_HELO },
	{ "starttls", SMTPCMD_HELO }, { "auth", SMTPCMD_HELO },
};

const char *smtpcmd_name(enum smtpcmd c)
{
	if ((int)c < 0 || c >= SMTPCMD_COUNT)
		return "";
	return smtpcmd_names[c];
}

enum smtpcmd smtpcmd_from_name(const char *name)
{
	int i;

	if (name == NULL || name[0] == '\0')
		return SMTPCMD_NONE;
	for (i = 1; i < SMTPCMD_COUNT; i++)
		if (strcasecmp(smtpcmd_names[i], name) == 0)
			return (enum smtpcmd)i;
	return SMTPCMD_NONE;
}

bool smtpcmd_store(char *dst, size_t dstsz, enum smtpcmd c)
{
	const char *n = smtpcmd_name(c);
	size_t len = strlen(n);

	if (dst == NULL || dstsz == 0 || dst[0] != '\0' || len == 0 ||
	    len >= dstsz)
		return false;
	memcpy(dst, n, len + 1);
	return true;
}

/* ------------------------------------------------------------ transcripts */

static bool smtpcmd_no_space(const char *s, size_t len);

struct smtpcmd_sent {
	enum smtpcmd cmd;
	bool names_addr;
};

struct smtpcmd_transcript {
	const char *addr;             /* NULL or "": any reply counts */
	size_t addr_len;
	size_t addr_at;               /* where its '@' is; addr_len: none */
	bool addr_plain;              /* no white space or control byte */
	struct smtpcmd_sent queue[SMTPCMD_QUEUE_MAX];
	size_t nqueue;
	struct smtpcmd_sent last;     /* the command last answered */
	enum smtpcmd hit;             /* first failure about addr */
	enum smtpcmd any;             /* first failure at all */
	bool data_fail;               /* the last reply read failed a DATA */
	/* line mode: a DATA failure that names no address is this address's
	 * when the address line nearest it (the last one before its session,
	 * else the first one after the failure) names it */
	bool prev_ours;               /* last address line before it was ours */
	bool pending;                 /* waiting for the next address line
	                                 or the end of the block */
	bool data_hit;
};

/* c[0..n) and a[0..n) are the same, ASCII case ignored; no byte of a is
 * white space or control, so none folds to another's fold but its own. */
static bool smtpcmd_same_addr(const unsigned char *c, const char *a,
                              size_t n)
{
	const unsigned char *map = smtpcmd_phrase_fold_map();
	size_t k = 0;

	for (; k + 8 <= n; k += 8) {
		uint64_t x = swar_load(c + k), y = swar_load(a + k);

		if (x != y && swar_ascii_lower(x) != swar_ascii_lower(y))
			return false;
	}
	for (; k < n; k++)
		if (map[c[k]] != map[(unsigned char)a[k]])
			return false;
	return true;
}

/* The first occurrence of addr[0..alen) in s[from..len), ASCII case
 * ignored, or len; addr holds '@' at at and no white space or control
 * byte (smtpcmd_no_space()).  It finds what text_findn() finds, anchored
 * on the '@', which is rare in text: memchr() finds each candidate. */
static size_t smtpcmd_find_addr(const char *s, size_t len, size_t from,
                                const char *addr, size_t alen, size_t at)
{
	size_t i = from + at;

	if (from > len || len - from < alen)
		return len;
	/* the '@' of a match that ends by len lies at len - alen + at at most */
	while (i <= len - alen + at) {
		const char *p = memchr(s + i, '@', len - alen + at - i + 1);
		const unsigned char *c;

		if (p == NULL)
			break;
		i = (size_t)(p - s);
		c = (const unsigned char *)s + (i - at);
		if (smtpcmd_same_addr(c, addr, alen))   /* as text_findn() */
			return i - at;
		i++;
	}
	return len;
}

static bool smtpcmd_names_addr(const struct smtpcmd_transcript *t,
                               const char *s, size_t len)
{
	if (t->addr_len == 0)
		return false;
	if (t->addr_plain && t->addr_at < t->addr_len)
		return smtpcmd_find_addr(s, len, 0, t->addr, t->addr_len,
		                         t->addr_at) < len;
	return text_findn(s, len, t->addr, t->addr_len) != NULL;
}

static enum smtpcmd smtpcmd_word(const char *s, size_t len)
{
	size_t n = 0, k;

	while (n < len && s[n] != ' ' && s[n] != '\t' && s[n] != ':' &&
	       s[n] != '<')
		n++;
	for (k = 0; k < sizeof(smtpcmd_words) / sizeof(smtpcmd_words[0]); k++)
		if (strlen(smtpcmd_words[k].word) == n &&
		    strncasecmp(smtpcmd_words[k].word, s, n) == 0)
			return smtpcmd_words[k].cmd;
	return SMTPCMD_NONE;
}

/* A reply starts with a three-digit code. */
static bool smtpcmd_is_reply(const char *v, size_t vlen)
{
	return vlen >= 3 && v[0] >= '2' && v[0] <= '5' && v[1] >= '0' &&
	       v[1] <= '9' && v[2] >= '0' && v[2] <= '9' &&
	       (vlen == 3 || v[3] == ' ' || v[3] == '-');
}

/* One ">>> ..." or "<<< ..." segment (the marker included).  Which way it
 * went is read from its content, not the marker: sendmail and Courier
 * write ">>> command" and "<<< reply", InterScan "Sent <<< command" and
 * "Received >>> reply". */
static void smtpcmd_segment(struct smtpcmd_transcript *t, const char *s,
                            size_t len)
{
	const char *v = s + 3;
	size_t vlen = len - 3;

	text_trim(&v, &vlen);
	if (!smtpcmd_is_reply(v, vlen)) {
		struct smtpcmd_sent c;

		c.cmd = smtpcmd_word(v, vlen);
		c.names_addr = smtpcmd_names_addr(t, v, vlen);
		if (t->nqueue == SMTPCMD_QUEUE_MAX) {
			memmove(t->queue, t->queue + 1,
			        sizeof(t->queue[0]) * (SMTPCMD_QUEUE_MAX - 1));
			t->nqueue--;
		}
		t->queue[t->nqueue++] = c;
		return;
	}
	/* a reply: "NNN text" ends it, "NNN-text" continues it */
	if (vlen > 3 && v[3] == '-')
		return;
	if (t->nqueue > 0) {
		t->last = t->queue[0];
		memmove(t->queue, t->queue + 1,
		        sizeof(t->queue[0]) * (t->nqueue - 1));
		t->nqueue--;
	}
	t->data_fail = false;
	if ((v[0] != '4' && v[0] != '5') || t->last.cmd == SMTPCMD_NONE)
		return;
	if (t->any == SMTPCMD_NONE)
		t->any = t->last.cmd;
	if (t->last.cmd == SMTPCMD_DATA)
		t->data_fail = true;
	if (t->hit == SMTPCMD_NONE &&
	    (t->last.names_addr || smtpcmd_names_addr(t, v, vlen)))
		t->hit = t->last.cmd;
}

static void smtpcmd_transcript_init(struct smtpcmd_transcript *t,
                                    const char *addr)
{
	const char *a;

	memset(t, 0, sizeof(*t));
	t->addr = addr;
	t->addr_len = addr != NULL ? strlen(addr) : 0;
	a = t->addr_len > 0 ? memchr(addr, '@', t->addr_len) : NULL;
	t->addr_at = a != NULL ? (size_t)(a - addr) : t->addr_len;
	t->addr_plain = smtpcmd_no_space(addr, t->addr_len);
}

/* The first run of three bytes c in s[from..len), or len. */
static size_t smtpcmd_find3(const char *s, size_t len, size_t from, char c)
{
	while (from + 3 <= len) {
		const char *p = memchr(s + from, c, len - from - 2);

		if (p == NULL)
			break;
		from = (size_t)(p - s);
		if (p[1] == c && p[2] == c)
			return from;
		from++;
	}
	return len;
}

/* The first ">>>" or "<<<" in s[from..len), or len. */
static size_t smtpcmd_next_marker(const char *s, size_t len, size_t from)
{
	size_t a = smtpcmd_find3(s, len, from, '>');
	size_t b = smtpcmd_find3(s, len, from, '<');

	return a < b ? a : b;
}

/* Markers inside one span: each segment runs to the next marker. */
static void smtpcmd_transcript_span(struct smtpcmd_transcript *t,
                                    const char *s, size_t len)
{
	size_t i = smtpcmd_next_marker(s, len, 0);

	while (i < len) {
		size_t j = smtpcmd_next_marker(s, len, i + 3);

		smtpcmd_segment(t, s + i, j - i);
		i = j;
	}
}

/* Words some transcripts put before the marker (InterScan). */
static const char *const smtpcmd_line_prefixes[] = {
	"Sent <<<", "Sent >>>", "Received >>>", "Received <<<",
};

/* Lines of a text that start with a marker; a new session ("... while
 * talking to host:") forgets unanswered commands. */
static void smtpcmd_transcript_lines(struct smtpcmd_transcript *t,
                                     const char *s, size_t len)
{
	static const char talk[] = "while talking to ";
	size_t pos = 0, k, talk_at = 0;
	const char *line;
	size_t line_len;
	bool talk_known = false;      /* talk_at: its next one from here on */

	/* only a marker line sets what the caller reads (hit, data_hit,
	 * pending): a text without markers, most of them, needs no walk */
	if (smtpcmd_next_marker(s, len, 0) == len)
		return;
	while (text_next_line(s, len, &pos, &line, &line_len)) {
		size_t at;

		text_trim(&line, &line_len);
		for (k = 0; k < sizeof(smtpcmd_line_prefixes) /
		                sizeof(smtpcmd_line_prefixes[0]); k++)
			if (line_len > 0 &&
			    (line[0] | 0x20) == (smtpcmd_line_prefixes[k][0] | 0x20) &&
			    text_starts(line, line_len, smtpcmd_line_prefixes[k])) {
				size_t skip = strlen(smtpcmd_line_prefixes[k]) - 3;

				line += skip;
				line_len -= skip;
				break;
			}
		if (line_len >= 3 && (line[0] == '>' || line[0] == '<') &&
		    (text_starts(line, line_len, ">>>") ||
		     text_starts(line, line_len, "<<<"))) {
			smtpcmd_segment(t, line, line_len);
			if (t->data_fail) {
				t->data_fail = false;
				if (t->prev_ours)
					t->data_hit = true;
				else
					t->pending = true;
			}
			continue;
		}
		/* the block ends (blank line, "-----" rule) and no other
		 * address claimed the failure */
		if (t->pending && (line_len == 0 ||
		                   text_starts(line, line_len, "---"))) {
			t->data_hit = true;
			t->pending = false;
		}
		/* "while talking to " in the line: its next occurrence in the
		 * text, searched once, not once per line (it holds no line
		 * end, so it lies in one line; one that passes the trimmed
		 * line's end leaves no room for another) */
		at = (size_t)(line - s);
		if (!talk_known || talk_at < at) {
			const char *p = text_findn(s + at, len - at, talk,
			                           sizeof(talk) - 1);

			talk_at = p != NULL ? (size_t)(p - s) : len;
			talk_known = true;
		}
		if (talk_at + (sizeof(talk) - 1) <= at + line_len) {
			t->nqueue = 0;
			t->last.cmd = SMTPCMD_NONE;
			t->prev_ours = false;
			t->pending = false;
			continue;
		}
		if (memchr(line, '@', line_len) != NULL) {
			bool ours = smtpcmd_names_addr(t, line, line_len);

			if (t->pending && ours)
				t->data_hit = true;
			t->pending = false;
			t->prev_ours = ours;
		}
	}
}

/* ------------------------------------------------------------ public */

enum smtpcmd smtpcmd_find(const char *s, size_t len)
{
	char f[SMTPCMD_SPAN_MAX];
	struct smtpcmd_transcript t;
	size_t n;

	if (s == NULL || len == 0)
		return SMTPCMD_NONE;
	if (len > SMTPCMD_SPAN_MAX)
		len = SMTPCMD_SPAN_MAX;
	smtpcmd_transcript_init(&t, NULL);
	smtpcmd_transcript_span(&t, s, len);
	if (t.any != SMTPCMD_NONE)
		return t.any;
	/* read raw: folding it whole into f loses no byte unless it holds
	 * len - 1 non-white-space bytes or more (the last ones are cut) */
	if (len + 2 <= sizeof(f))
		return smtpcmd_phrase_scan(s, len, SMTPCMD_PHRASE_RAW);
	n = smtpcmd_phrase_fold(s, len, f, sizeof(f));
	return smtpcmd_phrase_scan(f, n, SMTPCMD_PHRASE_FOLDED);
}

/* Bytes of an address token smtpcmd_other_addr() reads on either side of
 * its '@'. */
#define SMTPCMD_TOKEN_MAX 256

/* The "<...@...>" or bare address token at f[i] when it names an address
 * other than addr.  f is folded or raw text: white space ends a token
 * (folded, it is one ' ' or '\n'), and a token holds none, so it reads
 * the same (addr is compared ignoring case).  Reads f[i - 255..i + 256]
 * at most, within f[0..len). */
static bool smtpcmd_other_addr(const char *f, size_t len, size_t i,
                               const char *addr, size_t alen)
{
	const unsigned char *map = smtpcmd_phrase_fold_map();
	size_t s = i, e;

	if (f[i] != '@')
		return false;
	while (s > 0 && map[(unsigned char)f[s - 1]] != 0 && f[s - 1] != '<' &&
	       f[s - 1] != '(' && f[s - 1] != ':' && f[s - 1] != '"' &&
	       i - s < SMTPCMD_TOKEN_MAX)
		s--;
	e = i + 1;
	while (e < len && map[(unsigned char)f[e]] != 0 && f[e] != '>' &&
	       f[e] != ')' && f[e] != ':' && f[e] != ',' && f[e] != ';' &&
	       f[e] != '"' && e - i < SMTPCMD_TOKEN_MAX)
		e++;
	while (e > i + 1 && f[e - 1] == '.')
		e--;
	if (s == i || e == i + 1)
		return false;
	return !(e - s == alen && strncasecmp(f + s, addr, alen) == 0);
}

/* Folded text, whole or folded on demand, where the raw reading cannot
 * serve (an address with white space in it, a phrase searched on its
 * own).  The window after one occurrence of an address needs at most
 * SMTPCMD_VIEW_MAX folded bytes from the occurrence on (the window and the
 * look-ahead of smtpcmd_other_addr() past its end). */
#define SMTPCMD_VIEW_MAX (SMTPCMD_WINDOW_MAX + SMTPCMD_TOKEN_MAX + 1)

struct smtpcmd_view {
	char *f;                      /* folded bytes f[0..n) */
	size_t n;
	size_t max;                   /* folded bytes ever asked for */
	const unsigned char *s;       /* raw text the fold goes on in */
	size_t len;
	struct smtpcmd_phrase_fold_state st;
};

/* Fold on until the view holds want bytes (at most max), the text ends,
 * or (para) a paragraph mark is added; returns the bytes it holds.  f must
 * have room for max + 1 bytes. */
static size_t smtpcmd_view_need(struct smtpcmd_view *v, size_t want,
                                bool para)
{
	if (want > v->max)
		want = v->max;
	if (v->n < want) {
		smtpcmd_phrase_fold_run(&v->st, v->s, v->len, v->f, want, SIZE_MAX, para);
		v->n = v->st.n;
	}
	return v->n;
}

/* The window of folded text after an occurrence of the address at v->f +
 * at: the rest of its paragraph, then the next paragraph up to another
 * address, at most SMTPCMD_WINDOW_MAX bytes from at.  Its length.  The
 * text is folded one paragraph at a time, as far as the window reaches;
 * paragraph marks and '@' are found with memchr(). */
static size_t smtpcmd_window(struct smtpcmd_view *v, size_t at,
                             const char *addr, size_t alen)
{
	size_t i = at + alen, cap = at + SMTPCMD_WINDOW_MAX;
	bool second = false;

	while (i < cap) {
		const char *nl;
		size_t lim, end;

		if (i >= v->n && smtpcmd_view_need(v, cap, true) <= i)
			break;                /* the text ends */
		lim = v->n < cap ? v->n : cap;
		nl = memchr(v->f + i, '\n', lim - i);
		end = nl != NULL ? (size_t)(nl - v->f) : lim;
		/* in the second paragraph another address ends the window */
		while (second && i < end) {
			const char *a = memchr(v->f + i, '@', end - i);

			if (a == NULL)
				break;
			i = (size_t)(a - v->f);
			(void)smtpcmd_view_need(v, i + SMTPCMD_TOKEN_MAX + 1, false);
			if (smtpcmd_other_addr(v->f, v->n, i, addr, alen))
				return i - at;
			i++;
		}
		i = end;
		if (nl == NULL)
			continue;
		if (second)
			break;
		second = true;
		i++;
	}
	return i - at;
}

/* smtpcmd_window() read in the raw text: the raw length of the window
 * after the occurrence text[at..at + alen), up to the white space run of
 * its second paragraph mark (two line ends), another address in the
 * second paragraph, SMTPCMD_WINDOW_MAX folded bytes, or the end of the
 * text.  The folded window is the fold of those raw bytes.  The folded
 * bytes are counted only when the window goes on for SMTPCMD_WINDOW_MAX
 * raw bytes (folding never adds bytes).  *first gets where the first
 * paragraph ends (its mark's run, else the window's end), 0 when the
 * window ends at the cap: the window of a later occurrence before it ends
 * where this one does. */
static size_t smtpcmd_window_raw(const char *text, size_t len, size_t at,
                                 const char *addr, size_t alen, size_t *first)
{
	const unsigned char *map = smtpcmd_phrase_fold_map();
	const unsigned char *u = (const unsigned char *)text;
	size_t i = at + alen, lim = len;
	bool capped = false, second = false;

	*first = len;
	if (len - at > SMTPCMD_WINDOW_MAX) {
		lim = at + SMTPCMD_WINDOW_MAX;
		capped = true;
	}
	for (;;) {
		while (i < lim) {
			const unsigned char *q = memchr(u + i, '\n', lim - i);
			size_t rs = q != NULL ? (size_t)(q - u) : lim, re = rs;
			int nl = 0;

			/* the white space run of the line end (it starts after
			 * the address, whose last byte is none) */
			if (q != NULL) {
				while (rs > at + alen && map[u[rs - 1]] == 0)
					rs--;
				for (; re < len && map[u[re]] == 0; re++)
					nl += u[re] == '\n';
			}
			/* in the second paragraph another address ends it */
			while (second && i < rs) {
				const unsigned char *a = memchr(u + i, '@', rs - i);

				if (a == NULL)
					break;
				i = (size_t)(a - u);
				if (smtpcmd_other_addr(text, len, i, addr, alen))
					return i - at;
				i++;
			}
			if (nl >= 2) {
				if (second)
					return rs - at;
				second = true;
				*first = rs;
			}
			i = re;
		}
		if (!capped)
			break;
		/* SMTPCMD_WINDOW_MAX raw bytes read: go on to the cap */
		capped = false;
		lim = at + smtpcmd_phrase_fold_reach(u + at, len - at,
		                                     SMTPCMD_WINDOW_MAX);
		if (lim < len)
			*first = 0;           /* it may end at the cap */
	}
	return lim - at;
}

/* No byte that smtpcmd_phrase_fold() would squeeze (white space or a
 * control byte): eight bytes a step, then the tail byte by byte. */
static bool smtpcmd_no_space(const char *s, size_t len)
{
	size_t i = 0;

	for (; i + 8 <= len; i += 8)
		if (swar_has_space_or_control(swar_load(s + i)))
			return false;
	for (; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] == 0x7f)
			return false;
	return true;
}

/* A longer address that merely contains the one at f[at..at + alen):
 * its neighbours in f[0..len) continue an address. */
static bool smtpcmd_inside_longer(const char *f, size_t len, size_t at,
                                  size_t alen)
{
	unsigned char b = at > 0 ? (unsigned char)f[at - 1] : ' ';
	unsigned char a = at + alen < len ? (unsigned char)f[at + alen] : ' ';

	return smtpcmd_phrase_alnum(b) || b == '.' || b == '-' || b == '_' ||
	       b == '+' || smtpcmd_phrase_alnum(a) || a == '-';
}

/* The phrase reader of smtpcmd_find_for() for an address with white space
 * in it: fold the whole text, find the address in the folded text. */
static enum smtpcmd smtpcmd_find_for_folded(const char *text, size_t len,
                                            const char *addr, size_t alen)
{
	struct smtpcmd_view v;
	enum smtpcmd c = SMTPCMD_NONE;
	size_t n, from = 0, k;
	char *f;

	f = malloc(len + 1);
	if (f == NULL)
		return SMTPCMD_NONE;
	n = smtpcmd_phrase_fold(text, len, f, len + 1);
	memset(&v, 0, sizeof(v));
	v.f = f;
	v.n = n;
	v.max = n;                    /* all folded already */
	for (k = 0; k < SMTPCMD_OCCUR_MAX && from < n; k++) {
		const char *p = text_findn(f + from, n - from, addr, alen);
		size_t at, w;

		if (p == NULL)
			break;
		at = (size_t)(p - f);
		if (smtpcmd_inside_longer(f, n, at, alen)) {
			from = at + 1;
			continue;
		}
		w = smtpcmd_window(&v, at, addr, alen);
		c = smtpcmd_phrase_scan(f + at, w, SMTPCMD_PHRASE_FOLDED);
		if (c != SMTPCMD_NONE)
			break;
		from = at + alen;
	}
	free(f);
	return c;
}

enum smtpcmd smtpcmd_find_for(const char *text, size_t len, const char *addr)
{
	struct smtpcmd_transcript t;
	enum smtpcmd c = SMTPCMD_NONE;
	size_t alen, from = 0, k, seen = 0;

	if (text == NULL || len == 0 || addr == NULL)
		return SMTPCMD_NONE;
	alen = strlen(addr);
	if (alen < 3 || alen > 512 || memchr(addr, '@', alen) == NULL)
		return SMTPCMD_NONE;
	if (len > SMTPCMD_TEXT_MAX)
		len = SMTPCMD_TEXT_MAX;

	smtpcmd_transcript_init(&t, addr);
	smtpcmd_transcript_lines(&t, text, len);
	if (t.hit != SMTPCMD_NONE)
		return t.hit;
	if (t.data_hit || t.pending)
		return SMTPCMD_DATA;
	if (!t.addr_plain)
		return smtpcmd_find_for_folded(text, len, addr, alen);

	/* Folding only lower-cases and squeezes runs of white space, so an
	 * address without white space occurs in the raw text where it occurs
	 * in the folded text, in the same order, with neighbours that fold
	 * to the same verdict of smtpcmd_inside_longer() (white space is
	 * neither alnum nor punctuation, folded or not).  Find it in the raw
	 * text and read its window there (smtpcmd_window_raw()). */
	for (k = 0; k < SMTPCMD_OCCUR_MAX && from < len; k++) {
		size_t at, w, first;

		at = smtpcmd_find_addr(text, len, from, addr, alen, t.addr_at);
		if (at == len)
			break;
		if (smtpcmd_inside_longer(text, len, at, alen)) {
			from = at + 1;
			continue;
		}
		/* in the first paragraph of a window read in vain: its window
		 * is the end of that one, no phrase in it either */
		if (at < seen) {
			from = at + alen;
			continue;
		}
		w = smtpcmd_window_raw(text, len, at, addr, alen, &first);
		c = smtpcmd_phrase_scan(text + at, w, SMTPCMD_PHRASE_RAW);
		seen = first < at + w ? first : at + w;
		if (c != SMTPCMD_NONE)
			break;
		from = at + alen;
	}
	return c;
}
