/**
 * The server's persistence actions on the keyspace: synchronous RDB saves (SAVE, DEBUG RELOAD) and loads, with the
 * save bookkeeping LASTSAVE and INFO persistence report; executor-only.
 */
package dev.peregrine.server.persistence;
