/* script.c: the host's script of a scenario, and its line codec (script.h). */
#include "protocol/script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/line.h"
#include "protocol/script_host.h"

void script_set_seed(struct host_script *s, uint64_t seed)
{
    s->jitter_seed = s->jitter_ms > 0 ? seed : 0;
}

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
    out->error_return_count = sc->error_return_count;
    memcpy(out->error_returns, sc->error_returns,
           sc->error_return_count * sizeof sc->error_returns[0]);
    out->done_return_count = sc->done_return_count;
    memcpy(out->done_returns, sc->done_returns, sc->done_return_count * sizeof sc->done_returns[0]);
    memcpy(out->delay_ms, sc->delay_ms, sizeof out->delay_ms);
    out->jitter_ms = sc->jitter_ms;
    out->has_logoff_after = sc->has_logoff_after;
    out->logoff_after_ms = sc->logoff_after_ms;
    out->overlap = sc->overlap > 0 ? sc->overlap : 1;
    out->repeat = sc->repeat > 0 ? sc->repeat : 1;
    out->memory_growth_mib =
        sc->memory_growth_mib ? sc->memory_growth_mib : SCENARIO_DEFAULT_MEMORY_GROWTH_MIB;
    script_host_from_scenario(sc, out);
}

/* The answers of one method: "FROM:HR" or "FROM-TO:HR" each. */
static void format_returns(struct line_out *o, const char *key,
                           const struct scenario_progress_return *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char word[64];
        if (r[i].to_call != 0) {
            snprintf(word, sizeof word, "%lu-%lu:0x%lx", (unsigned long)r[i].from_call,
                     (unsigned long)r[i].to_call, (unsigned long)r[i].hresult);
        } else {
            snprintf(word, sizeof word, "%lu:0x%lx", (unsigned long)r[i].from_call,
                     (unsigned long)r[i].hresult);
        }
        line_out_word(o, key, word);
    }
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
    format_returns(&o, "progress_return", s->progress_returns, s->progress_return_count);
    format_returns(&o, "error_return", s->error_returns, s->error_return_count);
    format_returns(&o, "done_return", s->done_returns, s->done_return_count);
    line_out_u64(&o, "delay_progress", s->delay_ms[SCENARIO_METHOD_PROGRESS], 0);
    line_out_u64(&o, "delay_error", s->delay_ms[SCENARIO_METHOD_ERROR], 0);
    line_out_u64(&o, "delay_done", s->delay_ms[SCENARIO_METHOD_DONE], 0);
    if (s->jitter_ms > 0) {
        line_out_u64(&o, "jitter", s->jitter_ms, 0);
        line_out_u64(&o, "jitter_seed", s->jitter_seed, 1);
    }
    if (s->has_logoff_after) {
        char ms[16];
        snprintf(ms, sizeof ms, "%lu", (unsigned long)s->logoff_after_ms); /* 0 is a value */
        line_out_word(&o, "logoff_after", ms);
    }
    if (s->overlap > 1) {
        line_out_u64(&o, "overlap", s->overlap, 0);
    }
    if (s->repeat > 1) {
        line_out_u64(&o, "repeat", s->repeat, 0);
        line_out_u64(&o, "memory_growth", s->memory_growth_mib, 0);
    }
    script_host_format(s, &o);
    return line_out_end(&o);
}

/* "FROM:HRESULT" or "FROM-TO:HRESULT", all numbers, FROM at least 1, TO
 * not before FROM. */
static int parse_return(const struct line_field *f, struct scenario_progress_return *r)
{
    const char *colon = memchr(f->val, ':', f->vallen);
    const char *dash;
    struct line_field a, b, c;
    uint64_t from, to = 0, hr;

    if (colon == NULL) {
        return -1;
    }
    a = *f;
    a.vallen = (size_t)(colon - f->val);
    b = *f;
    b.val = colon + 1;
    b.vallen = f->vallen - a.vallen - 1;
    dash = memchr(a.val, '-', a.vallen);
    if (dash != NULL) {
        c = a;
        c.val = dash + 1;
        c.vallen = a.vallen - (size_t)(dash - a.val) - 1;
        a.vallen = (size_t)(dash - a.val);
        if (line_val_u64(&c, &to) != 0 || to > 0xffffffffu) {
            return -1;
        }
    }
    if (line_val_u64(&a, &from) != 0 || line_val_u64(&b, &hr) != 0 || from == 0 ||
        from > 0xffffffffu || hr > 0xffffffffu || (dash != NULL && to < from)) {
        return -1;
    }
    r->from_call = (uint32_t)from;
    r->to_call = (uint32_t)to;
    r->hresult = (uint32_t)hr;
    return 0;
}

/* One more entry of a returns list. */
static int parse_returns(const struct line_field *f, struct scenario_progress_return *list,
                         size_t *count)
{
    if (*count == SCENARIO_MAX_PROGRESS_RETURNS) {
        return -1;
    }
    return parse_return(f, &list[(*count)++]);
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

/* The host's timing and the calls' count; 1 when f is none of them. */
static int parse_host(const struct line_field *f, struct host_script *s)
{
    static const char *const delays[SCENARIO_METHOD_COUNT] = {"delay_progress", "delay_error",
                                                              "delay_done"};
    int rc;

    for (int m = 0; m < SCENARIO_METHOD_COUNT; m++) {
        if (line_key_is(f, delays[m])) {
            return parse_u32(f, &s->delay_ms[m]);
        }
    }
    if (line_key_is(f, "jitter")) {
        return parse_u32(f, &s->jitter_ms);
    }
    if (line_key_is(f, "jitter_seed")) {
        return line_val_u64(f, &s->jitter_seed);
    }
    if (line_key_is(f, "logoff_after")) {
        s->has_logoff_after = 1;
        return parse_u32(f, &s->logoff_after_ms);
    }
    if (line_key_is(f, "overlap")) {
        rc = parse_u32(f, &s->overlap);
        return rc != 0 || s->overlap < 1 || s->overlap > SCENARIO_OVERLAP_MAX ? -1 : 0;
    }
    if (line_key_is(f, "repeat")) {
        rc = parse_u32(f, &s->repeat);
        return rc != 0 || s->repeat < 1 || s->repeat > SCENARIO_REPEAT_MAX ? -1 : 0;
    }
    if (line_key_is(f, "memory_growth")) {
        rc = parse_u32(f, &s->memory_growth_mib);
        return rc != 0 || s->memory_growth_mib < 1 ||
                       s->memory_growth_mib > SCENARIO_MEMORY_GROWTH_MAX_MIB
                   ? -1
                   : 0;
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
        return parse_returns(f, s->progress_returns, &s->progress_return_count);
    }
    if (line_key_is(f, "error_return")) {
        return parse_returns(f, s->error_returns, &s->error_return_count);
    }
    if (line_key_is(f, "done_return")) {
        return parse_returns(f, s->done_returns, &s->done_return_count);
    }
    rc = parse_host(f, s);
    if (rc != 1) {
        return rc;
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
    out->overlap = 1;
    out->repeat = 1;
    out->memory_growth_mib = SCENARIO_DEFAULT_MEMORY_GROWTH_MIB;
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
