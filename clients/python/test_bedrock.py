"""boto3, unmodified, against json-local's Bedrock Runtime (restJson1 event streams).

ConverseStream and InvokeModelWithResponseStream answer over
`application/vnd.amazon.eventstream`; boto3 reads each message as an event of the union,
and a modeled exception inside the stream reaches it as botocore's EventStreamError with the
exception's name as its code.
"""

import json
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, EventStreamError

from json_local import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, JsonLocal

MODEL = "toy.repeat-v1"


def user(text):
    return [{"role": "user", "content": [{"text": text}]}]


class BedrockTest(unittest.TestCase):
    def setUp(self):
        self.server = JsonLocal("bedrock")
        self.addCleanup(self.server.stop)
        self.bedrock = self.client(SECRET_ACCESS_KEY)

    def client(self, secret):
        return boto3.client("bedrock-runtime", endpoint_url=self.server.url, region_name=REGION,
                            aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key=secret,
                            config=Config(retries={"max_attempts": 1}))

    def test_converse_stream_streams_the_answer_as_events(self):
        response = self.bedrock.converse_stream(modelId=MODEL, messages=user("hello streaming world"))
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 200)
        events = list(response["stream"])
        kinds = [next(iter(event)) for event in events]
        self.assertEqual(kinds, ["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta",
                                 "contentBlockStop", "messageStop", "metadata"])
        self.assertEqual(events[0]["messageStart"], {"role": "assistant"})
        text = "".join(e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e)
        self.assertEqual(text, "hello streaming world ")
        self.assertEqual(events[1]["contentBlockDelta"]["contentBlockIndex"], 0)
        self.assertEqual(events[5]["messageStop"]["stopReason"], "end_turn")
        usage = events[6]["metadata"]["usage"]
        self.assertEqual(usage, {"inputTokens": 3, "outputTokens": 3, "totalTokens": 6})
        self.assertIn("latencyMs", events[6]["metadata"]["metrics"])

    def test_a_modeled_exception_mid_stream_is_an_event_stream_error(self):
        response = self.bedrock.converse_stream(modelId=MODEL, messages=user("one two throttle three"))
        received = []
        with self.assertRaises(EventStreamError) as raised:
            for event in response["stream"]:
                received.append(event)
        self.assertEqual(raised.exception.response["Error"]["Code"], "throttlingException")
        self.assertIn("slow down", raised.exception.response["Error"]["Message"])
        # The start and the two words before it arrived as events.
        self.assertEqual([next(iter(e)) for e in received], ["messageStart", "contentBlockDelta", "contentBlockDelta"])

    def test_an_error_before_the_stream_is_a_client_error(self):
        with self.assertRaises(ClientError) as raised:
            self.bedrock.converse_stream(modelId="missing", messages=user("hi"))
        self.assertEqual(raised.exception.response["Error"]["Code"], "ResourceNotFoundException")
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 404)

    def test_invoke_model_with_response_stream_streams_chunks(self):
        response = self.bedrock.invoke_model_with_response_stream(
            modelId=MODEL, body=json.dumps({"prompt": "tokens one by one"}), contentType="application/json")
        self.assertEqual(response["contentType"], "application/json")
        chunks = [json.loads(event["chunk"]["bytes"]) for event in response["body"]]
        self.assertEqual([c["completion"] for c in chunks], ["tokens ", "one ", "by ", "one "])

    def test_invoke_model_with_response_stream_throttled_mid_stream(self):
        response = self.bedrock.invoke_model_with_response_stream(
            modelId=MODEL, body=json.dumps({"prompt": "a b throttle c"}))
        chunks = []
        with self.assertRaises(EventStreamError) as raised:
            for event in response["body"]:
                chunks.append(event)
        self.assertEqual(raised.exception.response["Error"]["Code"], "throttlingException")
        self.assertEqual(len(chunks), 2)

    def test_a_wrong_secret_is_refused_before_any_stream(self):
        with self.assertRaises(ClientError) as raised:
            self.client("not-the-secret").converse_stream(modelId=MODEL, messages=user("hi"))
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)


if __name__ == "__main__":
    unittest.main()
