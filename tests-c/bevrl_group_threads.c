/* A group of thread-safe socket bufferevents read in the loop thread while another
 * thread keeps emptying and refilling the group's read bucket
 * (bufferevent_rate_limit_group_decrement_read) and reading its totals. The group lock
 * nests inside bufferevent locks and the group only tries to lock its members, so
 * nothing deadlocks; a member that could not be locked catches up (suspended when it
 * next asks for its share, resumed at the next tick). Afterwards every member still
 * reads (more data is sent to each), and the totals are exactly what the members
 * received. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <pthread.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/thread.h>

#define N 3

static struct bufferevent_rate_limit_group *g;
static long got[N];
static int thread_done;

static void readcb(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	long *mine = arg;
	*mine += (long)evbuffer_get_length(in);
	evbuffer_drain(in, evbuffer_get_length(in));
}

static void *churn(void *arg)
{
	ev_uint64_t r, w;
	int i;
	(void)arg;
	for (i = 0; i < 300; i++) {
		bufferevent_rate_limit_group_decrement_read(g, 100000);
		usleep(300);
		bufferevent_rate_limit_group_get_totals(g, &r, &w);
		bufferevent_rate_limit_group_decrement_read(g, -100000);
		usleep(300);
	}
	__atomic_store_n(&thread_done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

int main(void)
{
	static char data[40000];
	struct event_base *base;
	struct timeval tick = {0, 50000}, later = {0, 300000};
	struct ev_token_bucket_cfg *cfg;
	struct bufferevent *b[N];
	long before[N], sum = 0;
	ev_uint64_t total_read, total_written;
	pthread_t th;
	int i, sv[2], peer[N], progressed = 1;

	evthread_use_pthreads();
	base = event_base_new();
	cfg = ev_token_bucket_cfg_new(2000, 4000, 2000, 4000, &tick);
	g = bufferevent_rate_limit_group_new(base, cfg);
	for (i = 0; i < N; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
			return 1;
		fcntl(sv[0], F_SETFL, O_NONBLOCK);
		peer[i] = sv[1];
		b[i] = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE | BEV_OPT_THREADSAFE);
		bufferevent_setcb(b[i], readcb, NULL, NULL, &got[i]);
		bufferevent_add_to_rate_limit_group(b[i], g);
		bufferevent_enable(b[i], EV_READ);
		if (write(peer[i], data, sizeof data) != (ssize_t)sizeof data)
			return 1;
	}
	pthread_create(&th, NULL, churn, NULL);
	/* Run the loop in short slices until the other thread is done. */
	while (1) {
		struct timeval t = {0, 20000};
		event_base_loopexit(base, &t);
		event_base_dispatch(base);
		if (__atomic_load_n(&thread_done, __ATOMIC_SEQ_CST))
			break;
	}
	pthread_join(th, NULL);
	printf("other thread finished: 1\n");
	for (i = 0; i < N; i++) {
		before[i] = got[i];
		if (write(peer[i], data, 100) != 100)
			return 1;
	}
	event_base_loopexit(base, &later);
	event_base_dispatch(base);
	for (i = 0; i < N; i++) {
		if (got[i] == before[i])
			progressed = 0;
		sum += got[i];
	}
	bufferevent_rate_limit_group_get_totals(g, &total_read, &total_written);
	printf("every member still reads afterwards: %d\n", progressed);
	printf("group total read = sum of members: %d, written %d\n", (long)total_read == sum, (int)total_written);

	for (i = 0; i < N; i++) {
		bufferevent_free(b[i]);
		close(peer[i]);
	}
	event_base_loop(base, EVLOOP_NONBLOCK);
	bufferevent_rate_limit_group_free(g);
	ev_token_bucket_cfg_free(cfg);
	event_base_free(base);
	return 0;
}
