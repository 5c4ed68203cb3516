// The update offer's rules (src/app/site-update.ts): shown only while nothing is made, and a new
// version that another tab let in never reloads this tab by itself.
import { get } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { SiteUpdate } from '../../src/app/site-update';

function update() {
  const actions = { activateWaiting: vi.fn(), reload: vi.fn() };
  return { site: new SiteUpdate(actions), actions };
}

describe('SiteUpdate', () => {
  it('offers a waiting version only while no generation runs', () => {
    const { site } = update();
    expect(get(site.offered)).toBe(false);
    const ended = site.generationStarted();
    site.newVersionWaiting();
    expect(get(site.offered)).toBe(false);
    ended();
    ended(); // a second call does not count another generation as ended
    expect(get(site.offered)).toBe(true);
  });

  it('accepting a waiting version asks it to take over, then reloads when it does', () => {
    const { site, actions } = update();
    site.newVersionWaiting();
    site.accept();
    expect(actions.activateWaiting).toHaveBeenCalledOnce();
    expect(actions.reload).not.toHaveBeenCalled();
    site.newVersionInControl();
    expect(actions.reload).toHaveBeenCalledOnce();
  });

  it('a version let in by another tab does not reload this one; it is offered, and accepting it reloads', () => {
    const { site, actions } = update();
    const ended = site.generationStarted();
    site.newVersionWaiting();
    site.newVersionInControl();
    expect(actions.reload).not.toHaveBeenCalled();
    expect(get(site.offered)).toBe(false);
    ended();
    expect(get(site.offered)).toBe(true);
    site.accept();
    expect(actions.reload).toHaveBeenCalledOnce();
    expect(actions.activateWaiting).not.toHaveBeenCalled();
  });

  it('accepting is refused while a generation runs', () => {
    const { site, actions } = update();
    site.newVersionWaiting();
    site.generationStarted();
    site.accept();
    expect(actions.activateWaiting).not.toHaveBeenCalled();
  });
});
