// Whether an error is the user's to fix reaches the page: comlink alone sends only name, message
// and stack, so the worker's error channel adds the flag that decides "Try again".
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { PromptHasNoKnownWordsError } from '../../src/model/model-condition';
import { MediaInputError } from '../../src/video/media-errors';
import { isUserError } from '../../src/worker/api';
import { sendUserErrorFlag } from '../../src/worker/error-channel';
import { GpuLostDuringGenerationError } from '../../src/worker/generation-errors';
import { ModeRequestError } from '../../src/worker/mode-plan';

/** The error as the page's side of comlink rethrows it. */
function acrossTheChannel(err: Error): unknown {
  const handler = Comlink.transferHandlers.get('throw')!;
  const [wire] = handler.serialize({ value: err });
  try {
    handler.deserialize(JSON.parse(JSON.stringify(wire)));
  } catch (received) {
    return received;
  }
  throw new Error('the throw handler did not throw');
}

describe('errors across the worker boundary', () => {
  it('the user’s errors say so, the others do not', () => {
    expect([new PromptHasNoKnownWordsError(['zebra']), new MediaInputError('not-an-image', 'x'), new ModeRequestError('x')].map(isUserError)).toEqual([true, true, true]);
    expect([new GpuLostDuringGenerationError(), new Error('network'), 'a string'].map(isUserError)).toEqual([false, false, false]);
  });

  it('keep that flag, their name and message once the worker’s channel is installed', () => {
    expect(isUserError(acrossTheChannel(new PromptHasNoKnownWordsError([])))).toBe(false); // comlink alone drops it
    sendUserErrorFlag();
    const received = acrossTheChannel(new PromptHasNoKnownWordsError(['zebra'])) as Error;
    expect(isUserError(received)).toBe(true);
    expect(received.name).toBe('PromptHasNoKnownWordsError');
    expect(received.message).toMatch(/zebra/);
    expect(isUserError(acrossTheChannel(new GpuLostDuringGenerationError()))).toBe(false);
  });
});
