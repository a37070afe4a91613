"""Signs a few Amazon Chime requests with botocore and prints them as a JSON fixture.

Run: python3 -m venv /tmp/sigvenv && /tmp/sigvenv/bin/pip install botocore
     /tmp/sigvenv/bin/python botocore_sign.py > botocore.json
The requests go through botocore's whole client pipeline (serializer, user agent, retry
headers, SigV4Auth); a before-send hook records what would go on the wire instead of sending.
"""

import datetime
import json
import sys
from unittest import mock
from urllib.parse import urlsplit

import botocore
import botocore.auth
import botocore.session

ACCESS_KEY_ID = "AKIDEXAMPLE"
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "FQoGZXIvYXdzEXAMPLE//////////wEaDEXAMPLE+token="
SIGNED_AT = datetime.datetime(2024, 5, 1, 12, 0, 0)  # UTC, naive as botocore wants it
SIGNED_AT_EPOCH = 1714564800
ENDPOINT = "https://chime.example.test"


class Captured(Exception):
    pass


def client(token=None):
    session = botocore.session.get_session()
    chime = session.create_client(
        "chime",
        region_name="us-east-1",
        endpoint_url=ENDPOINT,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
        aws_session_token=token,
    )
    return chime


def capture(chime, call):
    seen = []

    def before_send(request, **kwargs):
        seen.append(request)
        raise Captured()

    chime.meta.events.register("before-send", before_send)
    try:
        call(chime)
    except Captured:
        pass
    request = seen[0]
    url = urlsplit(request.url)
    # http.client adds Host on the wire; botocore signs the same value.
    headers = [["Host", url.netloc]]
    headers += [[k, v.decode() if isinstance(v, bytes) else v] for k, v in request.headers.items()]
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode()
    return {
        "method": request.method,
        "target": url.path + ("?" + url.query if url.query else ""),
        "headers": headers,
        "body": body.decode("utf-8"),
    }


def main():
    cases = []

    def add(name, call, token=None, now=SIGNED_AT_EPOCH + 30):
        with mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: SIGNED_AT):
            case = capture(client(token), call)
        cases.append({"name": name, "now": now, **case})

    add("create-account (POST, JSON body)", lambda c: c.create_account(Name="Example Corp"))
    add(
        "create-user (query literal in the URI)",
        lambda c: c.create_user(AccountId="acct-1", Username="jdoe", Email="j.doe+chime@example.com", UserType="PrivateUser"),
    )
    add(
        "list-users (query needing encoding)",
        lambda c: c.list_users(AccountId="acct-1", UserEmail="a+b@example.com", UserType="PrivateUser", MaxResults=5, NextToken="x/y=z"),
    )
    add(
        "get-user (labels with space, slash and unicode)",
        lambda c: c.get_user(AccountId="acct 1", UserId="usér/1~x"),
    )
    add(
        "update-account (unicode body, session token)",
        lambda c: c.update_account(AccountId="acct-1", Name="Café Ünïcode"),
        token=SESSION_TOKEN,
    )

    # Presigned URL: SigV4QueryAuth, signed over UNSIGNED-PAYLOAD, valid 900 seconds.
    with mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: SIGNED_AT):
        url = client().generate_presigned_url("get_account", Params={"AccountId": "acct 1"}, ExpiresIn=900)
    parts = urlsplit(url)
    cases.append({
        "name": "get-account (presigned URL)",
        "now": SIGNED_AT_EPOCH + 600,
        "method": "GET",
        "target": parts.path + "?" + parts.query,
        "headers": [["Host", parts.netloc]],
        "body": "",
    })

    fixture = {
        "client": f"botocore {botocore.__version__}",
        "access_key_id": ACCESS_KEY_ID,
        "secret_access_key": SECRET_ACCESS_KEY,
        "region": "us-east-1",
        "service": "chime",
        "requests": cases,
    }
    json.dump(fixture, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


main()
