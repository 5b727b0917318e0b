/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * notice_table.c - the data-only recognisers: one row per notice family
 * that notice_match() (notice.c) reads with no code of its own.
 *
 * A row names the recogniser as it is printed (`.name`, unchanged when the
 * family's file became a row) and describes the notice (struct
 * notice_spec, notice.h): the From, Subject and banner phrases that
 * identify it, where its list of recipients starts and ends, the lines to
 * skip, its wording for delays and reasons, its shape and flags.  Each row
 * carries the description of the notice it reads, with a sample.  The
 * rows are indexed by enum notice_row and tried in the order registry.c
 * lists them, among the recognisers that have code.  A family that needs
 * code (its own match or enrich steps) stays a file of its own.
 */
#include "config.h"

#include <stddef.h>

#include "classify/reason.h"
#include "classify/recog.h"
#include "classify/recognisers/common.h"
#include "classify/recognisers/notice.h"

/* A NULL-terminated phrase list, a reason table ending in its NULL row,
 * and a row: compound literals at file scope, of static storage. */
#define PHRASES(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define REASONS(...) \
	((const struct common_phrase[]){ __VA_ARGS__, \
	                                 { NULL, BM_REASON_UNDEFINED } })
#define ROW(recog_name, ...) \
	{ .name = (recog_name), \
	  .notice = &(const struct notice_spec){ __VA_ARGS__ } }

/* The lists both ezweb rows read. */

/* the carrier's daemon, not its subscribers (who write from the same
 * domains) */
static const char *const ezweb_from[] = {
	"postmaster@ezweb.ne.jp",
	"postmaster@au.com",
	"mailer-daemon@ezweb.ne.jp",
	NULL
};

static const char *const ezweb_ends[] = {
	"--- Original message",
	"--- Below this line",
	"--------------------------------------------------",
	NULL
};

static const struct common_phrase ezweb_reasons[] = {
	{ "The user(s) account is disabled", BM_REASON_SUSPEND },
	{ "The user(s) account is temporarily limited", BM_REASON_SUSPEND },
	{ "Your message was not delivered within ", BM_REASON_EXPIRED },
	{ "The user(s) account is temporarily over quota", BM_REASON_MAILBOXFULL },
	{ "The user(s) mailbox is full", BM_REASON_MAILBOXFULL },
	{ "The message was not delivered to the recipient because of a content filter", BM_REASON_FILTERED },
	{ NULL, BM_REASON_UNDEFINED }
};

const struct recog notice_table[NOTICE_ROWS] = {
	/* Google Groups' refusal to post to a group, sent by Gmail's
	 * mailer daemon in the sender's language:
	 *
	 *   Hello kijitora@example.jp,
	 *   We're writing to let you know that the group you tried to contact
	 *   (example-group) may not exist, or you may not have permission to post
	 *   messages to the group. ...
	 *   If you have questions related to this or any other Google Group,
	 *   visit the Help Center at https://groups.google.com/support/.
	 *
	 * The text names the group only by its short name; the failed address is
	 * in X-Failed-Recipients.  The group refused the message: reason
	 * rejected.
	 */
	[NOTICE_GOOGLE_GROUPS] = ROW("googlegroups",
		.from = PHRASES(
			"mailer-daemon@googlemail.com",
			"mailer-daemon@google.com"),
		.banner = PHRASES("groups.google.com/support"),
		.reasons = REASONS(
			{ "groups.google.com/support", BM_REASON_REJECTED }),
		.shape = NOTICE_HEADER,
		.flags = NOTICE_SECTION_DIAG),

	/* Notices of Yahoo! Mail's mailer daemon (a qmail layout under its
	 * own opening sentence):
	 *
	 *   Sorry, we were unable to deliver your message to the following address.
	 *
	 *   <kijitora@example.org>:
	 *   Remote host said: 550 5.1.1 <kijitora@example.org>... User Unknown [RCPT_TO]
	 *
	 *   --- Below this line is a copy of the message.
	 */
	[NOTICE_YAHOO] = ROW("yahoo",
		.banner = PHRASES(
			"Sorry, we were unable to deliver your message to the following address"),
		.starts = PHRASES(
			"Sorry, we were unable to deliver your message to the following address"),
		.shape = NOTICE_LINES,
		.flags = NOTICE_BLANK_ENDS),

	/* Non-delivery reports of Microsoft Exchange 2000/2003 (the
	 * "MSEXCH:" diagnostics):
	 *
	 *   Your message
	 *     To:      someone@example.jp
	 *     Subject: ...
	 *   did not reach the following recipient(s):
	 *   kijitora@example.co.jp on Thu, 29 Apr 2007 16:51:51 -0500
	 *       The recipient name is not recognized
	 *       The MTS-ID of the original message is: c=jp;a= ;p=neko
	 *       MSEXCH:IMS:NEKO:EXAMPLE:EXCHANGE 0 (000C05A6) Unknown Recipient
	 *
	 * Each recipient line opens a record, the indented lines under it are its
	 * error.  The Exchange error number (000C05A6: unknown recipient) and the
	 * fixed English sentences state the reason.
	 */
	[NOTICE_EXCHANGE2003] = ROW("exchange2003",
		.banner = PHRASES(
			"did not reach the following recipient(s)",
			"following recipient(s) could not be reached",
			"did not reach some or all of the intended recipients"),
		.starts = PHRASES(
			"did not reach the following recipient(s):",
			"following recipient(s) could not be reached:"),
		.skip = PHRASES(
			"The MTS-ID of the original message",
			";l="),
		.reasons = REASONS(
			{ "(000C05A6)", BM_REASON_USERUNKNOWN },
			{ "The recipient name is not recognized", BM_REASON_USERUNKNOWN },
			{ "(00120270)", BM_REASON_NETWORKERROR },
			{ "(00050311)", BM_REASON_CONTENTERROR },
			{ "(000502CC)", BM_REASON_CONTENTERROR },
			{ "(000B0981)", BM_REASON_SECURITYERROR },
			{ "The destination server for this recipient could not be found", BM_REASON_HOSTUNKNOWN }),
		.shape = NOTICE_LINES),

	/* Notices of Zoho Mail's mailer daemon
	 * (mailer-daemon@mail.zoho.com):
	 *
	 *   This message was created automatically by mail delivery software.
	 *   A message that you sent could not be delivered to one or more of its
	 *   recipients. This is a permanent error.
	 *
	 *   kijitora@example.co.jp Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 ...
	 *
	 * or, for a delay warning, a sendmail-like list:
	 *
	 *   ----- The following addresses had fatal errors -----
	 *   [Status: Error, Address: <kijitora@example.co.jp>, ResponseCode 421, , Host not reachable.]
	 *   Message will be retried for 4 more day(s)
	 */
	[NOTICE_ZOHO] = ROW("zoho",
		.from = PHRASES(
			"zoho.com",
			"zohomail",
			".zoho."),
		.banner = PHRASES(
			"could not be delivered to one or more of its recipients",
			"The following addresses had fatal errors",
			"THIS IS A WARNING MESSAGE ONLY"),
		.skip = PHRASES(
			"This message was created automatically",
			"A message that you sent could not be delivered",
			"recipients. This is a permanent error",
			"The original message was received at",
			"from "),
		.delayed = PHRASES(
			"THIS IS A WARNING MESSAGE ONLY",
			"Message will be retried for"),
		.shape = NOTICE_LINES,
		.flags = NOTICE_BLANK_ENDS | NOTICE_DAEMON),

	/* Non-delivery notices of Lotus Notes (the SMTP MTA of Notes
	 * R4/R5), whose reason is usually written in Japanese
	 * (iso-2022-jp) or English:
	 *
	 *   ------- Failure Reasons  --------
	 *   User not listed in public Name & Address Book
	 *   kijitora@example.co.jp
	 *   ------- Returned Message --------
	 *
	 * The text between the two rulers is read through its ASCII parts: each
	 * address is a failed recipient, the English sentences are the error.
	 */
	[NOTICE_LOTUS_NOTES] = ROW("notes",
		.banner = PHRASES("------- Failure Reasons"),
		.starts = PHRASES("------- Failure Reasons"),
		.ends = PHRASES("------- Returned Message"),
		.skip = PHRASES("---"),
		.reasons = REASONS(
			{ "User not listed in public Name & Address Book", BM_REASON_USERUNKNOWN },
			{ "not listed in Domino Directory", BM_REASON_USERUNKNOWN },
			{ "$B%G%#%l%/%H%j$N%j%9%H$K$\"$j$^$;$s", BM_REASON_USERUNKNOWN },
			/* the same, once bounce_parse() converted the text */
			{ "ディレクトリのリストにありません", BM_REASON_USERUNKNOWN }),
		.shape = NOTICE_LINES,
		.flags = NOTICE_SECTION_DIAG),

	/* Delivery failure reports of IBM / HCL (Lotus) Domino, in English
	 * or the server's language (Spanish, French, Japanese in
	 * iso-2022-jp, read through its ASCII parts):
	 *
	 *   Your message
	 *     Subject: Test Bounce
	 *   was not delivered to:
	 *     kijitora@example.jp
	 *   because:
	 *     User some.name (kijitora@example.jp) not listed in Domino Directory
	 *
	 * The Subject starts "DELIVERY FAILURE:" (or has DELIVERY_FAILURE); the
	 * recipients are the address lines, the error follows "because:".
	 */
	[NOTICE_DOMINO] = ROW("domino",
		.subject = PHRASES(
			"DELIVERY FAILURE",
			"DELIVERY_FAILURE"),
		.banner = PHRASES(
			"was not delivered to",
			"Domino Directory",
			"Name & Address Book",
			"Directorio de Domino",
			"annuaire Domino",
			"%G%#%l%/%H%j",
			"Diagnostic-Code:"),
		.ends = PHRASES("because:"),
		.error = PHRASES("because:"),
		.reasons = REASONS(
			{ "not listed in Domino Directory", BM_REASON_USERUNKNOWN },
			{ "not listed in public Name & Address Book", BM_REASON_USERUNKNOWN },
			{ "no se encuentra en el Directorio de Domino", BM_REASON_USERUNKNOWN },
			{ "dans l'annuaire Domino", BM_REASON_USERUNKNOWN },
			{ "%G%#%l%/%H%j$K$O8+$D$+$j$^$;$s", BM_REASON_USERUNKNOWN }),
		.shape = NOTICE_LINES),

	/* Notices of McAfee MXLogic (an Exim derivative that lists the
	 * failed address at the margin or indented, with its error on the
	 * line):
	 *
	 *   A message that you have sent could not be delivered to one or more
	 *   recipients.  This is a permanent error.  The following address failed:
	 *
	 *     <kijitora@example.co.jp>: 550 5.1.1 ... User unknown
	 *
	 *   Included is a copy of the message header:
	 */
	[NOTICE_MXLOGIC] = ROW("mxlogic",
		.banner = PHRASES("A message that you have sent could not be delivered"),
		.starts = PHRASES(
			"The following address failed:",
			"The following addresses failed:"),
		.ends = PHRASES("Included is a copy of the message"),
		.shape = NOTICE_LINES),

	/* Notices of m-FILTER (Digital Arts), Japanese text in iso-2022-jp
	 * with the failed address, the server's answer and the SMTP
	 * command in labelled sections:
	 *
	 *   (Japanese: this mail was generated by m-FILTER ...)
	 *   kijitora@example.com
	 *
	 *   -------server message
	 *   550 unknown user <kijitora@example.com>
	 *
	 *   -------SMTP command
	 *   DATA
	 */
	[NOTICE_MFILTER] = ROW("mfilter",
		.banner = PHRASES("-------server message"),
		.ends = PHRASES(
			"-------SMTP command",
			"-------original message"),
		.skip = PHRASES("-------server message"),
		.shape = NOTICE_LINES),

	/* Notices of Trend Micro InterScan Messaging Security Suite:
	 *
	 *   ****** Message from InterScan Messaging Security Suite ******
	 *   Sent <<< RCPT TO:<kijitora@example.co.jp>
	 *   Received >>> 550 5.1.1 <kijitora@example.co.jp>... user unknown
	 *
	 * or only "Unable to deliver message to <kijitora@example.jp> (and other
	 * recipients in the same domain)." when no server answered.
	 */
	[NOTICE_INTERSCAN_MSS] = ROW("interscanmss",
		.banner = PHRASES(
			"Message from InterScan Messaging Security Suite",
			"Received >>> "),
		.ends = PHRASES("*****     End of message"),
		/* InterScan's own verdict, written when the recipient's domain would not
		 * take the address ("Please check if address is correct"). */
		.reasons = REASONS(
			{ "Unable to deliver message to", BM_REASON_USERUNKNOWN }),
		.shape = NOTICE_LINES),

	/* Notices of Ipswitch IMail Server (SMTPD32):
	 *
	 *   Unknown user: kijitora@example.com
	 *
	 *   Original message follows.
	 *
	 * or "undeliverable to kijitora@example.jp" then "Body of message
	 * generated response:" and the remote server's answer.
	 */
	[NOTICE_IMAIL_SERVER] = ROW("imailserver",
		.subject = PHRASES("Undeliverable Mail"),
		.banner = PHRASES(
			"Original message follows",
			"Body of message generated response",
			"undeliverable to ",
			"Unknown user:",
			"Unknown host",
			"Invalid final delivery userid",
			"User mailbox exceeds allowed size"),
		.skip = PHRASES(
			"To:",
			"CC:",
			"Date:",
			"Subject:",
			"Save to the following Address Book"),
		.reasons = REASONS(
			{ "Unknown user:", BM_REASON_USERUNKNOWN },
			{ "Invalid final delivery userid", BM_REASON_USERUNKNOWN },
			{ "Unknown host", BM_REASON_HOSTUNKNOWN },
			{ "User mailbox exceeds allowed size", BM_REASON_MAILBOXFULL },
			{ "Requested action not taken: virus detected", BM_REASON_VIRUSDETECTED },
			{ "Blacklisted URL in message", BM_REASON_SPAMDETECTED }),
		.shape = NOTICE_LINES),

	/* Notices of TransWARE Active!hunter, a sendmail-like list with
	 * the address after ">>>":
	 *
	 *   ----- The following addresses had permanent fatal errors -----
	 *   >>> kijitora@example.org <kijitora@example.org>
	 *   ----- Transcript of session follows -----
	 *   550 sorry, no mailbox here by that name (#5.1.1 - chkusr)
	 */
	[NOTICE_ACTIVE_HUNTER] = ROW("activehunter",
		.subject = PHRASES("FAILURE NOTICE :"),
		.banner = PHRASES(
			"----- The following addresses had permanent fatal errors -----"),
		.starts = PHRASES(
			"----- The following addresses had permanent fatal errors -----"),
		.skip = PHRASES("----- Transcript of session follows"),
		.shape = NOTICE_LINES),

	/* Notices of GMX and of 1&1 (kundenserver, EinsUndEins): an Exim
	 * banner, then the failed address at the margin and the error
	 * under "Reason:" or "For the following reason:":
	 *
	 *   This message was created automatically by mail delivery software.
	 *   ... This is a permanent error. The following address failed:
	 *
	 *   "shironeko@example.jp":
	 *   SMTP error from remote server after RCPT command:
	 *   host: mx.example.jp
	 *   5.2.2 <shironeko@example.jp>... Mailbox Full
	 *
	 *   --- The header of the original message is following. ---
	 */
	[NOTICE_GMX] = ROW("gmx",
		.from = PHRASES(
			"@mail.gmx",
			"@gmx.",
			"kundenserver",
			"@1and1.",
			"@ionos.",
			"@web.de"),
		.banner = PHRASES(
			"This message was created automatically by mail delivery software"),
		.starts = PHRASES(
			"The following address\nfailed:",
			"The following address failed:",
			"The following addresses failed:"),
		.ends = PHRASES(
			"--- The header of the original message",
			"--- The message text of the original message"),
		.skip = PHRASES(
			"Reason:",
			"For the following reason:"),
		.reasons = REASONS(
			{ "delivery retry timeout exceeded", BM_REASON_EXPIRED },
			{ "Mail size limit exceeded", BM_REASON_MESGTOOBIG }),
		.shape = NOTICE_LINES,
		.flags = NOTICE_DAEMON),

	/* The "Technical details" format: the "automatically generated
	 * Delivery Status Notification" of an unnamed MTA (Sisimai's X3),
	 * rulers of '=' around a list of starred addresses and a
	 * "Technical details:" section:
	 *
	 *   This is an automatically generated Delivery Status Notification.
	 *   Delivery to the following recipients failed permanently:
	 *      * kijitora@example.com
	 *   =====================
	 *   Technical details:
	 *   SMTP:RCPT host 192.0.2.8: 553 5.3.0 <kijitora@example.com>... No such user here
	 *
	 * "was aborted after N hour(s)" is the queue lifetime running out.
	 */
	[NOTICE_TECHNICAL_DETAILS] = ROW("x3",
		.banner = PHRASES(
			"This is an automatically generated Delivery Status Notification"),
		.starts = PHRASES(
			"Delivery to the following recipients",
			"Delevery to the following recipients"),
		.skip = PHRASES(
			"====",
			"Technical details:"),
		.delayed = PHRASES("has been delayed"),
		.reasons = REASONS(
			{ "was aborted after", BM_REASON_EXPIRED }),
		.shape = NOTICE_LINES),

	/* The "trouble delivering" format, notices of an unnamed MTA
	 * (Sisimai's X6):
	 *
	 *   We had trouble delivering your message. Full details follow:
	 *   Subject: 'Nyaan'
	 *   1 error(s):
	 *   SMTP Server <mx.example.org> rejected recipient <kijitora@example.org>
	 *   (Error following RCPT command). It responded as follows: [550 5.1.1 User unknown]
	 */
	[NOTICE_TROUBLE_DELIVERING] = ROW("x6",
		.banner = PHRASES(
			"We had trouble delivering your message. Full details follow"),
		.starts = PHRASES("error(s):"),
		.ends = PHRASES("The attachment contains the original mail headers"),
		.shape = NOTICE_LINES),

	/* The "delivery errors" format, notices of an unnamed MTA
	 * (Sisimai's X1): a list of addresses with the error in brackets:
	 *
	 *   ---The following addresses had delivery errors---
	 *   kijitora@example.org [User unknown]
	 */
	[NOTICE_DELIVERY_ERRORS] = ROW("x1",
		.banner = PHRASES("---The following addresses had delivery errors---"),
		.starts = PHRASES("---The following addresses had delivery errors---"),
		.shape = NOTICE_LINES,
		.flags = NOTICE_BLANK_ENDS),

	/* Notices of MailFoundry:
	 *
	 *   Unable to deliver message to: <kijitora@example.org>
	 *   Delivery failed for the following reason:
	 *   mail.example.org[192.0.2.222] responded with failure: 552 ... over quota
	 *   This has been a permanent failure.  No further delivery attempts will be made.
	 */
	[NOTICE_MAILFOUNDRY] = ROW("mailfoundry",
		.banner = PHRASES("Delivery failed for the following reason:"),
		.skip = PHRASES(
			"This has been a permanent failure",
			"Delivery failed for the following reason:"),
		.shape = NOTICE_LINES),

	/* Notices of MailMarshal SMTP (Trustwave / Marshal): the error
	 * comes first, then the recipients it applies to:
	 *
	 *   Your message:
	 *      From:    someone@example.com
	 *      Subject: ...
	 *   Could not be delivered because of
	 *   550 5.1.1 User unknown
	 *   The following recipients were affected:
	 *       kijitora@example.com
	 */
	[NOTICE_MAILMARSHAL] = ROW("mailmarshal",
		.banner = PHRASES("The following recipients were affected:"),
		.starts = PHRASES("The following recipients were affected:"),
		.error = PHRASES("Could not be delivered because of"),
		.shape = NOTICE_LINES),

	/* Notices of KDDI's au one net / DION mail servers (no-reply@...,
	 * ...dion.ne.jp):
	 *
	 *   Your mail sent on: Thu, 29 Apr 2013 00:00:00 +0900
	 *        Could not be delivered to: <kijitora@example.dion.ne.jp>
	 *        As their mailbox is full.
	 *
	 * "Your mail attempted to be delivered on:" opens the same list.
	 */
	[NOTICE_KDDI] = ROW("kddi",
		.from = PHRASES(
			"no-reply@",
			".dion.ne.jp",
			"auone-net.jp"),
		.banner = PHRASES("Could not be delivered to:"),
		.starts = PHRASES(
			"Your mail sent on",
			"Your mail attempted to be delivered on"),
		.reasons = REASONS(
			{ "As their mailbox is full", BM_REASON_MAILBOXFULL },
			{ "As the remote domain doesnt exist", BM_REASON_HOSTUNKNOWN }),
		.shape = NOTICE_LINES),

	/* Notices of au by KDDI (ezweb.ne.jp), Japanese text in
	 * iso-2022-jp or Shift_JIS around an English summary:
	 *
	 *   (Japanese: the message to the following address could not be sent ...)
	 *   The user(s) account is disabled.
	 *   <kijitora@ezweb.ne.jp>
	 *
	 * or a list "Each of the following recipients was rejected by a remote
	 * mail server." with "Recipient: <...>" and the SMTP transcript.  Read
	 * through the ASCII parts: addresses, codes and the English sentences.
	 * A notice in Japanese only is known by the daemon's From and Subject.
	 */
	[NOTICE_EZWEB] = ROW("ezweb",
		.from = ezweb_from,
		.banner = PHRASES(
			"The user(s) account is disabled",
			"Each of the following recipients was rejected",
			"The following recipients did not receive this message",
			"was not delivered to the recipient",
			"The user(s) mailbox is full",
			"The user(s) account is temporarily",
			"Your message was not delivered within",
			"Recipient:",
			"RCPT TO:"),
		.ends = ezweb_ends,
		.reasons = ezweb_reasons,
		.shape = NOTICE_LINES),
	/* tried when the first ezweb row finds nothing */
	[NOTICE_EZWEB_TITLED] = ROW("ezweb",
		.from = ezweb_from,
		.subject = PHRASES("Mail System Error - Returned Mail"),
		/* With the daemon's own Subject, any address line is a failed one. */
		.banner = PHRASES("@"),
		.ends = ezweb_ends,
		.reasons = ezweb_reasons,
		.shape = NOTICE_LINES),

	/* Notices of Verizon Wireless' MMS gateway (vzwpix.com):
	 *
	 *   Message could not be delivered to mobile.
	 *   Error: No valid recipients for this MM
	 *
	 * The text does not name the recipient; it is the To: of the returned
	 * message.
	 */
	[NOTICE_VERIZON] = ROW("verizon",
		.from = PHRASES(
			"vzwpix.com",
			"vtext.com"),
		.banner = PHRASES("Message could not be delivered to mobile"),
		.reasons = REASONS(
			{ "No valid recipients for this MM", BM_REASON_USERUNKNOWN }),
		.shape = NOTICE_RETURNED,
		.flags = NOTICE_SECTION_DIAG),

	/* Notices of BIGLOBE and the Japanese cable providers on its
	 * platform (inacatv, tmtv, ttv), From postmaster@..., Subject
	 * "Returned mail: ...":
	 *
	 *      ----- The following addresses had delivery problems -----
	 *   kijitora@example.biglobe.ne.jp
	 *
	 *      ----- Non-delivered information -----
	 *   The number of messages in recipient's mailbox exceeded the local limit.
	 */
	[NOTICE_BIGLOBE] = ROW("biglobe",
		.from = PHRASES(
			"biglobe.ne.jp",
			"inacatv.ne.jp",
			"tmtv.ne.jp",
			"ttv.ne.jp"),
		.subject = PHRASES("Returned mail:"),
		.banner = PHRASES(
			"----- The following addresses had delivery problems -----"),
		.starts = PHRASES(
			"----- The following addresses had delivery problems -----"),
		.skip = PHRASES("----- Non-delivered information -----"),
		.reasons = REASONS(
			{ "The number of messages in recipient's mailbox exceeded the local limit", BM_REASON_MAILBOXFULL }),
		.shape = NOTICE_LINES),

	/* Notices of the fml mailing list manager (From: list-admin@...),
	 * which refuses a post or stops a loop:
	 *
	 *   You are not a member of this mailing list <cats@example.org>.
	 *   If you know the general guide of this list, please send mail with ...
	 *
	 *   Duplicated Message-ID in <cats@example.org>.
	 *   Original mail as follows:
	 *
	 * The address named is the list that refused the message.
	 */
	[NOTICE_FML] = ROW("fml",
		.from = PHRASES("-admin@"),
		.banner = PHRASES(
			"You are not a member of this mailing list",
			"NOT MEMBER article from",
			"reject mail from",
			"reject spammers:",
			"Duplicated Message-ID",
			"has detected a loop condition",
			"Loop Back Warning:",
			"Security alert:"),
		.ends = PHRASES("Original mail as follows:"),
		.reasons = REASONS(
			{ "You are not a member of this mailing list", BM_REASON_REJECTED },
			{ "NOT MEMBER article from", BM_REASON_REJECTED },
			{ "reject mail from", BM_REASON_REJECTED },
			{ "reject spammers:", BM_REASON_REJECTED },
			{ "Duplicated Message-ID", BM_REASON_SYSTEMERROR },
			{ "has detected a loop condition", BM_REASON_SYSTEMERROR },
			{ "Loop Back Warning:", BM_REASON_SYSTEMERROR },
			{ "Security alert:", BM_REASON_SECURITYERROR }),
		.shape = NOTICE_LINES,
		.flags = NOTICE_BRACKETED),

	/* Reports of Sun Java System / Oracle Communications Messaging
	 * Server (and PMDF before it) when read as text:
	 *
	 *   This report relates to a message you sent with the following header fields:
	 *     Message-id: <...>
	 *     To: someone@example.org
	 *   Your message cannot be delivered to the following recipients:
	 *     Recipient address: kijitora@example.org
	 *     Reason: Remote SMTP server has rejected address
	 *     Diagnostic code: smtp; 550 5.1.1 User unknown
	 *     Remote system: dns; mx.example.org (TCP|192.0.2.1|25|...)
	 *
	 * The header fields of the returned message come before the list and are
	 * not read as recipients.
	 */
	[NOTICE_MESSAGING_SERVER] = ROW("messagingserver",
		.banner = PHRASES(
			"This report relates to a message you sent with the following header fields",
			"cannot be delivered to the following recipients"),
		.starts = PHRASES("to the following recipients:"),
		.ends = PHRASES(
			"Original-envelope-id:",
			"Reporting-MTA:",
			"Action:",
			"Final-recipient:"),
		.skip = PHRASES("Original address:"),
		.delayed = PHRASES("has been delayed and is still awaiting delivery"),
		.shape = NOTICE_LINES),

	/* Notices of Smail 3 and of Deutsche Telekom's (T-Online) fork:
	 *
	 *   |------------------------- Failed addresses follow: ---------------------|
	 *    <kijitora@example.de>
	 *      552 5.2.2 <kijitora@example.de> Quota exceeded (mailbox for user is full)
	 *
	 *   |------------------------- Message header follows: ----------------------|
	 *
	 * Smail itself writes " kijitora@example.org ... failed: unknown host" on
	 * one line.
	 */
	[NOTICE_SMAIL] = ROW("smail",
		.banner = PHRASES("Failed addresses follow:"),
		.starts = PHRASES("Failed addresses follow:"),
		.ends = PHRASES("|-------"),
		.shape = NOTICE_LINES),

	/* Delivery failure notices of Mimecast ("[Postmaster] Email
	 * Delivery Failure"), each item on a line of its own after "-- ":
	 *
	 *   An email that you attempted to send to the following address could
	 *   not be delivered:
	 *   -- kijitora@example.org
	 *   The problem appears to be :
	 *   -- Recipient email address is possibly incorrect
	 *   Additional information follows :
	 *   -- 5.4.1 Recipient address rejected: Access denied.
	 *
	 * When the notice also carries a delivery-status part, NOTICE_ENRICH
	 * fills what its fields lack from the text (notice_enrich()).
	 */
	[NOTICE_MIMECAST] = ROW("mimecast",
		.subject = PHRASES("Email Delivery Failure"),
		.banner = PHRASES(
			"could not be delivered:",
			"The problem appears to be"),
		.starts = PHRASES("could not be delivered:"),
		.ends = PHRASES(
			"This email has been",
			"-- Original message",
			"Reporting-MTA:"),
		.skip = PHRASES(
			"The problem appears to be",
			"Additional information follows"),
		.shape = NOTICE_LINES,
		.flags = NOTICE_ENRICH),
};
