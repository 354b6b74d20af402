"""Classical channels between Alice and Bob: in-process queues, or TCP sockets (standard library).

A channel moves whole frames (:mod:`.messages`); it neither trusts nor authenticates them. Every
wait has a timeout; a peer that disappears or goes silent raises :class:`ChannelError`.
:class:`Relay` is a man in the middle on TCP, for tests of what authentication catches.
"""

from __future__ import annotations

import queue
import socket
import threading
from collections.abc import Callable

from ..errors import DIQKDError
from .messages import HEADER, frame_length

#: default seconds to wait for the peer's next message
DEFAULT_TIMEOUT = 60.0


class ChannelError(DIQKDError):
    """The peer cannot be reached, went silent, or closed the connection mid-protocol."""


class LocalChannel:
    """One end of an in-process channel (:func:`local_pair`)."""

    def __init__(self, inbox: queue.Queue, outbox: queue.Queue, timeout: float = DEFAULT_TIMEOUT):
        self.inbox, self.outbox, self.timeout = inbox, outbox, timeout

    def send(self, data: bytes) -> None:
        self.outbox.put(bytes(data))

    def receive(self) -> bytes:
        try:
            data = self.inbox.get(timeout=self.timeout)
        except queue.Empty:
            raise ChannelError(f"no message from the peer within {self.timeout:g} s") from None
        if data is None:
            raise ChannelError("the peer closed the channel")
        return data

    def close(self) -> None:
        self.outbox.put(None)


def local_pair(timeout: float = DEFAULT_TIMEOUT) -> tuple[LocalChannel, LocalChannel]:
    """Two connected in-process channel ends (Alice's, Bob's)."""
    a, b = queue.Queue(), queue.Queue()
    return LocalChannel(a, b, timeout), LocalChannel(b, a, timeout)


def _read_exactly(sock: socket.socket, count: int, what: str) -> bytes:
    chunks, got = [], 0
    while got < count:
        try:
            chunk = sock.recv(min(count - got, 1 << 20))
        except TimeoutError:
            raise ChannelError(f"no message from the peer within {sock.gettimeout():g} s "
                               f"(waiting for {what})") from None
        except OSError as exc:
            raise ChannelError(f"connection to the peer lost: {exc}") from None
        if not chunk:
            if got == 0 and what == "a frame header":
                raise ChannelError("the peer closed the connection")
            raise ChannelError(f"the peer closed the connection mid-message ({got} of {count} bytes of {what})")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def read_frame(sock: socket.socket) -> bytes:
    """One whole frame from a socket (header, then the length it announces)."""
    header = _read_exactly(sock, HEADER.size, "a frame header")
    return header + _read_exactly(sock, frame_length(header), "a frame body")


class TCPChannel:
    """A framed channel over a connected TCP socket."""

    def __init__(self, sock: socket.socket, timeout: float = DEFAULT_TIMEOUT):
        self.sock = sock
        self.sock.settimeout(timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except OSError as exc:
            raise ChannelError(f"cannot send to the peer: {exc}") from None

    def receive(self) -> bytes:
        return read_frame(self.sock)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:  # pragma: no cover
            pass


def listen(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening socket (port 0: the system picks a free one; read it with ``getsockname()``)."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((host, port))
    server.listen(1)
    return server


def accept(server: socket.socket, timeout: float = DEFAULT_TIMEOUT, wait: float | None = None) -> TCPChannel:
    """Wait up to ``wait`` s (default ``timeout``) for the peer to connect to ``server``; the
    channel then waits up to ``timeout`` s per message."""
    wait = timeout if wait is None else wait
    server.settimeout(wait)
    try:
        sock, _ = server.accept()
    except TimeoutError:
        raise ChannelError(f"the peer did not connect within {wait:g} s") from None
    return TCPChannel(sock, timeout)


def connect(host: str, port: int, timeout: float = DEFAULT_TIMEOUT) -> TCPChannel:
    """Connect to a listening peer; :class:`ChannelError` naming the address if it cannot be reached."""
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        raise ChannelError(f"cannot reach the peer at {host}:{port}: {exc.strerror or exc}") from None
    return TCPChannel(sock, timeout)


class Relay:
    """A man in the middle on TCP: accepts Alice, connects to Bob, and forwards every frame after
    passing it through ``tamper(index, frame) -> list of frames`` (return ``[]`` to drop it, two
    frames to reorder, modified bytes to forge). Runs in a daemon thread."""

    def __init__(self, target: tuple[str, int], tamper: Callable[[int, bytes], list[bytes]],
                 timeout: float = DEFAULT_TIMEOUT):
        self.target, self.tamper, self.timeout = target, tamper, timeout
        self.server = listen()
        self.address = self.server.getsockname()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _pump(self, src: socket.socket, dst: socket.socket, counter: list[int], lock: threading.Lock) -> None:
        try:
            while True:
                data = read_frame(src)
                with lock:
                    index = counter[0]
                    counter[0] += 1
                for out in self.tamper(index, data):
                    dst.sendall(out)
        except (ChannelError, OSError, DIQKDError):
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _run(self) -> None:
        try:
            alice = accept(self.server, self.timeout).sock
            bob = connect(*self.target, timeout=self.timeout).sock
        except ChannelError:
            return
        counter, lock = [0], threading.Lock()
        threads = [threading.Thread(target=self._pump, args=(alice, bob, counter, lock), daemon=True),
                   threading.Thread(target=self._pump, args=(bob, alice, counter, lock), daemon=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
