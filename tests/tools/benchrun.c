/* benchrun.c - bench tool: run a command N times (output discarded) and
 * print the median, minimum and maximum wall time and the peak resident
 * memory of the child (getrusage, no GNU time needed). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fputs("usage: benchrun LABEL N CMD...\n", stderr);
		return 2;
	}
	int n = atoi(argv[2]);
	if (n < 1 || n > 10000)
		return 2;
	double *t = calloc((size_t)n, sizeof(double));
	long maxrss = 0;
	for (int i = 0; i < n; i++) {
		double t0 = now_ms();
		pid_t pid = fork();
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);
			dup2(fd, 1);
			dup2(fd, 2);
			execvp(argv[3], argv + 3);
			_exit(127);
		}
		int st;
		struct rusage ru;
		if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) > 1) {
			fprintf(stderr, "benchrun: %s failed\n", argv[3]);
			return 1;
		}
		t[i] = now_ms() - t0;
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
	}
	qsort(t, (size_t)n, sizeof(double), cmp);
	printf("%-28s runs %4d  median %7.2f ms  min %7.2f ms  max %7.2f ms  peak RSS %6.1f MiB\n",
	       argv[1], n, t[n / 2], t[0], t[n - 1], maxrss / 1024.0);
	free(t);
	return 0;
}
