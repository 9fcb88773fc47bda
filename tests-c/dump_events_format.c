/* event_base_dump_events: which events are listed and how (pointers, fd
 * numbers and deadlines are masked: only the layout and flags are compared).
 * No signal events: libevent would list its internal signal socket too. */
#include <stdio.h>
#include <ctype.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/socket.h>
#include <event2/event.h>

static void cb(evutil_socket_t fd, short what, void *arg) { (void)fd; (void)what; (void)arg; }

/* print a dump line with 0x… pointers, digit runs and "(nil)" masked */
static void masked(const char *line)
{
	for (const char *p = line; *p; p++) {
		if (p[0] == '0' && p[1] == 'x') {
			fputs("P", stdout);
			p += 2;
			while (isxdigit((unsigned char)p[0]))
				p++;
			p--;
		} else if (isdigit((unsigned char)*p)) {
			fputs("N", stdout);
			while (isdigit((unsigned char)p[1]) || (p[1] == '.' && isdigit((unsigned char)p[2])))
				p++;
		} else {
			fputc(*p, stdout);
		}
	}
}

int main(void)
{
	struct event_base *base = event_base_new();
	struct timeval t5 = {5, 0};
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	event_base_priority_init(base, 3);
	struct event *r = event_new(base, sv[0], EV_READ | EV_PERSIST, cb, NULL);
	struct event *w = event_new(base, sv[1], EV_WRITE | EV_ET, cb, NULL);
	struct event *c = event_new(base, sv[1], EV_CLOSED, cb, NULL);
	struct event *t = evtimer_new(base, cb, NULL);
	struct event *a = event_new(base, -1, 0, cb, NULL);
	event_add(r, &t5);
	event_add(w, NULL);
	event_add(c, NULL);
	evtimer_add(t, &t5);
	event_active(a, EV_READ | EV_WRITE, 0);
	event_active(r, EV_TIMEOUT, 0);

	FILE *f = tmpfile();
	event_base_dump_events(base, f);
	rewind(f);
	char line[512];
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		masked(line);
		n++;
	}
	printf("(%d lines)\n", n);
	fclose(f);
	event_base_loop(base, EVLOOP_NONBLOCK);
	event_free(r);
	event_free(w);
	event_free(c);
	event_free(t);
	event_free(a);
	event_base_free(base);
	return 0;
}
