/* A rate-limit group (one-day tick, so it never refills here): each member may move
 * the group bucket divided by the number of members, but never less than the group's
 * min_share (default 64, and never more than the group's rate), and a member's own
 * bucket or max_single limit still applies on top. Group buckets start at the rate;
 * bufferevent_rate_limit_group_set_cfg clips them to the new burst. A group bucket driven
 * to or below 0 suspends the group and its members' share is then 0 (see also
 * bevrl_group_totals_suspend). */
#include <stdio.h>
#include <event2/event.h>
#include <event2/bufferevent.h>

static struct bufferevent *b[4];

static void show(struct bufferevent_rate_limit_group *g, const char *when)
{
	printf("%-40s group read %5d write %5d | member max read %4d write %4d\n", when,
	    (int)bufferevent_rate_limit_group_get_read_limit(g), (int)bufferevent_rate_limit_group_get_write_limit(g),
	    (int)bufferevent_get_max_to_read(b[0]), (int)bufferevent_get_max_to_write(b[0]));
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval day = {86400, 0};
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(1000, 3000, 2000, 4000, &day);
	struct ev_token_bucket_cfg *small = ev_token_bucket_cfg_new(100, 200, 150, 150, &day);
	struct ev_token_bucket_cfg *own = ev_token_bucket_cfg_new(40, 40, 40, 40, &day);
	struct bufferevent_rate_limit_group *g = bufferevent_rate_limit_group_new(base, cfg);
	int i, r;
	for (i = 0; i < 4; i++)
		b[i] = bufferevent_socket_new(base, -1, 0);
	printf("group_new: %d\n", g != NULL);
	r = bufferevent_add_to_rate_limit_group(b[0], g);
	printf("add: %d\n", r);
	show(g, "1 member");
	r = bufferevent_add_to_rate_limit_group(b[0], g);
	printf("add the same member again: %d\n", r);
	show(g, "still 1 member");
	for (i = 1; i < 4; i++)
		bufferevent_add_to_rate_limit_group(b[i], g);
	show(g, "4 members");
	bufferevent_rate_limit_group_set_min_share(g, 300);
	show(g, "min_share 300");
	bufferevent_rate_limit_group_set_min_share(g, 5000);
	show(g, "min_share 5000 (capped at the rates)");
	bufferevent_rate_limit_group_set_min_share(g, 0);
	show(g, "min_share 0");
	bufferevent_rate_limit_group_set_min_share(g, 64);
	bufferevent_rate_limit_group_decrement_read(g, 900);
	show(g, "group read -900: 100/4 < min_share 64");
	bufferevent_rate_limit_group_decrement_read(g, -900);
	bufferevent_rate_limit_group_decrement_write(g, 2500);
	show(g, "group write -2500: below 0");
	bufferevent_rate_limit_group_decrement_write(g, -2500);
	bufferevent_set_max_single_read(b[0], 10);
	show(g, "member max_single_read 10");
	bufferevent_set_rate_limit(b[0], own);
	show(g, "member's own bucket 40");
	bufferevent_set_rate_limit(b[0], NULL);
	bufferevent_set_max_single_read(b[0], 0);
	r = bufferevent_remove_from_rate_limit_group(b[3]);
	printf("remove: %d\n", r);
	show(g, "3 members");
	r = bufferevent_remove_from_rate_limit_group(b[3]);
	printf("remove a non-member: %d\n", r);
	r = bufferevent_rate_limit_group_set_cfg(g, small);
	printf("set_cfg: %d\n", r);
	show(g, "cfg read 100/200, write 150/150");
	r = bufferevent_rate_limit_group_set_cfg(g, NULL);
	printf("set_cfg(NULL): %d\n", r);
	for (i = 0; i < 4; i++)
		bufferevent_free(b[i]);
	event_base_loop(base, EVLOOP_NONBLOCK);
	bufferevent_rate_limit_group_free(g);
	ev_token_bucket_cfg_free(cfg);
	ev_token_bucket_cfg_free(small);
	ev_token_bucket_cfg_free(own);
	event_base_free(base);
	return 0;
}
