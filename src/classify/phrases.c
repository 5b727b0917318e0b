/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * phrases.c - phrase groups: localised notices and the groups that tell a
 * cause from its neighbour.  Data only; reason.c matches them and
 * reason_phrases.c orders them.  Where the wording comes from is said per
 * group; no phrase is taken from a single sample message.
 */
#include "config.h"

#include <stddef.h>

#include "classify/phrases.h"

/* A name server that failed to answer is not a name that does not exist
 * (DESIGN 3): Postfix's dns_lookup.c writes "Host not found, try again"
 * for TRY_AGAIN, "Non-recoverable error" for NO_RECOVERY and "Malformed or
 * unexpected name server reply" for a reply it cannot use ("reported as
 * transient errors", its dns_lookup(3)); Sendmail "Host name lookup
 * failure" and "Name server timeout" (EX_TEMPFAIL); qmail-remote's
 * temp_dnscanon() "CNAME lookup failed temporarily. (#4.4.3)" and
 * temp_dns() "Sorry, I couldn't find any host by that name. (#4.1.2)"
 * (its permanent perm_dns() says "any host named", a dead domain); Exim's
 * dnslookup router "host lookup did not complete"; glibc's gai_strerror(EAI_AGAIN)
 * "Temporary failure in name resolution"; Gmail "responded with code
 * SERVFAIL"; Exchange "DNS query failed". */
const char *const phrases_dnsfail[] = {
	"malformed or unexpected name server reply", "malformed name server reply",
	"host not found, try again", "name server timeout",
	"host name lookup failure", "lookup failed temporarily",
	"temporary failure in name resolution", "servfail",
	"dns query failed", "dns server returned answer with no data",
	"no matches to nameserver query", "unable to resolve mx",
	"could not resolve domain", "domain not resolvable",
	"dns temporary failure", "temporary dns failure", "dns timeout",
	"lookup timed out", ": non-recoverable error",
	"couldn't find any host by that name", "host lookup did not complete",
	NULL
};

/* Refusals of a message's attachments: content, not the address.
 * Exchange's attachment filtering agent and transport rules, Amavis'
 * "BANNED" notices, Gmail's "blocked for security reasons" pages. */
const char *const phrases_attachments[] = {
	"not accepting mail with attachments", "attachments are not allowed",
	"attachment not allowed", "attachments not allowed", "attachment type",
	"prohibited attachment", "illegal attachment", "blocked attachment",
	"banned attachment", "banned file", "contains a banned",
	"file type is not allowed", "attachment is not permitted",
	"anhang nicht erlaubt", "pièce jointe", "piece jointe",
	"archivo adjunto", "allegato non consentito",
	NULL
};

/* The recipient's system does not let this sender deliver: RFC 3463's
 * own text for X.7.1, "Delivery not authorized, message refused" ("the
 * sender is not authorized to send to the destination ... per-host or
 * per-recipient filtering"), which MTAs write verbatim, and Exchange's
 * RESOLVER.RST.NotAuthorized ("not authorized to send to this
 * recipient"). */
const char *const phrases_notauth[] = {
	"delivery not authorized", "delivery not authorised",
	"notauthorized", "not authorized to send to", "not authorised to send to",
	"sender not authorized", "not permitted to send to",
	"restricted to internal senders",
	NULL
};

/* Filtering services that name themselves in their refusals; on their own
 * they only say that a filter refused (generic). */
const char *const phrases_filter_products[] = {
	"proofpoint", "mimecast", "barracuda", "ironport", "spamassassin",
	"spam assassin", "messagelabs", "symantec.cloud", "trend micro",
	"sophos", "fortiguard", "fortimail", "spamexperts", "cloudmark",
	"mailchannels", "forcepoint", "mailcontrol", "hornetsecurity",
	"eleven.de", "retarus",
	NULL
};

/* "No such user" as localised MTA and provider notices write it:
 * Exchange's localised NDRs, GMX/Web.de and T-Online (de), Orange and
 * La Poste (fr), Telefónica (es), Libero and Aruba (it), UOL and Sapo
 * (pt), KPN and Ziggo (nl), Mail.ru and Yandex (ru), Japanese carriers
 * and Domino (ja), QQ, 163 and Sina (zh). */
const char *const phrases_intl_user[] = {
	/* de */
	"unbekannter empfänger", "empfänger unbekannt", "benutzer unbekannt",
	"unbekannter benutzer", "empfänger ist unbekannt",
	"empfängeradresse existiert nicht", "adresse existiert nicht",
	"postfach existiert nicht", "postfach nicht vorhanden",
	"mailbox nicht vorhanden", "kein solcher benutzer",
	"empfänger wurde nicht gefunden", "ungültige empfängeradresse",
	"unbekannte e-mail-adresse", "empfaenger unbekannt",
	/* fr */
	"utilisateur inconnu", "destinataire inconnu", "adresse inconnue",
	"boîte aux lettres inexistante", "boite aux lettres inexistante",
	"utilisateur introuvable", "destinataire introuvable",
	"adresse introuvable", "compte inexistant", "adresse inexistante",
	"cette adresse n'existe pas", "adresse e-mail n'existe pas",
	"n'existe pas dans l'annuaire",
	/* es */
	"usuario desconocido", "destinatario desconocido",
	"el usuario no existe", "la cuenta no existe", "cuenta inexistente",
	"dirección no existe", "buzón no existe", "buzón inexistente",
	"no existe el usuario", "usuario inexistente",
	/* it */
	"utente sconosciuto", "destinatario sconosciuto", "utente inesistente",
	"indirizzo inesistente", "casella inesistente", "l'utente non esiste",
	"indirizzo non esiste", "casella di posta non esiste",
	/* pt */
	"usuário desconhecido", "utilizador desconhecido",
	"destinatário desconhecido", "usuário inexistente",
	"utilizador inexistente", "conta inexistente", "endereço inexistente",
	"caixa postal inexistente", "usuário não existe", "conta não existe",
	/* nl */
	"onbekende gebruiker", "gebruiker onbekend", "onbekende ontvanger",
	"ontvanger onbekend", "adres bestaat niet", "mailbox bestaat niet",
	"gebruiker bestaat niet", "onbekend e-mailadres",
	/* ru: the first letter is left out where a capital may stand */
	"ользователь не найден", "ользователь не существует",
	"ящик не существует", "ящик не найден", "еизвестный получатель",
	"олучатель не найден", "олучатель не существует",
	"ет такого пользователя", "акого пользователя нет",
	"дресат не существует", "четная запись не существует",
	"еизвестный пользователь", "дрес не существует",
	/* ja */
	"宛先不明", "宛先が見つかりません", "アドレスは存在しません",
	"アドレスが存在しません", "ユーザーは存在しません",
	"ユーザが存在しません", "ユーザーが存在しません",
	"存在しないユーザ", "存在しないメールアドレス",
	"ディレクトリに見つかりません", "ディレクトリにありません",
	/* zh */
	"用户不存在", "用戶不存在", "收件人不存在", "收件人地址不存在",
	"邮箱不存在", "郵箱不存在", "信箱不存在", "账户不存在", "帳戶不存在",
	"帐户不存在", "无此用户", "無此用戶", "查无此用户",
	NULL
};

/* "The domain does not exist", localised. */
const char *const phrases_intl_host[] = {
	"domain existiert nicht", "domäne existiert nicht",
	"domaine inexistant", "le domaine n'existe pas",
	"el dominio no existe", "dominio inexistente", "dominio inesistente",
	"il dominio non esiste", "domínio não existe", "domínio inexistente",
	"domein bestaat niet", "омен не существует", "ドメインが存在しません",
	"域名不存在", "網域不存在",
	NULL
};

/* Mailbox full, localised. */
const char *const phrases_intl_full[] = {
	"postfach ist voll", "postfach voll", "speicherplatz überschritten",
	"quota überschritten", "quota ueberschritten", "speicherkontingent",
	"boîte aux lettres est pleine", "boite aux lettres est pleine",
	"boîte pleine", "boite pleine", "quota dépassé", "quota depasse",
	"buzón lleno", "buzón está lleno", "cuota excedida",
	"casella piena", "casella di posta piena", "quota superata",
	"caixa postal cheia", "caixa de correio cheia", "cota excedida",
	"mailbox is vol", "postvak is vol", "quotum overschreden",
	"ящик переполнен", "ящик заполнен", "евышен размер ящика",
	"メールボックスがいっぱい", "容量超過", "容量オーバー",
	"邮箱已满", "信箱已满", "郵箱已滿", "信箱已滿", "邮箱空间不足",
	NULL
};

/* Message too big, localised. */
const char *const phrases_intl_big[] = {
	"nachricht ist zu groß", "nachricht zu groß", "nachricht ist zu gross",
	"message trop volumineux", "message est trop volumineux",
	"mensaje demasiado grande", "mensaje es demasiado grande",
	"messaggio troppo grande", "mensagem muito grande",
	"bericht is te groot", "азмер сообщения превышает",
	"ообщение слишком большое", "サイズが大きすぎ", "サイズ超過",
	"邮件过大", "邮件大小超过", "郵件過大",
	NULL
};

/* Spam refusals, localised. */
const char *const phrases_intl_spam[] = {
	"als spam eingestuft", "als spam erkannt", "considéré comme spam",
	"considere comme spam", "considerado spam", "considerado como spam",
	"considerato spam", "als spam aangemerkt", "подозрение на спам",
	"迷惑メール", "垃圾邮件", "垃圾郵件",
	NULL
};

/* Challenge/response and confirmation requests: an automatic reply that
 * asks the sender to prove itself, not a failed delivery.  The wording of
 * the challenge services' own pages (Spam Arrest, ChoiceMail, Boxbe,
 * Mailblocks) and of "pre-approved sender" filters. */
const char *const phrases_challenge[] = {
	"not pre-approved", "has not been pre-approved", "pre-approved senders",
	"challenge/response", "challenge-response", "challenge response system",
	"spam arrest", "spamarrest", "choicemail", "boxbe", "mailblocks",
	"confirm that you are a person", "confirm that you are a human",
	"verify that you are a human", "prove that you are a human",
	"approved senders list", "list of approved senders",
	"awaiting your confirmation", "please confirm your message",
	NULL
};

/* Subjects of delay warnings, the notice that a message is still being
 * retried: Postfix "Delayed Mail (still being retried)", Exim "Warning:
 * message ... delayed ... hours", Sendmail "Warning: could not send
 * message for past ...", Exchange and Gmail "Delivery Status Notification
 * (Delay)", OpenSMTPD "Delivery status notification: delayed", and their
 * localised forms.  Lower case, matched anywhere in the Subject. */
const char *const phrases_delay_subject[] = {
	"delayed mail", "still being retried", "warning: message",
	"could not send message for past", "(delay)", "delivery delayed",
	"delayed delivery", "notification: delayed", "delivery status: delayed",
	"message delayed", "zustellung verzögert", "verzögerte zustellung",
	"remise différée", "distribution retardée", "entrega retrasada",
	"retraso en la entrega", "consegna ritardata", "entrega atrasada",
	"vertraagde bezorging", "адержка доставки", "配信遅延", "延迟投递",
	"延遲投遞",
	NULL
};

/* "Your message could not be delivered (to the following recipients)", as
 * non-English notices say it: Exchange/Outlook's localised NDR texts
 * ("Die Nachricht konnte nicht zugestellt werden", "Votre message n'a pas
 * pu être remis", "No se pudo entregar el mensaje", "Impossibile
 * recapitare il messaggio", "Não foi possível entregar a mensagem",
 * "Uw bericht kan niet worden bezorgd"), Sendmail's French DSN templates
 * ("votre courrier n'a pas pu être transmis"), GMX/Web.de and T-Online,
 * Mail.ru and Yandex's help pages ("Сообщение не доставлено", "не удалось
 * доставить"), Japanese carriers' (docomo, au, SoftBank) and Domino's
 * "配信できませんでした", QQ/163 "无法投递", "投递失败", "退信".  Each is a
 * statement that a delivery failed, not a word that a message about
 * bounces would use on its own: the caller also wants an error line or a
 * returned message.  Lower case (ASCII matched case-insensitively). */
const char *const phrases_intl_notice[] = {
	/* de */
	"konnte nicht zugestellt werden", "nicht zugestellt werden konnte",
	"konnte nicht an folgende empfänger", "zustellung ist fehlgeschlagen",
	"zustellung fehlgeschlagen",
	/* fr */
	"n'a pas pu être remis", "n'a pas pu etre remis",
	"n'a pas pu être distribué", "n'a pas pu être transmis",
	"n'a pas pu etre transmis", "ne peut pas être remis",
	"impossible de remettre", "échec de la remise", "echec de la remise",
	/* es */
	"no se pudo entregar", "no se ha podido entregar",
	"no pudo ser entregado", "no se puede entregar",
	"error en la entrega",
	/* it */
	"impossibile recapitare", "non è stato possibile recapitare",
	"non e' stato possibile recapitare", "non è stato recapitato",
	"mancato recapito",
	/* pt */
	"não foi possível entregar", "nao foi possivel entregar",
	"não pôde ser entregue", "não foi entregue", "falha na entrega",
	/* nl */
	"kan niet worden bezorgd", "kon niet worden bezorgd",
	"kon niet worden afgeleverd", "kan niet worden afgeleverd",
	"bezorging is mislukt",
	/* ru (a capital may start the sentence: its first letter left out) */
	"ообщение не доставлено", "не может быть доставлено",
	"не удалось доставить", "не было доставлено", "исьмо не доставлено",
	/* ja */
	"配信できませんでした", "送信できませんでした", "配送できませんでした",
	"届けることができませんでした", "配信に失敗しました",
	/* zh */
	"无法投递", "無法投遞", "投递失败", "投遞失敗", "无法送达", "無法送達",
	"未能送达", "退信",
	NULL
};

/* The notice words a mail system puts before the original Subject:
 * Exchange "Undeliverable:", its localised forms ("Non remis :",
 * "Unzustellbar:", "No se puede entregar:", "Non recapitabile:",
 * "Não é possível entregar:", "Onbestelbaar:", "Недоставляемое:",
 * "配信不能:", "无法投递:"), Domino "DELIVERY FAILURE:", Notes
 * "Undelivered Mail:"; lower case, the colon included. */
const char *const phrases_notice_subject_prefix[] = {
	"undeliverable:", "undelivered mail:", "delivery failure:",
	"non remis :", "non remis:", "unzustellbar:", "nicht zustellbar:",
	"no se puede entregar:", "no entregado:", "non recapitabile:",
	"não é possível entregar:", "nao e possivel entregar:",
	"onbestelbaar:", "едоставляемое:", "е доставлено:", "配信不能:",
	"配信不能：", "无法投递:", "无法投递：", "無法投遞:",
	NULL
};
