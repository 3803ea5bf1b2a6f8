"""dlib identity descriptors computed in a helper process, beside the swap.

dlib's binding holds the GIL for the ~75 ms a descriptor takes, so in a thread it stalls the swap; in a child
process it runs on the core the encoder leaves free. Requests are answered in order, as futures. If the child
cannot start or dies, the descriptors still come back: computed in this process from then on.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import threading
from concurrent.futures import Future

import numpy as np

from deepfakesweb.engine.describe_child import HEADER, READY, REPLY_SIZE, Models, describe, load_models, read_exact
from deepfakesweb.engine.options import Descriptor

__all__ = ["DescriptorProcess"]

_CHILD_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "describe_child.py")
Rect = tuple[int, int, int, int]
_Request = tuple["Future[Descriptor]", np.ndarray, Rect]


class DescriptorProcess:
    """One child process serving descriptors for one FaceAnalyser (so for one thread at a time).

    Urgent requests (whom to swap) are sent at once; background ones (the identity score's samples) only when
    the child is loaded and has nothing else to do, so an urgent request waits behind at most one of them."""

    def __init__(self, predictor_path: str, resnet_path: str) -> None:
        self._paths = (predictor_path, resnet_path)
        self._cond = threading.Condition()
        self._urgent: collections.deque[_Request] = collections.deque()  # not sent yet
        self._background: collections.deque[_Request] = collections.deque()  # not sent yet
        self._in_flight: collections.deque[_Request] = collections.deque()  # sent; answered in this order
        self._closing = False
        self._ready = False  # the child has loaded its models
        self._local: Models | None = None
        self._local_lock = threading.Lock()  # the caller and the receiving thread may both compute here
        self._threads: list[threading.Thread] = []
        self._serving = False  # requests go to the child; False before it starts and once it has ended
        try:
            self._child: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, _CHILD_SCRIPT, predictor_path, resnet_path],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True,
            )
        except OSError:
            self._child = None
            return
        self._serving = True
        self._threads = [threading.Thread(target=self._send, args=(self._child,), name="describe-send", daemon=True),
                         threading.Thread(target=self._receive, args=(self._child,), name="describe-receive",
                                          daemon=True)]
        for thread in self._threads:
            thread.start()

    @property
    def pid(self) -> int | None:
        """The child's process id while it serves requests."""
        return self._child.pid if self._child is not None and self._serving else None

    def submit(self, crop: np.ndarray, rect: Rect, *, urgent: bool = True) -> Future[Descriptor]:
        """The descriptor of the face in `rect` of a contiguous RGB crop, computed beside the caller."""
        future: Future[Descriptor] = Future()
        with self._cond:
            if self._serving:
                (self._urgent if urgent else self._background).append((future, crop, rect))
                self._cond.notify_all()
                return future
        future.set_result(self._describe_here(crop, rect))
        return future

    def close(self) -> None:
        """Stop the child once its current descriptor is done; requests not answered by then are cancelled."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        if self._child is not None:
            try:
                self._child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._child.kill()
                self._child.wait()
        for thread in self._threads:
            thread.join(timeout=5)

    def _describe_here(self, crop: np.ndarray, rect: Rect) -> Descriptor:
        with self._local_lock:
            if self._local is None:
                self._local = load_models(*self._paths)
            return describe(self._local, crop, rect)

    def _next_request(self) -> _Request | None:
        with self._cond:
            while not self._closing and self._serving:
                if self._urgent:
                    request = self._urgent.popleft()
                elif self._background and self._ready and not self._in_flight:
                    request = self._background.popleft()
                else:
                    self._cond.wait()
                    continue
                self._in_flight.append(request)
                return request
            return None

    def _send(self, child: subprocess.Popen[bytes]) -> None:
        assert child.stdin is not None
        try:
            while (request := self._next_request()) is not None:
                _, crop, rect = request
                child.stdin.write(HEADER.pack(crop.shape[0], crop.shape[1], *rect))
                child.stdin.write(crop.data)
                child.stdin.flush()
        except OSError:
            pass  # the child is gone; _receive takes its requests over
        finally:
            try:
                child.stdin.close()  # the child exits when it reads the end
            except OSError:
                pass

    def _receive(self, child: subprocess.Popen[bytes]) -> None:
        assert child.stdout is not None
        if read_exact(child.stdout, len(READY)) == READY:
            with self._cond:
                self._ready = True
                self._cond.notify_all()
        while self._ready and (reply := read_exact(child.stdout, REPLY_SIZE)) is not None:
            with self._cond:
                future = self._in_flight.popleft()[0]
                self._cond.notify_all()
            future.set_result(np.frombuffer(reply, np.float64).copy())
        self._take_over()

    def _take_over(self) -> None:
        """The child ended: finish what it left here (or cancel it, when closing); serve later requests here."""
        with self._cond:
            left = [*self._in_flight, *self._urgent, *self._background]
            for requests in (self._in_flight, self._urgent, self._background):
                requests.clear()
            closing, self._serving = self._closing, False
            self._cond.notify_all()
        for future, crop, rect in left:
            if closing:
                future.cancel()
            else:
                future.set_result(self._describe_here(crop, rect))
