/* The shared body of the example services: one file, no dependencies beyond libc. */
#ifndef ADVENT_SERVICE_H
#define ADVENT_SERVICE_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stopping = 0;
static void on_term(int sig) { (void)sig; stopping = 1; }

static const char *ca_bundle_state(void) {
  const char *path = getenv("SSL_CERT_FILE");
  if (path == NULL || *path == '\0') path = "/etc/ssl/certs/ca-certificates.crt";
  FILE *f = fopen(path, "r");
  if (f == NULL) return "unreadable";
  char line[64];
  const char *state = "empty";
  while (fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "-----BEGIN CERTIFICATE-----", 27) == 0) { state = "readable"; break; }
  }
  fclose(f);
  return state;
}

static int serve(const char *name) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  const char *port_env = getenv("PORT");
  int port = port_env != NULL ? atoi(port_env) : 3000;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) { perror("socket"); return 1; }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) { perror("bind"); return 1; }
  if (listen(fd, 16) < 0) { perror("listen"); return 1; }
  fprintf(stderr, "%s: listening on :%d as uid %d\n", name, port, (int)getuid());

  while (!stopping) {
    int c = accept(fd, NULL, NULL);
    if (c < 0) continue;
    char req[2048];
    ssize_t n = read(c, req, sizeof req - 1);
    (void)n;
    tzset();
    time_t now = time(NULL);
    struct tm local;
    localtime_r(&now, &local);
    char offset[16];
    strftime(offset, sizeof offset, "%z", &local); /* +0100 */
    char pretty[8];
    snprintf(pretty, sizeof pretty, "%.3s:%.2s", offset, offset + 3); /* +01:00 */
    char body[512];
    int len = snprintf(body, sizeof body, "service=%s uid=%d gid=%d utc_offset=%s tz=%s ca_bundle=%s\n", name, (int)getuid(),
                       (int)getgid(), pretty, getenv("TZ") ? getenv("TZ") : "", ca_bundle_state());
    char head[256];
    int hl = snprintf(head, sizeof head,
                      "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", len);
    if (write(c, head, (size_t)hl) < 0 || write(c, body, (size_t)len) < 0) { /* client went away */ }
    close(c);
  }
  close(fd);
  return 0;
}

#endif
