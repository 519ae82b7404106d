/**
 * Reads an environment variable without assuming Node: edge runtimes and bundlers may have no
 * `process` at all, and some freeze `process.env` behind a getter that throws.
 */
export function readEnv(name: string): string | undefined {
  try {
    const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
      ?.env?.[name];
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
  } catch {
    return undefined;
  }
}
