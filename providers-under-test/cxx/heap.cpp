// heap.cpp: the provider's objects live on the process heap.
//
// These replace the C++ runtime's allocation functions that the provider
// uses (nothrow new, and delete), and the provider is built with
// -fno-exceptions (COM methods must not throw anyway). The reason is the
// static C++ runtime: its own nothrow new, and any exception handling, pull
// in libstdc++'s exception machinery, whose emergency pool creates a
// semaphore when the DLL loads (mingw-w64 GCC 12, win32 threads). That is a
// handle the host never gets back, which a leak check rightly counts against
// the provider.
#include <windows.h>

#include <new>

void *operator new(std::size_t size, const std::nothrow_t &) noexcept
{
    return HeapAlloc(GetProcessHeap(), 0, size != 0 ? size : 1);
}

void operator delete(void *p) noexcept
{
    if (p != nullptr) {
        HeapFree(GetProcessHeap(), 0, p);
    }
}

void operator delete(void *p, std::size_t) noexcept
{
    operator delete(p);
}
