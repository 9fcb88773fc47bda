/* event_reinit after fork with bufferevents in every state (a server that forks after
 * setting up, as tmux does): a socket bufferevent reading (data already waiting in the
 * kernel), one with pending output behind a full socket (its write event registered), one
 * waiting for a read timeout, one for a write timeout, and a pair with DEFER_CALLBACKS whose
 * read callback is already queued at the fork. The child calls event_reinit and every one
 * of them works again; then the parent, which shares the sockets, runs its own loop on its
 * untouched copies and they work there too. Byte counts that depend on the kernel's buffer
 * size are checked, not printed. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

#define PENDING 200000 /* bytes queued on W behind the full socket */

static struct event_base *base;
static int is_child;
static size_t junk; /* bytes the test itself wrote to fill W's socket before the fork */

static char r_data[64], p_data[64];
static size_t r_len, p_len;
static int p_readcbs, w_writecbs, t_events, x_events, t_what, x_what;
static size_t w_peer_got, w_junk_seen;
static int w_in_order = 1;
static size_t r_want, p_want;

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 + i / 251);
}

static void check_done(void)
{
	size_t w_want = (is_child ? junk : 0) + PENDING;
	if (r_len == r_want && p_len == p_want && w_peer_got == w_want && w_writecbs > 0 && t_events == 1 &&
	    x_events == 1)
		event_base_loopbreak(base);
}

static void append(struct bufferevent *bev, char *dst, size_t *len)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n = evbuffer_get_length(in);
	if (*len + n >= 63)
		n = 63 - *len;
	evbuffer_remove(in, dst + *len, n);
	*len += n;
	dst[*len] = 0;
}

static void r_read(struct bufferevent *bev, void *arg)
{
	(void)arg;
	append(bev, r_data, &r_len);
	check_done();
}

static void p_read(struct bufferevent *bev, void *arg)
{
	(void)arg;
	p_readcbs++;
	append(bev, p_data, &p_len);
	check_done();
}

static void w_write(struct bufferevent *bev, void *arg)
{
	(void)arg;
	if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		w_writecbs++;
	check_done();
}

/* W's peer, a plain event in the same base: the junk first (child only), then the pattern. */
static void w_peer(evutil_socket_t fd, short what, void *arg)
{
	unsigned char buf[65536];
	size_t want_junk = is_child ? junk : 0;
	ssize_t n = read(fd, buf, sizeof buf);
	(void)what; (void)arg;
	for (ssize_t i = 0; i < n; i++, w_peer_got++) {
		if (w_peer_got < want_junk) {
			w_junk_seen += buf[i] == 0xEE;
		} else if (buf[i] != pattern(w_peer_got - want_junk)) {
			w_in_order = 0;
		}
	}
	check_done();
}

static void t_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev; (void)arg;
	t_events++;
	t_what = what;
	check_done();
}

static void x_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev; (void)arg;
	x_events++;
	x_what = what;
	check_done();
}

static void watchdog(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	printf("%s: timed out\n", is_child ? "child" : "parent");
	event_base_loopbreak(base);
}

/* Fill a socket's send side until the kernel takes no more. */
static size_t fill(int fd)
{
	char buf[4096];
	size_t total = 0;
	ssize_t n;
	memset(buf, 0xEE, sizeof buf);
	while ((n = write(fd, buf, sizeof buf)) > 0)
		total += (size_t)n;
	return total;
}

static void run(const char *who, int rpeer, struct bufferevent *p0, struct bufferevent *r, struct bufferevent *t,
    struct bufferevent *x)
{
	struct timeval limit = {5, 0};
	struct event *dog = evtimer_new(base, watchdog, NULL);
	evtimer_add(dog, &limit);
	if (write(rpeer, who, strlen(who)) != (ssize_t)strlen(who))
		printf("%s: write to R's peer failed\n", who);
	bufferevent_write(p0, who, strlen(who));
	int rc = event_base_dispatch(base);
	printf("%s: dispatch %d\n", who, rc);
	printf("%s: R read \"%s\"\n", who, r_data);
	printf("%s: pair read \"%s\" in %d callback(s)\n", who, p_data, p_readcbs);
	printf("%s: W peer got the junk %d, %d pattern bytes, in order %d, writecb on empty output %d\n", who,
	    w_junk_seen == (is_child ? junk : 0), (int)(w_peer_got - w_junk_seen), w_in_order, w_writecbs > 0);
	printf("%s: T event timeout|reading %d (count %d), reading still enabled %d\n", who,
	    t_what == (BEV_EVENT_TIMEOUT | BEV_EVENT_READING), t_events, (bufferevent_get_enabled(t) & EV_READ) != 0);
	printf("%s: X event timeout|writing %d (count %d), writing still enabled %d\n", who,
	    x_what == (BEV_EVENT_TIMEOUT | BEV_EVENT_WRITING), x_events, (bufferevent_get_enabled(x) & EV_WRITE) != 0);
	printf("%s: R still reading %d\n", who, (bufferevent_get_enabled(r) & EV_READ) != 0);
	event_free(dog);
}

int main(void)
{
	int rs[2], ws[2], ts[2], xs[2];
	struct bufferevent *p[2];
	struct timeval t60 = {0, 60000};
	static unsigned char out[PENDING];

	base = event_base_new();
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, rs) || socketpair(AF_UNIX, SOCK_STREAM, 0, ws) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, ts) || socketpair(AF_UNIX, SOCK_STREAM, 0, xs))
		return 1;
	for (int i = 0; i < 2; i++) {
		fcntl(rs[i], F_SETFL, O_NONBLOCK);
		fcntl(ws[i], F_SETFL, O_NONBLOCK);
		fcntl(ts[i], F_SETFL, O_NONBLOCK);
		fcntl(xs[i], F_SETFL, O_NONBLOCK);
	}

	/* R: reading, with data already waiting when the process forks. */
	struct bufferevent *r = bufferevent_socket_new(base, rs[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(r, r_read, NULL, NULL, NULL);
	bufferevent_enable(r, EV_READ);
	if (write(rs[1], "before-fork ", 12) != 12)
		return 1;

	/* W: the kernel's buffer is full, PENDING bytes wait in the output, write event added. */
	junk = fill(ws[0]);
	struct bufferevent *w = bufferevent_socket_new(base, ws[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(w, NULL, w_write, NULL, NULL);
	for (size_t i = 0; i < PENDING; i++)
		out[i] = pattern(i);
	bufferevent_write(w, out, PENDING);
	bufferevent_enable(w, EV_WRITE);
	struct event *wpeer = event_new(base, ws[1], EV_READ | EV_PERSIST, w_peer, NULL);

	/* T: a read timeout on a silent socket. X: a write timeout behind a full socket. */
	struct bufferevent *t = bufferevent_socket_new(base, ts[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(t, NULL, NULL, t_event, NULL);
	bufferevent_set_timeouts(t, &t60, NULL);
	bufferevent_enable(t, EV_READ);
	fill(xs[0]);
	struct bufferevent *x = bufferevent_socket_new(base, xs[0], BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(x, NULL, NULL, x_event, NULL);
	bufferevent_write(x, "stuck", 5);
	bufferevent_set_timeouts(x, NULL, &t60);
	bufferevent_enable(x, EV_WRITE);

	/* P: a pair whose deferred read callback is queued when the process forks. */
	bufferevent_pair_new(base, BEV_OPT_DEFER_CALLBACKS, p);
	bufferevent_setcb(p[1], p_read, NULL, NULL, NULL);
	bufferevent_enable(p[1], EV_READ);
	bufferevent_write(p[0], "pair-before-fork ", 17);

	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		is_child = 1;
		printf("child: event_reinit %d\n", event_reinit(base));
		event_add(wpeer, NULL);
		r_want = strlen("before-fork child");
		p_want = strlen("pair-before-fork child");
		run("child", rs[1], p[0], r, t, x);
		bufferevent_free(r);
		bufferevent_free(w);
		bufferevent_free(t);
		bufferevent_free(x);
		bufferevent_free(p[0]);
		bufferevent_free(p[1]);
		event_free(wpeer);
		event_base_free(base);
		fflush(stdout);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("child exited normally %d status %d\n", WIFEXITED(status), WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	/* The parent: the child consumed what was in the shared sockets (R's "before-fork", W's
	 * junk); the parent's own buffers are as they were at the fork. */
	event_add(wpeer, NULL);
	r_want = strlen("parent");
	p_want = strlen("pair-before-fork parent");
	run("parent", rs[1], p[0], r, t, x);
	bufferevent_free(r);
	bufferevent_free(w);
	bufferevent_free(t);
	bufferevent_free(x);
	bufferevent_free(p[0]);
	bufferevent_free(p[1]);
	event_free(wpeer);
	event_base_free(base);
	return 0;
}
