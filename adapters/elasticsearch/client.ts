import { Client } from "@elastic/elasticsearch";

export interface ElasticsearchClientOptions {
  /** Per request; searches answer 503 rather than hang when the server stalls. */
  readonly requestTimeoutMs?: number;
  /**
   * Default: one attempt per node, so a request that meets a node gone (connection refused, a
   * 502/503/504) tries each other node once, at once; the transport only sleeps (1-2 s) before
   * a second round, which is longer than a failed search should take to answer 503. The sync
   * worker has its own retries with backoff.
   */
  readonly maxRetries?: number;
}

/**
 * One client per process, shared by the search index and its health check; close it last.
 * `url` names one node or several, comma-separated (`http://es1:9200,http://es2:9200`): the
 * client spreads requests over them and skips a node that stops answering until it is back.
 */
export function createElasticsearchClient(
  url: string,
  options: ElasticsearchClientOptions = {},
): Client {
  const nodes = elasticsearchNodes(url);
  return new Client({
    nodes,
    requestTimeout: options.requestTimeoutMs ?? 5_000,
    maxRetries: options.maxRetries ?? nodes.length - 1,
  });
}

/** The node URLs of an `ELASTICSEARCH_URL`: one, or several separated by commas. */
export function elasticsearchNodes(url: string): string[] {
  return url.split(",").map((node) => node.trim()).filter((node) => node !== "");
}
