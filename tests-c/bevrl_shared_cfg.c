/* One ev_token_bucket_cfg shared by several bufferevents gives each its own bucket (a
 * one-day tick: no refill during the test): spending on one leaves the others full, and
 * each reports the same cfg pointer. Switching a bufferevent to another cfg keeps its
 * bucket, only clipped down to the new burst (switching back does not raise it again);
 * removing the cfg and setting one again starts over at one tick's rate. A refill timer
 * armed by an emptied bucket is dropped with the limit: reading resumes at once. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static struct bufferevent *b[3];

static void show(const char *when)
{
	int i;
	printf("%-44s", when);
	for (i = 0; i < 3; i++) {
		long r = (long)bufferevent_get_read_limit(b[i]);
		long w = (long)bufferevent_get_write_limit(b[i]);
		if (r == (long)EV_SSIZE_MAX)
			printf(" | none");
		else
			printf(" | r %5ld w %5ld", r, w);
	}
	printf("\n");
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval day = {86400, 0};
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(1000, 5000, 2000, 6000, &day);
	struct ev_token_bucket_cfg *small = ev_token_bucket_cfg_new(100, 300, 200, 1500, &day);
	int i, sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	b[0] = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	b[1] = bufferevent_socket_new(base, -1, 0);
	b[2] = bufferevent_socket_new(base, -1, 0);
	bufferevent_enable(b[0], EV_READ);
	for (i = 0; i < 3; i++)
		bufferevent_set_rate_limit(b[i], cfg);
	printf("all report the shared cfg: %d %d %d\n", bufferevent_get_token_bucket_cfg(b[0]) == cfg,
	    bufferevent_get_token_bucket_cfg(b[1]) == cfg, bufferevent_get_token_bucket_cfg(b[2]) == cfg);
	show("shared cfg, fresh buckets");
	bufferevent_decrement_read_limit(b[1], 600);
	bufferevent_decrement_write_limit(b[2], 1500);
	show("b1 spent 600 read, b2 1500 write");
	bufferevent_set_rate_limit(b[0], small);
	bufferevent_set_rate_limit(b[1], small);
	printf("b0 reports the new cfg: %d, b2 the old: %d\n", bufferevent_get_token_bucket_cfg(b[0]) == small,
	    bufferevent_get_token_bucket_cfg(b[2]) == cfg);
	show("b0, b1 switched to burst 300/1500");
	bufferevent_set_rate_limit(b[0], cfg);
	show("b0 switched back");
	bufferevent_set_rate_limit(b[1], NULL);
	show("b1 limit removed");
	bufferevent_set_rate_limit(b[1], small);
	show("b1 limited again");
	bufferevent_decrement_read_limit(b[0], 400);
	printf("b0 emptied: read pending %d\n", event_pending(&b[0]->ev_read, EV_READ, NULL) != 0);
	bufferevent_set_rate_limit(b[0], NULL);
	printf("b0 limit removed: read pending %d, max_to_read %d\n", event_pending(&b[0]->ev_read, EV_READ, NULL) != 0,
	    (int)bufferevent_get_max_to_read(b[0]));
	for (i = 0; i < 3; i++)
		bufferevent_free(b[i]);
	close(sv[1]);
	event_base_loop(base, EVLOOP_NONBLOCK);
	ev_token_bucket_cfg_free(cfg);
	ev_token_bucket_cfg_free(small);
	event_base_free(base);
	return 0;
}
