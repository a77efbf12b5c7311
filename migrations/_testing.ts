/** Test support for migration tests: the real migration files up to a version. */
const HERE = new URL(".", import.meta.url);

/** A folder holding the real migration files up to `last`; removed by the caller. */
export async function migrationsUpTo(last: string): Promise<URL> {
  const dir = await Deno.makeTempDir({ prefix: "polycart_migrations_" });
  for await (const entry of Deno.readDir(HERE)) {
    const version = /^(\d{4})_.*\.sql$/.exec(entry.name)?.[1];
    if (version && version <= last) {
      await Deno.copyFile(new URL(entry.name, HERE), `${dir}/${entry.name}`);
    }
  }
  return new URL(`file://${dir}/`);
}
