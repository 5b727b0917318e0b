/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress_list.h - the shared list object (internal to suppress).
 *
 * suppress.c owns the object and its append path; suppress_edit.c (removal
 * and export for the control socket) works on the same fields under the
 * same rules: every field is read and written with mu held, and only the
 * thread that set `busy` may change the set, the descriptor or the file.
 * suppress_list_reopen_locked() reopens the path and reloads the set (mu
 * held, busy set by the caller or the object not yet shared); 0 or -1 with
 * err, and on failure every later append retries the reopen.
 */
#ifndef BM_SUPPRESS_LIST_H
#define BM_SUPPRESS_LIST_H

#include <sys/types.h>

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "suppress/suppress_format.h"
#include "suppress/suppress_set.h"

struct sup_req;

struct suppress_list {
	char *path;
	struct suppress_opts opts;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool busy;                 /* a leader is writing, or a reopen runs */
	int fd;                    /* -1 after a failed reopen */
	dev_t dev;
	ino_t ino;
	bool need_reopen;
	struct suppress_set set;
	size_t repaired;
	size_t skipped;
	struct sup_req *qhead, **qtail;
	char *wbuf;                /* leader only */
	size_t wcap;
};

int suppress_list_reopen_locked(struct suppress_list *l, char *err, size_t errsz);

#endif
