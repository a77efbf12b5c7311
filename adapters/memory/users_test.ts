import { usersContract } from "../../ports/contracts/users_contract.ts";
import { MemorySessionStore, MemoryUserStore } from "./users.ts";

usersContract("MemoryUserStore and MemorySessionStore", () => {
  const users = new MemoryUserStore();
  return Promise.resolve({
    subject: { users, sessions: new MemorySessionStore(users) },
    close: () => Promise.resolve(),
  });
});
