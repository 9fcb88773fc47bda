/* evthread_enable_lock_debugging() without evthread_use_pthreads(): libevent then hands out
 * debug locks (owner tracking only), so objects that want a lock get one: a THREADSAFE
 * bufferevent and a THREADSAFE pair are created and work (libevent's own test-ratelim runs
 * this way). Single-threaded throughout. */
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static int got;

static void readcb(struct bufferevent *bev, void *arg)
{
	char buf[16];
	size_t n = bufferevent_read(bev, buf, sizeof buf);
	(void)arg;
	got += (int)n;
}

int main(void)
{
	struct event_base *base;
	struct bufferevent *bev, *pair[2] = {NULL, NULL};
	int sv[2], r;

	evthread_enable_lock_debugging();
	base = event_base_new();
	printf("base: %s\n", base ? "ok" : "NULL");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	bev = bufferevent_socket_new(base, sv[0], BEV_OPT_THREADSAFE | BEV_OPT_CLOSE_ON_FREE);
	printf("THREADSAFE socket bufferevent: %s\n", bev ? "ok" : "NULL");
	r = bufferevent_pair_new(base, BEV_OPT_THREADSAFE, pair);
	printf("THREADSAFE pair: %d\n", r);
	if (!bev || r != 0)
		return 0;
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_enable(bev, EV_READ);
	bufferevent_lock(bev);
	bufferevent_write(bev, "ping", 4);
	bufferevent_unlock(bev);
	if (write(sv[1], "hello", 5) != 5)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);
	printf("read %d bytes\n", got);
	bufferevent_free(bev);
	bufferevent_free(pair[0]);
	bufferevent_free(pair[1]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
