/** The gateway bench's upstream: the tests' local Messages API (e2e/support/test-upstream.ts) in its own process. Prints its URL. */
import { startTestUpstream } from "../e2e/support/test-upstream";

const upstream = await startTestUpstream();
console.log(upstream.url);
process.on("SIGINT", () => void upstream.close().then(() => process.exit(0)));
