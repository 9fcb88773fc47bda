/* The fix that works with libevent: stop reading, queue the message, and close from the
 * write callback once the output buffer is empty (the write callback runs when the
 * output drains to the low watermark, 0 by default). The kernel still holds the tail
 * of the message when the socket is closed, but a normal close sends it before the FIN:
 * the client (a forked process that reads the last 512 KiB slowly) gets all 8 MiB,
 * then EOF. */
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

#define BIG (8 << 20)
#define SLOW_TAIL (512 << 10)

struct result {
	long received;
	int intact;
	int end; /* 0 EOF, 1 ECONNRESET, 2 other error */
};

static unsigned char pattern(long i)
{
	return (unsigned char)(i * 131 + (i >> 12));
}

/* Log in, then read until the connection ends: fast at first, the last SLOW_TAIL bytes
 * in 4 KiB reads with a 1 ms pause, so the kernel buffers are full when the server
 * closes. */
static void client(const struct sockaddr_in *sin, int resfd)
{
	struct result res = {0, 1, 2};
	unsigned char buf[16384];
	ssize_t n, i;
	int fd = socket(AF_INET, SOCK_STREAM, 0), small = 65536;
	alarm(15);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	if (connect(fd, (const struct sockaddr *)sin, sizeof *sin) < 0 || write(fd, "LOGIN\n", 6) != 6)
		_exit(1);
	for (;;) {
		int slow = res.received >= BIG - SLOW_TAIL;
		n = recv(fd, buf, slow ? 4096 : sizeof buf, 0);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			if (buf[i] != pattern(res.received + i))
				res.intact = 0;
		res.received += n;
		if (slow)
			usleep(1000);
	}
	res.end = n == 0 ? 0 : errno == ECONNRESET ? 1 : 2;
	if (write(resfd, &res, sizeof res) != (ssize_t)sizeof res)
		_exit(1);
	_exit(0);
}

static unsigned char *msg;

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	if (evbuffer_get_length(bufferevent_get_output(bev)) == 0) {
		printf("server: write callback with an empty output: bufferevent_free (closes the socket)\n");
		bufferevent_free(bev);
	}
}

static void readcb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
	bufferevent_disable(bev, EV_READ);
	bufferevent_setcb(bev, NULL, writecb, NULL, NULL);
	bufferevent_write(bev, msg, BIG);
	printf("server: login read; reading disabled, %d bytes queued\n", BIG);
}

int main(void)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;
	struct result res;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), res_pipe[2], fd, status, small = 65536;
	long i;
	pid_t pid;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(lfd, 8) < 0 || pipe(res_pipe) < 0)
		return 1;
	getsockname(lfd, (struct sockaddr *)&sin, &slen);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(lfd);
		client(&sin, res_pipe[1]);
	}
	msg = malloc(BIG);
	for (i = 0; i < BIG; i++)
		msg[i] = pattern(i);
	fd = accept(lfd, NULL, NULL);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_enable(bev, EV_READ);
	event_base_dispatch(base);
	event_base_free(base);
	free(msg);
	waitpid(pid, &status, 0);
	if (read(res_pipe[0], &res, sizeof res) != (ssize_t)sizeof res) {
		printf("client failed (status %d)\n", status);
		return 1;
	}
	printf("client: arrived in full: %s (%ld bytes), intact: %s, then %s\n", res.received == BIG ? "yes" : "no",
	    res.received, res.intact ? "yes" : "no", res.end == 0 ? "EOF" : res.end == 1 ? "ECONNRESET" : "another error");
	close(lfd);
	return 0;
}
