// Studio settings: seeds as people type them, and what survives a reload.
import { beforeEach, describe, expect, it } from 'vitest';
import { loadSettings, parseSeed, saveSettings, defaultSettings } from '../../src/app/settings';
import { MAX_PROMPT_CHARS, validateRequest } from '../../src/worker/request-validation';

class MemoryStorage {
  private data = new Map<string, string>();
  getItem(k: string) { return this.data.get(k) ?? null; }
  setItem(k: string, v: string) { this.data.set(k, v); }
  removeItem(k: string) { this.data.delete(k); }
}

describe('parseSeed', () => {
  it('takes whole numbers from 0 to 2^32 − 1', () => {
    expect(parseSeed(' 42 ')).toBe(42);
    expect(parseSeed('0')).toBe(0);
    expect(parseSeed('4294967295')).toBe(4294967295);
  });
  it('refuses anything else', () => {
    for (const bad of ['', '-1', '1.5', '4294967296', 'abc', '1e3', '12345678901']) expect(parseSeed(bad)).toBeNull();
  });
});

describe('settings storage', () => {
  beforeEach(() => {
    (globalThis as { localStorage?: unknown }).localStorage = new MemoryStorage();
  });

  it('remembers a locked seed and the choices', () => {
    saveSettings({ ...defaultSettings(), seconds: 1, aspect: '9:16', steps: 4, seed: 77, seedLocked: true, modelId: 'tiny' });
    expect(loadSettings()).toMatchObject({ seconds: 1, aspect: '9:16', steps: 4, seed: 77, seedLocked: true, modelId: 'tiny' });
  });

  it('keeps the prompt out of files until the person says otherwise, and remembers that they did', () => {
    expect(loadSettings().promptInFile).toBe(false);
    saveSettings({ ...defaultSettings(), promptInFile: true });
    expect(loadSettings().promptInFile).toBe(true);
    localStorage.setItem('kinora.settings.v1', JSON.stringify({ promptInFile: 'true' }));
    expect(loadSettings().promptInFile).toBe(false);
  });

  it('keeps a stored negative prompt whole: the studio has the limit of the door and the command line, and cuts nothing unasked', () => {
    const fits = 'no stars, '.repeat(MAX_PROMPT_CHARS / 10);
    expect(() => validateRequest({ prompt: 'a red ball', seconds: 1, aspect: '1:1', seed: 1, negativePrompt: fits })).not.toThrow();
    saveSettings({ ...defaultSettings(), negativePrompt: fits });
    expect(loadSettings().negativePrompt).toBe(fits);
    // Over the limit: kept too, for the person to shorten (the studio says by how much).
    saveSettings({ ...defaultSettings(), negativePrompt: `${fits}x` });
    expect(loadSettings().negativePrompt).toHaveLength(MAX_PROMPT_CHARS + 1);
  });

  it('draws a fresh seed when the seed was not locked', () => {
    saveSettings({ ...defaultSettings(), seed: 77, seedLocked: false });
    expect(loadSettings().seed).not.toBe(77);
  });

  it('falls back to defaults for damaged or unknown values', () => {
    localStorage.setItem('kinora.settings.v1', JSON.stringify({ seconds: 99, aspect: '4:3', steps: 'many' }));
    expect(loadSettings()).toMatchObject({ seconds: 2, aspect: '1:1', steps: null });
    localStorage.setItem('kinora.settings.v1', '{not json');
    expect(loadSettings().aspect).toBe('1:1');
  });
});
