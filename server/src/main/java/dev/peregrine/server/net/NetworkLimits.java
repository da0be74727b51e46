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
    /** {hard bytes, soft bytes, soft seconds} of client-output-buffer-limit's normal class. */
    private volatile long[] normalOutputLimits;
    /** {hard bytes, soft bytes, soft seconds} of client-output-buffer-limit's pubsub class. */
    private volatile long[] pubsubOutputLimits;

    NetworkLimits(ServerConfig config) {
        maxBulkLength = config.longValue("proto-max-bulk-len");
        queryBufferLimit = config.longValue("client-query-buffer-limit");
        maxClients = config.intValue("maxclients");
        authRequired = !config.stringValue("requirepass").isEmpty();
        normalOutputLimits = normalClass((long[]) config.value("client-output-buffer-limit"));
        pubsubOutputLimits = pubsubClass((long[]) config.value("client-output-buffer-limit"));
        config.onChange("client-output-buffer-limit", v -> {
            normalOutputLimits = normalClass((long[]) v);
            pubsubOutputLimits = pubsubClass((long[]) v);
        });
        config.onChange("proto-max-bulk-len", v -> maxBulkLength = (Long) v);
        config.onChange("client-query-buffer-limit", v -> queryBufferLimit = (Long) v);
        config.onChange("maxclients", v -> maxClients = (int) (long) (Long) v);
        config.onChange("requirepass", v -> authRequired = !((String) v).isEmpty());
    }

    /** The normal class of client-output-buffer-limit's {normal, replica, pubsub} x {hard, soft, seconds}. */
    private static long[] normalClass(long[] all) {
        return new long[] {all[0], all[1], all[2]};
    }

    /** The pubsub class of client-output-buffer-limit's {normal, replica, pubsub} x {hard, soft, seconds}. */
    private static long[] pubsubClass(long[] all) {
        return new long[] {all[6], all[7], all[8]};
    }

    /** {hard bytes, soft bytes, soft seconds} for clients in Pub/Sub mode; 0 means no limit. */
    public long[] pubsubOutputLimits() {
        return pubsubOutputLimits;
    }

    /** {hard bytes, soft bytes, soft seconds} for normal clients; 0 means no limit. */
    public long[] normalOutputLimits() {
        return normalOutputLimits;
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
