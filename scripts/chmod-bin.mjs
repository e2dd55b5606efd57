// npm does not mark a freshly built bin file executable when the package is used from its own checkout.
import { chmodSync } from 'node:fs';
chmodSync(new URL('../dist/cli/main.js', import.meta.url), 0o755);
