// One polling loop for the console: it asks again while its part of the page is shown, waiting longer
// each time up to a pace, and stops when the answer comes, when asked to, or when the part leaves the page.

/**
 * @template T
 * @typedef {object} PollOptions
 * @property {Node} node polling ends (with undefined) once this node is no longer in the document
 * @property {() => Promise<T | undefined>} tick undefined: ask again; anything else ends polling with it
 * @property {number} [firstMs] the first wait (default 1000)
 * @property {number} [maxMs] the wait doubles up to this (default: the first wait, a steady pace)
 */

/**
 * @template T
 * @typedef {object} Polling
 * @property {Promise<T | undefined>} result the tick's answer; undefined when stopped or the node left;
 *   rejected with the tick's error
 * @property {() => void} stop
 */

/**
 * @template T
 * @param {PollOptions<T>} options
 * @returns {Polling<T>}
 */
export function poll({ node, tick, firstMs = 1000, maxMs = firstMs }) {
  let delay = firstMs;
  let stopped = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {(value: T | undefined) => void} */
  let finish = () => {};
  /** @type {Promise<T | undefined>} */
  const result = new Promise((resolve, reject) => {
    finish = resolve;
    const gone = () => stopped || !node.isConnected;
    const schedule = () => {
      const wait = delay;
      delay = Math.min(maxMs, delay * 2);
      timer = setTimeout(() => void step(), wait);
    };
    const step = async () => {
      if (gone()) return resolve(undefined);
      try {
        const answer = await tick();
        if (answer !== undefined) return resolve(answer);
      } catch (error) {
        return reject(error);
      }
      if (gone()) return resolve(undefined);
      schedule();
    };
    schedule();
  });
  return {
    result,
    stop() {
      stopped = true;
      clearTimeout(timer);
      finish(undefined);
    },
  };
}
