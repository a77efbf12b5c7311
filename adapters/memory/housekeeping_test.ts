import { housekeepingContract } from "../../ports/contracts/housekeeping_contract.ts";
import { MemoryChangeLog } from "./change_feed.ts";
import { MemoryHousekeeping } from "./housekeeping.ts";
import { MemoryIdempotencyStore } from "./idempotency_store.ts";
import { MemorySyncStateStore } from "./sync_state_store.ts";
import { MemorySessionStore, MemoryUserStore } from "./users.ts";

housekeepingContract("MemoryHousekeeping", () => {
  const log = new MemoryChangeLog("inventory");
  const idempotency = new MemoryIdempotencyStore();
  const users = new MemoryUserStore();
  const sessions = new MemorySessionStore(users);
  const syncState = new MemorySyncStateStore();
  const housekeeping = new MemoryHousekeeping({ idempotency, sessions, syncState, logs: [log] });
  return Promise.resolve({
    subject: {
      housekeeping,
      idempotency,
      users,
      sessions,
      syncState,
      outbox: log,
      emit: (sku: string, at: Date) => {
        log.append("inventory", sku, at);
        return Promise.resolve();
      },
      counts: () =>
        Promise.resolve({
          outbox: log.size,
          idempotencyKeys: idempotency.size,
          sessions: sessions.size,
          parked: syncState.size,
        }),
    },
    close: () => Promise.resolve(),
  });
});
