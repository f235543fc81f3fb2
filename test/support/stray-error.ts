/*
 * Preloaded into the bot process by a test (--import): on SIGUSR2 it makes the error that
 * MM_TEST_STRAY names happen outside any request, as a bug in a library would — a promise
 * rejection nobody handles, or an exception thrown from a timer.
 */
process.on('SIGUSR2', () => {
  if (process.env.MM_TEST_STRAY === 'exception') {
    setTimeout(() => {
      throw new Error('stray exception from the test');
    });
  } else {
    void Promise.reject(new Error('stray rejection from the test'));
  }
});
