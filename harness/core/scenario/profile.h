/*
 * profile.h: the properties the host's profile section holds for a scenario
 * (provider.profile), as the loader builds them, the script carries them and
 * the worker's fake profile section answers them (IProfSect::GetProps).
 *
 * Each property is a MAPI property tag and a value of the tag's type:
 *   PT_STRING8 / PT_UNICODE  a string, held as UTF-8; the section answers it
 *                            in whichever of the two a provider asks for
 *   PT_LONG, PT_I8           an integer (32 or 64 bits)
 *   PT_BOOLEAN               0 or 1
 *   PT_BINARY                bytes
 *
 * Portable C, no state.
 */
#ifndef SYNCHOST_PROFILE_H
#define SYNCHOST_PROFILE_H

#include <stddef.h>
#include <stdint.h>

/* The most properties in one scenario's profile, and the most bytes of one
 * value (a string's UTF-8 without its NUL, or a binary's bytes). */
#define PROFILE_MAX_PROPS 16
#define PROFILE_VALUE_MAX 512

/* The property types a profile value can have (mapidefs.h's PT_*). */
#define PROFILE_PT_LONG    0x0003u
#define PROFILE_PT_BOOLEAN 0x000Bu
#define PROFILE_PT_I8      0x0014u
#define PROFILE_PT_STRING8 0x001Eu
#define PROFILE_PT_UNICODE 0x001Fu
#define PROFILE_PT_BINARY  0x0102u

#define PROFILE_PROP_TYPE(tag) ((tag)&0xFFFFu)
#define PROFILE_PROP_ID(tag)   ((tag) >> 16)

struct profile_prop {
    uint32_t tag;    /* PROP_TAG(type, id); a string's type is PT_UNICODE or PT_STRING8 */
    uint64_t number; /* PT_LONG, PT_I8 (two's complement), PT_BOOLEAN (0 or 1) */
    uint32_t len;    /* bytes in data: a string's UTF-8, a binary's bytes */
    unsigned char data[PROFILE_VALUE_MAX];
};

/* Is type one of the types above? */
int profile_type_supported(uint32_t type);

/* Is it a string type (PT_STRING8 or PT_UNICODE)? */
int profile_type_is_string(uint32_t type);

#endif /* SYNCHOST_PROFILE_H */
