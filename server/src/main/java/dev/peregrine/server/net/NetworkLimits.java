package dev.peregrine.server.net;

import dev.peregrine.server.config.ServerConfig;

/**
 * The settings I/O threads read on every connection or read: copies of their directives, refreshed by CONFIG SET
 * listeners on the executor and read by I/O threads (volatile fields).
 */
public final class NetworkLimits {
    private volatile long maxBulkLength;
    private volatile long queryBufferLimit;
    private volatile int maxClients;
    private volatile boolean authRequired;

    NetworkLimits(ServerConfig config) {
        maxBulkLength = config.longValue("proto-max-bulk-len");
        queryBufferLimit = config.longValue("client-query-buffer-limit");
        maxClients = config.intValue("maxclients");
        authRequired = !config.stringValue("requirepass").isEmpty();
        config.onChange("proto-max-bulk-len", v -> maxBulkLength = (Long) v);
        config.onChange("client-query-buffer-limit", v -> queryBufferLimit = (Long) v);
        config.onChange("maxclients", v -> maxClients = (int) (long) (Long) v);
        config.onChange("requirepass", v -> authRequired = !((String) v).isEmpty());
    }

    /** {@code proto-max-bulk-len}, bytes. */
    public long maxBulkLength() {
        return maxBulkLength;
    }

    /** {@code client-query-buffer-limit}, bytes. */
    public long queryBufferLimit() {
        return queryBufferLimit;
    }

    public int maxClients() {
        return maxClients;
    }

    /** Whether new connections start unauthenticated ({@code requirepass} set). */
    public boolean authRequired() {
        return authRequired;
    }
}
