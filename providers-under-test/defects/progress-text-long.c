/*
 * Defect at the pedantic level only: step 2's Progress text is 2000 UTF-16
 * code units long, terminated and well-formed. Legal, but longer than the
 * 1024 units synchost records, a bound Microsoft does not document.
 * Breaks callback-text-length. The engine is otherwise correct.
 */
#include "behaviour.h"

const struct provider_behaviour provider_behaviour = {
    .progress_text_units = 2000,
};
