import { usersContract } from "../../ports/contracts/users_contract.ts";
import { MemorySessionStore, MemoryUserStore } from "./users.ts";

usersContract("MemoryUserStore and MemorySessionStore", () =>
  Promise.resolve({
    subject: { users: new MemoryUserStore(), sessions: new MemorySessionStore() },
    close: () => Promise.resolve(),
  }));
