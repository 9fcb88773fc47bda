/* evthread_set_lock_callbacks / evthread_set_condition_callbacks / evthread_set_id_callback:
 * a program's own thread primitives (here wrapping pthreads, as libevent's do) are accepted
 * once, refused when changed, and used by a base for its lock, its condition (event_del
 * waiting for a running callback in another thread) and thread ids. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <event2/event.h>
#include <event2/thread.h>

static int n_alloc, n_lock, n_unlock, n_id, n_cond_alloc, n_wait, n_signal;

static void bump(int *n) { __atomic_add_fetch(n, 1, __ATOMIC_SEQ_CST); }
static int seen(int *n) { return __atomic_load_n(n, __ATOMIC_SEQ_CST) > 0; }

static void *lock_alloc(unsigned locktype)
{
	bump(&n_alloc);
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	if (locktype & EVTHREAD_LOCKTYPE_RECURSIVE)
		pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_t *m = malloc(sizeof(*m));
	pthread_mutex_init(m, &attr);
	pthread_mutexattr_destroy(&attr);
	return m;
}
static void lock_free(void *m, unsigned locktype)
{
	(void)locktype;
	pthread_mutex_destroy(m);
	free(m);
}
static int lock_lock(unsigned mode, void *m)
{
	bump(&n_lock);
	return (mode & EVTHREAD_TRY) ? pthread_mutex_trylock(m) : pthread_mutex_lock(m);
}
static int lock_unlock(unsigned mode, void *m)
{
	(void)mode;
	bump(&n_unlock);
	return pthread_mutex_unlock(m);
}
static unsigned long thread_id(void)
{
	bump(&n_id);
	return (unsigned long)pthread_self();
}
static void *cond_alloc(unsigned type)
{
	(void)type;
	bump(&n_cond_alloc);
	pthread_cond_t *c = malloc(sizeof(*c));
	pthread_cond_init(c, NULL);
	return c;
}
static void cond_free(void *c)
{
	pthread_cond_destroy(c);
	free(c);
}
static int cond_signal(void *c, int broadcast)
{
	bump(&n_signal);
	return broadcast ? pthread_cond_broadcast(c) : pthread_cond_signal(c);
}
static int cond_wait(void *c, void *m, const struct timeval *tv)
{
	(void)tv;
	bump(&n_wait);
	return pthread_cond_wait(c, m);
}
static int cond_signal_other(void *c, int broadcast) { return cond_signal(c, broadcast); }
static int lock_other(unsigned mode, void *m) { return lock_lock(mode, m); }

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int started, finished;
static struct event *ev;

static void cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	pthread_mutex_lock(&mu);
	started = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	usleep(200000);
	finished = 1;
}

static void *deleter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!started)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	int r = event_del(ev);
	printf("event_del from another thread=%d, callback finished=%d\n", r, finished);
	return NULL;
}

int main(void)
{
	struct evthread_lock_callbacks lk = {EVTHREAD_LOCK_API_VERSION, EVTHREAD_LOCKTYPE_RECURSIVE,
	    lock_alloc, lock_free, lock_lock, lock_unlock};
	struct evthread_condition_callbacks cd = {EVTHREAD_CONDITION_API_VERSION, cond_alloc,
	    cond_free, cond_signal, cond_wait};
	struct evthread_lock_callbacks incomplete = lk, other = lk;
	incomplete.unlock = NULL;
	other.lock = lock_other;
	printf("incomplete lock callbacks=%d\n", evthread_set_lock_callbacks(&incomplete));
	printf("lock callbacks=%d\n", evthread_set_lock_callbacks(&lk));
	printf("same again=%d\n", evthread_set_lock_callbacks(&lk));
	printf("changed=%d\n", evthread_set_lock_callbacks(&other));
	struct evthread_condition_callbacks cd_incomplete = cd, cd_other = cd;
	cd_incomplete.wait_condition = NULL;
	cd_other.signal_condition = cond_signal_other;
	printf("incomplete condition callbacks=%d\n", evthread_set_condition_callbacks(&cd_incomplete));
	printf("condition callbacks=%d\n", evthread_set_condition_callbacks(&cd));
	printf("same again=%d\n", evthread_set_condition_callbacks(&cd));
	printf("changed=%d\n", evthread_set_condition_callbacks(&cd_other));
	evthread_set_id_callback(thread_id);

	struct event_base *base = event_base_new();
	printf("base=%d lock allocated=%d\n", base != NULL, seen(&n_alloc));
	ev = event_new(base, -1, 0, cb, NULL);
	event_active(ev, EV_READ, 0);
	pthread_t th;
	pthread_create(&th, NULL, deleter, NULL);
	event_base_dispatch(base);
	pthread_join(th, NULL);
	printf("locked=%d unlocked=%d thread ids asked=%d\n", seen(&n_lock), seen(&n_unlock), seen(&n_id));
	printf("condition allocated=%d waited=%d signalled=%d\n", seen(&n_cond_alloc), seen(&n_wait),
	    seen(&n_signal));
	event_free(ev);
	event_base_free(base);
	return 0;
}
