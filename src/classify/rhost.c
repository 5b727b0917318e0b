/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rhost.c - remote hosts' own wording (rhost.h).  Data first, then the
 * host-name matching.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "classify/rhost.h"
#include "util/text.h"

/* Remote hosts whose own wording says more than the SMTP step does.  A rule
 * applies when the recipient's domain or the remote MTA's host name is
 * `domain` or under it, and the diagnostic holds `phrase`. */
static const struct {
	const char *domain;
	const char *phrase;
	enum bm_reason reason;
} classify_rhost_rules[] = {
	/* au (KDDI): "550 <a@b>: User unknown" names a dead address; the same
	 * words with no address ("550 : User unknown") answer a sender the
	 * recipient filters out */
	{ "ezweb.ne.jp", ">: user unknown", BM_REASON_USERUNKNOWN },
	{ "au.com", ">: user unknown", BM_REASON_USERUNKNOWN },
	{ "ezweb.ne.jp", " : user unknown", BM_REASON_FILTERED },
	{ "au.com", " : user unknown", BM_REASON_FILTERED },
	/* Orange and La Poste number their refusals (LPN007_416, OFR_416):
	 * 416 and 418 are invalid recipients, whatever step they answer */
	{ "laposte.net", "_416", BM_REASON_USERUNKNOWN },
	{ "laposte.net", "_418", BM_REASON_USERUNKNOWN },
	{ "orange.fr", "_416", BM_REASON_USERUNKNOWN },
	{ "orange.fr", "_418", BM_REASON_USERUNKNOWN },
	{ "wanadoo.fr", "_416", BM_REASON_USERUNKNOWN },
	{ "wanadoo.fr", "_418", BM_REASON_USERUNKNOWN },
	/* Outlook.com answers a recipient it does not have with RFC 5321's
	 * generic "550 Requested action not taken: mailbox unavailable"
	 * (Microsoft's Outlook.com postmaster pages, "mailbox unavailable":
	 * the address does not exist) */
	{ "hotmail.com", "mailbox unavailable", BM_REASON_USERUNKNOWN },
	{ "outlook.com", "mailbox unavailable", BM_REASON_USERUNKNOWN },
	{ "live.com", "mailbox unavailable", BM_REASON_USERUNKNOWN },
	{ "msn.com", "mailbox unavailable", BM_REASON_USERUNKNOWN },
};

/* Length of the host name at host: up to a space, '(', '[' or ';',
 * trailing dots dropped. */
static size_t host_len(const char *host)
{
	size_t n = strcspn(host, " ([;");

	while (n > 0 && host[n - 1] == '.')
		n--;
	return n;
}

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* host[0..n) is domain[0..dlen) or a name under it.  The last bytes are
 * compared first: most hosts end otherwise. */
static inline bool host_under(const char *host, size_t n, const char *domain,
                              size_t dlen)
{
	if (n < dlen || ascii_lower(host[n - 1]) != ascii_lower(domain[dlen - 1]) ||
	    strncasecmp(host + n - dlen, domain, dlen) != 0)
		return false;
	return n == dlen || host[n - dlen - 1] == '.';
}

bool rhost_reason(const struct bounce_rcpt *r, enum bm_reason *out)
{
	const char *at = strrchr(r->recipient, '@'), *domain = NULL;
	/* the host that wrote the words: the remote MTA, else (a provider
	 * that accepted the message and bounced it itself) the reporting one */
	const char *mta = r->remote_mta[0] != '\0' ? r->remote_mta : r->reporting_mta;
	size_t k, at_len = 0, mta_len = host_len(mta);
	size_t dlen = strnlen(r->diagnostic, sizeof(r->diagnostic));
	bool under = false;

	if (at != NULL)
		at_len = host_len(++at);
	for (k = 0; k < sizeof(classify_rhost_rules) / sizeof(classify_rhost_rules[0]); k++) {
		/* rules of one domain follow each other: test the hosts once */
		if (classify_rhost_rules[k].domain != domain) {
			size_t domain_len;

			domain = classify_rhost_rules[k].domain;
			domain_len = strlen(domain);
			under = (at != NULL && host_under(at, at_len, domain, domain_len)) ||
			        host_under(mta, mta_len, domain, domain_len);
		}
		if (!under)
			continue;
		if (text_find(r->diagnostic, dlen, classify_rhost_rules[k].phrase) != NULL) {
			*out = classify_rhost_rules[k].reason;
			return true;
		}
	}
	return false;
}

/* Amazon SES inbound (inbound-smtp.<region>.amazonaws.com) accepts a
 * message and then bounces it only through a receipt rule's Bounce action,
 * whose reply code and text the domain's owner writes (SES API reference,
 * "BounceAction": Message, SmtpReplyCode, StatusCode).  Its reply is a
 * rule's verdict, not a directory lookup: an address-dead reason it gives
 * is a filter. */
bool rhost_receipt_rule(const struct bounce_rcpt *r, enum bm_reason reason,
                         enum bm_reason *out)
{
	static const char domain[] = "amazonaws.com";
	size_t n = host_len(r->reporting_mta);

	if (reason != BM_REASON_USERUNKNOWN || strncasecmp(r->reporting_mta,
	                                                   "inbound-smtp.", 13) != 0 ||
	    !host_under(r->reporting_mta, n, domain, sizeof(domain) - 1))
		return false;
	*out = BM_REASON_FILTERED;
	return true;
}

