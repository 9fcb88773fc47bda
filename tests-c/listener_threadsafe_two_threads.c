/* A LEV_OPT_THREADSAFE listener (threading enabled first) driven from a second thread while
 * the loop runs in the main one: disable (connections then wait in the backlog), enable
 * (wakes the loop, which accepts them), set_cb, and evconnlistener_free while the loop
 * thread is inside the listener's callback (the listener goes away when the callback
 * returns: nothing is left on the base). The loop runs with EVLOOP_NO_EXIT_ON_EMPTY (a
 * disabled listener leaves the base empty) until the worker breaks it. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <event2/thread.h>

static struct evconnlistener *lev;
static struct sockaddr_in addr;
static int clients[16];
static int nclients, accepted, second_cb_calls, in_cb_after_free;
static struct event_base *evbase;
static sem_t in_cb, go;

static int get_accepted(void)
{
	return __atomic_load_n(&accepted, __ATOMIC_SEQ_CST);
}

static void connect_clients(int n)
{
	while (n-- > 0) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0)
			perror("connect");
		clients[nclients++] = fd;
	}
}

/* Waits (up to 5 s) until `n` connections were accepted. */
static int wait_accepted(int n)
{
	int i;
	for (i = 0; i < 5000 && get_accepted() < n; i++)
		usleep(1000);
	return get_accepted();
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int socklen, void *arg)
{
	(void)l;
	(void)sa;
	(void)socklen;
	(void)arg;
	close(fd);
	__atomic_add_fetch(&accepted, 1, __ATOMIC_SEQ_CST);
}

static void on_accept_second(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int socklen,
    void *arg)
{
	(void)l;
	(void)sa;
	(void)socklen;
	second_cb_calls++;
	if (second_cb_calls == 2) {
		/* Let the other thread free the listener while we are in here. */
		sem_post(&in_cb);
		sem_wait(&go);
		in_cb_after_free = 1;
	}
	close(fd);
	__atomic_add_fetch(&accepted, 1, __ATOMIC_SEQ_CST);
	(void)arg;
}

static void *worker(void *arg)
{
	(void)arg;
	connect_clients(3);
	printf("worker: 3 clients, accepted %d\n", wait_accepted(3));
	printf("worker: disable=%d\n", evconnlistener_disable(lev));
	connect_clients(2);
	usleep(50000);
	printf("worker: 2 clients while disabled, accepted %d\n", get_accepted());
	printf("worker: enable=%d\n", evconnlistener_enable(lev));
	printf("worker: accepted %d\n", wait_accepted(5));
	evconnlistener_set_cb(lev, on_accept_second, NULL);
	connect_clients(1);
	printf("worker: new callback, accepted %d\n", wait_accepted(6));
	connect_clients(1);
	sem_wait(&in_cb);
	evconnlistener_free(lev);
	printf("worker: freed the listener while its callback runs in the loop thread\n");
	sem_post(&go);
	event_base_loopbreak(evbase);
	return NULL;
}

int main(void)
{
	struct event_base *base;
	pthread_t th;
	socklen_t len = sizeof(addr);
	int r;

	printf("evthread_use_pthreads=%d\n", evthread_use_pthreads());
	sem_init(&in_cb, 0, 0);
	sem_init(&go, 0, 0);
	base = event_base_new();
	evbase = base;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lev = evconnlistener_new_bind(base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_THREADSAFE, -1,
	    (struct sockaddr *)&addr, sizeof(addr));
	getsockname(evconnlistener_get_fd(lev), (struct sockaddr *)&addr, &len);
	pthread_create(&th, NULL, worker, NULL);
	r = event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
	pthread_join(th, NULL);
	printf("loop=%d accepted=%d second callback calls=%d finished after the free=%d events left=%d\n", r,
	    get_accepted(), second_cb_calls, in_cb_after_free, event_base_get_num_events(base, EVENT_BASE_COUNT_ADDED));
	while (nclients > 0)
		close(clients[--nclients]);
	event_base_free(base);
	return 0;
}
