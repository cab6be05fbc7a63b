/**
 * Waits for `work` to settle, at most `ms` (any number; Infinity waits as long as it takes).
 * Resolves true when it settled (fulfilled or rejected), false when the time ran out first.
 * Never rejects; the timer is cleared at once and never keeps the process alive.
 */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  const settled = work.then(
    () => true,
    () => true,
  );
  if (!Number.isFinite(ms)) return settled;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, ms), false);
    timer.unref();
  });
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}
