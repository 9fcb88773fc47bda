/* evshim-only */
/* Bad bufferevent pointers at the boundary: every function that takes a bufferevent, given
 * NULL, a zeroed block or a block of garbage (readable memory that is no bufferevent), logs
 * one warning through event_set_log_callback and returns its error value (-1, NULL, 0),
 * leaving out-parameters untouched; nothing crashes (libevent dereferences them). Other NULL
 * arguments of a valid bufferevent's calls are refused the same way. A bufferevent being
 * closed by bufferevent_flush_and_close refuses bufferevent_free, bufferevent_setcb and a
 * second bufferevent_flush_and_close with a warning, and the close still delivers.
 * Self-checking: prints each check, exits 1 if one failed. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <evshim.h>

static int failures, logs, last_severity;

static void log_cb(int severity, const char *msg)
{
	(void)msg;
	logs++;
	last_severity = severity;
}

static void check(int ok, const char *what, const char *target)
{
	printf("%s %s(%s)\n", ok ? "ok  " : "FAIL", what, target);
	if (!ok)
		failures++;
}

/* One call: its result must be the error value and exactly one warning must be logged. */
#define REFUSED(target, call, errval)                                                    \
	do {                                                                             \
		int before_ = logs;                                                      \
		int ok_ = (call) == (errval);                                            \
		check(ok_ && logs == before_ + 1 && last_severity == EVENT_LOG_WARN, #call, target); \
	} while (0)
#define REFUSED_VOID(target, call)                                                       \
	do {                                                                             \
		int before_ = logs;                                                      \
		call;                                                                    \
		check(logs == before_ + 1 && last_severity == EVENT_LOG_WARN, #call, target); \
	} while (0)

static void rdcb(struct bufferevent *b, void *a) { (void)b; (void)a; }
static void evcb(struct bufferevent *b, short w, void *a) { (void)b; (void)w; (void)a; }

static void every_function(struct bufferevent *bev, const char *t, struct event_base *base, struct evbuffer *eb,
    struct bufferevent_rate_limit_group *grp, struct ev_token_bucket_cfg *cfg)
{
	struct sockaddr_in sin;
	struct timeval tv = {1, 0};
	char buf[8];
	bufferevent_data_cb r = rdcb, w = rdcb;
	bufferevent_event_cb e = evcb;
	void *arg = buf;
	size_t lo = 7, hi = 9;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	sin.sin_addr.s_addr = htonl(0x7f000001);

	REFUSED(t, bufferevent_socket_connect(bev, (struct sockaddr *)&sin, sizeof sin), -1);
	REFUSED(t, bufferevent_socket_connect_hostname(bev, NULL, AF_INET, "localhost", 9), -1);
	REFUSED(t, bufferevent_socket_get_dns_error(bev), -1);
	REFUSED(t, bufferevent_base_set(base, bev), -1);
	REFUSED(t, bufferevent_get_base(bev), NULL);
	REFUSED(t, bufferevent_priority_set(bev, 0), -1);
	REFUSED(t, bufferevent_get_priority(bev), -1);
	REFUSED_VOID(t, bufferevent_setcb(bev, rdcb, rdcb, evcb, NULL));
	REFUSED_VOID(t, bufferevent_getcb(bev, &r, &w, &e, &arg));
	check(r == rdcb && w == rdcb && e == evcb && arg == buf, "bufferevent_getcb leaves the out-parameters", t);
	REFUSED(t, bufferevent_setfd(bev, -1), -1);
	REFUSED(t, bufferevent_getfd(bev), -1);
	REFUSED(t, bufferevent_get_underlying(bev), NULL);
	REFUSED(t, bufferevent_write(bev, "x", 1), -1);
	REFUSED(t, bufferevent_write_buffer(bev, eb), -1);
	REFUSED(t, bufferevent_read(bev, buf, sizeof buf), 0);
	REFUSED(t, bufferevent_read_buffer(bev, eb), -1);
	REFUSED(t, bufferevent_get_input(bev), NULL);
	REFUSED(t, bufferevent_get_output(bev), NULL);
	REFUSED(t, bufferevent_enable(bev, EV_READ), -1);
	REFUSED(t, bufferevent_disable(bev, EV_READ), -1);
	REFUSED(t, bufferevent_get_enabled(bev), 0);
	REFUSED(t, bufferevent_set_timeouts(bev, &tv, &tv), -1);
	REFUSED_VOID(t, bufferevent_setwatermark(bev, EV_READ, 1, 2));
	REFUSED(t, bufferevent_getwatermark(bev, EV_READ, &lo, &hi), -1);
	check(lo == 7 && hi == 9, "bufferevent_getwatermark leaves the out-parameters", t);
	REFUSED_VOID(t, bufferevent_lock(bev));
	REFUSED_VOID(t, bufferevent_unlock(bev));
	REFUSED_VOID(t, bufferevent_incref(bev));
	REFUSED(t, bufferevent_decref(bev), -1);
	REFUSED(t, bufferevent_flush(bev, EV_WRITE, BEV_FLUSH), -1);
	REFUSED_VOID(t, bufferevent_trigger(bev, EV_READ, 0));
	REFUSED_VOID(t, bufferevent_trigger_event(bev, BEV_EVENT_EOF, 0));
	REFUSED(t, bufferevent_filter_new(bev, NULL, NULL, 0, NULL, NULL), NULL);
	REFUSED(t, bufferevent_pair_get_partner(bev), NULL);
	REFUSED(t, bufferevent_set_rate_limit(bev, cfg), -1);
	REFUSED(t, bufferevent_add_to_rate_limit_group(bev, grp), -1);
	REFUSED(t, bufferevent_remove_from_rate_limit_group(bev), -1);
	REFUSED(t, bufferevent_set_max_single_read(bev, 100), -1);
	REFUSED(t, bufferevent_set_max_single_write(bev, 100), -1);
	REFUSED(t, bufferevent_get_max_single_read(bev), -1);
	REFUSED(t, bufferevent_get_max_single_write(bev), -1);
	REFUSED(t, bufferevent_get_read_limit(bev), -1);
	REFUSED(t, bufferevent_get_write_limit(bev), -1);
	REFUSED(t, bufferevent_get_max_to_read(bev), -1);
	REFUSED(t, bufferevent_get_max_to_write(bev), -1);
	REFUSED(t, bufferevent_get_token_bucket_cfg(bev), NULL);
	REFUSED(t, bufferevent_decrement_read_limit(bev, 1), -1);
	REFUSED(t, bufferevent_decrement_write_limit(bev, 1), -1);
	REFUSED_VOID(t, bufferevent_settimeout(bev, 1, 1));
	REFUSED(t, bufferevent_flush_and_close(bev), -1);
	REFUSED_VOID(t, bufferevent_free(bev));
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct evbuffer *eb = evbuffer_new();
	struct timeval tick = {0, 100000};
	struct ev_token_bucket_cfg *cfg = ev_token_bucket_cfg_new(1000, 1000, 1000, 1000, &tick);
	struct bufferevent_rate_limit_group *grp = bufferevent_rate_limit_group_new(base, cfg);
	/* Readable memory the size of a struct bufferevent and more, that is no bufferevent. */
	static unsigned char zeroed[1024], garbage[1024];
	char buf[64];
	int sv[2];
	ssize_t n;

	memset(garbage, 0xA5, sizeof garbage);
	evbuffer_add(eb, "data", 4);
	event_set_log_callback(log_cb);

	every_function(NULL, "NULL", base, eb, grp, cfg);
	every_function((struct bufferevent *)zeroed, "zeroed block", base, eb, grp, cfg);
	every_function((struct bufferevent *)garbage, "garbage block", base, eb, grp, cfg);
	{
		unsigned char copy[sizeof garbage];
		memset(copy, 0xA5, sizeof copy);
		check(memcmp(copy, garbage, sizeof garbage) == 0, "the garbage block is untouched", "");
		memset(copy, 0, sizeof copy);
		check(memcmp(copy, zeroed, sizeof zeroed) == 0, "the zeroed block is untouched", "");
	}

	/* (The group's refill timer would keep the loop below running.) */
	bufferevent_rate_limit_group_free(grp);
	ev_token_bucket_cfg_free(cfg);

	/* Other NULL arguments of a valid bufferevent. */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct bufferevent *bev = bufferevent_socket_new(base, sv[0], BEV_OPT_CLOSE_ON_FREE);
	REFUSED("valid, NULL data", bufferevent_write(bev, NULL, 3), -1);
	REFUSED("valid, NULL evbuffer", bufferevent_write_buffer(bev, NULL), -1);
	REFUSED("valid, NULL evbuffer", bufferevent_read_buffer(bev, NULL), -1);
	REFUSED("valid, NULL data", bufferevent_read(bev, NULL, 5), 0);
	REFUSED("NULL base", bufferevent_base_set(NULL, bev), -1);
	REFUSED("NULL result array", bufferevent_pair_new(base, 0, NULL), -1);
	check(evbuffer_get_length(bufferevent_get_output(bev)) == 0, "nothing was queued by the refused calls", "");

	/* Being closed by bufferevent_flush_and_close: the calls that would undo the close. */
	bufferevent_write(bev, "last words", 10);
	check(bufferevent_flush_and_close(bev) == 0, "bufferevent_flush_and_close", "valid");
	REFUSED("closing", bufferevent_flush_and_close(bev), -1);
	REFUSED_VOID("closing", bufferevent_free(bev));
	REFUSED_VOID("closing", bufferevent_setcb(bev, rdcb, rdcb, evcb, NULL));
	shutdown(sv[1], SHUT_WR);
	event_base_dispatch(base);
	n = read(sv[1], buf, sizeof buf);
	check(n == 10 && memcmp(buf, "last words", 10) == 0, "the close still delivered the output", "");
	n = read(sv[1], buf, sizeof buf);
	check(n == 0, "then EOF", "");
	close(sv[1]);

	evbuffer_free(eb);
	event_base_free(base);
	printf("%d messages logged, %d failures\n", logs, failures);
	return failures ? 1 : 0;
}
