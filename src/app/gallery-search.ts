// The gallery's search box and "Starred only": which videos to show. A search matches the prompt
// as typed (a storyboard's shots too), every word of the search somewhere in it, in any order,
// ignoring case and accents — "Red BALL" and "ball rèd" both find "a red ball bounces".

export interface GalleryFilter {
  text: string;
  starredOnly: boolean;
}

export const NO_FILTER: GalleryFilter = { text: '', starredOnly: false };

/** The entries the filter lets through, in their order. */
export function filterGallery<E extends Searchable>(entries: readonly E[], filter: GalleryFilter): E[] {
  const words = folded(filter.text).split(/\s+/).filter(Boolean);
  return entries.filter((entry) => {
    if (filter.starredOnly && entry.starred !== true) return false;
    if (words.length === 0) return true;
    const prompts = folded([entry.settings.prompt, ...(entry.settings.mode?.shots ?? []).map((s) => s.prompt)].join('\n'));
    return words.every((word) => prompts.includes(word));
  });
}

export function isFiltering(filter: GalleryFilter): boolean {
  return filter.starredOnly || filter.text.trim() !== '';
}

/** What a search reads of an entry. */
export interface Searchable {
  starred?: boolean;
  settings: { prompt: string; mode?: { shots?: readonly { prompt: string }[] } };
}

/** Lower case, without accents, full-width letters as plain ones. */
function folded(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
