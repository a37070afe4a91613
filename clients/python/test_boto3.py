"""boto3, unmodified, against chime-local: every seed operation, its results and its errors."""

import datetime
import re
import unittest

import boto3
from botocore import UNSIGNED
from botocore.config import Config

from chime_local import ACCESS_KEY_ID, ACCOUNT_ID, ALICE, BOB, REGION, SECRET_ACCESS_KEY, SEED, ChimeLocal

def qualified_name(error):
    """The exception's class as boto3 users see it, such as botocore.errorfactory.NotFoundException."""
    return f"{type(error).__module__}.{type(error).__qualname__}"


UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


class Boto3Test(unittest.TestCase):
    def setUp(self):
        self.server = ChimeLocal()
        self.addCleanup(self.server.stop)
        self.chime = self.client(SECRET_ACCESS_KEY)

    def client(self, secret, **config):
        return boto3.client(
            "chime", endpoint_url=self.server.url, region_name=REGION,
            aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key=secret,
            config=Config(retries={"max_attempts": 1}, **config),
        )

    def user(self, user_id):
        """The user as stored: UpdateUser with no changes returns it."""
        return self.chime.update_user(AccountId=ACCOUNT_ID, UserId=user_id)["User"]

    # ListAccounts and ListUsers, a page at a time

    def test_the_list_accounts_paginator_walks_250_accounts_in_pages_of_40(self):
        # chime-local/tests/pagination.rs walks the same listing with the generated paginator.
        seeded = [account["AccountId"] for account in self.chime.list_accounts()["Accounts"]]
        created = [self.chime.create_account(Name=f"account {i:03}")["Account"]["AccountId"] for i in range(250)]
        pages = list(self.chime.get_paginator("list_accounts").paginate(PaginationConfig={"PageSize": 40}))
        total = len(seeded) + 250
        self.assertEqual([len(page["Accounts"]) for page in pages], [40] * (total // 40) + [total % 40])
        listed = [account["AccountId"] for page in pages for account in page["Accounts"]]
        self.assertEqual(listed, sorted(seeded + created))
        self.assertNotIn("NextToken", pages[-1])

    def test_the_list_users_paginator_walks_an_accounts_users_one_a_page(self):
        users = self.chime.get_paginator("list_users").paginate(
            AccountId=ACCOUNT_ID, PaginationConfig={"PageSize": 1}).build_full_result()["Users"]
        expected = [user["UserId"] for user in SEED["Users"] if user["AccountId"] == ACCOUNT_ID]
        self.assertEqual([user["UserId"] for user in users], sorted(expected))
        with self.assertRaises(self.chime.exceptions.NotFoundException):
            self.chime.list_users(AccountId="no-such-account")

    # CreateAccount

    def test_create_account_makes_a_team_account(self):
        before = datetime.datetime.now(datetime.timezone.utc)
        response = self.chime.create_account(Name="Acme Rockets")
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 201)
        account = response["Account"]
        self.assertEqual(account["Name"], "Acme Rockets")
        self.assertRegex(account["AccountId"], UUID)
        self.assertEqual(account["AwsAccountId"], "111122223333")
        self.assertEqual(account["AccountType"], "Team")
        self.assertEqual(account["AccountStatus"], "Active")
        self.assertEqual(account["DefaultLicense"], "Pro")
        self.assertEqual(account["SupportedLicenses"], ["Basic", "Pro"])
        created = account["CreatedTimestamp"]
        self.assertIsInstance(created, datetime.datetime)
        self.assertLess(abs((created - before).total_seconds()), 60)

    def test_created_accounts_get_distinct_ids_and_can_be_updated(self):
        first = self.chime.create_account(Name="One")["Account"]["AccountId"]
        second = self.chime.create_account(Name="Two")["Account"]["AccountId"]
        self.assertNotEqual(first, second)
        updated = self.chime.update_account(AccountId=second, Name="Two, renamed")["Account"]
        self.assertEqual(updated["Name"], "Two, renamed")

    def test_create_account_with_a_bad_name_lists_every_violation(self):
        with self.assertRaises(self.chime.exceptions.BadRequestException) as raised:
            self.chime.create_account(Name=" " * 101)
        error = raised.exception
        self.assertEqual(qualified_name(error), "botocore.errorfactory.BadRequestException")
        self.assertEqual(error.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        message = error.response["Error"]["Message"]
        self.assertIn("2 validation errors detected", message)
        self.assertIn("Value with length 101 at '/Name' failed to satisfy constraint: "
                      "Member must have length between 1 and 100, inclusive", message)
        self.assertIn("Value at '/Name' failed to satisfy constraint: "
                      "Member must satisfy regular expression pattern: \\S", message)

    # UpdateAccount

    def test_update_account_changes_the_name(self):
        account = self.chime.update_account(AccountId=ACCOUNT_ID, Name="Example Corp, renamed")["Account"]
        self.assertEqual(account["Name"], "Example Corp, renamed")
        self.assertEqual(account["AccountId"], ACCOUNT_ID)
        self.assertEqual(account["DefaultLicense"], "Pro")

    def test_update_account_changes_the_default_license(self):
        account = self.chime.update_account(AccountId=ACCOUNT_ID, DefaultLicense="Basic")["Account"]
        self.assertEqual(account["DefaultLicense"], "Basic")
        self.assertEqual(account["Name"], "Example Corp")

    def test_update_account_with_no_changes_returns_the_account_unchanged(self):
        account = self.chime.update_account(AccountId=ACCOUNT_ID)["Account"]
        self.assertEqual(account["Name"], "Example Corp")
        self.assertEqual(account["DefaultLicense"], "Pro")
        self.assertEqual(account["CreatedTimestamp"],
                         datetime.datetime(2026, 1, 15, 9, 30, tzinfo=account["CreatedTimestamp"].tzinfo))

    def test_update_account_of_an_unknown_account_is_not_found(self):
        with self.assertRaises(self.chime.exceptions.NotFoundException) as raised:
            self.chime.update_account(AccountId="no-such-account", Name="x")
        error = raised.exception
        self.assertEqual(qualified_name(error), "botocore.errorfactory.NotFoundException")
        self.assertEqual(error.response["ResponseMetadata"]["HTTPStatusCode"], 404)
        self.assertIn("no-such-account", error.response["Error"]["Message"])

    def test_update_account_with_a_bad_license_is_a_bad_request(self):
        with self.assertRaises(self.chime.exceptions.BadRequestException) as raised:
            self.chime.update_account(AccountId=ACCOUNT_ID, DefaultLicense="Platinum")
        self.assertIn("Value at '/DefaultLicense' failed to satisfy constraint: Member must satisfy enum value set: "
                      "[Basic, Plus, Pro, ProTrial]", raised.exception.response["Error"]["Message"])
        # Nothing changed.
        self.assertEqual(self.chime.update_account(AccountId=ACCOUNT_ID)["Account"]["DefaultLicense"], "Pro")

    # UpdateUser

    def test_update_user_changes_the_license_and_keeps_the_rest(self):
        user = self.chime.update_user(AccountId=ACCOUNT_ID, UserId=ALICE["UserId"], LicenseType="Basic")["User"]
        self.assertEqual(user["LicenseType"], "Basic")
        self.assertEqual(user["UserId"], ALICE["UserId"])
        self.assertEqual(user["PrimaryEmail"], ALICE["PrimaryEmail"])
        self.assertEqual(user["DisplayName"], ALICE["DisplayName"])
        self.assertEqual(user["UserType"], "PrivateUser")
        self.assertEqual(self.user(ALICE["UserId"])["LicenseType"], "Basic")

    def test_update_user_changes_user_type_and_alexa_metadata(self):
        metadata = {"IsAlexaForBusinessEnabled": True,
                    "AlexaForBusinessRoomArn": "arn:aws:a4b:us-east-1:111122223333:room/abc"}
        user = self.chime.update_user(AccountId=ACCOUNT_ID, UserId=BOB["UserId"], UserType="SharedDevice",
                                      AlexaForBusinessMetadata=metadata)["User"]
        self.assertEqual(user["UserType"], "SharedDevice")
        self.assertEqual(user["AlexaForBusinessMetadata"], metadata)
        self.assertEqual(user["LicenseType"], "Basic")

    def test_update_user_with_no_changes_returns_the_user_as_stored(self):
        user = self.user(ALICE["UserId"])
        self.assertEqual(user["LicenseType"], "Pro")
        self.assertEqual(user["UserRegistrationStatus"], "Registered")
        self.assertEqual(user["RegisteredOn"].year, 2026)

    def test_update_user_of_an_unknown_user_or_account_is_not_found(self):
        with self.assertRaises(self.chime.exceptions.NotFoundException) as raised:
            self.chime.update_user(AccountId=ACCOUNT_ID, UserId="no-such-user", LicenseType="Pro")
        self.assertIn("no-such-user", raised.exception.response["Error"]["Message"])
        with self.assertRaises(self.chime.exceptions.NotFoundException) as raised:
            self.chime.update_user(AccountId="no-such-account", UserId=ALICE["UserId"], LicenseType="Pro")
        self.assertIn("no-such-account", raised.exception.response["Error"]["Message"])

    # BatchUpdateUser

    def test_batch_update_user_applies_known_users_and_reports_unknown_ones(self):
        response = self.chime.batch_update_user(AccountId=ACCOUNT_ID, UpdateUserRequestItems=[
            {"UserId": ALICE["UserId"], "LicenseType": "Basic"},
            {"UserId": "ghost", "LicenseType": "Pro"},
            {"UserId": BOB["UserId"], "LicenseType": "Pro"},
        ])
        errors = response["UserErrors"]
        self.assertEqual(len(errors), 1)
        self.assertEqual(errors[0]["UserId"], "ghost")
        self.assertEqual(errors[0]["ErrorCode"], "NotFound")
        self.assertIn("ghost", errors[0]["ErrorMessage"])
        self.assertEqual(self.user(ALICE["UserId"])["LicenseType"], "Basic")
        self.assertEqual(self.user(BOB["UserId"])["LicenseType"], "Pro")

    def test_batch_update_user_with_all_users_known_has_no_errors(self):
        response = self.chime.batch_update_user(AccountId=ACCOUNT_ID, UpdateUserRequestItems=[
            {"UserId": BOB["UserId"], "LicenseType": "Pro"}])
        self.assertEqual(response["UserErrors"], [])
        self.assertEqual(self.user(BOB["UserId"])["LicenseType"], "Pro")

    def test_batch_update_user_of_an_unknown_account_is_not_found(self):
        with self.assertRaises(self.chime.exceptions.NotFoundException):
            self.chime.batch_update_user(AccountId="no-such-account",
                                         UpdateUserRequestItems=[{"UserId": ALICE["UserId"], "LicenseType": "Pro"}])

    def test_batch_of_21_bad_items_lists_every_violation_and_changes_nothing(self):
        items = [{"UserId": ALICE["UserId"], "LicenseType": "Gold"}] + \
                [{"UserId": BOB["UserId"], "LicenseType": "Basic"}] * 20
        with self.assertRaises(self.chime.exceptions.BadRequestException) as raised:
            self.chime.batch_update_user(AccountId=ACCOUNT_ID, UpdateUserRequestItems=items)
        message = raised.exception.response["Error"]["Message"]
        self.assertIn("2 validation errors detected", message)
        self.assertIn("Value with length 21 at '/UpdateUserRequestItems' failed to satisfy constraint: "
                      "Member must have length between 0 and 20, inclusive", message)
        self.assertIn("Value at '/UpdateUserRequestItems/0/LicenseType' failed to satisfy constraint: "
                      "Member must satisfy enum value set: [Basic, Plus, Pro, ProTrial]", message)
        self.assertEqual(self.user(ALICE["UserId"])["LicenseType"], "Pro")

    # Signatures

    def test_a_wrong_secret_is_forbidden_and_changes_nothing(self):
        wrong = self.client("not-the-secret")
        with self.assertRaises(wrong.exceptions.ForbiddenException) as raised:
            wrong.update_account(AccountId=ACCOUNT_ID, Name="Hijacked")
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.assertIn("signature does not match", raised.exception.response["Error"]["Message"])
        self.assertEqual(self.chime.update_account(AccountId=ACCOUNT_ID)["Account"]["Name"], "Example Corp")

    def test_an_unsigned_request_is_unauthorized(self):
        unsigned = self.client(SECRET_ACCESS_KEY, signature_version=UNSIGNED)
        with self.assertRaises(unsigned.exceptions.UnauthorizedClientException) as raised:
            unsigned.create_account(Name="Sneaky")
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 401)

    def test_an_unknown_access_key_is_unauthorized(self):
        stranger = boto3.client("chime", endpoint_url=self.server.url, region_name=REGION,
                                aws_access_key_id="AKIDSTRANGER", aws_secret_access_key=SECRET_ACCESS_KEY)
        with self.assertRaises(stranger.exceptions.UnauthorizedClientException):
            stranger.create_account(Name="Stranger")


if __name__ == "__main__":
    unittest.main()
