/* The workaround from the original write-up: evbuffer_unfreeze(output, 1) and then
 * evbuffer_write(output, fd) before bufferevent_free. It "works" for a short message,
 * which fits in the socket at once, but one non-blocking write is never a guarantee:
 * an 8 MiB message is only partly written, bufferevent_free drops the rest, and the
 * client (a forked process reading until EOF) gets a truncated message. */
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

struct result {
	long received;
	int intact;
	int end; /* 0 EOF, 1 ECONNRESET, 2 other error */
};

static unsigned char pattern(long i)
{
	return (unsigned char)(i * 131 + (i >> 12));
}

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
	while ((n = recv(fd, buf, sizeof buf, 0)) > 0) {
		for (i = 0; i < n; i++)
			if (buf[i] != pattern(res.received + i))
				res.intact = 0;
		res.received += n;
	}
	res.end = n == 0 ? 0 : errno == ECONNRESET ? 1 : 2;
	if (write(resfd, &res, sizeof res) != (ssize_t)sizeof res)
		_exit(1);
	_exit(0);
}

static unsigned char *msg;
static long msg_len;

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *out = bufferevent_get_output(bev);
	int r;
	(void)arg;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
	bufferevent_write(bev, msg, (size_t)msg_len);
	evbuffer_unfreeze(out, 1);
	r = evbuffer_write(out, bufferevent_getfd(bev));
	printf("  server: evbuffer_unfreeze + evbuffer_write: wrote everything: %s (%s)\n", r == msg_len ? "yes" : "no",
	    r == msg_len ? "returned the length" : r > 0 ? "a partial write" : "failed");
	bufferevent_free(bev);
}

static void run(long len)
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
		exit(1);
	getsockname(lfd, (struct sockaddr *)&sin, &slen);
	printf("message of %ld bytes:\n", len);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(lfd);
		client(&sin, res_pipe[1]);
	}
	msg_len = len;
	msg = malloc((size_t)len);
	for (i = 0; i < len; i++)
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
		exit(1);
	}
	printf("  client: arrived in full: %s, what arrived is intact: %s, then %s\n", res.received == len ? "yes" : "no",
	    res.intact ? "yes" : "no", res.end == 0 ? "EOF" : res.end == 1 ? "ECONNRESET" : "another error");
	close(lfd);
	close(res_pipe[0]);
	close(res_pipe[1]);
}

int main(void)
{
	run(45);
	run(BIG);
	return 0;
}
