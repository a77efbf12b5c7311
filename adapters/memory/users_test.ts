import { usersContract } from "../../ports/contracts/users_contract.ts";
import { MemoryChangeLog } from "./change_feed.ts";
import { MemorySessionStore, MemoryUserStore } from "./users.ts";

usersContract("MemoryUserStore and MemorySessionStore", () => {
  const feed = new MemoryChangeLog("inventory");
  const users = new MemoryUserStore({ changes: feed });
  return Promise.resolve({
    subject: { users, sessions: new MemorySessionStore(users), feed },
    close: () => Promise.resolve(),
  });
});
