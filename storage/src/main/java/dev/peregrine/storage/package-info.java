/**
 * The keyspace and value encodings: the open-addressing {@link dev.peregrine.storage.KeyTable} (over the core
 * {@link dev.peregrine.storage.OpenTable} it shares with the big hashes and sets), the
 * {@link dev.peregrine.storage.Database} that adds expiry to it, the packed string entry and the glob matcher.
 *
 * <p>Executor-only: every class here that holds data is used by the command-executor thread alone and does no
 * locking. Nothing here knows the network, the protocol or the server's configuration object.
 */
package dev.peregrine.storage;
