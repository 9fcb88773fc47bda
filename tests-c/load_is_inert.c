/* no-valgrind: under valgrind a signal has a handler before main with libevent too */
/* Loading the library changes nothing in a process that never calls it: before main, no
 * allocation (counted by the program's own malloc), one thread, no signal handler. The
 * program only takes a function's address, so the library is linked and loaded. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <event2/event.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static volatile long allocs;

void *malloc(size_t n) { allocs++; return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { allocs++; return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { allocs++; return __libc_realloc(p, n); }

struct event_base *(*volatile keep)(void) = event_base_new;

int main(void)
{
	long before_main = allocs;
	int tasks = 0, handlers = 0;
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	while (d && (e = readdir(d)))
		tasks += e->d_name[0] != '.';
	if (d)
		closedir(d);
	for (int s = 1; s < NSIG; s++) {
		struct sigaction sa;
		if (sigaction(s, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL)
			handlers++;
	}
	printf("allocations before main=%ld threads=%d signal handlers=%d linked=%d\n", before_main, tasks, handlers,
	    keep != NULL);
	return 0;
}
