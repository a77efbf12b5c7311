/** The identity use cases (accounts, sessions, addresses), bound to their ports. */
import type { Ports, Settings } from "../use_case_ports.ts";
import * as addresses from "./addresses.ts";
import * as auth from "./auth.ts";

export function bindIdentity(p: Ports, settings: Settings) {
  const authDeps = { ...p, sessionTtlMs: settings.sessionTtlMs };
  return {
    register: (input: { email: string; password: string; displayName?: string | null }) =>
      auth.register(authDeps, input),
    login: (input: { email: string; password: string }) => auth.login(authDeps, input),
    authenticate: (token: string) => auth.authenticate(authDeps, token),
    logout: (principal: auth.Principal) => auth.logout(authDeps, principal),
    ensureAdmin: (input: { email: string; password: string }) => auth.ensureAdmin(authDeps, input),
  };
}

export function bindAddresses(p: Ports) {
  return {
    listAddresses: (userId: string) => addresses.listAddresses(p, userId),
    getAddress: (userId: string, id: string) => addresses.getAddress(p, userId, id),
    addAddress: (userId: string, input: addresses.NewAddressInput) =>
      addresses.addAddress(p, userId, input),
    updateAddress: (
      userId: string,
      id: string,
      patch: Parameters<typeof addresses.updateAddress>[3],
    ) => addresses.updateAddress(p, userId, id, patch),
    removeAddress: (userId: string, id: string) => addresses.removeAddress(p, userId, id),
  };
}
