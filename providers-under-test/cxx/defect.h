// defect.h: which behaviour this build of the C++ provider has, chosen at
// compile time with -DCXX_DEFECT=<name> (bare name, e.g. -DCXX_DEFECT=done-twice).
// `none`, the default, is the correct provider; every other name breaks
// exactly one rule of the synchost contract, named next to it below.
#pragma once

namespace cxxprov {

enum class Defect {
    None,
    DoneTwice,          // Done twice, both before the event: done-called-once
    DoneNever,          // event signaled, Done never called: done-called-once
    ProgressOvershoot,  // one step too many, ulIndex 6 of 5: progress-index-bounded
    ProgressAfterDone,  // one Progress after Done, before the event: done-last
    NeverSignals,       // Done, but the event is never signaled: event-signaled
    NoDoneEvent,        // S_OK with *phSyncDoneEvent left NULL: sib-writes-done-event
    CrashOnThread,      // NULL dereference on the sync thread: no-crash
    NoIMAPISync,        // the store does not answer IID_IMAPISync: load-qi-imapisync
    AcceptsNullDonePtr, // S_OK for a NULL phSyncDoneEvent, syncs anyway: sib-null-args
    SignalBeforeDone,   // the event signaled, then Done: done-before-event
    LeaksHandle,        // the store never closes its stop event: leak-handles
    FastShutdownQueryFails, // QueryFastShutdown answers E_NOTIMPL: fast-shutdown-returns
    Unknown,
};

constexpr bool NameIs(const char *a, const char *b)
{
    return *a == *b && (*a == '\0' || NameIs(a + 1, b + 1));
}

constexpr Defect ParseDefect(const char *name)
{
    return NameIs(name, "none")                  ? Defect::None
           : NameIs(name, "done-twice")          ? Defect::DoneTwice
           : NameIs(name, "done-never")          ? Defect::DoneNever
           : NameIs(name, "progress-overshoot")  ? Defect::ProgressOvershoot
           : NameIs(name, "progress-after-done") ? Defect::ProgressAfterDone
           : NameIs(name, "never-signals")       ? Defect::NeverSignals
           : NameIs(name, "no-done-event")       ? Defect::NoDoneEvent
           : NameIs(name, "crash-on-thread")     ? Defect::CrashOnThread
           : NameIs(name, "no-imapisync")        ? Defect::NoIMAPISync
           : NameIs(name, "accepts-null-done-ptr") ? Defect::AcceptsNullDonePtr
           : NameIs(name, "signal-before-done")  ? Defect::SignalBeforeDone
           : NameIs(name, "leaks-handle")        ? Defect::LeaksHandle
           : NameIs(name, "fast-shutdown-query-fails") ? Defect::FastShutdownQueryFails
                                                 : Defect::Unknown;
}

#ifndef CXX_DEFECT
#define CXX_DEFECT none
#endif
// The bare name is turned into a string: done-twice is three tokens, and
// stringizing keeps them as written.
#define CXXPROV_STR2(x) #x
#define CXXPROV_STR(x) CXXPROV_STR2(x)

inline constexpr Defect kDefect = ParseDefect(CXXPROV_STR(CXX_DEFECT));
static_assert(kDefect != Defect::Unknown,
              "CXX_DEFECT must be one of none, done-twice, done-never, progress-overshoot, "
              "progress-after-done, never-signals, no-done-event, crash-on-thread, no-imapisync, "
              "accepts-null-done-ptr, signal-before-done, leaks-handle, "
              "fast-shutdown-query-fails");

}  // namespace cxxprov
