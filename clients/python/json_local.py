"""Runs json-local for one test: a fresh DynamoDB or CloudWatch Logs on a free port, one key."""

import os
import signal
import subprocess

ACCESS_KEY_ID = "AKIDJSONLOCALTEST"
SECRET_ACCESS_KEY = "json-local-test-secret"
REGION = "us-east-1"


def binary():
    """The json-local binary the test command built (JSON_LOCAL names it)."""
    path = os.environ.get("JSON_LOCAL")
    if not path:
        raise RuntimeError("set JSON_LOCAL to the json-local binary (cargo xtask clients does)")
    return path


class JsonLocal:
    """A json-local process serving `service` (dynamodb or logs); `url` is its endpoint."""

    def __init__(self, service):
        # Only the key below is accepted: the test's own AWS_* variables must not add one.
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self.process = subprocess.Popen(
            [binary(), service, "--listen", "127.0.0.1:0",
             "--credentials", f"{ACCESS_KEY_ID}:{SECRET_ACCESS_KEY}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
        )
        line = self.process.stdout.readline().strip()
        prefix = "listening on "
        if not line.startswith(prefix):
            self.process.kill()
            raise RuntimeError(f"json-local did not start: {line!r} {self.process.stderr.read()}")
        self.url = line[len(prefix):]

    def stop(self):
        """SIGTERM, then the exit status, which must be 0 (a clean shutdown)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=15)
        finally:
            self.process.stdout.close()
            self.process.stderr.close()
        if code != 0:
            raise RuntimeError(f"json-local exited with {code}")
