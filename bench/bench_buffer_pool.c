/*
 * Memory of an idle thread pool: T worker threads each move 2 MiB through evbuffers
 * (added 4 KiB at a time, moved to a second buffer with evbuffer_add_buffer, removed 4 KiB
 * at a time), free their buffers, then wait idle.  The row is the process's resident set
 * with the pool idle minus before the pool started, both after malloc_trim(0) (so the C
 * allocator hands back what it can): what a thread-pool server keeps paying for threads
 * that once used evbuffers.
 *
 * The baseline is taken after one such round in the main thread, so the library's code is
 * paged in and its process-wide state (evshim's cache of freed chains, at most 256 KiB) is
 * what it is in a running program: the row counts what the pool adds. Each row runs in a
 * fresh child process (thread stacks and malloc arenas outlive the threads that used them).
 *
 * Prints `buffer_pool threads=T bytes_per_thread=2MiB state=idle value=N unit=KiB`; run.sh
 * takes the median over invocations and prints both libraries' values and their ratio.
 */
#include "bench.h"

#include <malloc.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/buffer.h>

#define BYTES_PER_THREAD (2 * 1024 * 1024)
#define PIECE 4096

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int finished, go_home;


/* One thread's work: 2 MiB in, across, and out; checks every byte count. */
static void
move_bytes(void)
{
	char piece[PIECE];
	struct evbuffer *a = evbuffer_new(), *b = evbuffer_new();
	size_t moved = 0;
	int k;

	if (!a || !b)
		bench_fail("evbuffer_new");
	memset(piece, 'x', sizeof(piece));
	for (moved = 0; moved < BYTES_PER_THREAD; moved += PIECE)
		if (evbuffer_add(a, piece, PIECE) == -1)
			bench_fail("evbuffer_add");
	if (evbuffer_add_buffer(b, a) == -1 || evbuffer_get_length(b) != BYTES_PER_THREAD)
		bench_fail("evbuffer_add_buffer");
	moved = 0;
	while ((k = evbuffer_remove(b, piece, PIECE)) > 0)
		moved += (size_t)k;
	if (moved != BYTES_PER_THREAD || evbuffer_get_length(a) != 0)
		bench_fail("moved %zu bytes, expected %d", moved, BYTES_PER_THREAD);
	evbuffer_free(a);
	evbuffer_free(b);
}

static void *
worker(void *arg)
{
	(void)arg;
	move_bytes();
	pthread_mutex_lock(&mu);
	finished++;
	pthread_cond_broadcast(&cv);
	while (!go_home)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	return NULL;
}

static void
pool(const char *label, int threads)
{
	pthread_t *t;
	long before, idle;
	int i;

	t = calloc((size_t)threads, sizeof(*t));
	if (!t)
		bench_fail("calloc");
	finished = go_home = 0;
	malloc_trim(0);
	before = (bench_rss_bytes() / 1024);
	for (i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, worker, NULL) != 0)
			bench_fail("pthread_create");
	pthread_mutex_lock(&mu);
	while (finished < threads)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	malloc_trim(0);
	idle = (bench_rss_bytes() / 1024);
	printf("%s value=%ld unit=KiB\n", label, idle - before);
	fflush(stdout);
	pthread_mutex_lock(&mu);
	go_home = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	for (i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	free(t);
}

/* One row in a child process of its own. */
static void
row(int threads)
{
	char label[96];
	int status;
	pid_t pid;

	snprintf(label, sizeof(label),
	    "buffer_pool threads=%d bytes_per_thread=2MiB state=idle", threads);
	if (!bench_want(label))
		return;
	pid = fork();
	if (pid == -1)
		bench_fail("fork");
	if (pid == 0) {
		move_bytes();	/* the baseline: the library in use, see the top */
		pool(label, threads);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		bench_fail("the %d-thread pool failed", threads);
}

int
main(void)
{
	row(64);
	row(200);
	return 0;
}
