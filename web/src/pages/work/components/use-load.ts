/** Runs an async load when its key changes, with loading, error and reload. */
import { useCallback, useEffect, useRef, useState } from 'react';

/** Loads with `fn` whenever `key` changes (null: nothing); `reload()` runs it again. */
export function useLoad<T>(
  key: string | null,
  fn: () => Promise<T>,
): { data?: T; error?: unknown; loading: boolean; reload(): void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: key !== null });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` is the reload trigger: changing it runs the load again
  useEffect(() => {
    if (key === null) {
      setState({ loading: false });
      return;
    }
    const id = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    fnRef.current().then(
      (data) => {
        if (seq.current === id) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (seq.current === id) setState({ error, loading: false });
      },
    );
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
