/* The public struct event layout (event_struct.h): field values after
 * event_assign/add/active as seen through the struct and the accessor macros.
 * Programs built against libevent's headers read these fields directly, so
 * evshim must keep them in the same places with the same values. */
#include <stdio.h>
#include <fcntl.h>
#include <stddef.h>
#include <signal.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/event_struct.h>
#include <event2/event_compat.h>

static struct event ev;

static void dump(const char *when)
{
	printf("%s: ev_events=0x%02x ev_res=0x%02x ev_flags=0x%02x ev_pri=%d closure=%d\n", when,
	    ev.ev_events, ev.ev_res, ev.ev_evcallback.evcb_flags, ev.ev_evcallback.evcb_pri,
	    ev.ev_evcallback.evcb_closure);
}

static void cb(evutil_socket_t fd, short what, void *arg)
{
	char c;
	printf("callback what=0x%02x arg ok=%d read=%d\n", what, arg == &ev, (int)read(fd, &c, 1));
	dump("in callback");
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t1 = {1, 0};
	int sv[2];

	printf("sizeof(struct event)=%d\n", (int)sizeof(struct event));
	printf("offsetof ev_evcallback.evcb_flags=%d evcb_pri=%d evcb_closure=%d evcb_arg=%d\n",
	    (int)offsetof(struct event, ev_evcallback.evcb_flags),
	    (int)offsetof(struct event, ev_evcallback.evcb_pri),
	    (int)offsetof(struct event, ev_evcallback.evcb_closure),
	    (int)offsetof(struct event, ev_evcallback.evcb_arg));
	printf("offsetof ev_base=%d ev_fd=%d ev_events=%d ev_res=%d ev_timeout=%d\n",
	    (int)offsetof(struct event, ev_base), (int)offsetof(struct event, ev_fd),
	    (int)offsetof(struct event, ev_events), (int)offsetof(struct event, ev_res),
	    (int)offsetof(struct event, ev_timeout));
	printf("sizeof(struct event_callback)=%d\n", (int)sizeof(struct event_callback));
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	event_base_priority_init(base, 4);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	event_assign(&ev, base, sv[0], EV_READ | EV_PERSIST, cb, &ev);
	printf("ev_fd matches: %d EVENT_FD matches: %d ev_base ok=%d ev_arg ok=%d ev_callback ok=%d\n",
	    ev.ev_fd == sv[0], EVENT_FD(&ev) == sv[0], ev.ev_base == base, ev.ev_evcallback.evcb_arg == &ev,
	    ev.ev_evcallback.evcb_cb_union.evcb_callback == cb);
	dump("assigned");
	event_priority_set(&ev, 3);
	dump("priority 3");
	event_add(&ev, &t1);
	dump("added with timeout");
	if (write(sv[1], "x", 1) != 1)
		return 1;
	event_base_loop(base, EVLOOP_ONCE);
	dump("after loop");
	event_del(&ev);
	dump("deleted");
	event_active(&ev, EV_WRITE, 0);
	dump("active (not added)");
	/* the persistent callback re-adds an event that has a timeout */
	event_base_loop(base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	dump("after run");
	event_del(&ev);
	dump("deleted again");

	struct event sig;
	evsignal_assign(&sig, base, SIGUSR2, cb, NULL);
	printf("signal: ev_fd=%d EVENT_SIGNAL=%d ev_events=0x%02x ev_flags=0x%02x closure=%d\n",
	    (int)sig.ev_fd, EVENT_SIGNAL(&sig), sig.ev_events, sig.ev_evcallback.evcb_flags,
	    sig.ev_evcallback.evcb_closure);
	event_add(&sig, NULL);
	printf("signal added: ev_flags=0x%02x\n", sig.ev_evcallback.evcb_flags);
	event_del(&sig);
	close(sv[0]);
	close(sv[1]);
	event_base_free(base);
	return 0;
}
