/* dlopen()ing evshim (the path in argv[1]) starts no thread, installs no signal handler and
 * opens no descriptor: a process that never calls it is not changed by it. Prints what it
 * saw; tests/dropin/run.sh compares with the same program opening nothing. */
#include <dirent.h>
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int count_dir(const char *path, int anon_only)
{
	int n = 0;
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (anon_only) {
			/* stdin, stdout, stderr are whatever the caller gave us. */
			if (atoi(e->d_name) <= 2)
				continue;
			char p[300], target[300];
			snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
			ssize_t k = readlink(p, target, sizeof(target) - 1);
			target[k > 0 ? k : 0] = 0;
			if (strncmp(target, "anon_inode:", 11) != 0 && strncmp(target, "pipe:", 5) != 0 &&
			    strncmp(target, "socket:", 7) != 0)
				continue;
		}
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL)) {
		printf("dlopen failed: %s\n", dlerror());
		return 1;
	}
	int handlers = 0;
	for (int s = 1; s < NSIG; s++) {
		struct sigaction sa;
		if (sigaction(s, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL)
			handlers++;
	}
	printf("threads=%d signal handlers=%d epoll/eventfd/pipe/socket fds=%d\n", count_dir("/proc/self/task", 0),
	    handlers, count_dir("/proc/self/fd", 1));
	return 0;
}
