/**
 * The RDB file format: its constants ({@link dev.peregrine.persistence.rdb.RdbDescriptor}), a streaming reader that
 * decodes every encoding Redis 7.2 and older wrote into plain element lists for a visitor, and a loader that turns
 * them into fresh keyspace databases; all single-threaded, owned by the thread that calls them.
 */
package dev.peregrine.persistence.rdb;
