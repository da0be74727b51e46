/**
 * The append-only file as Redis 7 keeps it: a manifest naming a base file (RDB or AOF) and incremental AOF files of
 * RESP commands, and the reader that replays those commands.
 */
package dev.peregrine.persistence.aof;
