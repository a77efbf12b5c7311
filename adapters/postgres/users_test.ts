import { migrate } from "../../migrations/migrate.ts";
import { usersContract } from "../../ports/contracts/users_contract.ts";
import { integrationUrl } from "../../testing/integration.ts";
import { testDatabase } from "./_testing.ts";
import { PostgresSessionStore, PostgresUserStore } from "./users.ts";
import { PostgresOutboxFeed } from "./outbox_feed.ts";

const url = integrationUrl("DATABASE_URL");

usersContract("PostgresUserStore", async () => {
  const db = await testDatabase(url!, migrate);
  return {
    subject: {
      users: new PostgresUserStore(db.sql),
      sessions: new PostgresSessionStore(db.sql),
      feed: new PostgresOutboxFeed(db.sql),
    },
    close: db.close,
  };
}, { ignore: !url });
