"""boto3, unmodified, against json-local's DynamoDB (awsJson1_0): the client and the resource API."""

import datetime
import unittest
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Attr, Key
from botocore.config import Config
from botocore.exceptions import ClientError

from json_local import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, JsonLocal

# A table keyed by a partition key and a numeric sort key, as most DynamoDB tables are.
ORDERS = dict(
    TableName="Orders",
    KeySchema=[{"AttributeName": "customer", "KeyType": "HASH"}, {"AttributeName": "order", "KeyType": "RANGE"}],
    AttributeDefinitions=[{"AttributeName": "customer", "AttributeType": "S"},
                          {"AttributeName": "order", "AttributeType": "N"}],
    BillingMode="PAY_PER_REQUEST",
)


class DynamoDbTest(unittest.TestCase):
    def setUp(self):
        self.server = JsonLocal("dynamodb")
        self.addCleanup(self.server.stop)
        self.ddb = self.client(SECRET_ACCESS_KEY)

    def settings(self, secret):
        return dict(endpoint_url=self.server.url, region_name=REGION, aws_access_key_id=ACCESS_KEY_ID,
                    aws_secret_access_key=secret, config=Config(retries={"max_attempts": 1}))

    def client(self, secret):
        return boto3.client("dynamodb", **self.settings(secret))

    def orders(self):
        self.ddb.create_table(**ORDERS)
        for order, (status, total) in enumerate([("open", "10"), ("shipped", "25.5"), ("open", "7")], start=1):
            self.ddb.put_item(TableName="Orders", Item={"customer": {"S": "alice"}, "order": {"N": str(order)},
                                                         "status": {"S": status}, "total": {"N": total}})
        self.ddb.put_item(TableName="Orders", Item={"customer": {"S": "bob"}, "order": {"N": "1"},
                                                     "status": {"S": "open"}})

    # The low-level client

    def test_create_table_describes_the_table_and_the_waiter_sees_it(self):
        before = datetime.datetime.now(datetime.timezone.utc)
        table = self.ddb.create_table(**ORDERS)["TableDescription"]
        self.assertEqual(table["TableName"], "Orders")
        self.assertEqual(table["TableStatus"], "ACTIVE")
        self.assertEqual(table["KeySchema"], ORDERS["KeySchema"])
        self.assertEqual(table["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertLess(abs((table["CreationDateTime"] - before).total_seconds()), 60)
        self.ddb.get_waiter("table_exists").wait(TableName="Orders", WaiterConfig={"Delay": 1, "MaxAttempts": 2})
        self.ddb.put_item(TableName="Orders", Item={"customer": {"S": "c"}, "order": {"N": "1"}})
        self.assertEqual(self.ddb.describe_table(TableName="Orders")["Table"]["ItemCount"], 1)

    def test_creating_a_table_twice_is_resource_in_use(self):
        self.ddb.create_table(**ORDERS)
        with self.assertRaises(self.ddb.exceptions.ResourceInUseException) as raised:
            self.ddb.create_table(**ORDERS)
        self.assertEqual(raised.exception.response["Error"]["Message"], "Table already exists: Orders")
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_a_missing_table_is_resource_not_found(self):
        for call in (lambda: self.ddb.describe_table(TableName="Nope"),
                     lambda: self.ddb.get_item(TableName="Nope", Key={"customer": {"S": "a"}}),
                     lambda: self.ddb.put_item(TableName="Nope", Item={"customer": {"S": "a"}})):
            with self.assertRaises(self.ddb.exceptions.ResourceNotFoundException) as raised:
                call()
            self.assertEqual(raised.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_every_attribute_type_round_trips(self):
        self.ddb.create_table(**ORDERS)
        item = {"customer": {"S": "alice"}, "order": {"N": "1"}, "blob": {"B": b"\x00\xffbytes"},
                "tags": {"SS": ["a", "b"]}, "counts": {"NS": ["1", "2.5"]}, "blobs": {"BS": [b"x", b"y"]},
                "nested": {"M": {"inner": {"L": [{"S": "deep"}, {"N": "-3"}, {"BOOL": True}]}}},
                "nothing": {"NULL": True}, "flag": {"BOOL": False}}
        self.ddb.put_item(TableName="Orders", Item=item)
        got = self.ddb.get_item(TableName="Orders", Key={"customer": {"S": "alice"}, "order": {"N": "1"}})
        self.assertEqual(got["Item"], item)
        missing = self.ddb.get_item(TableName="Orders", Key={"customer": {"S": "alice"}, "order": {"N": "2"}})
        self.assertNotIn("Item", missing)

    def test_put_item_returns_the_old_item_and_honours_conditions(self):
        self.orders()
        key = {"customer": {"S": "alice"}, "order": {"N": "1"}}
        old = self.ddb.put_item(TableName="Orders", Item={**key, "status": {"S": "paid"}}, ReturnValues="ALL_OLD")
        self.assertEqual(old["Attributes"]["status"], {"S": "open"})
        with self.assertRaises(self.ddb.exceptions.ConditionalCheckFailedException) as raised:
            self.ddb.put_item(TableName="Orders", Item={**key, "status": {"S": "lost"}},
                              ConditionExpression="attribute_not_exists(customer)",
                              ReturnValuesOnConditionCheckFailure="ALL_OLD")
        self.assertEqual(raised.exception.response["Error"]["Message"], "The conditional request failed")
        self.assertEqual(raised.exception.response["Item"]["status"], {"S": "paid"})
        self.assertEqual(self.ddb.get_item(TableName="Orders", Key=key)["Item"]["status"], {"S": "paid"})

    def test_update_item_sets_and_removes_with_names_and_values(self):
        self.orders()
        key = {"customer": {"S": "alice"}, "order": {"N": "1"}}
        result = self.ddb.update_item(
            TableName="Orders", Key=key, UpdateExpression="SET #s = :s, total = total + :more REMOVE #gone",
            ExpressionAttributeNames={"#s": "status", "#gone": "nothing"},
            ExpressionAttributeValues={":s": {"S": "shipped"}, ":more": {"N": "5"}}, ReturnValues="ALL_NEW")
        self.assertEqual(result["Attributes"], {**key, "status": {"S": "shipped"}, "total": {"N": "15"}})
        old = self.ddb.update_item(TableName="Orders", Key=key, UpdateExpression="REMOVE total",
                                   ReturnValues="UPDATED_OLD")
        self.assertEqual(old["Attributes"], {"total": {"N": "15"}})
        self.assertNotIn("total", self.ddb.get_item(TableName="Orders", Key=key)["Item"])

    def test_update_item_with_a_failing_condition_changes_nothing(self):
        self.orders()
        key = {"customer": {"S": "alice"}, "order": {"N": "2"}}
        with self.assertRaises(self.ddb.exceptions.ConditionalCheckFailedException):
            self.ddb.update_item(TableName="Orders", Key=key, UpdateExpression="SET #s = :s",
                                 ConditionExpression="#s = :open", ExpressionAttributeNames={"#s": "status"},
                                 ExpressionAttributeValues={":s": {"S": "cancelled"}, ":open": {"S": "open"}})
        self.assertEqual(self.ddb.get_item(TableName="Orders", Key=key)["Item"]["status"], {"S": "shipped"})

    def test_delete_item_returns_what_it_deleted(self):
        self.orders()
        key = {"customer": {"S": "bob"}, "order": {"N": "1"}}
        deleted = self.ddb.delete_item(TableName="Orders", Key=key, ReturnValues="ALL_OLD")
        self.assertEqual(deleted["Attributes"]["status"], {"S": "open"})
        self.assertNotIn("Item", self.ddb.get_item(TableName="Orders", Key=key))
        with self.assertRaises(self.ddb.exceptions.ConditionalCheckFailedException):
            self.ddb.delete_item(TableName="Orders", Key=key, ConditionExpression="attribute_exists(customer)")

    def test_query_by_partition_key_in_sort_key_order(self):
        self.orders()
        result = self.ddb.query(TableName="Orders", KeyConditionExpression="customer = :c",
                                ExpressionAttributeValues={":c": {"S": "alice"}})
        self.assertEqual([item["order"]["N"] for item in result["Items"]], ["1", "2", "3"])
        self.assertEqual(result["Count"], 3)
        backwards = self.ddb.query(TableName="Orders", KeyConditionExpression="customer = :c AND #o >= :two",
                                   ExpressionAttributeNames={"#o": "order"}, ScanIndexForward=False,
                                   ExpressionAttributeValues={":c": {"S": "alice"}, ":two": {"N": "2"}})
        self.assertEqual([item["order"]["N"] for item in backwards["Items"]], ["3", "2"])
        page = self.ddb.query(TableName="Orders", KeyConditionExpression="customer = :c", Limit=2,
                              ExpressionAttributeValues={":c": {"S": "alice"}})
        self.assertEqual(page["Count"], 2)
        self.assertEqual(page["LastEvaluatedKey"], {"customer": {"S": "alice"}, "order": {"N": "2"}})
        rest = self.ddb.query(TableName="Orders", KeyConditionExpression="customer = :c", Limit=2,
                              ExclusiveStartKey=page["LastEvaluatedKey"],
                              ExpressionAttributeValues={":c": {"S": "alice"}})
        self.assertEqual([item["order"]["N"] for item in rest["Items"]], ["3"])
        self.assertNotIn("LastEvaluatedKey", rest)

    def test_a_bad_key_is_an_unmodeled_validation_exception(self):
        self.ddb.create_table(**ORDERS)
        with self.assertRaises(ClientError) as raised:
            self.ddb.put_item(TableName="Orders", Item={"customer": {"S": "alice"}})
        self.assertEqual(raised.exception.response["Error"]["Code"], "ValidationException")
        self.assertIn("Missing the key order in the item", raised.exception.response["Error"]["Message"])

    def test_a_constraint_violation_is_a_validation_exception_not_another_error(self):
        # The model's PutItem and GetItem declare no ValidationException; a violation must not
        # come back as one of their other 400 errors (ConditionalCheckFailed, or a throttling
        # error botocore would retry).
        for call in (lambda: self.ddb.put_item(TableName="x" * 1025, Item={"k": {"S": "v"}}),
                     lambda: self.ddb.get_item(TableName="x" * 1025, Key={"k": {"S": "v"}})):
            with self.assertRaises(ClientError) as raised:
                call()
            error = raised.exception.response["Error"]
            self.assertEqual(error["Code"], "ValidationException")
            self.assertIn("Value with length 1025 at '/TableName'", error["Message"])
            self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
            self.assertEqual(raised.exception.response["ResponseMetadata"]["RetryAttempts"], 0)

    def test_a_wrong_secret_is_refused(self):
        with self.assertRaises(ClientError) as raised:
            self.client("wrong").describe_table(TableName="Orders")
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.assertEqual(raised.exception.response["Error"]["Code"], "InvalidSignatureException")

    # The resource API

    def test_the_resource_api_creates_writes_reads_updates_queries_and_deletes(self):
        dynamodb = boto3.resource("dynamodb", **self.settings(SECRET_ACCESS_KEY))
        table = dynamodb.create_table(**{k: v for k, v in ORDERS.items() if k != "BillingMode"},
                                      ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
        table.wait_until_exists()
        self.assertEqual(table.table_status, "ACTIVE")
        table.put_item(Item={"customer": "carol", "order": 1, "total": Decimal("12.50"), "tags": {"new"}})
        table.put_item(Item={"customer": "carol", "order": 2, "total": Decimal("3"), "note": "gift"})
        table.put_item(Item={"customer": "dave", "order": 1, "total": Decimal("1")})
        item = table.get_item(Key={"customer": "carol", "order": 1})["Item"]
        self.assertEqual(item, {"customer": "carol", "order": Decimal(1), "total": Decimal("12.5"), "tags": {"new"}})
        updated = table.update_item(Key={"customer": "carol", "order": 2}, UpdateExpression="SET note = :n",
                                    ExpressionAttributeValues={":n": "wrapped"}, ReturnValues="UPDATED_NEW")
        self.assertEqual(updated["Attributes"], {"note": "wrapped"})
        result = table.query(KeyConditionExpression=Key("customer").eq("carol") & Key("order").between(1, 2),
                             FilterExpression=Attr("total").gt(5))
        self.assertEqual(result["Items"], [item])
        self.assertEqual(result["ScannedCount"], 2)
        table.delete_item(Key={"customer": "carol", "order": 1})
        remaining = table.query(KeyConditionExpression=Key("customer").eq("carol"))["Items"]
        self.assertEqual([i["order"] for i in remaining], [Decimal(2)])
        with self.assertRaises(dynamodb.meta.client.exceptions.ConditionalCheckFailedException):
            table.put_item(Item={"customer": "dave", "order": 1}, ConditionExpression=Attr("customer").not_exists())
        table.reload()
        self.assertEqual(table.item_count, 2)


if __name__ == "__main__":
    unittest.main()
