/*
 * fuzz_scenario.c: the scenario loader under fuzzing (bad YAML gets a located
 * message, never a crash).
 *
 * LLVMFuzzerTestOneInput() loads one input and checks what scenario.h
 * promises; a broken promise is an abort(), which libFuzzer and meson both
 * see. Built two ways:
 *
 * - with -DSYNCHOST_LIBFUZZER by scripts/fuzz (clang, libFuzzer, ASan, UBSan),
 *   which finds new inputs for as long as it is given;
 * - without it, for the unit suite: main() below is a small deterministic
 *   mutation fuzzer over the seed corpus (harness/core/scenario/tests/corpus)
 *   and a few built-in seeds. Same seed, same inputs, so a failure reproduces.
 *
 * Usage of the unit build:
 *   fuzz_scenario CORPUS_DIR [ITERATIONS [SEED]]   mutate and load
 *   fuzz_scenario FILE                             load one input (a crash
 *                                                  file from scripts/fuzz)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Larger inputs are refused before parsing (scenario.c's MAX_FILE_SIZE): the
 * only failure with no line to point at. */
#define LOADER_MAX_SIZE (1024u * 1024u)
/* What a file may expand to once its aliases are expanded (scenario.c's
 * MAX_EXPANDED_BYTES): what a successful load copies stays below it. */
#define EXPANDED_MAX (16u * 1024u * 1024u)

/* The input being checked, for the report when a check fails. */
static const uint8_t *current_data;
static size_t current_size;
static int in_driver; /* main() below is running, not libFuzzer */

/* Reports a broken invariant with the input and aborts. */
static void broken(const char *what, const struct scenario_error *err)
{
    if (in_driver) {
        printf("not ok 1 - invariant broken: %s\n", what);
        fflush(stdout);
    }
    fprintf(stderr, "fuzz_scenario: invariant broken: %s\n", what);
    if (err != NULL) {
        fprintf(stderr, "  err: line %u, col %u, message \"%.*s\"\n", err->line, err->col,
                (int)sizeof err->message, err->message);
    }
    fprintf(stderr, "  input (%zu bytes): \"", current_size);
    for (size_t i = 0; i < current_size; i++) {
        unsigned c = current_data[i];
        if (c == '\\' || c == '"') {
            fprintf(stderr, "\\%c", (char)c);
        } else if (c >= 0x20 && c < 0x7f) {
            fputc((int)c, stderr);
        } else {
            fprintf(stderr, "\\x%02x", c);
        }
    }
    fprintf(stderr, "\"\n");
    abort();
}

/* host.faults and provider.profile: within their bounds, as faults.h and
 * profile.h promise the worker. */
static void check_host(const struct scenario *sc)
{
    if (sc->fault_count > FAULT_MAX_SPECS || (sc->fault_count > 0 && sc->faults == NULL)) {
        broken("too many faults", NULL);
    }
    for (size_t k = 0; k < sc->fault_count; k++) {
        const struct fault_spec *f = &sc->faults[k];
        if (fault_service_name(f->service) == NULL || f->from == 0 || f->to < f->from ||
            f->hresult == 0) {
            broken("a fault out of its bounds", NULL);
        }
    }
    if (sc->memory_growth_mib > SCENARIO_MEMORY_GROWTH_MAX_MIB ||
        (sc->memory_growth_mib != 0 && sc->repeat < 2)) {
        broken("a memory bound out of its bounds, or with nothing to measure", NULL);
    }
    if (sc->profile_count > PROFILE_MAX_PROPS || (sc->profile_count > 0 && sc->profile == NULL)) {
        broken("too many profile properties", NULL);
    }
    for (size_t k = 0; k < sc->profile_count; k++) {
        if (!profile_type_supported(PROFILE_PROP_TYPE(sc->profile[k].tag)) ||
            sc->profile[k].len > PROFILE_VALUE_MAX) {
            broken("a profile property out of its bounds", NULL);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct scenario_list list = {0};
    struct scenario_error err;
    size_t copied = 0;
    int rc;

    current_data = data;
    current_size = size;
    /* A base folder, so that provider paths are resolved too. */
    rc = scenario_load_buffer("fuzz.yaml", "/fuzz", (const char *)data, size, &list, &err);
    if (rc != 0 && rc != -1) {
        broken("scenario_load_buffer returned neither 0 nor -1", NULL);
    }
    if (rc == -1) {
        if (memchr(err.message, '\0', sizeof err.message) == NULL) {
            broken("the message is not NUL-terminated", NULL);
        }
        if (err.message[0] == '\0') {
            broken("the message is empty", &err);
        }
        if (memchr(err.file, '\0', sizeof err.file) == NULL || strcmp(err.file, "fuzz.yaml") != 0) {
            broken("the error does not name the file", &err);
        }
        /* A read error (here: too large) has no place; everything else does. */
        if (size <= LOADER_MAX_SIZE && (err.line < 1 || err.col < 1)) {
            broken("the error has no line:col", &err);
        }
        if (list.count != 0) {
            broken("scenarios were appended although loading failed", &err);
        }
    } else {
        if (list.count == 0) {
            broken("success, but no scenario", NULL);
        }
        for (size_t i = 0; i < list.count; i++) {
            const struct scenario *sc = &list.items[i];
            if (sc->name == NULL || sc->name[0] == '\0') {
                broken("a scenario has no name", NULL);
            }
            if (sc->file == NULL || sc->line < 1) {
                broken("a scenario does not say where it is from", NULL);
            }
            if (sc->progress_return_count > SCENARIO_MAX_PROGRESS_RETURNS) {
                broken("too many progress returns", NULL);
            }
            if (sc->load_timeout_ms == 0 || sc->shutdown_timeout_ms == 0 ||
                sc->return_within_ms == 0) {
                broken("a deadline is 0", NULL);
            }
            check_host(sc);
            copied += strlen(sc->name) + (sc->description ? strlen(sc->description) : 0) +
                      sc->skip_rule_count;
            for (size_t k = 0; k < sc->skip_rule_count; k++) {
                copied += strlen(sc->skip_rules[k]);
            }
        }
        /* Aliases are bounded by what they expand to (scenario.c). */
        if (copied > EXPANDED_MAX) {
            broken("more was copied than the expanded-size bound allows", NULL);
        }
    }
    scenario_list_free(&list);
    current_data = NULL;
    current_size = 0;
    return 0;
}

#ifndef SYNCHOST_LIBFUZZER

#include <dirent.h>

#define DEFAULT_ITERATIONS 100000ul
#define DEFAULT_SEED       0x5eed5ca1ab1eull
/* Mutants are kept below this size; libFuzzer is run with the same -max_len. */
#define MUTANT_MAX 65536u

struct buf {
    uint8_t *p;
    size_t len, cap;
};

struct seeds {
    struct buf *items;
    size_t count, cap;
};

/* Seeds that are not files: the smallest valid scenario, and shapes the
 * corpus lacks. */
static const char *const builtin_seeds[] = {
    "name: x\n",
    "scenarios:\n  - name: a\n  - name: b\n    sync: {flags: [SYNC_ON_DEMAND]}\n",
    "name: r\nhost:\n  progress_returns:\n    - {from_call: 1, hresult: S_OK}\n"
    "    - {from_call: 2, hresult: MAPI_E_USER_CANCEL}\n",
    "name: m\nsync: {overlap: 2, repeat: 3}\nhost:\n  error_returns: [{call: 1, hresult: E_FAIL}]\n"
    "  done_returns: [{from_call: 1, to_call: 2}]\n  delay_ms: {progress: 1, error: 0, done: 2}\n"
    "expect: {progress: {min: 1, max: 5, final_index: 5}, errors: {count: 1, codes: [E_FAIL]}, "
    "event: {signaled: true}}\n",
    "name: l\nhost: {logoff_after_ms: 10}\n",
    "&a [*a]\n",
    "name: x\nsync: {flags: &l [1, [2, *l]]}\n",
    "? [complex, key]\n: value\n",
    "%YAML 1.1\n%TAG ! tag:example.com,2000:\n--- !thing\nname: tagged\n",
    "",
};

/* Characters and tokens that mean something to YAML or to the schema. */
static const char yaml_chars[] = ":-[]{}\"'\n &*!#|>?,%@`\t\r\\~0";
static const char *const yaml_tokens[] = {
    ": ",
    "- ",
    "---\n",
    "...\n",
    "&a ",
    "*a",
    "!!str ",
    "!!map ",
    "<<: ",
    "? ",
    "\r\n",
    "\xef\xbb\xbf",
    "\"\\x00\"",
    "\"\\u0000\"",
    "null",
    "~",
    "0x",
    "0x80040113",
    "4294967296",
    "name: ",
    "scenarios:\n",
    "sync:\n  flags: ",
    "expect:\n  done: ",
    "host:\n  progress_returns: ",
    "from_call: ",
    "to_call: ",
    "call: ",
    "hresult: ",
    "overlap: ",
    "repeat: ",
    "error_returns: ",
    "done_returns: ",
    "delay_ms: {progress: ",
    "logoff_after_ms: ",
    "progress: {min: ",
    "final_index: ",
    "errors: {codes: [",
    "event: {signaled: ",
    "true",
    "rules: {skip: ",
    "provider: {path: ",
    "SYNC_ON_DEMAND",
    "MAPI_E_USER_CANCEL",
    "S_OK",
    "timeout_ms: ",
    "\xff",
    "\xc3",
    "\t",
};

/* splitmix64: small, and the same everywhere. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A number in [0, n); n > 0. */
static size_t rng_below(size_t n)
{
    return (size_t)(rng_next() % n);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n != 0 ? n : 1);
    if (q == NULL) {
        fprintf(stderr, "fuzz_scenario: out of memory\n");
        exit(99);
    }
    return q;
}

static void buf_reserve(struct buf *b, size_t extra)
{
    if (b->len + extra > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + extra) {
            cap *= 2;
        }
        b->p = xrealloc(b->p, cap);
        b->cap = cap;
    }
}

static void buf_set(struct buf *b, const uint8_t *p, size_t len)
{
    b->len = 0;
    buf_reserve(b, len);
    if (len > 0) {
        memcpy(b->p, p, len);
    }
    b->len = len;
}

/* Inserts len bytes of s at pos, unless that would pass MUTANT_MAX. */
static void buf_insert(struct buf *b, size_t pos, const void *s, size_t len)
{
    if (b->len + len > MUTANT_MAX) {
        return;
    }
    buf_reserve(b, len);
    memmove(b->p + pos + len, b->p + pos, b->len - pos);
    memcpy(b->p + pos, s, len);
    b->len += len;
}

static void buf_erase(struct buf *b, size_t pos, size_t len)
{
    memmove(b->p + pos, b->p + pos + len, b->len - pos - len);
    b->len -= len;
}

/* The line around pos: [*start, *end), end past its '\n' if any. */
static void line_at(const struct buf *b, size_t pos, size_t *start, size_t *end)
{
    size_t s = pos, e = pos;
    while (s > 0 && b->p[s - 1] != '\n') {
        s--;
    }
    while (e < b->len && b->p[e] != '\n') {
        e++;
    }
    if (e < b->len) {
        e++;
    }
    *start = s;
    *end = e;
}

static void seeds_add(struct seeds *s, const uint8_t *p, size_t len)
{
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->items = xrealloc(s->items, s->cap * sizeof *s->items);
    }
    memset(&s->items[s->count], 0, sizeof s->items[s->count]);
    buf_set(&s->items[s->count], p, len);
    s->count++;
}

/* One random change to b; other seeds may be spliced in. */
static void mutate(struct buf *b, const struct seeds *all)
{
    size_t pos = b->len ? rng_below(b->len + 1) : 0;
    size_t s, e;

    switch (rng_below(11)) {
    case 0: /* flip a bit */
        if (b->len > 0) {
            pos = rng_below(b->len);
            b->p[pos] ^= (uint8_t)(1u << rng_below(8));
        }
        break;
    case 1: /* overwrite a byte with a YAML character */
        if (b->len > 0) {
            b->p[rng_below(b->len)] = (uint8_t)yaml_chars[rng_below(sizeof yaml_chars - 1)];
        }
        break;
    case 2: /* insert a YAML character */
    case 3: {
        uint8_t c = (uint8_t)yaml_chars[rng_below(sizeof yaml_chars - 1)];
        buf_insert(b, pos, &c, 1);
        break;
    }
    case 4: { /* insert a token */
        const char *t = yaml_tokens[rng_below(sizeof yaml_tokens / sizeof yaml_tokens[0])];
        buf_insert(b, pos, t, strlen(t));
        break;
    }
    case 5: /* delete a few bytes */
        if (b->len > 0) {
            pos = rng_below(b->len);
            buf_erase(b, pos, 1 + rng_below(b->len - pos < 16 ? b->len - pos : 16));
        }
        break;
    case 6: /* truncate */
        b->len = pos;
        break;
    case 7: /* duplicate a line (a repeated key, a second list item) */
        if (b->len > 0) {
            line_at(b, rng_below(b->len), &s, &e);
            if (e > s && b->len + (e - s) <= MUTANT_MAX) {
                uint8_t *copy = xrealloc(NULL, e - s);
                memcpy(copy, b->p + s, e - s);
                buf_insert(b, e, copy, e - s);
                free(copy);
            }
        }
        break;
    case 8: /* nest a line: indent it further, or make it a list item */
        if (b->len > 0) {
            line_at(b, rng_below(b->len), &s, &e);
            buf_insert(b, s, rng_below(2) ? "  " : "- ", 2);
        }
        break;
    case 9: { /* wrap a stretch in a flow list or mapping */
        size_t end = pos + rng_below(b->len - pos + 1);
        int map = (int)rng_below(2);
        buf_insert(b, end, map ? "}" : "]", 1);
        buf_insert(b, pos, map ? "{" : "[", 1);
        break;
    }
    default: { /* splice in a stretch of another seed */
        const struct buf *o = &all->items[rng_below(all->count)];
        if (o->len > 0) {
            size_t from = rng_below(o->len);
            size_t n = 1 + rng_below(o->len - from);
            buf_insert(b, pos, o->p + from, n);
        }
        break;
    }
    }
}

/* Reads a whole file; returns 0 or -1 (with a message printed). */
static int read_file(const char *path, struct buf *out)
{
    FILE *fp = fopen(path, "rb");
    size_t n;

    if (fp == NULL) {
        perror(path);
        return -1;
    }
    out->len = 0;
    do {
        buf_reserve(out, 4096);
        n = fread(out->p + out->len, 1, 4096, fp);
        out->len += n;
    } while (n > 0);
    if (ferror(fp)) {
        perror(path);
        fclose(fp);
        return -1;
    }
    fclose(fp);
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds every .yaml file in dir, in name order so that runs repeat. */
static int add_corpus(struct seeds *s, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t count = 0, cap = 0;
    int rc = 0;

    if (d == NULL) {
        perror(dir);
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 6 || strcmp(de->d_name + n - 5, ".yaml") != 0) {
            continue;
        }
        if (count == cap) {
            cap = cap ? cap * 2 : 32;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[count] = xrealloc(NULL, n + 1);
        memcpy(names[count], de->d_name, n + 1);
        count++;
    }
    closedir(d);
    qsort(names, count, sizeof *names, compare_names);
    for (size_t i = 0; i < count; i++) {
        char path[4096];
        struct buf b = {0};
        int n = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (n < 0 || (size_t)n >= sizeof path) {
            fprintf(stderr, "fuzz_scenario: path too long: %s/%s\n", dir, names[i]);
            rc = -1;
        } else if (read_file(path, &b) == 0) {
            seeds_add(s, b.p, b.len);
        } else {
            rc = -1;
        }
        free(b.p);
        free(names[i]);
    }
    free(names);
    if (rc == 0 && count == 0) {
        fprintf(stderr, "fuzz_scenario: no .yaml seeds in %s\n", dir);
        rc = -1;
    }
    return rc;
}

/* Loads data from an exactly sized copy, so that a read past its end is a
 * read past the allocation (which ASan sees when the test is built with it). */
static void run_one(const uint8_t *data, size_t len)
{
    uint8_t *copy = xrealloc(NULL, len);
    if (len > 0) {
        memcpy(copy, data, len);
    }
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
}

int main(int argc, char **argv)
{
    struct seeds seeds = {0};
    struct buf b = {0};
    unsigned long iterations = DEFAULT_ITERATIONS, inputs = 0;
    unsigned long long seed = DEFAULT_SEED;
    DIR *probe;

    setvbuf(stdout, NULL, _IONBF, 0);
    in_driver = 1;
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: %s CORPUS_DIR [ITERATIONS [SEED]] | %s FILE\n", argv[0], argv[0]);
        return 2;
    }
    if (argc > 2) {
        iterations = strtoul(argv[2], NULL, 0);
    }
    if (argc > 3) {
        seed = strtoull(argv[3], NULL, 0);
    }
    printf("1..1\n");
    probe = opendir(argv[1]);
    if (probe == NULL) {
        /* One input, as libFuzzer saved it. */
        if (read_file(argv[1], &b) != 0) {
            printf("not ok 1 - cannot read %s\n", argv[1]);
            return 1;
        }
        run_one(b.p, b.len);
        printf("ok 1 - %s: no invariant broken\n", argv[1]);
        free(b.p);
        return 0;
    }
    closedir(probe);
    if (add_corpus(&seeds, argv[1]) != 0) {
        printf("not ok 1 - cannot read the corpus in %s\n", argv[1]);
        return 1;
    }
    for (size_t i = 0; i < sizeof builtin_seeds / sizeof builtin_seeds[0]; i++) {
        seeds_add(&seeds, (const uint8_t *)builtin_seeds[i], strlen(builtin_seeds[i]));
    }
    printf("# seed 0x%llx, %lu iterations over %zu seeds (rerun: %s %s %lu 0x%llx)\n", seed,
           iterations, seeds.count, argv[0], argv[1], iterations, seed);
    rng_state = seed;
    /* The seeds as they are, then mutants: 1 to 8 stacked changes each. */
    for (size_t i = 0; i < seeds.count; i++) {
        run_one(seeds.items[i].p, seeds.items[i].len);
        inputs++;
    }
    for (unsigned long it = 0; it < iterations; it++) {
        const struct buf *from = &seeds.items[it % seeds.count];
        size_t changes = 1 + rng_below(8);
        buf_set(&b, from->p, from->len);
        for (size_t c = 0; c < changes; c++) {
            mutate(&b, &seeds);
        }
        run_one(b.p, b.len);
        inputs++;
    }
    printf("ok 1 - %lu inputs, no invariant broken\n", inputs);
    for (size_t i = 0; i < seeds.count; i++) {
        free(seeds.items[i].p);
    }
    free(seeds.items);
    free(b.p);
    return 0;
}

#endif /* !SYNCHOST_LIBFUZZER */
