/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * conf_lint.h - what libconfuse lets through: structure checks of a config.
 *
 * libconfuse accepts a file whose last section lacks its closing '}', takes
 * the last of an option given twice and merges a section given twice, so a
 * typo passes `bounce-milter -t` and then means something else.
 * conf_lint() reads the file itself, before libconfuse does, and refuses:
 * a file that is not a regular file (libconfuse's scanner exits the whole
 * process on a read error, e.g. a directory), a '{' never closed, a '}'
 * with no '{', an option given twice in one section, a section given
 * twice.  It understands the syntax libconfuse reads: comments (#, //,
 * block comments), "double" and 'single' quoted strings, "name = value",
 * "name += value", lists "name = { ... }", sections "name { ... }".
 * Reports the first problem as "line N: what is wrong" (0 when no line
 * applies); files up to 1 MiB.  Pure apart from reading the file.
 */
#ifndef BM_CONF_LINT_H
#define BM_CONF_LINT_H

#include <stddef.h>

/* 0, or -1 with *line and err set. */
int conf_lint(const char *path, int *line, char *err, size_t errsz);

#endif
