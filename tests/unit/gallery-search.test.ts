// The gallery's search box and "Starred only" (src/app/gallery-search.ts).
import { describe, expect, it } from 'vitest';
import { filterGallery, isFiltering, NO_FILTER } from '../../src/app/gallery-search';

const videos = [
  { id: 'ball', starred: true, settings: { prompt: 'A red ball bounces on the grass' } },
  { id: 'star', settings: { prompt: 'a yellow star rotates on a night sky' } },
  { id: 'board', starred: false, settings: { prompt: 'two shots', mode: { shots: [{ prompt: 'a blue square slides' }, { prompt: 'the square stops' }] } } },
];
const ids = (filter: Parameters<typeof filterGallery>[1]) => filterGallery(videos, filter).map((v) => v.id);

describe('filterGallery', () => {
  it('shows everything with no filter, in order', () => {
    expect(ids(NO_FILTER)).toEqual(['ball', 'star', 'board']);
    expect(isFiltering(NO_FILTER)).toBe(false);
    expect(isFiltering({ text: '   ', starredOnly: false })).toBe(false);
  });

  it('matches every word of the search in the prompt, in any order, ignoring case and accents', () => {
    expect(ids({ text: 'Red BALL', starredOnly: false })).toEqual(['ball']);
    expect(ids({ text: 'ball rèd', starredOnly: false })).toEqual(['ball']);
    expect(ids({ text: 'ｒｅｄ', starredOnly: false })).toEqual(['ball']);
    expect(ids({ text: 'red sky', starredOnly: false })).toEqual([]);
    expect(ids({ text: 'on', starredOnly: false })).toEqual(['ball', 'star']);
  });

  it("finds a storyboard by its shots' prompts", () => {
    expect(ids({ text: 'blue square', starredOnly: false })).toEqual(['board']);
  });

  it('keeps only starred videos when asked, with or without a search', () => {
    expect(ids({ text: '', starredOnly: true })).toEqual(['ball']);
    expect(ids({ text: 'star', starredOnly: true })).toEqual([]);
    expect(isFiltering({ text: '', starredOnly: true })).toBe(true);
  });
});
