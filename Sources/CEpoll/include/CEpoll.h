#ifndef CEPOLL_H
#define CEPOLL_H
// Glibc's Swift module does not export these; this header only makes them visible to Swift.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <netinet/tcp.h>
#include <signal.h>

/// accept4 is declared only under _GNU_SOURCE; a static inline wrapper keeps that out of Swift's sight.
static inline int cepoll_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    return accept4(fd, addr, len, flags);
}
#endif
