#define _GNU_SOURCE
#include <sys/socket.h>
#include "CSystemShim.h"

int csystem_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
  return accept4(fd, address, length, flags);
}

uint32_t csystem_epoll_exclusive(void) { return EPOLLEXCLUSIVE; }

uint32_t csystem_epoll_rdhup(void) { return EPOLLRDHUP; }
