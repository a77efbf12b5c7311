import { addressBookContract } from "../../ports/contracts/address_book_contract.ts";
import { shippingRatesContract } from "../../ports/contracts/shipping_rates_contract.ts";
import { taxRatesContract } from "../../ports/contracts/tax_rates_contract.ts";
import { MemoryAddressBook } from "./address_book.ts";
import { MemoryShippingRates } from "./shipping_rates.ts";
import { MemoryTaxRates } from "./tax_rates.ts";

const close = () => Promise.resolve();

addressBookContract("MemoryAddressBook", () =>
  Promise.resolve({
    subject: {
      book: new MemoryAddressBook(),
      newUser: () => Promise.resolve(crypto.randomUUID()),
    },
    close,
  }));

shippingRatesContract(
  "MemoryShippingRates",
  () => Promise.resolve({ subject: new MemoryShippingRates(), close }),
);

taxRatesContract("MemoryTaxRates", () => Promise.resolve({ subject: new MemoryTaxRates(), close }));
