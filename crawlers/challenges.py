"""CAPTCHAs handed to a person: a paused crawl's challenge, saved in its job folder, and the answer.

When a market shows a CAPTCHA and no answer is at hand, the crawl saves the image and the login
form as ``<job>/captcha.json`` plus ``<job>/captcha-<id>.png`` and stops with the reason
``captcha``; the frontier keeps its place. ``onionwatch captcha list`` shows what waits;
``onionwatch captcha answer CRAWL_ID TEXT`` stores the answer and resumes the crawl, which logs in
with it first.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

__all__ = ["Challenge", "save_challenge", "load_challenge", "answer_challenge", "pending_challenges",
           "clear_challenge"]

FILE = "captcha.json"


@dataclass
class Challenge:
    market: str
    crawl_id: str
    challenge_id: str
    image: str  # file name in the job folder
    form_url: str  # where the login form posts
    form_fields: dict[str, str] = field(default_factory=dict)  # hidden fields of the form
    asked_at: str = ""
    answer: str | None = None
    job_dir: str = ""

    @property
    def image_path(self) -> Path:
        return Path(self.job_dir) / self.image


def _write(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    os.replace(tmp, path)


def save_challenge(job_dir: Path, challenge: Challenge, image: bytes) -> Challenge:
    job_dir = Path(job_dir)
    job_dir.mkdir(parents=True, exist_ok=True)
    challenge.image = f"captcha-{challenge.challenge_id}.png"
    (job_dir / challenge.image).write_bytes(image)
    challenge.asked_at = challenge.asked_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    challenge.job_dir = str(job_dir)
    _write(job_dir / FILE, asdict(challenge))
    return challenge


def load_challenge(job_dir: Path) -> Challenge | None:
    path = Path(job_dir) / FILE
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    data["job_dir"] = str(job_dir)
    return Challenge(**data)


def answer_challenge(job_dir: Path, answer: str) -> Challenge:
    challenge = load_challenge(job_dir)
    if challenge is None:
        raise FileNotFoundError(f"no CAPTCHA waits in {job_dir}")
    if not answer.strip():
        raise ValueError("the answer is empty: type the characters the image shows")
    challenge.answer = answer.strip()
    _write(Path(job_dir) / FILE, asdict(challenge))
    return challenge


def clear_challenge(job_dir: Path) -> None:
    (Path(job_dir) / FILE).unlink(missing_ok=True)


def pending_challenges(jobs_dir: Path) -> list[Challenge]:
    """Challenges in every job folder under ``jobs_dir``, oldest first."""
    found = [c for c in (load_challenge(p.parent) for p in Path(jobs_dir).glob(f"*/{FILE}")) if c]
    return sorted(found, key=lambda c: c.asked_at)
