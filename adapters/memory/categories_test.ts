import { categoriesContract } from "../../ports/contracts/categories_contract.ts";
import { MemoryCategories } from "./categories.ts";

categoriesContract(
  "MemoryCategories",
  () => Promise.resolve({ subject: new MemoryCategories(), close: () => Promise.resolve() }),
);
