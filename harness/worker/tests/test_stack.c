/*
 * test_stack.c: the stack walker on a thread that faults on purpose: the
 * walk from the exception's registers, done on another thread, names the
 * faulting function and its caller; a walk through unreadable memory ends
 * without taking the process down.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <windows.h>

#include "stack.h"

static CONTEXT fault_ctx;
static struct stack_bounds fault_bounds;
static HANDLE fault_seen;

static void __attribute__((noinline)) test_stack_fault_here(volatile int *p)
{
    *p = 42; /* NULL: faults */
}

static void __attribute__((noinline)) test_stack_caller(void)
{
    test_stack_fault_here(NULL);
    __asm__ volatile("" ::: "memory"); /* not a tail call */
}

static DWORD WINAPI faulting_thread(void *arg)
{
    (void)arg;
    test_stack_caller();
    return 0;
}

static void thread_end(void)
{
    ExitThread(0);
}

static LONG WINAPI handler(EXCEPTION_POINTERS *info)
{
    if (stack_guard_hook(info) == EXCEPTION_CONTINUE_EXECUTION) {
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    if (info->ExceptionRecord->ExceptionCode != EXCEPTION_ACCESS_VIOLATION || fault_seen == NULL ||
        WaitForSingleObject(fault_seen, 0) == WAIT_OBJECT_0) {
        return EXCEPTION_CONTINUE_SEARCH;
    }
    memcpy(&fault_ctx, info->ContextRecord, sizeof fault_ctx);
    fault_bounds = stack_bounds_current();
    SetEvent(fault_seen);
    /* The thread ends instead of retrying the write. */
    STACK_CTX_PC(info->ContextRecord) = (ULONG_PTR)thread_end;
    STACK_CTX_SP(info->ContextRecord) =
        (STACK_CTX_SP(info->ContextRecord) & ~(ULONG_PTR)15) - sizeof(void *);
    return EXCEPTION_CONTINUE_EXECUTION;
}

static void test_walk_of_faulting_thread(void **state)
{
    struct stack_frame frames[STACK_MAX_FRAMES];
    char text[STACK_DESCRIBE_MAX];
    HANDLE t;
    size_t n;

    (void)state;
    fault_seen = CreateEventW(NULL, TRUE, FALSE, NULL);
    t = CreateThread(NULL, 0, faulting_thread, NULL, 0, NULL);
    assert_non_null(t);
    assert_int_equal(WaitForSingleObject(fault_seen, 10000), WAIT_OBJECT_0);
    WaitForSingleObject(t, 10000);
    CloseHandle(t);

    n = stack_walk(&fault_ctx, fault_bounds, frames, STACK_MAX_FRAMES);
    assert_true(n >= 3);
    assert_int_equal(frames[0].pc, STACK_CTX_PC(&fault_ctx));
    stack_describe(frames[0].pc, 0, text, sizeof text);
    assert_non_null(strstr(text, "test_stack.exe+0x"));
    assert_non_null(strstr(text, "(test_stack_fault_here") /* or a GCC clone of it */);
    stack_describe(frames[1].pc, STACK_CALLER, text, sizeof text);
    assert_non_null(strstr(text, "(test_stack_caller"));
    stack_describe(frames[2].pc, STACK_CALLER, text, sizeof text);
    assert_non_null(strstr(text, "(faulting_thread"));
}

static void test_walk_through_unreadable_memory(void **state)
{
    struct stack_frame frames[STACK_MAX_FRAMES];
    struct stack_bounds b;
    CONTEXT ctx;
    char *reserved = VirtualAlloc(NULL, 1 << 16, MEM_RESERVE, PAGE_NOACCESS);

    (void)state;
    assert_non_null(reserved);
    memset(&ctx, 0, sizeof ctx);
    STACK_CTX_PC(&ctx) = (ULONG_PTR)test_stack_caller + 4;
    STACK_CTX_SP(&ctx) = (ULONG_PTR)reserved + 0x100;
    b.low = (uint64_t)(ULONG_PTR)reserved;
    b.high = b.low + (1 << 16);
    /* Reading the return address faults: the walk stops at frame 0. */
    assert_int_equal(stack_walk(&ctx, b, frames, STACK_MAX_FRAMES), 1);
    VirtualFree(reserved, 0, MEM_RELEASE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_of_faulting_thread),
        cmocka_unit_test(test_walk_through_unreadable_memory),
    };

    stack_prepare_thread();
    AddVectoredExceptionHandler(1, handler);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
