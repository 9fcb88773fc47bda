/* A call refused because of a freeze leaves errno exactly as it was: the stale
 * EINPROGRESS from an earlier non-blocking connect() that users of
 * evbuffer_write(bufferevent_get_output(bev), fd) saw in libevent 2.x (docs/freeze.md). */
#include <event2/buffer.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static void show(const char *what, int r, int before)
{
	int e = errno;
	printf("%s: %d errno %s\n", what, r, e == before ? "unchanged" : "changed");
}

int main(void)
{
	struct evbuffer *b = evbuffer_new();
	int sv[2];
	char out[4];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	evbuffer_add(b, "data", 4);
	evbuffer_freeze(b, 1);
	errno = EINPROGRESS;
	{ int r = evbuffer_write(b, sv[0]); show("write (start frozen), errno was EINPROGRESS", r, EINPROGRESS); }
	errno = EAGAIN;
	{ int r = evbuffer_drain(b, 1); show("drain (start frozen), errno was EAGAIN", r, EAGAIN); }
	errno = 0;
	{ int r = evbuffer_remove(b, out, 1); show("remove (start frozen)", r, 0); }
	evbuffer_unfreeze(b, 1);
	evbuffer_freeze(b, 0);
	errno = EINPROGRESS;
	{ int r = evbuffer_add(b, "x", 1); show("add (end frozen), errno was EINPROGRESS", r, EINPROGRESS); }
	errno = 0;
	{ int r = evbuffer_add_printf(b, "%d", 1); show("add_printf (end frozen)", r, 0); }
	errno = 0;
	{ int r = evbuffer_drain(b, 1); show("drain (end frozen: allowed)", r, 0); }
	printf("length %zu\n", evbuffer_get_length(b));
	evbuffer_free(b);
	return 0;
}
