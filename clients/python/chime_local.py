"""Runs chime-local for one test: a fresh server on a free port, seeded, with one key."""

import json
import os
import pathlib
import signal
import subprocess
import tempfile

CLIENTS = pathlib.Path(__file__).resolve().parent.parent
SEED_FILE = CLIENTS / "seed.json"
SEED = json.loads(SEED_FILE.read_text())
ACCOUNT_ID = SEED["Accounts"][0]["AccountId"]
ALICE = SEED["Users"][0]
BOB = SEED["Users"][1]

ACCESS_KEY_ID = "AKIDCHIMELOCALTEST"
SECRET_ACCESS_KEY = "chime-local-test-secret"
REGION = "us-east-1"


def binary():
    """The chime-local binary the test command built (CHIME_LOCAL names it)."""
    path = os.environ.get("CHIME_LOCAL")
    if not path:
        raise RuntimeError("set CHIME_LOCAL to the chime-local binary (cargo xtask clients does)")
    return path


class ChimeLocal:
    """A chime-local process; `url` is its endpoint once started."""

    def __init__(self):
        # Only the key below is accepted: the test's own AWS_* variables must not add one.
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        # Its request log (a line per call) goes to a file: a pipe no one reads would fill
        # and stall the server after some thousand calls.
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(
            [binary(), "--listen", "127.0.0.1:0", "--seed", str(SEED_FILE),
             "--credentials", f"{ACCESS_KEY_ID}:{SECRET_ACCESS_KEY}"],
            stdout=subprocess.PIPE, stderr=self.log, env=env, text=True,
        )
        line = self.process.stdout.readline().strip()
        prefix = "listening on "
        if not line.startswith(prefix):
            self.process.kill()
            self.process.wait()
            self.log.seek(0)
            raise RuntimeError(f"chime-local did not start: {line!r} {self.log.read()}")
        self.url = line[len(prefix):]

    def stop(self):
        """SIGTERM, then the exit status, which must be 0 (a clean shutdown)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=15)
        finally:
            self.process.stdout.close()
            self.log.close()
        if code != 0:
            raise RuntimeError(f"chime-local exited with {code}")
