// Signs a few Amazon Chime requests with the JavaScript SDK v3 and prints them as a JSON fixture.
//
// Run: npm install @aws-sdk/client-chime @smithy/signature-v4 @aws-crypto/sha256-js @smithy/protocol-http
//      node js_sign.mjs > js.json
// The header-signed requests go through the whole client (serializer, host header, user agent,
// retry headers, @smithy/signature-v4); a request handler records what would go on the wire
// instead of sending. The presigned URL and the header-trimming case use the signer directly.
import { createRequire } from "node:module";

const require = createRequire(process.cwd() + "/");
const { ChimeClient, CreateAccountCommand, CreateUserCommand, ListUsersCommand, GetUserCommand, UpdateAccountCommand } =
  require("@aws-sdk/client-chime");
const { SignatureV4 } = require("@smithy/signature-v4");
const { Sha256 } = require("@aws-crypto/sha256-js");
const { HttpRequest } = require("@smithy/protocol-http");
const { buildQueryString } = require("@smithy/core/protocols");

const ACCESS_KEY_ID = "AKIDEXAMPLE";
const SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SESSION_TOKEN = "FQoGZXIvYXdzEXAMPLE//////////wEaDEXAMPLE+token=";
const SIGNED_AT_EPOCH = 1714564800; // 2024-05-01T12:00:00Z
Date.now = () => SIGNED_AT_EPOCH * 1000;

class Captured extends Error {}

// What @smithy/node-http-handler puts on the request line.
function target(request) {
  const query = request.query ? buildQueryString(request.query) : "";
  return request.path + (query ? "?" + query : "");
}

function record(name, request, now) {
  const body = request.body == null ? "" : typeof request.body === "string" ? request.body : Buffer.from(request.body).toString("utf8");
  return { name, now, method: request.method, target: target(request), headers: Object.entries(request.headers), body };
}

async function viaClient(name, command, token) {
  let seen;
  const client = new ChimeClient({
    region: "us-east-1",
    endpoint: "https://chime.example.test",
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY, sessionToken: token },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request) => {
        seen = request;
        throw new Captured();
      },
    },
  });
  try {
    await client.send(command);
  } catch (e) {
    if (!(e instanceof Captured)) throw e;
  }
  return record(name, seen, SIGNED_AT_EPOCH + 30);
}

const signer = new SignatureV4({
  credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
  region: "us-east-1",
  service: "chime",
  sha256: Sha256,
});

const requests = [
  await viaClient("create-account (POST, JSON body)", new CreateAccountCommand({ Name: "Example Corp" })),
  await viaClient(
    "create-user (query literal in the URI)",
    new CreateUserCommand({ AccountId: "acct-1", Username: "jdoe", Email: "j.doe+chime@example.com", UserType: "PrivateUser" }),
  ),
  await viaClient(
    "list-users (query needing encoding)",
    new ListUsersCommand({ AccountId: "acct-1", UserEmail: "a+b@example.com", UserType: "PrivateUser", MaxResults: 5, NextToken: "x/y=z" }),
  ),
  await viaClient("get-user (labels with space, slash and unicode)", new GetUserCommand({ AccountId: "acct 1", UserId: "usér/1~x" })),
  await viaClient("update-account (raw UTF-8 body, session token)", new UpdateAccountCommand({ AccountId: "acct-1", Name: "Café Ünïcode" }), SESSION_TOKEN),
];

const presigned = await signer.presign(
  new HttpRequest({
    method: "GET",
    protocol: "https:",
    hostname: "chime.example.test",
    path: "/accounts/acct%201",
    headers: { host: "chime.example.test" },
  }),
  { expiresIn: 900, signingDate: new Date(SIGNED_AT_EPOCH * 1000) },
);
requests.push(record("get-account (presigned URL)", presigned, SIGNED_AT_EPOCH + 600));

const trimmed = await signer.sign(
  new HttpRequest({
    method: "POST",
    protocol: "https:",
    hostname: "chime.example.test",
    path: "/accounts/acct-1",
    query: { b: "2", a: ["3", "1"], operation: "update" },
    headers: { host: "chime.example.test", "content-type": "application/json", "x-example": "  spaced    out  value " },
    body: '{"Name":"x"}',
  }),
  { signingDate: new Date(SIGNED_AT_EPOCH * 1000) },
);
const spaced = record("update-account (header value with runs of spaces, repeated query key)", trimmed, SIGNED_AT_EPOCH - 60);
// On the wire a server sees the value without its leading and trailing spaces (HTTP strips them).
spaced.headers = spaced.headers.map(([k, v]) => [k, k === "x-example" ? v.trim() : v]);
requests.push(spaced);

const { version } = require("@smithy/signature-v4/package.json");
const { version: clientVersion } = require("@aws-sdk/client-chime/package.json");
const fixture = {
  client: `@aws-sdk/client-chime ${clientVersion} with @smithy/signature-v4 ${version}`,
  access_key_id: ACCESS_KEY_ID,
  secret_access_key: SECRET_ACCESS_KEY,
  region: "us-east-1",
  service: "chime",
  requests,
};
process.stdout.write(JSON.stringify(fixture, null, 2) + "\n");
