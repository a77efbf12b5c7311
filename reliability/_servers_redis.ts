import { tcpExchange } from "./_process.ts";
import { ServerProcess, type Spawn } from "./_server_process.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// ---- Redis --------------------------------------------------------------------------------

/** redis-server on `port`, no persistence (a restart is an empty Redis, as in production). */
export class RedisServer extends ServerProcess {
  readonly url: string;

  constructor(readonly dir: string, readonly port: number, logDir: string) {
    super("redis", `${logDir}/redis.log`);
    this.url = `redis://127.0.0.1:${port}`;
    this.startTimeoutMs = 15_000;
  }

  protected override async beforeStart(): Promise<void> {
    await Deno.mkdir(this.dir, { recursive: true });
  }

  protected spawnSpec(): Spawn {
    return {
      cmd: "redis-server",
      args: [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        "--dir",
        this.dir,
        // Redis rewrites its process title; keep the data directory in it, so that a leftover
        // can be recognised (and killed) by the next run or the watchdog.
        "--proc-title-template",
        `{title} {listen-addr} ${this.dir}`,
      ],
      cwd: this.dir,
    };
  }

  async healthy(): Promise<boolean> {
    const reply = await tcpExchange(this.port, encoder.encode("PING\r\n"));
    return decoder.decode(reply).startsWith("+PONG");
  }
}
