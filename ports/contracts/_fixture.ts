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

/** Runs one case on a fresh fixture, closing it afterwards whatever happens. */
export type Step<T> = (name: string, body: (subject: T) => Promise<void>) => Promise<boolean>;

/**
 * Registers a suite as one `Deno.test` named `${label}: ${port} contract`, whose `cases`
 * call `step` once per behaviour.
 */
export function defineContract<T>(
  port: string,
  label: string,
  make: MakeFixture<T>,
  options: ContractOptions,
  cases: (step: Step<T>) => Promise<void>,
): void {
  Deno.test({
    name: `${label}: ${port} contract`,
    ignore: options.ignore,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: (t) =>
      cases((name, body) =>
        t.step(name, async () => {
          const fixture = await make();
          try {
            await body(fixture.subject);
          } finally {
            await fixture.close();
          }
        })
      ),
  });
}
