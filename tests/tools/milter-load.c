/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * milter-load.c - a load and robustness client speaking the MTA side of the
 * milter protocol (version 6, as Postfix's milter8 client sends it).
 *
 * It reads messages from files (an mbox "From " line is dropped, headers are
 * unfolded into name/value pairs with LF folds as Postfix sends them, the
 * body goes out with CRLF line ends in chunks of up to 65,535 bytes), opens
 * -c connections, one thread each, and sends -m messages per connection,
 * cycling over the files.  Every reply is checked against the protocol; the
 * tool prints msgs/s, the p50/p99/max end-of-message latency (BODYEOB sent
 * to final reply), the count of every final reply and of every requested
 * modification.  Exit status: 0 on success, 1 on protocol errors or dropped
 * connections (except where a -x mode expects them), 2 on usage errors.
 *
 * Robustness modes (-x) try to break the milter (drop, garbage, split,
 * badneg) and finish with one normal message that must succeed; mode hold
 * keeps every connection inside a big message and samples the milter's
 * memory from /proc (-P PID).
 *
 * This file holds the options, the normal and split modes, the threads and
 * the report; milter-load.h says where the other parts are.
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

static const struct {
	const char *name;
	enum load_mode mode;
} mode_names[] = {
	{"normal", MODE_NORMAL}, {"drop", MODE_DROP}, {"garbage", MODE_GARBAGE},
	{"split", MODE_SPLIT},   {"badneg", MODE_BADNEG}, {"hold", MODE_HOLD},
};

struct options opt = {
	.socket = NULL, .conns = 1, .msgs = 1, .sender = "<>",
	.rcpt = "<bounces@example.com>", .mode = MODE_NORMAL, .verbose = 0,
	.hold_bytes = 1048576, .pid = 0, .timeout_s = 30, .seed = 1,
};

struct message *messages;
size_t nmessages;
size_t headers_cut;   /* header fields cut to fit one packet */

pthread_barrier_t start_barrier, hold_barrier, release_barrier;
uint64_t t_start;

static void run_normal(struct worker *w, bool split)
{
	struct conn c;
	int setup = conn_open(&c, w->id);

	c.split = split;
	if (setup == 0)
		setup = session_start(&c, &w->st);
	if (setup < 0) {
		w->failed_setup = true;
		w->st.errors++;
	}
	pthread_barrier_wait(&start_barrier);
	for (unsigned i = 0; setup == 0 && i < opt.msgs; i++) {
		const struct message *m = &messages[(w->id + (size_t)i * opt.conns) % nmessages];
		int r = send_message(&c, m, &w->st, STOP_NONE, 0);
		if (r != 0)
			break;
	}
	if (c.fd >= 0)
		session_quit(&c);
	w->t_end = now_ns();
	conn_close(&c);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	switch (opt.mode) {
	case MODE_NORMAL: run_normal(w, false); break;
	case MODE_SPLIT: run_normal(w, true); break;
	case MODE_DROP: run_drop(w); break;
	case MODE_GARBAGE: run_garbage(w); break;
	case MODE_BADNEG: run_badneg(w); break;
	case MODE_HOLD: run_hold(w); break;
	}
	return NULL;
}

/* ------------------------------------------------------------ reporting */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double pct_us(const uint64_t *v, size_t n, double p)
{
	if (n == 0)
		return 0.0;
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);
	if (i >= n)
		i = n - 1;
	return (double)v[i] / 1000.0;
}

static void sample_proc(pid_t pid, const char *label)
{
	char path[64], line[256];

	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	FILE *fp = fopen(path, "r");
	if (fp == NULL) {
		printf("%s: cannot read %s: %s\n", label, path, strerror(errno));
		return;
	}
	long rss = -1, hwm = -1, thr = -1;
	while (fgets(line, sizeof line, fp) != NULL) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			rss = strtol(line + 6, NULL, 10);
		else if (strncmp(line, "VmHWM:", 6) == 0)
			hwm = strtol(line + 6, NULL, 10);
		else if (strncmp(line, "Threads:", 8) == 0)
			thr = strtol(line + 8, NULL, 10);
	}
	fclose(fp);
	printf("%s: pid=%ld VmRSS_kB=%ld VmHWM_kB=%ld threads=%ld\n", label, (long)pid, rss, hwm, thr);
}

/* One plain message on a fresh connection: the milter must still serve. */
static int health_check(void)
{
	struct conn c;
	struct stats st;
	int rc = -1;

	memset(&st, 0, sizeof st);
	if (conn_open(&c, 9999) == 0 && session_start(&c, &st) == 0 &&
	    send_message(&c, &messages[0], &st, STOP_NONE, 0) == 0 && st.errors == 0) {
		session_quit(&c);
		rc = 0;
	}
	conn_close(&c);
	free(st.lat_ns);
	printf("health check after %s: %s\n", mode_names[opt.mode].name, rc == 0 ? "ok" : "FAILED");
	return rc;
}

static void usage(void)
{
	fprintf(stderr,
	        "usage: milter-load -s SOCKET [-c CONNS] [-m MSGS] [-f SENDER|auto] [-r RCPT]\n"
	        "                   [-x normal|drop|garbage|split|badneg|hold] [-b BYTES] [-P PID]\n"
	        "                   [-t SECONDS] [-S SEED] [-v] FILE|DIR...\n"
	        "  -s  inet:PORT@HOST or unix:PATH\n"
	        "  -c  concurrent connections, one thread each (default 1)\n"
	        "  -m  messages per connection (default 1); in drop/garbage/badneg: attempts\n"
	        "  -f  envelope sender (default <>); auto: <> for files that look like bounces\n"
	        "  -r  envelope recipient (default <bounces@example.com>)\n"
	        "  -x  robustness or memory mode (default normal)\n"
	        "  -b  body bytes each connection holds in hold mode (default 1048576)\n"
	        "  -P  milter pid whose /proc status is sampled in hold mode\n"
	        "  -t  reply timeout in seconds (default 30)\n"
	        "  -v  print every message's final reply and modifications\n");
	exit(2);
}

static unsigned long parse_num(const char *s, unsigned long max, char flag)
{
	char *end;

	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end != '\0' || v > max)
		die("-%c: bad number '%s'", flag, s);
	return v;
}

int main(int argc, char **argv)
{
	int ch;

	while ((ch = getopt(argc, argv, "s:c:m:f:r:x:b:P:t:S:vh")) != -1) {
		switch (ch) {
		case 's': opt.socket = optarg; break;
		case 'c': opt.conns = (unsigned)parse_num(optarg, 4096, 'c'); break;
		case 'm': opt.msgs = (unsigned)parse_num(optarg, 100000000, 'm'); break;
		case 'f': opt.sender = optarg; break;
		case 'r': opt.rcpt = optarg; break;
		case 'b': opt.hold_bytes = parse_num(optarg, (unsigned long)1 << 34, 'b'); break;
		case 'P': opt.pid = (pid_t)parse_num(optarg, INT_MAX, 'P'); break;
		case 't': opt.timeout_s = (unsigned)parse_num(optarg, 86400, 't'); break;
		case 'S': opt.seed = (unsigned)parse_num(optarg, UINT_MAX, 'S'); break;
		case 'v': opt.verbose++; break;
		case 'x': {
			size_t i;
			for (i = 0; i < sizeof mode_names / sizeof mode_names[0]; i++)
				if (strcmp(optarg, mode_names[i].name) == 0)
					break;
			if (i == sizeof mode_names / sizeof mode_names[0])
				die("-x: unknown mode '%s'", optarg);
			opt.mode = mode_names[i].mode;
			break;
		}
		default: usage();
		}
	}
	if (opt.socket == NULL || optind >= argc || opt.conns == 0 || opt.msgs == 0 || opt.timeout_s == 0)
		usage();
	for (int i = optind; i < argc; i++)
		load_path(argv[i]);
	if (nmessages == 0)
		die("no message files");
	if (headers_cut > 0)
		printf("note: %zu header fields longer than %u bytes were cut to fit one packet\n",
		       headers_cut, ML_MAX_DATA);
	signal(SIGPIPE, SIG_IGN);

	struct worker *w = xmalloc(opt.conns * sizeof *w);
	memset(w, 0, opt.conns * sizeof *w);
	if (pthread_barrier_init(&start_barrier, NULL, opt.conns + 1) != 0 ||
	    pthread_barrier_init(&hold_barrier, NULL, opt.conns + 1) != 0 ||
	    pthread_barrier_init(&release_barrier, NULL, opt.conns + 1) != 0)
		die("pthread_barrier_init failed");
	pthread_attr_t attr;
	if (pthread_attr_init(&attr) != 0 || pthread_attr_setstacksize(&attr, 512 * 1024) != 0)
		die("pthread_attr failed");
	for (unsigned i = 0; i < opt.conns; i++) {
		w[i].id = i;
		int e = pthread_create(&w[i].tid, &attr, worker_main, &w[i]);
		if (e != 0)
			die("pthread_create: %s", strerror(e));
	}
	pthread_attr_destroy(&attr);
	pthread_barrier_wait(&start_barrier);
	t_start = now_ns();
	if (opt.mode == MODE_HOLD) {
		pthread_barrier_wait(&hold_barrier);
		printf("holding: %u connections inside a message of %zu body bytes each\n", opt.conns,
		       opt.hold_bytes);
		if (opt.pid > 0) {
			usleep(200000);
			sample_proc(opt.pid, "milter memory");
		}
		fflush(stdout);
		pthread_barrier_wait(&release_barrier);
	}
	uint64_t t_last = t_start;
	struct stats tot;
	memset(&tot, 0, sizeof tot);
	unsigned failed_setup = 0;
	for (unsigned i = 0; i < opt.conns; i++) {
		pthread_join(w[i].tid, NULL);
		if (w[i].t_end > t_last)
			t_last = w[i].t_end;
		if (w[i].failed_setup)
			failed_setup++;
		struct stats *s = &w[i].st;
		tot.messages += s->messages;
		tot.errors += s->errors;
		tot.refused += s->refused;
		tot.deletes += s->deletes;
		tot.progress += s->progress;
		tot.skips += s->skips;
		for (int k = 0; k < 256; k++) {
			tot.final[k] += s->final[k];
			tot.early[k] += s->early[k];
			tot.mods[k] += s->mods[k];
		}
		for (size_t k = 0; k < s->nlat; k++)
			record_latency(&tot, s->lat_ns[k]);
		free(s->lat_ns);
	}
	free(w);
	double secs = (double)(t_last - t_start) / 1e9;
	if (secs <= 0)
		secs = 1e-9;
	if (tot.nlat > 0)   /* qsort(NULL, 0, ...) is undefined behaviour */
		qsort(tot.lat_ns, tot.nlat, sizeof *tot.lat_ns, cmp_u64);

	printf("mode=%s socket=%s conns=%u msgs/conn=%u files=%zu\n", mode_names[opt.mode].name,
	       opt.socket, opt.conns, opt.msgs, nmessages);
	printf("messages: %" PRIu64 " in %.3f s: %.1f msgs/s\n", tot.messages, secs,
	       (double)tot.messages / secs);
	if (opt.mode == MODE_NORMAL || opt.mode == MODE_SPLIT) {
		printf("eom latency us: p50=%.1f p99=%.1f max=%.1f (n=%zu)\n", pct_us(tot.lat_ns, tot.nlat, 0.50),
		       pct_us(tot.lat_ns, tot.nlat, 0.99), tot.nlat ? (double)tot.lat_ns[tot.nlat - 1] / 1000.0 : 0.0,
		       tot.nlat);
		printf("final replies:");
		for (int k = 0; k < 256; k++)
			if (tot.final[k] && reply_name(k))
				printf(" %s=%" PRIu64, reply_name(k), tot.final[k]);
		printf("\n");
		printf("before eom:");
		for (int k = 0; k < 256; k++)
			if (tot.early[k] && reply_name(k))
				printf(" %s=%" PRIu64, reply_name(k), tot.early[k]);
		printf("\n");
		printf("modifications:");
		for (int k = 0; k < 256; k++)
			if (tot.mods[k] && reply_name(k))
				printf(" %s=%" PRIu64, reply_name(k), tot.mods[k]);
		printf(" (header deletions=%" PRIu64 ") progress=%" PRIu64 " skips=%" PRIu64 "\n",
		       tot.deletes, tot.progress, tot.skips);
	}
	printf("errors=%" PRIu64 " refused=%" PRIu64 " failed_connections=%u\n", tot.errors, tot.refused,
	       failed_setup);
	printf("RESULT mode=%s msgs=%" PRIu64 " secs=%.3f msgs_per_s=%.1f p50_us=%.1f p99_us=%.1f max_us=%.1f errors=%" PRIu64 "\n",
	       mode_names[opt.mode].name, tot.messages, secs, (double)tot.messages / secs,
	       pct_us(tot.lat_ns, tot.nlat, 0.50), pct_us(tot.lat_ns, tot.nlat, 0.99),
	       tot.nlat ? (double)tot.lat_ns[tot.nlat - 1] / 1000.0 : 0.0, tot.errors);
	free(tot.lat_ns);
	fflush(stdout);

	int rc = tot.errors ? 1 : 0;
	if (opt.mode == MODE_DROP || opt.mode == MODE_GARBAGE || opt.mode == MODE_BADNEG ||
	    opt.mode == MODE_SPLIT) {
		usleep(100000);
		if (health_check() != 0)
			rc = 1;
	}
	return rc;
}
