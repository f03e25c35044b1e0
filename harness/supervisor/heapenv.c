/* heapenv.c: the environment of a worker under --heap-check (see heapenv.h). */
#include "heapenv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

#define WINEDEBUG_HEAP "warn+heap"

char **heapenv_worker_env(void)
{
    static char **env;
    const char *old = getenv("WINEDEBUG");
    size_t count = 0, n = 0, len;
    char *debug;

    if (env != NULL) {
        return env;
    }
    while (environ[count] != NULL) {
        count++;
    }
    len = strlen("WINEDEBUG=") + (old != NULL ? strlen(old) + 1 : 0) + strlen(WINEDEBUG_HEAP) + 1;
    debug = malloc(len);
    env = calloc(count + 2, sizeof *env);
    if (debug == NULL || env == NULL) {
        free(debug);
        free(env);
        env = NULL;
        return NULL;
    }
    /* Later WINEDEBUG items win, so a user's "-all" still lets this through. */
    snprintf(debug, len, "WINEDEBUG=%s%s%s", old != NULL ? old : "",
             old != NULL && old[0] != '\0' ? "," : "", WINEDEBUG_HEAP);
    for (size_t i = 0; i < count; i++) {
        if (strncmp(environ[i], "WINEDEBUG=", 10) != 0) {
            env[n++] = environ[i];
        }
    }
    env[n++] = debug;
    env[n] = NULL;
    return env;
}
