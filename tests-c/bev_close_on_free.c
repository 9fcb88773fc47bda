/* BEV_OPT_CLOSE_ON_FREE: bufferevent_free closes the fd, but not inside the call: the
 * bufferevent is finalized from the loop, so the fd stays open until the base runs (or
 * is freed). Without the option the fd is never closed, and pending output is dropped
 * either way (the peer sees nothing). */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static int is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

static void run(int options, int free_base_instead)
{
	struct event_base *base = event_base_new();
	int sv[2], r;
	char buf[16];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], options);
	bufferevent_enable(bev, EV_READ);
	bufferevent_write(bev, "never sent", 10);
	printf("%s:\n", options ? "BEV_OPT_CLOSE_ON_FREE" : "no options");
	bufferevent_free(bev);
	printf("  right after bufferevent_free: fd open %d\n", is_open(sv[0]));
	if (free_base_instead) {
		event_base_free(base);
		printf("  after event_base_free: fd open %d\n", is_open(sv[0]));
	} else {
		r = event_base_loop(base, EVLOOP_NONBLOCK);
		printf("  after one loop turn (%d): fd open %d\n", r, is_open(sv[0]));
		event_base_free(base);
	}
	r = (int)recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
	printf("  peer recv: %d (%s)\n", r, r == 0 ? "EOF" : r < 0 ? "nothing yet" : "data");
	if (is_open(sv[0]))
		close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	run(BEV_OPT_CLOSE_ON_FREE, 0);
	run(BEV_OPT_CLOSE_ON_FREE, 1);
	run(0, 0);
	return 0;
}
