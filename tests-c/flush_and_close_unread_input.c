/* evshim-only */
/* bufferevent_flush_and_close with unread input: the client sends a line the server
 * never reads (the case where a plain close turns into a RST and loses the tail, see
 * flush_close_unread_input_rst). bufferevent_flush_and_close must still deliver all
 * 8 MiB and end the connection with a FIN (the client sees EOF, not ECONNRESET).
 * Unverified until evshim implements it. */
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
#include <evshim.h>

#ifndef EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE
#error "evshim.h does not declare bufferevent_flush_and_close (EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE)"
#endif

#define MSG_LEN (8 << 20)
#define SLOW_TAIL (512 << 10)
#define CLIENT_PINGS 1

struct result {
	long received;
	int intact;
	int end; /* 0 EOF, 1 ECONNRESET, 2 other error */
};

static unsigned char pattern(long i)
{
	return (unsigned char)(i * 131 + (i >> 12));
}

/* Log in (optionally followed by a line the server never reads), then read until the
 * connection ends, the last SLOW_TAIL bytes in 4 KiB reads with a 1 ms pause. */
static void client(const struct sockaddr_in *sin, int resfd)
{
	struct result res = {0, 1, 2};
	unsigned char buf[16384];
	ssize_t n, i;
	int fd = socket(AF_INET, SOCK_STREAM, 0), small = 65536, pinged = 0;
	alarm(15);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	if (connect(fd, (const struct sockaddr *)sin, sizeof *sin) < 0 || write(fd, "LOGIN\n", 6) != 6)
		_exit(1);
	for (;;) {
		int slow = res.received >= MSG_LEN - SLOW_TAIL;
		n = recv(fd, buf, slow ? 4096 : sizeof buf, 0);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			if (buf[i] != pattern(res.received + i))
				res.intact = 0;
		res.received += n;
		if (CLIENT_PINGS && !pinged) {
			pinged = 1;
			if (write(fd, "PING\n", 5) != 5)
				_exit(1);
		}
		if (slow)
			usleep(1000);
	}
	res.end = n == 0 ? 0 : errno == ECONNRESET ? 1 : 2;
	if (write(resfd, &res, sizeof res) != (ssize_t)sizeof res)
		_exit(1);
	_exit(0);
}

static unsigned char *msg;
static int failures, late_callbacks, closing;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
	if (!ok)
		failures++;
}

static void late_writecb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	if (closing)
		late_callbacks++;
}

static void late_eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)what;
	(void)arg;
	if (closing)
		late_callbacks++;
}

static void readcb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
	bufferevent_disable(bev, EV_READ);
	bufferevent_setcb(bev, NULL, late_writecb, late_eventcb, NULL);
	bufferevent_write(bev, msg, MSG_LEN);
	closing = 1;
	check(bufferevent_flush_and_close(bev) == 0, "bufferevent_flush_and_close returned 0");
}

/* Read the login, stop reading (the client's next line stays unread), queue, close. */
static void serve(struct event_base *base, struct bufferevent *bev)
{
	(void)base;
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_enable(bev, EV_READ);
}

int main(void)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;
	struct result res;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), res_pipe[2], fd, status, small = 65536;
	long i;
	pid_t pid;
	signal(SIGPIPE, SIG_IGN);
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
	msg = malloc(MSG_LEN);
	for (i = 0; i < MSG_LEN; i++)
		msg[i] = pattern(i);
	fd = accept(lfd, NULL, NULL);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	serve(base, bev);
	int r = event_base_dispatch(base);
	check(r == 0 || r == 1, "event_base_dispatch returned normally");
	check(fcntl(fd, F_GETFD) == -1, "the socket is closed when event_base_dispatch returns");
	event_base_free(base);
	free(msg);
	waitpid(pid, &status, 0);
	if (read(res_pipe[0], &res, sizeof res) != (ssize_t)sizeof res) {
		check(0, "client reported");
		return 1;
	}
	printf("client: received %ld of %d bytes, intact %d, then %s\n", res.received, MSG_LEN, res.intact,
	    res.end == 0 ? "EOF" : res.end == 1 ? "ECONNRESET" : "another error");
	check(res.received == MSG_LEN, "the whole message arrived");
	check(res.intact, "every byte is right");
	check(res.end == 0, "the connection ended with EOF, not a reset");
	check(late_callbacks == 0, "no callback of the bufferevent ran after bufferevent_flush_and_close");
	close(lfd);
	return failures ? 1 : 0;
}
