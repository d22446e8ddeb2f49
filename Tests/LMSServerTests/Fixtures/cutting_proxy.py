"""A TCP proxy on loopback that cuts the network: it forwards to TARGET_PORT until CUT_AFTER
bytes went upstream, then closes every connection and refuses new ones, as an unplugged cable
would. Prints its port on one line; runs until its standard input closes.

Usage: python3 cutting_proxy.py TARGET_PORT CUT_AFTER
"""
import socket
import sys
import threading

target_port = int(sys.argv[1])
cut_after = int(sys.argv[2])
lock = threading.Lock()
state = {"sent": 0, "cut": False}
connections = []

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))
listener.listen(64)


def cut():
    with lock:
        if state["cut"]:
            return
        state["cut"] = True
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            connection.close()
    listener.close()


def pump(source, destination, upstream):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            if upstream:
                with lock:
                    state["sent"] += len(data)
                    over = state["sent"] >= cut_after
                if over:
                    cut()
                    return
            destination.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, destination):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def accept():
    while True:
        try:
            client, _ = listener.accept()
        except OSError:
            return
        upstream = socket.create_connection(("127.0.0.1", target_port))
        with lock:
            connections.extend([client, upstream])
        threading.Thread(target=pump, args=(client, upstream, True), daemon=True).start()
        threading.Thread(target=pump, args=(upstream, client, False), daemon=True).start()


print(listener.getsockname()[1], flush=True)
threading.Thread(target=accept, daemon=True).start()
sys.stdin.read()
