/* ev_token_bucket_cfg_new refuses a rate above its burst, a rate of 0 and values above
 * EV_RATE_LIMIT_MAX (NULL); a NULL tick length means one second. A bufferevent given a
 * cfg reports it back with bufferevent_get_token_bucket_cfg; setting the same cfg again
 * is a no-op, and NULL removes the limit. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/bufferevent.h>

static void try_cfg(const char *what, size_t rr, size_t rb, size_t wr, size_t wb, const struct timeval *tick)
{
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(rr, rb, wr, wb, tick);
	printf("%-40s %s\n", what, cfg ? "ok" : "NULL");
	if (cfg)
		ev_token_bucket_cfg_free(cfg);
}

int main(void)
{
	struct timeval tick = {0, 100000};
	struct event_base *base = event_base_new();
	try_cfg("read 10/10 write 20/30, 100 ms tick", 10, 10, 20, 30, &tick);
	try_cfg("NULL tick", 10, 10, 20, 30, NULL);
	try_cfg("read rate 11 > burst 10", 11, 10, 20, 30, &tick);
	try_cfg("write rate 31 > burst 30", 10, 10, 31, 30, &tick);
	try_cfg("read rate 0", 0, 10, 20, 30, &tick);
	try_cfg("write rate 0 burst 0", 10, 10, 0, 0, &tick);
	try_cfg("read burst EV_RATE_LIMIT_MAX", 10, EV_RATE_LIMIT_MAX, 20, 30, &tick);
	try_cfg("read burst EV_RATE_LIMIT_MAX + 1", 10, (size_t)EV_RATE_LIMIT_MAX + 1, 20, 30, &tick);
	try_cfg("write rate = burst = EV_RATE_LIMIT_MAX + 1", 10, 10, (size_t)EV_RATE_LIMIT_MAX + 1,
	    (size_t)EV_RATE_LIMIT_MAX + 1, &tick);

	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(1000, 2000, 3000, 4000, &tick);
	struct bufferevent *bev = bufferevent_socket_new(base, -1, 0);
	int r = bufferevent_set_rate_limit(bev, cfg);
	printf("set_rate_limit: %d, cfg reported %d\n", r, bufferevent_get_token_bucket_cfg(bev) == cfg);
	r = bufferevent_set_rate_limit(bev, cfg);
	printf("same cfg again: %d\n", r);
	r = bufferevent_set_rate_limit(bev, NULL);
	printf("set_rate_limit(NULL): %d, cfg reported NULL %d\n", r, bufferevent_get_token_bucket_cfg(bev) == NULL);
	r = bufferevent_set_rate_limit(bev, NULL);
	printf("NULL again: %d\n", r);
	bufferevent_free(bev);
	ev_token_bucket_cfg_free(cfg);
	event_base_free(base);
	return 0;
}
