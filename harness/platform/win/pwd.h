/* pwd.h: included by code written for POSIX; on Windows what it declares is
 * in posix.h (lookups that find nothing). */
#ifndef SYNCHOST_PLATFORM_WIN_PWD_H
#define SYNCHOST_PLATFORM_WIN_PWD_H
#include "posix.h"
#endif
