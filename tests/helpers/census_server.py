"""A local stand-in for the Census Bureau's batch geocoder, speaking its CSV format.

Started by the tests (and bench/geocode_bench.py) on 127.0.0.1 in a thread: it reads the
multipart upload censusgeocode sends (field `addressFile`, rows id,street,city,state,zip) and
answers one row per address, as the Census does:
id,"address",Match|No_Match|Tie,Exact|Non_Exact,"matched address","lon,lat",tigerline id,side
"""

from __future__ import annotations

import csv
import email.parser
import email.policy
import io
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Point = tuple[float, float]  # (latitude, longitude)


@dataclass
class CensusBehaviour:
    """What the server answers: a point (or "tie"/None) per street, failures and delays."""

    answer: Callable[[dict], Point | str | None] = lambda row: None
    fail_when: Callable[[list[dict]], bool] = lambda rows: False
    delay_when: Callable[[list[dict]], float] = lambda rows: 0.0
    batches: list[list[dict]] = field(default_factory=list)  # every batch received
    forms: list[dict[str, str]] = field(default_factory=list)  # the other form fields


def read_upload(content_type: str, body: bytes) -> tuple[list[dict], dict[str, str]]:
    """The address rows and other fields of a multipart upload."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.default).parsebytes(head + body)
    rows: list[dict] = []
    fields: dict[str, str] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True).decode("utf-8")
        if name == "addressFile":
            reader = csv.reader(io.StringIO(payload))
            rows = [
                dict(zip(("id", "street", "city", "state", "zip"), row, strict=False))
                for row in reader
                if row
            ]
        else:
            fields[name] = payload
    return rows, fields


def answer_rows(rows: list[dict], answer: Callable[[dict], Point | str | None]) -> str:
    """The Census batch CSV for these rows."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for row in rows:
        address = f"{row['street']}, {row['city']}, {row['state']}, {row['zip']}"
        found = answer(row)
        if found is None:
            writer.writerow([row["id"], address, "No_Match"])
        elif found == "tie":
            writer.writerow([row["id"], address, "Tie"])
        else:
            lat, lon = found
            writer.writerow(
                [row["id"], address, "Match", "Exact", address.upper(), f"{lon},{lat}",
                 "123456789", "L"]
            )  # fmt: skip
    return out.getvalue()


def _handler(behaviour: CensusBehaviour):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            rows, fields = read_upload(self.headers["Content-Type"], body)
            behaviour.batches.append(rows)
            behaviour.forms.append(fields)
            delay = behaviour.delay_when(rows)
            if delay:
                time.sleep(delay)
            if self.path != "/geocoder/locations/addressbatch" or behaviour.fail_when(rows):
                self._send(500, "text/html", "<html><body>Internal error</body></html>")
                return
            self._send(200, "text/csv", answer_rows(rows, behaviour.answer))

        def _send(self, status: int, kind: str, text: str) -> None:
            data = text.encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the slow batch): nothing to tell

        def log_message(self, format, *args) -> None:
            pass  # keep test output clean

    return Handler


class CensusServer:
    """The server on a free port, in a daemon thread; `url` is its batch endpoint."""

    def __init__(self, behaviour: CensusBehaviour | None = None) -> None:
        self.behaviour = behaviour or CensusBehaviour()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.behaviour))
        self.httpd.daemon_threads = True
        # Shutting down waits for the serving loop's next look at its stop flag: look often.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """The batch endpoint, as LOCATOR_CENSUS_GEOCODER_URL would name it."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/geocoder/locations/addressbatch"

    def __enter__(self) -> CensusServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
