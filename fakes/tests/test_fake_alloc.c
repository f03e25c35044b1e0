/*
 * test_fake_alloc.c: MAPI buffers chain and free as MAPI does, are counted
 * and recorded, and bad frees are recorded and ignored; the IMalloc works and
 * refuses foreign pointers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capture.h"
#include "fake_alloc.h"
#include "fake_iids.h"

#include <mapicode.h>

static int setup(void **state)
{
    (void)state;
    capture_start();
    fake_alloc_fail_from(0);
    return 0;
}

static void test_allocate_and_free(void **state)
{
    LONG before = fake_alloc_outstanding();
    const struct event *ev;
    void *p = NULL;

    (void)state;
    assert_int_equal(fake_alloc_buffer(100, &p), S_OK);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % (2 * sizeof(void *)), 0);
    memset(p, 0xab, 100);
    assert_int_equal(fake_alloc_outstanding(), before + 1);

    ev = capture_at(0);
    assert_int_equal(ev->kind, EVENT_ALLOC);
    assert_int_equal(ev->value, 100);
    assert_int_equal(ev->handle, (uintptr_t)p);
    assert_int_equal(ev->hr, S_OK);
    /* The caller's site: this test's code. */
    assert_true(strncmp(ev->text, "MAPIAllocateBuffer from test_fake_alloc.exe+0x", 46) == 0);
    assert_int_equal(ev->index, 1);

    assert_int_equal(fake_free_buffer(p), S_OK);
    assert_int_equal(fake_alloc_outstanding(), before);
    ev = capture_at(1);
    assert_int_equal(ev->kind, EVENT_FREE);
    assert_int_equal(ev->handle, (uintptr_t)p);
    assert_int_equal(ev->value, 1);
    assert_int_equal(ev->hr, S_OK);
    assert_null(ev->text);
}

static void test_allocate_more_chain_freed_with_root(void **state)
{
    LONG before = fake_alloc_outstanding();
    void *root = NULL, *a = NULL, *b = NULL, *c = NULL;
    const struct event *ev;

    (void)state;
    assert_int_equal(fake_alloc_buffer(16, &root), S_OK);
    assert_int_equal(fake_alloc_more(32, root, &a), S_OK);
    assert_int_equal(fake_alloc_more(0, root, &b), S_OK);
    /* A child as the parent: joins the same root. */
    assert_int_equal(fake_alloc_more(8, a, &c), S_OK);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_true(a != b && b != c && a != c);
    memset(a, 1, 32);
    memset(c, 2, 8);
    /* Children are not outstanding roots. */
    assert_int_equal(fake_alloc_outstanding(), before + 1);
    ev = capture_at(1);
    assert_int_equal(ev->kind, EVENT_ALLOC);
    assert_true(strncmp(ev->text, "MAPIAllocateMore from test_fake_alloc.exe+0x", 44) == 0);
    assert_int_equal(ev->value, 32);
    assert_int_equal(ev->handle, (uintptr_t)a);

    assert_int_equal(fake_free_buffer(root), S_OK);
    assert_int_equal(fake_alloc_outstanding(), before);
    ev = capture_at(4);
    assert_int_equal(ev->kind, EVENT_FREE);
    assert_int_equal(ev->value, 4); /* the root and its three children */

    /* The children went with the root: freeing one now is unknown. */
    assert_int_equal(fake_free_buffer(a), (ULONG)MAPI_E_INVALID_PARAMETER);
    ev = capture_at(5);
    assert_string_equal(ev->text, "MAPIFreeBuffer: unknown buffer");
}

static void test_unknown_and_double_free_recorded(void **state)
{
    LONG before = fake_alloc_outstanding();
    int on_stack = 0;
    void *p = NULL;
    const struct event *ev;

    (void)state;
    assert_int_equal(fake_free_buffer((void *)(uintptr_t)0x12345678),
                     (ULONG)MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fake_free_buffer(&on_stack), (ULONG)MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fake_alloc_buffer(8, &p), S_OK);
    assert_int_equal(fake_free_buffer(p), S_OK);
    assert_int_equal(fake_free_buffer(p), (ULONG)MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fake_alloc_outstanding(), before);

    ev = capture_at(0);
    assert_int_equal(ev->kind, EVENT_FREE);
    assert_int_equal(ev->handle, 0x12345678);
    assert_int_equal(ev->hr, (uint32_t)MAPI_E_INVALID_PARAMETER);
    assert_string_equal(ev->text, "MAPIFreeBuffer: unknown buffer");
    ev = capture_at(1);
    assert_string_equal(ev->text, "MAPIFreeBuffer: unknown buffer");
    ev = capture_at(4);
    assert_int_equal(ev->handle, (uintptr_t)p);
    assert_string_equal(ev->text, "MAPIFreeBuffer: unknown buffer");
}

static void test_free_of_child_is_refused(void **state)
{
    LONG before = fake_alloc_outstanding();
    void *root = NULL, *child = NULL;

    (void)state;
    assert_int_equal(fake_alloc_buffer(8, &root), S_OK);
    assert_int_equal(fake_alloc_more(8, root, &child), S_OK);
    assert_int_equal(fake_free_buffer(child), (ULONG)MAPI_E_INVALID_PARAMETER);
    assert_string_equal(capture_at(2)->text, "MAPIFreeBuffer: not a root buffer");
    memset(child, 0, 8); /* still alive */
    assert_int_equal(fake_free_buffer(root), S_OK);
    assert_int_equal(capture_at(3)->value, 2);
    assert_int_equal(fake_alloc_outstanding(), before);
}

static void test_bad_arguments(void **state)
{
    void *p = (void *)(uintptr_t)1;
    int on_stack;

    (void)state;
    assert_int_equal(fake_alloc_buffer(8, NULL), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fake_alloc_more(8, &on_stack, &p), MAPI_E_INVALID_PARAMETER);
    assert_null(p);
    assert_string_equal(capture_at(1)->text, "MAPIAllocateMore: unknown parent");
    assert_int_equal(fake_alloc_more(8, NULL, &p), MAPI_E_INVALID_PARAMETER);
    assert_int_equal(fake_free_buffer(NULL), S_OK);
    assert_int_equal(capture_at(3)->kind, EVENT_FREE);
    assert_int_equal(capture_at(3)->hr, S_OK);
}

static void test_scripted_failure(void **state)
{
    void *a = NULL, *b = (void *)(uintptr_t)1, *c = NULL;

    (void)state;
    fake_alloc_fail_from(2);
    assert_int_equal(fake_alloc_buffer(8, &a), S_OK);
    assert_int_equal(fake_alloc_more(8, a, &b), MAPI_E_NOT_ENOUGH_MEMORY);
    assert_null(b);
    assert_int_equal(capture_at(1)->hr, (uint32_t)MAPI_E_NOT_ENOUGH_MEMORY);
    assert_int_equal(capture_at(1)->handle, 0);
    fake_alloc_fail_from(0);
    assert_int_equal(fake_alloc_buffer(8, &c), S_OK);
    fake_free_buffer(c);
    fake_free_buffer(a);
}

static void test_many_buffers(void **state)
{
    enum { N = 20000 };
    static void *p[N];
    LONG before = fake_alloc_outstanding();

    (void)state;
    for (int i = 0; i < N; i++) {
        assert_int_equal(fake_alloc_buffer((ULONG)(i % 64), &p[i]), S_OK);
        if (i % 3 == 0) {
            void *child;
            assert_int_equal(fake_alloc_more(4, p[i], &child), S_OK);
        }
    }
    assert_int_equal(fake_alloc_outstanding(), before + N);
    /* Free in an order unlike the allocation order, through the tombstones. */
    for (int i = 0; i < N; i += 2) {
        assert_int_equal(fake_free_buffer(p[i]), S_OK);
    }
    for (int i = 1; i < N; i += 2) {
        assert_int_equal(fake_free_buffer(p[i]), S_OK);
    }
    assert_int_equal(fake_alloc_outstanding(), before);
}

static void test_imalloc(void **state)
{
    IMalloc *m = fake_malloc_get();
    LONG before = fake_malloc_outstanding();
    int on_stack = 0;
    void *p, *q, *unk = (void *)(uintptr_t)1;

    (void)state;
    assert_non_null(m);
    assert_ptr_equal(fake_malloc_get(), m);
    p = m->lpVtbl->Alloc(m, 40);
    assert_non_null(p);
    memset(p, 7, 40);
    assert_int_equal(fake_malloc_outstanding(), before + 1);
    assert_true(m->lpVtbl->GetSize(m, p) >= 40);
    assert_int_equal(m->lpVtbl->DidAlloc(m, p), 1);
    assert_int_equal(m->lpVtbl->DidAlloc(m, &on_stack), 0);
    assert_int_equal(m->lpVtbl->GetSize(m, &on_stack), (SIZE_T)-1);
    q = m->lpVtbl->Realloc(m, p, 4000);
    assert_non_null(q);
    assert_int_equal(((unsigned char *)q)[39], 7);
    assert_null(m->lpVtbl->Realloc(m, &on_stack, 10));
    m->lpVtbl->Free(m, &on_stack); /* ignored */
    m->lpVtbl->Free(m, NULL);
    assert_int_equal(fake_malloc_outstanding(), before + 1);
    assert_null(m->lpVtbl->Realloc(m, q, 0)); /* frees */
    assert_int_equal(fake_malloc_outstanding(), before);
    m->lpVtbl->HeapMinimize(m);

    assert_int_equal(m->lpVtbl->QueryInterface(m, &IID_IMalloc, &unk), S_OK);
    assert_ptr_equal(unk, m);
    assert_int_equal(m->lpVtbl->QueryInterface(m, &IID_IMAPISync, &unk), E_NOINTERFACE);
    assert_null(unk);
    assert_int_equal(fake_malloc_refs(), 2);
    assert_int_equal(m->lpVtbl->Release(m), 1);

    /* Every call is recorded: 10 method calls (HeapMinimize is not), then QI
     * and refcounts. */
    assert_int_equal(capture_count(), 14);
    assert_int_equal(capture_at(0)->kind, EVENT_SUPPORT_CALL);
    assert_string_equal(capture_at(0)->text, "malloc Alloc cb=40");
    assert_int_equal(capture_at(0)->handle, (uintptr_t)p);
    assert_int_equal(capture_at(0)->value, 40);
    assert_int_equal(capture_at(6)->hr, (uint32_t)E_INVALIDARG); /* Realloc of a foreign block */
    assert_string_equal(capture_at(7)->text, "malloc Free unknown block");
    assert_int_equal(capture_at(7)->hr, (uint32_t)E_INVALIDARG);
    assert_int_equal(capture_at(8)->hr, S_OK); /* Free(NULL) */
    assert_int_equal(capture_at(10)->kind, EVENT_QI);
    assert_string_equal(capture_at(10)->text, "malloc {00000002-0000-0000-c000-000000000046}");
    assert_int_equal(capture_at(11)->kind, EVENT_ADDREF);
    assert_string_equal(capture_at(11)->text, "malloc");
    assert_int_equal(capture_at(12)->hr, (uint32_t)E_NOINTERFACE);
    assert_int_equal(capture_at(13)->kind, EVENT_RELEASE);
    assert_int_equal(capture_at(13)->value, 1);
}

struct churn {
    HANDLE go;
    int ok;
};

static DWORD WINAPI churn_main(void *arg)
{
    struct churn *c = arg;

    WaitForSingleObject(c->go, INFINITE);
    c->ok = 1;
    for (int i = 0; i < 2000; i++) {
        void *root = NULL, *child = NULL;
        if (fake_alloc_buffer(24, &root) != S_OK || fake_alloc_more(8, root, &child) != S_OK) {
            c->ok = 0;
        }
        memset(root, i, 24);
        memset(child, i, 8);
        if (fake_free_buffer(root) != S_OK) {
            c->ok = 0;
        }
    }
    return 0;
}

static void test_threads_churn(void **state)
{
    enum { T = 4 };
    struct churn c[T];
    HANDLE th[T];
    HANDLE go = CreateEventW(NULL, TRUE, FALSE, NULL);
    LONG before = fake_alloc_outstanding();

    (void)state;
    for (int i = 0; i < T; i++) {
        c[i].go = go;
        c[i].ok = 0;
        th[i] = CreateThread(NULL, 0, churn_main, &c[i], 0, NULL);
        assert_non_null(th[i]);
    }
    SetEvent(go);
    assert_int_equal(WaitForMultipleObjects(T, th, TRUE, 30000), WAIT_OBJECT_0);
    for (int i = 0; i < T; i++) {
        CloseHandle(th[i]);
        assert_true(c[i].ok);
    }
    CloseHandle(go);
    assert_int_equal(fake_alloc_outstanding(), before);
    assert_int_equal(capture_count_of(EVENT_ALLOC, 0), T * 2000 * 2);
    assert_int_equal(capture_count_of(EVENT_FREE, 0), T * 2000);
}

#include "test_fake_alloc.tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {TEST_LIST};

    return cmocka_run_group_tests(tests, NULL, NULL);
}
