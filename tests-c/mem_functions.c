/* event_set_mem_functions: the core allocates through the replacement functions,
 * and everything it allocated is freed by event_free/event_base_free.
 * (Exact counts are libevent's business; only whether they are used is compared.) */
#include <stdio.h>
#include <stdlib.h>
#include <event2/event.h>

static long n_malloc, n_realloc, n_free, outstanding;

static void *my_malloc(size_t n)
{
	n_malloc++;
	outstanding++;
	return malloc(n);
}

static void *my_realloc(void *p, size_t n)
{
	n_realloc++;
	if (!p)
		outstanding++;
	return realloc(p, n);
}

static void my_free(void *p)
{
	if (p) {
		n_free++;
		outstanding--;
	}
	free(p);
}

static void cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }

int main(void)
{
	event_set_mem_functions(my_malloc, my_realloc, my_free);
	long m0 = n_malloc + n_realloc;
	struct event_base *base = event_base_new();
	printf("event_base_new allocates through them: %d\n", n_malloc + n_realloc > m0);
	long m1 = n_malloc;
	struct event *ev = event_new(base, -1, EV_PERSIST, cb, NULL);
	printf("event_new uses malloc: %d\n", n_malloc > m1);
	struct timeval tv = {0, 1000};
	event_add(ev, &tv);
	event_base_loop(base, EVLOOP_ONCE);
	long f0 = n_free;
	event_free(ev);
	printf("event_free uses free: %d\n", n_free > f0);
	event_base_once(base, -1, EV_TIMEOUT, cb, NULL, &tv);
	event_base_dispatch(base);
	struct event_config *cfg = event_config_new();
	event_config_avoid_method(cfg, "epoll");
	struct event_base *b2 = event_base_new_with_config(cfg);
	event_config_free(cfg);
	event_base_free(b2);
	f0 = n_free;
	event_base_free(base);
	printf("event_base_free uses free: %d\n", n_free > f0);
	printf("nothing outstanding: %d\n", outstanding == 0);
	return 0;
}
