"""A TCP proxy for scripts/bench/offline.sh that plays a bad network in front of lms-server.

    python3 stall_proxy.py LISTEN_PORT UPSTREAM_PORT

Starts passing bytes through. SIGUSR1 makes it silent (requests are read and never answered),
SIGUSR2 makes it answer one byte a second, SIGHUP makes it pass again. The mode applies to
connections already open too. Stops on SIGTERM.
"""
import select
import signal
import socket
import sys
import threading
import time

mode = "pass"


def set_mode(name):
    def handler(_signum, _frame):
        global mode
        mode = name
    return handler


signal.signal(signal.SIGUSR1, set_mode("silent"))
signal.signal(signal.SIGUSR2, set_mode("trickle"))
signal.signal(signal.SIGHUP, set_mode("pass"))


def pump(client, upstream_port):
    try:
        upstream = socket.create_connection(("127.0.0.1", upstream_port))
    except OSError:
        client.close()
        return
    sockets = [client, upstream]
    try:
        while True:
            readable, _, _ = select.select(sockets, [], [], 0.2)
            for source in readable:
                data = source.recv(65536)
                if not data:
                    return
                if mode == "silent":
                    continue
                target = upstream if source is client else client
                if mode == "trickle" and source is upstream:
                    for byte in data:
                        target.sendall(bytes([byte]))
                        time.sleep(1)
                else:
                    target.sendall(data)
    except OSError:
        return
    finally:
        client.close()
        upstream.close()


def main():
    listen_port, upstream_port = int(sys.argv[1]), int(sys.argv[2])
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", listen_port))
    listener.listen(64)
    while True:
        try:
            client, _ = listener.accept()
        except InterruptedError:
            continue
        threading.Thread(target=pump, args=(client, upstream_port), daemon=True).start()


main()
