/* script_host.c: host.faults, provider.profile and host.shutdown in the
 * script line (script_host.h). */
#include "protocol/script_host.h"
#include "text/number.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Here rather than in the loader: the worker, which has no loader, reads
 * the same words in its script. */
const char *const scenario_shutdown_words[] = {"plain", "fast", NULL};

void script_host_from_scenario(const struct scenario *sc, struct host_script *out)
{
    out->fault_count = sc->fault_count < FAULT_MAX_SPECS ? sc->fault_count : FAULT_MAX_SPECS;
    if (out->fault_count > 0) {
        memcpy(out->faults, sc->faults, out->fault_count * sizeof out->faults[0]);
    }
    out->has_profile = sc->profile != NULL;
    out->profile_count =
        sc->profile_count < PROFILE_MAX_PROPS ? sc->profile_count : PROFILE_MAX_PROPS;
    if (out->profile_count > 0) {
        memcpy(out->profile, sc->profile, out->profile_count * sizeof out->profile[0]);
    }
    out->shutdown_mode = sc->shutdown;
}

void script_host_format(const struct host_script *s, struct line_out *o)
{
    static const char hexdig[] = "0123456789abcdef";
    static char text[2 * PROFILE_VALUE_MAX + 64];

    for (size_t i = 0; i < s->fault_count; i++) {
        const struct fault_spec *f = &s->faults[i];
        const char *name = fault_service_name(f->service);
        char word[96];
        snprintf(word, sizeof word, "%s,%lu,%lu,0x%lx", name != NULL ? name : "?",
                 (unsigned long)f->from, (unsigned long)f->to, (unsigned long)f->hresult);
        line_out_word(o, "fault", word);
    }
    if (s->has_profile) {
        char count[16];
        snprintf(count, sizeof count, "%lu", (unsigned long)s->profile_count);
        line_out_word(o, "profiles", count);
    }
    for (size_t i = 0; i < s->profile_count; i++) {
        const struct profile_prop *p = &s->profile[i];
        int n = snprintf(text, sizeof text, "0x%lx,0x%llx,", (unsigned long)p->tag,
                         (unsigned long long)p->number);
        size_t w = n > 0 ? (size_t)n : 0;
        for (uint32_t b = 0; b < p->len && b < PROFILE_VALUE_MAX; b++) {
            text[w++] = hexdig[p->data[b] >> 4];
            text[w++] = hexdig[p->data[b] & 15];
        }
        text[w] = '\0';
        line_out_text(o, "profile", text);
    }
    if (s->shutdown_mode != SCENARIO_SHUTDOWN_PLAIN) {
        line_out_word(o, "shutdown_mode", scenario_shutdown_words[s->shutdown_mode]);
    }
}

/* Splits f's value at commas into up to max parts; returns how many. */
static size_t split(const struct line_field *f, struct line_field *parts, size_t max)
{
    const char *p = f->val, *end = f->val + f->vallen;
    size_t n = 0;

    while (n < max) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        parts[n] = *f;
        parts[n].val = p;
        parts[n].vallen = comma != NULL ? (size_t)(comma - p) : (size_t)(end - p);
        n++;
        if (comma == NULL) {
            return n;
        }
        p = comma + 1;
    }
    return max + 1; /* too many */
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

static int parse_fault(const struct line_field *f, struct host_script *s)
{
    struct line_field parts[4];
    struct fault_spec *spec;
    int svc;

    if (s->fault_count == FAULT_MAX_SPECS || split(f, parts, 4) != 4) {
        return -1;
    }
    spec = &s->faults[s->fault_count];
    svc = fault_service_find(parts[0].val, parts[0].vallen);
    if (svc < 0 || parse_u32(&parts[1], &spec->from) != 0 || parse_u32(&parts[2], &spec->to) != 0 ||
        parse_u32(&parts[3], &spec->hresult) != 0 || spec->from == 0 || spec->to < spec->from) {
        return -1;
    }
    spec->service = (uint32_t)svc;
    s->fault_count++;
    return 0;
}

static int parse_profile(const struct line_field *f, struct host_script *s)
{
    static char text[2 * PROFILE_VALUE_MAX + 64];
    struct line_field raw = *f, parts[3];
    struct profile_prop *p;
    uint64_t number;

    if (s->profile_count == PROFILE_MAX_PROPS || f->vallen >= sizeof text ||
        line_val_text(f, text, sizeof text) != 0) {
        return -1;
    }
    raw.val = text;
    raw.vallen = strlen(text);
    p = &s->profile[s->profile_count];
    memset(p, 0, sizeof *p);
    if (split(&raw, parts, 3) != 3 || parse_u32(&parts[0], &p->tag) != 0 ||
        line_val_u64(&parts[1], &number) != 0 || parts[2].vallen % 2 != 0 ||
        parts[2].vallen / 2 > PROFILE_VALUE_MAX || !profile_type_supported(p->tag & 0xFFFFu)) {
        return -1;
    }
    p->number = number;
    for (size_t i = 0; i < parts[2].vallen; i += 2) {
        int hi = text_hex_digit(parts[2].val[i]), lo = text_hex_digit(parts[2].val[i + 1]);
        if (hi < 0 || lo < 0) {
            return -1;
        }
        p->data[i / 2] = (unsigned char)(hi * 16 + lo);
    }
    p->len = (uint32_t)(parts[2].vallen / 2);
    s->profile_count++;
    return 0;
}

int script_host_parse(const struct line_field *f, struct host_script *s)
{
    uint32_t n;

    if (line_key_is(f, "fault")) {
        return parse_fault(f, s);
    }
    if (line_key_is(f, "profiles")) {
        if (parse_u32(f, &n) != 0 || n > PROFILE_MAX_PROPS) {
            return -1;
        }
        s->has_profile = 1;
        return 0;
    }
    if (line_key_is(f, "profile")) {
        return parse_profile(f, s);
    }
    if (line_key_is(f, "shutdown_mode")) {
        char word[16];
        if (line_val_text(f, word, sizeof word) != 0) {
            return -1;
        }
        for (int i = 0; scenario_shutdown_words[i] != NULL; i++) {
            if (strcmp(word, scenario_shutdown_words[i]) == 0) {
                s->shutdown_mode = (enum scenario_shutdown)i;
                return 0;
            }
        }
        return -1;
    }
    return 1;
}
