// Opens N connections to a payments server, completes the handshake on each (preface and SETTINGS),
// acknowledges the server's PINGs, and keeps them open and idle until it receives SIGTERM or SIGINT.
//
//   idle_connections HOST PORT COUNT READY_FILE
//
// Writes "open=N failed=M" to READY_FILE once every connection got the server's SETTINGS (or failed),
// so a script can read the server's memory then. Exits 0 on a signal, 1 on a setup error.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { header_size = 12, frame_settings = 1, frame_ping = 6, flag_ack = 1 };

// Per-connection read state: bytes of the current frame header, then its payload.
struct connection {
    int fd;
    int got_settings;
    uint8_t header[header_size];
    size_t header_used;
    uint32_t payload_left;
    uint8_t ping[8];
    size_t ping_used;
};

static volatile sig_atomic_t stopping = 0;
static void on_signal(int signal_number) { (void)signal_number; stopping = 1; }

static size_t put_varint(uint8_t *out, uint32_t value) {
    size_t used = 0;
    while (value >= 0x80) {
        out[used++] = (uint8_t)(value | 0x80);
        value >>= 7;
    }
    out[used++] = (uint8_t)value;
    return used;
}

static void put_u32(uint8_t *out, uint32_t value) {
    out[0] = (uint8_t)(value >> 24);
    out[1] = (uint8_t)(value >> 16);
    out[2] = (uint8_t)(value >> 8);
    out[3] = (uint8_t)value;
}

// The preface, then a SETTINGS frame carrying ConnectionSettings{protocol_version: 1, max_frame_size: 16 MiB,
// max_message_size: 4 MiB, max_concurrent_calls: 128, initial_stream_credit: 64}.
static size_t handshake(uint8_t *out) {
    static const uint8_t preface[8] = {0x89, 'R', 'P', 'C', '\r', '\n', 0x1A, '\n'};
    uint8_t settings[32];
    size_t length = 0;
    settings[length++] = 0x08;
    length += put_varint(settings + length, 1);
    settings[length++] = 0x10;
    length += put_varint(settings + length, 16u << 20);
    settings[length++] = 0x18;
    length += put_varint(settings + length, 4u << 20);
    settings[length++] = 0x20;
    length += put_varint(settings + length, 128);
    settings[length++] = 0x28;
    length += put_varint(settings + length, 64);

    memcpy(out, preface, 8);
    put_u32(out + 8, (uint32_t)length);
    out[12] = frame_settings;
    out[13] = 0;
    out[14] = 0;
    out[15] = 0;
    put_u32(out + 16, 0);
    memcpy(out + 20, settings, length);
    return 20 + length;
}

static int send_all(int fd, const uint8_t *bytes, size_t count) {
    while (count > 0) {
        ssize_t written = send(fd, bytes, count, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        bytes += written;
        count -= (size_t)written;
    }
    return 0;
}

// Consumes received bytes; returns -1 when the connection should be dropped.
static int consume(struct connection *connection, const uint8_t *bytes, size_t count, int *newly_ready) {
    while (count > 0) {
        if (connection->header_used < header_size) {
            size_t take = header_size - connection->header_used;
            if (take > count) take = count;
            memcpy(connection->header + connection->header_used, bytes, take);
            connection->header_used += take;
            bytes += take;
            count -= take;
            if (connection->header_used < header_size) return 0;
            const uint8_t *h = connection->header;
            connection->payload_left = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
            connection->ping_used = 0;
            if (h[4] == frame_settings && !connection->got_settings) {
                connection->got_settings = 1;
                *newly_ready = 1;
            }
        }
        size_t take = connection->payload_left < count ? connection->payload_left : count;
        const uint8_t *h = connection->header;
        if (h[4] == frame_ping && !(h[5] & flag_ack)) {
            size_t room = sizeof connection->ping - connection->ping_used;
            size_t copy = take < room ? take : room;
            memcpy(connection->ping + connection->ping_used, bytes, copy);
            connection->ping_used += copy;
        }
        connection->payload_left -= (uint32_t)take;
        bytes += take;
        count -= take;
        if (connection->payload_left == 0) {
            if (h[4] == frame_ping && !(h[5] & flag_ack)) {
                uint8_t reply[header_size + 8] = {0, 0, 0, 8, frame_ping, flag_ack, 0, 0, 0, 0, 0, 0};
                memcpy(reply + header_size, connection->ping, 8);
                if (send_all(connection->fd, reply, sizeof reply) != 0) return -1;
            }
            connection->header_used = 0;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: idle_connections HOST PORT COUNT READY_FILE\n");
        return 1;
    }
    const char *host = argv[1];
    int port = atoi(argv[2]);
    int count = atoi(argv[3]);
    const char *ready_path = argv[4];
    if (port <= 0 || port > 65535 || count <= 0) {
        fprintf(stderr, "invalid PORT or COUNT: give a port from 1 to 65535 and a count above 0\n");
        return 1;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
        fprintf(stderr, "invalid HOST %s: give an IPv4 address such as 127.0.0.1\n", host);
        return 1;
    }
    int poller = epoll_create1(EPOLL_CLOEXEC);
    if (poller < 0) {
        perror("epoll_create1");
        return 1;
    }
    struct connection *connections = calloc((size_t)count, sizeof *connections);
    if (connections == NULL) {
        perror("calloc");
        return 1;
    }

    uint8_t hello[64];
    size_t hello_length = handshake(hello);
    int open_count = 0, failed = 0, ready = 0;
    for (int index = 0; index < count && !stopping; index++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            perror("socket (raise ulimit -n)");
            failed++;
            connections[index].fd = -1;
            continue;
        }
        if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0 || send_all(fd, hello, hello_length) != 0) {
            if (failed == 0) perror("connect");
            close(fd);
            failed++;
            connections[index].fd = -1;
            continue;
        }
        int flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
            perror("fcntl");
            return 1;
        }
        connections[index].fd = fd;
        struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)index};
        if (epoll_ctl(poller, EPOLL_CTL_ADD, fd, &event) != 0) {
            perror("epoll_ctl");
            return 1;
        }
        open_count++;
    }

    int reported = 0;
    struct epoll_event events[256];
    static uint8_t buffer[65536];
    while (!stopping) {
        int ready_events = epoll_wait(poller, events, 256, 200);
        if (ready_events < 0) {
            if (errno == EINTR) continue;
            perror("epoll_wait");
            return 1;
        }
        for (int k = 0; k < ready_events; k++) {
            struct connection *connection = &connections[events[k].data.u32];
            ssize_t received = recv(connection->fd, buffer, sizeof buffer, 0);
            if (received < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            int newly_ready = 0;
            if (received <= 0 || consume(connection, buffer, (size_t)received, &newly_ready) != 0) {
                epoll_ctl(poller, EPOLL_CTL_DEL, connection->fd, NULL);
                close(connection->fd);
                connection->fd = -1;
                open_count--;
                failed++;
                continue;
            }
            ready += newly_ready;
        }
        if (!reported && ready + failed >= count) {
            FILE *file = fopen(ready_path, "w");
            if (file == NULL) {
                perror("fopen READY_FILE");
                return 1;
            }
            fprintf(file, "open=%d failed=%d\n", open_count, failed);
            fclose(file);
            reported = 1;
        }
    }
    for (int index = 0; index < count; index++) {
        if (connections[index].fd >= 0) close(connections[index].fd);
    }
    free(connections);
    close(poller);
    printf("open=%d failed=%d\n", open_count, failed);
    return 0;
}
