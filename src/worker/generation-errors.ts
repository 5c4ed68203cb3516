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

export class GpuLostDuringGenerationError extends Error {
  constructor() {
    super('The GPU was reset while this video was being made (a driver restart, or the GPU ran out of memory). Nothing else was lost: press Make video to try again on a fresh GPU device, perhaps with a shorter video.');
    this.name = 'GpuLostDuringGenerationError';
  }
}
