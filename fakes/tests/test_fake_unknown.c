/*
 * test_fake_unknown.c: the unknown-only callback answers IID_IUnknown and
 * nothing else, and records every QueryInterface, AddRef and Release.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <synchost/mapisync.h>

#include "capture.h"
#include "fake_unknown.h"

static int setup(void **state)
{
    IUnknown *unk = NULL;

    capture_start();
    assert_int_equal(fake_unknown_create(&unk), S_OK);
    *state = unk;
    return 0;
}

static int teardown(void **state)
{
    fake_unknown_destroy(*state);
    return 0;
}

static void test_only_iunknown(void **state)
{
    IUnknown *unk = *state;
    void *p = (void *)(uintptr_t)1;

    assert_int_equal(unk->lpVtbl->QueryInterface(unk, &IID_IMAPISyncProgressCallback, &p),
                     E_NOINTERFACE);
    assert_null(p);
    assert_int_equal(unk->lpVtbl->QueryInterface(unk, &IID_IUnknown, &p), S_OK);
    assert_ptr_equal(p, unk);
    assert_int_equal(fake_unknown_refs(unk), 2);
    assert_int_equal(capture_at(0)->kind, EVENT_QI);
    assert_int_equal(capture_at(0)->hr, (uint32_t)E_NOINTERFACE);
    assert_string_equal(capture_at(1)->text,
                        "unknown-callback {00000000-0000-0000-c000-000000000046}");
    assert_int_equal(capture_at(2)->kind, EVENT_ADDREF);
    assert_string_equal(capture_at(2)->text, "unknown-callback");
    assert_int_equal(capture_at(2)->value, 2);
}

static void test_release_never_frees(void **state)
{
    IUnknown *unk = *state;

    assert_int_equal(unk->lpVtbl->Release(unk), 0);
    assert_int_equal(unk->lpVtbl->Release(unk), (ULONG)-1);
    assert_int_equal(fake_unknown_refs(unk), -1);
    assert_int_equal(capture_count_of(EVENT_RELEASE, 0), 2);
    assert_int_equal(fake_unknown_create(NULL), E_POINTER);
}

#include "test_fake_unknown.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
