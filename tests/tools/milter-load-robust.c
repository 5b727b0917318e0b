/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * milter-load-robust.c - milter-load's robustness and memory modes: drop
 * (close at a different point each time), garbage (bytes no MTA sends),
 * badneg (bad negotiations) and hold (every connection inside a big
 * message while the milter's memory is sampled).
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

/* drop: close the connection at a different point each time. */
void run_drop(struct worker *w)
{
	static const enum stop_at points[] = {STOP_AFTER_MAIL, STOP_IN_HEADERS, STOP_IN_BODY, STOP_AFTER_EOB};

	pthread_barrier_wait(&start_barrier);
	for (unsigned i = 0; i < opt.msgs; i++) {
		struct conn c;
		const struct message *m = &messages[(w->id + (size_t)i * opt.conns) % nmessages];
		enum stop_at where = points[(w->id + i) % (sizeof points / sizeof points[0])];
		if (conn_open(&c, w->id) != 0 || session_start(&c, &w->st) != 0) {
			w->st.errors++;
			conn_close(&c);
			continue;
		}
		if (send_message(&c, m, &w->st, where, 0) < 0)
			w->st.errors++;
		else
			w->st.messages++;
		conn_close(&c);   /* no QUIT: the abrupt end is the point */
	}
	w->t_end = now_ns();
}

/* Drain whatever the milter says for up to ms, until it closes. */
static const char *drain(struct conn *c, int ms)
{
	char buf[4096];
	uint64_t end = now_ns() + (uint64_t)ms * 1000000u;

	for (;;) {
		uint64_t n = now_ns();
		if (n >= end)
			return "still open";
		int r = wait_read(c->fd, (int)((end - n) / 1000000u) + 1);
		if (r == 0)
			return "still open";
		if (r < 0)
			return "poll error";
		ssize_t k = recv(c->fd, buf, sizeof buf, 0);
		if (k == 0)
			return "closed by milter";
		if (k < 0)
			return errno == ECONNRESET ? "reset by milter" : "read error";
	}
}

/* One garbage case; the table below says what each sends after connect. */
typedef void (*garbage_fn)(struct conn *c, uint32_t *seed);

static void g_random(struct conn *c, uint32_t *seed)
{
	size_t n = 1 + rnd(seed) % 4096;

	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)rnd(seed);
		out_raw(c, &b, 1);
	}
}

static void g_hugelen(struct conn *c, uint32_t *seed)
{
	unsigned char h[5];

	(void)seed;
	wr32(h, 0x7fffffffu);
	h[4] = C_OPTNEG;
	out_raw(c, h, sizeof h);
	out_raw(c, "\0\0\0\6", 4);
}

static void g_maxlen(struct conn *c, uint32_t *seed)
{
	unsigned char h[5];

	(void)seed;
	wr32(h, 0xffffffffu);
	h[4] = C_BODY;
	out_raw(c, h, sizeof h);
}

static void g_zerolen(struct conn *c, uint32_t *seed)
{
	static const unsigned char z[16];

	(void)seed;
	out_raw(c, z, sizeof z);
}

static void g_neg_random(struct conn *c, uint32_t *seed)
{
	send_optneg(c, ML_VERSION, A_ALL_V6, P_ALL_V6);
	g_random(c, seed);
}

static void g_neg_hugebody(struct conn *c, uint32_t *seed)
{
	unsigned char h[5];

	send_optneg(c, ML_VERSION, A_ALL_V6, P_ALL_V6);
	wr32(h, 0x00ffffffu);
	h[4] = C_BODY;
	out_raw(c, h, sizeof h);
	g_random(c, seed);
}

static void g_neg_zero_after(struct conn *c, uint32_t *seed)
{
	static const unsigned char z[8];

	(void)seed;
	send_optneg(c, ML_VERSION, A_ALL_V6, P_ALL_V6);
	out_raw(c, z, sizeof z);
}

/* Valid framing, bad content: unknown commands, unterminated strings,
 * commands out of order, truncated connect info, odd macros. */
static void g_neg_badcontent(struct conn *c, uint32_t *seed)
{
	static const unsigned char badconn[] = {'h', 'o', 's', 't', 0, '4', 0x01};
	static const unsigned char badconn6[] = {'h', 0, '6', 0x00, 0x19, 'x', 'y'};
	static const unsigned char badmacro[] = {'M', 'i', 0, 'v'};
	static const unsigned char emptymacro[] = {0};
	char name[300];

	(void)seed;
	send_optneg(c, ML_VERSION, A_ALL_V6, P_ALL_V6);
	out_pkt(c, 'Z', "zz", 2);
	out_pkt(c, 0x00, NULL, 0);
	out_pkt(c, 0xff, "\xff", 1);
	out_pkt(c, C_BODYEOB, NULL, 0);                 /* before MAIL */
	out_pkt(c, C_HEADER, "Subject", 7);             /* no NUL */
	out_pkt(c, C_CONNECT, badconn, sizeof badconn); /* family 4, half a port */
	out_pkt(c, C_CONNECT, badconn6, sizeof badconn6);
	out_pkt(c, C_MACRO, badmacro, sizeof badmacro);
	out_pkt(c, C_MACRO, emptymacro, sizeof emptymacro);
	out_pkt(c, C_MACRO, NULL, 0);
	out_pkt(c, C_HELO, NULL, 0);
	out_pkt(c, C_MAIL, "<a@b>", 5);                 /* no NUL */
	out_pkt(c, C_MAIL, "", 1);
	out_pkt(c, C_RCPT, NULL, 0);
	out_pkt(c, C_HEADER, "\0\0", 2);
	memset(name, 'N', sizeof name);
	name[sizeof name - 1] = '\0';
	out_pkt(c, C_HEADER, name, sizeof name);        /* name, no value */
	out_pkt(c, C_BODY, "\0\r\n\0", 4);
	out_pkt(c, C_EOH, "x", 1);
	out_pkt(c, C_BODYEOB, "tail", 4);
	out_pkt(c, C_OPTNEG, "\0\0\0\6", 4);            /* second, short OPTNEG */
	out_pkt(c, C_ABORT, NULL, 0);
	out_pkt(c, C_QUIT, NULL, 0);
}

static const struct {
	const char *name;
	garbage_fn fn;
} garbage_cases[] = {
	{"random bytes", g_random},
	{"length 0x7fffffff", g_hugelen},
	{"length 0xffffffff", g_maxlen},
	{"zero-length packets", g_zerolen},
	{"negotiate + random bytes", g_neg_random},
	{"negotiate + 16 MB body length", g_neg_hugebody},
	{"negotiate + zero-length packets", g_neg_zero_after},
	{"negotiate + malformed commands", g_neg_badcontent},
};

void run_garbage(struct worker *w)
{
	const size_t ncases = sizeof garbage_cases / sizeof garbage_cases[0];

	pthread_barrier_wait(&start_barrier);
	for (unsigned i = 0; i < opt.msgs; i++) {
		struct conn c;
		size_t k = (w->id + (size_t)i) % ncases;
		uint32_t seed0 = opt.seed * 2654435761u + w->id * 40503u + i, seed = seed0;
		if (conn_open(&c, w->id) != 0) {
			w->st.errors++;
			continue;
		}
		garbage_cases[k].fn(&c, &seed);
		int wr = conn_flush(&c);
		const char *what = drain(&c, 300);
		if (opt.verbose) {
			flockfile(stdout);
			printf("garbage conn=%u case=\"%s\" seed=%" PRIu32 " write=%s milter=%s\n", w->id,
			       garbage_cases[k].name, seed0, wr == 0 ? "ok" : "failed", what);
			funlockfile(stdout);
		}
		w->st.messages++;
		conn_close(&c);
	}
	w->t_end = now_ns();
}

/* badneg: offers the milter may not like.  Whatever it answers is fine, as
 * long as it answers sensibly or closes; if it negotiates, one message. */
static const struct {
	const char *name;
	uint32_t version, acts, prot;
	size_t len;        /* bytes of the 12-byte option block actually sent */
} badneg_cases[] = {
	{"version 2, every bit set", 2, 0xffffffffu, 0xffffffffu, 12},
	{"version 2, nothing offered", 2, 0, 0, 12},
	{"version 1", 1, A_ALL_V6, P_ALL_V6, 12},
	{"version 0", 0, A_ALL_V6, P_ALL_V6, 12},
	{"version 0xffffffff", 0xffffffffu, A_ALL_V6, P_ALL_V6, 12},
	{"version 6, unknown protocol bits only", 6, A_ALL_V6, 0xffe00000u, 12},
	{"version 6, unknown action bits", 6, 0xfffffe00u | A_ALL_V6, P_ALL_V6, 12},
	{"version 6, no actions, no steps", 6, 0, 0, 12},
	{"version 6, internal bits 0x70000000", 6, A_ALL_V6, P_ALL_V6 | 0x70000000u, 12},
	{"version 6, short option block", 6, A_ALL_V6, P_ALL_V6, 4},
	{"version 6, empty option block", 6, A_ALL_V6, P_ALL_V6, 0},
	{"version 7", 7, A_ALL_V6, P_ALL_V6, 12},
};

void run_badneg(struct worker *w)
{
	const size_t ncases = sizeof badneg_cases / sizeof badneg_cases[0];

	pthread_barrier_wait(&start_barrier);
	for (unsigned i = 0; i < opt.msgs; i++) {
		struct conn c;
		size_t k = (w->id + (size_t)i) % ncases;
		char outcome[160];
		if (conn_open(&c, w->id) != 0) {
			w->st.errors++;
			continue;
		}
		unsigned char d[12];
		wr32(d, badneg_cases[k].version);
		wr32(d + 4, badneg_cases[k].acts);
		wr32(d + 8, badneg_cases[k].prot);
		out_pkt(&c, C_OPTNEG, d, badneg_cases[k].len);
		int r = conn_flush(&c);
		if (r == 0)
			r = read_optneg(&c, 2000);
		if (r == 0) {
			/* negotiated: the milter must stay within the offer */
			bool within = c.version <= badneg_cases[k].version &&
			              !(c.acts & ~badneg_cases[k].acts) &&
			              !(c.prot & ~(badneg_cases[k].prot | 0x70000000u));
			snprintf(outcome, sizeof outcome,
			         "negotiated version %" PRIu32 " actions 0x%" PRIx32 " protocol 0x%" PRIx32 "%s",
			         c.version, c.acts, c.prot, within ? "" : " (outside the offer)");
			if (within) {
				/* try one message with what was agreed; any outcome is fine */
				struct stats scratch;
				memset(&scratch, 0, sizeof scratch);
				int mr = session_steps(&c, &scratch);
				if (mr == 0)
					mr = send_message(&c, &messages[k % nmessages], &scratch, STOP_NONE, 0);
				size_t ol = strlen(outcome);
				snprintf(outcome + ol, sizeof outcome - ol, "; message %s",
				         mr == 0 ? "completed" : mr > 0 ? "refused" : "failed");
				free(scratch.lat_ns);
			}
		} else if (r == -5) {
			snprintf(outcome, sizeof outcome, "non-OPTNEG reply");
		} else {
			snprintf(outcome, sizeof outcome, "%s", read_err(r));
		}
		if (opt.verbose) {
			flockfile(stdout);
			printf("badneg conn=%u case=\"%s\": %s\n", w->id, badneg_cases[k].name, outcome);
			funlockfile(stdout);
		}
		w->st.messages++;
		conn_close(&c);
	}
	w->t_end = now_ns();
}

/* hold: every connection stops inside a big body; once all are there the
 * main thread samples the milter's memory, then all abort and quit. */
void run_hold(struct worker *w)
{
	struct conn c;
	int setup = conn_open(&c, w->id);

	if (setup == 0)
		setup = session_start(&c, &w->st);
	if (setup != 0)
		w->st.errors++;
	pthread_barrier_wait(&start_barrier);
	if (setup == 0) {
		const struct message *m = &messages[w->id % nmessages];
		if (send_message(&c, m, &w->st, STOP_HOLD, opt.hold_bytes) != 0)
			w->st.errors++;
	}
	pthread_barrier_wait(&hold_barrier);
	pthread_barrier_wait(&release_barrier);
	if (c.fd >= 0) {
		out_pkt(&c, C_ABORT, NULL, 0);
		session_quit(&c);
	}
	w->t_end = now_ns();
	conn_close(&c);
}
