/*
 * rules.c: the rule catalogue and the streaming judge (see rules.h).
 *
 * Which rules are documented facts and which are inferred is said per rule
 * in CONTRACT.md; the messages here say what was observed.
 */
#include "rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hresult.h"

/* How the worker's fake callback records a QueryInterface for
 * IID_IMAPISyncProgressCallback (fakes/fake_record.h). */
#define CALLBACK_QI_TEXT "callback {5024a386-2d44-486a-81a8-8f0ecb6071dd}"

static const struct rule_info catalogue[] = {
    {"load-dll", RULE_REQUIRED, 1,
     "load in a host of its architecture (missing dependency, wrong bitness, DllMain failure "
     "are reported by name)"},
    {"load-entry-point", RULE_REQUIRED, 1,
     "export MSProviderInit, return S_OK with a non-NULL provider and a provider SPI version"},
    {"load-logon", RULE_REQUIRED, 1,
     "return S_OK from IMSProvider::Logon with non-NULL IMSLogon and IMsgStore"},
    {"load-qi-imapisync", RULE_REQUIRED, 1,
     "answer QueryInterface(IID_IMAPISync) on the store with S_OK and a non-NULL pointer"},
    {"com-qi-rules", RULE_RECOMMENDED, 0,
     "answer an unknown IID with E_NOINTERFACE and *ppv = NULL; give one IUnknown identity "
     "from the store and from IMAPISync"},
    {"sib-returns-s-ok", RULE_REQUIRED, 1,
     "return S_OK for a valid MAPISIB (or the scenario's expected HRESULT)"},
    {"sib-returns-promptly", RULE_REQUIRED, 1,
     "return within the scenario's bound (default 1000 ms): the work happens in the background"},
    {"sib-background-thread", RULE_REQUIRED, 1,
     "not call Done on the host thread from inside the call; the sync runs on another thread"},
    {"sib-writes-done-event", RULE_REQUIRED, 1,
     "on S_OK, store a non-NULL waitable handle in *phSyncDoneEvent before returning"},
    {"sib-failure-quiet", RULE_RECOMMENDED, 0, "when the call fails, make no callbacks afterwards"},
    {"event-signaled", RULE_REQUIRED, 1, "signal the done event before the scenario deadline"},
    {"event-owned-by-host", RULE_RECOMMENDED, 1,
     "not close the handle it handed over (the host closes it after Done)"},
    {"done-called-once", RULE_REQUIRED, 1, "call Done exactly once per successful call"},
    {"done-last", RULE_REQUIRED, 1,
     "make no Progress or Error call after Done (watched for a settle period after the event)"},
    {"done-before-event", RULE_REQUIRED, 0, "have called Done before the done event is signaled"},
    {"done-handle-matches", RULE_RECOMMENDED, 1,
     "pass to Done either NULL or the handle it stored in *phSyncDoneEvent"},
    {"progress-index-bounded", RULE_REQUIRED, 1, "keep ulIndex <= ulIndexMax"},
    {"progress-monotonic", RULE_RECOMMENDED, 1,
     "never decrease ulIndex between calls with the same ulIndexMax"},
    {"progress-completes", RULE_PEDANTIC, 0,
     "on a successful Done after progress, have reported ulIndex == ulIndexMax last"},
    {"progress-text-valid", RULE_REQUIRED, 1,
     "pass NULL or a readable, NUL-terminated, well-formed UTF-16 string of at most 1024 code "
     "units"},
    {"error-hresult-failure", RULE_REQUIRED, 1,
     "pass a failure code or a MAPI warning to Error, never S_OK"},
    {"error-text-valid", RULE_REQUIRED, 1,
     "pass a readable, NUL-terminated, well-formed UTF-16 string to Error"},
    {"callback-via-qi", RULE_REQUIRED, 1,
     "obtain IMAPISyncProgressCallback by QueryInterface on punkCallBack, not by casting"},
    {"callback-refcount", RULE_REQUIRED, 1,
     "hold a reference on the callback while using it after the call returns, and balance "
     "AddRef/Release by the time the event is signaled (plus settle period)"},
    {"callback-after-release", RULE_REQUIRED, 1,
     "call no callback method after its own references reached zero"},
    {"cancel-honored", RULE_RECOMMENDED, 1,
     "when Progress returns MAPI_E_USER_CANCEL, stop: at most one more Progress, then Done "
     "with a failure code, within the deadline"},
    {"flags-accepted", RULE_REQUIRED, 0,
     "accept each documented SYNC_* flag alone and the usual combinations"},
    {"flags-unknown", RULE_RECOMMENDED, 0,
     "ignore undefined flag bits or return MAPI_E_UNKNOWN_FLAGS, never crash"},
    {"sib-null-args", RULE_RECOMMENDED, 0,
     "reject NULL psibpb or NULL phSyncDoneEvent with E_INVALIDARG or "
     "MAPI_E_INVALID_PARAMETER, no callbacks"},
    {"sib-size-checked", RULE_RECOMMENDED, 0,
     "reject ulSize smaller than sizeof(MAPISIB) with invalid-parameter; accept a larger "
     "ulSize"},
    {"sib-null-callback", RULE_PEDANTIC, 0,
     "with punkCallBack NULL, either sync silently (event still signaled) or reject with "
     "invalid-parameter"},
    {"concurrency-overlap", RULE_REQUIRED, 1,
     "survive a second call while one runs: S_OK with its own Done and event, or MAPI_E_BUSY"},
    {"repeat-stable", RULE_RECOMMENDED, 1,
     "complete many consecutive syncs in one process with no growth in handles, threads or "
     "MAPI buffers (checked: each sync of sync.repeat returns and ends as the first did)"},
    {"leak-mapi-buffers", RULE_RECOMMENDED, 1,
     "free every buffer from the host's MAPIAllocateBuffer by logoff"},
    {"leak-handles", RULE_RECOMMENDED, 0,
     "leave the process handle count at its baseline after the sync and logoff"},
    {"leak-threads", RULE_PEDANTIC, 0,
     "leave the thread count at its baseline after the done event"},
    {"shutdown-during-sync", RULE_RECOMMENDED, 1,
     "when the host logs off and releases the store mid-sync, still signal the event, call "
     "Done at most once, and not crash"},
    {"faults-survived", RULE_RECOMMENDED, 1,
     "when host services fail (allocators, session, support, profile section), finish without "
     "crashing, reporting through Error/Done"},
    {"no-crash", RULE_REQUIRED, 1,
     "not crash the host process (access violation, abort, stack overflow); with --heap-check "
     "also not corrupt the heap (double free or a write past a block, caught at its free or "
     "realloc; other damage, caught at the checks after the sync and after logoff)"},
    {"no-exit", RULE_REQUIRED, 1, "not terminate the host process"},
    /* Added by synchost (not in the first catalogue). */
    {"no-hang", RULE_REQUIRED, 1,
     "return from every host call within its phase's bound: the load chain within "
     "load_timeout_ms, the sync within timeout_ms, Logoff to unload within shutdown_timeout_ms"},
    {"host-integrity", RULE_REQUIRED, 1,
     "leave the host's own handles and event stream alone: nothing forged, altered, closed or "
     "written into (the stream is sealed and checked line by line)"},
};

#define CATALOGUE_COUNT (sizeof catalogue / sizeof catalogue[0])

const struct rule_info *rules_catalogue(size_t *count)
{
    *count = CATALOGUE_COUNT;
    return catalogue;
}

const struct rule_info *rules_find(const char *id)
{
    for (size_t i = 0; i < CATALOGUE_COUNT; i++) {
        if (strcmp(catalogue[i].id, id) == 0) {
            return &catalogue[i];
        }
    }
    return NULL;
}

static const char *const level_names[] = {"required", "recommended", "pedantic"};

const char *rule_level_name(enum rule_level level)
{
    return (unsigned)level <= RULE_PEDANTIC ? level_names[level] : "unknown";
}

int rule_level_parse(const char *name, enum rule_level *out)
{
    for (int i = 0; i <= RULE_PEDANTIC; i++) {
        if (strcmp(level_names[i], name) == 0) {
            *out = (enum rule_level)i;
            return 0;
        }
    }
    return -1;
}

const char *scenario_status_name(enum scenario_status status)
{
    static const char *const names[STATUS_COUNT] = {
        "passed", "failed", "crashed", "timed_out", "errored", "skipped", "interrupted",
    };
    return (unsigned)status < STATUS_COUNT ? names[status] : "unknown";
}

void judge_init(struct judge *j, const struct scenario *sc, const struct judge_options *opts)
{
    judge_init_call(j, sc, opts, 0);
    if (sc != NULL && scenario_call_count(sc) > 1) {
        judge_calls_init(j);
    }
}

void judge_init_call(struct judge *j, const struct scenario *sc, const struct judge_options *opts,
                     uint32_t call)
{
    memset(j, 0, sizeof *j);
    j->call = call;
    j->logoff_seq = -1;
    expect_init(&j->expect);
    j->sc = sc;
    j->opts = *opts;
    j->call_seq = j->return_seq = j->first_done_seq = j->signaled_seq = -1;
    j->crash_seq = j->end_seq = j->last_seq = j->exit_seq = -1;
    j->callback_count = 1; /* the host's own reference */
    j->cancel_seq = -1;
    j->integrity_seq = -1;
    j->phase = -1;
    judge_host_init(&j->host);
}

void judge_free(struct judge *j)
{
    judge_calls_free(j);
    free(j->violations);
    j->violations = NULL;
    j->violation_count = j->violation_cap = 0;
    judge_host_free(&j->host);
}

static int in_list(const char *id, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i], id) == 0) {
            return 1;
        }
    }
    return 0;
}

int judge_applies(const struct judge *j, const char *rule_id)
{
    const struct rule_info *info;

    if (strncmp(rule_id, "expect.", 7) == 0) {
        return 1; /* a scenario's own expectations always apply */
    }
    info = rules_find(rule_id);
    if (info == NULL || info->level > j->opts.level) {
        return 0;
    }
    if (in_list(rule_id, j->opts.skip, j->opts.skip_count)) {
        return 0;
    }
    return j->sc == NULL ||
           !in_list(rule_id, (const char *const *)j->sc->skip_rules, j->sc->skip_rule_count);
}

/* Records a violation of rule at event seq (or -1). A rule already violated
 * in this scenario only counts the repeat. Returns 1 when a new violation
 * points at an event. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
violate(struct judge *j, const char *rule, int64_t seq, const char *fmt, ...)
{
    const struct rule_info *info;
    struct violation *v;
    va_list ap;
    /* After a fault host.faults injected: faults-survived, or no violation. */
    int after_fault = judge_host_after_fault(&j->host, rule);
    size_t off = 0;

    if (after_fault < 0) {
        return 0;
    }
    if (after_fault > 0) {
        rule = "faults-survived";
    }
    /* A repeat is the common case in a flood: count it before anything else. */
    for (size_t i = 0; i < j->violation_count; i++) {
        if (strcmp(j->violations[i].rule, rule) == 0) {
            j->violations[i].repeats++;
            return 0;
        }
    }
    if (!judge_applies(j, rule)) {
        return 0;
    }
    info = rules_find(rule);
    if (j->violation_count == j->violation_cap) {
        size_t cap = j->violation_cap ? j->violation_cap * 2 : 8;
        struct violation *p = realloc(j->violations, cap * sizeof *p);
        if (p == NULL) {
            return 0;
        }
        j->violations = p;
        j->violation_cap = cap;
    }
    v = &j->violations[j->violation_count++];
    memset(v, 0, sizeof *v);
    snprintf(v->rule, sizeof v->rule, "%s", rule);
    v->level = info != NULL ? info->level : RULE_REQUIRED;
    v->event = seq;
    if (after_fault > 0) {
        int n = snprintf(v->message, sizeof v->message,
                         "after the injected fault at event %lld (%s): ",
                         (long long)j->host.fault_seq, j->host.fault_what);
        off = n > 0 && (size_t)n < sizeof v->message ? (size_t)n : 0;
    }
    va_start(ap, fmt);
    vsnprintf(v->message + off, sizeof v->message - off, fmt, ap);
    va_end(ap);
    return seq >= 0;
}

int judge_violate(struct judge *j, const char *rule, int64_t seq, const char *fmt, ...)
{
    char message[sizeof j->violations[0].message];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return violate(j, rule, seq, "%s", message);
}

static const char *hr_text(uint32_t hr, char *buf, size_t cap)
{
    return hresult_describe(hr, buf, cap);
}

static int judge_event_rules(struct judge *j, const struct event *ev);

static int on_load(struct judge *j, const struct event *ev)
{
    char hrbuf[80];

    if (!HR_FAILED(ev->hr)) {
        return 0;
    }
    return violate(j, load_step_name((enum load_step)ev->step), ev->seq, "%s [%s]",
                   ev->text != NULL ? ev->text : "failed", hr_text(ev->hr, hrbuf, sizeof hrbuf));
}

/* The scenario's sync arguments are all valid (scenario_args_valid): only
 * then must the call succeed. Arguments invalid on purpose (sync.psib: null,
 * a small sync.size, ...) leave the answer to expect.returns. */
static int args_valid(const struct judge *j)
{
    return j->sc == NULL || scenario_args_valid(j->sc);
}

/* The provider got somewhere to store the done event. */
static int done_event_writable(const struct judge *j)
{
    return j->sc == NULL || (j->sc->psib == SCENARIO_POINTER_VALID &&
                             j->sc->done_event_ptr == SCENARIO_POINTER_VALID);
}

/* The provider got the host's callback, so it can call Done on it. */
static int callback_given(const struct judge *j)
{
    return j->sc == NULL ||
           (j->sc->psib == SCENARIO_POINTER_VALID && j->sc->callback == SCENARIO_CALLBACK_FAKE);
}

static int on_return(struct judge *j, const struct event *ev)
{
    char got[80];
    int pin = 0;
    uint32_t bound_ms = j->sc != NULL ? j->sc->return_within_ms : 0;
    uint64_t took_us = ev->t_us >= j->call_t_us ? ev->t_us - j->call_t_us : 0;

    j->returned = 1;
    j->return_seq = ev->seq;
    j->return_handle = ev->handle;
    if (bound_ms == 0) {
        bound_ms = SCENARIO_DEFAULT_RETURN_WITHIN_MS;
    }
    if (j->call_seq >= 0 && took_us > (uint64_t)bound_ms * 1000u) {
        pin |= violate(j, "sib-returns-promptly", ev->seq,
                       "SynchronizeInBackground took %llu ms to return (bound %lu ms): the sync "
                       "must run in the background",
                       (unsigned long long)(took_us / 1000u), (unsigned long)bound_ms);
    }
    j->return_hr = ev->hr;
    j->return_hr_valid = 1;
    /* With expect.returns the scenario says what the answer is (expect.c). */
    if ((j->sc == NULL || !j->sc->has_expect_returns) && ev->hr != HR_S_OK && args_valid(j)) {
        pin |= violate(j, "sib-returns-s-ok", ev->seq,
                       "SynchronizeInBackground returned %s for a valid MAPISIB, expected S_OK",
                       hr_text(ev->hr, got, sizeof got));
    }
    if (!done_event_writable(j)) {
        return pin; /* nowhere to write it: issue of sib-null-args */
    }
    if (ev->hr == HR_S_OK && ev->handle == 0) {
        pin |= violate(j, "sib-writes-done-event", ev->seq,
                       "returned S_OK but left *phSyncDoneEvent NULL");
    } else if (ev->hr == HR_S_OK && ev->value == 0) {
        pin |= violate(j, "sib-writes-done-event", ev->seq,
                       "returned S_OK and stored 0x%llx in *phSyncDoneEvent, which is not a "
                       "waitable handle (%s)",
                       (unsigned long long)ev->handle,
                       ev->text != NULL && ev->text[0] != '\0' ? ev->text : "not a handle");
    }
    return pin;
}

/* Did the provider get the callback it calls by QueryInterface? Checked on
 * its first call: a provider that casts punkCallBack never asks. */
/* MAPI_E_USER_CANCEL: what Outlook's callback answers when the user cancels. */
#define HR_USER_CANCEL 0x80040113u

/* After the host answered a Progress with MAPI_E_USER_CANCEL, the thread it
 * answered makes at most one more Progress, and Done comes with a failure
 * code. Counted per thread: a provider that reports from several threads
 * has calls under way on the others when one of them is told to stop, and
 * each of those threads learns of the cancel from its own answer. */
static int check_cancel_progress(struct judge *j, const struct event *ev)
{
    struct judge_cancelled *c = NULL;

    for (size_t i = 0; i < j->cancelled_count; i++) {
        if (j->cancelled[i].thread == ev->thread) {
            c = &j->cancelled[i];
            break;
        }
    }
    if (c == NULL) {
        if (ev->hr == HR_USER_CANCEL && j->cancelled_count < JUDGE_CANCEL_THREADS) {
            if (j->cancel_seq < 0) {
                j->cancel_seq = ev->seq;
            }
            j->cancelled[j->cancelled_count++] = (struct judge_cancelled){ev->thread, 0};
        }
        return 0;
    }
    if (++c->calls_after < 2) {
        return 0;
    }
    return violate(j, "cancel-honored", ev->seq,
                   "Progress called %lu times on thread %lu after the host answered it "
                   "MAPI_E_USER_CANCEL (first cancel: event %lld); a provider stops after at "
                   "most one more",
                   (unsigned long)c->calls_after, (unsigned long)ev->thread,
                   (long long)j->cancel_seq);
}

static int check_cancel_done(struct judge *j, const struct event *ev)
{
    char got[80];

    if (j->cancel_seq < 0 || HR_FAILED(ev->hr)) {
        return 0;
    }
    return violate(j, "cancel-honored", ev->seq,
                   "Done(%s) after the host answered MAPI_E_USER_CANCEL (event %lld); a cancelled "
                   "sync ends with a failure code",
                   hr_text(ev->hr, got, sizeof got), (long long)j->cancel_seq);
}

/* A call through the callback after the provider let go of it: its own
 * references (the count less the host's one) had been above zero and are
 * zero again. */
static int check_callback_alive(struct judge *j, const struct event *ev, const char *method)
{
    if (!j->callback_had_refs || j->callback_count > 1) {
        return 0;
    }
    return violate(j, "callback-after-release", ev->seq,
                   "%s called after the provider released its last reference on the callback "
                   "(count back to the host's 1)",
                   method);
}

static int on_callback_ref(struct judge *j, const struct event *ev)
{
    if (ev->text == NULL || strcmp(ev->text, "callback") != 0) {
        return 0;
    }
    j->callback_count = (int64_t)ev->value;
    if (j->callback_count > 1) {
        j->callback_had_refs = 1;
    }
    if (ev->kind == EVENT_RELEASE && j->callback_count < 1) {
        return violate(j, "callback-refcount", ev->seq,
                       "the provider released the callback more often than it referenced it "
                       "(count %lld; the host holds 1)",
                       (long long)j->callback_count);
    }
    return 0;
}

static int on_settled(struct judge *j, const struct event *ev)
{
    int pin = 0;

    /* Only a sync that ended can be held to its balance: after the deadline
     * passed with the event unsignaled, the sync may well still be running. */
    if (j->return_hr_valid && j->return_hr == HR_S_OK && j->callback_count > 1 &&
        !j->saw_timeout) {
        pin |= violate(j, "callback-refcount", ev->seq,
                       "the provider still holds %lld reference(s) on the callback after the "
                       "sync ended and the settle period passed",
                       (long long)(j->callback_count - 1));
    }
    if (ev->value == 0) {
        pin |= violate(j, "event-owned-by-host", ev->seq,
                       "the host's CloseHandle(0x%llx) failed after the sync: the provider "
                       "closed the done event it handed over",
                       (unsigned long long)ev->handle);
    }
    return pin;
}

static int check_callback_qi(struct judge *j, const struct event *ev, const char *method)
{
    if (j->callback_qi || j->callback_cast_reported) {
        return 0;
    }
    j->callback_cast_reported = 1;
    return violate(j, "callback-via-qi", ev->seq,
                   "%s called without QueryInterface(IID_IMAPISyncProgressCallback) on "
                   "punkCallBack first: the provider cast the IUnknown",
                   method);
}

static int on_done(struct judge *j, const struct event *ev)
{
    int pin = check_callback_qi(j, ev, "Done") | check_callback_alive(j, ev, "Done") |
              check_cancel_done(j, ev);

    if (j->call_seq >= 0 && !j->returned && ev->thread == j->call_thread) {
        pin |= violate(j, "sib-background-thread", ev->seq,
                       "Done called on the host's thread (%lu) from inside "
                       "SynchronizeInBackground: the sync must run on a thread of its own",
                       (unsigned long)ev->thread);
    }
    if (ev->handle != 0 && j->returned && ev->handle != j->return_handle) {
        pin |= violate(j, "done-handle-matches", ev->seq,
                       "Done(hThreadDoneEvent=0x%llx) is neither NULL nor the handle stored in "
                       "*phSyncDoneEvent (0x%llx)",
                       (unsigned long long)ev->handle, (unsigned long long)j->return_handle);
    }
    j->done_count++;
    if (j->done_count == 1) {
        j->first_done_seq = ev->seq;
        j->first_done_hr = ev->hr;
        return pin;
    }
    if (j->logoff_seq >= 0 && j->logoff_seq < ev->seq) {
        return pin | violate(j, "shutdown-during-sync", ev->seq,
                             "Done called %llu times (first at event %lld), the last after the "
                             "host logged off during the sync (event %lld); at most once",
                             (unsigned long long)j->done_count, (long long)j->first_done_seq,
                             (long long)j->logoff_seq);
    }
    return pin |
           violate(j, "done-called-once", ev->seq,
                   "Done called %llu times (first at event %lld); it must be called exactly once",
                   (unsigned long long)j->done_count, (long long)j->first_done_seq);
}

static int on_late_callback(struct judge *j, const struct event *ev)
{
    if (j->first_done_seq < 0) {
        return 0;
    }
    return violate(j, "done-last", ev->seq, "%s called after Done (Done was event %lld)",
                   ev->kind == EVENT_PROGRESS ? "Progress" : "Error", (long long)j->first_done_seq);
}

/* A string the provider passed that the host could not use as text. */
static int bad_text(enum text_state state)
{
    return state == TEXT_UNREADABLE || state == TEXT_TOO_LONG || state == TEXT_ILL_FORMED;
}

static const char *text_problem(enum text_state state)
{
    switch (state) {
    case TEXT_UNREADABLE:
        return "points at memory that cannot be read";
    case TEXT_TOO_LONG:
        return "has no terminating NUL within 1024 UTF-16 code units";
    case TEXT_ILL_FORMED:
        return "is not well-formed UTF-16 (an unpaired surrogate)";
    case TEXT_NULL:
        return "is NULL";
    default:
        return "is not usable";
    }
}

static int on_error(struct judge *j, const struct event *ev)
{
    char got[80];
    int pin = on_late_callback(j, ev) | check_callback_qi(j, ev, "Error") |
              check_callback_alive(j, ev, "Error");

    /* A failure, or a MAPI warning (success severity, FACILITY_ITF). */
    if (!HR_FAILED(ev->hr) && (ev->hr & 0xFFFF0000u) != 0x00040000u) {
        pin |= violate(j, "error-hresult-failure", ev->seq,
                       "Error(hResult=%s): an error report needs a failure code or a MAPI warning",
                       hr_text(ev->hr, got, sizeof got));
    }
    if (ev->text_state != TEXT_OK && ev->text_state != TEXT_NONE) {
        pin |= violate(j, "error-text-valid", ev->seq, "Error's pwcszErrorStr %s",
                       text_problem(ev->text_state));
    }
    return pin;
}

static int on_progress(struct judge *j, const struct event *ev)
{
    int pin = on_late_callback(j, ev) | check_callback_qi(j, ev, "Progress") |
              check_callback_alive(j, ev, "Progress");

    pin |= check_cancel_progress(j, ev);
    if (bad_text(ev->text_state)) {
        pin |= violate(j, "progress-text-valid", ev->seq, "Progress's pwcszProgress %s",
                       text_problem(ev->text_state));
    }
    if (j->progress_seen && ev->index_max == j->last_index_max && ev->index < j->last_index) {
        pin |= violate(j, "progress-monotonic", ev->seq,
                       "Progress went back from ulIndex %lu to %lu (ulIndexMax %lu)",
                       (unsigned long)j->last_index, (unsigned long)ev->index,
                       (unsigned long)ev->index_max);
    }
    j->progress_seen = 1;
    j->last_index = ev->index;
    j->last_index_max = ev->index_max;

    if (ev->index > ev->index_max) {
        pin |= violate(j, "progress-index-bounded", ev->seq,
                       "Progress(ulIndex=%lu, ulIndexMax=%lu): ulIndex exceeds ulIndexMax",
                       (unsigned long)ev->index, (unsigned long)ev->index_max);
    }
    return pin;
}

/* Names of the exception codes a provider is most likely to die of. */
static const char *exception_name(uint32_t code)
{
    switch (code) {
    case 0xC0000005u:
        return "access violation";
    case 0xC00000FDu:
        return "stack overflow";
    case 0xC000001Du:
        return "illegal instruction";
    case 0xC0000094u:
        return "integer division by zero";
    case 0xC0000374u:
        return "heap corruption";
    case 0xC0000409u:
        return "stack buffer overrun (fail-fast)";
    case 0x80000003u:
        return "breakpoint";
    case 0xE06D7363u:
        return "unhandled C++ exception";
    case 0x40000015u:
        return "abort()";
    default:
        return "unhandled exception";
    }
}

/* Where in the scenario something happened, for messages: ", during the
 * shutdown (Logoff, Shutdown, Release)". */
static const char *phase_words(int phase)
{
    switch (phase) {
    case PHASE_LOAD:
        return ", during the load chain (LoadLibrary, MSProviderInit, Logon, QueryInterface)";
    case PHASE_SYNC:
        return ", during the sync";
    case PHASE_SHUTDOWN:
        return ", during the shutdown (Logoff, Shutdown, Release), after the sync";
    case PHASE_UNLOAD:
        return ", during the unload (FreeLibrary: the DLL's detach code, or a thread it left "
               "running), after the sync";
    default:
        return "";
    }
}

static int on_crash(struct judge *j, const struct event *ev)
{
    char extra[64] = "";

    j->crash_seq = ev->seq;
    if (ev->hr == 0xC0000005u) {
        snprintf(extra, sizeof extra, ", %s of 0x%llx",
                 ev->flags == 1   ? "write"
                 : ev->flags == 8 ? "execute"
                                  : "read",
                 (unsigned long long)ev->value);
    }
    if (ev->handle == 0) {
        return violate(j, "no-crash", ev->seq, "%s (0x%08lX) on thread %lu%s",
                       exception_name(ev->hr), (unsigned long)ev->hr, (unsigned long)ev->thread,
                       phase_words(j->phase));
    }
    return violate(j, "no-crash", ev->seq, "%s (0x%08lX) at %s on thread %lu%s%s",
                   exception_name(ev->hr), (unsigned long)ev->hr, ev->text != NULL ? ev->text : "?",
                   (unsigned long)ev->thread, extra, phase_words(j->phase));
}

/* At the end of a scenario the worker finished (Logoff, Shutdown and
 * Release done): the provider's MAPI buffers still live. */
static void check_leaks(struct judge *j)
{
    const struct judge_buffer *first = NULL;
    size_t n = judge_host_leaks(&j->host, &first);

    if (n == 0) {
        return;
    }
    violate(j, "leak-mapi-buffers", first->seq,
            "%lu MAPI buffer(s) from MAPIAllocateBuffer still allocated after logoff and "
            "shutdown; the first, 0x%llx (%llu bytes), was allocated at event %lld%s%s",
            (unsigned long)n, (unsigned long long)first->addr, (unsigned long long)first->size,
            (long long)first->seq, first->where[0] != '\0' ? " " : "", first->where);
}

/* The done event was not signaled by the deadline: after a logoff during
 * the sync, a failure of the shutdown, else of the event itself. */
static int on_event_timeout(struct judge *j, const struct event *ev)
{
    j->saw_timeout = 1;
    if (j->logoff_seq >= 0) {
        return violate(j, "shutdown-during-sync", ev->seq,
                       "the done event 0x%llx was not signaled within %llu ms of the call after "
                       "the host logged off during the sync (event %lld)",
                       (unsigned long long)ev->handle, (unsigned long long)ev->value,
                       (long long)j->logoff_seq);
    }
    return violate(j, "event-signaled", ev->seq,
                   "the done event 0x%llx was not signaled within %llu ms of the call",
                   (unsigned long long)ev->handle, (unsigned long long)ev->value);
}

int judge_event(struct judge *j, const struct event *ev)
{
    int pin;

    if (j->calls != NULL) {
        return judge_calls_event(j, ev);
    }
    pin = judge_event_rules(j, ev);
    return pin | expect_observe(j, ev);
}

static int judge_event_rules(struct judge *j, const struct event *ev)
{
    /* Stack frames and dumps describe the host's threads for a person; they
     * are not something the provider did (and must not become "the last
     * event" a hang is reported after). */
    if (ev->kind == EVENT_FRAME || ev->kind == EVENT_STACKS) {
        return 0;
    }
    /* What the supervisor adds (how the worker ended, where the stream
     * broke) is not the provider's last call either. */
    if (ev->kind != EVENT_EXIT && ev->kind != EVENT_INTEGRITY) {
        j->last_seq = ev->seq;
        j->last_kind = ev->kind;
    }
    judge_host_event(&j->host, ev);
    switch (ev->kind) {
    case EVENT_LOAD:
        return on_load(j, ev);
    case EVENT_CALL:
        j->call_seq = ev->seq;
        j->call_t_us = ev->t_us;
        j->call_thread = ev->thread;
        return 0;
    case EVENT_QI:
        if (ev->hr == HR_S_OK && ev->text != NULL && strcmp(ev->text, CALLBACK_QI_TEXT) == 0) {
            j->callback_qi = 1;
        }
        return 0;
    case EVENT_RETURN:
        return on_return(j, ev);
    case EVENT_PROGRESS:
        return on_progress(j, ev);
    case EVENT_ERROR:
        return on_error(j, ev);
    case EVENT_DONE:
        return on_done(j, ev);
    case EVENT_ADDREF:
    case EVENT_RELEASE:
        return on_callback_ref(j, ev);
    case EVENT_SETTLED:
        return on_settled(j, ev);
    case EVENT_EVENT_SIGNALED:
        j->signaled_seq = ev->seq;
        return 0;
    case EVENT_EVENT_TIMEOUT:
        return on_event_timeout(j, ev);
    case EVENT_LOGOFF:
        if (ev->value == 1 && j->logoff_seq < 0) {
            j->logoff_seq = ev->seq;
        }
        return 0;
    case EVENT_CRASH:
        return on_crash(j, ev);
    case EVENT_END:
        j->end_seq = ev->seq;
        check_leaks(j);
        return 0;
    case EVENT_PHASE:
        j->phase = (int)ev->step;
        return 0;
    case EVENT_EXIT:
        j->exit_seq = ev->seq;
        snprintf(j->exit_detail, sizeof j->exit_detail, "%s", ev->text != NULL ? ev->text : "");
        return 0;
    case EVENT_INTEGRITY:
        if (j->integrity_seq < 0) {
            j->integrity_seq = ev->seq;
        }
        return violate(j, "host-integrity", ev->seq, "%s",
                       ev->text != NULL ? ev->text : "the event stream broke");
    default:
        return 0;
    }
}

/* The deadline passed: what the host was waiting for, by phase. */
static void finish_killed(struct judge *j, int ok_call)
{
    static const char *const waiting[] = {
        [PHASE_LOAD] = "the load chain (LoadLibrary, MSProviderInit, Logon, QueryInterface)",
        [PHASE_SYNC] = "the sync",
        [PHASE_SHUTDOWN] = "the shutdown (Logoff, Shutdown, Release)",
        [PHASE_UNLOAD] = "the unload (FreeLibrary: the DLL's detach code)",
    };
    const struct scenario *sc = j->sc;
    uint32_t bound = 0;

    if (j->call_seq >= 0 && !j->returned) {
        violate(j, "sib-returns-promptly", j->call_seq,
                "SynchronizeInBackground had not returned when the scenario deadline passed");
        return;
    }
    if (ok_call && j->signaled_seq < 0 && !j->saw_timeout && j->phase == PHASE_SYNC) {
        violate(j, j->logoff_seq >= 0 ? "shutdown-during-sync" : "event-signaled", j->return_seq,
                "the done event was not signaled before the scenario deadline%s",
                j->logoff_seq >= 0 ? ", after the host logged off during the sync" : "");
        return;
    }
    if (j->phase < 0 || j->phase == PHASE_SYNC) {
        violate(j, "no-hang", j->last_seq,
                "the host was still waiting on the provider when the deadline passed; the call "
                "after the last event (%s) did not return",
                j->last_seq >= 0 ? event_kind_name(j->last_kind) : "none");
        return;
    }
    if (sc != NULL) {
        bound = j->phase == PHASE_LOAD ? sc->load_timeout_ms : sc->shutdown_timeout_ms;
    }
    violate(j, "no-hang", j->last_seq,
            "%s did not finish within its bound of %lu ms (%s); %s%s%s did not return",
            waiting[j->phase], (unsigned long)bound,
            j->phase == PHASE_LOAD ? "load_timeout_ms" : "shutdown_timeout_ms",
            j->last_kind == EVENT_PHASE ? "its first call into the provider"
                                        : "the call after the last event (",
            j->last_kind == EVENT_PHASE ? "" : event_kind_name(j->last_kind),
            j->last_kind == EVENT_PHASE ? "" : ")");
}

enum scenario_status judge_finish(struct judge *j, enum worker_ending ending,
                                  const char *exit_detail)
{
    int ok_call = j->return_hr_valid && j->return_hr == HR_S_OK;

    if (exit_detail == NULL && j->exit_detail[0] != '\0') {
        exit_detail = j->exit_detail;
    }
    if (j->calls != NULL) {
        return judge_calls_finish(j, ending, exit_detail);
    }
    if (j->integrity_seq >= 0) {
        /* Nothing after the break is known: how the process ended says
         * nothing reliable about the provider beyond host-integrity. */
        return j->crash_seq >= 0 && j->crash_seq < j->integrity_seq ? STATUS_CRASHED
                                                                    : STATUS_FAILED;
    }
    if (ending == WORKER_DIED && j->crash_seq < 0) {
        violate(j, "no-exit", j->exit_seq,
                "the host process ended (%s) without finishing the scenario and without an "
                "unhandled exception: the provider terminated it%s",
                exit_detail != NULL ? exit_detail : "unknown status", phase_words(j->phase));
    }
    /* Done never called: judged once the sync is known to be over, that is
     * the event was signaled or the worker finished; a sync cut off by the
     * deadline or a crash is reported by those rules instead. */
    /* After a logoff during the sync, Done is called at most once: none is
     * no fault (shutdown-during-sync). */
    if (ok_call && j->done_count == 0 && !j->saw_timeout && callback_given(j) &&
        j->logoff_seq < 0 &&
        (j->signaled_seq >= 0 || (ending == WORKER_FINISHED && j->crash_seq < 0))) {
        if (j->signaled_seq >= 0) {
            violate(j, "done-called-once", j->signaled_seq,
                    "Done was never called, yet the done event was signaled");
        } else {
            violate(j, "done-called-once", -1, "Done was never called");
        }
    }
    if (ending == WORKER_KILLED) {
        finish_killed(j, ok_call);
    }
    if (ending == WORKER_FINISHED || j->signaled_seq >= 0) {
        expect_finish(j);
    }

    if (j->crash_seq >= 0 || ending == WORKER_DIED) {
        return STATUS_CRASHED;
    }
    if (ending == WORKER_KILLED || j->saw_timeout) {
        return STATUS_TIMED_OUT;
    }
    return j->violation_count > 0 ? STATUS_FAILED : STATUS_PASSED;
}

int judge_returned(const struct judge *j, uint32_t *hr)
{
    *hr = j->return_hr;
    return j->return_hr_valid;
}

int judge_done(const struct judge *j, uint32_t *hr)
{
    *hr = j->first_done_hr;
    return j->done_count > 0;
}
