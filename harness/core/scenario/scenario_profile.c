/*
 * scenario_profile.c: provider.profile, the properties the host's profile
 * section answers at Logon (scenario_load.h; the values are profile.h's):
 *
 *   provider:
 *     profile:
 *       PR_DISPLAY_NAME: "Test store"          # a string
 *       PR_RESOURCE_FLAGS: 0x40                # an integer (PT_LONG)
 *       PR_DEFAULT_STORE: true                 # a boolean
 *       PR_PROVIDER_UID: "0123456789abcdef0123456789abcdef"   # binary, hex
 *       0x6600001F: "by number"                # a tag with its type
 *
 * A tag is a name from the table below or a 32-bit number whose low 16 bits
 * are its type; the type decides how the value is read. The same property
 * (by ID) twice is an error.
 */
#include "scenario/scenario_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/profile.h"
#include "text/number.h"

#define TSTRING PROFILE_PT_UNICODE

/* Profile properties a store provider reads at Logon (mapitags.h). */
static const struct {
    const char *name;
    uint32_t tag;
} tag_names[] = {
    {"PR_DISPLAY_NAME", 0x30010000u | TSTRING},
    {"PR_COMMENT", 0x30040000u | TSTRING},
    {"PR_PROVIDER_DISPLAY", 0x30060000u | TSTRING},
    {"PR_RESOURCE_FLAGS", 0x30090000u | PROFILE_PT_LONG},
    {"PR_PROVIDER_DLL_NAME", 0x300A0000u | TSTRING},
    {"PR_SEARCH_KEY", 0x300B0000u | PROFILE_PT_BINARY},
    {"PR_PROVIDER_UID", 0x300C0000u | PROFILE_PT_BINARY},
    {"PR_PROVIDER_ORDINAL", 0x300D0000u | PROFILE_PT_LONG},
    {"PR_DEFAULT_STORE", 0x34000000u | PROFILE_PT_BOOLEAN},
    {"PR_STORE_SUPPORT_MASK", 0x340D0000u | PROFILE_PT_LONG},
    {"PR_MDB_PROVIDER", 0x34140000u | PROFILE_PT_BINARY},
    {"PR_ENTRYID", 0x0FFF0000u | PROFILE_PT_BINARY},
    {"PR_RECORD_KEY", 0x0FF90000u | PROFILE_PT_BINARY},
    {"PR_STORE_ENTRYID", 0x0FFB0000u | PROFILE_PT_BINARY},
    {"PR_STORE_RECORD_KEY", 0x0FFA0000u | PROFILE_PT_BINARY},
    {"PR_SERVICE_NAME", 0x3D090000u | TSTRING},
    {"PR_SERVICE_DLL_NAME", 0x3D0A0000u | TSTRING},
    {"PR_SERVICE_UID", 0x3D0C0000u | PROFILE_PT_BINARY},
    {"PR_PROFILE_NAME", 0x3D120000u | TSTRING},
    {"PR_IDENTITY_DISPLAY", 0x3E000000u | TSTRING},
    {"PR_IDENTITY_ENTRYID", 0x3E010000u | PROFILE_PT_BINARY},
    {"PR_RESOURCE_TYPE", 0x3E030000u | PROFILE_PT_LONG},
    {"PR_EMAIL_ADDRESS", 0x30030000u | TSTRING},
    {"PR_ADDRTYPE", 0x30020000u | TSTRING},
};

static int tag_from_name(const unsigned char *s, size_t len, uint32_t *out)
{
    for (size_t i = 0; i < SCENARIO_COUNT_OF(tag_names); i++) {
        if (strlen(tag_names[i].name) == len && memcmp(tag_names[i].name, s, len) == 0) {
            *out = tag_names[i].tag;
            return 0;
        }
    }
    return -1;
}

static int get_tag(struct loader *ld, yaml_node_t *k, uint32_t *tag)
{
    char what[YAMLDOC_DESCRIBE_BUF];
    const unsigned char *s = k->data.scalar.value;
    size_t len = k->data.scalar.length;

    if (tag_from_name(s, len, tag) == 0) {
        return 0;
    }
    if (yamldoc_parse_u32(s, len, 1, tag) != 0) {
        return yamldoc_fail(&ld->yd, k,
                            "provider.profile: unknown property %s; write a PR_* name "
                            "(PR_DISPLAY_NAME, PR_PROVIDER_UID, ... docs/faults.md lists them) "
                            "or the 32-bit tag with its type (0x3001001F)",
                            yamldoc_describe(k, what, sizeof what));
    }
    if (!profile_type_supported(PROFILE_PROP_TYPE(*tag))) {
        return yamldoc_fail(&ld->yd, k,
                            "provider.profile: tag %s has type 0x%04lX; a profile value is a "
                            "string (0x001E, 0x001F), an integer (0x0003, 0x0014), a boolean "
                            "(0x000B) or binary (0x0102)",
                            yamldoc_describe(k, what, sizeof what),
                            (unsigned long)PROFILE_PROP_TYPE(*tag));
    }
    return 0;
}

static int get_binary(struct loader *ld, yaml_node_t *v, struct profile_prop *p)
{
    char what[YAMLDOC_DESCRIBE_BUF];
    const unsigned char *s = v->data.scalar.value;
    size_t len = v->data.scalar.length;

    if (len % 2 != 0 || len / 2 > PROFILE_VALUE_MAX) {
        return yamldoc_fail(&ld->yd, v,
                            "provider.profile: a binary value is an even number of hex digits, "
                            "at most %d bytes; got %s",
                            PROFILE_VALUE_MAX, yamldoc_describe(v, what, sizeof what));
    }
    for (size_t i = 0; i < len; i += 2) {
        int hi = text_hex_digit(s[i]), lo = text_hex_digit(s[i + 1]);
        if (hi < 0 || lo < 0) {
            return yamldoc_fail(&ld->yd, v,
                                "provider.profile: a binary value is written in hex digits "
                                "(\"0a1b2c\"); got %s",
                                yamldoc_describe(v, what, sizeof what));
        }
        p->data[i / 2] = (unsigned char)(hi * 16 + lo);
    }
    p->len = (uint32_t)(len / 2);
    return 0;
}

/* An integer of the type's width, signed or not, decimal or 0x-hex. */
static int get_integer(struct loader *ld, yaml_node_t *v, struct profile_prop *p)
{
    char buf[32], *end;
    int wide = PROFILE_PROP_TYPE(p->tag) == PROFILE_PT_I8;
    size_t len = v->data.scalar.length;
    int neg;

    if (len == 0 || len >= sizeof buf || v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        goto bad;
    }
    memcpy(buf, v->data.scalar.value, len);
    buf[len] = '\0';
    neg = buf[0] == '-';
    errno = 0;
    if (neg) {
        long long n = strtoll(buf, &end, 0);
        if (*end != '\0' || errno != 0 || (!wide && n < -2147483648LL)) {
            goto bad;
        }
        p->number = (uint64_t)n;
    } else {
        unsigned long long n = strtoull(buf, &end, 0);
        if (*end != '\0' || errno != 0 || buf[0] == '+' || (!wide && n > 0xFFFFFFFFull)) {
            goto bad;
        }
        p->number = (uint64_t)n;
    }
    return 0;
bad:
    return yamldoc_fail_got(
        &ld->yd, v,
        "provider.profile: expected a %s-bit integer (decimal or 0x-hex) for tag 0x%08lX",
        wide ? "64" : "32", (unsigned long)p->tag);
}

static int get_value(struct loader *ld, yaml_node_t *v, struct profile_prop *p)
{
    uint32_t type = PROFILE_PROP_TYPE(p->tag);

    if (v->type != YAML_SCALAR_NODE || yamldoc_is_null(v)) {
        return yamldoc_fail_got(&ld->yd, v, "provider.profile: expected a value for tag 0x%08lX",
                                (unsigned long)p->tag);
    }
    if (profile_type_is_string(type)) {
        if (v->data.scalar.length >= PROFILE_VALUE_MAX) {
            return yamldoc_fail(&ld->yd, v, "provider.profile: a string is at most %d bytes",
                                PROFILE_VALUE_MAX - 1);
        }
        p->len = (uint32_t)v->data.scalar.length;
        memcpy(p->data, v->data.scalar.value, p->len);
        return 0;
    }
    if (type == PROFILE_PT_BOOLEAN) {
        if (yamldoc_is_key(v, "true") || yamldoc_is_key(v, "false")) {
            p->number = yamldoc_is_key(v, "true");
            return 0;
        }
        return yamldoc_fail_got(&ld->yd, v, "provider.profile: expected true or false");
    }
    if (type == PROFILE_PT_BINARY) {
        return get_binary(ld, v, p);
    }
    return get_integer(ld, v, p);
}

int scenario_on_provider_profile(struct loader *ld, struct scenario *sc, yaml_node_t *v)
{
    yaml_node_pair_t *pairs;
    size_t n;

    if (v->type != YAML_MAPPING_NODE) {
        return yamldoc_fail_got(
            &ld->yd, v,
            "provider.profile: expected a mapping of properties (PR_DISPLAY_NAME: \"Test store\")");
    }
    pairs = v->data.mapping.pairs.start;
    n = (size_t)(v->data.mapping.pairs.top - pairs);
    if (n > PROFILE_MAX_PROPS) {
        return yamldoc_fail(&ld->yd, v, "provider.profile: at most %d properties, got %lu",
                            PROFILE_MAX_PROPS, (unsigned long)n);
    }
    free(sc->profile);
    sc->profile_count = 0;
    sc->profile = calloc(n > 0 ? n : 1, sizeof *sc->profile);
    if (sc->profile == NULL) {
        return yamldoc_fail(&ld->yd, v, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *k = yamldoc_node(&ld->yd, pairs[i].key);
        yaml_node_t *val = yamldoc_node(&ld->yd, pairs[i].value);
        struct profile_prop *p = &sc->profile[i];

        if (k == NULL || val == NULL) {
            return yamldoc_fail_at(&ld->yd, 0, 0, "internal error: a YAML node is missing");
        }
        if (k->type != YAML_SCALAR_NODE) {
            return yamldoc_fail_got(&ld->yd, k, "provider.profile: keys are property tags");
        }
        if (get_tag(ld, k, &p->tag) != 0) {
            return -1;
        }
        for (size_t j = 0; j < i; j++) {
            if (PROFILE_PROP_ID(sc->profile[j].tag) == PROFILE_PROP_ID(p->tag)) {
                return yamldoc_fail(&ld->yd, k, "provider.profile: property 0x%04lX is given twice",
                                    (unsigned long)PROFILE_PROP_ID(p->tag));
            }
        }
        if (get_value(ld, val, p) != 0) {
            return -1;
        }
        sc->profile_count = i + 1;
    }
    return 0;
}
