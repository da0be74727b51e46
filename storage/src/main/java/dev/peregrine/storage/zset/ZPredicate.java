package dev.peregrine.storage.zset;

/** A test on one element; range searches need it to hold for a prefix of the elements in score order. */
@FunctionalInterface
public interface ZPredicate {
    boolean test(byte[] member, double score);
}
