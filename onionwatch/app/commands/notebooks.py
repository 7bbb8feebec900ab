"""``onionwatch notebooks``: JupyterLab on the investigator notebooks, on 127.0.0.1, behind a token."""
from __future__ import annotations

import subprocess
from pathlib import Path

from ._util import Formatter, fail, say


def register(commands, common) -> None:
    notebooks = commands.add_parser(
        "notebooks", parents=[common], formatter_class=Formatter,
        help="open the investigator notebooks in JupyterLab on 127.0.0.1 (needs the notebooks extra)",
        description="Start JupyterLab 4 on the checkout's notebooks/ folder, on 127.0.0.1 only, behind a new\n"
                    "random token, with its kernels reading one data directory. Without --data-dir that is\n"
                    "$ONIONWATCH_DATA_DIR, else the data the last `onionwatch demo` made, else an\n"
                    "onionwatch-data folder here or above. `make notebooks` installs the notebooks extra\n"
                    "(JupyterLab, the ipysigma graph widget) and runs this. Ctrl-C stops the server.",
        epilog="examples:\n  make demo && make notebooks\n  onionwatch notebooks --port 8890\n"
               "  onionwatch notebooks --data-dir /cases/17")
    notebooks.add_argument("--port", type=int, default=8888, help="port on 127.0.0.1 (default 8888)")
    notebooks.add_argument("--notebook-dir", metavar="DIR", type=Path, default=None,
                           help="the notebooks folder to serve (default: the checkout's notebooks/)")
    notebooks.set_defaults(run=run)


def run(args) -> int:
    from onionwatch.app import lab
    from onionwatch.core.datadir import NoDataError, find_data_dir, holds_data

    if args.data_dir:
        data_dir = Path(args.data_dir).expanduser()
        if not holds_data(data_dir):
            return fail(f"{data_dir} holds no onionwatch data (no search store, no crawl records): run"
                        " `make demo`, or give the folder a crawl wrote")
    else:
        try:
            data_dir = find_data_dir()
        except NoDataError as exc:
            return fail(str(exc))
    missing = lab.jupyterlab_missing()
    if missing:
        return fail(missing)
    try:
        folder = args.notebook_dir or lab.notebooks_dir()
    except FileNotFoundError as exc:
        return fail(str(exc))
    token = lab.new_token()
    say(f"JupyterLab on {folder}, reading the data in {data_dir.absolute()}")
    say(f"open: {lab.lab_url(args.port, token)}   (Ctrl-C stops)")
    server = subprocess.Popen(lab.lab_command(folder, port=args.port), env=lab.lab_environment(data_dir, token))
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()  # on SIGTERM JupyterLab shuts its kernels down before it exits
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        say("stopped")
        return 0
