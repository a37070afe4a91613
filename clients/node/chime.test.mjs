// The AWS SDK for JavaScript v3 (@aws-sdk/client-chime), unmodified, against chime-local.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { readFileSync } from "node:fs";
import {
  ChimeClient,
  CreateAccountCommand,
  UpdateAccountCommand,
  UpdateUserCommand,
  BatchUpdateUserCommand,
  BadRequestException,
  ForbiddenException,
  NotFoundException,
} from "@aws-sdk/client-chime";

const SEED_FILE = new URL("../seed.json", import.meta.url).pathname;
const SEED = JSON.parse(readFileSync(SEED_FILE, "utf8"));
const ACCOUNT_ID = SEED.Accounts[0].AccountId;
const [ALICE, BOB] = SEED.Users;
const ACCESS_KEY_ID = "AKIDCHIMELOCALTEST";
const SECRET_ACCESS_KEY = "chime-local-test-secret";

let server;
let url;

/** Starts chime-local on a free port and resolves with its endpoint. */
function startChimeLocal() {
  const binary = process.env.CHIME_LOCAL;
  if (!binary) throw new Error("set CHIME_LOCAL to the chime-local binary (cargo xtask clients does)");
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("AWS_")));
  server = spawn(
    binary,
    ["--listen", "127.0.0.1:0", "--seed", SEED_FILE, "--credentials", `${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY}`],
    { env, stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.once("exit", (code) => reject(new Error(`chime-local exited with ${code} before listening`)));
    createInterface({ input: server.stdout }).once("line", (line) => {
      const prefix = "listening on ";
      if (line.startsWith(prefix)) resolve(line.slice(prefix.length));
      else reject(new Error(`unexpected first line: ${line}`));
    });
  });
}

/** SIGTERM, then the exit code, which must be 0. */
function stopChimeLocal() {
  return new Promise((resolve, reject) => {
    server.removeAllListeners("exit");
    server.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`chime-local exited with ${code}`))));
    server.kill("SIGTERM");
  });
}

function client(secretAccessKey = SECRET_ACCESS_KEY) {
  return new ChimeClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey },
    maxAttempts: 1,
  });
}

beforeEach(async () => {
  url = await startChimeLocal();
});
afterEach(stopChimeLocal);

test("CreateAccount makes a Team account", async () => {
  const output = await client().send(new CreateAccountCommand({ Name: "Acme Rockets" }));
  assert.equal(output.$metadata.httpStatusCode, 201);
  const account = output.Account;
  assert.equal(account.Name, "Acme Rockets");
  assert.match(account.AccountId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(account.AwsAccountId, "111122223333");
  assert.equal(account.AccountType, "Team");
  assert.equal(account.AccountStatus, "Active");
  assert.equal(account.DefaultLicense, "Pro");
  assert.deepEqual(account.SupportedLicenses, ["Basic", "Pro"]);
  assert.ok(account.CreatedTimestamp instanceof Date);
  assert.ok(Math.abs(Date.now() - account.CreatedTimestamp.getTime()) < 60_000);
});

test("UpdateAccount changes the name and keeps the rest", async () => {
  const output = await client().send(new UpdateAccountCommand({ AccountId: ACCOUNT_ID, Name: "Renamed" }));
  assert.equal(output.Account.Name, "Renamed");
  assert.equal(output.Account.DefaultLicense, "Pro");
  assert.equal(output.Account.CreatedTimestamp.toISOString(), "2026-01-15T09:30:00.000Z");
});

test("UpdateAccount of an unknown account is NotFoundException", async () => {
  await assert.rejects(client().send(new UpdateAccountCommand({ AccountId: "no-such-account", Name: "x" })), (error) => {
    assert.ok(error instanceof NotFoundException, `${error.name}: ${error.message}`);
    assert.equal(error.$metadata.httpStatusCode, 404);
    assert.match(error.message, /no-such-account/);
    return true;
  });
});

test("UpdateUser changes the license; with no changes it returns the user as stored", async () => {
  const chime = client();
  const changed = await chime.send(
    new UpdateUserCommand({ AccountId: ACCOUNT_ID, UserId: ALICE.UserId, LicenseType: "Basic" }),
  );
  assert.equal(changed.User.LicenseType, "Basic");
  assert.equal(changed.User.PrimaryEmail, ALICE.PrimaryEmail);
  const stored = await chime.send(new UpdateUserCommand({ AccountId: ACCOUNT_ID, UserId: ALICE.UserId }));
  assert.equal(stored.User.LicenseType, "Basic");
  assert.equal(stored.User.RegisteredOn.toISOString(), "2026-01-16T10:00:00.000Z");
});

test("BatchUpdateUser applies known users and reports unknown ones", async () => {
  const chime = client();
  const output = await chime.send(
    new BatchUpdateUserCommand({
      AccountId: ACCOUNT_ID,
      UpdateUserRequestItems: [
        { UserId: BOB.UserId, LicenseType: "Pro" },
        { UserId: "ghost", LicenseType: "Basic" },
      ],
    }),
  );
  assert.equal(output.UserErrors.length, 1);
  assert.equal(output.UserErrors[0].UserId, "ghost");
  assert.equal(output.UserErrors[0].ErrorCode, "NotFound");
  const bob = await chime.send(new UpdateUserCommand({ AccountId: ACCOUNT_ID, UserId: BOB.UserId }));
  assert.equal(bob.User.LicenseType, "Pro");
});

test("a batch of 21 bad items is BadRequestException listing every violation", async () => {
  const items = [{ UserId: ALICE.UserId, LicenseType: "Gold" }, ...Array(20).fill({ UserId: BOB.UserId })];
  await assert.rejects(
    client().send(new BatchUpdateUserCommand({ AccountId: ACCOUNT_ID, UpdateUserRequestItems: items })),
    (error) => {
      assert.ok(error instanceof BadRequestException, `${error.name}: ${error.message}`);
      assert.match(error.message, /^2 validation errors detected/);
      assert.match(error.message, /Value with length 21 at '\/UpdateUserRequestItems' failed to satisfy constraint/);
      assert.match(error.message, /Value at '\/UpdateUserRequestItems\/0\/LicenseType' failed to satisfy constraint/);
      return true;
    },
  );
});

test("a wrong secret is ForbiddenException", async () => {
  await assert.rejects(client("wrong").send(new CreateAccountCommand({ Name: "x" })), (error) => {
    assert.ok(error instanceof ForbiddenException, `${error.name}: ${error.message}`);
    assert.equal(error.$metadata.httpStatusCode, 403);
    return true;
  });
});
