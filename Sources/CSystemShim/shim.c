#define _GNU_SOURCE
#include <malloc.h>
#include <sys/socket.h>
#include "CSystemShim.h"

int csystem_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
  return accept4(fd, address, length, flags);
}

uint32_t csystem_epoll_exclusive(void) { return EPOLLEXCLUSIVE; }

uint32_t csystem_epoll_rdhup(void) { return EPOLLRDHUP; }

int csystem_set_malloc_trim_threshold(int bytes) { return mallopt(M_TRIM_THRESHOLD, bytes); }
