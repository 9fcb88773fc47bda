/* A regular file fd: poll reports it ready. (libevent's epoll backend refuses it;
 * evshim behaves as poll does there instead: see epoll_refused_fds_act_like_poll.c.) */
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <event2/event.h>

static int log_count, last_sev = -1;
static void logcb(int sev, const char *msg) { (void)msg; log_count++; last_sev = sev; }

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	printf("  %s what=0x%02x\n", (const char *)arg, what);
}

static void run(int fd, const char *avoid)
{
	struct event_config *cfg = event_config_new();
	if (avoid)
		event_config_avoid_method(cfg, avoid);
	struct event_base *base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	printf("method %s:\n", event_base_get_method(base));
	struct event *r = event_new(base, fd, EV_READ | EV_WRITE, cb, "rw");
	log_count = 0;
	last_sev = -1;
	int a = event_add(r, NULL);
	printf("  add=%d logged=%d severity=%d\n", a, log_count > 0, last_sev);
	printf("  pending=0x%02x\n", event_pending(r, EV_READ | EV_WRITE, NULL));
	printf("  loop=%d\n", event_base_loop(base, EVLOOP_NONBLOCK));
	event_free(r);
	event_base_free(base);
}

int main(void)
{
	char path[] = "/tmp/evshim-regfile-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 1;
	unlink(path);
	if (write(fd, "data", 4) != 4)
		return 1;
	event_set_log_callback(logcb);
	run(fd, "epoll");
	close(fd);
	return 0;
}
