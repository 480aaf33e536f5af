#define _GNU_SOURCE /* pthread_setname_np */
#include "thread.h"

#include <string.h>

void thread_name(pthread_t t, const char *name)
{
    char n[16];
    size_t len = strlen(name);
    if (len > sizeof(n) - 1)
        len = sizeof(n) - 1;
    memcpy(n, name, len);
    n[len] = '\0';
    pthread_setname_np(t, n);
}
