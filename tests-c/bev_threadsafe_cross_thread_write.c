/* With BEV_OPT_THREADSAFE another thread may bufferevent_lock, write and unlock while
 * the loop thread is blocked in dispatch: the write wakes the loop, the data is sent and
 * the write callback runs in the loop thread. */
#include <pthread.h>
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static pthread_t loop_thread;
static int peer;

static void writecb(struct bufferevent *bev, void *arg)
{
	char buf[64];
	ssize_t n = recv(peer, buf, sizeof buf, MSG_DONTWAIT);
	(void)arg;
	printf("writecb in loop thread %d, peer got %d \"%.*s\"\n", pthread_equal(pthread_self(), loop_thread) != 0,
	    (int)n, (int)(n > 0 ? n : 0), buf);
	bufferevent_free(bev);
}

static void *writer(void *arg)
{
	struct bufferevent *bev = arg;
	usleep(50000); /* let the loop block in epoll_wait */
	bufferevent_lock(bev);
	bufferevent_write(bev, "from another thread", 19);
	bufferevent_unlock(bev);
	return NULL;
}

int main(void)
{
	struct event_base *base;
	pthread_t t;
	int sv[2];
	evthread_use_pthreads();
	base = event_base_new();
	loop_thread = pthread_self();
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	peer = sv[1];
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_THREADSAFE | BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, NULL, writecb, NULL, NULL);
	bufferevent_enable(bev, EV_READ); /* keeps the loop waiting */
	pthread_create(&t, NULL, writer, bev);
	int r = event_base_dispatch(base);
	pthread_join(t, NULL);
	printf("dispatch: %d\n", r);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
