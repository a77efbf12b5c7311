import { CACHE, REPO, shortHash, tcpExchange } from "./_process.ts";
import { ServerProcess, type Spawn } from "./_server_process.ts";

const encoder = new TextEncoder();

// ---- MongoDB wire-protocol server ---------------------------------------------------------

async function mongoJars(): Promise<string> {
  const hash = await shortHash(await Deno.readFile(`${REPO}/.ci/mongo/pom.xml`));
  const dir = `${CACHE}/mongo-java-server-${hash}`;
  try {
    Deno.statSync(`${dir}/.complete`);
  } catch {
    throw new Error(`${dir} is missing: run .ci/start_mongo.sh first`);
  }
  return dir;
}

/** OP_MSG `{ping: 1, $db: "admin"}`; true when the reply holds `ok: 1.0`. */
async function mongoPing(port: number): Promise<boolean> {
  const body = [
    ...[0x10, ...encoder.encode("ping"), 0, 1, 0, 0, 0],
    ...[0x02, ...encoder.encode("$db"), 0, 6, 0, 0, 0, ...encoder.encode("admin"), 0],
  ];
  const doc = new Uint8Array(4 + body.length + 1);
  new DataView(doc.buffer).setInt32(0, doc.length, true);
  doc.set(body, 4);
  const section = new Uint8Array([0, ...doc]);
  const message = new Uint8Array(16 + 4 + section.length);
  const view = new DataView(message.buffer);
  view.setInt32(0, message.length, true);
  view.setInt32(4, 1, true);
  view.setInt32(8, 0, true);
  view.setInt32(12, 2013, true);
  view.setUint32(16, 0, true);
  message.set(section, 20);
  const reply = await tcpExchange(port, message);
  const ok = new Uint8Array([0x01, ...encoder.encode("ok"), 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
  const text = Array.from(reply).join(",");
  return text.includes(Array.from(ok).join(","));
}

/**
 * de.bwaldvogel mongo-java-server (wire 8, oplog on for change streams) on `port`, run by
 * `.ci/mongo/Launcher.java` with the H2 backend in `dir`, so the catalog and the oplog
 * survive a restart like a real mongod's data directory would.
 */
export class MongoServer extends ServerProcess {
  readonly url: string;

  constructor(readonly dir: string, readonly port: number, logDir: string) {
    super("mongodb", `${logDir}/mongodb.log`);
    this.url = `mongodb://127.0.0.1:${port}/polycart`;
    this.startTimeoutMs = 60_000;
  }

  protected override async beforeStart(): Promise<void> {
    await Deno.mkdir(this.dir, { recursive: true });
  }

  protected async spawnSpec(): Promise<Spawn> {
    const jars = await mongoJars();
    return {
      cmd: "java",
      args: [
        "-Xms64m",
        "-Xmx512m",
        "-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire=warn",
        "-cp",
        `${jars}/*`,
        `${REPO}/.ci/mongo/Launcher.java`,
        "127.0.0.1",
        String(this.port),
        `h2:${this.dir}/catalog.mv`,
      ],
      cwd: this.dir,
    };
  }

  healthy(): Promise<boolean> {
    return mongoPing(this.port);
  }
}
