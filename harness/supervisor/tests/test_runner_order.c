/*
 * test_runner_order.c: a scenario's trace is in sequence order, the
 * supervisor's own events among the worker's, whenever the supervisor
 * finds the event ring damaged; and damage found before the worker's first
 * event was read is the scenario's verdict, not a worker that never
 * started.
 *
 * runner.c and job.c run as they are, on a worker of the test's own (the
 * functions of worker_proc.h below): it hands the runner a scripted list of
 * events, and finds the ring damaged at a chosen look at it. The real
 * worker_proc_starved_us() checks the ring's header (ring_check) each time
 * the runner arms a phase's deadline, which it does while it handles a
 * worker's hello or phase event: that look is where the damage is found
 * here, as it was on a loaded machine, where a provider zeroed the header
 * between the reader's check and the records it then read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "heapenv.h"
#include "rerun.h"
#include "runner.h"
#include "scenario/scenario.h"
#include "trace/trace.h"
#include "winenv.h"
#include "winname.h"
#include "worker_proc.h"

/* What the test's worker does: its events in order, and the look at the
 * ring (1 for the first) that finds it damaged, or 0 for none. */
static struct {
    const struct event *events;
    size_t count;
    unsigned damage_at;
    unsigned looks;
    int damage_first; /* found damaged before any event was read */
    unsigned starts;
    int refuse;     /* the system refuses to start the loader */
    unsigned asked; /* how often winenv_loader_runs was asked */
} fake;

/* The Wine side is not needed: the worker is the test's. */
void rerun_fill(struct scenario_result *res, const struct runner_options *o, const char *provider,
                char *const *worker_argv, const char *script, const char *link_name)
{
    (void)res, (void)o, (void)provider, (void)worker_argv, (void)script, (void)link_name;
}

const char *winname_for(const char *unix_path)
{
    (void)unix_path;
    return NULL;
}

void winname_cleanup(void)
{
}

static void copy_path(const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s", path);
}

void winenv_wine_path(const char *unix_path, char *out, size_t cap)
{
    copy_path(unix_path, out, cap);
}

void winenv_wine_path_as_is(const char *path, char *out, size_t cap)
{
    copy_path(path, out, cap);
}

void winenv_native_path(const char *path, char *out, size_t cap)
{
    copy_path(path, out, cap);
}

int winenv_loader_runs(const char *loader, char *why, size_t cap)
{
    fake.asked++;
    if (loader != NULL && fake.refuse) {
        snprintf(why, cap, "%s: Exec format error", loader);
        return 0;
    }
    return 1;
}

int winenv_runs32(const char *loader32, char *why, size_t cap)
{
    return winenv_loader_runs(loader32, why, cap);
}

char **heapenv_worker_env(void)
{
    return NULL;
}

/* The worker of worker_proc.h, as far as the runner sees it. */
static void fake_closed(uv_handle_t *h)
{
    struct worker_proc *w = h->data;

    w->ops->on_closed(w);
}

/* Plays the events (until the stream breaks), then exits: killed when the
 * runner killed it, else with status 0. */
static void fake_play(uv_timer_t *t)
{
    struct worker_proc *w = t->data;

    if (fake.damage_first) {
        worker_proc_damaged(w, "the event ring's header was overwritten");
    }
    for (size_t i = 0; i < fake.count && !w->broken; i++) {
        w->ops->on_event(w, &fake.events[i]);
    }
    w->exited = 1;
    w->term_signal = w->killed ? 9 : 0;
    w->ops->on_exit(w);
    uv_close((uv_handle_t *)t, fake_closed);
}

int worker_proc_start(struct worker_proc *w, uv_loop_t *loop, char **argv, char **env,
                      void (*wine_path)(const char *unix_path, char *out, size_t cap),
                      const struct worker_proc_ops *ops, void *data)
{
    (void)argv, (void)env, (void)wine_path;
    fake.starts++;
    memset(w, 0, sizeof *w);
    w->ops = ops;
    w->data = data;
    w->loop = loop;
    uv_timer_init(loop, &w->drain);
    w->drain.data = w;
    return uv_timer_start(&w->drain, fake_play, 0, 0);
}

uint64_t worker_proc_starved_us(struct worker_proc *w)
{
    if (++fake.looks == fake.damage_at) {
        worker_proc_damaged(w, "the event ring's header was overwritten");
    }
    return 0;
}

uint64_t worker_proc_host_delay_us(const struct worker_proc *w)
{
    (void)w;
    return 0;
}

int worker_proc_check_stalled(struct worker_proc *w)
{
    (void)w;
    return 0;
}

int worker_proc_send(struct worker_proc *w, const char *line, size_t len)
{
    (void)w, (void)line, (void)len;
    return 0;
}

void worker_proc_close_input(struct worker_proc *w)
{
    w->input_closed = 1;
}

char *worker_proc_take_stderr(struct worker_proc *w, size_t *len, uint64_t *dropped)
{
    (void)w;
    *len = 0;
    *dropped = 0;
    return NULL;
}

void worker_proc_kill(struct worker_proc *w)
{
    w->killed = 1;
}

const char *worker_proc_describe_exit(const struct worker_proc *w, char *buf, size_t cap)
{
    snprintf(buf, cap, w->term_signal != 0 ? "killed by signal %d" : "exit status %d",
             w->term_signal != 0 ? w->term_signal : (int)w->exit_status);
    return buf;
}

/* The trace as kept, and the scenario's status. */
struct kept {
    struct event events[16];
    size_t n;
    enum scenario_status status;
    int harness_failure;
};

static void keep(void *ctx, const struct event *ev)
{
    struct kept *k = ctx;

    if (k->n < 16) {
        k->events[k->n++] = *ev;
    }
}

/* Runs one scenario in process isolation on the test's worker, which sends
 * events[0..count) and finds the ring damaged at the damage_at-th look
 * (0: never); fills *k with its trace and returns the host-integrity
 * violation's event, or -1 when there is none. */
static int64_t run_one(const struct event *events, size_t count, unsigned damage_at, struct kept *k)
{
    struct scenario_list list = {0};
    struct scenario_error err;
    struct scenario_result res;
    struct runner_options o;
    static const char text[] = "name: order\n";
    int interrupted = 0;
    int64_t integrity = -1;

    assert_int_equal(scenario_load_buffer("t.yaml", "/base", text, strlen(text), &list, &err), 0);
    memset(&res, 0, sizeof res);
    res.sc = &list.items[0];
    memset(&o, 0, sizeof o);
    o.worker64 = "synchost-worker64.exe";
    o.provider = "provider.dll";
    o.jobs = 1;
    o.isolate_process = 1;
    o.judge.level = RULE_PEDANTIC;
    fake.events = events;
    fake.count = count;
    fake.damage_at = damage_at;
    fake.looks = 0;
    fake.starts = 0;

    assert_int_equal(runner_run(&o, &res, 1, &interrupted), 0);
    memset(k, 0, sizeof *k);
    trace_visit(&res.trace, keep, k);
    k->status = res.status;
    k->harness_failure = res.harness_failure;
    for (size_t i = 0; i < res.judge.violation_count; i++) {
        if (strcmp(res.judge.violations[i].rule, rules_info(RULE_HOST_INTEGRITY)->id) == 0) {
            integrity = res.judge.violations[i].event;
        }
    }
    trace_free(&res.trace);
    judge_free(&res.judge);
    free(res.provider);
    free(res.worker_stderr);
    scenario_list_free(&list);
    return integrity;
}

/* Every event's number is past the one before it. */
static void assert_in_order(const struct kept *k, const char *file, int line)
{
    for (size_t i = 1; i < k->n; i++) {
        if (k->events[i].seq <= k->events[i - 1].seq) {
            print_error("event %zu (%s) has seq %u, after seq %u\n", i,
                        event_kind_name(k->events[i].kind), (unsigned)k->events[i].seq,
                        (unsigned)k->events[i - 1].seq);
        }
        _assert_true(k->events[i].seq > k->events[i - 1].seq, "in order", file, line);
    }
}
#define ASSERT_IN_ORDER(k) assert_in_order((k), __FILE__, __LINE__)

static const struct event hello = {.kind = EVENT_HELLO, .seq = 0, .value = 1};
static const struct event load_phase = {.kind = EVENT_PHASE, .seq = 1, .step = PHASE_LOAD};
static const struct event load = {.kind = EVENT_LOAD, .seq = 2};

/* The runner meets damage while it handles event damage_at of hello, load
 * phase, load: it keeps the events of kinds (n of them, in order), hello
 * with its number 0, and the integrity event last, numbered as run_one
 * said. */
static void assert_damage_kept(unsigned damage_at, const enum event_kind *kinds, size_t n)
{
    const struct event events[] = {hello, load_phase, load};
    struct kept k;
    int64_t integrity;

    integrity = run_one(events, 3, damage_at, &k);
    ASSERT_IN_ORDER(&k);
    assert_int_equal(k.n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(k.events[i].kind, kinds[i]);
    }
    assert_int_equal(k.events[0].seq, 0);
    assert_int_equal(integrity, k.events[n - 1].seq);
}

/* Damage found while the runner arms the phase of the worker's phase event:
 * the integrity event follows that phase event. */
static void test_damage_found_at_phase_event(void **state)
{
    const enum event_kind kinds[] = {EVENT_HELLO, EVENT_PHASE, EVENT_INTEGRITY};

    (void)state;
    assert_damage_kept(2, kinds, 3);
}

/* Damage found while the runner handles the worker's hello, the scenario's
 * first event: the hello keeps number 0, the integrity event follows it. */
static void test_damage_found_at_hello(void **state)
{
    const enum event_kind kinds[] = {EVENT_HELLO, EVENT_INTEGRITY};

    (void)state;
    assert_damage_kept(1, kinds, 2);
}

/* Without damage, the supervisor's exit event follows the worker's last. */
static void test_exit_follows_worker_events(void **state)
{
    const struct event events[] = {hello, load_phase, load};
    struct kept k;

    (void)state;
    assert_int_equal(run_one(events, 3, 0, &k), -1);
    ASSERT_IN_ORDER(&k);
    assert_int_equal(k.n, 4);
    assert_int_equal(k.events[2].kind, EVENT_LOAD);
    assert_int_equal(k.events[3].kind, EVENT_EXIT);
    assert_int_equal(k.events[3].seq, 3);
}

/* Damage found before the worker's hello was read (the provider got that
 * far while the supervisor was kept from running): the worker had started,
 * so the scenario gets host-integrity from its one worker, not the retries
 * and the harness failure of a worker that never said hello. */
static void test_damage_found_before_hello(void **state)
{
    const struct event events[] = {hello, load_phase, load};
    struct kept k;
    int64_t integrity;

    (void)state;
    fake.damage_first = 1;
    integrity = run_one(events, 3, 0, &k);
    fake.damage_first = 0;
    assert_int_equal(fake.starts, 1);
    assert_int_equal(k.status, STATUS_FAILED);
    assert_false(k.harness_failure);
    assert_int_equal(k.n, 1);
    assert_int_equal(k.events[0].kind, EVENT_INTEGRITY);
    assert_int_equal(integrity, k.events[0].seq);
}

/* A loader the system refuses to start: no worker is started, each
 * scenario is given up at once (no retries) as the harness's failure, with
 * the refusal as its cause, and the run goes on to the next scenario. */
static void test_loader_refused(void **state)
{
    struct scenario_list list = {0};
    struct scenario_error err;
    struct scenario_result res[2];
    struct runner_options o;
    static const char text[] = "scenarios: [{name: one}, {name: two}]\n";
    int interrupted = 0;

    (void)state;
    assert_int_equal(scenario_load_buffer("t.yaml", "/base", text, strlen(text), &list, &err), 0);
    assert_int_equal(list.count, 2);
    memset(res, 0, sizeof res);
    memset(&o, 0, sizeof o);
    o.wine = "/usr/lib/wine/wine64";
    o.worker64 = "synchost-worker64.exe";
    o.provider = "provider.dll";
    o.jobs = 1;
    o.judge.level = RULE_PEDANTIC;
    fake.starts = 0;
    fake.asked = 0;
    fake.refuse = 1;
    for (size_t i = 0; i < 2; i++) {
        res[i].sc = &list.items[i];
    }
    assert_int_equal(runner_run(&o, res, 2, &interrupted), 0);
    fake.refuse = 0;
    assert_int_equal(fake.starts, 0);
    assert_int_equal(fake.asked, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(res[i].status, STATUS_ERRORED);
        assert_true(res[i].harness_failure);
        assert_non_null(strstr(res[i].note, "/usr/lib/wine/wine64: Exec format error"));
        trace_free(&res[i].trace);
        judge_free(&res[i].judge);
        free(res[i].provider);
    }
    scenario_list_free(&list);
}

#include "test_runner_order.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
