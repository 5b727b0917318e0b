/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * milter-load-proto.c - the MTA side of the milter protocol for
 * milter-load: a connection and its packets, negotiation, and one
 * session (a message's steps, every reply checked against the protocol).
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

/* ------------------------------------------------------------ connection */
int conn_open(struct conn *c, unsigned id)
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

void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->out);
	free(c->in);
	c->out = c->in = NULL;
	c->olen = c->ocap = c->ilen = c->ipos = c->icap = 0;
}

void out_raw(struct conn *c, const void *data, size_t len)
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
void out_pkt(struct conn *c, int cmd, const void *data, size_t len)
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

int conn_flush(struct conn *c)
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
int wait_read(int fd, int ms)
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

const char *read_err(int r)
{
	switch (r) {
	case -1: return "read error";
	case -2: return "connection closed by milter";
	case -3: return "timeout waiting for the milter";
	case -4: return "bad reply length";
	default: return "error";
	}
}

void send_optneg(struct conn *c, uint32_t version, uint32_t acts, uint32_t prot)
{
	unsigned char d[12];

	wr32(d, version);
	wr32(d + 4, acts);
	wr32(d + 8, prot);
	out_pkt(c, C_OPTNEG, d, sizeof d);
}

/* Read the negotiation reply.  0 ok, <0 read error, -5 not an OPTNEG reply. */
int read_optneg(struct conn *c, int ms)
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

int negotiate(struct conn *c)
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
int session_steps(struct conn *c, struct stats *st)
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

int session_start(struct conn *c, struct stats *st)
{
	if (negotiate(c) != 0)
		return -1;
	return session_steps(c, st);
}

void record_latency(struct stats *st, uint64_t ns)
{
	if (st->nlat == st->latcap) {
		st->latcap = st->latcap ? st->latcap * 2 : 1024;
		st->lat_ns = xrealloc(st->lat_ns, st->latcap * sizeof *st->lat_ns);
	}
	st->lat_ns[st->nlat++] = ns;
}


const char *reply_name(int cmd)
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
int send_message(struct conn *c, const struct message *m, struct stats *st,
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

void session_quit(struct conn *c)
{
	out_pkt(c, C_QUIT, NULL, 0);
	(void)conn_flush(c);
}
