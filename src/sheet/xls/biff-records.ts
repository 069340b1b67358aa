/** Record identifiers of the BIFF5 and BIFF8 streams (MS-XLS 2.3), and the few of BIFF2-4 we recognise. */

export const RT_BOF = 0x0809;
export const RT_BOF_BIFF2 = 0x0009;
export const RT_BOF_BIFF3 = 0x0209;
export const RT_BOF_BIFF4 = 0x0409;
export const RT_EOF = 0x000a;
export const RT_BOUNDSHEET = 0x0085;
export const RT_CODEPAGE = 0x0042;
export const RT_DATEMODE = 0x0022;
export const RT_FILEPASS = 0x002f;
export const RT_SST = 0x00fc;
export const RT_CONTINUE = 0x003c;
export const RT_FORMAT = 0x041e;
export const RT_XF = 0x00e0;

export const RT_LABELSST = 0x00fd;
export const RT_LABEL = 0x0204;
export const RT_RSTRING = 0x00d6;
export const RT_NUMBER = 0x0203;
export const RT_RK = 0x027e;
export const RT_MULRK = 0x00bd;
export const RT_BOOLERR = 0x0205;
export const RT_FORMULA = 0x0006;
export const RT_STRING = 0x0207;

// Records only the writer emits: workbook and sheet structure Excel expects around the cells.
export const RT_WINDOW1 = 0x003d;
export const RT_FONT = 0x0031;
export const RT_STYLE = 0x0293;
export const RT_EXTSST = 0x00ff;
export const RT_INDEX = 0x020b;
export const RT_DEFCOLWIDTH = 0x0055;
export const RT_DIMENSIONS = 0x0200;
export const RT_ROW = 0x0208;
export const RT_DBCELL = 0x00d7;
export const RT_WINDOW2 = 0x023e;

// MS-XLS 2.4.21 BOF: dt, the kind of substream.
export const BOF_GLOBALS = 0x0005;
export const BOF_WORKSHEET = 0x0010;

// MS-XLS 2.5.97.2 BErr: the error codes and the text Excel shows for them.
const ERROR_TEXTS: Readonly<Record<number, string>> = {
  0x00: "#NULL!",
  0x07: "#DIV/0!",
  0x0f: "#VALUE!",
  0x17: "#REF!",
  0x1d: "#NAME?",
  0x24: "#NUM!",
  0x2a: "#N/A",
  0x2b: "#GETTING_DATA",
};

export function errorText(code: number): string {
  return ERROR_TEXTS[code] ?? `#ERR${code}`;
}
