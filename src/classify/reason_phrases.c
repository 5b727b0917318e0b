/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * reason_phrases.c - the phrase tables behind reason_from_text(): for each
 * reason, the fixed phrases real MTAs and providers write, and the order
 * in which reasons are tried (reason_rules[]).  Data only; the matching is
 * in reason.c.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>

#include "classify/reason_phrases.h"
#include "classify/phrases.h"

/* ------------------------------------------------------------ phrase tables
 * All phrases are lower case with single spaces.  A phrase that starts or
 * ends with a space only matches at a word edge (the text is padded with a
 * space on both sides).
 */

static const char *const p_hasmoved[] = {
	"has been moved", "mailbox has moved", "user has moved",
	"address has moved", "has been replaced by", "no forwarding address",
	"moved permanently",
	NULL
};

static const char *const p_norelaying[] = {
	"relay access denied", "relaying denied", "relay denied",
	"relay not permitted", "relaying not permitted", "relaying not allowed",
	"relay not allowed", "not permitted to relay", "we do not relay",
	"unable to relay", "relay prohibited", "relaying prohibited",
	"relaying to <", "relaying mail to", "is not a gateway",
	"not allowed to relay", "no relaying", "relay rejected",
	"relay access is denied", "cannot relay", "can't relay",
	"relaying is not allowed", "relay attempt", "insecure mail relay",
	"email address is not verified", "not configured to relay",
	"domain isn't in my list of allowed rcpthosts",
	"not in my list of allowed rcpthosts",
	"mail server permanently rejected message (#5.3.0)",
	NULL
};

static const char *const p_mailboxfull[] = {
	"mailbox full", "mailbox is full", "mail box full", "mailbox is over",
	"mailbox over quota", "over quota", "overquota", "over the quota",
	"quota exceeded", "quota exceed", "exceeded quota", "exceeds quota",
	"exceed quota", "exceeded the quota", "exceeds the quota",
	"exceed the quota", "exceeded his quota", "exceeded her quota",
	"exceeded their quota", "exceeded its quota", "quota has been exceeded",
	"quota full", "quota violation", "mailbox quota", "disk quota",
	"storage quota", "quota limit", "would exceed quota",
	"user's quota", "users quota", "mailbox has exceeded",
	"mailbox exceeded", "mailbox size limit exceeded",
	"mailbox size exceeded", "exceeded storage allocation",
	"exceeded its storage", "exceeded their storage",
	"exceeded the storage", "inbox is full", "account is full",
	"mailfolder is full", "mail folder is full", "mailbox is too full",
	"recipient's mailbox is full", "mailbox has reached its",
	"maildir over quota", "maildir delivery failed: quota",
	"account has exceeded", "out of storage", "no more space",
	"exceeding its mailbox quota", "mailbox would exceed",
	"is over its quota", "is over their quota", "full mailbox",
	"insufficient space in mailbox", "mailbox not large enough",
	"the user's mailbox is full", "mailbox capacity exceeded",
	"exceeded the storage allocation", "storage allocation exceeded",
	"user over quota", "dquot", "mailbox limit exceeded",
	"diskspace quota", "disk space quota", "temporarily over quota",
	"disc quota", "does not have enough space", "not enough storage space",
	"reached disk quota", "exceed maximum allowed storage", "allowed quota", "mailbox exceeds",
	"space has been used up", "too much mail data",
	"too many messages on the server", "disk space limit",
	NULL
};

static const char *const p_exceedlimit[] = {
	"message length exceeds administrative limit",
	"exceeds administrative limit",
	"message header size exceeds limit",
	"header size exceeds",
	"message exceeds the recipient's limit",
	NULL
};

static const char *const p_mesgtoobig[] = {
	"message too big", "message too large", "message is too big",
	"message is too large", "message size exceeds", "message exceeds",
	"exceeds size limit", "exceeds the size limit", "size limit exceeded",
	"exceeds the maximum size", "exceeds the maximum message size",
	"exceeds maximum message size", "exceeded maximum message size",
	"maximum message size", "max message size", "message size limit",
	"mail size limit", "message is larger than", "email is too large",
	"email too large", "mail too large", "mail is too large",
	"too large for this", "size of message exceeds", "message exceeded",
	"exceeds fixed maximum message size", "message file too big",
	"message length exceeds", "line length exceeded",
	"size exceeds the maximum", "larger than the maximum allowed",
	"the message size exceeds", "message size too large",
	"line limit exceeded",
	NULL
};

static const char *const p_virusdetected[] = {
	"virus detected", "virus found", "contains a virus", "contained a virus",
	"infected with", "virus infected", "infected message", "virus was detected",
	"a virus was", "contains virus", "malware detected", "contains malware",
	"malware was detected", "viral content", "infected attachment",
	"virus scan", "found a virus", "virus signature", "is infected",
	"message contains a trojan", "detected malware", "malicious attachment",
	NULL
};

static const char *const p_spamdetected[] = {
	"spam detected", "detected as spam", "identified as spam",
	"considered spam", "considered as spam", "classified as spam",
	"marked as spam", "looks like spam", "looked like spam",
	"appears to be spam", "rejected as spam", "blocked as spam",
	"spam message", "spam content", "spam score", "spamscore",
	"suspected spam", "probable spam", "possible spam", "likely spam",
	"message is spam", "is spam", "spam not accepted", "spam rejected",
	"spam-like", "spamlike", "spamming not allowed", "spam filter",
	"scored as spam", "determined to be spam", "high spam",
	"spam policy", "unsolicited mail", "unsolicited email",
	"unsolicited bulk", "unsolicited commercial", "bulk mail",
	" uce ", " spam ", " spam.", "- spam", " ube,", " ube ",
	"as spam", "spam signature", "message filtered as spam",
	"reject spam", "spam mail", "our spam", "anti-spam", "antispam",
	"junk mail",
	NULL
};

static const char *const p_requireptr[] = {
	"reverse dns", "reverse-dns", "reverse lookup", "reverse hostname",
	"reverse host name", "ptr record", "ptr resource record", "dns ptr",
	"no ptr", "missing ptr", "invalid ptr", "rdns", "cannot find your hostname",
	"can't find your hostname", "cannot resolve your hostname",
	"cannot resolve your address", "unable to resolve your hostname",
	"ip name lookup failed", "no reverse", "unresolvable relay host name",
	"your host name does not resolve", "hostname does not resolve",
	"does not have a ptr", "client host rejected: cannot find",
	"sender ip must resolve", "ip address must resolve",
	NULL
};

static const char *const p_authfailure[] = {
	"spf check failed", "spf fail", "spf validation", "spf record",
	"spf check", "spf policy", "failed spf", "spf=fail", "spf softfail",
	"sender policy framework", "does not designate", "not designate",
	"designates", "dmarc", "dkim", "domainkeys", "sender is unauthenticated",
	"unauthenticated email", "unauthenticated mail", "not authenticated",
	"failed authentication", "authentication checks", "sender authentication",
	"message failed authentication", "is not authorized to send",
	"not an authorized sender", "unauthorized sender",
	"sender address is not authorized", "domain authentication",
	"authentication information", "fails to pass authentication",
	"email authentication", "authentication failure for",
	NULL
};

static const char *const p_badreputation[] = {
	"poor reputation", "bad reputation", "low reputation",
	"reputation", "sender score", "senderscore", "not a trusted sender",
	"ip has a poor", "sending ip has", "domain has a poor",
	NULL
};

static const char *const p_suspend[] = {
	"account disabled", "account has been disabled", "account is disabled",
	"account was disabled", "mailbox disabled", "mailbox is disabled",
	"mailbox has been disabled", "disabled mailbox", "disabled account",
	"account suspended", "account has been suspended", "account is suspended",
	"mailbox suspended", "mailbox is suspended", "suspended account",
	"account inactive", "inactive account", "inactive mailbox",
	"mailbox inactive", "mailbox is inactive", "account is inactive",
	"account has been deactivated", "account deactivated",
	"mailbox has been deactivated", "deactivated mailbox",
	"account has expired", "account expired", "account is expired",
	"account is locked", "account locked", "account has been locked",
	"mailbox is locked", "mailbox locked", "is not active",
	"no longer active", "blocked due to inactivity", "due to inactivity",
	"temporarily disabled", "account has been frozen", "account is frozen",
	"mailbox is frozen", "user suspended", "recipient suspended",
	"account has been closed", "account is closed", "account closed",
	"mailbox closed", "mailbox is closed", "disabled or discontinued",
	"account is unavailable", "has been disabled", "has been suspended",
	"user account disabled", "this mailbox is disabled",
	"tried to reach is disabled", "tried to reach is inactive",
	"inactive user", "currently suspended", "suspend the service",
	"is disabled", "is inactive",
	NULL
};

/* "Recipient address rejected" with nothing more specific: Postfix's
 * prefix for recipient checks, most often a directory lookup. */
static const char *const p_userunknown_weak[] = {
	"recipient address rejected", "recipient rejected",
	"check if address is correct", "check the recipient address",
	"please check the address",
	NULL
};

static const char *const p_userunknown[] = {
	"user unknown", "unknown user", "user is unknown", "user not known",
	"unknown recipient", "recipient unknown", "recipient is unknown",
	"unknown local part", "unknown local-part", "unknown address",
	"address unknown", "addressee unknown", "unknown mailbox",
	"mailbox unknown", "unknown email address", "unknown e-mail address",
	"no such user", "no such mailbox", "no such recipient", "no such account",
	"no such address", "no such person", "no such local user",
	"no such e-mail", "no such email", "nosuchuser", "user_unknown",
	"recipient not found", "user not found", "mailbox not found",
	"address not found", "account not found", "recipient not recognized",
	"not a valid mailbox", "not a valid recipient", "not a valid user",
	"invalid recipient", "invalid mailbox", "invalid user",
	"bad recipient", "bad destination mailbox", "user invalid",
	"recipient invalid", "mailbox invalid", "mailbox does not exist",
	"mailbox doesn't exist", "mailbox not present", "user does not exist",
	"user doesn't exist", "account does not exist", "account doesn't exist",
	"recipient does not exist", "recipient doesn't exist",
	"address does not exist", "address doesn't exist",
	"email account that you tried to reach does not exist",
	"that you tried to reach does not exist", "does not exist here",
	"user doesn't have a", "doesn't have an account", "does not have an account",
	"no mailbox here by that name", "no mailbox by that name",
	"no account by that name", "no user by that name",
	"unknown or illegal alias", "is not a known user",
	"recipient address rejected: user unknown",
	"recipient address rejected: unknown", "address rejected: undeliverable",
	"recipient address rejected: access denied",
	"recipnotfound", "recipient was not found",
	"e-mail address was not found", "email address was not found",
	"address could not be found", "couldn't be found", "could not be found",
	"not listed in domino directory", "not listed in public name",
	"not listed in the address book", "mailbox unavailable",
	"no valid recipients", "unknown or invalid",
	"destination addresses were unknown", "is not a valid e-mail",
	"this user doesn't have", "the user does not exist",
	"user does not have a mailbox", "there is no such user",
	"unrecognized recipient", "no such recipient here",
	"not a registered user", "no mailbox for", "does not exist",
	"mailbox not available", "account has been removed", "user removed",
	"no longer exists", "no longer valid", "was not found in ldap",
	"user not exist", "user not local", "address is not valid",
	"invalid address", "mailbox name not allowed", "not our customer",
	"no longer accepts mail", "this address is no longer in use",
	"archived recipient", "bad-recipient", "bad_recipient", "can't accept user",
	"destination server rejected recipients", "invalid mailbox path",
	"not an active address", "no mail box available", "no mailbox found",
	"non-existent user", "nonexistent user", "not a local address",
	"recipient is not local", "recipient not ok", "recipient not exist",
	"badrcptto", "email name is not found", "no one at this address",
	"missing home directory", "user not active", "unknown virtual user",
	"mailbox is unavailable",
	"recipientnotfound", "recipient not found by smtp address lookup",
	NULL
};

static const char *const p_hostunknown[] = {
	"host unknown", "unknown host", "host not found", "hostname not found",
	"domain not found", "no such domain", "domain does not exist",
	"domain doesn't exist", "domain name not found", "unknown domain",
	"domain unknown", "invalid domain", "name or service not known",
	"host or domain name not found", "no mx record", "no mx or a record",
	"mx record not found", "illegal host/domain name",
	"unrouteable address", "unroutable address", "nxdomain",
	"dns error: domain", "domain is not valid", "domain must exist",
	"no valid mx", "all relevant mx records point to non-existent hosts",
	
	"recipient domain does not exist", "domain name does not exist",
	"unknown mail domain", "no such host", "nonexistent domain",
	"non-existent domain", "not a valid domain",
	"name server: host not found", "dns name does not exist",
	"domain is not reachable",
	"account or domain may not exist", "mail domain mentioned in email address is unknown",
	"couldn't find any host named",
	"could not find any host", "couldn't find a mail exchanger",
	NULL
};

static const char *const p_notaccept[] = {
	"does not accept mail", "does not accept e-mail", "does not accept email",
	"doesn't accept mail", "not accepting mail", "not accepting any mail",
	"accepts no mail", "no mail accepted", "null mx", "(nullmx)",
	"domain does not receive", "does not receive mail",
	"this domain does not accept", "mail is not accepted for",
	"does not accept incoming mail", "not accepting network messages",
	"mail service is not available for this domain",
	NULL
};

static const char *const p_toomanyconn[] = {
	"too many connections", "too many concurrent", "too many simultaneous",
	"too many smtp sessions", "too many sessions", "connection limit",
	"maximum connection", "max connections", "too many open connections",
	"number of connections", "concurrent connections",
	"connection rate limit", "too many connection", "too many recipients",
	"temporarily deferred due to unexpected volume", "frequency limited",
	NULL
};

/* Per-hour sending quotas: rate, even where "too many recipients"
 * (a connection-level limit) also appears. */
static const char *const p_speeding_quota[] = {
	"recipients this hour", "recipients per hour", "messages per hour",
	"messages this hour", "emails per hour",
	NULL
};

static const char *const p_speeding[] = {
	"rate limit", "rate-limit", "ratelimit", "rate limited",
	"sending rate", "too many messages", "too many emails", "too many mails",
	"throttl", "slow down", "please try again slower",
	"receiving mail at a rate", "unusual rate", "exceeded the rate",
	"message rate", "mail flood", "too many recipients this hour",
	"sending limit", "daily limit", "hourly limit", "too fast",
	"rate of", "volume of mail",
	NULL
};

/* The sending host is on a block list: named before any spam wording,
 * since list names and URLs contain "spam". */
/* Block lists of URLs in the content: spam, not the sending host. */
static const char *const p_spam_uri[] = {
	"blacklisted url", "blocklisted url", "url in message", "uribl", "surbl",
	"dbl.spamhaus", "spamhaus dbl",
	NULL
};

static const char *const p_blocked_listed[] = {
	"blocked using", "listed at", "dnsbl",
	"blacklisted", "blocklisted", "spamhaus", "spamcop", "sorbs",
	"barracudacentral", "on our block list", "on a block list",
	"on our blocklist", "in our blacklist", " rbl", "rbl ",
	"client host blocked", "client host rejected",
	NULL
};

static const char *const p_blocked[] = {
	"blocked using", "listed in", "listed on", "blacklist", "black list",
	"blocklist", "block list", "blocklisted", "blacklisted", "denylist",
	"dnsbl", " rbl", "rbl ", "spamhaus", "spamcop", "sorbs",
	"barracudacentral", "client host [", "refused to talk to me", "your ip", "your host",
	"sending ip", "sender ip", "ip address is", "ip blocked", "blocked ip",
	"ip address has been", "host blocked", "host is blocked",
	"has been blocked", "have been blocked", "is blocked", "are blocked",
	"temporarily blocked", "blocked by", "blocked for", "blocked because",
	"banned", "connection refused by", "connection rejected",
	"access denied", "not allowed to send mail from", "dynamic ip",
	"dynamic address", "dynamically assigned", "dial-up", "dialup",
	"residential", "mail from your ip", "mail from this ip",
	"not accepting mail from", "we do not accept mail from",
	"rejected because of your ip",
	"your network", "your server", "your mail server", "your domain",
	"poor ip", "unfortunately, messages from", "weren't sent",
	"access from ip address", "rejecting open proxy", "not allowed to connect",
	"go away",
	"invalid ip for sending",
	NULL
};

/* Bare refusal words: the last resort for a sender-side block. */
static const char *const p_blocked_generic[] = {
	"deny", "denied", "blocked", "service unavailable",
	NULL
};

/* Policy refusals worded with "blocked": named before the block words. */
static const char *const p_policy_strong[] = {
	"content presents a potential", "policy violation",
	"not accepted for policy reasons", "due to policy restrictions",
	"organization policy", "organization's policy", "denied by policy",
	NULL
};

static const char *const p_policyviolation[] = {
	"policy violation", "violates", "violation of", "policy reasons",
	"due to policy", "policy restriction", "against policy",
	"organization policy", "organization's policy", "outbound message policy",
	"content policy", "not accepted for policy", "by policy",
	"local policy", "policy rules", 
	"mass mailer",
	"message not accepted for policy", "header error",
	"content presents a potential", "policy",
	NULL
};

static const char *const p_securityerror[] = {
	"authentication required", "authentication is required",
	"must authenticate", "authenticate first", "smtp auth",
	"authentication failed", "authentication failure",
	"authentication credentials invalid", "unauthenticated senders",
	"not authorized to send mail, authentication",
	"you don't authenticate", "password", "credentials",
	"executable files are not allowed", "security policy", "security reasons",
	"potential security issue", "security issue",
	NULL
};

static const char *const p_failedstarttls[] = {
	"starttls is required", "must issue a starttls", "starttls required",
	"tls required", "tls is required", "requires tls", "require tls",
	"encryption required", "encryption is required", "requiretls",
	"tls handshake", "tls negotiation failed", "starttls failed",
	"tls not available", "failed to establish tls",
	NULL
};

static const char *const p_rejected[] = {
	"sender address rejected", "sender rejected", "sender denied",
	"sender not allowed", "sender is not allowed", "sender blocked",
	"sender verify failed", "sender verification failed",
	"sender verification", "domain of sender address", "sender domain",
	"sender address has", "sender address is", "invalid sender",
	"bad sender", "sender unknown", "unknown sender", "envelope sender",
	"mail from address", "return path",
	"return-path", "sender email address", "sender's email address",
	"your email address has been", "your address has been",
	"badmailfrom", "not allowed to post", "members-only list",
	"non-member", "empty envelope senders", "no third-party dsns",
	"can not check your sender", "cannot verify sender",
	"sender mx", "mx records for your domain", "is not a registered gateway",
	"from address", "from: domain", "rejected by the sender",
	NULL
};

/* Sender-side refusals named so plainly that they win over the recipient
 * reasons below them ("Domain of sender address x does not exist"). */
/* The HELO name or the connection itself was refused: about the sending
 * host, whatever the reply text goes on to say ("Invalid domain name"). */
static const char *const p_blocked_helo[] = {
	"my name was rejected", "helo command rejected", "ehlo command rejected",
	NULL
};

static const char *const p_rejected_sender[] = {
	"sender address rejected", "domain of sender address",
	"sender verify failed", "sender verification failed",
	"sender domain does not exist", "sender domain not found",
	"sender address does not exist", "sender address is invalid",
	"invalid sender address", "sender rejected", "sender denied",
	"badmailfrom", "envelope sender domain", "unverified sender",
	"sender was rejected", "purported responsible address",
	"permission to post",
	NULL
};

static const char *const p_filtered[] = {
	"message filtered", "filtered", "user refuses", "refuses to accept",
	"refused by recipient", "refused by the recipient",
	"blocked by the recipient", "blocked by recipient",
	"due to the recipient's policy", "recipient's preferences",
	"recipient preferences", "recipient is only accepting mail from",
	"only accepting mail from specific", "user reject", "user rules",
	"has restricted", "not accepting any mail", "recipient has blocked",
	"denied by the recipient", "mail rejected by user",
	NULL
};

static const char *const p_contenterror[] = {
	"improper use of 8-bit data", "8-bit data in message header",
	"invalid mime", "mime headers", "mime complexity",
	"improperly-formatted", "improperly formatted", "unnecessary base64",
	"message header", "illegal header", "invalid header",
	"malformed header", "bad header", "headers exceed",
	"too many received", "content error", "message content", "media error",
	"content not accepted", "invalid content",
	NULL
};

static const char *const p_notcompliantrfc[] = {
	"rfc 5322", "rfc5322", "rfc 2822", "rfc2822", "rfc 822", "rfc822 compliant",
	"not rfc compliant", "not rfc-compliant", "non-compliant",
	"multiple addresses in from", "duplicate header", "multiple from",
	"multiple sender", "missing from header", "missing date header",
	"missing message-id", "header is missing",
	NULL
};

static const char *const p_syntaxerror[] = {
	"syntax error", "command unrecognized", "unrecognized command",
	"improper sequence", "out of sequence",
	"command not recognized", "bad sequence of commands",
	"command not implemented", "invalid command", "line too long",
	"parameter not implemented", "command parameter",
	NULL
};

static const char *const p_systemfull[] = {
	"insufficient system storage", "mail system full", "system full",
	"disk full", "no space left", "not enough space", "out of disk space",
	"filesystem full", "file system full", "disk is full",
	"insufficient disk space", "queue is full", "queue full",
	"not enough disk space",
	NULL
};

static const char *const p_systemerror[] = {
	"system error", "internal error", "server error", "internal server error",
	"local error in processing", "local error", "configuration error",
	"system config error", "incorrectly configured", "misconfigured",
	"temporary local problem", "unexpected error", "internal failure",
	"local problem", "server configuration", "mail system configuration",
	"temporary failure", "temporarily unavailable", "try again later",
	"timeout waiting for input", "resources temporarily",
	"service temporarily", "directory server failure", "ldap",
	"database error", "system is busy", "server busy",
	"too many hops", "loops back to myself", "mail loop",
	NULL
};

static const char *const p_networkerror[] = {
	"connection refused", "connection timed out", "connection reset",
	"connection closed", "connection lost", "lost connection",
	"no route to host", "network is unreachable", "host is unreachable",
	"unreachable", "unable to connect", "could not connect",
	"couldn't connect", "failed to connect", "cannot connect",
	"connect to", "conversation with", "timed out", "timeout",
	"name server timeout", "malformed name server reply",
	"malformed or unexpected name server reply", "dns lookup",
	"host not found, try again", "temporary dns", "dns failure",
	"dns error", "mail forwarding loop", "forwarding loop",
	"routing loop", "loop detected", "message looping", "message is looping",
	"wasn't able to establish an smtp connection",
	"hop count exceeded", "maximum forwarding loop",
	"unrouteable mail domain", "unable to resolve route",
	"broken pipe", "network error", "bad connection",
	"no answer", "not responding", "could not be contacted",
	NULL
};

static const char *const p_expired[] = {
	"delivery time expired", "message expired", "delivery expired",
	"retry timeout exceeded", "retry time not reached",
	"has been delayed", "could not be delivered within",
	"could not be delivered for", "was not delivered within",
	"undeliverable for", "too long in queue", "in the queue too long",
	"in queue for too long", "queue time expired", "message timed out",
	"giving up", "gave up", "expired after", "time limit exceeded",
	"maximum time", "bounce after", "unable to deliver for",
	"delivery period expired", "message is too old", "lifetime expired",
	"have been failing for", "deferred for too long",
	"been failing for a long time", "did not accept our requests to connect",
	"unable to deliver this message after", "could not be delivered for too long",
	NULL
};

static const char *const p_mailererror[] = {
	"mailer error", "unknown mailer error", "command died", "command output:",
	"command failed", "exited with", "died with status", "program died",
	"x-unix;", "procmail", "pipe to |", "exit code", "exit status",
	"error in mailer", "local delivery failed", "delivery to program",
	NULL
};

static const char *const p_suppressed[] = {
	"suppression list", "suppressed", "on the suppression",
	"previously bounced", "address is on the", "not delivering to previously",
	NULL
};

static const char *const p_onhold[] = {
	"on hold", "quarantined", "held for review", "held in quarantine",
	NULL
};

/* Order matters: the first group with a matching phrase names the
 * reason; every group found is kept as evidence (reason_scan()).
 * Sources: "mta" = the reply texts in the named MTAs' source code,
 * "provider" = the providers' published error pages, "registry" = RFC
 * 3463/5248 and the IANA code registry wording; "intl" groups and the
 * newer groups are in phrases.c. */
#define G(r, p, w, n, spec, src) { r, p, w, n, spec, src }
const struct reason_rule reason_rules[] = {
	G(BM_REASON_VACATION, phrases_challenge, false, "challenge", true,
	  "provider: challenge/response services (Spam Arrest, ChoiceMail, Boxbe, Mailblocks): not a failure"),
	G(BM_REASON_HASMOVED, p_hasmoved, false, "moved", true,
	  "mta: Sendmail 551 'user not local; please try', Exchange; RFC 3463 X.1.6"),
	G(BM_REASON_NORELAYING, p_norelaying, false, "relaying", true,
	  "mta: Postfix 'Relay access denied', qmail rcpthosts, Sendmail 'Relaying denied'"),
	G(BM_REASON_NETWORKERROR, phrases_dnsfail, false, "dns-failure", true,
	  "mta: Postfix dns_lookup.c (TRY_AGAIN, malformed reply), Sendmail 'Host name lookup failure', qmail-remote temp_dns/temp_dnscanon, Exim 'host lookup did not complete', glibc EAI_AGAIN"),
	G(BM_REASON_MAILBOXFULL, p_mailboxfull, false, "mailbox-full", true,
	  "mta: Postfix/Dovecot/Exim/Courier quota texts; provider: Gmail OverQuota, Yahoo, Microsoft"),
	G(BM_REASON_MAILBOXFULL, phrases_intl_full, false, "mailbox-full-intl", true,
	  "intl: localised quota notices (de, fr, es, it, pt, nl, ru, ja, zh)"),
	G(BM_REASON_EXCEEDLIMIT, p_exceedlimit, false, "limit", true,
	  "mta: Sendmail 'Message length exceeds administrative limit'"),
	G(BM_REASON_MESGTOOBIG, p_mesgtoobig, false, "too-big", true,
	  "mta: Postfix 'message size exceeds fixed maximum', Exim, Exchange RecipSizeLimit; provider: Gmail, Yahoo"),
	G(BM_REASON_MESGTOOBIG, phrases_intl_big, false, "too-big-intl", true,
	  "intl: localised size notices"),
	G(BM_REASON_VIRUSDETECTED, p_virusdetected, false, "virus", true,
	  "mta: ClamAV/Amavis milter replies; provider: Gmail 'contains a virus'"),
	G(BM_REASON_REQUIREPTR, p_requireptr, false, "ptr", true,
	  "mta: Postfix reject_unknown_client_hostname; provider: Gmail, Microsoft 'reverse DNS'"),
	G(BM_REASON_NOTCOMPLIANTRFC, p_notcompliantrfc, false, "rfc5322", true,
	  "provider: Gmail 'not RFC 5322 compliant', Microsoft"),
	G(BM_REASON_AUTHFAILURE, p_authfailure, false, "auth", true,
	  "provider: Gmail/Yahoo/Microsoft SPF, DKIM and DMARC texts; RFC 7372"),
	G(BM_REASON_BLOCKED, p_blocked_helo, false, "helo", true,
	  "mta: Postfix 'Helo command rejected', qmail 'my name was rejected'"),
	G(BM_REASON_REJECTED, p_rejected_sender, false, "sender", true,
	  "mta: Postfix 'Sender address rejected', Sendmail 'Domain of sender address'"),
	G(BM_REASON_MAILERERROR, p_mailererror, false, "mailer", false,
	  "mta: Sendmail/Postfix local delivery agents, procmail"),
	G(BM_REASON_SUSPEND, p_suspend, false, "disabled", true,
	  "provider: Gmail 'account ... is disabled', Yahoo 'This mailbox is disabled', Microsoft"),
	G(BM_REASON_CONTENTERROR, phrases_attachments, false, "attachments", true,
	  "mta: Exchange attachment filtering, Amavis banned files; provider: Gmail 'blocked for security reasons (attachment)'"),
	G(BM_REASON_POLICYVIOLATION, phrases_notauth, false, "not-authorized", true,
	  "registry: RFC 3463 X.7.1 'Delivery not authorized, message refused'; mta: Exchange RESOLVER.RST.NotAuthorized"),
	G(BM_REASON_HOSTUNKNOWN, p_hostunknown, false, "host-unknown", true,
	  "mta: Postfix 'Host or domain name not found', Sendmail 'Host unknown', Exim 'Unrouteable address', qmail; RFC 7505 null MX"),
	G(BM_REASON_HOSTUNKNOWN, phrases_intl_host, false, "host-unknown-intl", true,
	  "intl: localised 'domain does not exist'"),
	G(BM_REASON_USERUNKNOWN, p_userunknown, false, "user-unknown", true,
	  "mta: Postfix, Sendmail, Exim, qmail, Courier, OpenSMTPD, Exchange RecipNotFound, Domino; provider: Gmail NoSuchUser, Yahoo, Microsoft, Zoho, Yandex, Mail.ru"),
	G(BM_REASON_USERUNKNOWN, phrases_intl_user, false, "user-unknown-intl", true,
	  "intl: localised 'no such user' notices (de, fr, es, it, pt, nl, ru, ja, zh)"),
	G(BM_REASON_NOTACCEPT, p_notaccept, false, "no-mail", true,
	  "mta: Postfix/Exim null MX (RFC 7505), 'does not accept mail'"),
	G(BM_REASON_FAILEDSTARTTLS, p_failedstarttls, false, "tls", true,
	  "mta: Postfix 'TLS is required', Sendmail; provider: Microsoft"),
	G(BM_REASON_SUPPRESSED, p_suppressed, false, "suppressed", true,
	  "provider: Amazon SES, SendGrid, Mailgun suppression lists"),
	G(BM_REASON_SPAMDETECTED, p_spam_uri, false, "spam-uri", true,
	  "provider: Spamhaus DBL, SURBL, URIBL rejects"),
	G(BM_REASON_BLOCKED, p_blocked_listed, false, "listed", true,
	  "provider: Spamhaus, SpamCop, SORBS, Barracuda reply texts; Postfix reject_rbl_client"),
	G(BM_REASON_SPAMDETECTED, p_spamdetected, false, "spam", true,
	  "provider: Gmail, Yahoo, Microsoft, Mail.ru spam rejects"),
	G(BM_REASON_SPAMDETECTED, phrases_intl_spam, false, "spam-intl", true,
	  "intl: localised spam rejects"),
	G(BM_REASON_BADREPUTATION, p_badreputation, false, "reputation", true,
	  "provider: Gmail, Microsoft, Yahoo reputation texts"),
	G(BM_REASON_SPEEDING, p_speeding_quota, false, "hourly-quota", true,
	  "provider: hourly sending quotas"),
	G(BM_REASON_TOOMANYCONN, p_toomanyconn, false, "connections", false,
	  "mta: Postfix/Exim/Sendmail connection limits; provider: Yahoo TSS04"),
	G(BM_REASON_SPEEDING, p_speeding, false, "rate", false,
	  "provider: Gmail, Microsoft, Yahoo rate limits"),
	G(BM_REASON_FILTERED, p_filtered, false, "filtered", false,
	  "mta: Sendmail/Postfix user filters; provider texts"),
	G(BM_REASON_BLOCKED, phrases_filter_products, false, "filter-product", false,
	  "provider: filtering services naming themselves (Proofpoint, Mimecast, Barracuda, IronPort, ...)"),
	G(BM_REASON_REJECTED, p_rejected, false, "rejected", false,
	  "mta: sender checks, list servers"),
	G(BM_REASON_POLICYVIOLATION, p_policy_strong, false, "policy-named", true,
	  "provider: Microsoft/Gmail policy refusals"),
	G(BM_REASON_BLOCKED, p_blocked, false, "blocked", false,
	  "provider: IP and host block texts"),
	G(BM_REASON_POLICYVIOLATION, p_policyviolation, false, "policy", false,
	  "provider: generic policy wording"),
	G(BM_REASON_SECURITYERROR, p_securityerror, false, "security", false,
	  "mta: SMTP AUTH required texts"),
	G(BM_REASON_BLOCKED, p_blocked_generic, false, "denied", false,
	  "generic refusal words"),
	G(BM_REASON_CONTENTERROR, p_contenterror, false, "content", false,
	  "mta: Postfix/Sendmail header and MIME checks"),
	G(BM_REASON_SYNTAXERROR, p_syntaxerror, false, "syntax", false,
	  "registry: RFC 5321 500/501/503 texts"),
	G(BM_REASON_SYSTEMFULL, p_systemfull, false, "system-full", true,
	  "registry: RFC 5321 452 'insufficient system storage'"),
	G(BM_REASON_EXPIRED, p_expired, false, "expired", false,
	  "mta: Postfix/Exim/Sendmail/qmail queue lifetime texts"),
	G(BM_REASON_NETWORKERROR, p_networkerror, false, "network", false,
	  "mta: connection and loop texts"),
	G(BM_REASON_SYSTEMERROR, p_systemerror, false, "system", false,
	  "mta: local and temporary errors"),
	G(BM_REASON_ONHOLD, p_onhold, false, "on-hold", false,
	  "provider: quarantine texts"),
	G(BM_REASON_USERUNKNOWN, p_userunknown_weak, true, "recipient-rejected", false,
	  "mta: Postfix 'Recipient address rejected' with no more specific text"),
	G(BM_REASON_EXPIRED, phrases_delay_subject, false, "delay-notice", false,
	  "mta: delay-warning Subjects of Postfix, Exim, Sendmail, Exchange, OpenSMTPD, localised"),
};
#undef G

const size_t reason_nrules = sizeof(reason_rules) / sizeof(reason_rules[0]);

_Static_assert(sizeof(reason_rules) / sizeof(reason_rules[0]) <= REASON_MAX_GROUPS,
               "the groups found in a text are a 64-bit set");
