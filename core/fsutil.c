/* fsutil.c - directory walking and atomic writes (POSIX). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "core/fsutil.h"
#include "core/arena.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void push(iam_pathlist *l, char *p)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = iam_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = p;
}

void iam_pathlist_free(iam_pathlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

int iam_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int has_ext(const char *name, const char *const *exts)
{
    size_t n = strlen(name);
    for (; *exts; exts++) {
        size_t e = strlen(*exts);
        if (n > e && strcmp(name + n - e, *exts) == 0)
            return 1;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(iam_pathlist *out, const char *dir, const char *const *exts, int depth)
{
    if (depth > 64)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    iam_pathlist names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        push(&names, iam_xstrdup(e->d_name));
    }
    closedir(d);
    if (names.n > 1)
        qsort(names.v, names.n, sizeof *names.v, cmp_str);
    size_t dl = strlen(dir);
    int slash = dl > 0 && dir[dl - 1] == '/';
    for (size_t i = 0; i < names.n; i++) {
        size_t n = dl + strlen(names.v[i]) + 2;
        char *p = iam_xmalloc(n);
        snprintf(p, n, "%s%s%s", dir, slash ? "" : "/", names.v[i]);
        struct stat st;
        if (stat(p, &st) != 0) {
            free(p);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            walk(out, p, exts, depth + 1);
            free(p);
        } else if (S_ISREG(st.st_mode) && has_ext(names.v[i], exts)) {
            push(out, p);
        } else {
            free(p);
        }
    }
    iam_pathlist_free(&names);
}

int iam_inputs_collect(iam_pathlist *out, const char *const *paths, size_t npaths,
                       const char *const *exts, const char **bad, const char **err)
{
    for (size_t i = 0; i < npaths; i++) {
        const char *p = paths[i];
        if (strcmp(p, "-") == 0) {
            push(out, iam_xstrdup(p));
            continue;
        }
        struct stat st;
        if (stat(p, &st) != 0) {
            *bad = p;
            *err = strerror(errno);
            return -1;
        }
        if (S_ISDIR(st.st_mode))
            walk(out, p, exts, 0);
        else
            push(out, iam_xstrdup(p));
    }
    return 0;
}

/* Write all of data to fd; 0, or -1 with errno set. */
static int write_all(int fd, const char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        off += (size_t)w;
    }
    return 0;
}

/* Not a regular file (a device such as /dev/null, a FIFO): replacing it
 * by rename would destroy it, so write through it instead. */
static int write_through(const char *path, const char *data, size_t len, const char **err)
{
    int fd = open(path, O_WRONLY | O_TRUNC);
    if (fd < 0 || write_all(fd, data, len) != 0) {
        *err = strerror(errno);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (close(fd) != 0) {
        *err = strerror(errno);
        return -1;
    }
    return 0;
}

int iam_write_atomic(const char *path, const char *data, size_t len, const char **err)
{
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        /* Replace the file the link points to, not the link. */
        char *real = realpath(path, NULL);
        if (real) {
            int rc = iam_write_atomic(real, data, len, err);
            free(real);
            return rc;
        }
    }
    struct stat tst;
    if (stat(path, &tst) == 0 && !S_ISREG(tst.st_mode))
        return write_through(path, data, len, err);
    size_t n = strlen(path) + 16;
    char *tmp = iam_xmalloc(n);
    snprintf(tmp, n, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        *err = strerror(errno);
        free(tmp);
        return -1;
    }
    struct stat st;
    if (stat(path, &st) == 0)
        fchmod(fd, st.st_mode & 07777);
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    free(tmp);
    return 0;
fail:
    *err = strerror(errno);
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return -1;
}
