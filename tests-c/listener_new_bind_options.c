/* evconnlistener_new_bind makes a non-blocking TCP socket with SO_KEEPALIVE and the options
 * the LEV_OPT_* flags ask for (REUSEABLE: SO_REUSEADDR, REUSEABLE_PORT: SO_REUSEPORT,
 * DEFERRED_ACCEPT: TCP_DEFER_ACCEPT, BIND_IPV6ONLY: IPV6_V6ONLY, CLOSE_ON_EXEC: FD_CLOEXEC),
 * binds it (port 0: getsockname tells the port) and listens. Failures return NULL: backlog
 * 0, a NULL address, an address in use, a bad fd or a non-socket for evconnlistener_new. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/listener.h>

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)lev;
	(void)sa;
	(void)socklen;
	(void)arg;
	close(fd);
}

static int opt(int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);
	if (getsockopt(fd, level, name, &v, &len) != 0)
		return -1;
	return v != 0;
}

static void show(const char *what, struct evconnlistener *lev)
{
	int fd = evconnlistener_get_fd(lev);
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	printf("%-16s nonblock=%d cloexec=%d listening=%d keepalive=%d reuseaddr=%d reuseport=%d defer=%d",
	    what, (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0, (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0,
	    opt(fd, SOL_SOCKET, SO_ACCEPTCONN), opt(fd, SOL_SOCKET, SO_KEEPALIVE), opt(fd, SOL_SOCKET, SO_REUSEADDR),
	    opt(fd, SOL_SOCKET, SO_REUSEPORT), opt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT));
	if (ss.ss_family == AF_INET6)
		printf(" v6only=%d port set=%d\n", opt(fd, IPPROTO_IPV6, IPV6_V6ONLY),
		    ((struct sockaddr_in6 *)&ss)->sin6_port != 0);
	else
		printf(" inet=%d port set=%d\n", ss.ss_family == AF_INET, ((struct sockaddr_in *)&ss)->sin_port != 0);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct evconnlistener *lev, *lev2;
	unsigned flags[] = {0, LEV_OPT_REUSEABLE, LEV_OPT_REUSEABLE_PORT, LEV_OPT_DEFERRED_ACCEPT, LEV_OPT_CLOSE_ON_EXEC};
	const char *names[] = {"no flags", "REUSEABLE", "REUSEABLE_PORT", "DEFERRED_ACCEPT", "CLOSE_ON_EXEC"};
	unsigned i;
	int fds[2], r, e;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		lev = evconnlistener_new_bind(base, on_accept, NULL, flags[i] | LEV_OPT_CLOSE_ON_FREE, -1,
		    (struct sockaddr *)&sin, sizeof(sin));
		show(names[i], lev);
		evconnlistener_free(lev);
	}
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	lev = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_BIND_IPV6ONLY | LEV_OPT_CLOSE_ON_FREE, 5,
	    (struct sockaddr *)&sin6, sizeof(sin6));
	if (lev) {
		show("BIND_IPV6ONLY", lev);
		evconnlistener_free(lev);
	} else {
		printf("BIND_IPV6ONLY    no IPv6 loopback here\n");
	}

	/* Failures. */
	lev = evconnlistener_new_bind(base, on_accept, NULL, 0, 0, (struct sockaddr *)&sin, sizeof(sin));
	printf("new_bind backlog 0: %s\n", lev ? "listener" : "NULL");
	lev = evconnlistener_new_bind(base, on_accept, NULL, 0, 5, NULL, 0);
	printf("new_bind NULL address: %s\n", lev ? "listener" : "NULL");
	lev = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE, 5, (struct sockaddr *)&sin,
	    sizeof(sin));
	{
		struct sockaddr_in bound;
		socklen_t len = sizeof(bound);
		getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&bound, &len);
		errno = 0;
		lev2 = evconnlistener_new_bind(base, on_accept, NULL, 0, 5, (struct sockaddr *)&bound, sizeof(bound));
		e = errno;
		printf("new_bind on an address in use: %s, EADDRINUSE=%d\n", lev2 ? "listener" : "NULL", e == EADDRINUSE);
	}
	evconnlistener_free(lev);
	errno = 0;
	lev = evconnlistener_new(base, on_accept, NULL, 0, 5, -1);
	e = errno;
	printf("new on fd -1: %s, EBADF=%d\n", lev ? "listener" : "NULL", e == EBADF);
	r = pipe(fds);
	errno = 0;
	lev = evconnlistener_new(base, on_accept, NULL, 0, 5, fds[0]);
	e = errno;
	printf("new on a pipe (pipe=%d): %s, ENOTSOCK=%d\n", r, lev ? "listener" : "NULL", e == ENOTSOCK);
	close(fds[0]);
	close(fds[1]);
	printf("events on the base: %d\n", event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
	event_base_free(base);
	return 0;
}
