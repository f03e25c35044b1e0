/* script.c: the host's script of a scenario, and its line codec (script.h). */
#include "script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "line.h"
#include "script_host.h"

uint32_t script_timeout_ms(const struct scenario *sc, uint32_t run_timeout_ms)
{
    return sc->timeout_ms   ? sc->timeout_ms
           : run_timeout_ms ? run_timeout_ms
                            : SCENARIO_DEFAULT_TIMEOUT_MS;
}

void script_from_scenario(const struct scenario *sc, const char *provider, uint32_t run_timeout_ms,
                          int probe, struct host_script *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", sc->name != NULL ? sc->name : "");
    snprintf(out->provider, sizeof out->provider, "%s", provider);
    out->flags = sc->flags;
    out->timeout_ms = script_timeout_ms(sc, run_timeout_ms);
    out->settle_ms = sc->settle_ms;
    out->shutdown_timeout_ms = sc->shutdown_timeout_ms;
    out->probe = probe;
    out->sib_size = sc->sib_size;
    out->session = sc->session;
    out->callback = sc->callback;
    out->done_event_ptr = sc->done_event_ptr;
    out->psib = sc->psib;
    out->progress_return_count = sc->progress_return_count;
    memcpy(out->progress_returns, sc->progress_returns,
           sc->progress_return_count * sizeof sc->progress_returns[0]);
    script_host_from_scenario(sc, out);
}

/* The words of the argument fields, by enum value. */
static const char *const session_words[] = {"fake", "null", NULL};
static const char *const callback_words[] = {"fake", "null", "unknown-only", NULL};
static const char *const pointer_words[] = {"valid", "null", NULL};

static const char *word_of(const char *const *words, int v)
{
    for (int i = 0; words[i] != NULL; i++) {
        if (i == v) {
            return words[i];
        }
    }
    return "?"; /* refused by script_parse */
}

size_t script_format(const struct host_script *s, char *buf, size_t cap)
{
    struct line_out o;

    line_out_init(&o, buf, cap, "script");
    line_out_text(&o, "name", s->name);
    line_out_text(&o, "provider", s->provider);
    line_out_u64(&o, "flags", s->flags, 1);
    line_out_u64(&o, "timeout", s->timeout_ms, 0);
    line_out_u64(&o, "settle", s->settle_ms, 0);
    line_out_u64(&o, "shutdown", s->shutdown_timeout_ms, 0);
    line_out_u64(&o, "probe", (uint64_t)(s->probe != 0), 0);
    {
        char size[16];
        snprintf(size, sizeof size, "%lu", (unsigned long)s->sib_size); /* 0 is a value here */
        line_out_word(&o, "size", size);
    }
    line_out_word(&o, "session", word_of(session_words, (int)s->session));
    line_out_word(&o, "callback", word_of(callback_words, (int)s->callback));
    line_out_word(&o, "done_event_ptr", word_of(pointer_words, (int)s->done_event_ptr));
    line_out_word(&o, "psib", word_of(pointer_words, (int)s->psib));
    for (size_t i = 0; i < s->progress_return_count; i++) {
        char word[48];
        snprintf(word, sizeof word, "%lu:0x%lx", (unsigned long)s->progress_returns[i].from_call,
                 (unsigned long)s->progress_returns[i].hresult);
        line_out_word(&o, "progress_return", word);
    }
    script_host_format(s, &o);
    return line_out_end(&o);
}

/* "FROM:HRESULT", both numbers, FROM at least 1. */
static int parse_progress_return(const struct line_field *f, struct scenario_progress_return *r)
{
    const char *colon = memchr(f->val, ':', f->vallen);
    struct line_field a, b;
    uint64_t from, hr;

    if (colon == NULL) {
        return -1;
    }
    a = *f;
    a.vallen = (size_t)(colon - f->val);
    b = *f;
    b.val = colon + 1;
    b.vallen = f->vallen - a.vallen - 1;
    if (line_val_u64(&a, &from) != 0 || line_val_u64(&b, &hr) != 0 || from == 0 ||
        from > 0xffffffffu || hr > 0xffffffffu) {
        return -1;
    }
    r->from_call = (uint32_t)from;
    r->hresult = (uint32_t)hr;
    return 0;
}

static int parse_u32(const struct line_field *f, uint32_t *out)
{
    uint64_t v;

    if (line_val_u64(f, &v) != 0 || v > 0xffffffffu) {
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

/* One of words, as its index. */
static int parse_word(const struct line_field *f, const char *const *words, int *out)
{
    char buf[32];

    if (f->vallen >= sizeof buf || line_val_text(f, buf, sizeof buf) != 0) {
        return -1;
    }
    for (int i = 0; words[i] != NULL; i++) {
        if (strcmp(buf, words[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return -1;
}

/* The sync's argument fields; 1 when f is none of them. */
static int parse_argument(const struct line_field *f, struct host_script *s)
{
    int v = 0, rc;

    if (line_key_is(f, "size")) {
        return parse_u32(f, &s->sib_size);
    }
    if (line_key_is(f, "session")) {
        rc = parse_word(f, session_words, &v);
        s->session = (enum scenario_session)v;
        return rc;
    }
    if (line_key_is(f, "callback")) {
        rc = parse_word(f, callback_words, &v);
        s->callback = (enum scenario_callback)v;
        return rc;
    }
    if (line_key_is(f, "done_event_ptr")) {
        rc = parse_word(f, pointer_words, &v);
        s->done_event_ptr = (enum scenario_pointer)v;
        return rc;
    }
    if (line_key_is(f, "psib")) {
        rc = parse_word(f, pointer_words, &v);
        s->psib = (enum scenario_pointer)v;
        return rc;
    }
    return 1;
}

static int parse_field(const struct line_field *f, struct host_script *s)
{
    uint32_t probe = 0;
    int rc;

    if (line_key_is(f, "name")) {
        return line_val_text(f, s->name, sizeof s->name);
    }
    if (line_key_is(f, "provider")) {
        return line_val_text(f, s->provider, sizeof s->provider);
    }
    if (line_key_is(f, "flags")) {
        return parse_u32(f, &s->flags);
    }
    if (line_key_is(f, "timeout")) {
        return parse_u32(f, &s->timeout_ms);
    }
    if (line_key_is(f, "settle")) {
        return parse_u32(f, &s->settle_ms);
    }
    if (line_key_is(f, "shutdown")) {
        return parse_u32(f, &s->shutdown_timeout_ms);
    }
    if (line_key_is(f, "probe")) {
        rc = parse_u32(f, &probe);
        s->probe = probe != 0;
        return rc;
    }
    if (line_key_is(f, "progress_return")) {
        if (s->progress_return_count == SCENARIO_MAX_PROGRESS_RETURNS) {
            return -1;
        }
        return parse_progress_return(f, &s->progress_returns[s->progress_return_count++]);
    }
    rc = parse_argument(f, s);
    if (rc == 1) {
        rc = script_host_parse(f, s);
    }
    return rc == 1 ? 0 : rc; /* 1: a newer supervisor's field */
}

int script_parse(const char *line, size_t len, struct host_script *out)
{
    size_t pos = line_word(line, len);
    struct line_field f;
    int rc;

    memset(out, 0, sizeof *out);
    out->sib_size = SCENARIO_SIB_SIZE;
    if (pos != 6 || memcmp(line, "script", 6) != 0) {
        return -1;
    }
    while ((rc = line_next(line, len, &pos, &f)) == 1) {
        if (parse_field(&f, out) != 0) {
            return -1;
        }
    }
    return rc < 0 || out->provider[0] == '\0' ? -1 : 0;
}
