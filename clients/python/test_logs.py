"""boto3, unmodified, against json-local's CloudWatch Logs (awsJson1_1)."""

import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from json_local import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, JsonLocal


class LogsTest(unittest.TestCase):
    def setUp(self):
        self.server = JsonLocal("logs")
        self.addCleanup(self.server.stop)
        self.logs = self.client(SECRET_ACCESS_KEY)

    def client(self, secret, **config):
        return boto3.client("logs", endpoint_url=self.server.url, region_name=REGION,
                            aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key=secret,
                            config=Config(retries={"max_attempts": 1}, **config))

    def stream_with(self, count):
        """Group `app`, stream `web`, and `count` events one second apart from t=1000000 ms."""
        self.logs.create_log_group(logGroupName="app")
        self.logs.create_log_stream(logGroupName="app", logStreamName="web")
        events = [{"timestamp": 1_000_000 + 1000 * i, "message": f"line {i}"} for i in range(count)]
        if events:
            self.logs.put_log_events(logGroupName="app", logStreamName="web", logEvents=events)

    def messages(self, **kwargs):
        response = self.logs.get_log_events(logGroupName="app", logStreamName="web", **kwargs)
        return [event["message"] for event in response["events"]], response

    def test_events_come_back_as_they_were_put(self):
        self.logs.create_log_group(logGroupName="app", tags={"team": "core"})
        self.logs.create_log_stream(logGroupName="app", logStreamName="web")
        put = self.logs.put_log_events(logGroupName="app", logStreamName="web", logEvents=[
            {"timestamp": 1_700_000_000_000, "message": "started"},
            {"timestamp": 1_700_000_000_500, "message": "héllo, wörld"}])
        self.assertIn("nextSequenceToken", put)
        messages, response = self.messages(startFromHead=True)
        self.assertEqual(messages, ["started", "héllo, wörld"])
        self.assertEqual([e["timestamp"] for e in response["events"]], [1_700_000_000_000, 1_700_000_000_500])
        self.assertTrue(all(e["ingestionTime"] > 1_700_000_000_000 for e in response["events"]))

    def test_limit_from_head_and_from_tail(self):
        self.stream_with(5)
        self.assertEqual(self.messages(startFromHead=True, limit=2)[0], ["line 0", "line 1"])
        self.assertEqual(self.messages(limit=2)[0], ["line 3", "line 4"])
        self.assertEqual(self.messages(startTime=1_001_000, endTime=1_003_000, startFromHead=True)[0],
                         ["line 1", "line 2"])

    def test_forward_tokens_page_through_the_stream(self):
        self.stream_with(5)
        seen, token = [], None
        for _ in range(4):
            kwargs = {"nextToken": token} if token else {"startFromHead": True}
            page, response = self.messages(limit=2, **kwargs)
            seen += page
            token = response["nextForwardToken"]
        self.assertEqual(seen, [f"line {i}" for i in range(5)])

    def test_an_existing_group_or_stream_is_resource_already_exists(self):
        self.logs.create_log_group(logGroupName="app")
        with self.assertRaises(self.logs.exceptions.ResourceAlreadyExistsException) as raised:
            self.logs.create_log_group(logGroupName="app")
        self.assertEqual(raised.exception.response["Error"]["Message"], "The specified log group already exists")
        self.logs.create_log_stream(logGroupName="app", logStreamName="web")
        with self.assertRaises(self.logs.exceptions.ResourceAlreadyExistsException):
            self.logs.create_log_stream(logGroupName="app", logStreamName="web")

    def test_a_missing_group_or_stream_is_resource_not_found(self):
        with self.assertRaises(self.logs.exceptions.ResourceNotFoundException) as raised:
            self.logs.create_log_stream(logGroupName="nope", logStreamName="web")
        self.assertEqual(raised.exception.response["Error"]["Message"], "The specified log group does not exist.")
        self.logs.create_log_group(logGroupName="app")
        with self.assertRaises(self.logs.exceptions.ResourceNotFoundException):
            self.logs.put_log_events(logGroupName="app", logStreamName="nope",
                                     logEvents=[{"timestamp": 1, "message": "m"}])
        with self.assertRaises(self.logs.exceptions.ResourceNotFoundException):
            self.logs.get_log_events(logGroupName="app", logStreamName="nope")

    def test_events_out_of_order_are_an_invalid_parameter(self):
        self.stream_with(0)
        with self.assertRaises(self.logs.exceptions.InvalidParameterException):
            self.logs.put_log_events(logGroupName="app", logStreamName="web", logEvents=[
                {"timestamp": 2000, "message": "later"}, {"timestamp": 1000, "message": "earlier"}])
        self.assertEqual(self.messages(startFromHead=True)[0], [])

    def test_a_live_tail_streams_the_events_put_while_it_lasts(self):
        # StartLiveTail is an awsJson1_1 event stream: botocore reads the initial-response
        # message, then sessionStart and a sessionUpdate per PutLogEvents batch. The model's
        # host prefix (streaming-) cannot go on an IP address, so it is not injected here.
        tail_client = self.client(SECRET_ACCESS_KEY, inject_host_prefix=False)
        self.stream_with(0)
        response = tail_client.start_live_tail(logGroupIdentifiers=["app"])
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 200)
        stream = response["responseStream"]
        events = iter(stream)
        start = next(events)["sessionStart"]
        self.assertEqual(start["logGroupIdentifiers"], ["app"])
        self.assertEqual(len(start["sessionId"]), 36)
        self.logs.put_log_events(logGroupName="app", logStreamName="web", logEvents=[
            {"timestamp": 1_700_000_000_000, "message": "tailed one"},
            {"timestamp": 1_700_000_000_001, "message": "tailed two"}])
        update = next(events)["sessionUpdate"]
        self.assertEqual(update["sessionMetadata"], {"sampled": False})
        self.assertEqual([r["message"] for r in update["sessionResults"]], ["tailed one", "tailed two"])
        self.assertEqual({r["logStreamName"] for r in update["sessionResults"]}, {"web"})
        stream.close()

    def test_a_live_tail_of_a_missing_group_is_resource_not_found(self):
        tail_client = self.client(SECRET_ACCESS_KEY, inject_host_prefix=False)
        with self.assertRaises(tail_client.exceptions.ResourceNotFoundException):
            tail_client.start_live_tail(logGroupIdentifiers=["nope"])

    def test_a_wrong_secret_is_refused(self):
        with self.assertRaises(ClientError) as raised:
            self.client("wrong").create_log_group(logGroupName="app")
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.assertEqual(raised.exception.response["Error"]["Code"], "InvalidSignatureException")


if __name__ == "__main__":
    unittest.main()
