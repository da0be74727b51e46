/** Bit-level work on string values: bit reads and writes, population counts, bit searches, BITOP and bitfields. */
package dev.peregrine.storage.bits;
