/* evshim-only */
/* evshim extension: a call refused because of a freeze sets errno to EBUSY (libevent leaves
 * whatever errno was before, e.g. a stale EINPROGRESS from connect()). */
#include <event2/buffer.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static void show(const char *what, int r)
{
	printf("%s: %d errno=%s\n", what, r, errno == EBUSY ? "EBUSY" : errno == 0 ? "0" : strerror(errno));
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
	{ int r = evbuffer_write(b, sv[0]); show("write", r); }
	errno = 0;
	{ int r = evbuffer_drain(b, 1); show("drain", r); }
	errno = 0;
	{ int r = evbuffer_remove(b, out, 1); show("remove", r); }
	evbuffer_unfreeze(b, 1);
	evbuffer_freeze(b, 0);
	errno = 0;
	{ int r = evbuffer_add(b, "x", 1); show("add", r); }
	errno = 0;
	{ int r = evbuffer_add_printf(b, "%d", 1); show("add_printf", r); }
	/* Not refused: errno untouched. */
	errno = 0;
	{ int r = evbuffer_drain(b, 1); show("drain (end frozen)", r); }
	evbuffer_free(b);
	return 0;
}
