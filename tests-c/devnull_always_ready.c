/* /dev/null as an fd: with the poll or select backend it is always readable and
 * writable. (libevent's epoll backend refuses it, event_add fails; evshim behaves as
 * poll does there instead: see epoll_refused_fds_act_like_poll.c.) */
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("  %s what=0x%02x\n", (const char *)arg, what);
}

static void quiet(int sev, const char *msg) { (void)sev; (void)msg; }

static void run(const char *avoid1, const char *avoid2)
{
	struct event_config *cfg = event_config_new();
	struct event_base *base;
	int fd = open("/dev/null", O_RDWR);

	if (avoid1)
		event_config_avoid_method(cfg, avoid1);
	if (avoid2)
		event_config_avoid_method(cfg, avoid2);
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	printf("method %s:\n", event_base_get_method(base));
	struct event *r = event_new(base, fd, EV_READ, cb, "read");
	struct event *w = event_new(base, fd, EV_WRITE, cb, "write");
	int ra = event_add(r, NULL);
	int wa = event_add(w, NULL);
	printf("  add read=%d add write=%d\n", ra, wa);
	printf("  loop=%d\n", event_base_loop(base, EVLOOP_NONBLOCK));
	event_free(r);
	event_free(w);
	event_base_free(base);
	close(fd);
}

int main(void)
{
	event_set_log_callback(quiet);
	run("epoll", NULL);
	run("epoll", "poll");
	return 0;
}
