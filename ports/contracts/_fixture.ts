/**
 * A contract suite is one function per port: `fooContract(label, makeFixture)` registers a
 * `Deno.test` named `${label}: Foo contract` whose `t.step`s run the same cases against any
 * adapter. Each step builds a fresh fixture (or clears state) and closes it in `finally`.
 */
export interface Fixture<T> {
  readonly subject: T;
  close(): Promise<void>;
}

export type MakeFixture<T> = () => Promise<Fixture<T>>;

export interface ContractOptions {
  /** Set when the real server's URL is unset; the suite is then reported as ignored. */
  readonly ignore?: boolean;
}
