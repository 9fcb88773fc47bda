/* evshim-only */
/* THREADSAFE listeners used from other threads while the loop thread is inside their
 * callback. libevent deadlocks on evconnlistener_disable there (it holds the listener lock
 * while event_del waits for the callback, which wants the lock); evshim's disable does not
 * wait: the running callback finishes and the batch stops. Then a stress run: two threads
 * toggle the listener while a third connects 200 clients: every connection is accepted and
 * nothing hangs. Last, listeners freed from another thread at arbitrary moments while
 * connections arrive. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/thread.h>

#define CHECK(cond)                                                                  \
	do {                                                                             \
		if (!(cond)) {                                                               \
			printf("FAIL line %d: %s\n", __LINE__, #cond);                           \
			exit(1);                                                                 \
		}                                                                            \
	} while (0)

#define NSTRESS 200

static struct event_base *base;
static struct evconnlistener *lev;
static struct sockaddr_in addr;
static int accepted, block_in_cb, stop_toggling;
static sem_t in_cb, go;

static int get_accepted(void)
{
	return __atomic_load_n(&accepted, __ATOMIC_SEQ_CST);
}

static int connect_one(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0);
	return fd;
}

static int wait_accepted(int n)
{
	int i;
	for (i = 0; i < 10000 && get_accepted() < n; i++)
		usleep(1000);
	return get_accepted();
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)l;
	(void)sa;
	(void)socklen;
	(void)arg;
	if (__atomic_load_n(&block_in_cb, __ATOMIC_SEQ_CST)) {
		sem_post(&in_cb);
		sem_wait(&go);
	}
	close(fd);
	__atomic_add_fetch(&accepted, 1, __ATOMIC_SEQ_CST);
}

static void *toggler(void *arg)
{
	unsigned seed = (unsigned)(size_t)arg;
	while (!__atomic_load_n(&stop_toggling, __ATOMIC_SEQ_CST)) {
		CHECK(evconnlistener_disable(lev) == 0);
		usleep(rand_r(&seed) % 300);
		CHECK(evconnlistener_enable(lev) == 0);
		usleep(rand_r(&seed) % 300);
	}
	return NULL;
}

static void *connector(void *arg)
{
	int *fds = arg, i;
	for (i = 0; i < NSTRESS; i++)
		fds[i] = connect_one();
	return NULL;
}

static void *loop_thread(void *arg)
{
	(void)arg;
	event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
	return NULL;
}

static void make_listener(void)
{
	socklen_t len = sizeof(addr);
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lev = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_THREADSAFE, 512,
	    (struct sockaddr *)&addr, sizeof(addr));
	CHECK(lev != NULL);
	getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&addr, &len);
}

int main(void)
{
	pthread_t loop, t1, t2, conn;
	static int fds[NSTRESS];
	int c1, c2, c3, i, round;

	CHECK(evthread_use_pthreads() == 0);
	sem_init(&in_cb, 0, 0);
	sem_init(&go, 0, 0);
	base = event_base_new();
	make_listener();
	pthread_create(&loop, NULL, loop_thread, NULL);

	/* 1. Disable while the loop thread is inside the callback, with a second client queued. */
	block_in_cb = 1;
	c1 = connect_one();
	c2 = connect_one();
	sem_wait(&in_cb);
	CHECK(evconnlistener_disable(lev) == 0);
	block_in_cb = 0;
	sem_post(&go);
	usleep(50000);
	printf("disable during the callback returned; accepted %d\n", get_accepted());
	CHECK(get_accepted() == 1);
	c3 = connect_one();
	CHECK(evconnlistener_enable(lev) == 0);
	CHECK(wait_accepted(3) == 3);
	close(c1);
	close(c2);
	close(c3);

	/* 2. Stress. */
	pthread_create(&t1, NULL, toggler, (void *)1);
	pthread_create(&t2, NULL, toggler, (void *)2);
	pthread_create(&conn, NULL, connector, fds);
	pthread_join(conn, NULL);
	__atomic_store_n(&stop_toggling, 1, __ATOMIC_SEQ_CST);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	CHECK(evconnlistener_enable(lev) == 0);
	printf("stress: accepted %d of %d\n", wait_accepted(3 + NSTRESS) - 3, NSTRESS);
	CHECK(get_accepted() == 3 + NSTRESS);
	for (i = 0; i < NSTRESS; i++)
		close(fds[i]);
	evconnlistener_free(lev);

	/* 3. Free from this thread at arbitrary moments while connections arrive. */
	for (round = 0; round < 50; round++) {
		int c;
		make_listener();
		c = connect_one();
		usleep((unsigned)(round % 10) * 50);
		evconnlistener_free(lev);
		close(c);
	}
	printf("50 listeners freed while connections arrived\n");

	event_base_loopbreak(base);
	pthread_join(loop, NULL);
	CHECK(event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED) == 0);
	event_base_free(base);
	printf("ok\n");
	return 0;
}
