/* The process of the real-daemon suite's managed plugin (tests/daemon/plugin.sh builds it
 * static into the plugin's rootfs). dockerd starts it with the plugin and only waits for its
 * unix socket to accept a connection; the plugin protocol is HTTP/1.1 with JSON bodies, so it
 * answers Plugin.Activate with its interface and every other call with an empty object.
 * argv[1]: the socket path (under /run/docker/plugins, which dockerd maps to its exec root). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "/run/docker/plugins/suite.sock";
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
    unlink(path);
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(listener, 16) != 0) {
        perror(path);
        return 1;
    }
    /* PluginSet changes this variable; the log line shows which value the process got. */
    const char *greeting = getenv("GREETING");
    fprintf(stderr, "plugin-serve: listening on %s, GREETING=%s\n", path, greeting ? greeting : "");
    for (;;) {
        int conn = accept(listener, NULL, NULL);
        if (conn < 0)
            continue;
        char request[8192];
        ssize_t n = read(conn, request, sizeof request - 1);
        if (n > 0) {
            request[n] = 0;
            const char *body = strstr(request, "/Plugin.Activate") ? "{\"Implements\":[\"VolumeDriver\"]}" : "{}";
            char response[512];
            int len = snprintf(response, sizeof response,
                               "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.plugins.v1+json\r\n"
                               "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                               strlen(body), body);
            if (write(conn, response, (size_t)len) < 0)
                perror("write");
        }
        close(conn);
    }
}
