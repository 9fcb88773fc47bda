/* Programs (tmux, for one) read struct bufferevent's public fields directly through
 * <event2/bufferevent_struct.h>: ev_base, input/output (the same buffers the getters
 * return), enabled, the watermarks, the timeouts, and ev_read/ev_write, which are
 * ordinary events on the bufferevent's fd (EV_READ|EV_PERSIST|EV_FINALIZE and
 * EV_WRITE|EV_PERSIST|EV_FINALIZE). */
#include <stddef.h>
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/event_struct.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval rt = {3, 500}, wt = {4, 0};
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	printf("sizeof(struct bufferevent) %d, input at %d, output at %d, ev_read at %d, ev_write at %d\n",
	    (int)sizeof(struct bufferevent), (int)offsetof(struct bufferevent, input),
	    (int)offsetof(struct bufferevent, output), (int)offsetof(struct bufferevent, ev_read),
	    (int)offsetof(struct bufferevent, ev_write));
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	printf("ev_base %d, input %d, output %d, be_ops set %d\n", bev->ev_base == base,
	    bev->input == bufferevent_get_input(bev), bev->output == bufferevent_get_output(bev),
	    bev->be_ops != NULL);
	printf("ev_read: fd ok %d, events 0x%02x, base ok %d, initialized %d\n",
	    event_get_fd(&bev->ev_read) == sv[0], event_get_events(&bev->ev_read),
	    event_get_base(&bev->ev_read) == base, event_initialized(&bev->ev_read));
	printf("ev_write: fd ok %d, events 0x%02x, base ok %d, initialized %d\n",
	    event_get_fd(&bev->ev_write) == sv[0], event_get_events(&bev->ev_write),
	    event_get_base(&bev->ev_write) == base, event_initialized(&bev->ev_write));
	printf("enabled field 0x%02x\n", bev->enabled);
	bufferevent_enable(bev, EV_READ);
	printf("enabled field after enable 0x%02x\n", bev->enabled);
	bufferevent_setwatermark(bev, EV_READ, 1, 2);
	bufferevent_setwatermark(bev, EV_WRITE, 3, 4);
	printf("wm_read %d/%d wm_write %d/%d\n", (int)bev->wm_read.low, (int)bev->wm_read.high,
	    (int)bev->wm_write.low, (int)bev->wm_write.high);
	bufferevent_set_timeouts(bev, &rt, &wt);
	printf("timeout_read %d.%06d timeout_write %d.%06d\n", (int)bev->timeout_read.tv_sec,
	    (int)bev->timeout_read.tv_usec, (int)bev->timeout_write.tv_sec, (int)bev->timeout_write.tv_usec);
	evbuffer_add(bev->output, "direct", 6);
	printf("adding to bev->output arms writing: write pending %d\n",
	    event_pending(&bev->ev_write, EV_WRITE, NULL) != 0);
	event_base_loop(base, EVLOOP_ONCE);
	{
		char buf[16];
		ssize_t n = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
		printf("peer got %d \"%.*s\"\n", (int)n, (int)(n > 0 ? n : 0), buf);
	}
	bufferevent_free(bev);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
