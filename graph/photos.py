"""Listing photos: perceptual hashes (``imagehash.phash``) and near-duplicate search among them.

A vendor who reuses a product photo on two accounts is a weak link: the photo may be re-encoded,
resized or watermarked, so two hashes within a small Hamming distance count as one photo. Near
pairs are found without comparing all pairs: each 64-bit hash is cut into pieces and two
hashes within ``max_distance`` bits differ in at most ``max_distance`` of ``max_distance + 1``
pieces, so they share at least one piece exactly (pigeonhole) and meet in that piece's bucket.

Photos come from the crawler's WARC evidence (``image/*`` response records): pass the record's
bytes to :func:`photo_hash`, or give listing documents a ``photos`` list of
``{"evidence": {...}}`` and let :func:`hash_listing_photos` read and hash them.

>>> from PIL import Image, ImageDraw
>>> img = Image.new("RGB", (200, 200), "white")
>>> ImageDraw.Draw(img).ellipse([20, 30, 120, 90], fill="navy")
>>> h1 = photo_hash(img)
>>> h2 = photo_hash(img.resize((120, 120)).rotate(2))
>>> hamming(h1, h2) <= 6
True
>>> h3 = photo_hash(Image.linear_gradient("L"))
>>> [(a, b) for a, b, _ in near_duplicate_pairs({"a": h1, "b": h2, "c": h3})]
[('a', 'b')]
"""
from __future__ import annotations

import io
from collections import defaultdict
from typing import Any, Callable, Hashable, Iterable, Iterator, Mapping

__all__ = ["photo_hash", "hamming", "near_duplicate_pairs", "hash_listing_photos"]


def photo_hash(image: Any, *, hash_size: int = 8) -> str:
    """The perceptual hash (DCT pHash, 64 bits as 16 hex digits) of an image: a Pillow image,
    or the bytes of a JPEG/PNG/GIF/WebP file. Raises ValueError for bytes that are no image."""
    import imagehash
    from PIL import Image, UnidentifiedImageError

    if isinstance(image, (bytes, bytearray, memoryview)):
        try:
            image = Image.open(io.BytesIO(bytes(image)))
            image.load()
        except (UnidentifiedImageError, OSError) as exc:
            raise ValueError(f"not an image the photo hash can read: {exc}") from exc
    return str(imagehash.phash(image, hash_size=hash_size))


def hamming(a: str, b: str) -> int:
    """Bits that differ between two hex hashes of one length.

    >>> hamming("ff00", "ff01")
    1
    """
    return (int(a, 16) ^ int(b, 16)).bit_count()


def near_duplicate_pairs(hashes: Mapping[Hashable, str], *, max_distance: int = 4,
                         max_bucket: int = 200, groups: Mapping[Hashable, Hashable] | None = None
                         ) -> Iterator[tuple[Hashable, Hashable, float]]:
    """Pairs of keys whose photo hashes are at most ``max_distance`` bits apart, with the distance
    as a fraction of the hash length (0.0 = the same hash), each pair once.

    The hashes are cut into ``max_distance + 1`` bands of bits. Buckets holding more than
    ``max_bucket`` keys (a stock photo everyone uses) are skipped: they are not evidence of a link
    and would make the search quadratic. Keys of one ``groups`` value (one account's photos) are
    not paired, and two groups are paired once (by the first near pair found).
    """
    if not hashes:
        return
    values = {key: int(value, 16) for key, value in hashes.items()}
    bits = 4 * max(len(value) for value in hashes.values())
    bands = max_distance + 1
    width = bits // bands
    masks = [((1 << (width if band < bands - 1 else bits - width * band)) - 1) << (width * band)
             for band in range(bands)]
    buckets: dict[tuple[int, int], list[Hashable]] = defaultdict(list)
    for key, value in values.items():
        for band, mask in enumerate(masks):
            buckets[(band, value & mask)].append(key)
    seen: set[tuple[Hashable, Hashable]] = set()  # group pairs already paired
    for members in buckets.values():
        if len(members) < 2 or len(members) > max_bucket:
            continue
        by_group: dict[Hashable, list[Hashable]] = defaultdict(list)
        for key in members:
            by_group[groups.get(key, key) if groups else key].append(key)
        if len(by_group) < 2:
            continue
        names = list(by_group)
        for i, ga in enumerate(names):
            for gb in names[i + 1:]:
                group_pair = (ga, gb) if str(ga) <= str(gb) else (gb, ga)
                if group_pair in seen:
                    continue
                found = _closest(by_group[ga], by_group[gb], values, max_distance)
                if found is not None:
                    seen.add(group_pair)
                    a, b, distance = found
                    a, b = (a, b) if str(a) <= str(b) else (b, a)
                    yield a, b, distance / bits


def _closest(left, right, values, max_distance):
    for a in left:
        va = values[a]
        for b in right:
            distance = (va ^ values[b]).bit_count()
            if distance <= max_distance:
                return a, b, distance
    return None


def hash_listing_photos(docs: Iterable[dict[str, Any]],
                        read: Callable[[dict[str, Any]], bytes] | None = None,
                        data_dir: Any = None) -> Iterator[dict[str, Any]]:
    """Yield the documents with a ``phash`` on each entry of their ``photos`` list that has
    evidence but no hash yet. ``read(evidence) -> bytes`` defaults to reading the WARC record;
    a photo that cannot be read or decoded gets an ``error`` instead, and the document is kept.
    Evidence pointers are resolved against ``data_dir`` (default: the configured data directory)."""
    if read is None:
        from onionwatch.evidence import read_response
        from onionwatch.core.models import Evidence

        def read(evidence: dict[str, Any]) -> bytes:
            return read_response(Evidence.from_dict(evidence), data_dir=data_dir).body

    for doc in docs:
        for photo in doc.get("photos") or []:
            if isinstance(photo, dict) and not photo.get("phash") and photo.get("evidence"):
                try:
                    photo["phash"] = photo_hash(read(photo["evidence"]))
                except (OSError, LookupError, ValueError) as exc:
                    photo["error"] = str(exc)
        yield doc
