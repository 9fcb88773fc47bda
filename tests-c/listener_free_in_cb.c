/* evconnlistener_free from inside the connection callback is safe: the batch stops (no
 * further callback), and the listener is destroyed when the callback returns. Without
 * LEV_OPT_CLOSE_ON_FREE the socket stays open, still listening, and the rest of the backlog
 * can be accepted by hand; with it, the socket is closed and the queued clients are reset.
 * Also freed from inside the error callback. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/listener.h>

static int clients[8];
static int nclients, calls, lfd;

static void connect_clients(int n)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int i;
	getsockname(lfd, (struct sockaddr *)&sin, &len);
	for (i = 0; i < n; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
			perror("connect");
		clients[nclients++] = fd;
	}
}

static void close_clients(void)
{
	while (nclients > 0)
		close(clients[--nclients]);
}

static void on_accept(struct evconnlistener *lev, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)sa;
	(void)socklen;
	(void)arg;
	calls++;
	printf("  callback %d: freeing the listener\n", calls);
	evconnlistener_free(lev);
	close(fd);
}

static int make_listener_socket(void)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&sin, sizeof(sin));
	return fd;
}

static void on_error(struct evconnlistener *lev, void *arg)
{
	int err = EVUTIL_SOCKET_ERROR();
	(void)arg;
	printf("  error callback (errno EINVAL=%d): freeing the listener\n", err == EINVAL);
	evconnlistener_free(lev);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct evconnlistener *lev;
	int i, n, acceptconn = 0, reset = 0;
	socklen_t len = sizeof(acceptconn);

	/* Without CLOSE_ON_FREE. */
	lfd = make_listener_socket();
	lev = evconnlistener_new(base, on_accept, NULL, 0, 8, lfd);
	connect_clients(3);
	event_base_dispatch(base);
	printf("no CLOSE_ON_FREE: dispatch returned after %d callback(s); events left %d\n", calls,
	    event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
	getsockopt(lfd, SOL_SOCKET, SO_ACCEPTCONN, &acceptconn, &len);
	printf("fd still open=%d still listening=%d\n", fcntl(lfd, F_GETFD) != -1, acceptconn);
	for (n = 0; accept(lfd, NULL, NULL) >= 0; n++)
		;
	printf("accepted by hand afterwards: %d\n", n);
	close(lfd);
	close_clients();

	/* With CLOSE_ON_FREE. */
	calls = 0;
	lfd = make_listener_socket();
	lev = evconnlistener_new(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE, 8, lfd);
	connect_clients(3);
	event_base_dispatch(base);
	printf("CLOSE_ON_FREE: %d callback(s); fd closed=%d\n", calls, fcntl(lfd, F_GETFD) == -1 && errno == EBADF);
	for (i = 1; i < nclients; i++) {
		struct pollfd p = {clients[i], POLLIN, 0};
		char c;
		if (poll(&p, 1, 2000) == 1 && recv(clients[i], &c, 1, 0) < 0 && errno == ECONNRESET)
			reset++;
	}
	printf("queued clients reset: %d of %d\n", reset, nclients - 1);
	close_clients();

	/* From the error callback: a socket that does not listen (backlog 0). */
	lfd = make_listener_socket();
	lev = evconnlistener_new(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE, 0, lfd);
	evconnlistener_set_error_cb(lev, on_error);
	i = event_base_dispatch(base);
	printf("error callback freed it: dispatch=%d fd closed=%d\n", i, fcntl(lfd, F_GETFD) == -1);

	event_base_free(base);
	return 0;
}
