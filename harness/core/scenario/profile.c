/* profile.c: profile property types (profile.h). */
#include "scenario/profile.h"

int profile_type_is_string(uint32_t type)
{
    return type == PROFILE_PT_STRING8 || type == PROFILE_PT_UNICODE;
}

int profile_type_supported(uint32_t type)
{
    return type == PROFILE_PT_LONG || type == PROFILE_PT_BOOLEAN || type == PROFILE_PT_I8 ||
           type == PROFILE_PT_BINARY || profile_type_is_string(type);
}
