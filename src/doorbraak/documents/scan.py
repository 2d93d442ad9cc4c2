"""The virus-scan hook (issue 16): ClamAV's `clamd` over TCP or its unix socket, INSTREAM protocol.

    result = scan(data)   # Result.CLEAN / NOT_CONFIGURED, or raises Infected / ScannerUnavailable

CLAMAV_ADDRESS is "host:port" or a socket path ("/run/clamav/clamd.ctl"; "unix:" in front is allowed). Empty: no
scanner is configured, and the caller says so plainly (upload message, technical log). The protocol: the command
"zINSTREAM\\0", then chunks of a 4-byte big-endian length and the bytes, then a zero length; clamd answers
"stream: OK" or "stream: <signature> FOUND" (or "... ERROR").
"""

from __future__ import annotations

import enum
import socket
import struct

from django.conf import settings

CHUNK = 64 * 1024


class Result(enum.Enum):
    CLEAN = "clean"
    NOT_CONFIGURED = "not_configured"


class Infected(Exception):
    def __init__(self, signature: str):
        super().__init__(signature)
        self.signature = signature


class ScannerUnavailable(Exception):
    pass


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("unix:"):
        address = address[5:]
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        return sock
    host, _sep, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ScannerUnavailable(f"CLAMAV_ADDRESS is not host:port or a socket path: {address!r}")
    return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)


def scan(data: bytes, address: str | None = None) -> Result:
    address = settings.CLAMAV_ADDRESS if address is None else address
    if not address:
        return Result.NOT_CONFIGURED
    try:
        with _connect(address, settings.CLAMAV_TIMEOUT_SECONDS) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                sock.sendall(struct.pack(">I", len(chunk)) + chunk)
            sock.sendall(struct.pack(">I", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
    except OSError as error:
        raise ScannerUnavailable(type(error).__name__) from error
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith("OK"):
        return Result.CLEAN
    if answer.endswith("FOUND"):
        signature = answer.removeprefix("stream:").removesuffix("FOUND").strip()
        raise Infected(signature[:100])
    raise ScannerUnavailable(answer[:100] or "no answer")
