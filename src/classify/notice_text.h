/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * notice_text.h - the human-readable notice of a bounce, found and made
 * readable for the recognisers.
 *
 * notice_text_find() picks the notification text: the first text/plain part
 * outside any returned message; else the first other text part, its HTML
 * stripped to plain text; else the body of a one-part message.  *text and
 * *len point into the message (or into *owned, a malloc'd copy the caller
 * frees); *charset is the part's declared charset.
 * notice_text_to_utf8() converts the head of such a text to UTF-8 when its
 * declared charset is one charset.h knows and the text needs it, replacing
 * *owned; otherwise it leaves everything as it is.  No global state.
 */
#ifndef BM_NOTICE_TEXT_H
#define BM_NOTICE_TEXT_H

#include <stddef.h>

struct mime_msg;

void notice_text_find(struct mime_msg *m, const char **text, size_t *len,
                      char **owned, const char **charset);
void notice_text_to_utf8(const char **text, size_t *len, char **owned,
                         const char **charset);

#endif
