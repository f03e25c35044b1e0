/*
 * test_event_render.c: every event kind, and each variant a kind has, as the
 * JSON report writes it (report_json_event) and as the console prints it
 * (console_event), byte for byte. Both walk the one description of the
 * kinds (harness/core/protocol/events.def); this test holds the report's public shape
 * and the console's lines to what they were, whatever walks them.
 *
 * SYNCHOST_RENDER_PRINT=1 prints what the code gives, as this file's table
 * rows, for a change of rendering made on purpose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "console.h"
#include "protocol/event.h"
#include "report/report_doc.h"
#include "report/result.h"

struct render_case {
    struct event ev;
    const char *json;
    const char *line;
};

#define E(...) {.seq = 7, .t_us = 1500, .thread = 36, __VA_ARGS__}

static const struct render_case cases[] = {
    {E(.kind = EVENT_HELLO, .handle = 4242, .text = "x64"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"hello\",\"pid\":4242,\"detail\":\"x64\"}",
     "  #7        1.500 ms  tid 36    hello          x64\n"},
    {E(.kind = EVENT_LOAD, .step = LOAD_STEP_DLL, .text = ""),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"load\",\"step\":\"load-dll\",\"hresult\":\"S_OK\",\"detail\":\"\"}",
     "  #7        1.500 ms  tid 36    load           load-dll S_OK\n"},
    {E(.kind = EVENT_LOAD, .step = LOAD_STEP_ENTRY_POINT, .hr = 0x8007000Eu, .text = "MSProviderInit failed"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"load\",\"step\":\"load-entry-point\",\"hresult\":\"E_OUTOFMEMORY\",\"detail\":\"MSProviderInit failed\"}",
     "  #7        1.500 ms  tid 36    load           load-entry-point E_OUTOFMEMORY: MSProviderInit failed\n"},
    {E(.kind = EVENT_CALL, .flags = 0x80, .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"call\",\"call\":1,\"flags\":\"0x80\",\"flag_names\":\"SYNC_DOWNLOAD_CONTENTS\"}",
     "  #7        1.500 ms  tid 36    call           SynchronizeInBackground(SYNC_DOWNLOAD_CONTENTS) [call 1]\n"},
    {E(.kind = EVENT_RETURN, .handle = 0xb0, .value = 1, .index = 3, .text = "Event", .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"return\",\"call\":1,\"hresult\":\"S_OK\",\"done_event\":\"0xb0\",\"waitable\":true,\"starved_ms\":3,\"detail\":\"Event\"}",
     "  #7        1.500 ms  tid 36    return         S_OK, *phSyncDoneEvent=0xb0 (Event) [call 1]\n"},
    {E(.kind = EVENT_RETURN, .hr = 0x80004005u, .call = 2),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"return\",\"call\":2,\"hresult\":\"E_FAIL\",\"done_event\":\"0x0\",\"waitable\":false,\"starved_ms\":0}",
     "  #7        1.500 ms  tid 36    return         E_FAIL, *phSyncDoneEvent=0x0 [call 2]\n"},
    {E(.kind = EVENT_RETURN, .handle = 0xc4, .index_max = 1500, .text = "File", .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"return\",\"call\":1,\"hresult\":\"S_OK\",\"done_event\":\"0xc4\",\"waitable\":false,\"starved_ms\":0,\"call_us\":1500,\"detail\":\"File\"}",
     "  #7        1.500 ms  tid 36    return         S_OK, *phSyncDoneEvent=0xc4 (not waitable: File) [call 1]\n"},
    {E(.kind = EVENT_RETURN, .handle = 0xb0, .step = 1, .index_max = 900, .text = "p.dll+0x2af8", .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"return\",\"call\":1,\"hresult\":\"S_OK\",\"done_event\":\"0xb0\",\"waitable\":false,\"starved_ms\":0,\"call_us\":900,\"closed_by_provider\":true,\"detail\":\"p.dll+0x2af8\"}",
     "  #7        1.500 ms  tid 36    return         S_OK, *phSyncDoneEvent=0xb0 (already closed by the provider at p.dll+0x2af8) [call 1]\n"},
    {E(.kind = EVENT_PROGRESS, .index = 1, .index_max = 5, .text_state = TEXT_OK, .text = "Folder 1", .value = 8, .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"progress\",\"call\":1,\"index\":1,\"index_max\":5,\"answered\":\"S_OK\",\"text_state\":\"ok\",\"text\":\"Folder 1\"}",
     "  #7        1.500 ms  tid 36    progress       1/5 \"Folder 1\" -> S_OK [call 1]\n"},
    {E(.kind = EVENT_PROGRESS, .index = 2, .index_max = 5, .text_state = TEXT_NULL, .hr = 0x80040102u, .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"progress\",\"call\":1,\"index\":2,\"index_max\":5,\"answered\":\"MAPI_E_NO_SUPPORT\",\"text_state\":\"null\"}",
     "  #7        1.500 ms  tid 36    progress       2/5 \"\" text null -> MAPI_E_NO_SUPPORT [call 1]\n"},
    {E(.kind = EVENT_PROGRESS, .index = 3, .index_max = 5, .text_state = TEXT_ILL_FORMED, .text = "a\xef\xbf\xbd", .value = 2, .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"progress\",\"call\":1,\"index\":3,\"index_max\":5,\"answered\":\"S_OK\",\"text_state\":\"ill_formed\",\"text\":\"a�\"}",
     "  #7        1.500 ms  tid 36    progress       3/5 \"a�\" text ill_formed -> S_OK [call 1]\n"},
    {E(.kind = EVENT_ERROR, .hr = 0x80004005u, .text_state = TEXT_OK, .text = "boom \"quoted\"", .value = 13, .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"error\",\"call\":1,\"hresult\":\"E_FAIL\",\"text_state\":\"ok\",\"text\":\"boom \\\"quoted\\\"\"}",
     "  #7        1.500 ms  tid 36    error          E_FAIL \"boom \"quoted\"\" [call 1]\n"},
    {E(.kind = EVENT_DONE, .handle = 0xb0, .value = DONE_EVENT_UNKNOWN, .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"done\",\"call\":1,\"hresult\":\"S_OK\",\"handle\":\"0xb0\",\"event_signaled\":null}",
     "  #7        1.500 ms  tid 36    done           S_OK, handle 0xb0 [call 1]\n"},
    {E(.kind = EVENT_DONE, .hr = 0x80004005u, .handle = 0xb0, .value = DONE_EVENT_UNSIGNALED, .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"done\",\"call\":1,\"hresult\":\"E_FAIL\",\"handle\":\"0xb0\",\"event_signaled\":false}",
     "  #7        1.500 ms  tid 36    done           E_FAIL, handle 0xb0 [call 1]\n"},
    {E(.kind = EVENT_DONE, .handle = 0xb0, .value = DONE_EVENT_SIGNALED, .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"done\",\"call\":1,\"hresult\":\"S_OK\",\"handle\":\"0xb0\",\"event_signaled\":true}",
     "  #7        1.500 ms  tid 36    done           S_OK, handle 0xb0 [call 1]\n"},
    {E(.kind = EVENT_EVENT_SIGNALED, .handle = 0xb0, .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"event_signaled\",\"call\":1,\"handle\":\"0xb0\"}",
     "  #7        1.500 ms  tid 36    event_signaled handle 0xb0 [call 1]\n"},
    {E(.kind = EVENT_EVENT_TIMEOUT, .handle = 0xb0, .index = 40, .value = 5000, .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"event_timeout\",\"call\":1,\"handle\":\"0xb0\",\"starved_ms\":40,\"overloaded\":false}",
     "  #7        1.500 ms  tid 36    event_timeout  handle 0xb0, not signaled after 5000 ms [call 1]\n"},
    {E(.kind = EVENT_EVENT_TIMEOUT, .handle = 0xb0, .index = 900, .step = 1, .value = 5000, .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"event_timeout\",\"call\":1,\"handle\":\"0xb0\",\"starved_ms\":900,\"overloaded\":true}",
     "  #7        1.500 ms  tid 36    event_timeout  handle 0xb0, not signaled after 5000 ms [call 1]\n"},
    {E(.kind = EVENT_ADDREF, .step = HOST_OBJECT_CALLBACK, .text = "callback", .value = 2, .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"addref\",\"call\":1,\"count\":2,\"detail\":\"callback\"}",
     "  #7        1.500 ms  tid 36    addref         callback -> 2 [call 1]\n"},
    {E(.kind = EVENT_RELEASE, .step = HOST_OBJECT_SESSION, .text = "session", .value = 0),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"release\",\"count\":0,\"detail\":\"session\"}",
     "  #7        1.500 ms  tid 36    release        session -> 0\n"},
    {E(.kind = EVENT_QI, .step = HOST_OBJECT_CALLBACK, .index = IID_KIND_OTHER, .hr = 0x80004002u, .text = "callback {00000000-0000-0000-C000-000000000046}", .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"qi\",\"call\":1,\"hresult\":\"E_NOINTERFACE\",\"detail\":\"callback {00000000-0000-0000-C000-000000000046}\"}",
     "  #7        1.500 ms  tid 36    qi             callback {00000000-0000-0000-C000-000000000046} -> E_NOINTERFACE [call 1]\n"},
    {E(.kind = EVENT_SESSION_CALL, .text = "GetMsgStoresTable", .index = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"session_call\",\"service_call\":1,\"hresult\":\"S_OK\",\"detail\":\"GetMsgStoresTable\"}",
     "  #7        1.500 ms  tid 36    session_call   GetMsgStoresTable -> S_OK\n"},
    {E(.kind = EVENT_SUPPORT_CALL, .text = "OpenProfileSection", .hr = 0x8004010Fu, .index = 2, .step = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"support_call\",\"service_call\":2,\"fault_injected\":true,\"hresult\":\"MAPI_E_NOT_FOUND\",\"detail\":\"OpenProfileSection\"}",
     "  #7        1.500 ms  tid 36    support_call   OpenProfileSection -> MAPI_E_NOT_FOUND\n"},
    {E(.kind = EVENT_ALLOC, .value = 128, .handle = 0x3712c0, .text = "MAPIAllocateBuffer from p.dll+0x2da2", .index = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"alloc\",\"service_call\":1,\"size\":128,\"address\":\"0x3712c0\",\"hresult\":\"S_OK\",\"detail\":\"MAPIAllocateBuffer from p.dll+0x2da2\"}",
     "  #7        1.500 ms  tid 36    alloc          MAPIAllocateBuffer from p.dll+0x2da2 128 bytes at 0x3712c0\n"},
    {E(.kind = EVENT_ALLOC, .value = 64, .hr = 0x8007000Eu, .text = "MAPIAllocateMore from p.dll+0x2e00", .index = 2, .step = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"alloc\",\"service_call\":2,\"fault_injected\":true,\"size\":64,\"address\":\"0x0\",\"hresult\":\"E_OUTOFMEMORY\",\"detail\":\"MAPIAllocateMore from p.dll+0x2e00\"}",
     "  #7        1.500 ms  tid 36    alloc          MAPIAllocateMore from p.dll+0x2e00 64 bytes at 0x0\n"},
    {E(.kind = EVENT_FREE, .handle = 0x3712c0, .text = "from p.dll+0x2f00", .index = 3),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"free\",\"service_call\":3,\"address\":\"0x3712c0\",\"hresult\":\"S_OK\",\"detail\":\"from p.dll+0x2f00\"}",
     "  #7        1.500 ms  tid 36    free           0x3712c0 from p.dll+0x2f00\n"},
    {E(.kind = EVENT_DEBUG_OUTPUT, .text = "provider: started\r\n"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"debug_output\",\"text\":\"provider: started\\r\\n\"}",
     "  #7        1.500 ms  tid 36    debug_output   provider: started\n"},
    {E(.kind = EVENT_DEBUG_OUTPUT, .text_state = TEXT_TOO_LONG, .text = "xxxx", .value = 5000),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"debug_output\",\"length\":5000,\"text_state\":\"too_long\",\"text\":\"xxxx\"}",
     "  #7        1.500 ms  tid 36    debug_output   xxxx\n"},
    {E(.kind = EVENT_CRASH, .hr = 0xC0000005u, .handle = 0x36ace3038ull, .text = "p.dll+0x3038"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"crash\",\"code\":\"0xc0000005\",\"address\":\"0x36ace3038\",\"where\":\"p.dll+0x3038\"}",
     "  #7        1.500 ms  tid 36    crash          0xC0000005 at p.dll+0x3038\n"},
    {E(.kind = EVENT_CRASH, .hr = 0xC0000005u, .text = ""),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"crash\",\"code\":\"0xc0000005\",\"address\":\"0x0\",\"where\":\"\"}",
     "  #7        1.500 ms  tid 36    crash          0xC0000005 at (no address)\n"},
    {E(.kind = EVENT_EXIT, .value = 137, .text = "killed by signal 9"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"exit\",\"status\":137,\"detail\":\"killed by signal 9\"}",
     "  #7        1.500 ms  tid 36    exit           status 137, killed by signal 9\n"},
    {E(.kind = EVENT_SETTLED, .handle = 0xb0, .value = 1, .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"settled\",\"call\":1,\"done_event\":\"0xb0\",\"host_closed_event\":true}",
     "  #7        1.500 ms  tid 36    settled         [call 1]\n"},
    {E(.kind = EVENT_SETTLED, .handle = 0xb0, .value = 0, .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"settled\",\"call\":1,\"done_event\":\"0xb0\",\"host_closed_event\":false}",
     "  #7        1.500 ms  tid 36    settled         [call 1]\n"},
    {E(.kind = EVENT_SETTLED, .value = 2, .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"settled\",\"call\":1,\"done_event\":\"0x0\",\"host_closed_event\":null}",
     "  #7        1.500 ms  tid 36    settled         [call 1]\n"},
    {E(.kind = EVENT_SETTLED, .handle = 0xb0, .value = 3, .text = "p.dll+0x1234", .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"settled\",\"call\":1,\"done_event\":\"0xb0\",\"host_closed_event\":false,\"provider_closed_event\":true,\"detail\":\"p.dll+0x1234\"}",
     "  #7        1.500 ms  tid 36    settled        p.dll+0x1234 [call 1]\n"},
    {E(.kind = EVENT_LOGOFF, .value = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"logoff\",\"hresult\":\"S_OK\",\"during_sync\":true}",
     "  #7        1.500 ms  tid 36    logoff         S_OK (during the sync)\n"},
    {E(.kind = EVENT_LOGOFF, .hr = 0x80004005u),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"logoff\",\"hresult\":\"E_FAIL\",\"during_sync\":false}",
     "  #7        1.500 ms  tid 36    logoff         E_FAIL\n"},
    {E(.kind = EVENT_END, .value = 0),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"end\",\"status\":0}",
     "  #7        1.500 ms  tid 36    end            \n"},
    {E(.kind = EVENT_PHASE, .step = PHASE_SYNC, .text = "sync"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"phase\",\"detail\":\"sync\"}",
     "  #7        1.500 ms  tid 36    phase          sync\n"},
    {E(.kind = EVENT_UNLOADED, .value = 0, .text = ""),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"unloaded\",\"threads_running\":0,\"detail\":\"\"}",
     "  #7        1.500 ms  tid 36    unloaded       \n"},
    {E(.kind = EVENT_UNLOADED, .step = UNLOAD_HELD, .value = 2, .text = "thread 12 at p.dll+0x10"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"unloaded\",\"threads_running\":2,\"detail\":\"thread 12 at p.dll+0x10\"}",
     "  #7        1.500 ms  tid 36    unloaded       thread 12 at p.dll+0x10\n"},
    {E(.kind = EVENT_UNLOADED, .step = UNLOAD_RETIRED, .value = 1, .text = "the callback"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"unloaded\",\"retired\":true,\"kept\":1,\"detail\":\"the callback\"}",
     "  #7        1.500 ms  tid 36    unloaded       worker retired, the provider still holds: the callback\n"},
    {E(.kind = EVENT_INTEGRITY, .text = "seal broken"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"integrity\",\"detail\":\"seal broken\"}",
     "  #7        1.500 ms  tid 36    integrity      seal broken\n"},
    {E(.kind = EVENT_INTEGRITY, .value = 1, .text = "CloseHandle of the host's 0x40"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"integrity\",\"detail\":\"CloseHandle of the host's 0x40\"}",
     "  #7        1.500 ms  tid 36    integrity      CloseHandle of the host's 0x40\n"},
    {E(.kind = EVENT_FRAME, .index = 0, .handle = 0x36ace3038ull, .value = 0x22fe00, .text = "p.dll+0x3038 (sync_thread+0x6d8)"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"frame\",\"frame\":0,\"address\":\"0x36ace3038\",\"stack_pointer\":\"0x22fe00\",\"where\":\"p.dll+0x3038 (sync_thread+0x6d8)\"}",
     "  #7        1.500 ms  tid 36    frame          #0  0x000000036ace3038 p.dll+0x3038 (sync_thread+0x6d8)\n"},
    {E(.kind = EVENT_STACKS, .value = 3, .text = "the sync did not end"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"stacks\",\"threads\":3,\"detail\":\"the sync did not end\"}",
     "  #7        1.500 ms  tid 36    stacks         the sync did not end\n"},
    {E(.kind = EVENT_PROVIDER_QI, .step = PROVIDER_OBJECT_STORE, .index = IID_KIND_IUNKNOWN, .handle = 0x1000, .text = "store IID_IUnknown"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"provider_qi\",\"object\":\"store\",\"hresult\":\"S_OK\",\"pointer\":\"0x1000\",\"detail\":\"store IID_IUnknown\"}",
     "  #7        1.500 ms  tid 36    provider_qi    store IID_IUnknown -> S_OK, *ppv=0x1000\n"},
    {E(.kind = EVENT_HANDLES, .index = 5, .index_max = 1, .value = 0, .text = "Event at p.dll+0x10"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"handles\",\"opened\":5,\"still_open\":1,\"threads_running\":0,\"detail\":\"Event at p.dll+0x10\"}",
     "  #7        1.500 ms  tid 36    handles        5 opened by the provider since MSProviderInit, 1 still open: Event at p.dll+0x10\n"},
    {E(.kind = EVENT_THREADS, .value = 1, .index = 100, .text = "thread 52"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"threads\",\"still_running\":1,\"waited_ms\":100,\"detail\":\"thread 52\"}",
     "  #7        1.500 ms  tid 36    threads        1 started by the sync still running after 100 ms: thread 52\n"},
    {E(.kind = EVENT_FAST_SHUTDOWN, .step = FAST_STEP_QI, .handle = 0x2000, .text = "QueryInterface(IID_IMAPIProviderShutdown)"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"fast_shutdown\",\"method\":\"QueryInterface(IID_IMAPIProviderShutdown)\",\"hresult\":\"S_OK\",\"pointer\":\"0x2000\",\"detail\":\"QueryInterface(IID_IMAPIProviderShutdown)\"}",
     "  #7        1.500 ms  tid 36    fast_shutdown  QueryInterface(IID_IMAPIProviderShutdown) -> S_OK\n"},
    {E(.kind = EVENT_FAST_SHUTDOWN, .step = FAST_STEP_QUERY, .hr = 0x80004001u),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"fast_shutdown\",\"method\":\"QueryFastShutdown\",\"hresult\":\"E_NOTIMPL\"}",
     "  #7        1.500 ms  tid 36    fast_shutdown  QueryFastShutdown -> E_NOTIMPL\n"},
    {E(.kind = EVENT_FAST_SHUTDOWN, .step = FAST_STEP_DO, .value = 1, .index = 250),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"fast_shutdown\",\"method\":\"DoFastShutdown\",\"hresult\":\"S_OK\",\"still_running\":1,\"waited_ms\":250}",
     "  #7        1.500 ms  tid 36    fast_shutdown  DoFastShutdown -> S_OK; 1 provider thread(s) still running (waited up to 250 ms)\n"},
    {E(.kind = EVENT_SIDE_EFFECT, .step = SIDE_EFFECT_SIB, .index = 1, .text = "ulFlags 0x80 -> 0x0", .call = 1),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"side_effect\",\"call\":1,\"effect\":\"sib\",\"detail\":\"ulFlags 0x80 -> 0x0\"}",
     "  #7        1.500 ms  tid 36    side_effect    MAPISIB changed: ulFlags 0x80 -> 0x0 [call 1]\n"},
    {E(.kind = EVENT_SIDE_EFFECT, .step = SIDE_EFFECT_PROCESS, .handle = 4242, .text = "notepad.exe"),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"side_effect\",\"effect\":\"process\",\"pid\":4242,\"detail\":\"notepad.exe\"}",
     "  #7        1.500 ms  tid 36    side_effect    process 4242 still running, ended by synchost: notepad.exe\n"},
    {E(.kind = EVENT_SIDE_EFFECT, .step = SIDE_EFFECT_MEMORY, .value = 200u << 20, .index = 128, .index_max = 3),
     "{\"seq\":7,\"t_us\":1500,\"thread\":36,\"kind\":\"side_effect\",\"effect\":\"memory\",\"grown_bytes\":209715200,\"bound_mb\":128}",
     "  #7        1.500 ms  tid 36    side_effect    private commit grew by 200 MiB (bound 128 MiB): \n"},
};

static char *json_of(const struct event *ev)
{
    json_t *o = report_json_event(ev);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

static char *line_of(const struct event *ev)
{
    struct console con;
    struct scenario_result res;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    memset(&res, 0, sizeof res);
    console_init(&con, f, 0, 1);
    console_event(&res, ev, &con);
    fclose(f);
    return text;
}

/* A C string literal for s. */
static void print_literal(const char *s)
{
    putchar('"');
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\') {
            printf("\\%c", *s);
        } else if (*s == '\n') {
            printf("\\n");
        } else {
            putchar(*s);
        }
    }
    putchar('"');
}

static void test_every_kind_renders_as_before(void **state)
{
    int print = getenv("SYNCHOST_RENDER_PRINT") != NULL;
    unsigned seen[EVENT_KIND_COUNT] = {0};

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *json = json_of(&cases[i].ev);
        char *line = line_of(&cases[i].ev);
        seen[cases[i].ev.kind]++;
        if (print) {
            printf("case %zu (%s):\n    ", i, event_kind_name(cases[i].ev.kind));
            print_literal(json);
            printf(",\n    ");
            print_literal(line);
            printf("\n");
        } else {
            if (strcmp(json, cases[i].json) != 0) {
                print_error("case %zu (%s): JSON\n  got  %s\n  want %s\n", i,
                            event_kind_name(cases[i].ev.kind), json, cases[i].json);
                fail();
            }
            if (strcmp(line, cases[i].line) != 0) {
                print_error("case %zu (%s): console\n  got  %s  want %s", i,
                            event_kind_name(cases[i].ev.kind), line, cases[i].line);
                fail();
            }
        }
        free(json);
        free(line);
    }
    /* Every kind is here: a kind added to events.def gets a case. */
    for (unsigned k = 0; k < EVENT_KIND_COUNT; k++) {
        if (seen[k] == 0) {
            print_error("no case for the kind %s\n", event_kind_name((enum event_kind)k));
            fail();
        }
    }
}

#include "test_event_render.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
