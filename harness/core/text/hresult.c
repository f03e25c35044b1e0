/*
 * hresult.c: HRESULT and SYNC_* flag names (see hresult.h).
 *
 * The MAPI codes are those of mingw-w64's mapicode.h, computed from its
 * MAKE_MAPI_E (severity 1, FACILITY_ITF 4) and MAKE_MAPI_S (severity 0)
 * macros. Five MAPI names are #defined there as the generic COM codes
 * (MAPI_E_CALL_FAILED is E_FAIL, ...): they are accepted when parsing, and
 * the generic name is the one printed, because the table lists it first.
 */
#include "text/hresult.h"

#include "text/nearest.h"

#include <stdio.h>
#include <string.h>

struct named_value {
    const char *name;
    uint32_t value;
};

/* Searched in order: for a value with several names, the first is printed. */
static const struct named_value hresults[] = {
    {"S_OK", 0x00000000u},
    {"S_FALSE", 0x00000001u},
    {"E_NOTIMPL", 0x80004001u},
    {"E_NOINTERFACE", 0x80004002u},
    {"E_POINTER", 0x80004003u},
    {"E_ABORT", 0x80004004u},
    {"E_FAIL", 0x80004005u},
    {"E_UNEXPECTED", 0x8000FFFFu},
    {"E_PENDING", 0x8000000Au},
    {"E_ACCESSDENIED", 0x80070005u},
    {"E_HANDLE", 0x80070006u},
    {"E_OUTOFMEMORY", 0x8007000Eu},
    {"E_INVALIDARG", 0x80070057u},
    /* mapicode.h, in its order. */
    {"MAPI_E_CALL_FAILED", 0x80004005u},             /* = E_FAIL */
    {"MAPI_E_NOT_ENOUGH_MEMORY", 0x8007000Eu},       /* = E_OUTOFMEMORY */
    {"MAPI_E_INVALID_PARAMETER", 0x80070057u},       /* = E_INVALIDARG */
    {"MAPI_E_INTERFACE_NOT_SUPPORTED", 0x80004002u}, /* = E_NOINTERFACE */
    {"MAPI_E_NO_ACCESS", 0x80070005u},               /* = E_ACCESSDENIED */
    {"MAPI_E_NO_SUPPORT", 0x80040102u},
    {"MAPI_E_BAD_CHARWIDTH", 0x80040103u},
    {"MAPI_E_STRING_TOO_LONG", 0x80040105u},
    {"MAPI_E_UNKNOWN_FLAGS", 0x80040106u},
    {"MAPI_E_INVALID_ENTRYID", 0x80040107u},
    {"MAPI_E_INVALID_OBJECT", 0x80040108u},
    {"MAPI_E_OBJECT_CHANGED", 0x80040109u},
    {"MAPI_E_OBJECT_DELETED", 0x8004010Au},
    {"MAPI_E_BUSY", 0x8004010Bu},
    {"MAPI_E_NOT_ENOUGH_DISK", 0x8004010Du},
    {"MAPI_E_NOT_ENOUGH_RESOURCES", 0x8004010Eu},
    {"MAPI_E_NOT_FOUND", 0x8004010Fu},
    {"MAPI_E_VERSION", 0x80040110u},
    {"MAPI_E_LOGON_FAILED", 0x80040111u},
    {"MAPI_E_SESSION_LIMIT", 0x80040112u},
    {"MAPI_E_USER_CANCEL", 0x80040113u},
    {"MAPI_E_UNABLE_TO_ABORT", 0x80040114u},
    {"MAPI_E_NETWORK_ERROR", 0x80040115u},
    {"MAPI_E_DISK_ERROR", 0x80040116u},
    {"MAPI_E_TOO_COMPLEX", 0x80040117u},
    {"MAPI_E_BAD_COLUMN", 0x80040118u},
    {"MAPI_E_EXTENDED_ERROR", 0x80040119u},
    {"MAPI_E_COMPUTED", 0x8004011Au},
    {"MAPI_E_CORRUPT_DATA", 0x8004011Bu},
    {"MAPI_E_UNCONFIGURED", 0x8004011Cu},
    {"MAPI_E_FAILONEPROVIDER", 0x8004011Du},
    {"MAPI_E_UNKNOWN_CPID", 0x8004011Eu},
    {"MAPI_E_UNKNOWN_LCID", 0x8004011Fu},
    {"MAPI_E_PASSWORD_CHANGE_REQUIRED", 0x80040120u},
    {"MAPI_E_PASSWORD_EXPIRED", 0x80040121u},
    {"MAPI_E_INVALID_WORKSTATION_ACCOUNT", 0x80040122u},
    {"MAPI_E_INVALID_ACCESS_TIME", 0x80040123u},
    {"MAPI_E_ACCOUNT_DISABLED", 0x80040124u},
    {"MAPI_E_END_OF_SESSION", 0x80040200u},
    {"MAPI_E_UNKNOWN_ENTRYID", 0x80040201u},
    {"MAPI_E_MISSING_REQUIRED_COLUMN", 0x80040202u},
    {"MAPI_W_NO_SERVICE", 0x00040203u},
    {"MAPI_E_BAD_VALUE", 0x80040301u},
    {"MAPI_E_INVALID_TYPE", 0x80040302u},
    {"MAPI_E_TYPE_NO_SUPPORT", 0x80040303u},
    {"MAPI_E_UNEXPECTED_TYPE", 0x80040304u},
    {"MAPI_E_TOO_BIG", 0x80040305u},
    {"MAPI_E_DECLINE_COPY", 0x80040306u},
    {"MAPI_E_UNEXPECTED_ID", 0x80040307u},
    {"MAPI_W_ERRORS_RETURNED", 0x00040380u},
    {"MAPI_E_UNABLE_TO_COMPLETE", 0x80040400u},
    {"MAPI_E_TIMEOUT", 0x80040401u},
    {"MAPI_E_TABLE_EMPTY", 0x80040402u},
    {"MAPI_E_TABLE_TOO_BIG", 0x80040403u},
    {"MAPI_E_INVALID_BOOKMARK", 0x80040405u},
    {"MAPI_W_POSITION_CHANGED", 0x00040481u},
    {"MAPI_W_APPROX_COUNT", 0x00040482u},
    {"MAPI_E_WAIT", 0x80040500u},
    {"MAPI_E_CANCEL", 0x80040501u},
    {"MAPI_E_NOT_ME", 0x80040502u},
    {"MAPI_W_CANCEL_MESSAGE", 0x00040580u},
    {"MAPI_E_CORRUPT_STORE", 0x80040600u},
    {"MAPI_E_NOT_IN_QUEUE", 0x80040601u},
    {"MAPI_E_NO_SUPPRESS", 0x80040602u},
    {"MAPI_E_COLLISION", 0x80040604u},
    {"MAPI_E_NOT_INITIALIZED", 0x80040605u},
    {"MAPI_E_NON_STANDARD", 0x80040606u},
    {"MAPI_E_NO_RECIPIENTS", 0x80040607u},
    {"MAPI_E_SUBMITTED", 0x80040608u},
    {"MAPI_E_HAS_FOLDERS", 0x80040609u},
    {"MAPI_E_HAS_MESSAGES", 0x8004060Au},
    {"MAPI_E_FOLDER_CYCLE", 0x8004060Bu},
    {"MAPI_W_PARTIAL_COMPLETION", 0x00040680u},
    {"MAPI_E_AMBIGUOUS_RECIP", 0x80040700u},
    /* mapicode.h's name for 0, accepted when parsing. */
    {"SUCCESS_SUCCESS", 0x00000000u},
};

/* MAPISIB ulFlags (mapisync.h). SYNC_HEADERS is accepted as another name
 * of SYNC_GLOBAL_HEADERS; the table order makes the latter the printed one. */
static const struct named_value sync_flags[] = {
    {"SYNC_UPLOAD_HIERARCHY", 0x00000001u}, {"SYNC_DOWNLOAD_HIERARCHY", 0x00000002u},
    {"SYNC_UPLOAD_CONTENTS", 0x00000040u},  {"SYNC_DOWNLOAD_CONTENTS", 0x00000080u},
    {"SYNC_OUTGOING_MAIL", 0x00000200u},    {"SYNC_BACKGROUND", 0x00001000u},
    {"SYNC_THESE_FOLDERS", 0x00020000u},    {"SYNC_GLOBAL_HEADERS", 0x02000000u},
    {"SYNC_HEADERS", 0x02000000u},          {"SYNC_ON_DEMAND", 0x20000000u},
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct named_value *find_name(const struct named_value *table, size_t count,
                                           const char *s, size_t len)
{
    for (size_t i = 0; i < count; i++) {
        if (strlen(table[i].name) == len && memcmp(table[i].name, s, len) == 0) {
            return &table[i];
        }
    }
    return NULL;
}

/* Parses "0x..." hex or decimal digits, nothing else (no sign, no spaces),
 * into 32 bits. */
static int parse_u32(const char *s, size_t len, uint32_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    unsigned base = 10;

    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (i == len) {
        return -1;
    }
    for (; i < len; i++) {
        unsigned d;
        char c = s[i];
        if (c >= '0' && c <= '9') {
            d = (unsigned)(c - '0');
        } else if (base == 16 && c >= 'a' && c <= 'f') {
            d = (unsigned)(c - 'a' + 10);
        } else if (base == 16 && c >= 'A' && c <= 'F') {
            d = (unsigned)(c - 'A' + 10);
        } else {
            return -1;
        }
        v = v * base + d;
        if (v > 0xFFFFFFFFu) {
            return -1;
        }
    }
    *out = (uint32_t)v;
    return 0;
}

const char *hresult_name(uint32_t hr)
{
    for (size_t i = 0; i < COUNT_OF(hresults); i++) {
        if (hresults[i].value == hr) {
            return hresults[i].name;
        }
    }
    return NULL;
}

const char *hresult_format(uint32_t hr, char *buf, size_t cap)
{
    const char *name = hresult_name(hr);

    if (name != NULL) {
        if (cap > 0) {
            snprintf(buf, cap, "%s", name);
        }
        return name;
    }
    if (cap > 0) {
        snprintf(buf, cap, "0x%08X", (unsigned)hr);
    }
    return buf;
}

const char *hresult_describe(uint32_t hr, char *buf, size_t cap)
{
    const char *name = hresult_name(hr);

    if (cap == 0) {
        return buf;
    }
    if (name != NULL) {
        snprintf(buf, cap, "%s (0x%08X)", name, (unsigned)hr);
    } else {
        snprintf(buf, cap, "0x%08X", (unsigned)hr);
    }
    return buf;
}

int hresult_parse(const char *s, size_t len, uint32_t *out)
{
    const struct named_value *nv = find_name(hresults, COUNT_OF(hresults), s, len);

    if (nv != NULL) {
        *out = nv->value;
        return 0;
    }
    return parse_u32(s, len, out);
}

int sync_flag_parse(const char *s, size_t len, uint32_t *out)
{
    const struct named_value *nv = find_name(sync_flags, COUNT_OF(sync_flags), s, len);

    if (nv == NULL) {
        return -1;
    }
    *out = nv->value;
    return 0;
}

/* Appends to buf at *len, keeping it NUL-terminated; stops adding once cap
 * is reached (the result is then a truncated prefix). */
static void append(char *buf, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s);

    if (*len + 1 >= cap) {
        return;
    }
    if (n > cap - 1 - *len) {
        n = cap - 1 - *len;
    }
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
}

const char *sync_flags_format(uint32_t flags, char *buf, size_t cap)
{
    uint32_t rest = flags;
    size_t len = 0;

    if (cap == 0) {
        return buf;
    }
    buf[0] = '\0';
    if (flags == 0) {
        append(buf, cap, &len, "0");
        return buf;
    }
    for (size_t i = 0; i < COUNT_OF(sync_flags); i++) {
        if ((rest & sync_flags[i].value) != 0) {
            if (len > 0) {
                append(buf, cap, &len, "|");
            }
            append(buf, cap, &len, sync_flags[i].name);
            rest &= ~sync_flags[i].value;
        }
    }
    if (rest != 0) {
        char hex[16];
        snprintf(hex, sizeof hex, "0x%X", (unsigned)rest);
        if (len > 0) {
            append(buf, cap, &len, "|");
        }
        append(buf, cap, &len, hex);
    }
    return buf;
}

/* The nearest name of table to s, near enough (nearest.h), or NULL. */
static const char *nearest_in(const struct named_value *table, size_t count, const char *s,
                              size_t len)
{
    const char *best = NULL;

    for (size_t i = 0; i < count; i++) {
        const char *one[2] = {best, table[i].name};
        best = nearest_name(s, len, one, 2);
    }
    return best;
}

const char *hresult_nearest(const char *s, size_t len)
{
    return nearest_in(hresults, COUNT_OF(hresults), s, len);
}

const char *sync_flag_nearest(const char *s, size_t len)
{
    return nearest_in(sync_flags, COUNT_OF(sync_flags), s, len);
}
