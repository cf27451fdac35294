#!/usr/bin/env node
// `npx wif …`: the administration CLI and token helper (lib/cli/wif.ts), run through tsx.
import { register } from "tsx/esm/api";

register();
await import("../lib/cli/wif.ts");
