import type { ImportProgress } from "../services/imports/import-request.js";

const WIDTH = 30;
/** No estimate of the time left before this much of a stage has run: early rates are noise ("0s left"). */
const ESTIMATE_AFTER_MS = 1000;
const ESTIMATE_AFTER_FRACTION = 0.02;

export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

function bar(fraction: number): string {
  const filled = Math.round(fraction * WIDTH);
  return `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}]`;
}

/**
 * A progress bar for a terminal: one line per stage, redrawn in place with rows (or passwords) done of the
 * total, the elapsed time and, once the rate means something, the time left. When a stage ends (the next
 * begins, or the command finishes) its line is drawn complete with the time it took and kept, so the bar
 * always ends at 100% and the terminal keeps how long each stage lasted. Written to stderr only, so stdout
 * stays one JSON object with --json.
 */
export function createProgressBar(
  write: (text: string) => void,
  now: () => number = () => Date.now(),
): { update: (progress: ImportProgress) => void; finish: (ok?: boolean) => void } {
  let current: ImportProgress | undefined;
  let started = now();
  let last = Number.NEGATIVE_INFINITY;

  const label = (stage: string): string => stage.padEnd(10);
  const completeLine = (progress: ImportProgress): string => {
    const total = Math.max(progress.total, progress.done);
    return `\r${label(progress.stage)} ${bar(1)} ${total}/${total}  done in ${formatSeconds((now() - started) / 1000)}\x1b[K\n`;
  };

  return {
    update(progress) {
      if (current !== undefined && progress.stage !== current.stage) {
        // The previous stage is over: it ran to its end even if its last count was not reported.
        write(completeLine(current));
        started = now();
        last = Number.NEGATIVE_INFINITY;
      }
      current = progress;
      const t = now();
      // Redraw at most ten times a second.
      if (t - last < 100) return;
      last = t;
      const fraction = progress.total === 0 ? 0 : Math.min(1, progress.done / progress.total);
      const elapsedMs = t - started;
      const estimate =
        elapsedMs >= ESTIMATE_AFTER_MS && fraction >= ESTIMATE_AFTER_FRACTION && fraction < 1
          ? `, ${formatSeconds(((elapsedMs / 1000) * (1 - fraction)) / fraction)} left`
          : "";
      write(
        `\r${label(progress.stage)} ${bar(fraction)} ${progress.done}/${progress.total}  ` +
          `${formatSeconds(elapsedMs / 1000)}${estimate}\x1b[K`,
      );
    },
    /** ok: the work ended as planned (its last stage is drawn complete); otherwise the line is cleared. */
    finish(ok = true) {
      if (current === undefined) return;
      write(ok ? completeLine(current) : "\r\x1b[K");
      current = undefined;
    },
  };
}
