"""Small generated product photos: one picture per source, copies re-encoded or cropped.

A source (``actor-00007/2`` or ``stock/3``) always draws the same picture: a coloured backdrop,
a few pill or bag shapes and, on actors' photos, a watermark tag in the actor's colours, the way
vendors mark their pictures. A ``reencoded`` copy is the same picture saved at a lower JPEG
quality (different bytes, same image); a ``cropped`` copy loses a margin. Stock sources are
shared by unrelated vendors (a hard negative for photo matching).

>>> data = jpeg("stock/1", "original")
>>> data[:3] == b"\\xff\\xd8\\xff", data == jpeg("stock/1", "original")
(True, True)
>>> jpeg("stock/1", "reencoded") != data
True
"""
from __future__ import annotations

import io
import random
from functools import lru_cache

__all__ = ["jpeg", "SIZE", "TRANSFORMS"]

SIZE = (160, 120)
TRANSFORMS = {"original": 88, "reencoded": 55, "cropped": 88}  # transform -> JPEG quality


@lru_cache(maxsize=512)
def _picture(source: str):
    from PIL import Image, ImageDraw  # Pillow: imported when a photo is first asked for

    rng = random.Random(f"photo:{source}")
    back = tuple(rng.randrange(90, 250) for _ in range(3))
    image = Image.new("RGB", SIZE, back)
    draw = ImageDraw.Draw(image)
    ink = tuple(rng.randrange(0, 200) for _ in range(3))
    for _ in range(rng.randint(3, 9)):
        x, y = rng.randrange(SIZE[0] - 30), rng.randrange(SIZE[1] - 20)
        w, h = rng.randint(10, 30), rng.randint(6, 20)
        if rng.random() < 0.5:
            draw.ellipse((x, y, x + w, y + h), fill=ink, outline=(0, 0, 0))
        else:
            draw.rectangle((x, y, x + w, y + h), outline=ink, width=2)
    if not source.startswith("stock/"):
        tag = source.split("/")[0][-3:] + "#" + source.split("/")[-1]
        draw.rectangle((0, SIZE[1] - 14, 60, SIZE[1]), fill=ink)
        draw.text((3, SIZE[1] - 13), tag, fill=back)
    return image


@lru_cache(maxsize=2048)
def jpeg(source: str, transform: str) -> bytes:
    """The JPEG bytes of ``source`` made by ``transform`` (original, reencoded, cropped)."""
    if transform not in TRANSFORMS:
        raise ValueError(f"unknown photo transform {transform!r}")
    image = _picture(source)
    if transform == "cropped":
        margin = 6 + random.Random(f"crop:{source}").randrange(10)
        image = image.crop((margin, margin, SIZE[0] - margin, SIZE[1] - margin))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=TRANSFORMS[transform])
    return out.getvalue()
