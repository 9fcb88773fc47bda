/* evshim-only */
/* bufferevent_flush_and_close on one end of a bufferevent pair: everything queued on
 * that end reaches the partner (even beyond the partner's read high watermark, and even
 * if the partner only starts reading later), then the partner gets an event callback
 * with BEV_EVENT_EOF, and nothing more. Unverified until evshim implements it. */
#include <stdio.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <evshim.h>

#ifndef EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE
#error "evshim.h does not declare bufferevent_flush_and_close (EVSHIM_HAVE_BUFFEREVENT_FLUSH_AND_CLOSE)"
#endif

#define LEN 100000

static long received;
static int intact = 1, eof_seen, data_after_eof, events_after_eof, failures;

static void check(int ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
	if (!ok)
		failures++;
}

static unsigned char pattern(long i)
{
	return (unsigned char)(i * 7 + (i >> 9));
}

static void readcb(struct bufferevent *bev, void *arg)
{
	unsigned char buf[4096];
	size_t n, i;
	(void)arg;
	while ((n = bufferevent_read(bev, buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++)
			if (buf[i] != pattern(received + (long)i))
				intact = 0;
		received += (long)n;
		if (eof_seen)
			data_after_eof = 1;
	}
}

static void eventcb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)arg;
	printf("partner eventcb 0x%02x after %ld bytes\n", what, received);
	if (eof_seen)
		events_after_eof++;
	if (what & BEV_EVENT_EOF)
		eof_seen = 1;
}

static void run(int partner_reads_first)
{
	struct event_base *base = event_base_new();
	struct bufferevent *p[2];
	static unsigned char data[LEN];
	long i;
	for (i = 0; i < LEN; i++)
		data[i] = pattern(i);
	received = 0;
	intact = 1;
	eof_seen = data_after_eof = events_after_eof = 0;
	printf("%s:\n", partner_reads_first ? "partner reading, high watermark 1000" : "partner starts reading later");
	bufferevent_pair_new(base, 0, p);
	bufferevent_setcb(p[1], readcb, NULL, eventcb, NULL);
	if (partner_reads_first) {
		bufferevent_setwatermark(p[1], EV_READ, 0, 1000);
		bufferevent_enable(p[1], EV_READ);
	}
	bufferevent_write(p[0], data, LEN);
	check(bufferevent_flush_and_close(p[0]) == 0, "bufferevent_flush_and_close returned 0");
	event_base_loop(base, EVLOOP_NONBLOCK);
	if (!partner_reads_first) {
		bufferevent_enable(p[1], EV_READ);
		event_base_loop(base, EVLOOP_NONBLOCK);
	}
	event_base_dispatch(base);
	check(received == LEN, "the partner received everything");
	check(intact, "every byte is right");
	check(eof_seen, "the partner got BEV_EVENT_EOF");
	check(!data_after_eof && !events_after_eof, "nothing came after the EOF");
	check(bufferevent_pair_get_partner(p[1]) == NULL, "the partner is unlinked");
	bufferevent_free(p[1]);
	event_base_free(base);
}

int main(void)
{
	run(1);
	run(0);
	return failures ? 1 : 0;
}
