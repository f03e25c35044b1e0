/*
 * host.c: crashes, exits and hangs (no-crash, no-exit, no-hang and the
 * deadline's other verdicts), with where in the scenario they happened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/hresult.h"
#include "rules/internal.h"

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
const char *phase_words(int phase)
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

int on_crash(struct judge *j, const struct event *ev)
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
        return violate(j, RULE_NO_CRASH, ev->seq, "%s (0x%08lX) on thread %lu%s",
                       exception_name(ev->hr), (unsigned long)ev->hr, (unsigned long)ev->thread,
                       phase_words(j->st->phase));
    }
    return violate(j, RULE_NO_CRASH, ev->seq, "%s (0x%08lX) at %s on thread %lu%s%s",
                   exception_name(ev->hr), (unsigned long)ev->hr, ev->text != NULL ? ev->text : "?",
                   (unsigned long)ev->thread, extra, phase_words(j->st->phase));
}

/* Threads of the provider's still ran its code once the shutdown bound had
 * passed: Outlook would free the DLL under them and crash. The host keeps
 * the DLL instead and retires the process, so the verdict is the hang
 * itself (their stacks precede the event), never a crash it would cause. */
int on_unloaded(struct judge *j, const struct event *ev)
{
    const struct scenario *sc = j->sc;

    if (ev->step != UNLOAD_HELD) {
        return 0;
    }
    return violate(j, RULE_NO_HANG, ev->seq,
                   "%llu thread(s) started during the scenario still ran the provider's code when "
                   "the shutdown bound (%lu ms, shutdown_timeout_ms) had passed after Logoff, "
                   "Shutdown and Release: %s (stacks in the trace); the host did not free the DLL "
                   "under them, and retired its process",
                   (unsigned long long)ev->value,
                   (unsigned long)(sc != NULL ? sc->shutdown_timeout_ms : 0),
                   ev->text != NULL ? ev->text : "?");
}

/* The deadline passed: what the host was waiting for, by phase. */
void finish_killed(struct judge *j, int ok_call)
{
    static const char *const waiting[] = {
        [PHASE_LOAD] = "the load chain (LoadLibrary, MSProviderInit, Logon, QueryInterface)",
        [PHASE_SYNC] = "the sync",
        [PHASE_SHUTDOWN] = "the shutdown (Logoff, Shutdown, Release)",
        [PHASE_UNLOAD] = "the unload (FreeLibrary: the DLL's detach code)",
    };
    const struct scenario *sc = j->sc;
    uint32_t bound = 0;

    if (j->st->call_seq >= 0 && !j->st->returned) {
        violate(j, RULE_SIB_RETURNS_PROMPTLY, j->st->call_seq,
                "SynchronizeInBackground had not returned when the scenario deadline passed");
        return;
    }
    if (ok_call && j->st->signaled_seq < 0 && !j->st->saw_timeout && j->st->phase == PHASE_SYNC &&
        sc != NULL && sc->has_logoff_after && j->st->logoff_seq < 0) {
        /* The host's wait records event_timeout at timeout_ms, before the
         * kill; without it the host left its wait: for the logoff it makes
         * at logoff_after_ms, recorded as `logoff` once Logoff returns. None
         * means the host never got back from the provider, whatever the
         * provider did with its event meanwhile. */
        violate(j, RULE_NO_HANG, j->last_seq,
                "the host's logoff during the sync (host.logoff_after_ms: %lu ms after the call; "
                "Release of IMAPISync, then IMSLogon::Logoff) did not return before the "
                "deadline; the call after the last event (%s) did not return",
                (unsigned long)sc->logoff_after_ms,
                j->last_seq >= 0 ? event_kind_name(j->st->last_kind) : "none");
        return;
    }
    if (ok_call && j->st->signaled_seq < 0 && !j->st->saw_timeout && j->st->phase == PHASE_SYNC) {
        violate(j, j->st->logoff_seq >= 0 ? RULE_SHUTDOWN_DURING_SYNC : RULE_EVENT_SIGNALED,
                j->st->return_seq, "the done event was not signaled before the scenario deadline%s",
                j->st->logoff_seq >= 0 ? ", after the host logged off during the sync" : "");
        return;
    }
    if (j->st->phase < 0 || j->st->phase == PHASE_SYNC) {
        violate(j, RULE_NO_HANG, j->last_seq,
                "the host was still waiting on the provider when the deadline passed; the call "
                "after the last event (%s) did not return",
                j->last_seq >= 0 ? event_kind_name(j->st->last_kind) : "none");
        return;
    }
    if (sc != NULL) {
        bound = j->st->phase == PHASE_LOAD ? sc->load_timeout_ms : sc->shutdown_timeout_ms;
    }
    violate(j, RULE_NO_HANG, j->last_seq,
            "%s did not finish within its bound of %lu ms (%s); %s%s%s did not return",
            waiting[j->st->phase], (unsigned long)bound,
            j->st->phase == PHASE_LOAD ? "load_timeout_ms" : "shutdown_timeout_ms",
            j->st->last_kind == EVENT_PHASE ? "its first call into the provider"
                                            : "the call after the last event (",
            j->st->last_kind == EVENT_PHASE ? "" : event_kind_name(j->st->last_kind),
            j->st->last_kind == EVENT_PHASE ? "" : ")");
}
