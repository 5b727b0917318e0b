/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cli_input.h - the messages bounce-classify reads: files, mbox files,
 * Maildir trees and standard input.
 *
 * cli_input_path() calls `fn` once per message, in order:
 *  - a file (or "-", standard input) whose first line is an mbox From_
 *    line ("From " SENDER asctime-date) is an mbox: a new message starts
 *    at every line that is such a From_ line (mboxo/mboxrd writers quote
 *    body lines that start with "From "), numbered from 1; the From_ line
 *    stays at the top of its message.  Any other file is one message,
 *    number 1, whatever "From " lines it holds;
 *  - a directory is walked recursively in name order (a Maildir's cur/ and
 *    new/, Maildir++ folders such as .Sent/, plain trees), skipping
 *    dot-files, other dot-directories, a Maildir's tmp/ and symbolic links
 *    to directories; `name` is then the path below the directory given.
 * Each message passes at most `max_bytes` bytes to `fn` (the rest is read
 * and dropped).  Memory: `data` is valid only during the call.  Errors
 * (unreadable file or directory, out of memory) are printed on stderr and
 * the walk goes on; the return value is then -1, else 0.  A non-zero
 * return of `fn` counts as such an error.  Not thread-safe (stdio).
 */
#ifndef BM_CLI_INPUT_H
#define BM_CLI_INPUT_H

#include <stddef.h>

typedef int (*cli_message_fn)(void *arg, const char *name, size_t msgno,
                              const char *data, size_t len);

int cli_input_path(const char *path, size_t max_bytes, cli_message_fn fn,
                   void *arg);

#endif
