/**
 * A record's view with the progress of its work, read after the view (null when nothing reports any): an
 * import's save and a Sync All run answer alike.
 */
export async function withProgress<V extends object, P>(
  view: V,
  progress: () => Promise<P | undefined>,
): Promise<V & { progress: P | null }> {
  return { ...view, progress: (await progress()) ?? null };
}
