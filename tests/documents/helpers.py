"""Small real files and a fake clamd for the document tests."""

import socket
import struct
import threading

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
# The start of a Windows program (MZ header, PE signature): what an executable renamed to .pdf looks like inside.
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8"
    + b"\x00" * 43
    + b"\x80\x00\x00\x00"
    + (b"\x0e\x1f\xba\x0e\x00\xb4\t\xcd!\xb8\x01L\xcd!This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 71)
    + b"PE\x00\x00L\x01\x03\x00"
    + b"\x00" * 200
)
EICAR_SIGNATURE = "Eicar-Test-Signature"


class FakeClamd:
    """A tiny clamd on 127.0.0.1 that speaks INSTREAM: it reads the chunks up to the zero length and answers
    "stream: OK", or "stream: Eicar-Test-Signature FOUND" when the bytes contain `infected_marker`."""

    def __init__(self, infected_marker: bytes = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"):
        self.marker = infected_marker
        self.received: list[bytes] = []
        self.commands: list[bytes] = []
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(5)
        self.address = f"127.0.0.1:{self.server.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read_exact(self, conn, n):
        data = b""
        while len(data) < n:
            part = conn.recv(n - len(data))
            if not part:
                raise ConnectionError
            data += part
        return data

    def _serve(self):
        while True:
            try:
                conn, _addr = self.server.accept()
            except OSError:
                return
            with conn:
                try:
                    command = self._read_exact(conn, len(b"zINSTREAM\0"))
                    self.commands.append(command)
                    data = b""
                    while True:
                        (length,) = struct.unpack(">I", self._read_exact(conn, 4))
                        if length == 0:
                            break
                        data += self._read_exact(conn, length)
                    self.received.append(data)
                    if command != b"zINSTREAM\0":
                        conn.sendall(b"UNKNOWN COMMAND\0")
                    elif self.marker in data:
                        conn.sendall(f"stream: {EICAR_SIGNATURE} FOUND\0".encode())
                    else:
                        conn.sendall(b"stream: OK\0")
                except (ConnectionError, OSError):
                    pass

    def close(self):
        try:
            self.server.shutdown(socket.SHUT_RDWR)  # wakes the accept() of the serving thread
        except OSError:
            pass
        self.server.close()
        self.thread.join(timeout=5)


def unused_address() -> str:
    """127.0.0.1:<a port nothing listens on>."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"127.0.0.1:{port}"
