/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <arpa/inet.h>
#include <stdatomic.h>
#include <fnmatch.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "daemon/conf.h"
#include "daemon/session.h"
#include "trust/batv.h"
#include "trust/spf.h"

#define SESSION_DEFAULT_BODY (1024 * 1024)

static const char *const session_our_names[] = {
	"X-Bounce-Class", "X-Bounce-Recipient", "X-Bounce-Origin",
};

/* Bounded copy; control characters become '?'. */
static void
session_copy(char *dst, size_t dstsz, const char *src, size_t len)
{
	size_t i;

	if (dstsz == 0)
		return;
	if (src == NULL)
		len = 0;
	if (len > dstsz - 1)
		len = dstsz - 1;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)src[i];

		dst[i] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
	}
	dst[i] = '\0';
}

/* Bytes of message data held by every session of the process (headers and
 * body prefixes in struct buf), under trust of max_total_message_bytes. */
static _Atomic size_t session_held;

size_t
session_held_bytes(void)
{
	return atomic_load(&session_held);
}

/* Reserve n more bytes for this message under the global cap.  Past the
 * cap the message is marked mem_capped and keeps nothing more: an examined
 * one is tempfailed at end of message (action.c), an ordinary one passes
 * as it would anyway (only its headers' X-Bounce-* names matter). */
static bool
session_reserve(struct session_msg *m, size_t n)
{
	size_t cap = m->cfg != NULL ? m->cfg->max_total_message_bytes : 0;
	size_t old;

	if (m->mem_capped)
		return false;
	old = atomic_fetch_add(&session_held, n);
	if (cap != 0 && old + n > cap) {
		atomic_fetch_sub(&session_held, n);
		m->mem_capped = true;
		return false;
	}
	m->held += n;
	return true;
}

struct session *
session_new(void)
{
	return calloc(1, sizeof(struct session));
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	session_msg_reset(s);
	free(s);
}

void
session_msg_reset(struct session *s)
{
	struct session_msg *m;

	if (s == NULL)
		return;
	m = &s->msg;
	if (m->held > 0)
		atomic_fetch_sub(&session_held, m->held);
	if (m->data.data != NULL)
		buf_free(&m->data);
	if (m->spf != NULL)
		spf_free(m->spf);
	if (m->cfg != NULL)
		conf_put(m->cfg);
	memset(m, 0, sizeof *m);
}

void
session_connect(struct session *s, const char *hostname, const struct sockaddr *sa)
{
	const void *a = NULL;

	session_copy(s->client_name, sizeof s->client_name, hostname,
	    hostname != NULL ? strlen(hostname) : 0);
	s->has_addr = false;
	s->ip[0] = '\0';
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		memcpy(&s->addr, sa, sizeof(struct sockaddr_in));
		a = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	} else if (sa->sa_family == AF_INET6) {
		memcpy(&s->addr, sa, sizeof(struct sockaddr_in6));
		a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	}
	if (a != NULL && inet_ntop(sa->sa_family, a, s->ip, sizeof s->ip) != NULL)
		s->has_addr = true;
	else
		s->ip[0] = '\0';
}

void
session_helo(struct session *s, const char *helo)
{
	session_copy(s->helo, sizeof s->helo, helo, helo != NULL ? strlen(helo) : 0);
}

void
session_strip_addr(const char *in, char *out, size_t outsz)
{
	size_t len;

	if (in == NULL)
		in = "";
	while (*in == ' ' || *in == '\t')
		in++;
	len = strlen(in);
	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t'))
		len--;
	if (len >= 2 && in[0] == '<' && in[len - 1] == '>') {
		in++;
		len -= 2;
	}
	if (len == 2 && in[0] == '"' && in[1] == '"')
		len = 0;
	session_copy(out, outsz, in, len);
}

bool
session_is_ours(const char *name)
{
	return name != NULL && strncasecmp(name, "X-Bounce-", 9) == 0;
}

void
session_mail(struct session *s, struct bm_config *cfg, const char *sender)
{
	struct session_msg *m = &s->msg;
	size_t body = cfg != NULL ? cfg->max_message_bytes : SESSION_DEFAULT_BODY;

	session_msg_reset(s);
	m->active = true;
	m->cfg = cfg;
	buf_init(&m->data, BM_SESSION_HDR_MAX + 2 + body);
	session_strip_addr(sender, m->mail_from, sizeof m->mail_from);
	m->null_sender = m->mail_from[0] == '\0';
	for (size_t i = 0; i < sizeof session_our_names / sizeof session_our_names[0]; i++)
		session_copy(m->forged[m->nforged++].name, BM_SESSION_NAME_MAX,
		    session_our_names[i], strlen(session_our_names[i]));
	if (m->null_sender)
		session_spf_start(s);
}

static bool
session_glob_match(char *const *globs, const char *addr)
{
	if (globs == NULL)
		return false;
	for (; *globs != NULL; globs++)
		if (fnmatch(*globs, addr, FNM_CASEFOLD) == 0)
			return true;
	return false;
}

void
session_rcpt(struct session *s, const char *rcpt)
{
	struct session_msg *m = &s->msg;
	char addr[BM_ADDR_MAX], dec[BM_ADDR_MAX], inner[BM_ADDR_MAX];
	const char *v;
	enum sign_status b = SIGN_NONE;
	bool hit = false;

	if (!m->active)
		return;
	m->nrcpt++;
	session_strip_addr(rcpt, addr, sizeof addr);
	if (m->cfg == NULL || addr[0] == '\0')
		return;
	v = addr;
	/* BATV: prvs=KDDDSSSSSS=inner; the inner address is what the rest
	 * of the checks see.  The first BATV recipient decides. */
	if (m->cfg->keys.n > 0 && m->batv == SIGN_NONE && m->verp == VERP_NO_MATCH) {
		b = batv_check(&m->cfg->keys, addr, time(NULL), inner, sizeof inner);
		if (b != SIGN_NONE) {
			m->batv = b;
			v = inner;
			hit = true;
		}
	}
	if (session_glob_match(m->cfg->bounce_address, v))
		hit = true;
	if (m->verp == VERP_NO_MATCH && m->cfg->verp_patterns != NULL &&
	    m->cfg->verp_patterns[0] != NULL) {
		struct verp_check chk = { &m->cfg->keys, m->cfg->verp_tag_len, time(NULL) };
		/* inside a BATV address the BATV tag decides (action.c): the
		 * VERP address it wraps is what it signs */
		enum verp_status st = verp_decode((const char *const *)m->cfg->verp_patterns,
		    v, b != SIGN_NONE ? NULL : &chk, dec, sizeof dec);

		if (st != VERP_NO_MATCH) {
			m->verp = st;
			session_copy(m->verp_rcpt, sizeof m->verp_rcpt, addr, strlen(addr));
			session_copy(m->verp_addr, sizeof m->verp_addr, dec, strnlen(dec, sizeof dec));
			hit = true;
		}
	}
	if (hit) {
		m->to_bounce_address = true;
		session_spf_start(s);
	}
}

static void
session_note_forged(struct session_msg *m, const char *name)
{
	for (size_t i = 0; i < m->nforged; i++) {
		if (strcasecmp(m->forged[i].name, name) == 0) {
			m->forged[i].count++;
			return;
		}
	}
	if (m->nforged >= BM_SESSION_FORGED_MAX || strlen(name) >= BM_SESSION_NAME_MAX) {
		m->forged_overflow = true;
		return;
	}
	session_copy(m->forged[m->nforged].name, BM_SESSION_NAME_MAX, name, strlen(name));
	m->forged[m->nforged].count = 1;
	m->nforged++;
}

static bool
session_is_report(const char *v)
{
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	if (strncasecmp(v, "multipart/report", 16) != 0)
		return false;
	v += 16;
	return *v == '\0' || *v == ';' || *v == ' ' || *v == '\t' || *v == '\r' ||
	    *v == '\n' || *v == '(';
}

/* "Name: value" CRLF, with the value's bare LF folds turned into CRLF. */
static void
session_keep_header(struct session_msg *m, const char *name, const char *value)
{
	size_t nlen = strlen(name), vlen = strlen(value), need = nlen + 4 + vlen;
	const char *p, *lf;

	for (p = value; (p = strchr(p, '\n')) != NULL; p++)
		need++;
	if (m->hdr_truncated || m->hdr_bytes + need > BM_SESSION_HDR_MAX) {
		m->hdr_truncated = true;
		return;
	}
	if (!session_reserve(m, need)) {
		m->hdr_truncated = true;
		return;
	}
	(void)buf_append(&m->data, name, nlen);
	(void)buf_append(&m->data, ": ", 2);
	for (p = value; (lf = strchr(p, '\n')) != NULL; p = lf + 1) {
		size_t seg = (size_t)(lf - p);

		if (seg > 0 && p[seg - 1] == '\r')
			seg--;
		(void)buf_append(&m->data, p, seg);
		(void)buf_append(&m->data, "\r\n", 2);
	}
	(void)buf_append(&m->data, p, strlen(p));
	(void)buf_append(&m->data, "\r\n", 2);
	m->hdr_bytes = m->data.len;
}

void
session_header(struct session *s, const char *name, const char *value)
{
	struct session_msg *m = &s->msg;

	if (!m->active || m->in_body)
		return;
	if (name == NULL)
		name = "";
	if (value == NULL)
		value = "";
	if (session_is_ours(name))
		session_note_forged(m, name);
	if (!m->ctype_seen && strcasecmp(name, "Content-Type") == 0) {
		m->ctype_seen = true;
		m->report_type = session_is_report(value);
		if (m->report_type)
			session_spf_start(s);
	}
	if (strcasecmp(name, "Authentication-Results") == 0 &&
	    m->cfg != NULL && m->cfg->authserv_id[0] != '\0') {
		struct authres_spf r;
		enum authres_status st = authres_spf(value, strlen(value),
		    m->cfg->authserv_id, &r);

		/* every header with our id is counted: a second one means a
		 * sender added one, and then none is believed */
		if (st != AUTHRES_FOREIGN && m->authres_ours++ == 0) {
			m->authres = st;
			m->authres_spf = r;
		}
	}
	session_keep_header(m, name, value);
}

void
session_eoh(struct session *s)
{
	struct session_msg *m = &s->msg;

	if (!m->active || m->in_body)
		return;
	if (session_reserve(m, 2))
		(void)buf_append(&m->data, "\r\n", 2);
	m->hdr_bytes = m->data.len;
	m->in_body = true;
}

bool
session_body(struct session *s, const unsigned char *chunk, size_t len)
{
	struct session_msg *m = &s->msg;
	size_t max, room;

	if (!m->active)
		return true;
	if (!m->in_body)
		session_eoh(s);
	if (!session_examined(s))
		return true;   /* ordinary mail: only its headers matter */
	max = m->cfg != NULL ? m->cfg->max_message_bytes : SESSION_DEFAULT_BODY;
	room = m->body_bytes < max ? max - m->body_bytes : 0;
	if (chunk == NULL)
		len = 0;
	if (len > room) {
		len = room;
		m->body_truncated = true;
	}
	if (len > 0 && !session_reserve(m, len)) {
		m->body_truncated = true;
		return true;
	}
	if (len > 0 && buf_append(&m->data, chunk, len) == 0)
		m->body_bytes += len;
	else if (len > 0)
		m->body_truncated = true;
	if (m->body_bytes >= max)
		m->body_truncated = true;
	return m->body_truncated;
}

void
session_set_qid(struct session *s, const char *qid)
{
	if (qid == NULL || *qid == '\0')
		return;
	session_copy(s->msg.qid, sizeof s->msg.qid, qid, strlen(qid));
}

bool
session_examined(const struct session *s)
{
	const struct session_msg *m = &s->msg;

	return m->active && (m->null_sender || m->report_type || m->to_bounce_address);
}

void
session_spf_start(struct session *s)
{
	struct session_msg *m = &s->msg;

	if (!m->active || m->spf != NULL || m->cfg == NULL || !m->cfg->spf_on)
		return;
	m->spf = spf_start(s->has_addr ? (const struct sockaddr *)&s->addr : NULL,
	    s->helo, m->mail_from);
}
