/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cli_sisimai.c - Sisimai-shaped JSON records (see cli_sisimai.h).
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "classify/addr.h"
#include "cli/cli_json.h"
#include "cli/cli_sisimai.h"
#include "classify/reason.h"

static bool cli_sisimai_first = true;

void
cli_sisimai_begin(void)
{
	fputs("[", stdout);
	cli_sisimai_first = true;
}

void
cli_sisimai_end(void)
{
	fputs(cli_sisimai_first ? "]\n" : "\n]\n", stdout);
}

bool
cli_sisimai_wants(const struct bounce_result *res, const struct bounce_rcpt *r)
{
	return res->kind != BOUNCE_KIND_NOT_BOUNCE && r != NULL &&
	    r->reason != BM_REASON_DELIVERED;
}

/* Sisimai::String->token: SHA-1 hex of STX addresser RS recipient RS
 * epoch ETX, both addresses lower-cased. */
static void
cli_sisimai_token(const char *from, const char *rcpt, int64_t epoch,
                  char out[41])
{
	char buf[2 * BM_ADDR_MAX + 64];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	int n;

	out[0] = '\0';
	if (from[0] == '\0' || rcpt[0] == '\0')
		return;
	n = snprintf(buf, sizeof(buf), "\x02%s\x1e%s\x1e%" PRId64 "\x03", from, rcpt, epoch);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return;
	for (i = 0; i < (unsigned int)n; i++)
		buf[i] = (char)tolower((unsigned char)buf[i]);
	if (EVP_Digest(buf, (size_t)n, md, &mdlen, EVP_sha1(), NULL) != 1 || mdlen != 20)
		return;
	for (i = 0; i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void
cli_sisimai_key(const char *key, const char *value)
{
	putchar(',');
	cli_json_string(key);
	putchar(':');
	cli_json_string(value);
}

static const char *
cli_sisimai_domain(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at != NULL ? at + 1 : "";
}

void
cli_sisimai_row(const char *origin, const struct bounce_result *res,
                const struct bounce_rcpt *r)
{
	char code[16] = "", tz[16] = "", token[41];
	const char *reason = reason_name(r->reason);
	const char *lhost = r->reporting_mta[0] ? r->reporting_mta : res->reporting_mta;
	const char *fbtype = r->feedback_type[0] ? r->feedback_type : res->feedback_type;
	/* Sisimai's recipient is the address delivery failed at (after alias
	 * expansion) and its alias the one the sender used; ours is the other
	 * way round when the bounce names both (record.h) */
	const char *rcpt = r->final_recipient[0] ? r->final_recipient : r->recipient;
	const char *alias = r->final_recipient[0] ? r->recipient : r->original_recipient;
	char from[BM_ADDR_MAX] = "";
	int soft;

	if (res->orig_from[0] != '\0' &&
	    addr_find(res->orig_from, strlen(res->orig_from), from, sizeof(from)) != 0)
		from[0] = '\0';
	if (r->replycode > 0)
		snprintf(code, sizeof(code), "%d", r->replycode);
	if (res->has_date)
		snprintf(tz, sizeof(tz), "%c%02d%02d", res->tz_offset < 0 ? '-' : '+',
		         abs(res->tz_offset) / 60, abs(res->tz_offset) % 60);
	cli_sisimai_token(from, rcpt, res->timestamp, token);
	/* Sisimai: -1 for what is no bounce (delivered, feedback, vacation) */
	if (r->cls == BM_CLASS_HARD)
		soft = 0;
	else if (r->cls == BM_CLASS_NONE || r->cls == BM_CLASS_AUTO_REPLY ||
	         r->cls == BM_CLASS_FEEDBACK)
		soft = -1;
	else
		soft = 1;

	fputs(cli_sisimai_first ? "\n{" : ",\n{", stdout);
	cli_sisimai_first = false;
	cli_json_string("action");
	putchar(':');
	cli_json_string(r->action);
	cli_sisimai_key("addresser", from);
	cli_sisimai_key("alias", alias);
	fputs(",\"catch\":null", stdout);
	cli_sisimai_key("command", r->smtp_command);
	cli_sisimai_key("decodedby", res->recogniser);
	cli_sisimai_key("deliverystatus", r->status);
	cli_sisimai_key("destination", cli_sisimai_domain(rcpt));
	cli_sisimai_key("diagnosticcode", r->diagnostic);
	cli_sisimai_key("diagnostictype", "");
	cli_sisimai_key("feedbacktype", fbtype);
	printf(",\"hardbounce\":%d", r->cls == BM_CLASS_HARD ? 1 : 0);
	cli_sisimai_key("lhost", lhost);
	cli_sisimai_key("listid", res->orig_list_id);
	cli_sisimai_key("messageid", res->message_id);
	cli_sisimai_key("origin", origin);
	cli_sisimai_key("reason", reason);
	cli_sisimai_key("recipient", rcpt);
	cli_sisimai_key("replycode", code);
	cli_sisimai_key("rhost", r->remote_mta);
	cli_sisimai_key("senderdomain", cli_sisimai_domain(from));
	cli_sisimai_key("smtpagent", res->recogniser);
	cli_sisimai_key("smtpcommand", r->smtp_command);
	printf(",\"softbounce\":%d", soft);
	cli_sisimai_key("subject", res->orig_subject);
	printf(",\"timestamp\":%" PRId64, res->timestamp);
	cli_sisimai_key("timezoneoffset", tz);
	cli_sisimai_key("token", token);
	putchar('}');
}
