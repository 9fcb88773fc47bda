/* event_get_assignment and the single accessors return what event_new/assign got. */
#include <stdio.h>
#include <event2/event.h>

static void cb1(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }
static void cb2(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }

int main(void)
{
	struct event_base *base = event_base_new();
	struct event_base *other = event_base_new();
	static int token;
	struct event *ev = event_new(base, 5, EV_READ | EV_PERSIST | EV_ET, cb1, &token);
	struct event_base *b_out = NULL;
	evutil_socket_t fd_out = -99;
	short ev_out = 0;
	event_callback_fn cb_out = NULL;
	void *arg_out = NULL;

	event_get_assignment(ev, &b_out, &fd_out, &ev_out, &cb_out, &arg_out);
	printf("base ok=%d fd=%d events=0x%02x cb ok=%d arg ok=%d\n", b_out == base, (int)fd_out,
	    ev_out, cb_out == cb1, arg_out == &token);
	/* NULL out-pointers are allowed */
	fd_out = -99;
	event_get_assignment(ev, NULL, &fd_out, NULL, NULL, NULL);
	printf("fd only=%d\n", (int)fd_out);

	printf("get_base ok=%d get_fd=%d get_events=0x%02x get_callback ok=%d get_callback_arg ok=%d\n",
	    event_get_base(ev) == base, (int)event_get_fd(ev), event_get_events(ev),
	    event_get_callback(ev) == cb1, event_get_callback_arg(ev) == &token);
	printf("priority=%d\n", event_get_priority(ev));

	/* event_base_set moves a non-added event to another base */
	int r = event_base_set(other, ev);
	printf("base_set=%d moved=%d\n", r, event_get_base(ev) == other);

	event_free(ev);
	ev = evsignal_new(base, 10, cb2, NULL);
	event_get_assignment(ev, &b_out, &fd_out, &ev_out, &cb_out, &arg_out);
	printf("signal: fd=%d events=0x%02x cb ok=%d arg null=%d get_signal=%d\n", (int)fd_out,
	    ev_out, cb_out == cb2, arg_out == NULL, event_get_signal(ev));
	event_free(ev);
	ev = evtimer_new(base, cb2, &token);
	printf("timer: fd=%d events=0x%02x\n", (int)event_get_fd(ev), event_get_events(ev));
	event_free(ev);
	event_base_free(base);
	event_base_free(other);
	return 0;
}
