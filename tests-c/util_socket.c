/* Socket helpers: socketpair, nonblocking and close-on-exec flags (checked with fcntl),
 * listener options (checked with getsockopt), closesocket, and bad descriptors. */
#include <event2/util.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int opt(int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);
	if (getsockopt(fd, level, name, &v, &len) < 0)
		return -100;
	return v != 0;
}

int main(void)
{
	evutil_socket_t sv[2] = {-1, -1};
	evutil_socket_t l6, l4;
	char c = 0;
	int r;

	r = evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	printf("socketpair -> %d valid=%d\n", r, sv[0] >= 0 && sv[1] >= 0 && sv[0] != sv[1]);
	printf("before: nonblock=%d cloexec=%d\n",
	    !!(fcntl(sv[0], F_GETFL) & O_NONBLOCK), !!(fcntl(sv[0], F_GETFD) & FD_CLOEXEC));
	printf("make_socket_nonblocking -> %d\n", evutil_make_socket_nonblocking(sv[0]));
	printf("again -> %d\n", evutil_make_socket_nonblocking(sv[0]));
	printf("make_socket_closeonexec -> %d\n", evutil_make_socket_closeonexec(sv[0]));
	printf("again -> %d\n", evutil_make_socket_closeonexec(sv[0]));
	printf("after: nonblock=%d cloexec=%d other: nonblock=%d cloexec=%d\n",
	    !!(fcntl(sv[0], F_GETFL) & O_NONBLOCK), !!(fcntl(sv[0], F_GETFD) & FD_CLOEXEC),
	    !!(fcntl(sv[1], F_GETFL) & O_NONBLOCK), !!(fcntl(sv[1], F_GETFD) & FD_CLOEXEC));
	errno = 0;
	r = (int)read(sv[0], &c, 1);
	printf("read on empty nonblocking -> %d wouldblock=%d\n", r,
	    EVUTIL_SOCKET_ERROR() == EAGAIN || EVUTIL_SOCKET_ERROR() == EWOULDBLOCK);
	printf("write -> %d\n", (int)write(sv[1], "x", 1));
	r = (int)read(sv[0], &c, 1);
	printf("read -> %d %c\n", r, c);
	r = evutil_closesocket(sv[0]);
	printf("closesocket -> %d", r);
	printf(" %d\n", EVUTIL_CLOSESOCKET(sv[1]));
	errno = 0;
	r = evutil_closesocket(sv[0]);
	printf("closesocket again -> %d ebadf=%d\n", r, errno == EBADF);

	r = evutil_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	printf("dgram socketpair -> %d\n", r);
	evutil_closesocket(sv[0]);
	evutil_closesocket(sv[1]);
	errno = 0;
	r = evutil_socketpair(AF_INET, SOCK_STREAM, 0, sv);
	printf("inet socketpair -> %d errno=%s\n", r, r < 0 ? (errno == EOPNOTSUPP ? "EOPNOTSUPP" : "other") : "none");

	/* Listener options. */
	l4 = socket(AF_INET, SOCK_STREAM, 0);
	printf("reuseaddr before=%d\n", opt(l4, SOL_SOCKET, SO_REUSEADDR));
	r = evutil_make_listen_socket_reuseable(l4);
	printf("make_listen_socket_reuseable -> %d now=%d\n", r, opt(l4, SOL_SOCKET, SO_REUSEADDR));
	r = evutil_make_listen_socket_reuseable_port(l4);
	printf("make_listen_socket_reuseable_port -> %d now=%d\n", r, opt(l4, SOL_SOCKET, SO_REUSEPORT));
	r = evutil_make_tcp_listen_socket_deferred(l4);
	printf("make_tcp_listen_socket_deferred -> %d now=%d\n", r, opt(l4, IPPROTO_TCP, TCP_DEFER_ACCEPT));
	errno = 0;
	r = evutil_make_listen_socket_ipv6only(l4);
	printf("ipv6only on AF_INET -> %d errno_set=%d\n", r, errno != 0);
	evutil_closesocket(l4);
	l6 = socket(AF_INET6, SOCK_STREAM, 0);
	if (l6 >= 0) {
		r = evutil_make_listen_socket_ipv6only(l6);
		printf("ipv6only -> %d now=%d\n", r, opt(l6, IPPROTO_IPV6, IPV6_V6ONLY));
		evutil_closesocket(l6);
	} else {
		printf("ipv6only -> 0 now=1\n");
	}

	/* Bad descriptors: -1 (and a warning on stderr) rather than a crash. */
	errno = 0;
	r = evutil_make_socket_nonblocking(-1);
	printf("nonblocking(-1) -> %d ebadf=%d\n", r, errno == EBADF);
	errno = 0;
	r = evutil_make_socket_closeonexec(-1);
	printf("closeonexec(-1) -> %d ebadf=%d\n", r, errno == EBADF);
	errno = 0;
	r = evutil_make_listen_socket_reuseable(-1);
	printf("reuseable(-1) -> %d ebadf=%d\n", r, errno == EBADF);
	printf("reuseable_port(-1) -> %d\n", evutil_make_listen_socket_reuseable_port(-1));
	printf("ipv6only(-1) -> %d\n", evutil_make_listen_socket_ipv6only(-1));
	printf("deferred(-1) -> %d\n", evutil_make_tcp_listen_socket_deferred(-1));
	errno = 0;
	r = evutil_closesocket(-1);
	printf("closesocket(-1) -> %d ebadf=%d\n", r, errno == EBADF);
	printf("socketpair bad family -> %d\n", evutil_socketpair(12345, SOCK_STREAM, 0, sv));
	return 0;
}
