/*
 * yamldoc.c: one YAML document and its first error (see yamldoc.h).
 */
#include "yaml/yamldoc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Errors ------------------------------------------------------------- */

static int vfail_at(struct yamldoc *d, size_t line, size_t col, const char *fmt, va_list ap)
{
    if (d->failed) {
        return -1;
    }
    d->failed = 1;
    d->line = line > 0xFFFFFFFEu ? 0xFFFFFFFFu : (unsigned)line + 1;
    d->col = col > 0xFFFFFFFEu ? 0xFFFFFFFFu : (unsigned)col + 1;
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    return -1;
}

int yamldoc_fail_at(struct yamldoc *d, size_t line, size_t col, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vfail_at(d, line, col, fmt, ap);
    va_end(ap);
    return rc;
}

int yamldoc_fail(struct yamldoc *d, const yaml_node_t *node, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vfail_at(d, node->start_mark.line, node->start_mark.column, fmt, ap);
    va_end(ap);
    return rc;
}

int yamldoc_fail_got(struct yamldoc *d, const yaml_node_t *node, const char *fmt, ...)
{
    char said[sizeof d->message], what[YAMLDOC_DESCRIBE_BUF];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(said, sizeof said, fmt, ap);
    va_end(ap);
    return yamldoc_fail(d, node, "%s, got %s", said, yamldoc_describe(node, what, sizeof what));
}

/* Copies up to YAMLDOC_QUOTE_MAX bytes of s into buf for a message, with bytes
 * outside printable ASCII (and the quote) written as \xNN, and "..." when
 * cut. UTF-8 text is escaped too: messages go to terminals and CI logs. */
const char *yamldoc_quote(const unsigned char *s, size_t len, char *buf, size_t cap)
{
    static const char hexdig[] = "0123456789ABCDEF";
    size_t w = 0;
    size_t i;

    if (cap < 8) {
        if (cap > 0) {
            buf[0] = '\0';
        }
        return buf;
    }
    for (i = 0; i < len && i < YAMLDOC_QUOTE_MAX; i++) {
        unsigned char c = s[i];
        if (c >= ' ' && c < 0x7f && c != '\'' && c != '\\') {
            if (w + 1 + 4 >= cap) {
                break;
            }
            buf[w++] = (char)c;
        } else {
            if (w + 4 + 4 >= cap) {
                break;
            }
            buf[w++] = '\\';
            buf[w++] = 'x';
            buf[w++] = hexdig[c >> 4];
            buf[w++] = hexdig[c & 15];
        }
    }
    if (i < len) {
        memcpy(buf + w, "...", 3);
        w += 3;
    }
    buf[w] = '\0';
    return buf;
}

static const char *quote_node(const yaml_node_t *node, char *buf, size_t cap)
{
    return yamldoc_quote(node->data.scalar.value, node->data.scalar.length, buf, cap);
}

/* "a mapping", "a list", "nothing", "'text'": what was found, for messages. */
const char *yamldoc_describe(const yaml_node_t *node, char *buf, size_t cap)
{
    char q[YAMLDOC_QUOTE_BUF];

    /* Only text is quoted; everything else is said as yamldoc_kind says it. */
    if (node->type != YAML_SCALAR_NODE || yamldoc_is_null(node)) {
        return yamldoc_kind(node);
    }
    snprintf(buf, cap, "'%s'", quote_node(node, q, sizeof q));
    return buf;
}

const char *yamldoc_kind(const yaml_node_t *node)
{
    switch (node->type) {
    case YAML_MAPPING_NODE:
        return "a mapping";
    case YAML_SEQUENCE_NODE:
        return "a list";
    case YAML_SCALAR_NODE:
        return yamldoc_is_null(node) ? "nothing (null)" : "text (not quoted here)";
    case YAML_NO_NODE:
        break;
    }
    return "nothing";
}

int yamldoc_is_word(const yaml_node_t *node)
{
    if (node->type != YAML_SCALAR_NODE || node->data.scalar.length == 0 ||
        node->data.scalar.length > 40) {
        return 0;
    }
    for (size_t i = 0; i < node->data.scalar.length; i++) {
        unsigned char c = node->data.scalar.value[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.')) {
            return 0;
        }
    }
    return 1;
}

/* Loading ------------------------------------------------------------ */

/* libyaml's error, from either pass, to ours. */
static void syntax_error(struct yamldoc *d, const yaml_parser_t *p, const char *data, size_t len)
{
    const char *problem = p->problem != NULL ? p->problem : "unknown error";

    if (p->error == YAML_MEMORY_ERROR) {
        yamldoc_fail_at(d, 0, 0, "out of memory while reading YAML");
        return;
    }
    if (p->error == YAML_READER_ERROR) {
        /* libyaml gives a byte offset, not a mark: count lines and
         * characters (UTF-8 lead bytes) up to it. */
        size_t line = 0, col = 0;
        size_t end = p->problem_offset < len ? p->problem_offset : len;
        for (size_t i = 0; i < end; i++) {
            if (data[i] == '\n') {
                line++;
                col = 0;
            } else if (((unsigned char)data[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        if (p->problem_value != -1) {
            yamldoc_fail_at(d, line, col, "invalid text: %s (0x%X)", problem,
                            (unsigned)p->problem_value);
        } else {
            yamldoc_fail_at(d, line, col, "invalid text: %s", problem);
        }
        return;
    }
    if (p->context != NULL) {
        yamldoc_fail_at(d, p->problem_mark.line, p->problem_mark.column,
                        "invalid YAML: %s (%s at %lu:%lu)", problem, p->context,
                        (unsigned long)p->context_mark.line + 1,
                        (unsigned long)p->context_mark.column + 1);
    } else {
        yamldoc_fail_at(d, p->problem_mark.line, p->problem_mark.column, "invalid YAML: %s",
                        problem);
    }
}

/* The first pass: syntax, one document, bounded depth. Returns as
 * yamldoc_load() does. */
static int prescan(struct yamldoc *d, const char *data, size_t len, int max_depth,
                   yaml_mark_t *where)
{
    yaml_parser_t parser;
    int depth = 0, documents = 0, rc = 0;

    if (!yaml_parser_initialize(&parser)) {
        return yamldoc_fail_at(d, 0, 0, "out of memory");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    for (;;) {
        yaml_event_t ev;
        yaml_event_type_t type;
        yaml_mark_t mark;

        if (!yaml_parser_parse(&parser, &ev)) {
            syntax_error(d, &parser, data, len);
            rc = -1;
            break;
        }
        type = ev.type;
        mark = ev.start_mark;
        yaml_event_delete(&ev);
        if (type == YAML_STREAM_END_EVENT) {
            break;
        }
        if (type == YAML_DOCUMENT_START_EVENT && ++documents > 1) {
            *where = mark;
            rc = YAMLDOC_SECOND_DOCUMENT;
            break;
        }
        if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
            if (++depth > max_depth) {
                *where = mark;
                rc = YAMLDOC_TOO_DEEP;
                break;
            }
        } else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) {
            depth--;
        }
    }
    yaml_parser_delete(&parser);
    if (rc == 0 && documents == 0) {
        rc = YAMLDOC_EMPTY;
    }
    return rc;
}

void yamldoc_init(struct yamldoc *d)
{
    memset(d, 0, sizeof *d);
}

/* Expansion ----------------------------------------------------------- */

/* The number of children of node: items, or keys and values. */
static size_t child_count(const yaml_node_t *node)
{
    if (node->type == YAML_SEQUENCE_NODE) {
        return (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
    }
    if (node->type == YAML_MAPPING_NODE) {
        return 2 * (size_t)(node->data.mapping.pairs.top - node->data.mapping.pairs.start);
    }
    return 0;
}

/* The index of node's i-th child (see child_count). */
static int child_at(const yaml_node_t *node, size_t i)
{
    if (node->type == YAML_SEQUENCE_NODE) {
        return node->data.sequence.items.start[i];
    }
    return i % 2 == 0 ? node->data.mapping.pairs.start[i / 2].key
                      : node->data.mapping.pairs.start[i / 2].value;
}

struct measure {
    size_t count;         /* nodes in the tree, as stored (indices 1..count) */
    unsigned char *state; /* 0 not seen, 1 being measured (on the stack), 2 measured */
    uint32_t *nodes;      /* per node: its expanded size, saturated at max + 1 */
    uint32_t *bytes;
    struct measure_frame {
        int index;
        size_t next; /* the next child to visit */
    } * stack;
};

static uint32_t add_sat(uint32_t a, uint64_t b, uint32_t max)
{
    uint64_t sum = (uint64_t)a + b;

    return sum > (uint64_t)max ? max + 1 : (uint32_t)sum;
}

/* Node i's expanded size from its (measured) children's. Returns 0, or -1
 * with the error recorded when it passes a limit. */
static int measure_finish(struct yamldoc *d, struct measure *m, yaml_node_t *node, int i,
                          const struct yamldoc_limits *lim)
{
    uint32_t n = 1, b = 0;

    if (node->type == YAML_SCALAR_NODE) {
        b = add_sat(0, node->data.scalar.length, lim->max_bytes);
    }
    for (size_t c = 0, k = child_count(node); c < k; c++) {
        int ci = child_at(node, c);
        n = add_sat(n, m->nodes[ci], lim->max_nodes);
        b = add_sat(b, m->bytes[ci], lim->max_bytes);
    }
    m->nodes[i] = n;
    m->bytes[i] = b;
    m->state[i] = 2;
    if (n > lim->max_nodes) {
        return yamldoc_fail(d, node,
                            "too large once its aliases are expanded: more than %lu YAML nodes "
                            "(each use of an alias counts what it names in full)",
                            (unsigned long)lim->max_nodes);
    }
    if (b > lim->max_bytes) {
        return yamldoc_fail(d, node,
                            "too large once its aliases are expanded: more than %lu bytes of "
                            "text (each use of an alias counts what it names in full)",
                            (unsigned long)lim->max_bytes);
    }
    return 0;
}

/* Measures the tree from the root, depth first with an explicit stack (a
 * chain of aliases can be as long as the file), each node once: linear in
 * the tree's stored size. The first node found too large is the innermost
 * one, which is where the error points. */
static int measure_tree(struct yamldoc *d, struct measure *m, const struct yamldoc_limits *lim)
{
    size_t top = 0;

    m->stack[top].index = 1; /* the root */
    m->stack[top++].next = 0;
    m->state[1] = 1;
    while (top > 0) {
        struct measure_frame *f = &m->stack[top - 1];
        yaml_node_t *node = yamldoc_node(d, f->index);
        int ci;

        if (f->next == child_count(node)) {
            if (measure_finish(d, m, node, f->index, lim) != 0) {
                return -1;
            }
            top--;
            continue;
        }
        ci = child_at(node, f->next++);
        if (ci < 1 || (size_t)ci > m->count) {
            return yamldoc_fail(d, node, "internal error: a YAML node is missing");
        }
        if (m->state[ci] == 1) {
            yaml_node_t *target = yamldoc_node(d, ci);
            return yamldoc_fail(d, node,
                                "an alias to the %s at %lu:%lu inside that %s itself (a cycle)",
                                target->type == YAML_MAPPING_NODE ? "mapping" : "list",
                                (unsigned long)target->start_mark.line + 1,
                                (unsigned long)target->start_mark.column + 1,
                                target->type == YAML_MAPPING_NODE ? "mapping" : "list");
        }
        if (m->state[ci] == 0) {
            m->state[ci] = 1;
            m->stack[top].index = ci;
            m->stack[top++].next = 0;
        }
    }
    return 0;
}

/* Refuses a tree whose expansion passes lim, or that contains itself. */
static int check_expansion(struct yamldoc *d, const struct yamldoc_limits *lim)
{
    struct measure m;
    int rc = -1;

    memset(&m, 0, sizeof m);
    m.count = (size_t)(d->doc.nodes.top - d->doc.nodes.start);
    m.state = calloc(m.count + 1, sizeof *m.state);
    m.nodes = calloc(m.count + 1, sizeof *m.nodes);
    m.bytes = calloc(m.count + 1, sizeof *m.bytes);
    m.stack = calloc(m.count + 1, sizeof *m.stack);
    if (m.state == NULL || m.nodes == NULL || m.bytes == NULL || m.stack == NULL) {
        yamldoc_fail_at(d, 0, 0, "out of memory");
    } else {
        rc = measure_tree(d, &m, lim);
    }
    free(m.state);
    free(m.nodes);
    free(m.bytes);
    free(m.stack);
    return rc;
}

int yamldoc_load(struct yamldoc *d, const char *data, size_t len, const struct yamldoc_limits *lim,
                 yaml_mark_t *where)
{
    int rc = prescan(d, data, len, lim->max_depth, where);

    if (rc != 0) {
        return rc;
    }
    if (!yaml_parser_initialize(&d->parser)) {
        return yamldoc_fail_at(d, 0, 0, "out of memory");
    }
    d->has_parser = 1;
    yaml_parser_set_input_string(&d->parser, (const unsigned char *)data, len);
    if (!yaml_parser_load(&d->parser, &d->doc)) {
        /* The first pass saw no error; only memory can run out here. */
        syntax_error(d, &d->parser, data, len);
        return -1;
    }
    d->has_doc = 1;
    if (yaml_document_get_root_node(&d->doc) == NULL) {
        return YAMLDOC_EMPTY;
    }
    return check_expansion(d, lim);
}

int yamldoc_load_as(struct yamldoc *d, const char *data, size_t len,
                    const struct yamldoc_limits *lim, const struct yamldoc_words *words,
                    yaml_node_t **root)
{
    yaml_mark_t where = {0};

    *root = NULL;
    switch (yamldoc_load(d, data, len, lim, &where)) {
    case 0:
        *root = yamldoc_root(d);
        return 0;
    case YAMLDOC_EMPTY:
        return words->empty != NULL ? yamldoc_fail_at(d, 0, 0, "%s", words->empty) : 0;
    case YAMLDOC_SECOND_DOCUMENT:
        return yamldoc_fail_at(d, where.line, where.column, "a second YAML document: %s",
                               words->second);
    case YAMLDOC_TOO_DEEP:
        return yamldoc_fail_at(d, where.line, where.column, "nested more than %d levels deep%s",
                               lim->max_depth, words->too_deep);
    default: /* -1: recorded */
        return -1;
    }
}

yaml_node_t *yamldoc_root(struct yamldoc *d)
{
    return d->has_doc ? yaml_document_get_root_node(&d->doc) : NULL;
}

void yamldoc_free(struct yamldoc *d)
{
    if (d->has_doc) {
        yaml_document_delete(&d->doc);
        d->has_doc = 0;
    }
    if (d->has_parser) {
        yaml_parser_delete(&d->parser);
        d->has_parser = 0;
    }
}
