/*
 * debugout.c: OutputDebugString as events (see debugout.h).
 *
 * OutputDebugStringA raises DBG_PRINTEXCEPTION_C with the length (NUL
 * included) and the string; Windows 10's OutputDebugStringW raises
 * DBG_PRINTEXCEPTION_WIDE_C first, with the wide string (Wine converts and
 * raises the narrow one). Answering EXCEPTION_CONTINUE_EXECUTION is what a
 * debugger's "handled" amounts to: the call returns and nothing is printed
 * twice. The string is the provider's, so it is read as carefully as any
 * other text it hands the host.
 */
#include <windows.h>

#include "debugout.h"
#include "provider_text.h"
#include "recorder.h"

#define DBG_PRINT_ANSI 0x40010006u
#define DBG_PRINT_WIDE 0x4001000Au

/* Kept out of the handler: its buffers take 5 KiB of stack, and the handler
 * also sees exceptions (a stack overflow) where there is none to spare. */
static __attribute__((noinline)) void debugout_record(const EXCEPTION_RECORD *rec)
{
    WCHAR wide[PROVIDER_TEXT_MAX_UNITS + 1];
    char text[EVENT_TEXT_MAX];
    struct event ev = {0};
    const WCHAR *s = wide;
    size_t whole = 0; /* the narrow string's length, when it is longer than kept */

    if (rec->ExceptionCode == DBG_PRINT_WIDE) {
        s = (const WCHAR *)rec->ExceptionInformation[1];
    } else {
        const char *a = (const char *)rec->ExceptionInformation[1];
        size_t n = (size_t)rec->ExceptionInformation[0];
        int got;

        /* n counts the NUL. Past the limit only the first part is kept,
         * and the event says how long the whole was (docs/reports.md, debug_output). */
        if (n > PROVIDER_TEXT_MAX_UNITS + 1) {
            whole = n - 1;
            n = PROVIDER_TEXT_MAX_UNITS;
        }
        got = a != NULL && n > 0 && !IsBadReadPtr(a, n)
                  ? MultiByteToWideChar(CP_ACP, 0, a, (int)n, wide, PROVIDER_TEXT_MAX_UNITS)
                  : 0;
        wide[got > 0 ? got : 0] = 0;
    }
    ev.kind = EVENT_DEBUG_OUTPUT;
    ev.text_state = provider_text_read(s, text, sizeof text);
    if (whole > 0) {
        ev.text_state = TEXT_TOO_LONG;
        ev.value = whole;
    }
    ev.text = text;
    recorder_emit(&ev);
}

static LONG WINAPI debugout_handler(EXCEPTION_POINTERS *info)
{
    const EXCEPTION_RECORD *rec = info->ExceptionRecord;

    if ((rec->ExceptionCode != DBG_PRINT_ANSI && rec->ExceptionCode != DBG_PRINT_WIDE) ||
        rec->NumberParameters < 2) {
        return EXCEPTION_CONTINUE_SEARCH;
    }
    debugout_record(rec);
    return EXCEPTION_CONTINUE_EXECUTION;
}

void debugout_init(void)
{
    /* Last in line: the crash handler's stack-overflow check comes first. */
    AddVectoredExceptionHandler(0, debugout_handler);
}
