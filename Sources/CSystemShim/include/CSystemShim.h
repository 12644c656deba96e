#ifndef CSYSTEMSHIM_H
#define CSYSTEMSHIM_H
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>

// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC; Swift's Glibc lacks it because
// it is built without _GNU_SOURCE.
int csystem_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

// EPOLLEXCLUSIVE, EPOLLRDHUP and EPOLLET as plain integers: the enum
// constants of <sys/epoll.h> import into Swift with awkward types.
uint32_t csystem_epoll_exclusive(void);
uint32_t csystem_epoll_rdhup(void);

// Sets glibc's M_TRIM_THRESHOLD: how much free memory an arena keeps before
// giving it back to the kernel. <malloc.h> is not part of Swift's Glibc.
// Returns 1 on success, 0 on failure, as mallopt does.
int csystem_set_malloc_trim_threshold(int bytes);
#endif
