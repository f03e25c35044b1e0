/* fake_record.c: recording helpers shared by the fakes (see fake_record.h). */
#include "fake_record.h"

#include <stdio.h>

#include <mapidefs.h>
#include <mapicode.h>

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
    snprintf(buf,
             FAKE_IID_TEXT_MAX,
             "{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}",
             (unsigned long)riid->Data1,
             riid->Data2,
             riid->Data3,
             riid->Data4[0],
             riid->Data4[1],
             riid->Data4[2],
             riid->Data4[3],
             riid->Data4[4],
             riid->Data4[5],
             riid->Data4[6],
             riid->Data4[7]);
}

HRESULT fake_record_qi(const char *object, const IID *riid, HRESULT hr)
{
    return fake_record_qi_in(0, object, riid, hr);
}

HRESULT fake_record_qi_in(uint32_t call, const char *object, const IID *riid, HRESULT hr)
{
    char iid[FAKE_IID_TEXT_MAX];
    char text[64 + FAKE_IID_TEXT_MAX];
    struct event ev = {0};

    fake_format_iid(riid, iid);
    snprintf(text, sizeof text, "%s %s", object, iid);
    ev.kind = EVENT_QI;
    ev.hr = (uint32_t)hr;
    ev.text = text;
    ev.call = call;
    recorder_emit(&ev);
    return hr;
}

ULONG fake_record_ref(enum event_kind kind, const char *object, LONG count)
{
    return fake_record_ref_in(0, kind, object, count);
}

ULONG fake_record_ref_in(uint32_t call, enum event_kind kind, const char *object, LONG count)
{
    struct event ev = {0};

    ev.kind = kind;
    ev.call = call;
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

HRESULT fake_record_no_support(enum event_kind kind, const char *text, void *out)
{
    fake_clear_out(out);
    return fake_record_call(kind, text, MAPI_E_NO_SUPPORT);
}

void fake_clear_out(void *pp)
{
    if (pp != NULL) {
        *(void **)pp = NULL;
    }
}
