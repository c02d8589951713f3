import { FetchError } from './errors';

/** Waits between reads of a job AWS runs in the background: short at first, then up to 5 s. */
const FIRST_WAIT_MS = 250;
const LONGEST_WAIT_MS = 5000;
/** Beyond this, AWS is not going to finish while the user waits. */
const GIVE_UP_MS = 10 * 60 * 1000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads until `done` says the job is over, backing off between reads; `what` names the job for the
 * message when AWS takes too long.
 */
export async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const start = Date.now();
  for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, LONGEST_WAIT_MS)) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - start + wait > GIVE_UP_MS)
      throw new FetchError(`AWS has not finished ${what} after ${GIVE_UP_MS / 60000} minutes: run fetch again later`);
    await sleep(wait);
  }
}
