"""boto3, unmodified, against json-local's CloudWatch over Smithy RPC v2 CBOR, and over
awsJson1_0 as the stock client speaks it: the generated server answers both.

botocore's model of `monitoring` lists the protocols smithy-rpc-v2-cbor, json and query (and
has awsQueryCompatible), but botocore 1.44.5 takes the first of *its* preference order that
the service has (`PRIORITY_ORDERED_SUPPORTED_PROTOCOLS`: json before smithy-rpc-v2-cbor), so
the stock client speaks awsJson1_0 to CloudWatch. To have it speak CBOR without touching its
code, the tests give botocore a data path (its documented way to load a service model of
one's own, as AWS_DATA_PATH does) holding its own monitoring model with one change: the
protocols list is ["smithy-rpc-v2-cbor"]. The tests also watch the wire (botocore's
`before-send` and `after-call` events) to be sure both sides spoke CBOR.
"""

import json
import os
import tempfile
import unittest
from datetime import datetime, timedelta, timezone

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

from json_local import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, JsonLocal

T0 = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
SERVICE_PATH = "/service/GraniteServiceVersion20100801/operation/"


def at(seconds):
    return T0 + timedelta(seconds=seconds)


def dims(**pairs):
    return [{"Name": name, "Value": value} for name, value in pairs.items()]


def cbor_only_data_path(directory):
    """Writes botocore's own CloudWatch model, with smithy-rpc-v2-cbor as its only protocol,
    where a data path `directory` makes botocore load it; returns the model's metadata."""
    loader = botocore.loaders.Loader()
    api_version = loader.determine_latest_version("cloudwatch", "service-2")
    model = loader.load_service_model("cloudwatch", "service-2", api_version)
    assert "smithy-rpc-v2-cbor" in model["metadata"]["protocols"], model["metadata"]
    model["metadata"]["protocols"] = ["smithy-rpc-v2-cbor"]
    folder = os.path.join(directory, "cloudwatch", api_version)
    os.makedirs(folder)
    with open(os.path.join(folder, "service-2.json"), "w", encoding="utf-8") as file:
        json.dump(model, file)
    return model["metadata"]


class CloudWatchCborTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data_path = tempfile.TemporaryDirectory()
        cls.metadata = cbor_only_data_path(cls.data_path.name)

    @classmethod
    def tearDownClass(cls):
        cls.data_path.cleanup()

    def setUp(self):
        self.server = JsonLocal("cloudwatch")
        self.addCleanup(self.server.stop)
        self.requests, self.responses = [], []
        self.cw = self.client(SECRET_ACCESS_KEY)

    # What botocore resolves the service's protocol to, with the data path of setUpClass.
    protocol = "smithy-rpc-v2-cbor"

    def session(self):
        session = botocore.session.get_session()
        session.set_config_variable("data_path", self.data_path.name)
        return session

    def client(self, secret):
        session = self.session()
        client = boto3.Session(botocore_session=session).client(
            "cloudwatch", endpoint_url=self.server.url, region_name=REGION,
            aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key=secret,
            config=Config(retries={"max_attempts": 1}))
        self.assertEqual(client.meta.service_model.resolved_protocol, self.protocol)
        client.meta.events.register("before-send", lambda request, **_: self.requests.append(request))
        client.meta.events.register("after-call", self.keep_response)
        return client

    def keep_response(self, http_response, **_):
        self.responses.append(http_response)

    def put_three_metrics(self):
        self.cw.put_metric_data(Namespace="App", MetricData=[
            {"MetricName": "Latency", "Dimensions": dims(Service="api", Stage="prod"),
             "Timestamp": at(0), "Value": 10.0, "Unit": "Milliseconds"},
            {"MetricName": "Latency", "Dimensions": dims(Service="api", Stage="beta"),
             "Timestamp": at(0), "Value": 99.5, "Unit": "Milliseconds"},
            {"MetricName": "Requests", "Dimensions": dims(Service="web"),
             "Timestamp": at(0), "Value": 1, "Unit": "Count"},
        ])

    def put_latency_series(self):
        """Prod latency over three minutes: single values, a statistic set, values with counts."""
        prod = dims(Stage="prod", Service="api")  # dimensions in another order: the same metric
        self.cw.put_metric_data(Namespace="App", MetricData=[
            {"MetricName": "Latency", "Dimensions": prod, "Timestamp": at(0), "Value": 10.0,
             "Unit": "Milliseconds"},
            {"MetricName": "Latency", "Dimensions": prod, "Timestamp": at(30), "Value": 20.0,
             "Unit": "Milliseconds"},
            {"MetricName": "Latency", "Dimensions": prod, "Timestamp": at(70), "Unit": "Milliseconds",
             "StatisticValues": {"SampleCount": 4, "Sum": 100, "Minimum": 5, "Maximum": 40}},
            {"MetricName": "Latency", "Dimensions": prod, "Timestamp": at(130), "Unit": "Milliseconds",
             "Values": [1.0, 2.0], "Counts": [3, 1]},
        ])

    def names(self, **kwargs):
        metrics = self.cw.list_metrics(**kwargs)["Metrics"]
        return sorted((m["MetricName"], tuple(sorted((d["Name"], d["Value"]) for d in m["Dimensions"])))
                      for m in metrics)

    def test_list_metrics_filters_by_namespace_name_and_dimension(self):
        self.put_three_metrics()
        self.cw.put_metric_data(Namespace="Other", MetricData=[{"MetricName": "Latency", "Value": 1}])
        self.assertEqual(len(self.names(Namespace="App")), 3)
        self.assertEqual(self.names(Namespace="App", Dimensions=[{"Name": "Stage", "Value": "prod"}]),
                         [("Latency", (("Service", "api"), ("Stage", "prod")))])
        self.assertEqual([name for name, _ in self.names(Namespace="App", Dimensions=[{"Name": "Stage"}])],
                         ["Latency", "Latency"])
        self.assertEqual(self.names(Namespace="App", MetricName="Requests"),
                         [("Requests", (("Service", "web"),))])
        self.assertEqual(len(self.names()), 4)
        self.assertEqual(self.names(Namespace="Nothing"), [])

    def test_get_metric_statistics_aggregates_each_period(self):
        self.put_three_metrics()
        self.put_latency_series()
        response = self.cw.get_metric_statistics(
            Namespace="App", MetricName="Latency", Dimensions=dims(Service="api", Stage="prod"),
            StartTime=at(0), EndTime=at(180), Period=60,
            Statistics=["SampleCount", "Average", "Sum", "Minimum", "Maximum"])
        self.assertEqual(response["Label"], "Latency")
        points = sorted(response["Datapoints"], key=lambda p: p["Timestamp"])
        self.assertEqual([p["Timestamp"] for p in points], [at(0), at(60), at(120)])
        # The first minute holds put_three_metrics' 10 too.
        self.assertEqual([(p["SampleCount"], p["Sum"], p["Minimum"], p["Maximum"]) for p in points],
                         [(3.0, 40.0, 10.0, 20.0), (4.0, 100.0, 5.0, 40.0), (4.0, 5.0, 1.0, 2.0)])
        self.assertEqual([p["Average"] for p in points], [40.0 / 3, 25.0, 1.25])
        self.assertEqual({p["Unit"] for p in points}, {"Milliseconds"})
        only_sum = self.cw.get_metric_statistics(
            Namespace="App", MetricName="Latency", Dimensions=dims(Service="api", Stage="beta"),
            StartTime=at(-60), EndTime=at(60), Period=120, Statistics=["Sum"])["Datapoints"]
        self.assertEqual(only_sum, [{"Timestamp": at(-60), "Sum": 99.5, "Unit": "Milliseconds"}])

    def test_get_metric_data_answers_each_query(self):
        self.put_latency_series()
        stat = {"Metric": {"Namespace": "App", "MetricName": "Latency",
                           "Dimensions": dims(Service="api", Stage="prod")}, "Period": 60}
        response = self.cw.get_metric_data(
            StartTime=at(0), EndTime=at(180), ScanBy="TimestampAscending",
            MetricDataQueries=[
                {"Id": "total", "MetricStat": {**stat, "Stat": "Sum"}},
                {"Id": "peak", "MetricStat": {**stat, "Stat": "Maximum"}, "Label": "Peak latency"},
                {"Id": "hidden", "MetricStat": {**stat, "Stat": "Minimum"}, "ReturnData": False},
            ])
        results = {r["Id"]: r for r in response["MetricDataResults"]}
        self.assertEqual(sorted(results), ["peak", "total"])
        self.assertEqual(results["total"]["Timestamps"], [at(0), at(60), at(120)])
        self.assertEqual(results["total"]["Values"], [30.0, 100.0, 5.0])
        self.assertEqual(results["total"]["Label"], "Latency")
        self.assertEqual(results["total"]["StatusCode"], "Complete")
        self.assertEqual(results["peak"]["Label"], "Peak latency")
        self.assertEqual(results["peak"]["Values"], [20.0, 40.0, 2.0])
        newest_first = self.cw.get_metric_data(
            StartTime=at(0), EndTime=at(180),
            MetricDataQueries=[{"Id": "total", "MetricStat": {**stat, "Stat": "Sum"}}])
        self.assertEqual(newest_first["MetricDataResults"][0]["Values"], [5.0, 100.0, 30.0])

    def test_modeled_errors_are_raised_by_their_awsquery_codes(self):
        with self.assertRaises(self.cw.exceptions.InvalidParameterValueException) as raised:
            self.cw.get_metric_statistics(Namespace="App", MetricName="Latency", StartTime=at(60),
                                          EndTime=at(0), Period=60, Statistics=["Sum"])
        error = raised.exception.response
        self.assertEqual(error["Error"]["Code"], "InvalidParameterValue")
        self.assertEqual(error["Error"]["Type"], "Sender")
        self.assertEqual(error["Error"]["Message"],
                         "The parameter StartTime must be less than the parameter EndTime.")
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 400)
        with self.assertRaises(self.cw.exceptions.InvalidParameterValueException):
            self.cw.put_metric_data(Namespace="AWS/EC2", MetricData=[{"MetricName": "CPU", "Value": 1}])
        with self.assertRaises(self.cw.exceptions.InvalidParameterCombinationException) as raised:
            self.cw.put_metric_data(Namespace="App", MetricData=[{
                "MetricName": "Latency", "Value": 1,
                "StatisticValues": {"SampleCount": 1, "Sum": 1, "Minimum": 1, "Maximum": 1}}])
        self.assertEqual(raised.exception.response["Error"]["Code"], "InvalidParameterCombination")
        with self.assertRaises(self.cw.exceptions.MissingRequiredParameterException) as raised:
            self.cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "Latency"}])
        self.assertEqual(raised.exception.response["Error"]["Code"], "MissingParameter")
        with self.assertRaises(self.cw.exceptions.InvalidNextToken):
            self.cw.get_metric_data(StartTime=at(0), EndTime=at(60), NextToken="bogus", MetricDataQueries=[
                {"Id": "q", "MetricStat": {"Metric": {"Namespace": "App", "MetricName": "Latency"},
                                           "Period": 60, "Stat": "Sum"}}])
        # Nothing of the refused requests was kept.
        self.assertEqual(self.names(), [])

    def test_the_wire_is_the_protocols(self):
        self.put_three_metrics()
        self.cw.list_metrics(Namespace="App")
        self.assertEqual(len(self.requests), 2)
        for request, operation in zip(self.requests, ["PutMetricData", "ListMetrics"]):
            headers = {name.lower(): value for name, value in request.headers.items()}
            self.assertEqual(headers["smithy-protocol"], b"rpc-v2-cbor")
            self.assertEqual(headers["content-type"], b"application/cbor")
            self.assertEqual(headers["accept"], b"application/cbor")
            self.assertEqual(headers["x-amzn-query-mode"], b"true")
            self.assertNotIn("x-amz-target", headers)
            self.assertIn(b"/monitoring/aws4_request", headers["authorization"])
            self.assertTrue(request.url.endswith(SERVICE_PATH + operation), request.url)
            self.assertTrue(0xA0 <= request.body[0] <= 0xBF, "the body is a CBOR map")
        put, listed = self.responses
        for response in self.responses:
            self.assertEqual(response.headers["smithy-protocol"], "rpc-v2-cbor")
        # PutMetricData has no output (Unit): an empty body and no Content-Type, as the
        # protocol's `no_output` case has it.
        self.assertEqual(put.content, b"")
        self.assertNotIn("content-type", put.headers)
        self.assertEqual(listed.headers["content-type"], "application/cbor")
        self.assertTrue(0xA0 <= listed.content[0] <= 0xBF, "the body is a CBOR map")

    def test_a_large_put_is_gzipped_and_still_read(self):
        """PutMetricData is @requestCompression: botocore gzips a body of 10 KiB or more."""
        data = [{"MetricName": "Load", "Dimensions": dims(Host=f"host-{i:04d}-{'x' * 40}"),
                 "Timestamp": at(i), "Value": float(i)} for i in range(300)]
        self.cw.put_metric_data(Namespace="Fleet", MetricData=data)
        self.assertEqual(self.requests[-1].headers["Content-Encoding"], b"gzip")
        self.assertEqual(len(self.cw.list_metrics(Namespace="Fleet")["Metrics"]), 300)

    def test_the_stock_model_is_the_real_services(self):
        """What the data path leaves as it is: the service CloudWatch is, as botocore has it."""
        self.assertEqual(self.metadata["targetPrefix"], "GraniteServiceVersion20100801")
        self.assertIn("awsQueryCompatible", self.metadata)
        stock = boto3.client("cloudwatch", region_name=REGION, aws_access_key_id=ACCESS_KEY_ID,
                             aws_secret_access_key=SECRET_ACCESS_KEY)
        self.assertIn("smithy-rpc-v2-cbor", stock.meta.service_model.protocols)

    def test_a_wrong_secret_is_refused(self):
        with self.assertRaises(ClientError) as raised:
            self.client("wrong").list_metrics()
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.assertEqual(raised.exception.response["Error"]["Code"], "InvalidSignatureException")


class StockBoto3JsonTest(CloudWatchCborTest):
    """Every test above again with boto3's own model, which makes it speak awsJson1_0 (botocore
    prefers json to smithy-rpc-v2-cbor): the same generated server answers it in JSON."""

    protocol = "json"

    def session(self):
        return botocore.session.get_session()

    def test_the_wire_is_the_protocols(self):
        """Here: both sides speak awsJson1_0, with the query-compatible mode."""
        self.put_three_metrics()
        self.cw.list_metrics(Namespace="App")
        for request, operation in zip(self.requests, ["PutMetricData", "ListMetrics"]):
            headers = {name.lower(): value for name, value in request.headers.items()}
            self.assertEqual(headers["x-amz-target"], f"GraniteServiceVersion20100801.{operation}".encode())
            self.assertEqual(headers["content-type"], b"application/x-amz-json-1.0")
            self.assertNotIn("smithy-protocol", headers)
            self.assertTrue(request.url.endswith("/"), request.url)
        put, listed = self.responses
        self.assertNotIn("smithy-protocol", listed.headers)
        self.assertEqual(listed.headers["content-type"], "application/x-amz-json-1.0")
        self.assertEqual(json.loads(listed.content)["Metrics"][0]["Namespace"], "App")


if __name__ == "__main__":
    unittest.main()
