package dev.peregrine.storage;

/**
 * Told when a {@link Database} deletes a key because its time passed, lazily on access or in the active expire
 * cycle. The server uses it for statistics, keyspace events and propagating the deletion to replicas and the AOF.
 *
 * <p>Called on the executor thread after the key was removed.
 */
@FunctionalInterface
public interface ExpiryListener {
    void onExpired(Database db, byte[] key, Object entry);
}
