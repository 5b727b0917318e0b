/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mime_field.h - header fields of MIME entities (internal to mime).
 *
 * mime_field_parse() reads the header block at the start of an entity into
 * a field table shared by all parts of a message: each field is recorded
 * where it stands (name and raw value span in the parsed bytes, which must
 * outlive the table) and unfolded only when asked for, into an arena whose
 * blocks never move, so a value handed out stays valid until
 * mime_field_free().  Unfolded: CR/LF of folds removed, NUL and bare CR
 * made spaces, trailing white space dropped, a broken fold after ';'
 * joined with one space, at most max_bytes.  A block keeps at most
 * max_fields fields; a cap hit sets *truncated.  Lookups take a const
 * table and still fill its cache (copies and arena): not thread-safe per
 * table.  -1 only when out of memory.
 */
#ifndef BM_MIME_FIELD_H
#define BM_MIME_FIELD_H

#include <stdbool.h>
#include <stddef.h>

#include "mime/mime_store.h"

#define MIME_FIELD_FIRST 64     /* fields stored inside the table */

/* A header field as it stands in the parsed bytes. */
struct mime_field_hdr {
	const char *name;       /* nlen bytes */
	const char *raw;        /* value from after the colon and its white */
	size_t rawlen;          /* space to the end of its last line (no EOL) */
	char *copy;             /* once asked for: "name\0value\0" in the arena */
	size_t vlen;            /* unfolded value length, once copy is set */
	size_t nlen;
	bool folded;            /* more than one line */
};

/* Where one header block's fields are. */
struct mime_field_range {
	size_t first, n;        /* table v[first .. first + n) */
	size_t ctype, cte;      /* 1 + index in v of the block's first
	                           Content-Type / Content-Transfer-Encoding
	                           field; 0: none */
};

struct mime_field_table {
	struct mime_field_hdr *v;       /* first[] or the heap */
	size_t n, cap;
	size_t max_bytes;               /* of one value */
	size_t max_fields;              /* of one header block */
	/* Lookups take a const table and still unfold into the arena: they
	 * reach it through this pointer (to arena0). */
	struct mime_store_arena *arena;
	struct mime_store_arena arena0;
	struct mime_field_hdr first[MIME_FIELD_FIRST];
};

/* RFC 5322 WSP, the white space of folds and of the values parsed here. */
static inline bool
mime_field_wsp(char c)
{
	return c == ' ' || c == '\t';
}

void mime_field_init(struct mime_field_table *t, size_t max_bytes,
                     size_t max_fields);
void mime_field_free(struct mime_field_table *t);

/* Header block of [p, e) (an mbox "From " / ">From " first line skipped
 * when is_msg) appended to the table; *r says where, *body gets the start
 * of the body (after the blank line, or the first line that is neither a
 * field nor a fold). */
int mime_field_parse(struct mime_field_table *t, const char *p, const char *e,
                     bool is_msg, struct mime_field_range *r,
                     const char **body, bool *truncated);

/* First field of that name (case-insensitive) in the range, or NULL. */
struct mime_field_hdr *mime_field_find(const struct mime_field_table *t,
                                       const struct mime_field_range *r,
                                       const char *name);

/* The unfolded field: name and value NUL-terminated (either pointer may
 * be NULL). */
int mime_field_get(const struct mime_field_table *t, struct mime_field_hdr *h,
                   const char **name, const char **value, size_t *vlen);

/* The value as a span (not NUL-terminated): the raw bytes when unfolding
 * would leave them as they are (trailing white space left out), else the
 * unfolded copy. */
int mime_field_span(const struct mime_field_table *t, struct mime_field_hdr *h,
                    const char **v, size_t *vlen);

#endif
