/* LEV_OPT_DEFERRED_ACCEPT (TCP_DEFER_ACCEPT): a client that connected but sent nothing is not
 * reported; once it sends, the connection is accepted with its data already readable. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/listener.h>

static int accepted;

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	char buf[8];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);
	(void)sa;
	(void)socklen;
	(void)arg;
	accepted++;
	printf("  accepted; data already there: %d\n", n == 1 && buf[0] == 'x');
	close(fd);
	event_base_loopbreak(evconnlistener_get_base(lev));
}

static void on_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopbreak(arg);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct evconnlistener *lev;
	struct timeval ms50 = {0, 50000}, s2 = {2, 0};
	int c;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lev = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_DEFERRED_ACCEPT, -1,
	    (struct sockaddr *)&sin, sizeof(sin));
	getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&sin, &len);
	c = socket(AF_INET, SOCK_STREAM, 0);
	printf("connect=%d\n", connect(c, (struct sockaddr *)&sin, sizeof(sin)));
	event_base_once(base, -1, EV_TIMEOUT, on_timeout, base, &ms50);
	event_base_dispatch(base);
	printf("50 ms without data: accepted %d\n", accepted);
	printf("send=%d\n", (int)send(c, "x", 1, 0));
	event_base_once(base, -1, EV_TIMEOUT, on_timeout, base, &s2);
	event_base_dispatch(base);
	printf("after the client sent: accepted %d\n", accepted);
	close(c);
	evconnlistener_free(lev);
	event_base_free(base);
	return 0;
}
