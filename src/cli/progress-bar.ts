import type { ImportProgress } from "../services/imports/import-request.js";

const WIDTH = 30;

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/**
 * A one-line progress bar for a terminal: the stage, rows (or passwords) done of the total, and the time
 * left at the rate so far. Written to stderr only, so stdout stays one JSON object with --json.
 */
export function createProgressBar(
  write: (text: string) => void,
  now: () => number = () => Date.now(),
): { update: (progress: ImportProgress) => void; finish: () => void } {
  let stage = "";
  let started = now();
  let last = 0;
  let shown = false;
  return {
    update(progress) {
      if (progress.stage !== stage) {
        stage = progress.stage;
        started = now();
      }
      const t = now();
      // Redraw at most ten times a second; a final 100% always shows.
      if (t - last < 100 && progress.done < progress.total) return;
      last = t;
      const fraction = progress.total === 0 ? 1 : Math.min(1, progress.done / progress.total);
      const filled = Math.round(fraction * WIDTH);
      const elapsed = (t - started) / 1000;
      const left =
        progress.done === 0 ? Number.NaN : (elapsed / progress.done) * (progress.total - progress.done);
      write(
        `\r${progress.stage.padEnd(18)} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ` +
          `${progress.done}/${progress.total}  ${formatSeconds(left)} left\x1b[K`,
      );
      shown = true;
    },
    finish() {
      if (shown) write("\r\x1b[K");
    },
  };
}
