/**
 * The RDB file format: its constants ({@link dev.peregrine.persistence.rdb.RdbDescriptor}), a streaming reader that
 * decodes every encoding Redis 7.2 and older wrote into plain element lists for a visitor, a loader that turns them
 * into fresh keyspace databases, and the writing side (a per-entry encoder over an abstract output, a file writer,
 * DUMP payloads); all single-threaded, owned by the thread that calls them.
 */
package dev.peregrine.persistence.rdb;
