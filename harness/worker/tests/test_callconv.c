/*
 * test_callconv.c: the calling-convention check, and every method the host
 * gives a provider with the convention the provider calls it by. On x86 a
 * COM method or a MAPI allocator declared __cdecl instead of __stdcall would
 * pop nothing, and the provider's stack pointer would be off after each
 * call; callconv_call measures it. On x64 there is one convention and
 * nothing is ever off, which the same tests check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <windows.h>

#include <synchost/mapisync.h>

#include <mapicode.h>

#include "callconv.h"
#include "capture.h"
#include "fake_alloc.h"
#include "fake_callback.h"
#include "fake_unknown.h"

#ifdef _WIN64
#define WORD_OFF(words) 0
#else
#define WORD_OFF(words) ((LONG)(words) * (LONG)sizeof(ULONG_PTR))
#endif

static ULONG_PTR WINAPI stdcall_two(ULONG_PTR a, ULONG_PTR b)
{
    return a + b;
}

static ULONG_PTR __cdecl cdecl_two(ULONG_PTR a, ULONG_PTR b)
{
    return a * b;
}

/* Calls a method slot of an interface's vtable as the provider would:
 * __stdcall, this first. Asserts nothing was off, at the caller's line. */
static ULONG_PTR call_method(void *iface, size_t slot, const ULONG_PTR *rest, unsigned n,
                             const char *name, const char *file, int line)
{
    const void *const *vtbl = *(const void *const *const *)iface;
    ULONG_PTR args[CALLCONV_ARGS_MAX];
    LONG off = 1234;
    ULONG_PTR ret;

    args[0] = (ULONG_PTR)iface;
    for (unsigned i = 0; i < n; i++) {
        args[i + 1] = rest[i];
    }
    ret = callconv_call(CALLCONV_STDCALL, vtbl[slot], args, n + 1, &off);
    if (off != 0) {
        print_error("%s: the stack pointer was %ld bytes off after the call\n", name, (long)off);
    }
    _assert_int_equal(off, 0, file, line);
    return ret;
}
#define CALL_METHOD(iface, slot, name, ...)                                                      \
    call_method((iface), (slot), (const ULONG_PTR[]){0, __VA_ARGS__} + 1,                        \
                (unsigned)(sizeof((const ULONG_PTR[]){0, __VA_ARGS__}) / sizeof(ULONG_PTR) - 1), \
                (name), __FILE__, __LINE__)
#define CALL_METHOD0(iface, slot, name) \
    call_method((iface), (slot), NULL, 0, (name), __FILE__, __LINE__)

/* The check itself: silent on the right convention, and on x86 the bytes
 * off on the wrong one (two words either way). */
static void test_check_sees_the_wrong_convention(void **state)
{
    const ULONG_PTR args[] = {6, 7};
    LONG off = 1234;

    (void)state;
    assert_int_equal(callconv_call(CALLCONV_STDCALL, (const void *)stdcall_two, args, 2, &off), 13);
    assert_int_equal(off, 0);
    assert_int_equal(callconv_call(CALLCONV_CDECL, (const void *)cdecl_two, args, 2, &off), 42);
    assert_int_equal(off, 0);
    /* A __cdecl function where __stdcall is expected pops too little... */
    assert_int_equal(callconv_call(CALLCONV_STDCALL, (const void *)cdecl_two, args, 2, &off), 42);
    assert_int_equal(off, -WORD_OFF(2));
    /* ... and a __stdcall one where __cdecl is expected (MSProviderInit) too much. */
    assert_int_equal(callconv_call(CALLCONV_CDECL, (const void *)stdcall_two, args, 2, &off), 13);
    assert_int_equal(off, WORD_OFF(2));
}

/* IMAPISyncProgressCallback's six methods, by their slots in the vtable
 * (mapisync.h), as a provider calls them. */
static void test_callback_methods_are_stdcall(void **state)
{
    IMAPISyncProgressCallback *cb = NULL;
    IUnknown *got = NULL;
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);

    (void)state;
    capture_start();
    assert_int_equal(fake_callback_create(NULL, &cb), S_OK);
    CALL_METHOD(cb, 0, "QueryInterface", (ULONG_PTR)&IID_IUnknown, (ULONG_PTR)&got);
    assert_non_null(got);
    CALL_METHOD0(cb, 1, "AddRef");
    CALL_METHOD0(cb, 2, "Release");
    CALL_METHOD0(cb, 2, "Release");
    CALL_METHOD(cb, 3, "Progress", (ULONG_PTR)L"x", 1, 2);
    CALL_METHOD(cb, 4, "Error", (ULONG_PTR)E_FAIL, (ULONG_PTR)L"e");
    CALL_METHOD(cb, 5, "Done", (ULONG_PTR)ev, (ULONG_PTR)S_OK);
    fake_callback_destroy(cb);
    CloseHandle(ev);
}

/* IUnknown (the callback without IMAPISyncProgressCallback) and the host's
 * IMalloc and MAPI allocators, which the provider calls as WINAPI. */
static void test_host_services_are_stdcall(void **state)
{
    IUnknown *unk = NULL;
    IMalloc *m = fake_malloc_get();
    void *buf = NULL, *more = NULL, *block;
    LONG off = 1234;
    ULONG_PTR args[3];

    (void)state;
    capture_start();
    assert_int_equal(fake_unknown_create(&unk), S_OK);
    CALL_METHOD0(unk, 1, "IUnknown::AddRef");
    CALL_METHOD0(unk, 2, "IUnknown::Release");
    block = (void *)CALL_METHOD(m, 3, "IMalloc::Alloc", 16);
    assert_non_null(block);
    CALL_METHOD(m, 6, "IMalloc::GetSize", (ULONG_PTR)block);
    CALL_METHOD(m, 5, "IMalloc::Free", (ULONG_PTR)block);

    args[0] = 32;
    args[1] = (ULONG_PTR)&buf;
    assert_int_equal(
        callconv_call(CALLCONV_STDCALL, (const void *)fake_alloc_buffer, args, 2, &off), S_OK);
    assert_int_equal(off, 0);
    args[0] = 8;
    args[1] = (ULONG_PTR)buf;
    args[2] = (ULONG_PTR)&more;
    callconv_call(CALLCONV_STDCALL, (const void *)fake_alloc_more, args, 3, &off);
    assert_int_equal(off, 0);
    args[0] = (ULONG_PTR)buf;
    callconv_call(CALLCONV_STDCALL, (const void *)fake_free_buffer, args, 1, &off);
    assert_int_equal(off, 0);
}

#include "test_callconv.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
