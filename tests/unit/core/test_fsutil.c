/* test_fsutil.c - input discovery (sorted recursive walk, hidden entries,
 * extension filter) and atomic writes (content replaced, mode kept). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "core/fsutil.h"

static char root[256];

static void mk(const char *rel, const char *content)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    if (!content) {
        cr_assert_eq(mkdir(p, 0755), 0, "mkdir %s: %s", p, strerror(errno));
        return;
    }
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f, "create %s", p);
    fputs(content, f);
    fclose(f);
}

static void rm_rf(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            rm_rf(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static void setup(void)
{
    snprintf(root, sizeof root, "/tmp/iampc-fsutil-XXXXXX");
    cr_assert_not_null(mkdtemp(root));
}

static void teardown(void)
{
    rm_rf(root);
}

TestSuite(fsutil, .init = setup, .fini = teardown);

static void tree(void)
{
    mk("b.json", "{}");
    mk("a.json", "{}");
    mk("Z.json", "{}");
    mk("notes.txt", "x");
    mk("a.json.bak", "x");
    mk("json", "x");            /* no extension at all */
    mk(".hidden.json", "{}");
    mk(".git", NULL);
    mk(".git/config.json", "{}");
    mk("sub", NULL);
    mk("sub/c.json", "{}");
    mk("sub/.d.json", "{}");
    mk("sub/deeper", NULL);
    mk("sub/deeper/e.json", "{}");
    mk("sub-a.json", "{}");     /* sorted per directory: after everything under sub/ */
    mk("empty", NULL);
}

static void expect_list(const iam_pathlist *l, const char *const *want, size_t n)
{
    for (size_t i = 0; i < l->n && i < n; i++)
        cr_assert_str_eq(l->v[i], want[i], "entry %zu", i);
    cr_assert_eq(l->n, n, "got %zu paths, want %zu", l->n, n);
}

Test(fsutil, collect_sorted_recursive_walk)
{
    tree();
    iam_pathlist l = {0};
    const char *paths[] = {root};
    const char *const exts[] = {".json", NULL};
    const char *bad = NULL, *err = NULL;
    cr_assert_eq(iam_inputs_collect(&l, paths, 1, exts, &bad, &err), 0);
    char w[6][512];
    /* bytewise within each directory: "Z" < "a" < "b" < "sub" < "sub-a.json" */
    snprintf(w[0], sizeof w[0], "%s/Z.json", root);
    snprintf(w[1], sizeof w[1], "%s/a.json", root);
    snprintf(w[2], sizeof w[2], "%s/b.json", root);
    snprintf(w[3], sizeof w[3], "%s/sub/c.json", root);
    snprintf(w[4], sizeof w[4], "%s/sub/deeper/e.json", root);
    snprintf(w[5], sizeof w[5], "%s/sub-a.json", root);
    const char *want[] = {w[0], w[1], w[2], w[3], w[4], w[5]};
    expect_list(&l, want, 6);
    iam_pathlist_free(&l);
    cr_assert_eq(l.n, 0);
    cr_assert_null(l.v);
}

Test(fsutil, collect_trailing_slash_gives_single_separator)
{
    mk("x.json", "{}");
    char dir[300];
    snprintf(dir, sizeof dir, "%s/", root);
    iam_pathlist l = {0};
    const char *paths[] = {dir};
    const char *const exts[] = {".json", NULL};
    const char *bad = NULL, *err = NULL;
    cr_assert_eq(iam_inputs_collect(&l, paths, 1, exts, &bad, &err), 0);
    char want[512];
    snprintf(want, sizeof want, "%s/x.json", root);
    cr_assert_eq(l.n, 1);
    cr_assert_str_eq(l.v[0], want);
    iam_pathlist_free(&l);
}

Test(fsutil, collect_extension_filter_several_exts)
{
    tree();
    iam_pathlist l = {0};
    char sub[300];
    snprintf(sub, sizeof sub, "%s/sub", root);
    mk("sub/f.yaml", "x");
    mk("sub/g.JSON", "x"); /* the filter is case-sensitive */
    const char *paths[] = {sub};
    const char *const exts[] = {".yaml", ".json", NULL};
    const char *bad = NULL, *err = NULL;
    cr_assert_eq(iam_inputs_collect(&l, paths, 1, exts, &bad, &err), 0);
    char w[3][512];
    snprintf(w[0], sizeof w[0], "%s/sub/c.json", root);
    snprintf(w[1], sizeof w[1], "%s/sub/deeper/e.json", root);
    snprintf(w[2], sizeof w[2], "%s/sub/f.yaml", root);
    const char *want[] = {w[0], w[1], w[2]};
    expect_list(&l, want, 3);
    iam_pathlist_free(&l);
}

Test(fsutil, collect_files_taken_as_given_and_stdin)
{
    tree();
    char txt[300];
    snprintf(txt, sizeof txt, "%s/notes.txt", root);
    char hidden[300];
    snprintf(hidden, sizeof hidden, "%s/.hidden.json", root);
    char sub[300];
    snprintf(sub, sizeof sub, "%s/sub/deeper", root);
    iam_pathlist l = {0};
    const char *paths[] = {txt, "-", hidden, sub};
    const char *const exts[] = {".json", NULL};
    const char *bad = NULL, *err = NULL;
    cr_assert_eq(iam_inputs_collect(&l, paths, 4, exts, &bad, &err), 0);
    char e[512];
    snprintf(e, sizeof e, "%s/sub/deeper/e.json", root);
    const char *want[] = {txt, "-", hidden, e}; /* command-line order kept */
    expect_list(&l, want, 4);
    iam_pathlist_free(&l);
}

Test(fsutil, collect_missing_path_fails)
{
    char missing[300];
    snprintf(missing, sizeof missing, "%s/nope.json", root);
    iam_pathlist l = {0};
    const char *paths[] = {missing};
    const char *const exts[] = {".json", NULL};
    const char *bad = NULL, *err = NULL;
    cr_assert_eq(iam_inputs_collect(&l, paths, 1, exts, &bad, &err), -1);
    cr_assert_str_eq(bad, missing);
    cr_assert_not_null(err);
    cr_assert_str_eq(err, strerror(ENOENT));
    iam_pathlist_free(&l);
}

Test(fsutil, collect_empty_directory)
{
    mk("empty", NULL);
    char dir[300];
    snprintf(dir, sizeof dir, "%s/empty", root);
    iam_pathlist l = {0};
    const char *paths[] = {dir};
    const char *const exts[] = {".json", NULL};
    const char *bad = NULL, *err = NULL;
    cr_assert_eq(iam_inputs_collect(&l, paths, 1, exts, &bad, &err), 0);
    cr_assert_eq(l.n, 0);
    iam_pathlist_free(&l);
}

Test(fsutil, is_dir)
{
    mk("f.json", "{}");
    char f[300];
    snprintf(f, sizeof f, "%s/f.json", root);
    cr_assert(iam_is_dir(root));
    cr_assert_not(iam_is_dir(f));
    cr_assert_not(iam_is_dir("/definitely/not/here"));
}

static char *slurp(const char *p, size_t *n)
{
    FILE *f = fopen(p, "rb");
    cr_assert_not_null(f);
    static char buf[65536];
    *n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return buf;
}

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

Test(fsutil, write_atomic_replaces_content_and_keeps_mode)
{
    mk("p.json", "old content that is longer than the new one\n");
    char p[300];
    snprintf(p, sizeof p, "%s/p.json", root);
    cr_assert_eq(chmod(p, 0640), 0);
    const char *err = NULL;
    cr_assert_eq(iam_write_atomic(p, "{}\n", 3, &err), 0, "%s", err ? err : "");
    size_t n;
    char *got = slurp(p, &n);
    cr_assert_eq(n, 3);
    cr_assert_eq(memcmp(got, "{}\n", 3), 0);
    struct stat st;
    cr_assert_eq(stat(p, &st), 0);
    cr_assert_eq(st.st_mode & 07777, 0640, "mode is %o", st.st_mode & 07777);
    cr_assert_eq(entries(root), 1, "no temporary file may be left behind");

    cr_assert_eq(chmod(p, 0755), 0);
    cr_assert_eq(iam_write_atomic(p, "", 0, &err), 0);
    cr_assert_eq(stat(p, &st), 0);
    cr_assert_eq(st.st_size, 0);
    cr_assert_eq(st.st_mode & 07777, 0755);
}

Test(fsutil, write_atomic_large_binary_content)
{
    char p[300];
    snprintf(p, sizeof p, "%s/big.bin", root);
    static char data[60000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)(i * 7);
    const char *err = NULL;
    cr_assert_eq(iam_write_atomic(p, data, sizeof data, &err), 0);
    size_t n;
    char *got = slurp(p, &n);
    cr_assert_eq(n, sizeof data);
    cr_assert_eq(memcmp(got, data, n), 0);
}

Test(fsutil, write_atomic_into_missing_directory_fails_cleanly)
{
    char p[300];
    snprintf(p, sizeof p, "%s/no/such/dir/p.json", root);
    const char *err = NULL;
    cr_assert_eq(iam_write_atomic(p, "x", 1, &err), -1);
    cr_assert_not_null(err);
    cr_assert_eq(entries(root), 0);
}

/* A symlink stays a link: the file it points to is replaced. */
Test(fsutil, write_atomic_through_symlink_keeps_link)
{
    mk("target.json", "old\n");
    char link[300], target[300];
    snprintf(target, sizeof target, "%s/target.json", root);
    snprintf(link, sizeof link, "%s/link.json", root);
    cr_assert_eq(symlink("target.json", link), 0);
    const char *err = NULL;
    cr_assert_eq(iam_write_atomic(link, "new\n", 4, &err), 0, "%s", err ? err : "");
    struct stat st;
    cr_assert_eq(lstat(link, &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "the link was replaced by a file");
    size_t n;
    char *got = slurp(target, &n);
    cr_assert_eq(n, 4);
    cr_assert_eq(memcmp(got, "new\n", 4), 0);
}

/* A device is written through, never renamed over (that would replace
 * /dev/null with a regular file for the whole machine). */
Test(fsutil, write_atomic_to_device_writes_through)
{
    const char *err = NULL;
    cr_assert_eq(iam_write_atomic("/dev/null", "x\n", 2, &err), 0, "%s", err ? err : "");
    struct stat st;
    cr_assert_eq(stat("/dev/null", &st), 0);
    cr_assert(S_ISCHR(st.st_mode), "/dev/null is no longer a character device");
}
