/* evconnlistener_free closes the listening socket only with LEV_OPT_CLOSE_ON_FREE, for
 * evconnlistener_new (the program's socket) and evconnlistener_new_bind (libevent's own
 * socket, which then stays open: the program must close it). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
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

static void report(const char *what, int fd)
{
	int r = fcntl(fd, F_GETFD);
	int acceptconn = 0;
	socklen_t len = sizeof(acceptconn);
	if (r == -1) {
		printf("%-32s after free: closed=%d (EBADF=%d)\n", what, 1, errno == EBADF);
		return;
	}
	getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acceptconn, &len);
	printf("%-32s after free: closed=0 listening=%d\n", what, acceptconn);
	close(fd);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	int k;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (k = 0; k < 2; k++) {
		unsigned flags = k ? LEV_OPT_CLOSE_ON_FREE : 0;
		struct evconnlistener *lev;
		int fd = socket(AF_INET, SOCK_STREAM, 0), lfd;
		fcntl(fd, F_SETFL, O_NONBLOCK);
		bind(fd, (struct sockaddr *)&sin, sizeof(sin));
		lev = evconnlistener_new(base, on_accept, NULL, flags, 4, fd);
		evconnlistener_free(lev);
		report(k ? "new, CLOSE_ON_FREE" : "new", fd);

		lev = evconnlistener_new_bind(base, on_accept, NULL, flags, 4, (struct sockaddr *)&sin, sizeof(sin));
		lfd = evconnlistener_get_fd(lev);
		evconnlistener_free(lev);
		report(k ? "new_bind, CLOSE_ON_FREE" : "new_bind", lfd);

		lev = evconnlistener_new_bind(base, on_accept, NULL, flags | LEV_OPT_DISABLED, 4, (struct sockaddr *)&sin,
		    sizeof(sin));
		lfd = evconnlistener_get_fd(lev);
		evconnlistener_free(lev);
		report(k ? "new_bind disabled, CLOSE_ON_FREE" : "new_bind disabled", lfd);
	}
	event_base_free(base);
	return 0;
}
