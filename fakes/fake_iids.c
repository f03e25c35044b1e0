/* fake_iids.c: the one translation unit of the fakes that defines IIDs (see
 * fake_iids.h). */
#define USES_IID_IMAPISession
#define USES_IID_IMAPIProp
#define USES_IID_IProfSect
#define USES_IID_IMAPISup
#define SYNCHOST_DEFINE_IIDS
#include <synchost/mapisync.h>

#include <mapispi.h>

#include "fake_iids.h"
