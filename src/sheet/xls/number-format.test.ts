import { describe, expect, it } from "vitest";
import {
  classifyFormatString,
  classifyNumberFormat,
  formatDateSerial,
  formatNumber,
} from "./number-format.js";

describe("number text", () => {
  it("prints whole numbers without exponent or .0", () => {
    expect(formatNumber(442079460000)).toBe("442079460000");
    expect(formatNumber(1e16)).toBe("10000000000000000");
    expect(formatNumber(1e21)).toBe("1000000000000000000000");
    expect(formatNumber(-3)).toBe("-3");
    expect(formatNumber(-0)).toBe("0");
  });

  it("prints other numbers as the shortest decimal that round-trips", () => {
    expect(formatNumber(0.1)).toBe("0.1");
    expect(formatNumber(1234.5678)).toBe("1234.5678");
    expect(formatNumber(0.1 + 0.2)).toBe("0.30000000000000004");
  });

  it("keeps the zeros a padding format adds", () => {
    const style = classifyFormatString("00000");
    expect(style).toEqual({ kind: "padded", digits: 5 });
    expect(formatNumber(123, style)).toBe("00123");
    expect(formatNumber(-42, style)).toBe("-00042");
    expect(formatNumber(1234567, style)).toBe("1234567");
    expect(formatNumber(7, classifyFormatString('000;"neg"'))).toBe("007");
  });
});

describe("telling dates from numbers by format", () => {
  it("knows the built-in date formats", () => {
    for (const id of [14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]) {
      expect(classifyNumberFormat(id, undefined).kind, `format ${id}`).toBe("date");
    }
    for (const id of [0, 1, 2, 3, 4, 9, 10, 11, 49]) {
      expect(classifyNumberFormat(id, undefined).kind, `format ${id}`).toBe("number");
    }
  });

  it("reads custom format strings, ignoring quoted text, escapes and brackets", () => {
    expect(classifyFormatString("yyyy-mm-dd").kind).toBe("date");
    expect(classifyFormatString("[$-409]d-mmm-yy;@").kind).toBe("date");
    expect(classifyFormatString("[h]:mm:ss").kind).toBe("date");
    expect(classifyFormatString("[hh]").kind).toBe("number"); // elapsed hours: a duration
    expect(classifyFormatString('0.00 "days"').kind).toBe("number");
    expect(classifyFormatString("[Red]#,##0.00").kind).toBe("number");
    expect(classifyFormatString("General").kind).toBe("number");
    expect(classifyFormatString("0.00E+00").kind).toBe("number");
    expect(classifyFormatString("\\d0").kind).toBe("number");
  });
});

describe("date text", () => {
  it("gives the date alone at midnight, date and time otherwise", () => {
    expect(formatDateSerial(45352, 1900)).toBe("2024-03-01");
    expect(formatDateSerial(45352.395833333336, 1900)).toBe("2024-03-01T09:30:00");
    expect(formatDateSerial(45352.5000001, 1900)).toBe("2024-03-01T12:00:00.009");
  });

  it("follows both date systems", () => {
    expect(formatDateSerial(1, 1900)).toBe("1900-01-01");
    expect(formatDateSerial(61, 1900)).toBe("1900-03-01");
    expect(formatDateSerial(0, 1904)).toBe("1904-01-01");
    expect(formatDateSerial(43890, 1904)).toBe("2024-03-01");
  });

  it("gives a time of day alone below serial 1", () => {
    expect(formatDateSerial(0.75, 1900)).toBe("18:00:00");
  });
});
