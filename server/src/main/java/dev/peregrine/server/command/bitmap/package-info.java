/** The bitmap commands on string values: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO. */
package dev.peregrine.server.command.bitmap;
