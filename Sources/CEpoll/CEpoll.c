// The GNU-only functions the Swift side needs, compiled with _GNU_SOURCE in this file alone (see CEpoll.h).
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/socket.h>
#include "CEpoll.h"

int cepoll_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    return accept4(fd, addr, len, flags);
}

int cepoll_set_thread_name(pthread_t thread, const char *name) {
    return pthread_setname_np(thread, name);
}
