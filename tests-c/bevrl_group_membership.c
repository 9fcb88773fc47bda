/* Group membership (one-day ticks: no refill here). A member's share is the group bucket
 * divided by the member count, and a freed bufferevent still counts until the loop has
 * finalized it. Moving a member to another group lifts the old group's suspension for it
 * and counts its bytes in the new group only. The group suspension and a bufferevent's
 * own one are separate: leaving a suspended group does not lift an own empty bucket.
 * Adding to a NULL group is a no-op for a bufferevent in no group. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static struct bufferevent *b[3];
static int peer[3];

static void drain(struct bufferevent *bev, void *arg)
{
	(void)arg;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
}

static void reading(const char *when)
{
	printf("%-46s read pending: %d %d\n", when, event_pending(&b[0]->ev_read, EV_READ, NULL) != 0,
	    event_pending(&b[1]->ev_read, EV_READ, NULL) != 0);
}

static void totals(const char *name, struct bufferevent_rate_limit_group *g)
{
	ev_uint64_t r, w;
	bufferevent_rate_limit_group_get_totals(g, &r, &w);
	printf("group %s totals: read %d written %d\n", name, (int)r, (int)w);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval day = {86400, 0};
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(1000, 1000, 1000, 1000, &day);
	struct ev_token_bucket_cfg *own = ev_token_bucket_cfg_new(500, 500, 500, 500, &day);
	struct bufferevent_rate_limit_group *ga = bufferevent_rate_limit_group_new(base, cfg);
	struct bufferevent_rate_limit_group *gb = bufferevent_rate_limit_group_new(base, cfg);
	int i, sv[2], r;
	for (i = 0; i < 3; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
			return 1;
		fcntl(sv[0], F_SETFL, O_NONBLOCK);
		peer[i] = sv[1];
		b[i] = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
		bufferevent_setcb(b[i], drain, NULL, NULL, NULL);
		bufferevent_enable(b[i], EV_READ);
		bufferevent_add_to_rate_limit_group(b[i], ga);
	}
	printf("3 members: max_to_read %d\n", (int)bufferevent_get_max_to_read(b[0]));
	bufferevent_free(b[2]);
	close(peer[2]);
	printf("one freed, loop not run yet: max_to_read %d\n", (int)bufferevent_get_max_to_read(b[0]));
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("after the loop ran: max_to_read %d\n", (int)bufferevent_get_max_to_read(b[0]));

	reading("both in group A");
	bufferevent_rate_limit_group_decrement_read(ga, 1000);
	reading("group A's read bucket emptied");
	printf("max_to_read in the suspended group: %d\n", (int)bufferevent_get_max_to_read(b[1]));
	r = bufferevent_add_to_rate_limit_group(b[0], gb);
	printf("b0 moved to group B: %d\n", r);
	reading("b0 in B");
	if (write(peer[0], "hello", 5) != 5 || write(peer[1], "world", 5) != 5)
		return 1;
	event_base_loop(base, EVLOOP_NONBLOCK);
	totals("A", ga);
	totals("B", gb);
	printf("B's read bucket %d, A's %d\n", (int)bufferevent_rate_limit_group_get_read_limit(gb),
	    (int)bufferevent_rate_limit_group_get_read_limit(ga));

	bufferevent_set_rate_limit(b[1], own);
	bufferevent_decrement_read_limit(b[1], 500);
	bufferevent_remove_from_rate_limit_group(b[1]);
	reading("b1 left A with its own bucket empty");
	event_base_loop(base, EVLOOP_NONBLOCK);
	totals("A", ga);
	bufferevent_set_rate_limit(b[1], NULL);
	reading("b1's own limit removed");
	event_base_loop(base, EVLOOP_NONBLOCK);
	totals("A after b1 read, no longer a member", ga);
	printf("b1 has no cfg: %d\n", bufferevent_get_token_bucket_cfg(b[1]) == NULL);

	r = bufferevent_add_to_rate_limit_group(b[1], NULL);
	printf("b1 (in no group) added to NULL: %d, max_to_read %d\n", r, (int)bufferevent_get_max_to_read(b[1]));

	bufferevent_free(b[0]);
	bufferevent_free(b[1]);
	close(peer[0]);
	close(peer[1]);
	event_base_loop(base, EVLOOP_NONBLOCK);
	bufferevent_rate_limit_group_free(ga);
	bufferevent_rate_limit_group_free(gb);
	ev_token_bucket_cfg_free(cfg);
	ev_token_bucket_cfg_free(own);
	event_base_free(base);
	return 0;
}
