/** The HyperLogLog commands: PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST over HLL string values. */
package dev.peregrine.server.command.hyperloglog;
