import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { foldSearchText } from "../../src/store/search-keys.js";
import { trigramTermText } from "../../src/store/short-text-search.js";

describe("short text read through FTS5's trigram terms", () => {
  it("spells every character as SQLite's trigram tokenizer stores it", () => {
    // Each folded character between two letters, indexed as migration 0014 indexes a user: the middle of the
    // one term must be what trigramTermText says, or a search of that character would miss its users.
    const db = new Database(":memory:");
    try {
      db.exec(`create virtual table f using fts5(doc, tokenize='trigram', detail=none);
        create virtual table terms using fts5vocab('f', 'instance');`);
      const characters: string[] = [];
      const insert = db.prepare("insert into f (rowid, doc) values (?, ?)");
      db.transaction(() => {
        for (let code = 0x20; code <= 0x2ffff; code++) {
          if (code >= 0xd800 && code <= 0xdfff) continue;
          const character = String.fromCodePoint(code);
          if (foldSearchText(character) !== character) continue;
          characters.push(character);
          insert.run(characters.length, `a${character}b`);
        }
      })();
      const wrong: string[] = [];
      for (const row of db.prepare("select term, doc from terms").iterate() as Iterable<{
        term: string;
        doc: number;
      }>) {
        const character = characters[row.doc - 1] ?? "";
        if (row.term !== `a${trigramTermText(character)}b`)
          wrong.push(character.codePointAt(0)?.toString(16) ?? "");
      }
      expect(wrong).toEqual([]);
      expect(characters.length).toBeGreaterThan(180_000);
    } finally {
      db.close();
    }
  });
});
