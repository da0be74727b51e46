package dev.peregrine.storage.zset;

/**
 * The thresholds of the compact sorted set encoding, filled by the server from {@code zset-max-listpack-entries}
 * and {@code zset-max-listpack-value}.
 *
 * @param maxListpackEntries most members a {@code listpack} sorted set holds
 * @param maxListpackValue longest member, in bytes, a {@code listpack} sorted set holds
 */
public record ZSetLimits(long maxListpackEntries, long maxListpackValue) {
    /** Redis 7.2's defaults: 128 entries, 64 bytes. */
    public static final ZSetLimits DEFAULTS = new ZSetLimits(128, 64);
}
