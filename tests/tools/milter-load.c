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

/* ------------------------------------------------------------ wire constants
 * Milter protocol version 6 (libmilter include/libmilter/mfdef.h). */
#define ML_VERSION 6u
#define ML_CHUNK 65535u           /* MILTER_CHUNK_SIZE */
#define ML_MAX_DATA 65535u       /* MILTER_MAX_DATA_SIZE: largest packet libmilter reads */
#define ML_MAX_REPLY (1u << 20)   /* largest reply we accept (replbody is 64K) */

enum {
	C_ABORT = 'A', C_BODY = 'B', C_CONNECT = 'C', C_MACRO = 'D',
	C_BODYEOB = 'E', C_HELO = 'H', C_HEADER = 'L', C_MAIL = 'M',
	C_EOH = 'N', C_OPTNEG = 'O', C_QUIT = 'Q', C_RCPT = 'R', C_DATA = 'T',
};

enum {
	R_ADDRCPT = '+', R_DELRCPT = '-', R_ADDRCPT_PAR = '2', R_SHUTDOWN = '4',
	R_ACCEPT = 'a', R_REPLBODY = 'b', R_CONTINUE = 'c', R_DISCARD = 'd',
	R_CHGFROM = 'e', R_CONN_FAIL = 'f', R_ADDHEADER = 'h', R_INSHEADER = 'i',
	R_SETSYMLIST = 'l', R_CHGHEADER = 'm', R_PROGRESS = 'p',
	R_QUARANTINE = 'q', R_REJECT = 'r', R_SKIP = 's', R_TEMPFAIL = 't',
	R_REPLYCODE = 'y', R_OPTNEG = 'O',
};

/* protocol step bits (SMFIP_*) */
#define P_NOCONNECT 0x00000001u
#define P_NOHELO    0x00000002u
#define P_NOMAIL    0x00000004u
#define P_NORCPT    0x00000008u
#define P_NOBODY    0x00000010u
#define P_NOHDRS    0x00000020u
#define P_NOEOH     0x00000040u
#define P_NR_HDR    0x00000080u
#define P_NODATA    0x00000200u
#define P_SKIP      0x00000400u
#define P_NR_CONN   0x00001000u
#define P_NR_HELO   0x00002000u
#define P_NR_MAIL   0x00004000u
#define P_NR_RCPT   0x00008000u
#define P_NR_DATA   0x00010000u
#define P_NR_EOH    0x00040000u
#define P_NR_BODY   0x00080000u
#define P_HDR_LEADSPC 0x00100000u
#define P_ALL_V6    0x001FFFFFu   /* every step bit Postfix 3.x offers */
#define A_ALL_V6    0x000001FFu   /* every action (SMFIF_*) Postfix offers */

/* ------------------------------------------------------------ options */
enum load_mode { MODE_NORMAL, MODE_DROP, MODE_GARBAGE, MODE_SPLIT, MODE_BADNEG, MODE_HOLD };

static const struct {
	const char *name;
	enum load_mode mode;
} mode_names[] = {
	{"normal", MODE_NORMAL}, {"drop", MODE_DROP}, {"garbage", MODE_GARBAGE},
	{"split", MODE_SPLIT},   {"badneg", MODE_BADNEG}, {"hold", MODE_HOLD},
};

struct options {
	const char *socket;
	unsigned conns;
	unsigned msgs;
	const char *sender;       /* "<>", "auto" or an address */
	const char *rcpt;
	enum load_mode mode;
	int verbose;
	size_t hold_bytes;        /* body size in hold mode */
	pid_t pid;                /* milter pid to sample (hold mode), 0 = none */
	unsigned timeout_s;       /* per-read timeout */
	unsigned seed;
};

static struct options opt = {
	.socket = NULL, .conns = 1, .msgs = 1, .sender = "<>",
	.rcpt = "<bounces@example.com>", .mode = MODE_NORMAL, .verbose = 0,
	.hold_bytes = 1048576, .pid = 0, .timeout_s = 30, .seed = 1,
};

/* ------------------------------------------------------------ messages */
struct header {
	char *name;
	char *value;   /* after the colon, leading white space kept, folds as LF */
};

struct message {
	char *path;
	struct header *hdr;
	size_t nhdr;
	char *body;    /* CRLF line ends */
	size_t bodylen;
	bool looks_bounce;
};

static struct message *messages;
static size_t nmessages;
static size_t headers_cut;   /* header fields cut to fit one packet */

/* ------------------------------------------------------------ statistics */
struct stats {
	uint64_t messages;          /* messages that reached a final reply */
	uint64_t final[256];        /* final reply per reply code */
	uint64_t early[256];        /* of those, replies before end of message */
	uint64_t mods[256];         /* modification replies per code */
	uint64_t deletes;           /* chgheader with an empty value */
	uint64_t progress;
	uint64_t skips;
	uint64_t errors;            /* protocol errors, unexpected drops */
	uint64_t refused;           /* connect/helo not answered with continue */
	uint64_t *lat_ns;           /* per message eom latency */
	size_t nlat, latcap;
};

/* ------------------------------------------------------------ helpers */
static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("milter-load: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warnx_(const char *fmt, ...)
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

static uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory (%zu bytes)", n);
	return p;
}

static void *xrealloc(void *p, size_t n)
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

static uint32_t rd32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void wr32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* xorshift32: reproducible garbage */
static uint32_t rnd(uint32_t *s)
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

static void load_path(const char *path);

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

static void load_path(const char *path)
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

/* ------------------------------------------------------------ connection */
struct conn {
	int fd;
	bool split;               /* write every byte on its own */
	unsigned char *out;
	size_t olen, ocap;
	unsigned char *in;        /* receive buffer */
	size_t ipos, ilen, icap;
	uint32_t version, acts, prot;  /* negotiated */
	unsigned id;
	unsigned long qid;
};

static int conn_open(struct conn *c, unsigned id)
{
	memset(c, 0, sizeof *c);
	c->fd = -1;
	c->id = id;
	if (strncmp(opt.socket, "unix:", 5) == 0 || strncmp(opt.socket, "local:", 6) == 0) {
		const char *path = strchr(opt.socket, ':') + 1;
		struct sockaddr_un sun;
		if (strlen(path) >= sizeof sun.sun_path) {
			warnx_("%s: path too long", path);
			return -1;
		}
		memset(&sun, 0, sizeof sun);
		sun.sun_family = AF_UNIX;
		memcpy(sun.sun_path, path, strlen(path) + 1);
		c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
			warnx_("connect %s: %s", opt.socket, strerror(errno));
			goto fail;
		}
	} else if (strncmp(opt.socket, "inet:", 5) == 0 || strncmp(opt.socket, "inet6:", 6) == 0) {
		char port[32], host[256];
		const char *spec = strchr(opt.socket, ':') + 1;
		const char *at = strchr(spec, '@');
		size_t plen = at ? (size_t)(at - spec) : strlen(spec);
		if (plen == 0 || plen >= sizeof port || (at && strlen(at + 1) >= sizeof host)) {
			warnx_("%s: expected inet:PORT@HOST", opt.socket);
			return -1;
		}
		memcpy(port, spec, plen);
		port[plen] = '\0';
		snprintf(host, sizeof host, "%s", at ? at + 1 : "127.0.0.1");
		struct addrinfo hints, *res = NULL;
		memset(&hints, 0, sizeof hints);
		hints.ai_family = opt.socket[4] == '6' ? AF_INET6 : AF_INET;
		hints.ai_socktype = SOCK_STREAM;
		int e = getaddrinfo(host, port, &hints, &res);
		if (e != 0 || res == NULL) {
			warnx_("%s: %s", opt.socket, gai_strerror(e));
			return -1;
		}
		c->fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (c->fd < 0 || connect(c->fd, res->ai_addr, res->ai_addrlen) != 0) {
			warnx_("connect %s: %s", opt.socket, strerror(errno));
			freeaddrinfo(res);
			goto fail;
		}
		freeaddrinfo(res);
		int one = 1;
		if (setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) {
			warnx_("TCP_NODELAY: %s", strerror(errno));
			goto fail;
		}
	} else {
		warnx_("%s: expected inet:PORT@HOST or unix:PATH", opt.socket);
		return -1;
	}
	return 0;
fail:
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	return -1;
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->out);
	free(c->in);
	c->out = c->in = NULL;
	c->olen = c->ocap = c->ilen = c->ipos = c->icap = 0;
}

static void out_raw(struct conn *c, const void *data, size_t len)
{
	if (c->ocap - c->olen < len) {
		size_t cap = c->ocap ? c->ocap : 4096;
		while (cap - c->olen < len)
			cap *= 2;
		c->out = xrealloc(c->out, cap);
		c->ocap = cap;
	}
	memcpy(c->out + c->olen, data, len);
	c->olen += len;
}

/* Queue one packet: 4-byte big-endian length (command + data), command, data. */
static void out_pkt(struct conn *c, int cmd, const void *data, size_t len)
{
	unsigned char hdr[5];

	wr32(hdr, (uint32_t)(len + 1));
	hdr[4] = (unsigned char)cmd;
	out_raw(c, hdr, sizeof hdr);
	if (len)
		out_raw(c, data, len);
}

/* A packet whose data is an optional lead byte (lead >= 0) and a list of
 * NUL-terminated strings. */
static void out_strs_after(struct conn *c, int cmd, int lead, const char *const *strs, size_t n)
{
	size_t len = lead >= 0 ? 1 : 0, o = 0;

	for (size_t i = 0; i < n; i++)
		len += strlen(strs[i]) + 1;
	unsigned char *buf = xmalloc(len);
	if (lead >= 0)
		buf[o++] = (unsigned char)lead;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(strs[i]) + 1;
		memcpy(buf + o, strs[i], l);
		o += l;
	}
	out_pkt(c, cmd, buf, len);
	free(buf);
}

static void out_strs(struct conn *c, int cmd, const char *const *strs, size_t n)
{
	out_strs_after(c, cmd, -1, strs, n);
}

/* SMFIC_MACRO: the command it belongs to, then name/value pairs. */
static void out_macros(struct conn *c, int for_cmd, const char *const *nv, size_t n)
{
	out_strs_after(c, C_MACRO, for_cmd, nv, n);
}

static int conn_flush(struct conn *c)
{
	size_t off = 0;

	while (off < c->olen) {
		size_t n = c->split ? 1 : c->olen - off;
		ssize_t w = send(c->fd, c->out + off, n, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			c->olen = 0;
			return -1;
		}
		off += (size_t)w;
	}
	c->olen = 0;
	return 0;
}

/* Wait for readability; 1 ready, 0 timeout, -1 error. */
static int wait_read(int fd, int ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	for (;;) {
		int r = poll(&pfd, 1, ms);
		if (r < 0 && errno == EINTR)
			continue;
		return r < 0 ? -1 : r;
	}
}

/* Read at least `need` buffered bytes.  0 ok, -1 error, -2 EOF, -3 timeout. */
static int in_fill(struct conn *c, size_t need, int ms)
{
	if (c->ipos > 0 && c->ipos == c->ilen)
		c->ipos = c->ilen = 0;
	while (c->ilen - c->ipos < need) {
		if (c->ipos > 0) {
			memmove(c->in, c->in + c->ipos, c->ilen - c->ipos);
			c->ilen -= c->ipos;
			c->ipos = 0;
		}
		if (c->icap < need || c->icap - c->ilen < 4096) {
			size_t cap = c->icap ? c->icap : 8192;
			while (cap < need || cap - c->ilen < 4096)
				cap *= 2;
			c->in = xrealloc(c->in, cap);
			c->icap = cap;
		}
		int w = wait_read(c->fd, ms);
		if (w == 0)
			return -3;
		if (w < 0)
			return -1;
		ssize_t r = recv(c->fd, c->in + c->ilen, c->icap - c->ilen, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			return -2;
		c->ilen += (size_t)r;
	}
	return 0;
}

/* Read one reply packet.  Returns 0 and sets cmd, data and len (data valid
 * until the next read), or the in_fill error codes, or -4 for a bad length. */
static int read_reply(struct conn *c, int *cmd, const unsigned char **data, size_t *len, int ms)
{
	int r = in_fill(c, 4, ms);

	if (r != 0)
		return r;
	uint32_t plen = rd32(c->in + c->ipos);
	if (plen == 0 || plen > ML_MAX_REPLY)
		return -4;
	r = in_fill(c, 4 + (size_t)plen, ms);
	if (r != 0)
		return r;
	*cmd = c->in[c->ipos + 4];
	*data = c->in + c->ipos + 5;
	*len = plen - 1;
	c->ipos += 4 + (size_t)plen;
	return 0;
}

static const char *read_err(int r)
{
	switch (r) {
	case -1: return "read error";
	case -2: return "connection closed by milter";
	case -3: return "timeout waiting for the milter";
	case -4: return "bad reply length";
	default: return "error";
	}
}

static void send_optneg(struct conn *c, uint32_t version, uint32_t acts, uint32_t prot)
{
	unsigned char d[12];

	wr32(d, version);
	wr32(d + 4, acts);
	wr32(d + 8, prot);
	out_pkt(c, C_OPTNEG, d, sizeof d);
}

/* Read the negotiation reply.  0 ok, <0 read error, -5 not an OPTNEG reply. */
static int read_optneg(struct conn *c, int ms)
{
	int cmd;
	const unsigned char *d;
	size_t len;
	int r = read_reply(c, &cmd, &d, &len, ms);

	if (r != 0)
		return r;
	if (cmd != R_OPTNEG || len < 12)
		return -5;
	c->version = rd32(d);
	c->acts = rd32(d + 4);
	c->prot = rd32(d + 8);
	return 0;
}

static int negotiate(struct conn *c)
{
	send_optneg(c, ML_VERSION, A_ALL_V6, P_ALL_V6);
	if (conn_flush(c) != 0) {
		warnx_("conn %u: write: %s", c->id, strerror(errno));
		return -1;
	}
	int r = read_optneg(c, (int)opt.timeout_s * 1000);
	if (r == -5) {
		warnx_("conn %u: negotiation reply is not SMFIC_OPTNEG or too short", c->id);
		return -1;
	}
	if (r != 0) {
		warnx_("conn %u: negotiation: %s", c->id, read_err(r));
		return -1;
	}
	if (c->version < 2 || c->version > ML_VERSION || (c->acts & ~A_ALL_V6) || (c->prot & ~P_ALL_V6)) {
		warnx_("conn %u: milter negotiated version %" PRIu32 " actions 0x%" PRIx32
		       " protocol 0x%" PRIx32 " outside what was offered",
		       c->id, c->version, c->acts, c->prot);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ one session */
enum step_result { STEP_CONTINUE, STEP_SKIP, STEP_FINAL, STEP_ERROR };

struct msgtrace {
	int final;          /* reply that ended the message */
	char where[16];     /* step that got it */
	unsigned nmods;
	uint64_t eom_ns;    /* end-of-message latency, 0 if it ended earlier */
	char mods[2048];    /* -v: printable list of modifications */
	size_t modlen;
};

static bool is_final(int cmd)
{
	switch (cmd) {
	case R_ACCEPT: case R_CONTINUE: case R_DISCARD: case R_REJECT:
	case R_TEMPFAIL: case R_REPLYCODE: case R_CONN_FAIL: case R_SHUTDOWN:
		return true;
	default:
		return false;
	}
}

static bool is_mod(int cmd)
{
	switch (cmd) {
	case R_ADDRCPT: case R_DELRCPT: case R_ADDRCPT_PAR: case R_REPLBODY:
	case R_CHGFROM: case R_ADDHEADER: case R_INSHEADER: case R_CHGHEADER:
	case R_QUARANTINE:
		return true;
	default:
		return false;
	}
}

/* Printable copy of a reply's data for -v (NULs as " | "). */
static void trace_mod(struct msgtrace *t, int cmd, const unsigned char *d, size_t len)
{
	if (!opt.verbose)
		return;
	size_t room = sizeof t->mods - t->modlen;
	int n = snprintf(t->mods + t->modlen, room, "    %c ", cmd);
	if (n < 0 || (size_t)n >= room)
		return;
	t->modlen += (size_t)n;
	size_t i = 0;
	if ((cmd == R_INSHEADER || cmd == R_CHGHEADER) && len >= 4) {
		room = sizeof t->mods - t->modlen;
		n = snprintf(t->mods + t->modlen, room, "[%" PRIu32 "] ", rd32(d));
		if (n < 0 || (size_t)n >= room)
			return;
		t->modlen += (size_t)n;
		i = 4;
	}
	for (; i < len && t->modlen + 8 < sizeof t->mods; i++) {
		unsigned char ch = d[i];
		if (ch == '\0') {
			if (i + 1 < len)
				t->modlen += (size_t)snprintf(t->mods + t->modlen, 4, " | ");
		} else if (ch == '\n') {
			t->modlen += (size_t)snprintf(t->mods + t->modlen, 4, "\\n");
		} else if (ch < 0x20 || ch == 0x7f) {
			t->modlen += (size_t)snprintf(t->mods + t->modlen, 6, "\\x%02x", ch);
		} else {
			t->mods[t->modlen++] = (char)ch;
		}
	}
	if (t->modlen + 1 < sizeof t->mods)
		t->mods[t->modlen++] = '\n';
	t->mods[t->modlen] = '\0';
}

/* Check the shape of a reply's data; false = protocol error. */
static bool reply_shape_ok(int cmd, const unsigned char *d, size_t len)
{
	size_t nul = 0;

	for (size_t i = 0; i < len; i++)
		if (d[i] == '\0')
			nul++;
	switch (cmd) {
	case R_ADDHEADER:
		return len >= 2 && d[len - 1] == '\0' && nul == 2;
	case R_INSHEADER: case R_CHGHEADER:
		if (len < 6 || d[len - 1] != '\0')
			return false;
		nul = 0;
		for (size_t i = 4; i < len; i++)
			if (d[i] == '\0')
				nul++;
		return nul == 2;
	case R_REPLYCODE:
		return len >= 4 && d[len - 1] == '\0' && (d[0] == '4' || d[0] == '5');
	case R_ADDRCPT: case R_DELRCPT: case R_CHGFROM: case R_QUARANTINE: case R_ADDRCPT_PAR:
		return len >= 1 && d[len - 1] == '\0';
	default:
		return true;
	}
}

/* Wait for the reply to one step.  At end of message modifications and
 * progress may come first.  Records what ended the message. */
static enum step_result wait_step(struct conn *c, struct stats *st, struct msgtrace *t,
                                  const char *step, bool eom)
{
	for (;;) {
		int cmd;
		const unsigned char *d;
		size_t len;
		int r = read_reply(c, &cmd, &d, &len, (int)opt.timeout_s * 1000);
		if (r != 0) {
			warnx_("conn %u: %s: %s", c->id, step, read_err(r));
			return STEP_ERROR;
		}
		if (!reply_shape_ok(cmd, d, len)) {
			warnx_("conn %u: %s: malformed reply '%c' (%zu bytes)", c->id, step, cmd, len);
			return STEP_ERROR;
		}
		if (cmd == R_PROGRESS && eom) {
			st->progress++;
			continue;
		}
		if (is_mod(cmd)) {
			if (!eom) {
				warnx_("conn %u: %s: modification '%c' before end of message", c->id, step, cmd);
				return STEP_ERROR;
			}
			st->mods[cmd]++;
			if (cmd == R_CHGHEADER) {
				/* index, name, NUL, value, NUL: empty value = delete */
				const unsigned char *nameend = memchr(d + 4, '\0', len - 4);
				if (nameend != NULL && nameend + 1 < d + len && nameend[1] == '\0')
					st->deletes++;
			}
			t->nmods++;
			trace_mod(t, cmd, d, len);
			continue;
		}
		if (cmd == R_CONTINUE && !eom)
			return STEP_CONTINUE;
		if (cmd == R_SKIP && strcmp(step, "body") == 0) {
			st->skips++;
			return STEP_SKIP;
		}
		if (is_final(cmd)) {
			t->final = cmd;
			snprintf(t->where, sizeof t->where, "%s", step);
			if (cmd == R_REPLYCODE)
				trace_mod(t, cmd, d, len);
			return STEP_FINAL;
		}
		warnx_("conn %u: %s: unexpected reply '%c' (0x%02x)", c->id, step, cmd > 0x20 && cmd < 0x7f ? cmd : '?', cmd & 0xff);
		return STEP_ERROR;
	}
}

/* Send what is queued and, unless the step is no-reply, wait for its reply. */
static enum step_result do_step(struct conn *c, struct stats *st, struct msgtrace *t,
                                const char *step, bool noreply)
{
	if (conn_flush(c) != 0) {
		warnx_("conn %u: %s: write: %s", c->id, step, strerror(errno));
		return STEP_ERROR;
	}
	if (noreply)
		return STEP_CONTINUE;
	return wait_step(c, st, t, step, false);
}

/* CONNECT and HELO after negotiation.  0 ok, 1 refused by the milter, -1 error. */
static int session_steps(struct conn *c, struct stats *st)
{
	struct msgtrace t;

	memset(&t, 0, sizeof t);
	const char *cm[] = {"j", "mx.local.test", "{daemon_name}", "smtpd", "v", "Postfix 3.7.11",
	                    "_", "mx.example.net [192.0.2.10]", "{client_addr}", "192.0.2.10"};
	out_macros(c, C_CONNECT, cm, sizeof cm / sizeof cm[0]);
	if (!(c->prot & P_NOCONNECT)) {
		/* hostname NUL, family '4', port (network order), address NUL */
		static const char host[] = "mx.example.net";
		static const char addr[] = "192.0.2.10";
		unsigned char buf[sizeof host + 1 + 2 + sizeof addr];
		size_t o = 0;
		memcpy(buf, host, sizeof host);
		o += sizeof host;
		buf[o++] = '4';
		uint16_t port = (uint16_t)(40000 + c->id % 20000);
		buf[o++] = (unsigned char)(port >> 8);
		buf[o++] = (unsigned char)port;
		memcpy(buf + o, addr, sizeof addr);
		o += sizeof addr;
		out_pkt(c, C_CONNECT, buf, o);
		enum step_result r = do_step(c, st, &t, "connect", c->prot & P_NR_CONN);
		if (r == STEP_ERROR)
			return -1;
		if (r == STEP_FINAL) {
			st->refused++;
			return 1;
		}
	}
	const char *hm[] = {"{tls_version}", "", "{cipher}", ""};
	out_macros(c, C_HELO, hm, sizeof hm / sizeof hm[0]);
	if (!(c->prot & P_NOHELO)) {
		const char *helo[] = {"mx.example.net"};
		out_strs(c, C_HELO, helo, 1);
		enum step_result r = do_step(c, st, &t, "helo", c->prot & P_NR_HELO);
		if (r == STEP_ERROR)
			return -1;
		if (r == STEP_FINAL) {
			st->refused++;
			return 1;
		}
	}
	return 0;
}

static int session_start(struct conn *c, struct stats *st)
{
	if (negotiate(c) != 0)
		return -1;
	return session_steps(c, st);
}

static void record_latency(struct stats *st, uint64_t ns)
{
	if (st->nlat == st->latcap) {
		st->latcap = st->latcap ? st->latcap * 2 : 1024;
		st->lat_ns = xrealloc(st->lat_ns, st->latcap * sizeof *st->lat_ns);
	}
	st->lat_ns[st->nlat++] = ns;
}

/* How far a message goes: all the way, or stop before a step (drop mode),
 * or hold before BODYEOB (hold mode). */
enum stop_at { STOP_NONE, STOP_AFTER_MAIL, STOP_IN_HEADERS, STOP_IN_BODY, STOP_AFTER_EOB, STOP_HOLD };

static const char *reply_name(int cmd)
{
	switch (cmd) {
	case R_ACCEPT: return "accept";
	case R_CONTINUE: return "continue";
	case R_DISCARD: return "discard";
	case R_REJECT: return "reject";
	case R_TEMPFAIL: return "tempfail";
	case R_REPLYCODE: return "replycode";
	case R_CONN_FAIL: return "conn_fail";
	case R_SHUTDOWN: return "shutdown";
	case R_ADDHEADER: return "addheader";
	case R_INSHEADER: return "insheader";
	case R_CHGHEADER: return "chgheader";
	case R_ADDRCPT: return "addrcpt";
	case R_DELRCPT: return "delrcpt";
	case R_ADDRCPT_PAR: return "addrcpt_par";
	case R_REPLBODY: return "replbody";
	case R_CHGFROM: return "chgfrom";
	case R_QUARANTINE: return "quarantine";
	default: return NULL;
	}
}

/* Send one message.  Returns 0 when it got a final reply (or stopped where
 * asked), -1 on a protocol error, 1 when the milter ended the connection
 * on purpose (conn_fail / shutdown). */
static int send_message(struct conn *c, const struct message *m, struct stats *st,
                        enum stop_at stop, size_t body_target)
{
	struct msgtrace t;
	enum step_result r;
	char qid[32], mailaddr[BUFSIZ], rcptaddr[BUFSIZ];
	const char *sender = opt.sender;

	memset(&t, 0, sizeof t);
	if (strcmp(sender, "auto") == 0)
		sender = m->looks_bounce ? "<>" : "<news@example.org>";
	snprintf(qid, sizeof qid, "4X%03X%08lX", c->id & 0xfff, ++c->qid);
	snprintf(mailaddr, sizeof mailaddr, "%s", sender);
	snprintf(rcptaddr, sizeof rcptaddr, "%s", opt.rcpt);
	/* {mail_addr} / {rcpt_addr} are the addresses without brackets */
	if (mailaddr[0] == '<') {
		memmove(mailaddr, mailaddr + 1, strlen(mailaddr));
		mailaddr[strcspn(mailaddr, ">")] = '\0';
	}
	if (rcptaddr[0] == '<') {
		memmove(rcptaddr, rcptaddr + 1, strlen(rcptaddr));
		rcptaddr[strcspn(rcptaddr, ">")] = '\0';
	}

	const char *mm[] = {"i", qid, "{mail_addr}", mailaddr, "{mail_mailer}", "smtp"};
	out_macros(c, C_MAIL, mm, sizeof mm / sizeof mm[0]);
	if (!(c->prot & P_NOMAIL)) {
		const char *a[] = {sender, "BODY=8BITMIME"};
		out_strs(c, C_MAIL, a, 2);
		r = do_step(c, st, &t, "mail", c->prot & P_NR_MAIL);
		if (r != STEP_CONTINUE)
			goto ended;
	}
	if (stop == STOP_AFTER_MAIL)
		return conn_flush(c) == 0 ? 0 : -1;
	const char *rm[] = {"i", qid, "{rcpt_addr}", rcptaddr, "{rcpt_mailer}", "virtual"};
	out_macros(c, C_RCPT, rm, sizeof rm / sizeof rm[0]);
	if (!(c->prot & P_NORCPT)) {
		const char *a[] = {opt.rcpt};
		out_strs(c, C_RCPT, a, 1);
		r = do_step(c, st, &t, "rcpt", c->prot & P_NR_RCPT);
		if (r != STEP_CONTINUE)
			goto ended;
	}
	const char *im[] = {"i", qid};
	out_macros(c, C_DATA, im, 2);
	if (!(c->prot & P_NODATA)) {
		out_pkt(c, C_DATA, NULL, 0);
		r = do_step(c, st, &t, "data", c->prot & P_NR_DATA);
		if (r != STEP_CONTINUE)
			goto ended;
	}
	if (!(c->prot & P_NOHDRS)) {
		for (size_t i = 0; i < m->nhdr; i++) {
			const char *v = m->hdr[i].value;
			/* without HDR_LEADSPC the MTA drops one leading space */
			if (!(c->prot & P_HDR_LEADSPC) && v[0] == ' ')
				v++;
			const char *a[] = {m->hdr[i].name, v};
			out_strs(c, C_HEADER, a, 2);
			if (stop == STOP_IN_HEADERS && i == m->nhdr / 2)
				return conn_flush(c) == 0 ? 0 : -1;
			r = do_step(c, st, &t, "header", c->prot & P_NR_HDR);
			if (r != STEP_CONTINUE)
				goto ended;
		}
	}
	out_macros(c, C_EOH, im, 2);
	if (!(c->prot & P_NOEOH)) {
		out_pkt(c, C_EOH, NULL, 0);
		r = do_step(c, st, &t, "eoh", c->prot & P_NR_EOH);
		if (r != STEP_CONTINUE)
			goto ended;
	}
	if (!(c->prot & P_NOBODY)) {
		/* body_target > bodylen repeats the body (hold mode) */
		size_t total = body_target > m->bodylen ? body_target : m->bodylen;
		size_t sent = 0;
		bool skipped = false;
		while (sent < total && m->bodylen > 0 && !skipped) {
			unsigned char chunk[ML_CHUNK];
			size_t n = 0;
			while (n < ML_CHUNK && sent + n < total) {
				size_t off = (sent + n) % m->bodylen;
				size_t k = m->bodylen - off;
				if (k > ML_CHUNK - n)
					k = ML_CHUNK - n;
				if (k > total - sent - n)
					k = total - sent - n;
				memcpy(chunk + n, m->body + off, k);
				n += k;
			}
			if (stop == STOP_IN_BODY) {
				out_pkt(c, C_BODY, chunk, n / 2 + 1 > n ? n : n / 2 + 1);
				return conn_flush(c) == 0 ? 0 : -1;
			}
			out_pkt(c, C_BODY, chunk, n);
			sent += n;
			r = do_step(c, st, &t, "body", c->prot & P_NR_BODY);
			if (r == STEP_SKIP)
				skipped = true;
			else if (r != STEP_CONTINUE)
				goto ended;
		}
	}
	if (stop == STOP_HOLD)
		return conn_flush(c) == 0 ? 0 : -1;
	out_macros(c, C_BODYEOB, im, 2);
	out_pkt(c, C_BODYEOB, NULL, 0);
	if (conn_flush(c) != 0) {
		warnx_("conn %u: eom: write: %s", c->id, strerror(errno));
		return -1;
	}
	if (stop == STOP_AFTER_EOB)
		return 0;
	uint64_t t0 = now_ns();
	r = wait_step(c, st, &t, "eom", true);
	if (r == STEP_FINAL) {
		t.eom_ns = now_ns() - t0;
		record_latency(st, t.eom_ns);
	}
ended:
	if (r == STEP_ERROR) {
		st->errors++;
		return -1;
	}
	st->messages++;
	st->final[t.final & 0xff]++;
	if (strcmp(t.where, "eom") != 0)
		st->early[t.final & 0xff]++;
	if (opt.verbose) {
		const char *rn = reply_name(t.final);
		flockfile(stdout);
		printf("msg conn=%u qid=%s file=%s reply=%s at=%s eom_us=%.1f mods=%u\n%s", c->id, qid,
		       m->path, rn ? rn : "?", t.where, (double)t.eom_ns / 1000.0, t.nmods, t.mods);
		funlockfile(stdout);
	}
	if (t.final == R_CONN_FAIL || t.final == R_SHUTDOWN)
		return 1;
	/* Postfix sends ABORT after every message, finished or not */
	out_pkt(c, C_ABORT, NULL, 0);
	return 0;
}

static void session_quit(struct conn *c)
{
	out_pkt(c, C_QUIT, NULL, 0);
	(void)conn_flush(c);
}

/* ------------------------------------------------------------ workers */
struct worker {
	pthread_t tid;
	unsigned id;
	struct stats st;
	bool failed_setup;
	uint64_t t_end;
};

static pthread_barrier_t start_barrier, hold_barrier, release_barrier;
static uint64_t t_start;

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

/* drop: close the connection at a different point each time. */
static void run_drop(struct worker *w)
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

static void run_garbage(struct worker *w)
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

static void run_badneg(struct worker *w)
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
static void run_hold(struct worker *w)
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
