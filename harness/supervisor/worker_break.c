/*
 * worker_break.c: a worker's stream found broken or its memory damaged
 * (worker_proc.h). Apart from worker_proc.c, so that the runner's tests,
 * which bring a worker of their own, run these as they are.
 */
#include <stdarg.h>
#include <stdio.h>

#include "worker_proc.h"

void worker_proc_break(struct worker_proc *w, const char *fmt, ...)
{
    char why[320];
    va_list ap;

    if (w->broken) {
        return;
    }
    w->broken = 1;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    w->ops->on_broken(w, why);
}

void worker_proc_damaged(struct worker_proc *w, const char *why)
{
    if (w->broken) {
        return;
    }
    w->damaged = 1;
    worker_proc_break(w, "%s: something other than the host changed its memory", why);
    worker_proc_kill(w);
}
