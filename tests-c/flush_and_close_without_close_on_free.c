/* evshim-only */
/* bufferevent_flush_and_close on a socket bufferevent without BEV_OPT_CLOSE_ON_FREE
 * (docs/flush-and-close.md, "The descriptor"): evshim works on a dup of the fd, so the
 * program may close its own descriptor right after the call, and the number may even be
 * reused at once (here by /dev/null). All 8 MiB still arrive (the last 512 KiB read
 * slowly), then EOF; once event_base_dispatch returns, the duplicate is closed too (the
 * process has as many descriptors open as before the connection, plus /dev/null), and the
 * file that reused the number is untouched. */
#include <dirent.h>
#include <signal.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <evshim.h>
#include "flush_peer.h"

#ifndef EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE
#error "evshim.h does not declare bufferevent_flush_and_close (EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE)"
#endif

#define MSG_LEN (8 << 20)
#define SLOW_TAIL (512 << 10)

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;
	if (!d)
		exit(1);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}

int main(void)
{
	unsigned char *msg = pattern_message(MSG_LEN);
	struct peer_opts o = message_peer(msg, MSG_LEN, SLOW_TAIL);
	struct flush_peer peer;
	int fd, devnull, before, r;
	signal(SIGPIPE, SIG_IGN);
	fd = flush_server(&peer, &o, 65536);
	struct event_base *base = event_base_new();
	before = open_fds(); /* the base's descriptors included */
	struct bufferevent *bev = bufferevent_socket_new(base, fd, 0);
	bufferevent_setcb(bev, NULL, late_datacb, late_eventcb, NULL);
	bufferevent_write(bev, msg, MSG_LEN);
	closing = 1;
	check(bufferevent_flush_and_close(bev) == 0, "bufferevent_flush_and_close returned 0");
	check(close(fd) == 0, "the program closed its own descriptor right after the call");
	devnull = open("/dev/null", O_WRONLY);
	check(devnull >= 0, "/dev/null opened (taking the lowest free number, perhaps the socket's)");
	r = event_base_dispatch(base);
	check(r == 0 || r == 1, "event_base_dispatch returned normally");
	check(open_fds() == before, "the duplicate is closed when event_base_dispatch returns");
	check(fcntl(devnull, F_GETFD) != -1 && write(devnull, "x", 1) == 1, "/dev/null is still open and usable");
	check(late_callbacks == 0, "no callback of the bufferevent ran after the call");
	event_base_free(base);
	check_peer_got_all(&peer, MSG_LEN);
	close(devnull);
	free(msg);
	return failures ? 1 : 0;
}
