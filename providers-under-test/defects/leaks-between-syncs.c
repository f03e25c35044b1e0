/*
 * Defect: from its third sync in the process on, the sync calls Done twice
 * (state left over from earlier syncs). A fresh process per sync never shows
 * it; a pooled worker, as Outlook's long-lived process, does, and its
 * failing scenario passes when run again alone.
 * Breaks done-called-once, in the pool only. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .done_twice_from_sync = 3,
};
