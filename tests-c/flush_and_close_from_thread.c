/* evshim-only */
/* bufferevent_flush_and_close called from another thread (docs/flush-and-close.md,
 * "Ownership"): a BEV_OPT_THREADSAFE socket bufferevent streams the message from its write
 * callback (refilling 256 KiB whenever the output falls to 256 KiB) while the loop runs in
 * the main thread; a second thread waits until 1 MiB has been queued, appends a trailer
 * under bufferevent_lock, then calls bufferevent_flush_and_close while the stream is still
 * going. No deadlock (an alarm would kill the test), the call returns 0, no callback runs
 * after it returned (callbacks run under the bufferevent's lock, so one that sees the
 * "returned" flag started after the call), everything queued up to the call arrives, then
 * EOF, event_base_dispatch returns and the socket is closed. Run twice: with callbacks
 * run directly and with BEV_OPT_DEFER_CALLBACKS (then one may already be queued). */
/* LDFLAGS: -lpthread */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/thread.h>
#include <evshim.h>
#include "flush_peer.h"

#ifndef EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE
#error "evshim.h does not declare bufferevent_flush_and_close (EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE)"
#endif

#define CHUNK (256 << 10)
#define CAP (8 << 20)       /* the stream stops here (seconds after the thread's call) */
#define TRIGGER (1 << 20)   /* the thread calls once this much was queued */
#define TRAILER (64 << 10)
#define MSG_LEN (CAP + CHUNK + TRAILER)

static unsigned char *msg;
static atomic_long queued;       /* bytes put in the output so far */
static atomic_int returned;      /* bufferevent_flush_and_close has returned */
static atomic_int callbacks, late;
static long queued_at_call;
static int call_result = -2;

static void count(void)
{
	atomic_fetch_add(&callbacks, 1);
	if (atomic_load(&returned))
		atomic_fetch_add(&late, 1);
}

static void writecb(struct bufferevent *bev, void *arg)
{
	long q = atomic_load(&queued);
	(void)arg;
	count();
	if (q < CAP) {
		bufferevent_write(bev, msg + q, CHUNK);
		atomic_store(&queued, q + CHUNK);
	}
}

static void readcb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	count();
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)what;
	(void)arg;
	count();
}

static void *closer(void *arg)
{
	struct bufferevent *bev = arg;
	long q;
	while (atomic_load(&queued) < TRIGGER)
		usleep(1000);
	bufferevent_lock(bev);
	q = atomic_load(&queued);
	bufferevent_write(bev, msg + q, TRAILER);
	atomic_store(&queued, q + TRAILER);
	bufferevent_unlock(bev);
	call_result = bufferevent_flush_and_close(bev);
	/* From here on no callback may start; what was queued is final. */
	queued_at_call = atomic_load(&queued);
	atomic_store(&returned, 1);
	return NULL;
}

static void run(int options)
{
	struct peer_opts o = message_peer(msg, MSG_LEN, -1);
	struct flush_peer peer;
	pthread_t thread;
	int fd, r;
	printf("%s:\n", options & BEV_OPT_DEFER_CALLBACKS ? "deferred callbacks" : "direct callbacks");
	atomic_store(&queued, 0);
	atomic_store(&returned, 0);
	atomic_store(&callbacks, 0);
	atomic_store(&late, 0);
	o.slow_after = TRIGGER / 2; /* so the output is full when the thread calls */
	fd = flush_server(&peer, &o, 65536);
	struct event_base *base = event_base_new();
	struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE | BEV_OPT_THREADSAFE | options);
	bufferevent_setcb(bev, readcb, writecb, eventcb, NULL);
	bufferevent_setwatermark(bev, EV_WRITE, CHUNK, 0);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	bufferevent_write(bev, msg, CHUNK);
	atomic_store(&queued, CHUNK);
	if (pthread_create(&thread, NULL, closer, bev) != 0)
		exit(1);
	r = event_base_dispatch(base);
	pthread_join(thread, NULL);
	check(call_result == 0, "bufferevent_flush_and_close from the other thread returned 0");
	check(r == 0 || r == 1, "event_base_dispatch returned normally");
	check(fcntl(fd, F_GETFD) == -1, "the socket is closed when event_base_dispatch returns");
	check(atomic_load(&callbacks) > 0, "callbacks ran before the call");
	check(atomic_load(&late) == 0, "no callback ran after the call returned");
	check(queued_at_call < CAP, "the stream was still going when the call came");
	event_base_free(base);
	check_peer_got(&peer, queued_at_call, 0); /* how much: up to the threads */
}

int main(void)
{
	alarm(15);
	signal(SIGPIPE, SIG_IGN);
	evthread_use_pthreads();
	msg = pattern_message(MSG_LEN);
	run(0);
	run(BEV_OPT_DEFER_CALLBACKS);
	free(msg);
	return failures ? 1 : 0;
}
