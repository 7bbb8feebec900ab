"""Perceptual hashes of images the test makes, read back from real WARC evidence."""
from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageDraw, ImageFilter

from graph.photos import hamming, hash_listing_photos, near_duplicate_pairs, photo_hash
from onionwatch.evidence import EvidenceWriter


def picture(seed: int) -> Image.Image:
    rng = random.Random(seed)
    image = Image.new("RGB", (240, 240), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(10):
        x, y = rng.randrange(200), rng.randrange(200)
        draw.ellipse([x, y, x + rng.randrange(20, 90), y + rng.randrange(20, 90)],
                     fill=tuple(rng.randrange(256) for _ in range(3)))
    return image


def jpeg(image: Image.Image, quality: int = 60) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


@pytest.mark.parametrize("edit", [
    lambda im: im.resize((160, 160)),
    lambda im: im.rotate(2),
    lambda im: im.filter(ImageFilter.GaussianBlur(1)),
    lambda im: Image.open(io.BytesIO(jpeg(im, 35))),
])
def test_reposted_photo_stays_near(edit):
    original = picture(1)
    assert hamming(photo_hash(original), photo_hash(edit(original))) <= 4


def test_different_photos_are_far_and_not_paired():
    hashes = {f"p{i}": photo_hash(picture(i)) for i in range(1, 30)}
    hashes["copy"] = photo_hash(picture(5).resize((200, 200)))
    pairs = [(a, b) for a, b, _ in near_duplicate_pairs(hashes)]
    assert pairs == [("copy", "p5")]


def test_groups_are_not_paired_with_themselves():
    h = photo_hash(picture(3))
    assert list(near_duplicate_pairs({"a1": h, "a2": h}, groups={"a1": "A", "a2": "A"})) == []


def test_not_an_image_is_a_clear_error():
    with pytest.raises(ValueError, match="not an image"):
        photo_hash(b"<html>hostile</html>")


def test_hashes_photos_from_warc_evidence(tmp_path):
    with EvidenceWriter(tmp_path / "photos.warc.gz") as writer:
        good = writer.write_response("http://m.invalid/img/1.jpg", 200, [("Content-Type", "image/jpeg")],
                                     jpeg(picture(7)), fetched_at="2026-01-01T00:00:00Z")
        bad = writer.write_response("http://m.invalid/img/2.jpg", 200, [("Content-Type", "image/jpeg")],
                                    b"not a jpeg", fetched_at="2026-01-01T00:00:00Z")
    docs = [{"listing_id": "1", "photos": [{"evidence": good.to_dict()}, {"evidence": bad.to_dict()}]}]
    [doc] = list(hash_listing_photos(docs))
    first, second = doc["photos"]
    assert hamming(first["phash"], photo_hash(picture(7))) <= 2
    assert "phash" not in second and "not an image" in second["error"]
