/* BEV_OPT_THREADSAFE socket bufferevents used and freed from threads other than the loop's
 * while the loop thread runs their callbacks (libevent issues #512 and #1311: in 2.0,
 * bufferevent_free from another thread waited in event_del for the callback that was
 * itself waiting for the bufferevent's lock; 2.1 finalizes instead, and its events carry
 * EV_FINALIZE so disable/enable do not wait either).
 *
 * 240 bufferevents over socketpairs, 4 worker threads owning 60 each; the loop thread echoes
 * everything it reads (some read callbacks sleep a little, to widen the windows).
 * Phase 1, per bufferevent, from its worker: pattern bytes written to the peer socket, reading
 * disabled and enabled again from the worker, tagged chunks written with bufferevent_write
 * from the worker (some under bufferevent_lock); the peer must get the whole echo in order
 * and every tagged byte. Phase 2: more bytes written to the peer and bufferevent_free called
 * at once from the worker, racing the loop's callbacks; after it returns no callback of that
 * bufferevent may start or still run, what the peer still receives is the echo in order, and
 * the peer sees EOF (CLOSE_ON_FREE: the fd is closed once the loop finalizes). Run twice:
 * plain callbacks, then BEV_OPT_DEFER_CALLBACKS. A watchdog ends a deadlocked run. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

#define NBEV 240
#define NTHREADS 4
#define TAG 0xF0 /* tagged bytes written by the workers; the echo pattern stays below 0x80 */

struct conn {
	struct bufferevent *bev;
	int peer;
	int id;
	atomic_int freed;        /* set once bufferevent_free returned */
	atomic_int in_cb;        /* a callback of this bufferevent is running */
	atomic_long loop_read;   /* bytes the loop thread read (and echoed) */
	atomic_int bad;          /* the loop read bytes out of order */
	long peer_echo, peer_tag;
	int peer_order_ok, peer_eof;
};

static struct conn conns[NBEV];
static struct event_base *base;
static atomic_int after_free, workers_done, phase1_ok = 1, phase2_ok = 1, eofs;
static int options;

static unsigned char pattern(long i)
{
	return (unsigned char)((i * 5 + i / 97) & 0x7f);
}

static void enter(struct conn *c)
{
	if (atomic_load(&c->freed))
		atomic_fetch_add(&after_free, 1);
	atomic_fetch_add(&c->in_cb, 1);
}

static void leave(struct conn *c)
{
	atomic_fetch_sub(&c->in_cb, 1);
	if (atomic_load(&c->freed))
		atomic_fetch_add(&after_free, 1);
}

static void readcb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	unsigned char buf[4096];
	size_t n;
	enter(c);
	while ((n = bufferevent_read(bev, buf, sizeof buf)) > 0) {
		long off = atomic_load(&c->loop_read);
		for (size_t i = 0; i < n; i++)
			if (buf[i] != pattern(off + (long)i))
				atomic_store(&c->bad, 1);
		atomic_fetch_add(&c->loop_read, (long)n);
		bufferevent_write(bev, buf, n);
	}
	if (c->id % 3 == 0)
		usleep(20);
	leave(c);
}

static void writecb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	enter(arg);
	leave(arg);
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev; (void)what;
	enter(arg);
	leave(arg);
}

/* Peer side: read what is there (or wait up to `ms`), classify echo and tagged bytes. */
static int peer_read(struct conn *c, int ms)
{
	unsigned char buf[8192];
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
	setsockopt(c->peer, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	ssize_t n = read(c->peer, buf, sizeof buf);
	if (n == 0) {
		c->peer_eof = 1;
		return 0;
	}
	if (n < 0)
		return errno == ECONNRESET ? (c->peer_eof = 1, 0) : -1;
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == TAG) {
			c->peer_tag++;
		} else if (buf[i] != pattern(c->peer_echo++)) {
			c->peer_order_ok = 0;
		}
	}
	return (int)n;
}

static void write_pattern(struct conn *c, long *off, long n)
{
	unsigned char buf[8192];
	for (long i = 0; i < n; i++)
		buf[i] = pattern(*off + i);
	if (write(c->peer, buf, (size_t)n) != n)
		atomic_store(&phase1_ok, 0);
	*off += n;
}

static void *worker(void *arg)
{
	long t = (long)arg;
	unsigned char tag[64];
	memset(tag, TAG, sizeof tag);
	for (int i = (int)t; i < NBEV; i += NTHREADS) {
		struct conn *c = &conns[i];
		long off = 0, tags = 0;
		/* Phase 1: traffic both ways, checked completely. */
		write_pattern(c, &off, 1500 + i * 7);
		bufferevent_disable(c->bev, EV_READ);
		bufferevent_write(c->bev, tag, 16);
		tags += 16;
		write_pattern(c, &off, 700);
		bufferevent_enable(c->bev, EV_READ);
		bufferevent_lock(c->bev);
		bufferevent_write(c->bev, tag, 40);
		bufferevent_write(c->bev, tag, 8);
		bufferevent_unlock(c->bev);
		tags += 48;
		write_pattern(c, &off, 900);
		while (c->peer_echo < off || c->peer_tag < tags)
			if (peer_read(c, 5000) <= 0)
				break;
		if (c->peer_echo != off || c->peer_tag != tags || !c->peer_order_ok || atomic_load(&c->loop_read) != off ||
		    atomic_load(&c->bad))
			atomic_store(&phase1_ok, 0);
		/* Phase 2: more bytes, and free at once, racing the loop thread's callbacks. */
		write_pattern(c, &off, 300 + (i % 5) * 400);
		if (i % 2)
			usleep(i % 7 * 10);
		bufferevent_free(c->bev);
		atomic_store(&c->freed, 1);
		if (atomic_load(&c->in_cb))
			atomic_fetch_add(&after_free, 1);
		while (peer_read(c, 5000) > 0)
			;
		if (!c->peer_eof || !c->peer_order_ok || c->peer_tag != tags || c->peer_echo > off)
			atomic_store(&phase2_ok, 0);
		else
			atomic_fetch_add(&eofs, 1);
		close(c->peer);
	}
	if (atomic_fetch_add(&workers_done, 1) + 1 == NTHREADS)
		event_base_loopbreak(base);
	return NULL;
}

static void *watchdog(void *arg)
{
	(void)arg;
	sleep(15);
	printf("deadlock: the run did not finish in 15 s\n");
	fflush(stdout);
	_exit(2);
}

static void run(const char *name, int opts)
{
	pthread_t th[NTHREADS];
	options = opts;
	atomic_store(&after_free, 0);
	atomic_store(&workers_done, 0);
	atomic_store(&phase1_ok, 1);
	atomic_store(&phase2_ok, 1);
	atomic_store(&eofs, 0);
	base = event_base_new();
	for (int i = 0; i < NBEV; i++) {
		int sv[2];
		struct conn *c = &conns[i];
		memset(c, 0, sizeof *c);
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
			exit(1);
		fcntl(sv[0], F_SETFL, O_NONBLOCK);
		c->id = i;
		c->peer = sv[1];
		c->peer_order_ok = 1;
		c->bev = bufferevent_socket_new(base, sv[0], opts);
		bufferevent_setcb(c->bev, readcb, writecb, eventcb, c);
		bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	}
	for (long t = 0; t < NTHREADS; t++)
		pthread_create(&th[t], NULL, worker, (void *)t);
	int r = event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	printf("%s: loop returned %d\n", name, r);
	printf("%s: phase 1, every byte echoed in order and every tagged byte delivered: %d\n", name,
	    atomic_load(&phase1_ok));
	printf("%s: phase 2, freed from workers, peers got the echo in order then EOF: %d of %d (all ok %d)\n", name,
	    atomic_load(&eofs), NBEV, atomic_load(&phase2_ok));
	printf("%s: callbacks started or running after bufferevent_free returned: %d\n", name,
	    atomic_load(&after_free));
	event_base_free(base);
}

int main(void)
{
	pthread_t dog;
	evthread_use_pthreads();
	pthread_create(&dog, NULL, watchdog, NULL);
	run("plain", BEV_OPT_THREADSAFE | BEV_OPT_CLOSE_ON_FREE);
	run("deferred", BEV_OPT_THREADSAFE | BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	return 0;
}
