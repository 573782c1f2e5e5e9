/**
 * Loading something once per process (a module's `import()`, a service built from it), shared by every
 * caller, where a failure must not stick: the next caller loads again and reports its own error.
 */

/**
 * `load`'s value, loaded on the first call and shared by the later ones while it succeeds; a load that
 * failed is forgotten, so the call after it starts a new one.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (!loading) {
      const attempt = load();
      loading = attempt;
      attempt.catch(() => {
        if (loading === attempt) loading = undefined;
      });
    }
    return loading;
  };
}
