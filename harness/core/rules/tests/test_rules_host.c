/*
 * test_rules_host.c: leak-mapi-buffers, faults-survived and leak-memory's
 * message on hand-made
 * event sequences: each fires on the sequence that breaks it, names the
 * event that shows it, and stays quiet on a correct one.
 */
#include "judge_fixture.h"

static uint32_t host_feed(enum event_kind kind, uint32_t hr, uint32_t step, uint64_t handle,
                          uint64_t value, const char *text)
{
    feed_event((struct event){.kind = kind,
                              .hr = hr,
                              .step = step,
                              .index = 1,
                              .handle = handle,
                              .value = value,
                              .text = text});
    return seq - 1;
}

static void load_ok(void)
{
    /* The steps of every run; the identity step is probe's only. */
    for (uint32_t step = 0; step <= LOAD_STEP_QI_IMAPISYNC; step++) {
        host_feed(EVENT_LOAD, 0, step, 0, 0, NULL);
    }
}

static void test_freed_buffers_pass(void **state)
{
    (void)state;
    load_ok();
    host_feed(EVENT_ALLOC, 0, 0, 0x1000, 64, "MAPIAllocateBuffer from p.dll+0x10");
    host_feed(EVENT_ALLOC, 0, 0, 0x2000, 8, "MAPIAllocateMore from p.dll+0x20");
    host_feed(EVENT_ALLOC, 0, 0, 0x3000, 16, "MAPIAllocateBuffer by host for profsect GetProps");
    host_feed(EVENT_FREE, 0, 0, 0x3000, 1, NULL);
    host_feed(EVENT_FREE, 0, 0, 0x1000, 2, NULL);
    host_feed(EVENT_LOGOFF, 0, 0, 0, 0, NULL);
    host_feed(EVENT_END, 0, 0, 0, 0, NULL);
    assert_int_equal(judge_finish(&j, WORKER_FINISHED, NULL), STATUS_PASSED);
}

static void test_leak_names_the_allocation(void **state)
{
    uint32_t at;
    const struct violation *v;

    (void)state;
    load_ok();
    host_feed(EVENT_ALLOC, 0, 0, 0x1000, 64, "MAPIAllocateBuffer from p.dll+0x10");
    at = host_feed(EVENT_ALLOC, 0, 0, 0x2000, 32, "MAPIAllocateBuffer from p.dll+0x99");
    host_feed(EVENT_ALLOC, 0x8007000E, 0, 0, 32, "MAPIAllocateBuffer from p.dll+0x99");
    /* A free the host refused (unknown buffer) frees nothing. */
    host_feed(EVENT_FREE, 0x80070057, 0, 0x2000 + 8, 0, "MAPIFreeBuffer: unknown buffer");
    host_feed(EVENT_FREE, 0, 0, 0x1000, 1, NULL);
    host_feed(EVENT_END, 0, 0, 0, 0, NULL);
    assert_int_equal(judge_finish(&j, WORKER_FINISHED, NULL), STATUS_FAILED);
    v = find("leak-mapi-buffers");
    assert_non_null(v);
    assert_int_equal(v->event, at);
    assert_int_equal(v->level, RULE_RECOMMENDED);
    assert_string_equal(v->message,
                        "1 MAPI buffer(s) from MAPIAllocateBuffer still allocated after logoff "
                        "and shutdown; the first, 0x2000 (32 bytes), was allocated at event 5 "
                        "from p.dll+0x99");
    assert_int_equal(j.violation_count, 1);
}

/* A sync cut short (no `end`) is not judged for leaks. */
static void test_no_leak_verdict_without_end(void **state)
{
    (void)state;
    load_ok();
    host_feed(EVENT_ALLOC, 0, 0, 0x1000, 64, "MAPIAllocateBuffer from p.dll+0x10");
    judge_finish(&j, WORKER_DIED, "exit status 3");
    assert_null(find("leak-mapi-buffers"));
}

/* A crash after an injected fault is faults-survived, not no-crash. */
static void test_crash_after_fault(void **state)
{
    uint32_t fault, crash;
    const struct violation *v;

    (void)state;
    load_ok();
    host_feed(EVENT_CALL, 0, 0, 0, 0, NULL);
    fault = host_feed(EVENT_ALLOC, 0x8007000E, 1, 0, 64,
                      "MAPIAllocateBuffer from p.dll+0x10 (fault injected)");
    crash = host_feed(EVENT_CRASH, 0xC0000005, 0, 0x401000, 0, "p.dll+0x20");
    assert_int_equal(judge_finish(&j, WORKER_DIED, "exit status 3"), STATUS_CRASHED);
    assert_null(find("no-crash"));
    v = find("faults-survived");
    assert_non_null(v);
    assert_int_equal(v->event, crash);
    assert_int_equal(v->level, RULE_RECOMMENDED);
    assert_non_null(strstr(v->message, "after the injected fault at event"));
    assert_non_null(strstr(v->message, "(fault injected), call 1, answered 0x8007000E"));
    assert_non_null(strstr(v->message, "access violation"));
    (void)fault;
}

/* A crash with no fault injected stays no-crash; a fault the host answered
 * on its own (not injected) does not count. */
static void test_crash_without_fault(void **state)
{
    (void)state;
    load_ok();
    host_feed(EVENT_ALLOC, 0x8007000E, 0, 0, 64, "MAPIAllocateBuffer from p.dll+0x10");
    host_feed(EVENT_SUPPORT_CALL, 0x80040102, 0, 0, 0, "OpenEntry");
    host_feed(EVENT_CRASH, 0xC0000005, 0, 0x401000, 0, "p.dll+0x20");
    judge_finish(&j, WORKER_DIED, "exit status 3");
    assert_non_null(find("no-crash"));
    assert_null(find("faults-survived"));
}

/* Logon failing because OpenProfileSection failed is the right answer. */
static void test_load_failure_after_fault_is_fine(void **state)
{
    (void)state;
    host_feed(EVENT_LOAD, 0, LOAD_STEP_DLL, 0, 0, NULL);
    host_feed(EVENT_LOAD, 0, LOAD_STEP_ENTRY_POINT, 0, 0, NULL);
    host_feed(EVENT_SUPPORT_CALL, 0x80004005, 1, 0, 0,
              "OpenProfileSection uid=null flags=0x0 (fault injected)");
    host_feed(EVENT_LOAD, 0x80004005, LOAD_STEP_LOGON, 0, 0, "IMSProvider::Logon failed");
    host_feed(EVENT_END, 0, 0, 0, 0, NULL);
    assert_int_equal(judge_finish(&j, WORKER_FINISHED, NULL), STATUS_PASSED);
    assert_int_equal(j.violation_count, 0);
}

/* The same failure without a fault is still load-logon. */
static void test_load_failure_without_fault(void **state)
{
    (void)state;
    host_feed(EVENT_LOAD, 0, LOAD_STEP_DLL, 0, 0, NULL);
    host_feed(EVENT_SUPPORT_CALL, 0x80004005, 0, 0, 0, "OpenProfileSection uid=null flags=0x0");
    host_feed(EVENT_LOAD, 0x80004005, LOAD_STEP_LOGON, 0, 0, "IMSProvider::Logon failed");
    judge_finish(&j, WORKER_FINISHED, NULL);
    assert_non_null(find("load-logon"));
}

/* Skipping faults-survived skips what it stands for after a fault. */
static void test_skip_faults_survived(void **state)
{
    static const char *const skip[] = {"faults-survived"};

    (void)state;
    rejudge(RULE_RECOMMENDED, skip, 1);
    load_ok();
    host_feed(EVENT_SESSION_CALL, 0x80004005, 1, 0, 0, "OpenEntry (fault injected)");
    host_feed(EVENT_CRASH, 0xC0000005, 0, 0x401000, 0, "p.dll+0x20");
    assert_int_equal(judge_finish(&j, WORKER_DIED, "exit status 3"), STATUS_CRASHED);
    assert_int_equal(j.violation_count, 0);
}

/* The worker's report of growth past the bound it measured against, in a
 * judge made anew for a sync.repeat scenario (one judge per call). */
static const struct violation *memory_grew(uint32_t bound_mb)
{
    struct event ev;

    sc.repeat = 3;
    rejudge(RULE_RECOMMENDED, NULL, 0);
    seq = 0;
    load_ok();
    memset(&ev, 0, sizeof ev);
    ev.seq = seq++;
    ev.kind = EVENT_SIDE_EFFECT;
    ev.step = SIDE_EFFECT_MEMORY;
    ev.value = (uint64_t)256 << 20;
    ev.handle = (uint64_t)130 << 20;
    ev.index = bound_mb;
    ev.index_max = 2;
    judge_event(&j, &ev);
    host_feed(EVENT_END, 0, 0, 0, 0, NULL);
    judge_finish(&j, WORKER_FINISHED, NULL);
    return find("leak-memory");
}

/* leak-memory names the bound and whose it is: the default, or the one the
 * scenario set with memory_growth_mib. */
static void test_leak_memory_names_the_bound(void **state)
{
    const struct violation *v;

    (void)state;
    v = memory_grew(SCENARIO_DEFAULT_MEMORY_GROWTH_MIB);
    assert_non_null(v);
    assert_non_null(strstr(v->message, "grew by 256 MiB over 2 sync(s) after the first (from 130 "
                                       "MiB at the end of the first), more than the default bound "
                                       "of 64 MiB (a scenario sets its own with "
                                       "memory_growth_mib)"));
    sc.memory_growth_mib = 200;
    v = memory_grew(200);
    assert_non_null(v);
    assert_non_null(strstr(v->message, "more than the scenario's bound of 200 MiB "
                                       "(memory_growth_mib)"));
}

#include "test_rules_host.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
