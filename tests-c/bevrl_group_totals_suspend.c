/* A rate-limit group counts every byte its members read and write
 * (bufferevent_rate_limit_group_get_totals; reset_totals zeroes them). Driving the
 * group's read bucket to 0 or below with bufferevent_rate_limit_group_decrement_read
 * suspends reading on every member (also on one added while suspended) and making it
 * positive again resumes them; leaving the group lifts the group's suspension. */
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

static void totals(struct bufferevent_rate_limit_group *g, const char *when)
{
	ev_uint64_t rd = 12345, wr = 12345;
	bufferevent_rate_limit_group_get_totals(g, &rd, &wr);
	printf("%s: totals read %d written %d\n", when, (int)rd, (int)wr);
}

static void reading(const char *when)
{
	printf("%-36s read pending: %d %d %d\n", when, event_pending(&b[0]->ev_read, EV_READ, NULL) != 0,
	    event_pending(&b[1]->ev_read, EV_READ, NULL) != 0, event_pending(&b[2]->ev_read, EV_READ, NULL) != 0);
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval day = {86400, 0};
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(100000, 100000, 100000, 100000, &day);
	struct bufferevent_rate_limit_group *g = bufferevent_rate_limit_group_new(base, cfg);
	char data[500] = {0};
	int i, sv[2];
	for (i = 0; i < 3; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
			return 1;
		fcntl(sv[0], F_SETFL, O_NONBLOCK);
		peer[i] = sv[1];
		b[i] = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
		bufferevent_enable(b[i], EV_READ);
	}
	bufferevent_add_to_rate_limit_group(b[0], g);
	bufferevent_add_to_rate_limit_group(b[1], g);
	totals(g, "new group");
	if (write(peer[0], data, 300) != 300 || write(peer[1], data, 500) != 500 || write(peer[2], data, 70) != 70)
		return 1;
	bufferevent_write(b[0], data, 200);
	event_base_loop(base, EVLOOP_NONBLOCK);
	totals(g, "members read 300 and 500 and wrote 200 (non-member read 70)");
	printf("group read limit %d, write limit %d\n", (int)bufferevent_rate_limit_group_get_read_limit(g),
	    (int)bufferevent_rate_limit_group_get_write_limit(g));
	bufferevent_rate_limit_group_reset_totals(g);
	totals(g, "reset");
	bufferevent_rate_limit_group_get_totals(g, NULL, NULL);

	reading("before");
	bufferevent_rate_limit_group_decrement_read(g, 99200);
	reading("group read bucket to 0");
	bufferevent_add_to_rate_limit_group(b[2], g);
	reading("third member added");
	bufferevent_rate_limit_group_decrement_read(g, -1);
	reading("bucket back to 1");
	bufferevent_rate_limit_group_decrement_read(g, 10);
	reading("bucket to -9");
	bufferevent_remove_from_rate_limit_group(b[1]);
	reading("second member left the group");
	bufferevent_rate_limit_group_decrement_read(g, -100);
	reading("bucket to 91");

	for (i = 0; i < 3; i++) {
		bufferevent_remove_from_rate_limit_group(b[i]);
		bufferevent_free(b[i]);
		close(peer[i]);
	}
	event_base_loop(base, EVLOOP_NONBLOCK);
	bufferevent_rate_limit_group_free(g);
	ev_token_bucket_cfg_free(cfg);
	event_base_free(base);
	return 0;
}
