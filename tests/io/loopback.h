#ifndef RT_TEST_LOOPBACK_H
#define RT_TEST_LOOPBACK_H
/* A TCP listener on 127.0.0.1, on a port the system picks, for the tests
 * of remote sources: it accepts every connection and then never sends a
 * byte (a silent server) or closes it at once. Nothing goes off the
 * loopback address: loopback_start() also keeps proxies out. Include after
 * cmocka.h. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LOOPBACK_MAX_CONNS 64

typedef struct loopback {
    int fd, port;
    int close_at_once;
    int n_accepted; /* read after loopback_stop() */
    int conns[LOOPBACK_MAX_CONNS];
    pthread_t th;
} loopback;

static inline void *loopback_main(void *arg)
{
    loopback *s = arg;
    for (;;) {
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            break; /* loopback_stop() shut the socket down */
        if (s->close_at_once || s->n_accepted >= LOOPBACK_MAX_CONNS)
            close(c);
        else
            s->conns[s->n_accepted] = c;
        s->n_accepted++;
    }
    return NULL;
}

static inline void loopback_start(loopback *s, int close_at_once)
{
    setenv("no_proxy", "*", 1);
    setenv("NO_PROXY", "*", 1);
    memset(s, 0, sizeof(*s));
    s->close_at_once = close_at_once;
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s->fd >= 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(s->fd, 16), 0);
    socklen_t len = sizeof(sa);
    assert_int_equal(getsockname(s->fd, (struct sockaddr *)&sa, &len), 0);
    s->port = ntohs(sa.sin_port);
    assert_int_equal(pthread_create(&s->th, NULL, loopback_main, s), 0);
}

/* Stops the listener; the number of connections it accepted. */
static inline int loopback_stop(loopback *s)
{
    shutdown(s->fd, SHUT_RDWR); /* wakes accept() */
    pthread_join(s->th, NULL);
    close(s->fd);
    for (int i = 0; !s->close_at_once && i < s->n_accepted && i < LOOPBACK_MAX_CONNS; i++)
        close(s->conns[i]);
    return s->n_accepted;
}

#endif
