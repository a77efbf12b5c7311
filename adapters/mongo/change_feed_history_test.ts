/**
 * A resume token that left the oplog. mongo-java-server (the stand-in here) keeps its whole
 * change history and resumes an unknown token from its oldest entry, so it cannot produce
 * ChangeStreamHistoryLost: these tests build the error as the driver reports it from a real
 * server and check the feed turns it into `FeedHistoryLost` for the sync.
 */
import assert from "node:assert/strict";
import { type Db, MongoNetworkError, MongoServerError } from "mongodb";
import { FeedHistoryLost } from "../../ports/search/change_feed.ts";
import { isHistoryLost } from "./_errors.ts";
import { MongoChangeFeed, toCheckpoint } from "./change_feed.ts";

const historyLost = () =>
  new MongoServerError({
    ok: 0,
    code: 286,
    codeName: "ChangeStreamHistoryLost",
    errmsg: "Resume of change stream was not possible, as the resume point may no longer be " +
      "in the oplog.",
  });

/** A database whose change streams fail every read with `error`. */
function failingDb(error: Error): { db: Db; opened: unknown[] } {
  const opened: unknown[] = [];
  const stream = {
    closed: false,
    resumeToken: null,
    tryNext: () => Promise.reject(error),
    close: () => Promise.resolve(),
  };
  const db = {
    collection: () => ({
      watch: (_pipeline: unknown, options: unknown) => {
        opened.push(options);
        return stream;
      },
    }),
  } as unknown as Db;
  return { db, opened };
}

Deno.test("MongoChangeFeed when the resume point left the oplog", async (t) => {
  await t.step("isHistoryLost() knows the server's codes and nothing else", () => {
    assert.equal(isHistoryLost(historyLost()), true);
    assert.equal(isHistoryLost(new MongoServerError({ code: 136, errmsg: "capped" })), true);
    assert.equal(
      isHistoryLost(
        new MongoServerError({
          code: 280,
          codeName: "ChangeStreamFatalError",
          errmsg: "cannot resume stream; the resume token was not found.",
        }),
      ),
      true,
    );
    assert.equal(isHistoryLost(new MongoServerError({ code: 280, errmsg: "other" })), false);
    assert.equal(isHistoryLost(new MongoServerError({ code: 11000, errmsg: "dup" })), false);
    assert.equal(isHistoryLost(new MongoNetworkError("down")), false);
    assert.equal(isHistoryLost(new Error("ChangeStreamHistoryLost")), false);
  });

  await t.step("poll() after a lost token throws FeedHistoryLost naming the feed", async () => {
    const { db } = failingDb(historyLost());
    const feed = new MongoChangeFeed(db, { name: "catalog" });
    const token = toCheckpoint({ _data: "8263A0B1C2000000012B" });
    await assert.rejects(
      feed.poll(token, 10, 0),
      (e: FeedHistoryLost) =>
        e instanceof FeedHistoryLost && e.feed === "catalog" && /ChangeStreamHistoryLost/.test(
          e.reason,
        ),
    );
    await assert.rejects(feed.backlog(token), FeedHistoryLost);
  });

  await t.step("another server error is not mistaken for it", async () => {
    const { db } = failingDb(new MongoServerError({ code: 8000, errmsg: "boom" }));
    const feed = new MongoChangeFeed(db);
    await assert.rejects(
      feed.poll(toCheckpoint({ _data: "82" }), 10, 0),
      (e: Error) => e instanceof MongoServerError && !(e instanceof FeedHistoryLost),
    );
  });
});
