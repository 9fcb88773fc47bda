/* Freeing a filter: with BEV_OPT_CLOSE_ON_FREE it frees the underlying bufferevent too
 * (whose own CLOSE_ON_FREE then closes the socket when the loop runs); without it the
 * underlying bufferevent lives on with its callbacks reset to NULL and reading no longer
 * suspended by the filter. The filter's free_context callback runs either way. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_struct.h>

static void free_ctx(void *ctx)
{
	printf("  free_context(%s)\n", (const char *)ctx);
}

static void run(int options)
{
	struct event_base *base = event_base_new();
	bufferevent_data_cb r = NULL, w = NULL;
	bufferevent_event_cb e = NULL;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	printf("%s:\n", options ? "filter with BEV_OPT_CLOSE_ON_FREE" : "filter without options");
	struct bufferevent *u = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	struct bufferevent *f = bufferevent_filter_new(u, NULL, NULL, options, free_ctx, "ctx");
	bufferevent_free(f);
	printf("  filter freed; loop\n");
	event_base_loop(base, EVLOOP_NONBLOCK);
	printf("  socket open %d\n", fcntl(sv[0], F_GETFD) != -1);
	if (!options) {
		bufferevent_getcb(u, &r, &w, &e, NULL);
		printf("  underlying callbacks NULL %d%d%d, enabled 0x%02x, read pending %d\n", r == NULL, w == NULL,
		    e == NULL, bufferevent_get_enabled(u), event_pending(&u->ev_read, EV_READ, NULL) != 0);
		bufferevent_free(u);
		event_base_loop(base, EVLOOP_NONBLOCK);
		printf("  underlying freed: socket open %d\n", fcntl(sv[0], F_GETFD) != -1);
	}
	close(sv[1]);
	event_base_free(base);
}

int main(void)
{
	run(BEV_OPT_CLOSE_ON_FREE);
	run(0);
	return 0;
}
