package dev.peregrine.storage.hash;

/**
 * The thresholds that keep a hash in the compact {@code listpack} encoding, filled by the server from
 * {@code hash-max-listpack-entries} and {@code hash-max-listpack-value}.
 *
 * @param maxListpackEntries most field/value pairs a listpack hash holds
 * @param maxListpackValue longest field or value, in bytes, a listpack hash holds
 */
public record HashLimits(long maxListpackEntries, long maxListpackValue) {
    /** Redis 7.2's defaults: 128 entries, 64 bytes. */
    public static final HashLimits DEFAULTS = new HashLimits(128, 64);
}
