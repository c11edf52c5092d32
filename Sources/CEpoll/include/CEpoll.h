#ifndef CEPOLL_H
#define CEPOLL_H
// Glibc's Swift module does not export these; this header only makes them visible to Swift.
// No _GNU_SOURCE here: defining it changes glibc's struct definitions (fd_set, __rusage_who) and clashes with the
// SwiftGlibc module. The few GNU-only functions are wrapped in CEpoll.c, which is compiled with _GNU_SOURCE.
#include <stdint.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <netinet/tcp.h>
#include <signal.h>

/// accept4(2); declared by glibc only under _GNU_SOURCE, so it is wrapped in CEpoll.c.
int cepoll_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);

/// pthread_setname_np(3), likewise GNU-only.
int cepoll_set_thread_name(pthread_t thread, const char *name);

// Glibc declares these as enum members or macros whose imported Swift types vary between versions;
// plain constants keep the Swift side free of casts.
static const uint32_t CEPOLL_IN = EPOLLIN;
static const uint32_t CEPOLL_OUT = EPOLLOUT;
static const uint32_t CEPOLL_ERR = EPOLLERR;
static const uint32_t CEPOLL_HUP = EPOLLHUP;
static const uint32_t CEPOLL_RDHUP = EPOLLRDHUP;
static const int CEPOLL_CTL_ADD = EPOLL_CTL_ADD;
static const int CEPOLL_CTL_MOD = EPOLL_CTL_MOD;
static const int CEPOLL_CTL_DEL = EPOLL_CTL_DEL;
static const int CEPOLL_SOCK_STREAM_NONBLOCK_CLOEXEC = SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC;
static const int CEPOLL_NONBLOCK_CLOEXEC = SOCK_NONBLOCK | SOCK_CLOEXEC;
static const int CEPOLL_EPOLL_CLOEXEC = EPOLL_CLOEXEC;
static const int CEPOLL_MSG_NOSIGNAL = MSG_NOSIGNAL;
static const int CEPOLL_EFD_FLAGS = EFD_NONBLOCK | EFD_CLOEXEC;

/// `struct epoll_event` is packed on x86_64; Swift reads this unpacked copy instead.
typedef struct {
    uint32_t events;
    uint64_t data;
} cepoll_result;

static inline int cepoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &ev);
}

/// epoll_wait into a bounded stack array, copied into `out`. `max` is clamped to 256.
static inline int cepoll_wait(int epfd, cepoll_result *out, int max, int timeout_ms) {
    struct epoll_event evs[256];
    if (max > 256) max = 256;
    int n = epoll_wait(epfd, evs, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        out[i].events = evs[i].events;
        out[i].data = evs[i].data.u64;
    }
    return n;
}
#endif
