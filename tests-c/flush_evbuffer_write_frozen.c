/* The flush bug (libevent 1.4 -> 2.x): a server kicks a client by writing a message
 * with bufferevent_write and then "flushing" it with
 * evbuffer_write(bufferevent_get_output(bev), fd) before bufferevent_free. In 2.x the
 * output buffer's start is frozen by the socket bufferevent, so evbuffer_write returns
 * -1 without a system call, the message stays queued, and bufferevent_free discards it:
 * the client (a forked process reading until EOF) receives nothing. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static const char kick[] = "You have logged in from another place. Bye.\n";

struct result {
	long received;
	int intact; /* every byte received equals the message at its offset */
	int end;    /* 0 EOF, 1 ECONNRESET, 2 other error */
};

/* The client: log in, then read until the connection ends. */
static void client(const struct sockaddr_in *sin, int resfd)
{
	struct result res = {0, 1, 2};
	char buf[4096];
	ssize_t n, i;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	alarm(15);
	if (connect(fd, (const struct sockaddr *)sin, sizeof *sin) < 0 || write(fd, "LOGIN\n", 6) != 6)
		_exit(1);
	while ((n = recv(fd, buf, sizeof buf, 0)) > 0) {
		for (i = 0; i < n; i++)
			if ((size_t)(res.received + i) >= sizeof kick - 1 || buf[i] != kick[res.received + i])
				res.intact = 0;
		res.received += n;
	}
	res.end = n == 0 ? 0 : errno == ECONNRESET ? 1 : 2;
	if (write(resfd, &res, sizeof res) != (ssize_t)sizeof res)
		_exit(1);
	_exit(0);
}

/* The server: on the client's login, send the kick message and "flush" it the 1.4 way. */
static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *out = bufferevent_get_output(bev);
	int r;
	(void)arg;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
	bufferevent_write(bev, kick, sizeof kick - 1);
	r = evbuffer_write(out, bufferevent_getfd(bev));
	printf("server: bufferevent_write queued %d bytes; evbuffer_write(output, fd) returned %d; output still %d\n",
	    (int)(sizeof kick - 1), r, (int)evbuffer_get_length(out));
	bufferevent_free(bev);
	printf("server: bufferevent_free (BEV_OPT_CLOSE_ON_FREE closes the socket)\n");
}

int main(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	struct result res;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), res_pipe[2], fd, status;
	pid_t pid;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(lfd, 8) < 0 || pipe(res_pipe) < 0)
		return 1;
	getsockname(lfd, (struct sockaddr *)&sin, &len);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(lfd);
		client(&sin, res_pipe[1]);
	}
	fd = accept(lfd, NULL, NULL);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_enable(bev, EV_READ);
	event_base_dispatch(base);
	event_base_free(base);

	waitpid(pid, &status, 0);
	if (read(res_pipe[0], &res, sizeof res) != (ssize_t)sizeof res) {
		printf("client failed (status %d)\n", status);
		return 1;
	}
	printf("client: received %ld of %d bytes, then %s\n", res.received, (int)(sizeof kick - 1),
	    res.end == 0 ? "EOF" : res.end == 1 ? "ECONNRESET" : "another error");
	close(lfd);
	return 0;
}
