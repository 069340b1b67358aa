/** Constants of the Compound File Binary format (MS-CFB), shared by its reader and writer. */

export const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;

// MS-CFB 2.1 special sector numbers and stream ids.
export const MAX_REGULAR_SECTOR = 0xfffffffa;
export const DIFSECT = 0xfffffffc;
export const FATSECT = 0xfffffffd;
export const END_OF_CHAIN = 0xfffffffe;
export const FREE_SECTOR = 0xffffffff;
export const NO_STREAM = 0xffffffff;

export const HEADER_SIZE = 512;
export const HEADER_DIFAT_ENTRIES = 109;
export const DIRECTORY_ENTRY_SIZE = 128;

// MS-CFB 2.6.1 object types.
export const ENTRY_UNALLOCATED = 0;
export const ENTRY_STORAGE = 1;
export const ENTRY_STREAM = 2;
export const ENTRY_ROOT = 5;
