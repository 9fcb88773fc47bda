/* bufferevent_write only queues: nothing reaches the socket until the loop runs the
 * write event, even though the socket is writable. Each bufferevent_write from outside
 * the loop is sent in the next loop turn, together with everything queued before. */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static int writecbs;

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	(void)arg;
	writecbs++;
}

static void peek_peer(int fd, const char *when)
{
	char buf[64];
	ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
	int e = errno;
	if (n < 0)
		printf("%s: peer recv -1 (%s)\n", when, e == EAGAIN ? "EAGAIN" : "other error");
	else
		printf("%s: peer recv %d \"%.*s\"\n", when, (int)n, (int)n, buf);
}

int main(void)
{
	struct event_base *base = event_base_new();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], 0);
	bufferevent_setcb(bev, NULL, writecb, NULL, NULL);

	int r = bufferevent_write(bev, "one,", 4);
	printf("write: %d, output %d\n", r, (int)evbuffer_get_length(bufferevent_get_output(bev)));
	peek_peer(sv[1], "before loop");
	r = bufferevent_write(bev, "two", 3);
	printf("write: %d, output %d\n", r, (int)evbuffer_get_length(bufferevent_get_output(bev)));
	peek_peer(sv[1], "still before loop");
	r = event_base_loop(base, EVLOOP_ONCE);
	printf("loop once: %d, output %d, writecbs %d\n", r,
	    (int)evbuffer_get_length(bufferevent_get_output(bev)), writecbs);
	peek_peer(sv[1], "after loop");
	peek_peer(sv[1], "again");
	r = event_base_loop(base, EVLOOP_NONBLOCK);
	printf("idle loop: %d, writecbs %d\n", r, writecbs);

	bufferevent_free(bev);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
