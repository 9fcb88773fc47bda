/* evthread_make_base_notifiable succeeds with or without evthread_use_pthreads,
 * on EVENT_BASE_FLAG_NOLOCK bases too, and is idempotent. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/thread.h>

static void quiet(int sev, const char *msg) { (void)sev; (void)msg; }

int main(void)
{
	event_set_log_callback(quiet);
	struct event_base *b = event_base_new();
	printf("no threads: notifiable=%d\n", evthread_make_base_notifiable(b));
	printf("loop still fine=%d\n", event_base_loop(b, EVLOOP_NONBLOCK));
	event_base_free(b);

	evthread_use_pthreads();
	b = event_base_new();
	int r1 = evthread_make_base_notifiable(b);
	int r2 = evthread_make_base_notifiable(b);
	printf("pthreads: notifiable=%d again=%d\n", r1, r2);
	event_base_free(b);

	struct event_config *cfg = event_config_new();
	event_config_set_flag(cfg, EVENT_BASE_FLAG_NOLOCK);
	b = event_base_new_with_config(cfg);
	event_config_free(cfg);
	printf("pthreads + NOLOCK: notifiable=%d\n", evthread_make_base_notifiable(b));
	event_base_free(b);
	return 0;
}
