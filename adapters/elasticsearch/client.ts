import { Client } from "@elastic/elasticsearch";

export interface ElasticsearchClientOptions {
  /** Per request; searches answer 503 rather than hang when the server stalls. */
  readonly requestTimeoutMs?: number;
  /**
   * Default 0: the transport waits 1-2 s before a retry, longer than a failed search should
   * take to answer 503; the sync worker has its own retries with backoff.
   */
  readonly maxRetries?: number;
}

/** One client per process, shared by the search index and its health check; close it last. */
export function createElasticsearchClient(
  url: string,
  options: ElasticsearchClientOptions = {},
): Client {
  return new Client({
    node: url,
    requestTimeout: options.requestTimeoutMs ?? 5_000,
    maxRetries: options.maxRetries ?? 0,
  });
}
