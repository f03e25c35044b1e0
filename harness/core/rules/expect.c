/* expect.c: a scenario's own expectations (expect.h). */
#include "rules/expect.h"

#include <stdio.h>
#include <string.h>

#include "text/hresult.h"
#include "rules/internal.h"

void expect_init(struct expect_tally *t)
{
    memset(t, 0, sizeof *t);
    t->last_progress_seq = t->signaled_seq = t->timeout_seq = -1;
}

static int check_returns(struct judge *j, const struct event *ev)
{
    char got[80], want[80];

    if (j->sc == NULL || !j->sc->has_expect_returns || ev->hr == j->sc->expect_returns) {
        return 0;
    }
    return violate(j, "expect.returns", ev->seq,
                   "SynchronizeInBackground returned %s, the scenario expects %s",
                   hr_text(ev->hr, got, sizeof got),
                   hr_text(j->sc->expect_returns, want, sizeof want));
}

int expect_observe(struct judge *j, const struct event *ev)
{
    struct expect_tally *t = &j->st->expect;

    switch (ev->kind) {
    case EVENT_RETURN:
        return check_returns(j, ev);
    case EVENT_PROGRESS:
        t->progress_calls++;
        t->last_index = ev->index;
        t->last_progress_seq = ev->seq;
        break;
    case EVENT_ERROR:
        if (t->error_calls < SCENARIO_MAX_ERROR_CODES) {
            t->error_codes[t->error_calls] = ev->hr;
            t->error_seqs[t->error_calls] = ev->seq;
        }
        t->error_calls++;
        break;
    case EVENT_EVENT_SIGNALED:
        t->signaled_seq = ev->seq;
        break;
    case EVENT_EVENT_TIMEOUT:
        t->timeout_seq = ev->seq;
        break;
    default:
        break;
    }
    return 0;
}

static void finish_done(struct judge *j)
{
    char got[80], want[80];

    if (!j->sc->has_expect_done_hr) {
        return;
    }
    if (j->st->done_count == 0) {
        violate(j, "expect.done.hresult", -1,
                "the scenario expects Done(%s); Done was never called",
                hr_text(j->sc->expect_done_hr, want, sizeof want));
    } else if (j->st->first_done_hr != j->sc->expect_done_hr) {
        violate(j, "expect.done.hresult", j->st->first_done_seq,
                "Done reported %s, the scenario expects %s",
                hr_text(j->st->first_done_hr, got, sizeof got),
                hr_text(j->sc->expect_done_hr, want, sizeof want));
    }
}

static void finish_progress(struct judge *j)
{
    const struct scenario_expect *e = &j->sc->expect;
    const struct expect_tally *t = &j->st->expect;

    if (e->has_progress_min && t->progress_calls < e->progress_min) {
        violate(j, "expect.progress.min", t->last_progress_seq,
                "Progress was called %llu times, the scenario expects at least %lu",
                (unsigned long long)t->progress_calls, (unsigned long)e->progress_min);
    }
    if (e->has_progress_max && t->progress_calls > e->progress_max) {
        violate(j, "expect.progress.max", t->last_progress_seq,
                "Progress was called %llu times, the scenario expects at most %lu",
                (unsigned long long)t->progress_calls, (unsigned long)e->progress_max);
    }
    if (!e->has_final_index) {
        return;
    }
    if (t->progress_calls == 0) {
        violate(j, "expect.progress.final_index", -1,
                "Progress was never called, the scenario expects its last ulIndex to be %lu",
                (unsigned long)e->final_index);
    } else if (t->last_index != e->final_index) {
        violate(j, "expect.progress.final_index", t->last_progress_seq,
                "the last Progress reported ulIndex %lu, the scenario expects %lu",
                (unsigned long)t->last_index, (unsigned long)e->final_index);
    }
}

/* "[A, B, C]" of a list of HRESULTs, cut to fit. */
static const char *hr_list(const uint32_t *hrs, size_t n, char *buf, size_t cap)
{
    size_t w = 0;

    buf[0] = '\0';
    for (size_t i = 0; i <= n && w + 1 < cap; i++) {
        char one[80];
        int m = snprintf(buf + w, cap - w, "%s%s",
                         i == 0  ? "["
                         : i < n ? ", "
                                 : "",
                         i < n ? hr_text(hrs[i], one, sizeof one) : "]");
        if (m < 0) {
            break;
        }
        w += (size_t)m;
    }
    return buf;
}

static void finish_errors(struct judge *j)
{
    const struct scenario_expect *e = &j->sc->expect;
    const struct expect_tally *t = &j->st->expect;
    size_t seen = t->error_calls < SCENARIO_MAX_ERROR_CODES ? (size_t)t->error_calls
                                                            : SCENARIO_MAX_ERROR_CODES;
    char got[400], want[400];

    if (e->has_error_count && t->error_calls != e->error_count) {
        violate(j, "expect.errors.count", seen > 0 ? t->error_seqs[seen - 1] : -1,
                "Error was called %llu times, the scenario expects %lu",
                (unsigned long long)t->error_calls, (unsigned long)e->error_count);
    }
    if (!e->has_error_codes) {
        return;
    }
    for (size_t i = 0; i < e->error_code_count || i < seen; i++) {
        if (i < e->error_code_count && i < seen && t->error_codes[i] == e->error_codes[i]) {
            continue;
        }
        violate(j, "expect.errors.codes", i < seen ? t->error_seqs[i] : -1,
                "Error was called with %s%s, the scenario expects %s",
                hr_list(t->error_codes, seen, got, sizeof got),
                t->error_calls > seen ? " and more" : "",
                hr_list(e->error_codes, e->error_code_count, want, sizeof want));
        return;
    }
}

static void finish_event(struct judge *j)
{
    const struct scenario_expect *e = &j->sc->expect;
    const struct expect_tally *t = &j->st->expect;

    if (!e->has_signaled) {
        return;
    }
    if (e->signaled && t->signaled_seq < 0) {
        violate(j, "expect.event.signaled", t->timeout_seq,
                "the host never saw the done event signaled, the scenario expects it to be");
    } else if (!e->signaled && t->signaled_seq >= 0) {
        violate(j, "expect.event.signaled", t->signaled_seq,
                "the host saw the done event signaled, the scenario expects it not to be");
    }
}

void expect_finish(struct judge *j)
{
    if (j->sc == NULL) {
        return;
    }
    finish_done(j);
    finish_progress(j);
    finish_errors(j);
    finish_event(j);
}
