// Types of scripts/test-models.mjs for the TypeScript tools that import it (site-session.ts, vite.config.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ModelIndexJson {
  default?: string;
  models: string[];
  good_at?: Record<string, string>;
}

export const TEST_MODELS_DIR: string;
export function readTestModelIndex(testDir?: string): ModelIndexJson;
export function withTestModels(siteIndex: ModelIndexJson, testIndex: ModelIndexJson): ModelIndexJson;
export function testModelHandler(options: { siteIndexPath: string; testDir?: string }): (req: IncomingMessage, res: ServerResponse) => boolean;
