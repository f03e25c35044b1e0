/* fake_record.c: recording helpers shared by the fakes (see fake_record.h). */
#include "fake_record.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <mapidefs.h>
#include <mapicode.h>

#include "fake_iids.h"
#include "recorder.h"

void fake_format_iid(const IID *riid, char buf[FAKE_IID_TEXT_MAX])
{
    if (riid == NULL) {
        snprintf(buf, FAKE_IID_TEXT_MAX, "{null}");
        return;
    }
    if (IsBadReadPtr(riid, sizeof *riid)) {
        snprintf(buf, FAKE_IID_TEXT_MAX, "{unreadable}");
        return;
    }
    snprintf(buf, FAKE_IID_TEXT_MAX, "{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}",
             (unsigned long)riid->Data1, riid->Data2, riid->Data3, riid->Data4[0], riid->Data4[1],
             riid->Data4[2], riid->Data4[3], riid->Data4[4], riid->Data4[5], riid->Data4[6],
             riid->Data4[7]);
}

/* What the rules need to know of riid, read only when it can be read. */
static enum iid_kind iid_kind_of(const IID *riid)
{
    if (riid == NULL || IsBadReadPtr(riid, sizeof *riid)) {
        return IID_KIND_OTHER;
    }
    if (IsEqualIID(riid, &IID_IUnknown)) {
        return IID_KIND_IUNKNOWN;
    }
    if (IsEqualIID(riid, &IID_IMAPISyncProgressCallback)) {
        return IID_KIND_SYNC_CALLBACK;
    }
    return IID_KIND_OTHER;
}

HRESULT fake_record_qi_in(uint32_t call, const char *object, const IID *riid, HRESULT hr)
{
    char iid[FAKE_IID_TEXT_MAX];
    char text[64 + FAKE_IID_TEXT_MAX];
    struct event ev = {0};

    fake_format_iid(riid, iid);
    snprintf(text, sizeof text, "%s %s", object, iid);
    ev.kind = EVENT_QI;
    ev.step = host_object_from_name(object);
    ev.index = iid_kind_of(riid);
    ev.hr = (uint32_t)hr;
    ev.text = text;
    ev.call = call;
    recorder_emit(&ev);
    return hr;
}

ULONG fake_record_ref_in(uint32_t call, enum event_kind kind, const char *object, LONG count)
{
    struct event ev = {0};

    ev.kind = kind;
    ev.call = call;
    ev.step = host_object_from_name(object);
    ev.value = (uint64_t)(int64_t)count;
    ev.text = object;
    recorder_emit(&ev);
    return (ULONG)count;
}

HRESULT fake_record_call(enum event_kind kind, const char *text, HRESULT hr)
{
    struct event ev = {0};

    ev.kind = kind;
    ev.hr = (uint32_t)hr;
    ev.text = text;
    recorder_emit(&ev);
    return hr;
}

void fake_clear_out(void *pp)
{
    if (pp != NULL) {
        *(void **)pp = NULL;
    }
}

HRESULT fake_record_service(enum event_kind kind, const struct fake_call *c, const char *method,
                            HRESULT hr, uint64_t handle, uint64_t value, const char *fmt, ...)
{
    char text[FAKE_CALL_TEXT_MAX];
    int injected = c->fault != S_OK && hr == c->fault;
    struct event ev = {0};
    size_t n = (size_t)snprintf(text, sizeof text, "%s", method);
    va_list ap;

    if (fmt != NULL && n + 1 < sizeof text) {
        text[n++] = ' ';
        va_start(ap, fmt);
        vsnprintf(text + n, sizeof text - n, fmt, ap);
        va_end(ap);
        n = strlen(text);
    }
    if (injected && n < sizeof text) {
        snprintf(text + n, sizeof text - n, " (fault injected)");
    }
    ev.kind = kind;
    ev.hr = (uint32_t)hr;
    ev.index = c->n;
    ev.step = injected ? 1u : 0u;
    ev.handle = handle;
    ev.value = value;
    ev.text = text;
    recorder_emit(&ev);
    return hr;
}

HRESULT fake_record_unsupported(enum event_kind kind, enum fault_service service,
                                const char *method, void *out)
{
    struct fake_call c = fake_fault_begin(service);
    HRESULT hr = c.fault != S_OK ? c.fault : MAPI_E_NO_SUPPORT;

    fake_clear_out(out);
    return fake_record_service(kind, &c, method, hr, 0, 0, NULL);
}

void fake_format_caller(const void *addr, char *buf, size_t cap)
{
    HMODULE mod = NULL;
    WCHAR path[MAX_PATH];
    const WCHAR *base;
    DWORD n;

    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                                GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)addr, &mod) ||
        (n = GetModuleFileNameW(mod, path, MAX_PATH)) == 0 || n >= MAX_PATH) {
        snprintf(buf, cap, "0x%llx", (unsigned long long)(ULONG_PTR)addr);
        return;
    }
    base = path + n;
    while (base > path && base[-1] != L'\\' && base[-1] != L'/') {
        base--;
    }
    snprintf(buf, cap, "%ls+0x%llx", base,
             (unsigned long long)((const char *)addr - (const char *)mod));
}
