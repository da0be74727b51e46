package dev.peregrine.storage.set;

/**
 * The thresholds of the compact set encodings, filled by the server from {@code set-max-intset-entries},
 * {@code set-max-listpack-entries} and {@code set-max-listpack-value}.
 *
 * @param maxIntsetEntries most members an {@code intset} holds (capped at 2^30 as Redis)
 * @param maxListpackEntries most members a {@code listpack} set holds
 * @param maxListpackValue longest member, in bytes, a {@code listpack} set holds
 */
public record SetLimits(long maxIntsetEntries, long maxListpackEntries, long maxListpackValue) {
    /** Redis 7.2's defaults: 512, 128, 64. */
    public static final SetLimits DEFAULTS = new SetLimits(512, 128, 64);

    /** The intset limit with Redis's 1G cap. */
    public long intsetMax() {
        return Math.min(maxIntsetEntries, 1L << 30);
    }
}
