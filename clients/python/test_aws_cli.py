"""The AWS CLI (`aws chime ...`), unmodified, against chime-local."""

import json
import os
import pathlib
import subprocess
import sys
import unittest

from chime_local import ACCESS_KEY_ID, ACCOUNT_ID, ALICE, BOB, REGION, SECRET_ACCESS_KEY, ChimeLocal

# The CLI installed beside this interpreter (the test command's virtual environment).
AWS = pathlib.Path(sys.executable).parent / "aws"
# AWS CLI v1 (the one published as a Python package) exits with 255 on a service error.
SERVICE_ERROR = 255


class AwsCliTest(unittest.TestCase):
    def setUp(self):
        self.server = ChimeLocal()
        self.addCleanup(self.server.stop)

    def aws(self, *args, secret=SECRET_ACCESS_KEY):
        """Runs `aws chime ARGS` against the server; returns (exit status, stdout, stderr)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID=ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY=secret, AWS_DEFAULT_REGION=REGION,
                   AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_MAX_ATTEMPTS="1")
        done = subprocess.run([str(AWS), "chime", *args, "--endpoint-url", self.server.url, "--output", "json"],
                              env=env, capture_output=True, text=True, timeout=120)
        return done.returncode, done.stdout, done.stderr

    def ok(self, *args):
        code, out, err = self.aws(*args)
        self.assertEqual(code, 0, err)
        return json.loads(out)

    def test_create_account(self):
        account = self.ok("create-account", "--name", "Acme Rockets")["Account"]
        self.assertEqual(account["Name"], "Acme Rockets")
        self.assertEqual(account["AccountType"], "Team")
        self.assertEqual(account["SupportedLicenses"], ["Basic", "Pro"])

    def test_update_account(self):
        account = self.ok("update-account", "--account-id", ACCOUNT_ID, "--name", "Renamed",
                          "--default-license", "Basic")["Account"]
        self.assertEqual(account["Name"], "Renamed")
        self.assertEqual(account["DefaultLicense"], "Basic")

    def test_update_user(self):
        user = self.ok("update-user", "--account-id", ACCOUNT_ID, "--user-id", ALICE["UserId"],
                       "--license-type", "Basic")["User"]
        self.assertEqual(user["LicenseType"], "Basic")
        self.assertEqual(user["PrimaryEmail"], ALICE["PrimaryEmail"])

    def test_batch_update_user(self):
        result = self.ok("batch-update-user", "--account-id", ACCOUNT_ID, "--update-user-request-items",
                         f"UserId={BOB['UserId']},LicenseType=Pro", "UserId=ghost,LicenseType=Pro")
        self.assertEqual([e["UserId"] for e in result["UserErrors"]], ["ghost"])
        self.assertEqual(result["UserErrors"][0]["ErrorCode"], "NotFound")
        user = self.ok("update-user", "--account-id", ACCOUNT_ID, "--user-id", BOB["UserId"])["User"]
        self.assertEqual(user["LicenseType"], "Pro")

    def test_an_unknown_account_is_not_found(self):
        code, _, err = self.aws("update-account", "--account-id", "no-such-account", "--name", "x")
        self.assertEqual(code, SERVICE_ERROR)
        self.assertIn("An error occurred (NotFoundException) when calling the UpdateAccount operation: "
                      "account no-such-account not found", err)

    def test_a_bad_request_lists_the_violations(self):
        code, _, err = self.aws("update-account", "--account-id", ACCOUNT_ID, "--name", " " * 101)
        self.assertEqual(code, SERVICE_ERROR)
        self.assertIn("(BadRequestException)", err)
        self.assertIn("2 validation errors detected", err)
        self.assertIn("Member must have length between 1 and 100, inclusive", err)

    def test_a_wrong_secret_is_forbidden(self):
        code, _, err = self.aws("create-account", "--name", "x", secret="wrong")
        self.assertEqual(code, SERVICE_ERROR)
        self.assertIn("(ForbiddenException)", err)


if __name__ == "__main__":
    unittest.main()
