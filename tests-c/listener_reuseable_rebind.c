/* LEV_OPT_REUSEABLE (SO_REUSEADDR) lets a new listener bind the port of one just freed while
 * a connection it served is still in TIME_WAIT; without it the bind fails with EADDRINUSE. */
#include <errno.h>
#include <poll.h>
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
	(void)sa;
	(void)socklen;
	(void)arg;
	/* The server closes first: its side of the connection goes to TIME_WAIT. */
	close(fd);
	event_base_loopbreak(evconnlistener_get_base(lev));
}

/* One listener on 127.0.0.1:port (0: any) that serves one connection and is freed; returns
 * the port it had. */
static unsigned short serve_one(struct event_base *base, unsigned short port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct evconnlistener *lev;
	struct pollfd p;
	char c;
	int cfd;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	lev = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, -1,
	    (struct sockaddr *)&sin, sizeof(sin));
	if (!lev) {
		printf("REUSEABLE rebind failed\n");
		return 0;
	}
	getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&sin, &len);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	connect(cfd, (struct sockaddr *)&sin, sizeof(sin));
	event_base_dispatch(base);
	p.fd = cfd;
	p.events = POLLIN;
	poll(&p, 1, 2000);
	printf("client saw the server's close first: %d\n", read(cfd, &c, 1) == 0);
	close(cfd);
	evconnlistener_free(lev);
	return ntohs(sin.sin_port);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	struct evconnlistener *lev;
	unsigned short port = serve_one(base, 0);
	int e;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	errno = 0;
	lev = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE, -1, (struct sockaddr *)&sin,
	    sizeof(sin));
	e = errno;
	printf("rebind without REUSEABLE: %s (EADDRINUSE=%d)\n", lev ? "bound" : "NULL", e == EADDRINUSE);
	if (lev)
		evconnlistener_free(lev);
	printf("rebind with REUSEABLE: same port=%d\n", serve_one(base, port) == port);
	event_base_free(base);
	return 0;
}
