"""The AWS CLI (`aws dynamodb ...`, `aws logs ...`), unmodified, against json-local."""

import json
import os
import pathlib
import subprocess
import sys
import unittest

from json_local import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, JsonLocal

# The CLI installed beside this interpreter (the test command's virtual environment).
AWS = pathlib.Path(sys.executable).parent / "aws"
# AWS CLI v1 (the one published as a Python package) exits with 255 on a service error.
SERVICE_ERROR = 255


class CliTest(unittest.TestCase):
    SERVICE = ""

    def setUp(self):
        self.server = JsonLocal(self.SERVICE)
        self.addCleanup(self.server.stop)

    def aws(self, *args, secret=SECRET_ACCESS_KEY):
        """Runs `aws SERVICE ARGS` against the server; returns (exit status, stdout, stderr)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID=ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY=secret, AWS_DEFAULT_REGION=REGION,
                   AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_MAX_ATTEMPTS="1")
        done = subprocess.run([str(AWS), self.SERVICE, *args, "--endpoint-url", self.server.url, "--output", "json"],
                              env=env, capture_output=True, text=True, timeout=120)
        return done.returncode, done.stdout, done.stderr

    def ok(self, *args):
        code, out, err = self.aws(*args)
        self.assertEqual(code, 0, err)
        return json.loads(out) if out.strip() else {}

    def error(self, *args, secret=SECRET_ACCESS_KEY):
        code, _, err = self.aws(*args, secret=secret)
        self.assertEqual(code, SERVICE_ERROR, err)
        return err


class DynamoDbCliTest(CliTest):
    SERVICE = "dynamodb"

    def setUp(self):
        super().setUp()
        self.ok("create-table", "--table-name", "Music", "--billing-mode", "PAY_PER_REQUEST",
                "--attribute-definitions", "AttributeName=Artist,AttributeType=S",
                "AttributeName=Song,AttributeType=S",
                "--key-schema", "AttributeName=Artist,KeyType=HASH", "AttributeName=Song,KeyType=RANGE")

    def put(self, artist, song, year):
        self.ok("put-item", "--table-name", "Music", "--item",
                json.dumps({"Artist": {"S": artist}, "Song": {"S": song}, "Year": {"N": str(year)}}))

    def test_put_then_get(self):
        self.put("Nina Simone", "Feeling Good", 1965)
        item = self.ok("get-item", "--table-name", "Music", "--key",
                       json.dumps({"Artist": {"S": "Nina Simone"}, "Song": {"S": "Feeling Good"}}))["Item"]
        self.assertEqual(item["Year"], {"N": "1965"})

    def test_update_returns_the_new_item(self):
        self.put("Nina Simone", "Sinnerman", 1964)
        result = self.ok("update-item", "--table-name", "Music", "--key",
                         json.dumps({"Artist": {"S": "Nina Simone"}, "Song": {"S": "Sinnerman"}}),
                         "--update-expression", "SET #y = :y", "--expression-attribute-names", '{"#y": "Year"}',
                         "--expression-attribute-values", '{":y": {"N": "1965"}}', "--return-values", "ALL_NEW")
        self.assertEqual(result["Attributes"]["Year"], {"N": "1965"})

    def test_query_with_begins_with(self):
        for song, year in [("Sinnerman", 1964), ("Feeling Good", 1965), ("See-Line Woman", 1964)]:
            self.put("Nina Simone", song, year)
        result = self.ok("query", "--table-name", "Music",
                         "--key-condition-expression", "Artist = :a AND begins_with(Song, :s)",
                         "--expression-attribute-values", '{":a": {"S": "Nina Simone"}, ":s": {"S": "S"}}')
        self.assertEqual([item["Song"]["S"] for item in result["Items"]], ["See-Line Woman", "Sinnerman"])

    def test_errors_name_their_exception(self):
        err = self.error("describe-table", "--table-name", "Nope")
        self.assertIn("An error occurred (ResourceNotFoundException) when calling the DescribeTable operation: "
                      "Requested resource not found", err)
        self.put("Nina Simone", "Feeling Good", 1965)
        err = self.error("put-item", "--table-name", "Music", "--condition-expression", "attribute_not_exists(Song)",
                         "--item", json.dumps({"Artist": {"S": "Nina Simone"}, "Song": {"S": "Feeling Good"}}))
        self.assertIn("(ConditionalCheckFailedException)", err)
        self.assertIn("(ResourceInUseException)", self.error(
            "create-table", "--table-name", "Music", "--billing-mode", "PAY_PER_REQUEST",
            "--attribute-definitions", "AttributeName=Artist,AttributeType=S",
            "--key-schema", "AttributeName=Artist,KeyType=HASH"))


class LogsCliTest(CliTest):
    SERVICE = "logs"

    def test_create_put_and_get_events(self):
        self.ok("create-log-group", "--log-group-name", "app")
        self.ok("create-log-stream", "--log-group-name", "app", "--log-stream-name", "web")
        self.ok("put-log-events", "--log-group-name", "app", "--log-stream-name", "web", "--log-events",
                "timestamp=1700000000000,message=first", "timestamp=1700000001000,message=second")
        result = self.ok("get-log-events", "--log-group-name", "app", "--log-stream-name", "web", "--start-from-head")
        self.assertEqual([e["message"] for e in result["events"]], ["first", "second"])
        self.assertEqual(result["events"][1]["timestamp"], 1700000001000)

    def test_errors_name_their_exception(self):
        self.ok("create-log-group", "--log-group-name", "app")
        err = self.error("create-log-group", "--log-group-name", "app")
        self.assertIn("An error occurred (ResourceAlreadyExistsException) when calling the CreateLogGroup "
                      "operation: The specified log group already exists", err)
        err = self.error("get-log-events", "--log-group-name", "app", "--log-stream-name", "nope")
        self.assertIn("(ResourceNotFoundException)", err)

    def test_a_wrong_secret_is_refused(self):
        err = self.error("create-log-group", "--log-group-name", "app", secret="wrong")
        self.assertIn("An error occurred (InvalidSignatureException) when calling the CreateLogGroup operation: "
                      "the signature does not match", err)


del CliTest  # the base class has no service of its own

if __name__ == "__main__":
    unittest.main()
