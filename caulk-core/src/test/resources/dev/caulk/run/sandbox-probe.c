/* What a probed process can do, for SandboxTest: built static with gcc, run as the entrypoint. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static void status_line(const char *key) {
  char line[256];
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, key, strlen(key)) == 0) printf("%s", line);
  }
  fclose(f);
}

static void on_term(int sig) {
  (void) sig;
  _exit(0);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "id";
  signal(SIGTERM, on_term); /* pid 1 of a namespace ignores signals it does not handle */
  setvbuf(stdout, NULL, _IONBF, 0);
  if (strcmp(mode, "id") == 0) {
    printf("uid=%d gid=%d\n", (int) getuid(), (int) getgid());
    status_line("CapEff:");
    status_line("NoNewPrivs:");
    status_line("Seccomp:");
    FILE *m = fopen("/proc/self/uid_map", "r");
    char map[128] = {0};
    if (m && fgets(map, sizeof map, m)) printf("uid_map=%s", map);
    FILE *w = fopen("/etc/probe-written", "w");
    printf("root_write=%s\n", w ? "ok" : strerror(errno));
  } else if (strcmp(mode, "seccomp") == 0) {
    errno = 0;
    long r = ptrace(PTRACE_TRACEME, 0, 0, 0);
    printf("ptrace=%ld errno=%d\n", r, r < 0 ? errno : 0);
    errno = 0;
    r = syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 1);
    printf("keyctl=%s errno=%d\n", r < 0 ? "fail" : "ok", r < 0 ? errno : 0);
    errno = 0;
    r = unshare(CLONE_NEWUTS);
    printf("unshare=%ld errno=%d\n", r, r < 0 ? errno : 0);
    errno = 0;
    r = syscall(SYS_clone3, NULL, 0);
    printf("clone3 errno=%d\n", r < 0 ? errno : 0);
    errno = 0;
    r = syscall(SYS_getpid);
    printf("getpid=%s\n", r > 0 ? "ok" : "fail");
  } else if (strcmp(mode, "forks") == 0) {
    int n = 0;
    int err = 0;
    for (; n < 100000; n++) {
      pid_t p = fork();
      if (p < 0) { err = errno; break; }
      if (p == 0) { pause(); _exit(0); }
    }
    printf("forks=%d errno=%d\n", n, err);
  } else if (strcmp(mode, "memory") == 0) {
    for (int mb = 1; mb <= 4096; mb++) {
      char *p = malloc(1 << 20);
      if (!p) { printf("malloc failed at %d\n", mb); break; }
      memset(p, 1, 1 << 20);
      printf("mb=%d\n", mb);
    }
  } else if (strcmp(mode, "connect") == 0) {
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short) atoi(argv[2]));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int r = connect(s, (struct sockaddr *) &a, sizeof a);
    printf("connect=%d errno=%d\n", r, r < 0 ? errno : 0);
  }
  printf("done\n");
  for (;;) pause();
}
