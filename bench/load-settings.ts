/** The load a throughput bench applies: BENCH_CONNECTIONS, BENCH_SECONDS per run and BENCH_ROUNDS, each bench with its own defaults. */
export function loadSettings(defaults: { connections: number; seconds: number; rounds: number }): { connections: number; seconds: number; rounds: number } {
  const read = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  return { connections: read("BENCH_CONNECTIONS", defaults.connections), seconds: read("BENCH_SECONDS", defaults.seconds), rounds: read("BENCH_ROUNDS", defaults.rounds) };
}
