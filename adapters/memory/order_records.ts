import type { User } from "../../domain/identity/user.ts";
import { type Page, pageOf } from "../../domain/pagination.ts";
import { customerOf, type OrderRecord } from "../../domain/support/order_document.ts";
import type { CustomerDirectory, CustomerQuery } from "../../ports/support/customer_directory.ts";
import type { OrderRecords } from "../../ports/support/order_records.ts";
import type { MemoryOrderStore } from "./order_store.ts";
import type { MemoryUserStore } from "./users.ts";

/** Orders with payments, customer and version, read from the memory stores in one step. */
export class MemoryOrderRecords implements OrderRecords {
  constructor(private readonly orders: MemoryOrderStore, private readonly users: MemoryUserStore) {}

  record(orderId: string): Promise<OrderRecord | null> {
    return Promise.resolve(this.#record(orderId));
  }

  async *all(): AsyncIterable<OrderRecord> {
    for (const id of this.orders.idsSync()) {
      const record = this.#record(id);
      if (record) yield await Promise.resolve(record);
    }
  }

  count(): Promise<number> {
    return Promise.resolve(this.orders.idsSync().length);
  }

  #record(id: string): OrderRecord | null {
    const snapshot = this.orders.snapshotSync(id);
    if (!snapshot) return null;
    const user = this.users.allSync().find((u) => u.id === snapshot.order.userId);
    return { ...snapshot, customer: user ? customerOf(user) : null };
  }
}

/** Customers by email prefix or part of the name, case-insensitively; newest first. */
export class MemoryCustomerDirectory implements CustomerDirectory {
  constructor(private readonly users: MemoryUserStore) {}

  find(query: CustomerQuery): Promise<Page<User>> {
    const q = query.q.trim().toLowerCase();
    const found = this.users.allSync()
      .filter((u) =>
        q === "" || u.email.toLowerCase().startsWith(q) ||
        (u.displayName ?? "").toLowerCase().includes(q)
      )
      .sort((a, b) =>
        b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
      );
    return Promise.resolve(pageOf(found, query));
  }
}
