"""Reading WARC evidence back by pointer: the stored response an :class:`~onionwatch.core.models.Evidence`
names (found in the data directory by :func:`~onionwatch.evidence.locate.warc_path`), its digest
checked, its Content-Encoding undone, and its text decoded by the charset the page declares or, as
Scrapy does, the one its bytes allow (:func:`page_text`)."""
from __future__ import annotations

import os
import zlib
from dataclasses import dataclass

from warcio.archiveiterator import ArchiveIterator

from onionwatch.core.models import Evidence
from onionwatch.evidence.digests import check_payload_digest
from onionwatch.evidence.locate import warc_path

__all__ = ["StoredResponse", "read_response", "decode_content", "page_text", "media_type"]


def media_type(headers) -> str:
    """The media type a response's headers (pairs) declare, lower case, without parameters; "" if none.

    >>> media_type([("Server", "x"), ("Content-Type", "Image/JPEG; q=1")]), media_type(None)
    ('image/jpeg', '')
    """
    for name, value in headers or []:
        if name.lower() == "content-type":
            return value.split(";")[0].strip().lower()
    return ""


@dataclass
class StoredResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    record_id: str
    digest: str

    @property
    def text(self) -> str:
        """The body as text, by its declared or detected charset (:func:`page_text`)."""
        content_type = next((v for k, v in self.headers if k.lower() == "content-type"), None)
        return page_text(self.body, content_type)


def read_response(evidence: Evidence, *, verify: bool = True, data_dir: str | os.PathLike | None = None
                  ) -> StoredResponse:
    """Read the response record an evidence pointer names, checking its payload digest.

    The pointer is resolved against ``data_dir`` (default: the configured data directory).
    Raises ``FileNotFoundError`` when the WARC file is not there, :class:`DigestMismatch` when the
    payload no longer matches the recorded digest, and ``LookupError`` when the record is not in
    the file.
    """
    with open(warc_path(evidence.warc_file, data_dir), "rb") as fh:
        if evidence.offset is not None:
            fh.seek(evidence.offset)
        for record in ArchiveIterator(fh):
            if record.rec_headers.get_header("WARC-Record-ID") != evidence.record_id:
                if evidence.offset is not None:
                    break
                continue
            payload = record.raw_stream.read()
            digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
            if verify:
                check_payload_digest(payload, digest, evidence)
            headers = list(record.http_headers.headers) if record.http_headers else []
            status = int(record.http_headers.get_statuscode()) if record.http_headers else 0
            return StoredResponse(
                url=record.rec_headers.get_header("WARC-Target-URI"),
                status=status,
                headers=headers,
                body=decode_content(payload, headers),
                record_id=evidence.record_id,
                digest=digest,
            )
    raise LookupError(f"record {evidence.record_id} not found in {evidence.warc_file}")


def decode_content(payload: bytes, headers: list[tuple[str, str]]) -> bytes:
    """Undo a gzip or deflate Content-Encoding; the archive keeps the bytes as they were sent."""
    encoding = next((v.strip().lower() for k, v in headers if k.lower() == "content-encoding"), "")
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompress(payload, 16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        try:
            return zlib.decompress(payload)
        except zlib.error:
            return zlib.decompress(payload, -zlib.MAX_WBITS)
    return payload


def _auto_detect(body: bytes) -> str | None:
    """Scrapy's guess for a page that declares no charset: ASCII, else UTF-8, else windows-1252."""
    for encoding in ("ascii", "utf-8", "cp1252"):
        try:
            body.decode(encoding)
        except UnicodeError:
            continue
        return encoding
    return None


def page_text(body: bytes, content_type: str | None = None) -> str:
    """Decode a page as a browser (and Scrapy, through w3lib) would: the charset of the
    Content-Type header, else a byte-order mark, else a ``<meta charset>`` or XML declaration,
    else the first of ASCII, UTF-8 and windows-1252 that decodes it; bytes that still do not
    decode become U+FFFD.

    >>> page_text("<p>Café</p>".encode("cp1252"))
    '<p>Café</p>'
    >>> page_text("<meta charset=koi8-r><p>Привет</p>".encode("koi8-r"))[-13:]
    '<p>Привет</p>'
    >>> page_text(b"caf\\xc3\\xa9", "text/html; charset=utf-8")
    'café'
    """
    from w3lib.encoding import html_to_unicode

    return html_to_unicode(content_type, body, auto_detect_fun=_auto_detect)[1]
