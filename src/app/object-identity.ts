// Which object of a prompt's reading is which, across readings: an object is known by what the
// prompt calls it — its stated colour and shape, or the noun it stands in for ("the red ball",
// "the car") — and, among objects called alike, by its place among them. Text typed or deleted
// around an object leaves its identity as it was, so a change made on it by hand stays on it
// ("a red ball and a blue square" → "a blue square": the square is still "blue square #1"), and an
// object the prompt no longer names takes its identity, and its changes, away with it.
import type { ParsedObject } from '../model/recaption';

export function objectIdentities(objects: readonly ParsedObject[]): string[] {
  const seen = new Map<string, number>();
  return objects.map((o) => {
    // Defaults (an unstated colour, the circle of a stand-in) follow other objects, so they name nothing.
    const name = [o.stated.colour ? o.colour : '', o.standsFor ?? (o.stated.shape ? o.shape : '')].join(' ').trim() || 'object';
    const place = (seen.get(name) ?? 0) + 1;
    seen.set(name, place);
    return `${name} #${place}`;
  });
}
