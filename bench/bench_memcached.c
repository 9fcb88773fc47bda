/*
 * memcached throughput: Debian's memcached (built against Debian's libevent, unmodified)
 * serving the same bounded client load on libevent and on evshim (issue 8).
 *
 * run.sh builds this file twice like every benchmark; the build decides which library
 * memcached runs on: the binary finds the libevent it is itself linked with (dladdr on
 * event_base_new) and starts memcached with that file in LD_PRELOAD -- Debian's
 * libevent-2.1.so.7 for the libevent build (the library memcached loads anyway), evshim's
 * build/lib/libevent-2.1.so.7 for the evshim build (the LD_PRELOAD way tests/real/
 * memcached.sh checks). /proc/PID/maps must show that file in the server, or the run fails.
 *
 * The server runs with one worker thread (-t 1; memcached also has its listener thread)
 * and without its LRU crawler and maintainer threads (-o no_lru_crawler,no_lru_maintainer),
 * so that its CPU time is the requests' path: with four workers on this 2-core machine,
 * cross-thread wake-ups and background threads made the server's CPU time per run vary by
 * 2x between runs; with one worker it repeats within a few per cent.
 *
 * The client is plain C on epoll, no libevent: `conns` TCP connections to 127.0.0.1, one
 * request outstanding on each, every connection with its own keys (so its replies are
 * known exactly); 90 % get, 10 % set, values of 16-1023 bytes from a fixed-seed PRNG.
 * Every reply is compared byte for byte with what it must be ("STORED", or "VALUE key 0
 * len", the value last stored, "END"); a wrong byte fails the benchmark. Before the timed
 * runs every key is set once (untimed).
 *
 * Measured per run (a fixed number of requests): the server's CPU time (all its threads,
 * user + system, from the kernel's per-process CPU clock, clock_getcpuclockid) and the
 * wall-clock time. The client and the server share the machine's cores, so the wall time
 * carries the client's cost too; the server's CPU time per request is what the library
 * changes. Printed as two quantities (run.sh's value table; higher = faster):
 *     memcached conns=8 keys=256 requests=R server-cpu value=<requests per server CPU second> unit=req/cpu-s
 *     memcached conns=8 keys=256 requests=R wall value=<requests per second> unit=req/s
 * each the median over the timed runs of one invocation.
 *
 * Without memcached installed it prints nothing and says so on stderr (exit 0).
 * BENCH_MEMCACHED=path picks the server binary.
 */
#include "bench.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <arpa/inet.h>

#include <event2/event.h>

#define CONNS 8
#define KEYS 256		/* per connection */
#define MAX_VALUE 1023
#define MAX_REQ (MAX_VALUE + 128)

struct conn {
	int fd;
	int idx;
	uint64_t rng;
	uint32_t version[KEYS];		/* of each key's current value */
	char out[MAX_REQ];		/* request being sent */
	size_t out_len, out_off;
	char want[MAX_REQ];		/* the reply it must get */
	size_t want_len, got;
	long left;			/* requests still to send in this run */
};

static struct conn C[CONNS];
static int epfd;
static pid_t server;
static clockid_t server_clock;
static long done_requests;

static uint64_t
conn_rand(struct conn *c)
{
	uint64_t x = c->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	c->rng = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* A value is a function of (connection, key, version): its length and its bytes. */
static size_t
value_len(int conn, int key, uint32_t version)
{
	uint64_t h = ((uint64_t)conn << 40) ^ ((uint64_t)key << 20) ^ version;

	h *= 0x9e3779b97f4a7c15ULL;
	return 16 + (size_t)((h >> 32) % (MAX_VALUE - 15));
}

static void
value_fill(char *p, size_t len, int conn, int key, uint32_t version)
{
	unsigned s = (unsigned)(conn * 131 + key * 7 + version * 13);
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (char)('a' + (s + i * 7) % 26);
}

/* The next request of `c` (a set if `force_set` or 1 in 10), and the reply it needs. */
static void
next_request(struct conn *c, int key, int force_set)
{
	char name[32];
	size_t len;
	int n;

	snprintf(name, sizeof(name), "c%02d:k%04d", c->idx, key);
	if (force_set || conn_rand(c) % 10 == 0) {
		uint32_t v = ++c->version[key];

		len = value_len(c->idx, key, v);
		n = snprintf(c->out, sizeof(c->out), "set %s 0 0 %zu\r\n", name, len);
		value_fill(c->out + n, len, c->idx, key, v);
		memcpy(c->out + n + len, "\r\n", 2);
		c->out_len = (size_t)n + len + 2;
		memcpy(c->want, "STORED\r\n", 8);
		c->want_len = 8;
	} else {
		uint32_t v = c->version[key];

		len = value_len(c->idx, key, v);
		c->out_len = (size_t)snprintf(c->out, sizeof(c->out), "get %s\r\n", name);
		n = snprintf(c->want, sizeof(c->want), "VALUE %s 0 %zu\r\n", name, len);
		value_fill(c->want + n, len, c->idx, key, v);
		memcpy(c->want + n + len, "\r\nEND\r\n", 7);
		c->want_len = (size_t)n + len + 7;
	}
	c->out_off = 0;
	c->got = 0;
}

static void
send_some(struct conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
		    MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;	/* (the reply cannot come first: waits for EPOLLIN) */
			bench_fail("memcached: send: %s", strerror(errno));
		}
		c->out_off += (size_t)n;
	}
}

/* Reads what is there; true when the whole expected reply has arrived (and matched). */
static int
receive(struct conn *c)
{
	char buf[4096];

	for (;;) {
		ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			bench_fail("memcached: recv: %s", strerror(errno));
		}
		if (n == 0)
			bench_fail("memcached: the server closed connection %d", c->idx);
		if ((size_t)n > c->want_len - c->got ||
		    memcmp(buf, c->want + c->got, (size_t)n) != 0)
			bench_fail("memcached: connection %d: wrong reply to \"%.40s\" "
			    "(%zu bytes in, expected %zu)", c->idx, c->out,
			    c->got + (size_t)n, c->want_len);
		c->got += (size_t)n;
		if (c->got == c->want_len)
			return 1;
	}
}

/* `per_conn` requests on every connection (the first `populate`: a set of each key in
 * turn), one outstanding per connection, until all are answered. */
static void
run_requests(long per_conn, int populate)
{
	struct epoll_event evs[CONNS];
	long outstanding = 0;
	int i, k;

	for (i = 0; i < CONNS; i++) {
		struct conn *c = &C[i];

		c->left = per_conn;
		next_request(c, populate ? 0 : (int)(conn_rand(c) % KEYS), populate);
		c->left--;
		send_some(c);
		outstanding++;
	}
	while (outstanding > 0) {
		int n = epoll_wait(epfd, evs, CONNS, 10000);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			bench_fail("memcached: no reply for 10 s");
		for (k = 0; k < n; k++) {
			struct conn *c = &C[evs[k].data.u32];

			if (c->out_off < c->out_len)
				send_some(c);
			if (!(evs[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) || !receive(c))
				continue;
			done_requests++;
			if (c->left == 0) {
				outstanding--;
				continue;
			}
			c->left--;
			if (populate)
				next_request(c, (int)(per_conn - c->left - 1), 1);
			else
				next_request(c, (int)(conn_rand(c) % KEYS), 0);
			send_some(c);
		}
	}
}

static double
server_cpu_us(void)
{
	struct timespec ts;

	if (clock_gettime(server_clock, &ts) == -1)
		bench_fail("memcached: the server's CPU clock: %s", strerror(errno));
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static const char *
find_memcached(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("BENCH_MEMCACHED"), *p;
	char *dirs, *dir, *save = NULL;

	if (env && *env)
		return access(env, X_OK) == 0 ? env : NULL;
	p = getenv("PATH");
	dirs = strdup(p ? p : "/usr/bin:/bin");
	if (!dirs)
		bench_fail("malloc");
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof(path), "%s/memcached", dir);
		if (access(path, X_OK) == 0) {
			free(dirs);
			return path;
		}
	}
	/* Debian's package puts it in /usr/bin, but a restricted PATH may miss it. */
	free(dirs);
	return access("/usr/bin/memcached", X_OK) == 0 ? "/usr/bin/memcached" : NULL;
}

static int
free_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		bench_fail("memcached: a free port: %s", strerror(errno));
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

static int
connect_to(int port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	if (fd == -1)
		bench_fail("memcached: socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return -1;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static void
stop_server(void)
{
	if (server > 0) {
		kill(server, SIGTERM);
		(void)waitpid(server, NULL, 0);
		server = 0;
	}
}

/* The server runs on `lib` (the file preloaded): it must be mapped into the process. */
static void
check_maps(const char *lib)
{
	char path[64], line[PATH_MAX + 256];
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)server);
	f = fopen(path, "r");
	if (!f)
		bench_fail("memcached: %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/');
		if (p) {
			p[strcspn(p, "\n")] = 0;
			if (strcmp(p, lib) == 0)
				found = 1;
		}
	}
	fclose(f);
	if (!found)
		bench_fail("memcached: %s is not mapped into the server", lib);
}

int
main(void)
{
	char lib[PATH_MAX], label[160], portarg[16];
	const char *memcached = find_memcached();
	struct passwd *pw = getpwuid(geteuid());
	int quick = bench_quick(), port, i, runs, max_runs;
	long per_conn = quick ? 500 : 4000;	/* x CONNS = requests per run */
	double *cpu, *wall, budget_us = quick ? 1e6 : 3e6, start;
	Dl_info info;

	(void)bench_measure;	/* (bench.h's timing helpers: this one times the server) */
	(void)bench_report;
	snprintf(label, sizeof(label), "memcached conns=%d keys=%d requests=%ld", CONNS,
	    KEYS, per_conn * CONNS);
	if (!bench_want(label))
		return 0;
	if (!memcached) {
		fprintf(stderr, "bench_memcached: memcached is not installed "
		    "(apt-get install memcached); no memcached rows\n");
		return 0;
	}
	if (!dladdr((void *)event_base_new, &info) || !info.dli_fname ||
	    !realpath(info.dli_fname, lib))
		bench_fail("memcached: cannot tell which libevent this build uses");
	signal(SIGPIPE, SIG_IGN);

	port = free_port();
	snprintf(portarg, sizeof(portarg), "%d", port);
	server = fork();
	if (server == -1)
		bench_fail("fork: %s", strerror(errno));
	if (server == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			close(null);
		}
		setenv("LD_PRELOAD", lib, 1);
		execl(memcached, "memcached", "-u", pw ? pw->pw_name : "root",
		    "-l", "127.0.0.1", "-p", portarg, "-U", "0", "-t", "1", "-m", "64",
		    "-c", "256", "-o", "no_lru_crawler,no_lru_maintainer", (char *)NULL);
		fprintf(stderr, "exec %s: %s\n", memcached, strerror(errno));
		_exit(127);
	}
	atexit(stop_server);

	epfd = epoll_create1(EPOLL_CLOEXEC);
	start = bench_now_us();
	for (i = 0; i < CONNS; i++) {
		struct epoll_event ev;
		struct conn *c = &C[i];

		while ((c->fd = connect_to(port)) == -1) {
			if (bench_now_us() - start > 10e6 || waitpid(server, NULL, WNOHANG) != 0)
				bench_fail("memcached: nothing listens on 127.0.0.1:%d", port);
			usleep(10000);
		}
		fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
		c->idx = i;
		c->rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
		ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
		ev.data.u32 = (uint32_t)i;
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) == -1)
			bench_fail("epoll_ctl: %s", strerror(errno));
	}
	check_maps(lib);
	if (clock_getcpuclockid(server, &server_clock) != 0)
		bench_fail("memcached: clock_getcpuclockid failed");

	/* Every key set once (untimed), then a warm-up run. */
	run_requests(KEYS, 1);
	run_requests(per_conn, 0);

	max_runs = quick ? 3 : 5;
	cpu = calloc((size_t)max_runs, sizeof(*cpu));
	wall = calloc((size_t)max_runs, sizeof(*wall));
	if (!cpu || !wall)
		bench_fail("malloc");
	start = bench_now_us();
	for (runs = 0; runs < max_runs; runs++) {
		double c0 = server_cpu_us(), w0 = bench_now_us();

		run_requests(per_conn, 0);
		wall[runs] = bench_now_us() - w0;
		cpu[runs] = server_cpu_us() - c0;
		if (runs >= 2 && bench_now_us() - start > budget_us) {
			runs++;
			break;
		}
	}
	check_maps(lib);
	stop_server();
	if (getenv("BENCH_VERBOSE")) {
		fprintf(stderr, "server cpu us per run:");
		for (i = 0; i < runs; i++)
			fprintf(stderr, " %.0f", cpu[i]);
		fprintf(stderr, "\nwall us per run:");
		for (i = 0; i < runs; i++)
			fprintf(stderr, " %.0f", wall[i]);
		fprintf(stderr, "\n(%s, %ld requests answered in all)\n", lib, done_requests);
	}
	printf("%s server-cpu value=%.0f unit=req/cpu-s\n", label,
	    (double)(per_conn * CONNS) / (bench_median(cpu, runs) / 1e6));
	printf("%s wall value=%.0f unit=req/s\n", label,
	    (double)(per_conn * CONNS) / (bench_median(wall, runs) / 1e6));
	return 0;
}
