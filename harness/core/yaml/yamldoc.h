/*
 * yamldoc.h: one YAML document read with libyaml, and the first error found
 * in it, located by line and column. The scenario loader (scenario.c) is
 * built on it; nothing here knows what a scenario is.
 *
 * Loading takes two passes over the text. The first runs libyaml's event
 * parser only, to report syntax errors, notice a second document and refuse
 * nesting deeper than the caller allows (libyaml's scanner is quadratic in
 * the nesting depth: 50,000 '[' take seconds, and the loader will be fuzzed).
 * The second builds libyaml's node tree. Anchors and aliases are accepted, but
 * the tree is then measured as if every alias were a copy of what it names:
 * a document that expands past the caller's node or byte budget (a "billion
 * laughs" file: one anchor used thousands of times, aliases of lists of
 * aliases) or that contains itself (a cycle) is refused before anyone walks
 * it, so a walker's cost is bounded by the budget whatever the text does.
 *
 * Errors: the first one recorded in a struct yamldoc stands; later ones are
 * dropped, so that a message names the first problem in document order as far
 * as the walk goes. libyaml's 0-based marks are stored 1-based. Functions
 * that can fail return 0, or -1 with the error recorded (always: -1 is never
 * returned without one, though it may be an earlier one).
 *
 * Ownership: a struct yamldoc owns the parser and the node tree; nodes are
 * valid until yamldoc_free(). Strings handed out (yamldoc_get_string) are
 * malloc'd and the caller's. Single-threaded; no global state.
 */
#ifndef SYNCHOST_YAMLDOC_H
#define SYNCHOST_YAMLDOC_H

#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#if defined(__GNUC__)
#define YAMLDOC_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define YAMLDOC_PRINTF_LIKE(f, a)
#endif

/* Longest excerpt of the file quoted in a message. */
#define YAMLDOC_QUOTE_MAX 64
/* Room for yamldoc_quote()'s output (every byte escaped, "..."), and for
 * yamldoc_describe()'s. */
#define YAMLDOC_QUOTE_BUF    (YAMLDOC_QUOTE_MAX * 4 + 8)
#define YAMLDOC_DESCRIBE_BUF (YAMLDOC_QUOTE_BUF + 8)

struct yamldoc {
    yaml_parser_t parser;
    yaml_document_t doc;
    int has_parser, has_doc;
    /* The first error: failed is 0 until one is recorded. line and col are
     * 1-based, and 1:1 for problems not tied to a place (out of memory). */
    int failed;
    unsigned line, col;
    char message[512];
};

/* What yamldoc_load() returns besides 0 and -1: outcomes the caller words in
 * its own terms, since only it knows what the file should have held. Nothing
 * is recorded in the yamldoc for these. */
#define YAMLDOC_EMPTY           (-2) /* no document, or one with no content */
#define YAMLDOC_SECOND_DOCUMENT (-3) /* a second document starts at *where */
#define YAMLDOC_TOO_DEEP        (-4) /* nesting past max_depth, at *where */

void yamldoc_init(struct yamldoc *d);

/* What a document may hold. The expanded counts treat every alias as a full
 * copy of the node it names: they bound what a walk of the tree can meet. */
struct yamldoc_limits {
    int max_depth;      /* mappings and lists nested, as written */
    uint32_t max_nodes; /* nodes (keys included) once aliases are expanded */
    uint32_t max_bytes; /* bytes of scalar text once aliases are expanded */
};

/* Loads len bytes of data (not NUL-terminated; may be "" but not NULL) as
 * one YAML document within lim. Returns 0 (yamldoc_root() is the document's
 * root), -1 (invalid text or YAML, a document too large once its aliases are
 * expanded, a cycle, or out of memory: recorded), or one of the YAMLDOC_*
 * outcomes above (where is set for those that say so). Call once per
 * yamldoc. Time and memory are linear in len. */
int yamldoc_load(struct yamldoc *d, const char *data, size_t len, const struct yamldoc_limits *lim,
                 yaml_mark_t *where);

/* How a kind of file words the outcomes yamldoc_load() leaves to it. */
struct yamldoc_words {
    const char *empty;    /* the error for an empty file; NULL: empty is fine */
    const char *second;   /* after "a second YAML document: " */
    const char *too_deep; /* after "nested more than N levels deep" ("" or "; ...") */
};

/* yamldoc_load(), with its YAMLDOC_* outcomes recorded as errors in the
 * file's own words (at where they are). Returns 0 with *root the
 * document's root (NULL for an empty file that may be empty), or -1 with
 * the error recorded. The one way every YAML file of synchost is loaded. */
int yamldoc_load_as(struct yamldoc *d, const char *data, size_t len,
                    const struct yamldoc_limits *lim, const struct yamldoc_words *words,
                    yaml_node_t **root);

/* The root node after a successful yamldoc_load(). */
yaml_node_t *yamldoc_root(struct yamldoc *d);

/* Frees the tree and the parser; the recorded error stays readable. */
void yamldoc_free(struct yamldoc *d);

/* Errors ------------------------------------------------------------- */

/* Records an error at a 0-based line and column, unless one is recorded
 * already. Returns -1. */
YAMLDOC_PRINTF_LIKE(4, 5)
int yamldoc_fail_at(struct yamldoc *d, size_t line, size_t col, const char *fmt, ...);

/* The same at where node starts. */
YAMLDOC_PRINTF_LIKE(3, 4)
int yamldoc_fail(struct yamldoc *d, const yaml_node_t *node, const char *fmt, ...);

/* The same, with ", got " and what node is (yamldoc_describe) after the
 * message: "sync.size: expected a number, got a list". */
YAMLDOC_PRINTF_LIKE(3, 4)
int yamldoc_fail_got(struct yamldoc *d, const yaml_node_t *node, const char *fmt, ...);

/* Copies up to YAMLDOC_QUOTE_MAX bytes of s into buf for a message, with
 * bytes outside printable ASCII (and the quote) written as \xNN, and "..."
 * when cut. UTF-8 text is escaped too: messages go to terminals and CI logs.
 * A cap of YAMLDOC_QUOTE_BUF holds the longest result. Returns buf. */
const char *yamldoc_quote(const unsigned char *s, size_t len, char *buf, size_t cap);

/* What node is, for messages: "a mapping", "a list", "nothing (null)",
 * "'text'" (quoted into buf; YAMLDOC_DESCRIBE_BUF is room enough). Returns
 * buf or a static string. */
const char *yamldoc_describe(const yaml_node_t *node, char *buf, size_t cap);

/* What node is, never quoting it: "a mapping", "a list", "nothing (null)" or
 * "text (not quoted here)". For the top of a file that may be no file of
 * ours at all (a key, a password file), whose text must not reach a log. */
const char *yamldoc_kind(const yaml_node_t *node);

/* Is node a scalar that looks like a key someone meant to write (letters,
 * digits, '_', '-', '.'; 40 bytes at most)? Only such a key at the top of a
 * file is quoted in a message, for the same reason. */
int yamldoc_is_word(const yaml_node_t *node);

/* Nodes --------------------------------------------------------------- */

/* The node with this index in the tree, or NULL. */
yaml_node_t *yamldoc_node(struct yamldoc *d, int index);

/* Is node a plain scalar spelling null ("", "~", "null", "Null", "NULL")? */
int yamldoc_is_null(const yaml_node_t *node);

/* Is node a scalar that reads exactly name? */
int yamldoc_is_key(const yaml_node_t *node, const char *name);

/* The value of key in the mapping map, or NULL when it has no such key (or
 * the value is missing from the tree). map must be a mapping node. */
yaml_node_t *yamldoc_lookup(struct yamldoc *d, yaml_node_t *map, const char *key);

/* Values -------------------------------------------------------------- */

/* A non-empty string without NUL bytes, copied into *out (the old *out is
 * freed first, and kept on failure). path names the value in messages
 * ("provider.path"). Returns 0 or -1. */
int yamldoc_get_string(struct yamldoc *d, yaml_node_t *node, const char *path, char **out);

/* A plain, non-negative, decimal number of milliseconds, at most 32 bits.
 * Returns 0 or -1. */
int yamldoc_get_ms(struct yamldoc *d, yaml_node_t *node, const char *path, uint32_t *out);

/* The same, from min to max inclusive; the message names the range and what
 * it is ("a deadline" in "timeout_ms: must be from 1 to 3600000 ms (a
 * deadline), got '0'"). Returns 0 or -1. */
int yamldoc_get_ms_in(struct yamldoc *d, yaml_node_t *node, const char *path, uint32_t min,
                      uint32_t max, const char *what, uint32_t *out);

/* Parses len bytes of s: digits only (hex after "0x" when allow_hex), at
 * most 32 bits. Returns 0, -1 when not a number, -2 when too large (*out is
 * left alone then). Records nothing. */
int yamldoc_parse_u32(const unsigned char *s, size_t len, int allow_hex, uint32_t *out);

#endif /* SYNCHOST_YAMLDOC_H */
