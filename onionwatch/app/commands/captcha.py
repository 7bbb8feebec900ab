"""``onionwatch captcha``: the CAPTCHAs paused crawls wait on; answer one to resume its crawl."""
from __future__ import annotations

from onionwatch.core.config import load_config
from ._util import Formatter, fail, say


def register(commands, common) -> None:
    captcha = commands.add_parser(
        "captcha", parents=[common], formatter_class=Formatter,
        help="list the CAPTCHAs paused crawls wait on, answer one to resume",
        description="A crawl that meets a CAPTCHA saves the image in its job folder and pauses.\n"
                    "Look at the image, then answer: the crawl logs in with the answer and carries on.",
        epilog="examples:\n  onionwatch captcha list\n"
               "  onionwatch captcha answer 20260101T000000Z-abc123 K7QX2\n"
               "  onionwatch captcha answer 20260101T000000Z-abc123 K7QX2 --no-resume   # resume later\n")
    sub = captcha.add_subparsers(dest="captcha_command", metavar="{list,answer}", required=True)
    listing = sub.add_parser("list", parents=[common], help="CAPTCHAs waiting for an answer")
    listing.set_defaults(run=run_list)
    answer = sub.add_parser("answer", parents=[common], formatter_class=Formatter,
                            help="answer a paused crawl's CAPTCHA and resume it")
    answer.add_argument("crawl_id", metavar="CRAWL_ID", help="the paused crawl (see `onionwatch captcha list`)")
    answer.add_argument("text", metavar="TEXT", help="the characters the image shows")
    answer.add_argument("--no-resume", action="store_true", help="only store the answer")
    answer.add_argument("--log-level", default="WARNING", help="Scrapy log level of the resumed crawl")
    answer.set_defaults(run=run_answer)


def run_list(args) -> int:
    from crawlers.challenges import pending_challenges

    config = load_config(args.data_dir)
    waiting = [c for c in pending_challenges(config.jobs_dir)]
    if not waiting:
        say("no CAPTCHA is waiting")
        return 0
    for c in waiting:
        state = f"answered ({c.answer!r}), resume pending" if c.answer else "waiting"
        print(f"{c.crawl_id}\t{c.market}\t{c.asked_at}\t{c.image_path}\t{state}")
    return 0


def run_answer(args) -> int:
    from crawlers.challenges import answer_challenge
    from crawlers.run import resume_job

    from .crawl import finish

    config = load_config(args.data_dir)
    jobs = sorted(config.jobs_dir.glob(f"*-{args.crawl_id}"))
    if len(jobs) != 1:
        return fail(f"no paused crawl {args.crawl_id!r} in {config.jobs_dir}: see `onionwatch captcha list`")
    try:
        challenge = answer_challenge(jobs[0], args.text)
    except (FileNotFoundError, ValueError) as exc:
        return fail(str(exc))
    say(f"answer stored for {challenge.market} (crawl {challenge.crawl_id})")
    if args.no_resume:
        return 0
    say(f"resuming crawl {challenge.crawl_id} of {challenge.market} ...")
    try:
        report = resume_job(jobs[0], log_level=args.log_level)
    except (ValueError, FileNotFoundError) as exc:
        return fail(str(exc))
    return finish(config, report, index=False)
