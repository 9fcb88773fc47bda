/* event_set_mem_functions: event_new allocates through the replacement malloc
 * and event_free releases through the replacement free; event_base_once too.
 * (Exact counts are libevent's business; only whether they are used is compared.) */
#include <stdio.h>
#include <stdlib.h>
#include <event2/event.h>

static long n_malloc, n_realloc, n_free, outstanding;

static void *my_malloc(size_t n) { n_malloc++; outstanding++; return malloc(n); }
static void *my_realloc(void *p, size_t n) { n_realloc++; if (!p) outstanding++; return realloc(p, n); }
static void my_free(void *p) { if (p) { n_free++; outstanding--; } free(p); }

static void cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }

int main(void)
{
	event_set_mem_functions(my_malloc, my_realloc, my_free);
	struct event_base *base = event_base_new();
	long m0 = n_malloc;
	struct event *ev = event_new(base, -1, EV_PERSIST, cb, NULL);
	printf("event_new uses malloc: %d\n", n_malloc > m0);
	struct timeval tv = {0, 1000};
	event_add(ev, &tv);
	event_base_loop(base, EVLOOP_ONCE);
	long f0 = n_free;
	event_free(ev);
	printf("event_free uses free: %d\n", n_free > f0);
	/* event_base_once allocates its event and frees it after the callback */
	m0 = n_malloc + n_realloc;
	f0 = n_free;
	event_base_once(base, -1, EV_TIMEOUT, cb, NULL, &tv);
	printf("event_base_once uses malloc: %d\n", n_malloc + n_realloc > m0);
	event_base_dispatch(base);
	printf("and free after it ran: %d\n", n_free > f0);
	event_base_free(base);
	printf("nothing outstanding after event_base_free: %d\n", outstanding == 0);
	return 0;
}
