/* BEV_OPT_THREADSAFE|BEV_OPT_DEFER_CALLBACKS|BEV_OPT_UNLOCK_CALLBACKS: the deferred
 * callbacks run without the bufferevent's lock held, so another thread can lock the
 * bufferevent while the read callback is running (the callback waits for that thread).
 * With THREADSAFE|DEFER_CALLBACKS alone the lock is held: the other thread's
 * bufferevent_lock only returns after the callback has returned. */
#include <pthread.h>
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

static volatile int in_callback, locked_during_callback;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int got_lock;
static pthread_t locker_thread;

static void *locker(void *arg)
{
	struct bufferevent *bev = arg;
	bufferevent_lock(bev);
	locked_during_callback = in_callback;
	bufferevent_unlock(bev);
	pthread_mutex_lock(&mu);
	got_lock = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	return NULL;
}

static void readcb(struct bufferevent *bev, void *arg)
{
	struct timespec until;
	int waited_ok;
	(void)arg;
	in_callback = 1;
	got_lock = 0;
	pthread_create(&locker_thread, NULL, locker, bev);
	/* Wait up to 300 ms for the other thread to get the lock. */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 300000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&mu);
	while (!got_lock && pthread_cond_timedwait(&cv, &mu, &until) == 0)
		;
	waited_ok = got_lock;
	pthread_mutex_unlock(&mu);
	in_callback = 0;
	printf("  other thread locked the bufferevent while the callback ran: %s\n", waited_ok ? "yes" : "no");
	evbuffer_drain(bufferevent_get_input(bev), 1);
}

static void run(int options, const char *name)
{
	struct event_base *base = event_base_new();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], options | BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, readcb, NULL, NULL, NULL);
	bufferevent_enable(bev, EV_READ);
	if (write(sv[1], "x", 1) != 1)
		return;
	printf("%s:\n", name);
	event_base_loop(base, EVLOOP_ONCE);
	pthread_join(locker_thread, NULL);
	printf("  the other thread got the lock %s the callback returned\n",
	    locked_during_callback ? "before" : "after");
	bufferevent_free(bev);
	close(sv[1]);
	event_base_free(base);
}

int main(void)
{
	evthread_use_pthreads();
	run(BEV_OPT_THREADSAFE | BEV_OPT_DEFER_CALLBACKS | BEV_OPT_UNLOCK_CALLBACKS,
	    "THREADSAFE|DEFER_CALLBACKS|UNLOCK_CALLBACKS");
	run(BEV_OPT_THREADSAFE | BEV_OPT_DEFER_CALLBACKS, "THREADSAFE|DEFER_CALLBACKS");
	return 0;
}
