/* evshim-only */
/* Extension: fds that epoll refuses (/dev/null, regular files) work with evshim's default
 * method exactly as they do under libevent's poll backend — always ready — instead of
 * making event_add fail as libevent's epoll backend does. tmux and others set
 * EVENT_NOEPOLL only to get this. The transcript under the default method must equal the
 * one under "avoid epoll" (which devnull_always_ready.c and regular_file_fd.c compare
 * against libevent's poll backend). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/event.h>

static char transcript[4096];
static size_t used;
static int warnings;

static void note(const char *s)
{
	size_t n = strlen(s);
	if (used + n < sizeof(transcript)) {
		memcpy(transcript + used, s, n);
		used += n;
	}
}

static void cb(evutil_socket_t fd, short what, void *arg)
{
	char line[64];
	(void)fd;
	snprintf(line, sizeof(line), "%s what=0x%02x\n", (const char *)arg, what);
	note(line);
}

static void logcb(int sev, const char *msg) { (void)sev; (void)msg; warnings++; }

/* Runs read, write and read|write events on fd; returns the transcript. */
static const char *scenario(int fd, int avoid_epoll)
{
	struct event_config *cfg = event_config_new();
	struct event_base *base;
	struct event *r, *w, *rw;
	char line[64];

	if (avoid_epoll)
		event_config_avoid_method(cfg, "epoll");
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	used = 0;
	warnings = 0;
	r = event_new(base, fd, EV_READ, cb, "read");
	w = event_new(base, fd, EV_WRITE, cb, "write");
	rw = event_new(base, fd, EV_READ | EV_WRITE, cb, "rw");
	snprintf(line, sizeof(line), "add=%d,%d,%d warnings=%d\n", event_add(r, NULL),
	    event_add(w, NULL), event_add(rw, NULL), warnings);
	note(line);
	snprintf(line, sizeof(line), "pending=0x%02x\n", event_pending(rw, EV_READ | EV_WRITE, NULL));
	note(line);
	snprintf(line, sizeof(line), "loop=%d\n", event_base_loop(base, EVLOOP_NONBLOCK));
	note(line);
	snprintf(line, sizeof(line), "loop=%d\n", event_base_loop(base, EVLOOP_NONBLOCK));
	note(line);
	event_free(r);
	event_free(w);
	event_free(rw);
	event_base_free(base);
	transcript[used] = 0;
	return transcript;
}

static void compare(const char *what, int fd)
{
	char with_default[4096];
	strcpy(with_default, scenario(fd, 0));
	printf("%s: default method behaves as poll: %s\n", what,
	    strcmp(with_default, scenario(fd, 1)) == 0 ? "yes" : "NO");
	printf("%s", with_default);
	if (strcmp(with_default, transcript) != 0)
		printf("--- under poll:\n%s", transcript);
}

int main(void)
{
	char path[] = "/tmp/evshim-refused-XXXXXX";
	int devnull = open("/dev/null", O_RDWR);
	int file = mkstemp(path);

	if (devnull < 0 || file < 0)
		return 1;
	unlink(path);
	if (write(file, "data", 4) != 4)
		return 1;
	event_set_log_callback(logcb);
	compare("/dev/null", devnull);
	compare("regular file", file);
	if (strstr(transcript, "warnings=0") == NULL || strstr(transcript, "add=0,0,0") == NULL)
		return 1;
	return 0;
}
