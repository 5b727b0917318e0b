/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cli_json.h - printing strings as JSON for bounce-classify.
 *
 * cli_clean() returns a malloc'd copy of s as every output prints it:
 * hdr_sanitise() turns tabs, CR, LF and other control characters into
 * spaces and bytes that are not UTF-8 into '?', so TSV columns stay
 * aligned and JSON stays valid (NULL when out of memory).
 * cli_json_string() prints that copy as a JSON string (quotes and
 * backslashes escaped; nothing else needs it after cleaning) on stdout.
 */
#ifndef BM_CLI_JSON_H
#define BM_CLI_JSON_H

char *cli_clean(const char *s);
void cli_json_string(const char *s);

#endif
