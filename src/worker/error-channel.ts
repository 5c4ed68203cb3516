// Errors cross from the worker to the page through comlink, which sends a thrown Error's name,
// message and stack and nothing else. This adds the one fact the page acts on: whether the error
// is the user's to fix (see isUserError in api.ts), so the page decides "Try again" from the
// error's class rather than from a list of names.
import * as Comlink from 'comlink';
import { isUserError } from './api';

interface SerializedThrow {
  isError: boolean;
  value: unknown;
}

/** Installs the worker's side; the page's side needs nothing: comlink copies every sent field onto the Error it rethrows. */
export function sendUserErrorFlag(): void {
  const standard = Comlink.transferHandlers.get('throw') as Comlink.TransferHandler<{ value: unknown }, SerializedThrow>;
  Comlink.transferHandlers.set('throw', {
    canHandle: standard.canHandle,
    serialize(thrown: { value: unknown }) {
      const [wire, transfer] = standard.serialize(thrown);
      if (wire.isError && thrown.value instanceof Error) wire.value = { ...(wire.value as object), userError: isUserError(thrown.value) };
      return [wire, transfer];
    },
    deserialize: standard.deserialize,
  } as Comlink.TransferHandler<unknown, unknown>);
}
