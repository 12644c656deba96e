#ifndef CSYSTEMSHIM_H
#define CSYSTEMSHIM_H
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/types.h>

// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC; Swift's Glibc lacks it because
// it is built without _GNU_SOURCE.
int csystem_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);
#endif
