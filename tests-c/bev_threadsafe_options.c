/* BEV_OPT_THREADSAFE needs locking: before evthread_use_pthreads() every constructor
 * given it fails (returns NULL / -1); afterwards it works. BEV_OPT_UNLOCK_CALLBACKS is
 * refused (NULL) unless BEV_OPT_DEFER_CALLBACKS is given too, except for pairs, which
 * always defer. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <event2/bufferevent.h>

static void try_all(struct event_base *base)
{
	struct bufferevent *pair[2] = {NULL, NULL};
	struct bufferevent *b = bufferevent_socket_new(base, -1, BEV_OPT_THREADSAFE);
	int r;
	printf("  socket THREADSAFE: %s\n", b ? "ok" : "NULL");
	if (b)
		bufferevent_free(b);
	r = bufferevent_pair_new(base, BEV_OPT_THREADSAFE, pair);
	printf("  pair THREADSAFE: %d\n", r);
	if (r == 0) {
		bufferevent_free(pair[0]);
		bufferevent_free(pair[1]);
	}
	b = bufferevent_socket_new(base, -1, BEV_OPT_UNLOCK_CALLBACKS);
	printf("  socket UNLOCK_CALLBACKS alone: %s\n", b ? "ok" : "NULL");
	if (b)
		bufferevent_free(b);
	b = bufferevent_socket_new(base, -1, BEV_OPT_UNLOCK_CALLBACKS | BEV_OPT_DEFER_CALLBACKS);
	printf("  socket UNLOCK_CALLBACKS|DEFER_CALLBACKS: %s\n", b ? "ok" : "NULL");
	if (b)
		bufferevent_free(b);
	r = bufferevent_pair_new(base, BEV_OPT_UNLOCK_CALLBACKS, pair);
	printf("  pair UNLOCK_CALLBACKS: %d\n", r);
	if (r == 0) {
		bufferevent_free(pair[0]);
		bufferevent_free(pair[1]);
	}
}

int main(void)
{
	struct event_base *base = event_base_new();
	printf("without threads:\n");
	try_all(base);
	event_base_free(base);
	evthread_use_pthreads();
	base = event_base_new();
	printf("after evthread_use_pthreads:\n");
	try_all(base);
	event_base_free(base);
	return 0;
}
