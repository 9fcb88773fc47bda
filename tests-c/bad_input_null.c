/* NULL bases / base-less events: the calls libevent tolerates return its error
 * values (each call runs in a forked child so a crash is reported, not fatal). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <event2/event.h>
#include <event2/event_struct.h>
#include <event2/thread.h>

static void quiet(int sev, const char *msg) { (void)sev; (void)msg; }
static void cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }
static int visit(const struct event_base *b, const struct event *e, void *a) { (void)b; (void)e; (void)a; return 0; }

/* The children below _exit without freeing what they create; kept reachable here, those
 * objects are not leaks to the valgrind pass (VALGRIND=1 tests-c/run.sh). */
static struct event_base *volatile kept_base; /* volatile: written, never read */
static struct event *volatile kept_event;
static struct event_base *new_base(void) { return kept_base = event_base_new(); }
static struct event *keep(struct event *ev) { return kept_event = ev; }

#define TRY(label, expr) do {                                              \
	fflush(stdout);                                                    \
	pid_t pid_ = fork();                                               \
	if (pid_ == 0) {                                                   \
		long r_ = (long)(expr);                                    \
		printf("%-50s -> %ld\n", label, r_);                       \
		fflush(stdout);                                            \
		_exit(0);                                                  \
	}                                                                  \
	int st_;                                                           \
	waitpid(pid_, &st_, 0);                                            \
	if (!WIFEXITED(st_))                                               \
		printf("%-50s -> crashed\n", label);                       \
} while (0)

int main(void)
{
	struct event zeroed;
	struct timeval tv = {0, 0};
	memset(&zeroed, 0, sizeof zeroed);
	event_set_log_callback(quiet);

	TRY("event_base_loopbreak(NULL)", event_base_loopbreak(NULL));
	TRY("event_base_loopcontinue(NULL)", event_base_loopcontinue(NULL));
	TRY("event_base_loopexit(NULL, NULL)", event_base_loopexit(NULL, NULL));
	TRY("event_base_once(NULL, ...)", event_base_once(NULL, -1, EV_TIMEOUT, cb, NULL, &tv));
	TRY("event_base_foreach_event(NULL, fn)", event_base_foreach_event(NULL, visit, NULL));
	TRY("event_base_update_cache_time(NULL)", event_base_update_cache_time(NULL));
	TRY("event_base_gettimeofday_cached(NULL, tv)", event_base_gettimeofday_cached(NULL, &tv));
	TRY("evthread_make_base_notifiable(NULL)", evthread_make_base_notifiable(NULL));
	TRY("event_config_set_flag(NULL, 0)", event_config_set_flag(NULL, 0));
	TRY("event_config_require_features(NULL, 0)", event_config_require_features(NULL, 0));
	TRY("event_config_set_num_cpus_hint(NULL, 1)", event_config_set_num_cpus_hint(NULL, 1));
	TRY("event_add(base-less event)", event_add(&zeroed, NULL));
	TRY("event_add(base-less event, tv)", event_add(&zeroed, &tv));
	TRY("event_del(base-less event)", event_del(&zeroed));
	TRY("event_pending(base-less event)", event_pending(&zeroed, EV_READ | EV_TIMEOUT, NULL));
	TRY("event_remove_timer(base-less event)", event_remove_timer(&zeroed));
	TRY("event_finalize(base-less event)", event_finalize(0, &zeroed, NULL));
	TRY("event_initialized(zeroed)", event_initialized(&zeroed));
	TRY("event_base_free(NULL) returns", (event_base_free(NULL), 0));
	TRY("event_base_foreach_event(base, NULL)",
	    event_base_foreach_event(new_base(), NULL, NULL));
	TRY("event_base_once(EV_SIGNAL)",
	    event_base_once(new_base(), 1, EV_SIGNAL, cb, NULL, NULL));
	TRY("event_new(base, fd, EV_SIGNAL|EV_WRITE) is NULL",
	    keep(event_new(new_base(), 1, EV_SIGNAL | EV_WRITE, cb, NULL)) == NULL);
	TRY("evsignal_new(base, 65) is NULL", keep(evsignal_new(new_base(), 65, cb, NULL)) == NULL);
	TRY("evsignal_add(sig 65)", evsignal_add(keep(evsignal_new(new_base(), 65, cb, NULL)), NULL));
	TRY("event_assign(sig 65)",
	    event_assign(&zeroed, new_base(), 65, EV_SIGNAL, cb, NULL));
	TRY("event_priority_set(not-added, 5) on 1-queue base",
	    event_priority_set(keep(event_new(new_base(), -1, 0, cb, NULL)), 5));
	return 0;
}
