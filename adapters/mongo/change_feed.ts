import {
  BSON,
  type ChangeStream,
  type ChangeStreamDocument,
  type ChangeStreamOptions,
  type Collection,
  type Db,
  Timestamp,
} from "mongodb";
import {
  type Backlog,
  type ChangeEvent,
  type ChangeFeed,
  FeedHistoryLost,
} from "../../ports/search/change_feed.ts";
import { isHistoryLost, toDomainError } from "./_errors.ts";
import type { ProductDoc } from "./_product_doc.ts";

export interface MongoChangeFeedOptions {
  /** Default `products`. */
  readonly collection?: string;
  /** The feed's name (sync checkpoints are stored under it). Default `catalog`. */
  readonly name?: string;
  /**
   * What its events are: `catalog` (products, `_id` = SKU; the default), `category` (the
   * category tree, `_id` = slug) `review` (reviews, `_id` = review id) or `vendor` (vendor profiles, `_id` = id).
   */
  readonly source?: FeedSource;
  /** How long one `getMore` may wait on the server for a change. Default 200 ms. */
  readonly maxAwaitTimeMs?: number;
  /** `backlog()` counts at most this many events, then reports a lower bound. Default 10,000. */
  readonly backlogScanLimit?: number;
}

type FeedSource = "catalog" | "category" | "review" | "vendor";

const OPERATIONS = new Set(["insert", "update", "replace", "delete"]);
/** Between empty getMores while waiting (servers that answer them at once). */
const IDLE_MS = 50;
/** A head taken without a resume token starts this far back (replaying is harmless). */
const HEAD_MARGIN_S = 5;

/**
 * The catalog feed as a MongoDB change stream on `products` (inserts, updates, replaces,
 * deletes). A checkpoint is the event's resume token as canonical Extended JSON, so a poll
 * after it resumes right after that event (`resumeAfter`), across restarts. `null` means
 * "from the start": `startAtOperationTime` at the epoch, i.e. whatever the oplog still holds;
 * where the server refuses that (history lost), from now.
 *
 * One stream stays open between polls while each poll continues from the checkpoint the
 * previous one ended at (the consumer's normal loop); another checkpoint reopens it.
 *
 * The SKU is the document key (`_id` = SKU), so deletes carry it without pre-images. The time
 * is the document's `updatedAt` where the event holds it (insert and replace carry the whole
 * document), else the server's `wallTime` or cluster time (deletes).
 *
 * `backlog()` is exact up to `backlogScanLimit` events, then a lower bound: it reads the
 * backlog through a second, short-lived stream, since a change stream cannot count.
 */
export class MongoChangeFeed implements ChangeFeed {
  readonly name: string;
  readonly #source: FeedSource;
  readonly #products: Collection<ProductDoc>;
  readonly #maxAwaitTimeMs: number;
  readonly #scanLimit: number;
  #stream: ChangeStream<ProductDoc> | null = null;
  /** The checkpoint the open stream continues from. */
  #streamAt: string | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(db: Db, options: MongoChangeFeedOptions = {}) {
    this.name = options.name ?? "catalog";
    this.#source = options.source ?? "catalog";
    this.#products = db.collection<ProductDoc>(options.collection ?? "products");
    this.#maxAwaitTimeMs = options.maxAwaitTimeMs ?? 200;
    this.#scanLimit = options.backlogScanLimit ?? 10_000;
  }

  poll(after: string | null, limit: number, waitMs: number): Promise<ChangeEvent[]> {
    const run = this.#queue.then(() => this.#poll(after, limit, waitMs));
    this.#queue = run.catch(() => {});
    return run;
  }

  async backlog(after: string | null): Promise<Backlog> {
    let stream: ChangeStream<ProductDoc> | null = null;
    try {
      stream = this.#open(after, false);
      let pending = 0;
      let oldestAt: Date | null = null;
      while (pending < this.#scanLimit) {
        const change = await this.#next(stream, after);
        if (change === null) break;
        if (change.kind === "reopened") {
          stream = change.stream;
          continue;
        }
        const event = toEvent(change.doc, this.#source);
        if (!event) continue;
        oldestAt ??= event.at;
        pending += 1;
      }
      return { pending, oldestAt };
    } catch (error) {
      throw toDomainError(error);
    } finally {
      await stream?.close().catch(() => {});
    }
  }

  /** Closes the open stream; the feed reopens one on the next poll. */
  async close(): Promise<void> {
    await this.#queue;
    await this.#closeStream();
  }

  async #poll(after: string | null, limit: number, waitMs: number): Promise<ChangeEvent[]> {
    if (limit <= 0) return [];
    const events: ChangeEvent[] = [];
    const deadline = Date.now() + waitMs;
    try {
      if (this.#stream === null || this.#stream.closed || this.#streamAt !== after) {
        await this.#closeStream();
        this.#stream = this.#open(after, false);
        this.#streamAt = after;
      }
      while (events.length < limit) {
        const change = await this.#next(this.#stream, after);
        if (change?.kind === "reopened") {
          this.#stream = change.stream;
          continue;
        }
        if (change) {
          const event = toEvent(change.doc, this.#source);
          if (event) {
            events.push(event);
            this.#streamAt = event.checkpoint;
          }
          continue;
        }
        if (events.length > 0 || Date.now() >= deadline) break;
        await delay(Math.min(IDLE_MS, deadline - Date.now()));
      }
      return events;
    } catch (error) {
      await this.#closeStream();
      throw toDomainError(error);
    }
  }

  /**
   * The next change, or null when the server has nothing more right now. A stream opened
   * "from the start" on a server whose oplog no longer reaches back that far is reopened
   * from now.
   */
  async #next(
    stream: ChangeStream<ProductDoc>,
    after: string | null,
  ): Promise<
    | { kind: "change"; doc: ChangeStreamDocument<ProductDoc> }
    | { kind: "reopened"; stream: ChangeStream<ProductDoc> }
    | null
  > {
    try {
      const doc = await stream.tryNext();
      return doc === null ? null : { kind: "change", doc };
    } catch (error) {
      if (!isHistoryLost(error)) throw error;
      if (after !== null) {
        // The sync's resume point left the oplog: only a rebuild from the sources can recover.
        throw new FeedHistoryLost(this.name, `${error.codeName ?? error.code}: ${error.message}`, {
          cause: error,
        });
      }
      await stream.close().catch(() => {});
      return { kind: "reopened", stream: this.#open(null, true) };
    }
  }

  /**
   * The stream's present end: the resume token a fresh stream reports (real MongoDB sends one
   * with its first batch), else a start time a few seconds back (servers that send none until
   * a change, like mongo-java-server).
   */
  async head(): Promise<string | null> {
    const stream = this.#open(null, true);
    try {
      const first = await stream.tryNext();
      const token = first?._id ?? stream.resumeToken;
      if (token) return toCheckpoint(token);
      const seconds = Math.floor(Date.now() / 1_000) - HEAD_MARGIN_S;
      return BSON.EJSON.stringify({ startAt: new Timestamp({ t: seconds, i: 0 }) }, {
        relaxed: false,
      });
    } catch (error) {
      throw toDomainError(error);
    } finally {
      await stream.close().catch(() => {});
    }
  }

  #open(after: string | null, fromNow: boolean): ChangeStream<ProductDoc> {
    const options: ChangeStreamOptions = { maxAwaitTimeMS: this.#maxAwaitTimeMs };
    const start = after === null ? null : parseStart(after);
    if (start) options.startAtOperationTime = start;
    else if (after !== null) options.resumeAfter = parseCheckpoint(after);
    else if (!fromNow) options.startAtOperationTime = new Timestamp({ t: 1, i: 0 });
    return this.#products.watch([], options);
  }

  async #closeStream(): Promise<void> {
    const stream = this.#stream;
    this.#stream = null;
    await stream?.close().catch(() => {});
  }
}

export function toCheckpoint(resumeToken: unknown): string {
  return BSON.EJSON.stringify(resumeToken as BSON.Document, { relaxed: false });
}

/** The start time of a head checkpoint (`{"startAt": Timestamp}`), null for a resume token. */
function parseStart(checkpoint: string): Timestamp | null {
  if (!checkpoint.includes('"startAt"')) return null;
  try {
    const parsed = BSON.EJSON.parse(checkpoint, { relaxed: false }) as { startAt?: unknown };
    return parsed.startAt instanceof Timestamp ? parsed.startAt : null;
  } catch {
    return null;
  }
}

export function parseCheckpoint(checkpoint: string): BSON.Document {
  let token: unknown;
  try {
    token = BSON.EJSON.parse(checkpoint, { relaxed: false });
  } catch {
    token = null;
  }
  if (token === null || typeof token !== "object" || !("_data" in token)) {
    throw new TypeError(`not a MongoDB change stream checkpoint: ${checkpoint}`);
  }
  return token as BSON.Document;
}

/** A change event for the sync, or null for events that name no product (drops, ...). */
export function toEvent(
  change: ChangeStreamDocument<ProductDoc>,
  source: FeedSource = "catalog",
): ChangeEvent | null {
  if (!OPERATIONS.has(change.operationType)) return null;
  const raw = change as unknown as {
    _id: unknown;
    documentKey?: Record<string, unknown>;
    fullDocument?: Record<string, unknown> | null;
    updateDescription?: { updatedFields?: Record<string, unknown> };
    wallTime?: unknown;
    clusterTime?: Timestamp;
  };
  const sku = raw.documentKey?._id;
  if (typeof sku !== "string") return null;
  const at = [
    raw.fullDocument?.updatedAt,
    raw.updateDescription?.updatedFields?.updatedAt,
    // mongo-java-server reports a replace as an update whose documentKey is the new document.
    raw.documentKey?.updatedAt,
    raw.wallTime,
  ].find((value): value is Date => value instanceof Date) ??
    (raw.clusterTime ? new Date(raw.clusterTime.t * 1_000) : new Date());
  return { source, sku, at: new Date(at), checkpoint: toCheckpoint(raw._id) };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
