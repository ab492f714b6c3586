// Constant tables of SQLite's decimal conversion (util.c powerOfTen): the top 96 bits of powers of ten.

/** aBase[p]: 10^p for 0 <= p <= 26, normalised so bit 63 is set. */
export const POW10_BASE: readonly bigint[] = [
  0x8000000000000000n, 0xa000000000000000n, 0xc800000000000000n,
  0xfa00000000000000n, 0x9c40000000000000n, 0xc350000000000000n,
  0xf424000000000000n, 0x9896800000000000n, 0xbebc200000000000n,
  0xee6b280000000000n, 0x9502f90000000000n, 0xba43b74000000000n,
  0xe8d4a51000000000n, 0x9184e72a00000000n, 0xb5e620f480000000n,
  0xe35fa931a0000000n, 0x8e1bc9bf04000000n, 0xb1a2bc2ec5000000n,
  0xde0b6b3a76400000n, 0x8ac7230489e80000n, 0xad78ebc5ac620000n,
  0xd8d726b7177a8000n, 0x878678326eac9000n, 0xa968163f0a57b400n,
  0xd3c21bcecceda100n, 0x84595161401484a0n, 0xa56fa5b99019a5c8n,
];

/** aScale[g + 13]: 10^(27g), normalised (index 13 is the special 10^-1). */
export const POW10_SCALE: readonly bigint[] = [
  0x8049a4ac0c5811aen, 0xcf42894a5dce35ean, 0xa76c582338ed2621n,
  0x873e4f75e2224e68n, 0xda7f5bf590966848n, 0xb080392cc4349decn,
  0x8e938662882af53en, 0xe65829b3046b0afan, 0xba121a4650e4ddebn,
  0x964e858c91ba2655n, 0xf2d56790ab41c2a2n, 0xc428d05aa4751e4cn,
  0x9e74d1b791e07e48n, 0xccccccccccccccccn, 0xcecb8f27f4200f3an,
  0xa70c3c40a64e6c51n, 0x86f0ac99b4e8dafdn, 0xda01ee641a708de9n,
  0xb01ae745b101e9e4n, 0x8e41ade9fbebc27dn, 0xe5d3ef282a242e81n,
  0xb9a74a0637ce2ee1n, 0x95f83d0a1fb69cd9n, 0xf24a01a73cf2dccfn,
  0xc3b8358109e84f07n, 0x9e19db92b4e31ba9n,
];

/** aScaleLo[g + 13]: the next 32 bits of each POW10_SCALE entry. */
export const POW10_SCALE_LO: readonly bigint[] = [
  0x205b896dn, 0x52064cadn, 0xaf2af2b8n,
  0x5a7744a7n, 0xaf39a475n, 0xbd8d794en,
  0x547eb47bn, 0x0cb4a5a3n, 0x92f34d62n,
  0x3a6a07f9n, 0xfae27299n, 0xaa97e14cn,
  0x775ea265n, 0xccccccccn, 0x00000000n,
  0x999090b6n, 0x69a028bbn, 0xe80e6f48n,
  0x5ec05dd0n, 0x14588f14n, 0x8f1668c9n,
  0x6d953e2cn, 0x4abdaf10n, 0xbc633b39n,
  0x0a862f81n, 0x6c07a2c2n,
];
