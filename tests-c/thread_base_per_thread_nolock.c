/* Threads enabled, yet one base per thread created with EVENT_BASE_FLAG_NOLOCK (memcached's
 * and many servers' layout): each thread's loop serves its own socketpair ping-pong and
 * timers, undisturbed by the others. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/thread.h>

#define NTHREADS 4
#define ROUNDS 200

struct worker {
	struct event_base *base;
	int sv[2];
	int pings, timers;
	int method_ok;
};

static void on_ping(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	char c;
	(void)what;
	if (read(fd, &c, 1) != 1)
		return;
	if (++w->pings < ROUNDS) {
		if (write(w->sv[1], "p", 1) != 1)
			event_base_loopbreak(w->base);
	}
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	(void)fd; (void)what;
	/* Done once the ping-pong finished and the persistent timer fired a few times. */
	if (++w->timers >= 5 && w->pings >= ROUNDS)
		event_base_loopexit(w->base, NULL);
}

static void *run(void *arg)
{
	struct worker *w = arg;
	struct event_config *cfg = event_config_new();
	event_config_set_flag(cfg, EVENT_BASE_FLAG_NOLOCK);
	w->base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	w->method_ok = w->base && event_base_get_method(w->base) != NULL;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, w->sv) < 0)
		return NULL;
	struct event *rd = event_new(w->base, w->sv[0], EV_READ | EV_PERSIST, on_ping, w);
	struct event *tm = event_new(w->base, -1, EV_PERSIST, on_timer, w);
	struct timeval t5 = {0, 5000};
	event_add(rd, NULL);
	event_add(tm, &t5);
	if (write(w->sv[1], "p", 1) != 1)
		return NULL;
	event_base_dispatch(w->base);
	event_free(rd);
	event_free(tm);
	event_base_free(w->base);
	close(w->sv[0]);
	close(w->sv[1]);
	return NULL;
}

int main(void)
{
	printf("use_pthreads=%d\n", evthread_use_pthreads());
	struct worker w[NTHREADS] = {{0}};
	pthread_t th[NTHREADS];
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, run, &w[i]);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < NTHREADS; i++)
		printf("thread %d: base ok=%d pings=%d timers>=5=%d\n", i, w[i].method_ok, w[i].pings, w[i].timers >= 5);
	return 0;
}
