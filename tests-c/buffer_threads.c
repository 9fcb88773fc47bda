/* evbuffer_enable_locking: refused before threading is enabled, then a buffer shared by
 * four threads that add, drain and move bytes under evbuffer_lock. */
#include <event2/buffer.h>
#include <event2/thread.h>
#include <pthread.h>
#include <stdio.h>

static struct evbuffer *shared, *sink;

static void *worker(void *arg)
{
	(void)arg;
	char d[10] = "0123456789";
	for (int i = 0; i < 100000; i++) {
		evbuffer_add(shared, d, 10);
		if (i % 3 == 0) {
			evbuffer_lock(shared);
			if (evbuffer_get_length(shared) >= 10) evbuffer_drain(shared, 10);
			evbuffer_unlock(shared);
		}
		if (i % 1000 == 0) evbuffer_remove_buffer(shared, sink, 100);
	}
	return NULL;
}

int main(void)
{
	struct evbuffer *early = evbuffer_new();
	printf("enable_locking before threads: %d\n", evbuffer_enable_locking(early, NULL));
	evthread_use_pthreads();
	shared = evbuffer_new();
	sink = evbuffer_new();
	int r1 = evbuffer_enable_locking(shared, NULL);
	int r2 = evbuffer_enable_locking(shared, NULL);
	printf("enable_locking: %d, again: %d\n", r1, r2);
	evbuffer_enable_locking(sink, NULL);
	pthread_t t[4];
	for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
	printf("total=%zu\n", evbuffer_get_length(shared) + evbuffer_get_length(sink) + 10 * (4 * 33334));
	evbuffer_free(shared);
	evbuffer_free(sink);
	evbuffer_free(early);
	return 0;
}
