import { AppError } from "../errors/app-error.js";

export const MAX_NOTE_LENGTH = 100;

export function parseNoteText(text: string): string {
  const note = text.trim();
  if (note.length === 0 || Array.from(note).length > MAX_NOTE_LENGTH) {
    throw new AppError("note_invalid", `A note must be 1 to ${MAX_NOTE_LENGTH} characters.`, {
      length: Array.from(note).length,
    });
  }
  return note;
}
