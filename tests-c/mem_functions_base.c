/* event_set_mem_functions: event_base_new / event_config allocate through the
 * replacement functions and event_base_free / event_config_free give it all back. */
#include <stdio.h>
#include <stdlib.h>
#include <event2/event.h>

static long n_malloc, n_realloc, n_free, outstanding;

static void *my_malloc(size_t n) { n_malloc++; outstanding++; return malloc(n); }
static void *my_realloc(void *p, size_t n) { n_realloc++; if (!p) outstanding++; return realloc(p, n); }
static void my_free(void *p) { if (p) { n_free++; outstanding--; } free(p); }

int main(void)
{
	event_set_mem_functions(my_malloc, my_realloc, my_free);
	long m0 = n_malloc + n_realloc;
	struct event_base *base = event_base_new();
	printf("event_base_new allocates through them: %d\n", n_malloc + n_realloc > m0);
	long f0 = n_free;
	event_base_free(base);
	printf("event_base_free frees through them: %d\n", n_free > f0);
	printf("nothing outstanding: %d\n", outstanding == 0);

	m0 = n_malloc + n_realloc;
	struct event_config *cfg = event_config_new();
	event_config_avoid_method(cfg, "epoll");
	printf("event_config allocates through them: %d\n", n_malloc + n_realloc > m0);
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	event_base_free(base);
	printf("nothing outstanding after config + poll base: %d\n", outstanding == 0);
	return 0;
}
