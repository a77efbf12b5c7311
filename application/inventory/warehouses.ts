import type { Warehouse, WarehouseChange } from "../../domain/inventory/warehouse.ts";
import type { Clock } from "../../ports/clock.ts";
import type { WarehouseStore } from "../../ports/inventory/inventory.ts";

/** Every warehouse, in allocation order (priority, then code). */
export function listWarehouses(deps: { warehouses: WarehouseStore }): Promise<Warehouse[]> {
  return deps.warehouses.listWarehouses();
}

/** A new warehouse; active unless said otherwise. Throws `AlreadyExists` for a known code. */
export function createWarehouse(
  deps: { warehouses: WarehouseStore; clock: Clock },
  input: Omit<Warehouse, "active"> & { readonly active?: boolean },
): Promise<Warehouse> {
  return deps.warehouses.createWarehouse(
    { ...input, active: input.active ?? true },
    deps.clock.now(),
  );
}

/**
 * Renames, moves in priority, or (de)activates a warehouse. Deactivating keeps its rows and
 * pending allocations but takes its stock out of availability and new allocations.
 */
export function updateWarehouse(
  deps: { warehouses: WarehouseStore; clock: Clock },
  code: string,
  change: WarehouseChange,
): Promise<Warehouse> {
  return deps.warehouses.updateWarehouse(code, change, deps.clock.now());
}
