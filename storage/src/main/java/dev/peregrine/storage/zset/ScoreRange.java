package dev.peregrine.storage.zset;

/**
 * A score interval as ZRANGEBYSCORE takes it (Redis's {@code zrangespec}).
 *
 * @param min lower bound, may be -inf
 * @param max upper bound, may be +inf
 * @param minExclusive whether {@code min} itself is excluded ({@code (} prefix)
 * @param maxExclusive whether {@code max} itself is excluded
 */
public record ScoreRange(double min, double max, boolean minExclusive, boolean maxExclusive) {
    /** Elements strictly before the range (a prefix in score order). */
    public ZPredicate below() {
        return minExclusive ? (m, s) -> s <= min : (m, s) -> s < min;
    }

    /** Elements not after the range's end (a prefix in score order). */
    public ZPredicate notAfter() {
        return maxExclusive ? (m, s) -> s < max : (m, s) -> s <= max;
    }

    public boolean gteMin(double s) {
        return minExclusive ? s > min : s >= min;
    }

    public boolean lteMax(double s) {
        return maxExclusive ? s < max : s <= max;
    }

    /** Whether the range can hold anything (Redis's early check). */
    public boolean isEmpty() {
        return min > max || (min == max && (minExclusive || maxExclusive));
    }
}
