// How a cell's value is found again: the tag (CellIndex.tags) says which record layout `ref` points into.
// Imported as a namespace (`Tag.SST`), so each reader names only what it uses.
export const SST = 1; // ref: LABELSST data; xf at +4, string index at +6
export const TEXT = 2; // ref: index into the sheet's own strings (LABEL, RSTRING, formula text)
export const NUMBER = 3; // ref: NUMBER or FORMULA data; xf at +4, IEEE double at +6
export const RK = 4; // ref: RK data; xf at +4, RK number at +6
export const MULRK = 5; // ref: one xf/RK pair inside a MULRK; xf at +0, RK at +2
export const BOOL = 6; // ref: BOOLERR data; value at +6 (or, for formulas, at +8: see FORMULA_BOOL)
export const ERROR = 7;
export const FORMULA_BOOL = 8;
export const FORMULA_ERROR = 9;
