/*
 * pe_bytes.h: writing little-endian fields into crafted PE images, for the
 * tests of pe/ (test_pe.c, test_pe_dir.c).
 */
#ifndef SYNCHOST_PE_BYTES_H
#define SYNCHOST_PE_BYTES_H

#include <stdint.h>

static inline void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 0xFF);
    p[1] = (unsigned char)(v >> 8);
}

static inline void put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xFFFF);
    put16(p + 2, v >> 16);
}

#endif
