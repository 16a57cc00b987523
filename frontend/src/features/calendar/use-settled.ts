import { useEffect, useState } from "react";

/**
 * `value` once it has stayed the same (by its JSON) for `delay` ms, and whether that is the
 * current value; a new object with the same content each render does not restart the wait.
 */
export function useSettled<T>(value: T, delay = 300): { settled: T; current: boolean } {
  const key = JSON.stringify(value);
  const [settled, setSettled] = useState({ key, value });
  useEffect(() => {
    if (key === settled.key) return;
    const timer = setTimeout(() => setSettled({ key, value }), delay);
    return () => clearTimeout(timer);
    // `value` is the one `key` was made from.
  }, [key, delay]); // eslint-disable-line react-hooks/exhaustive-deps
  return { settled: settled.value, current: key === settled.key };
}
