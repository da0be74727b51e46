package dev.peregrine.storage.zset;

/** Receives sorted set elements in order; returns false to stop. Must not modify the set. */
@FunctionalInterface
public interface ZVisitor {
    boolean visit(byte[] member, double score);
}
