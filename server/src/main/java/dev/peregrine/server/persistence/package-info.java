/**
 * The server's persistence: synchronous RDB saves (SAVE, DEBUG RELOAD) and loads, fork-less background snapshots
 * (BGSAVE, AOF rewrites), the append-only file and its start-up loading, and the bookkeeping LASTSAVE and INFO
 * persistence report.
 */
package dev.peregrine.server.persistence;
