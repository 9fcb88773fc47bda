/* Accepted sockets are non-blocking unless LEV_OPT_LEAVE_SOCKETS_BLOCKING, and close-on-exec
 * only with LEV_OPT_CLOSE_ON_EXEC (libevent passes those as accept4 flags). */
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
	(void)sa;
	(void)socklen;
	printf("%-34s accepted: nonblock=%d cloexec=%d\n", (const char *)arg, (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0,
	    (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	close(fd);
	event_base_loopbreak(evconnlistener_get_base(lev));
}

int main(void)
{
	struct event_base *base = event_base_new();
	unsigned flags[] = {0, LEV_OPT_LEAVE_SOCKETS_BLOCKING, LEV_OPT_CLOSE_ON_EXEC,
	    LEV_OPT_LEAVE_SOCKETS_BLOCKING | LEV_OPT_CLOSE_ON_EXEC};
	const char *names[] = {"no flags", "LEAVE_SOCKETS_BLOCKING", "CLOSE_ON_EXEC",
	    "LEAVE_SOCKETS_BLOCKING|CLOSE_ON_EXEC"};
	unsigned i;

	for (i = 0; i < 4; i++) {
		struct sockaddr_in sin;
		socklen_t len = sizeof(sin);
		struct evconnlistener *lev;
		int c;
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		lev = evconnlistener_new_bind(base, on_accept, (void *)names[i], flags[i] | LEV_OPT_CLOSE_ON_FREE, -1,
		    (struct sockaddr *)&sin, sizeof(sin));
		getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&sin, &len);
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&sin, sizeof(sin)) != 0)
			perror("connect");
		event_base_dispatch(base);
		close(c);
		evconnlistener_free(lev);
	}
	event_base_free(base);
	return 0;
}
