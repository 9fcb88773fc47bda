/* Rate-limit calls that libevent guards with assertions abort the process (after an
 * error-severity log message): freeing a group that still has a member (and a freed
 * bufferevent stays a member until the loop has finalized it), decrementing the own
 * bucket of a bufferevent without a rate-limit configuration (a group alone is not
 * enough), and asking a NULL group for its totals. Freeing the group once the loop ran
 * after bufferevent_free is fine. Each case runs in a forked child. */
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <event2/event.h>
#include <event2/bufferevent.h>

static void logcb(int sev, const char *msg)
{
	(void)msg;
	printf("    log severity %d\n", sev);
	fflush(stdout);
}

static void child(int which)
{
	struct event_base *base = event_base_new();
	struct timeval day = {86400, 0};
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(100, 100, 100, 100, &day);
	struct bufferevent_rate_limit_group *g = bufferevent_rate_limit_group_new(base, cfg);
	struct bufferevent *bev = bufferevent_socket_new(base, -1, 0);
	ev_uint64_t r, w;
	event_set_log_callback(logcb);
	switch (which) {
	case 0:
		bufferevent_add_to_rate_limit_group(bev, g);
		bufferevent_rate_limit_group_free(g);
		break;
	case 1:
		bufferevent_add_to_rate_limit_group(bev, g);
		bufferevent_free(bev);
		bufferevent_rate_limit_group_free(g);
		break;
	case 2:
		bufferevent_add_to_rate_limit_group(bev, g);
		bufferevent_free(bev);
		event_base_loop(base, EVLOOP_NONBLOCK);
		bufferevent_rate_limit_group_free(g);
		break;
	case 3:
		bufferevent_decrement_read_limit(bev, 1);
		break;
	case 4:
		bufferevent_add_to_rate_limit_group(bev, g);
		bufferevent_decrement_write_limit(bev, 1);
		break;
	case 5:
		bufferevent_set_rate_limit(bev, cfg);
		bufferevent_set_rate_limit(bev, NULL);
		bufferevent_decrement_read_limit(bev, 1);
		break;
	case 6:
		bufferevent_rate_limit_group_get_totals(NULL, &r, &w);
		break;
	}
	printf("    returned\n");
	fflush(stdout);
	ev_token_bucket_cfg_free(cfg);
	event_base_free(base);
	_exit(0);
}

static void run(int which, const char *what)
{
	int st;
	printf("%s:\n", what);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		child(which);
	waitpid(pid, &st, 0);
	printf("  exited=%d aborted=%d\n", WIFEXITED(st), WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
}

int main(void)
{
	run(0, "group_free with a member");
	run(1, "group_free right after bufferevent_free of the member");
	run(2, "group_free after the loop finalized the freed member");
	run(3, "decrement_read_limit without any rate limiting");
	run(4, "decrement_write_limit with only a group");
	run(5, "decrement_read_limit after the limit was removed");
	run(6, "get_totals(NULL)");
	return 0;
}
