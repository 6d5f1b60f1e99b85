/**
 * Factdesk's entrypoint (src/app.ts runs it). With DISCORD_TOKEN set it connects to Discord;
 * without, it runs the local console over the same commands. The only file that loads commands/.
 */
import { fileURLToPath } from 'node:url';
import { loadCommands } from '../commands/index.ts';
import { runFactdesk } from './app.ts';

await runFactdesk({ entry: fileURLToPath(import.meta.url), loadCommands });
