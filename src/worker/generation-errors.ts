// Errors the generation worker raises that the page shows as they are.

export class GenerationCancelledError extends Error {
  constructor() {
    super('Generation cancelled.');
    this.name = 'GenerationCancelledError';
  }
}

export class GenerationBusyError extends Error {
  constructor() {
    super('A video is already being made. Wait for it to finish or cancel it first.');
    this.name = 'GenerationBusyError';
  }
}
