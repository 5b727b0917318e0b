/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * suppress_file.h - the suppression list's file (internal to suppress).
 *
 * suppress_file_open() opens the path safely: the directory must exist and
 * not be group/world-writable unless sticky and root-owned; no
 * symbolic link (lstat, then O_NOFOLLOW), a regular file with one link,
 * not group/world-writable, the same inode before and after open; created
 * 0640 with O_APPEND|O_CLOEXEC.  Under an exclusive flock it cuts a torn
 * last line, writes the csv header into an empty csv file, fsyncs (and the
 * directory after creating the file) when o->fsync, and loads every valid
 * address into f->set; a file in another format than o->format is
 * refused.  Errors: -1 and "suppression list PATH: what is wrong" in err.
 */
#ifndef BM_SUPPRESS_FILE_H
#define BM_SUPPRESS_FILE_H

#include <sys/types.h>

#include <stddef.h>

#include "suppress/suppress_format.h"
#include "suppress/suppress_set.h"

/* An open, locked-then-unlocked, loaded list file. */
struct suppress_file {
	int fd;
	dev_t dev;
	ino_t ino;
	struct suppress_set set;
	size_t repaired;
	size_t skipped;
};

int suppress_file_open(const char *path, const struct suppress_opts *o,
                       struct suppress_file *f, char *err, size_t errsz);
/* The path checks of suppress_file_open without opening: the folder
 * (exists; not group/world-writable unless sticky and root-owned) and,
 * when the file exists, the file (no symlink, regular, one link, not
 * group/world-writable).  0 or -1 with err. */
int suppress_file_check(const char *path, char *err, size_t errsz);
/* flock(2), retried on EINTR. */
int suppress_file_lock(int fd, int op);
/* Does path still name (dev, ino)?  1 yes, 0 no (renamed, removed,
 * replaced), -1 cannot tell (errno set). */
int suppress_file_same(const char *path, dev_t dev, ino_t ino);

/* fsync the directory holding path (a new or renamed entry); 0 or -1. */
int suppress_file_sync_dir(const char *path);

#endif
