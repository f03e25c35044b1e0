/*
 * baseline_judge.c: the verdict of a scenario run against a baseline, and
 * its explanation in words (see baseline.h, baseline_judge()).
 */
#include <stdio.h>
#include <string.h>

#include "regress/baseline.h"

static int is_failure(enum scenario_status s)
{
    return s == STATUS_FAILED || s == STATUS_CRASHED || s == STATUS_TIMED_OUT;
}

const struct baseline_entry *baseline_skip(const struct baseline *b, const char *name,
                                           const char *file)
{
    for (size_t i = 0; i < b->count; i++) {
        if (b->entries[i].kind == BASELINE_KIND_SKIP &&
            baseline_names(&b->entries[i], name, file)) {
            return &b->entries[i];
        }
    }
    return NULL;
}

/* Could e cover a failure with this status (leaving its rule aside)? */
static int covers_status(const struct baseline_entry *e, enum scenario_status status)
{
    return e->kind == BASELINE_KIND_FLAKY ||
           (e->kind == BASELINE_KIND_FAILURE && e->status == status);
}

static void judge_pass(const struct baseline *b, const char *name, const char *file,
                       struct baseline_judgement *out)
{
    const struct baseline_entry *failure = NULL;

    out->verdict = BASELINE_PASSED;
    for (size_t i = 0; i < b->count; i++) {
        const struct baseline_entry *e = &b->entries[i];
        if (!baseline_names(e, name, file)) {
            continue;
        }
        if (e->kind == BASELINE_KIND_FLAKY) {
            out->verdict = BASELINE_FLAKY;
            out->entry = e;
            return;
        }
        failure = failure != NULL ? failure : e;
    }
    if (failure != NULL) {
        out->verdict = BASELINE_FIXED;
        out->entry = failure;
    }
}

/* The entry covering rule among those covering status, or NULL. */
static const struct baseline_entry *covering(const struct baseline *b, const char *name,
                                             const char *file, enum scenario_status status,
                                             const char *rule)
{
    for (size_t i = 0; i < b->count; i++) {
        const struct baseline_entry *e = &b->entries[i];
        if (baseline_names(e, name, file) && covers_status(e, status) &&
            (e->rule == NULL || (rule != NULL && strcmp(e->rule, rule) == 0))) {
            return e;
        }
    }
    return NULL;
}

/* The failure entry of this scenario and status that lets the rules it
 * breaks change (none of them says `rules: exact`, and the baseline is not
 * strict), or NULL. */
static const struct baseline_entry *loose_entry(const struct baseline *b, const char *name,
                                                const char *file, enum scenario_status status)
{
    const struct baseline_entry *first = NULL;

    for (size_t i = 0; !b->strict && i < b->count; i++) {
        const struct baseline_entry *e = &b->entries[i];
        if (e->kind == BASELINE_KIND_FAILURE && e->status == status &&
            baseline_names(e, name, file)) {
            if (e->exact) {
                return NULL;
            }
            first = first != NULL ? first : e;
        }
    }
    return first;
}

static int listed(const char *const *list, size_t n, const char *rule)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i], rule) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Adds rule to a change list unless the kept part holds it already. */
static void note(const char **list, size_t *count, const char *rule)
{
    size_t kept = *count < BASELINE_MAX_CHANGES ? *count : BASELINE_MAX_CHANGES;

    if (listed(list, kept, rule)) {
        return;
    }
    if (*count < BASELINE_MAX_CHANGES) {
        list[*count] = rule;
    }
    (*count)++;
}

/* A known failure's change: the rules it breaks that no entry covering its
 * status names, and the rules its status's failure entries name that it
 * no longer breaks. */
static void note_changes(const struct baseline *b, const char *name, const char *file,
                         enum scenario_status status, const char *const *rules, size_t rule_count,
                         struct baseline_judgement *out)
{
    for (size_t k = 0; k < rule_count; k++) {
        if (!listed(rules, k, rules[k]) && covering(b, name, file, status, rules[k]) == NULL) {
            note(out->now, &out->now_count, rules[k]);
        }
    }
    for (size_t i = 0; i < b->count; i++) {
        const struct baseline_entry *e = &b->entries[i];
        if (e->kind == BASELINE_KIND_FAILURE && e->status == status && e->rule != NULL &&
            baseline_names(e, name, file) && !listed(rules, rule_count, e->rule)) {
            note(out->gone, &out->gone_count, e->rule);
        }
    }
}

/* A failure no entry covers: the entry nearest to covering it, for the
 * message: one with its status (then a rule was missing), else any (then
 * the status differs). */
static void judge_new(const struct baseline *b, const char *name, const char *file,
                      enum scenario_status status, struct baseline_judgement *out)
{
    out->verdict = BASELINE_NEW_FAILURE;
    for (int pass = 0; pass < 2 && out->entry == NULL; pass++) {
        for (size_t i = 0; i < b->count && out->entry == NULL; i++) {
            const struct baseline_entry *e = &b->entries[i];
            if (baseline_names(e, name, file) && (pass == 1 || covers_status(e, status))) {
                out->entry = e;
            }
        }
    }
    if (out->entry != NULL && !covers_status(out->entry, status)) {
        out->uncovered_rule = NULL;
    }
}

void baseline_judge(const struct baseline *b, const char *name, const char *file,
                    enum scenario_status status, const char *const *rules, size_t rule_count,
                    struct baseline_judgement *out)
{
    const struct baseline_entry *first = NULL;
    int all_flaky = 1;

    memset(out, 0, sizeof *out);
    if (status == STATUS_SKIPPED) {
        out->entry = baseline_skip(b, name, file);
        out->verdict = out->entry != NULL ? BASELINE_SKIPPED : BASELINE_NOT_JUDGED;
        return;
    }
    if (status == STATUS_PASSED) {
        judge_pass(b, name, file, out);
        return;
    }
    if (!is_failure(status)) {
        out->verdict = BASELINE_NOT_JUDGED;
        return;
    }
    /* An entry without a rule covers every violation at once. */
    out->entry = covering(b, name, file, status, NULL);
    for (size_t k = 0; out->entry == NULL && k < rule_count; k++) {
        const struct baseline_entry *e = covering(b, name, file, status, rules[k]);
        if (e == NULL) {
            out->uncovered_rule = rules[k];
            break;
        }
        first = first != NULL ? first : e;
        all_flaky &= e->kind == BASELINE_KIND_FLAKY;
    }
    if (out->entry == NULL && first != NULL && out->uncovered_rule == NULL) {
        out->entry = first;
        all_flaky = all_flaky && first->kind == BASELINE_KIND_FLAKY;
    } else if (out->entry != NULL) {
        all_flaky = out->entry->kind == BASELINE_KIND_FLAKY;
    } else if ((out->entry = loose_entry(b, name, file, status)) != NULL) {
        /* Known by scenario and status; the rules it breaks changed. */
        out->uncovered_rule = NULL;
        all_flaky = 0;
    } else {
        judge_new(b, name, file, status, out);
        return;
    }
    out->verdict = all_flaky ? BASELINE_FLAKY : BASELINE_KNOWN_FAILURE;
    if (!all_flaky) {
        note_changes(b, name, file, status, rules, rule_count, out);
    }
}

const char *baseline_verdict_name(enum baseline_verdict v)
{
    static const char *const names[BASELINE_VERDICT_COUNT] = {
        "not-judged", "passed", "known-failure", "new-failure", "fixed", "flaky", "skipped",
    };
    return (unsigned)v < BASELINE_VERDICT_COUNT ? names[v] : "unknown";
}

int baseline_verdict_fails(enum baseline_verdict v)
{
    return v == BASELINE_NEW_FAILURE || v == BASELINE_FIXED;
}

/* " (FILE:LINE:COL)" for an entry of an expectations file, "" for one from a
 * report (whose reason names the report). */
static const char *where(const struct baseline *b, const struct baseline_entry *e, char *buf,
                         size_t cap)
{
    if (e->line == 0) {
        buf[0] = '\0';
    } else {
        snprintf(buf, cap, " (%.300s:%u:%u)", b->path, e->line, e->col);
    }
    return buf;
}

const char *baseline_explain(const struct baseline *b, const struct baseline_judgement *j,
                             enum scenario_status status, char *buf, size_t cap)
{
    const struct baseline_entry *e = j->entry;
    char at[400];

    if (j->verdict == BASELINE_NOT_JUDGED || j->verdict == BASELINE_PASSED) {
        snprintf(buf, cap, "%s",
                 j->verdict == BASELINE_PASSED ? "passed, as expected"
                                               : "no verdict: did not run to "
                                                 "the end");
    } else if (j->verdict == BASELINE_FIXED) {
        snprintf(buf, cap, "known to fail (%.200s)%s, now passes: update the baseline", e->reason,
                 where(b, e, at, sizeof at));
    } else if (j->verdict != BASELINE_NEW_FAILURE) {
        char change[400];
        baseline_describe_change(j, change, sizeof change);
        snprintf(buf, cap, "%.200s%s%s%s", e->reason, where(b, e, at, sizeof at),
                 change[0] != '\0' ? "; CHANGED: " : "", change);
    } else if (e == NULL) {
        snprintf(buf, cap, "%s, and the baseline does not list it", scenario_status_name(status));
    } else if (j->uncovered_rule != NULL) {
        snprintf(buf, cap, "breaks %.100s, which the baseline's entries for it%s do not list%s",
                 j->uncovered_rule, where(b, e, at, sizeof at),
                 b->strict  ? " (--baseline-strict: rules are matched exactly)"
                 : e->exact ? " (rules: exact)"
                            : "");
    } else if (e->kind == BASELINE_KIND_FAILURE && e->status != status) {
        snprintf(buf, cap, "%s, where the baseline%s expects %s", scenario_status_name(status),
                 where(b, e, at, sizeof at), scenario_status_name(e->status));
    } else {
        snprintf(buf, cap, "%s with no violation the baseline%s lists",
                 scenario_status_name(status), where(b, e, at, sizeof at));
    }
    return buf;
}

int baseline_changed(const struct baseline_judgement *j)
{
    return j->now_count > 0 || j->gone_count > 0;
}

/* Appends "A, B" (and "and N more") to buf at *w. */
static void append_rules(char *buf, size_t cap, size_t *w, const char *const *list, size_t count)
{
    size_t kept = count < BASELINE_MAX_CHANGES ? count : BASELINE_MAX_CHANGES;

    for (size_t i = 0; i < kept && *w < cap; i++) {
        int m = snprintf(buf + *w, cap - *w, "%s%.100s", i > 0 ? ", " : "", list[i]);
        *w += m > 0 ? (size_t)m : 0;
    }
    if (count > kept && *w < cap) {
        int m = snprintf(buf + *w, cap - *w, " and %zu more", count - kept);
        *w += m > 0 ? (size_t)m : 0;
    }
}

const char *baseline_describe_change(const struct baseline_judgement *j, char *buf, size_t cap)
{
    size_t w = 0;

    buf[0] = '\0';
    if (j->now_count > 0) {
        w = (size_t)snprintf(buf, cap, "now breaks ");
        append_rules(buf, cap, &w, j->now, j->now_count);
    }
    if (j->gone_count > 0 && w < cap) {
        int m = snprintf(buf + w, cap - w, "%s", w > 0 ? ", no longer " : "no longer breaks ");
        w += m > 0 ? (size_t)m : 0;
        append_rules(buf, cap, &w, j->gone, j->gone_count);
    }
    return buf;
}
